package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/rillstream/rill/runtime/codec"
	"github.com/rillstream/rill/runtime/flow"
	"github.com/rillstream/rill/runtime/interceptor"
	"github.com/rillstream/rill/stdlib"
	"github.com/rillstream/rill/stdlib/extractor"
)

func init() {
	register(&command{
		name:    "doc",
		summary: "show the standard library, peer types, codecs and interceptors",
		usage: `Usage: rill doc [MODULE | MODULE::FUNCTION | aggr | extractors | peers [TYPE] | codecs [NAME] | interceptors [NAME]]

Without an argument, lists the modules of the standard library with their
functions. With a module (string, tremor, aggr::stats), lists that module's
functions with their signatures; with a function (string::split,
aggr::stats::hdr, source_id) shows that one. "rill doc aggr" lists the
aggregate functions, "rill doc extractors" the extractor kinds.

"rill doc peers" lists the peer types a flow can create; "rill doc peers TYPE"
shows one with its sides, ports, default codec, config keys and metadata.
"rill doc codecs" and "rill doc interceptors" list those with their config.

Functions of module m are called as m::f(...) after ` + "`use std::m;`" + ` (or
` + "`use tremor::m;`" + `); aggregates need no use; the id functions (source_id() ...)
are always available.

Examples:
  rill doc
  rill doc string
  rill doc string::split
  rill doc aggr::stats
  rill doc peers http_server
  rill doc codecs
`,
		run: runDoc,
	})
}

func runDoc(args []string, stdout, stderr io.Writer) int {
	if len(args) == 2 {
		if code, ok := docPeers(args[0], args[1], stdout, stderr); ok {
			return code
		}
	}
	if len(args) > 1 {
		fmt.Fprint(stderr, "rill doc: give at most one module or function\n\nUsage: rill doc [MODULE | MODULE::FUNCTION | peers [TYPE] | codecs [NAME] | interceptors [NAME]]\n")
		return 2
	}
	if len(args) == 1 {
		if code, ok := docPeers(args[0], "", stdout, stderr); ok {
			return code
		}
	}
	reg := stdlib.NewRegistry()
	if len(args) == 0 {
		for _, aggr := range []bool{false, true} {
			for _, m := range reg.Modules() {
				docModule(stdout, reg, m, aggr)
			}
		}
		fmt.Fprintf(stdout, "extractors: %s\n", strings.Join(extractor.Kinds(), ", "))
		fmt.Fprintf(stdout, "peer types: %s (rill doc peers [TYPE])\n", strings.Join(flow.Peers(nil, nil, nil).Names(), ", "))
		fmt.Fprintf(stdout, "codecs: %s (rill doc codecs)\n", strings.Join(codec.Builtin().Names(), ", "))
		fmt.Fprintf(stdout, "interceptors: %s (rill doc interceptors)\n", strings.Join(interceptor.Builtin().Names(), ", "))
		return 0
	}
	q := args[0]
	switch q {
	case "extractors":
		fmt.Fprintf(stdout, "Extractors, used in match patterns as kind|rule| (e.g. re|(?P<n>\\d+)|, glob|*.log|):\n")
		for _, k := range extractor.Kinds() {
			fmt.Fprintf(stdout, "  %s\n", k)
		}
		return 0
	case "aggr":
		n := 0
		for _, s := range reg.All() {
			if s.Aggregate {
				n++
				docLine(stdout, s)
			}
		}
		if n > 0 {
			return 0
		}
	}
	// A whole module?
	mod := strings.TrimPrefix(q, "aggr::")
	for _, m := range reg.Modules() {
		if m == mod && m != "" {
			// A module name shows its functions; one that holds only aggregates (stats) shows those.
			if !docModule(stdout, reg, m, strings.HasPrefix(q, "aggr::")) {
				docModule(stdout, reg, m, true)
			}
			return 0
		}
	}
	// One function.
	for _, s := range reg.All() {
		if s.Path() == q || s.Qualified() == q {
			fmt.Fprintf(stdout, "%s\n    %s\n", s.Signature(), s.Doc)
			if s.Aggregate {
				fmt.Fprint(stdout, "    aggregate: only in the target or having of a select with windows\n")
			} else if s.Legacy {
				fmt.Fprint(stdout, "    always available (no `use` needed)\n")
			} else if s.Module != "" {
				fmt.Fprintf(stdout, "    needs `use %s::%s;`\n", moduleRoot(s.Module), s.Module)
			}
			return 0
		}
	}
	fmt.Fprintf(stderr, "rill doc: no module or function %q (see `rill doc` for the list)\n", q)
	return 1
}

// moduleRoot is the top module a registry module is used from: tremor for system, origin and
// chash; std for the rest.
func moduleRoot(m string) string {
	switch m {
	case "system", "origin", "chash":
		return "tremor"
	}
	return "std"
}

// docModule prints a module heading and its functions, or its aggregates when aggr is set; it
// reports whether there was anything to print.
func docModule(w io.Writer, reg *stdlib.Registry, m string, aggr bool) bool {
	var specs []*stdlib.FnSpec
	for _, s := range reg.Functions(m) {
		if s.Aggregate == aggr {
			specs = append(specs, s)
		}
	}
	if len(specs) == 0 {
		return false
	}
	switch {
	case m == "":
		fmt.Fprint(w, "global functions:\n")
	case aggr:
		fmt.Fprintf(w, "aggr::%s:\n", m)
	default:
		fmt.Fprintf(w, "%s:\n", m)
	}
	for _, s := range specs {
		docLine(w, s)
	}
	return true
}

func docLine(w io.Writer, s *stdlib.FnSpec) {
	fmt.Fprintf(w, "  %-44s %s\n", s.Signature(), s.Doc)
}
