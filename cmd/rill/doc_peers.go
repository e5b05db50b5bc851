package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/rillstream/rill/runtime/codec"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/flow"
	"github.com/rillstream/rill/runtime/interceptor"
	"github.com/rillstream/rill/runtime/peer"
)

// docPeers handles `rill doc peers [TYPE]`, `rill doc codecs [NAME]` and `rill doc interceptors
// [NAME]`; it reports whether q was one of those.
func docPeers(q string, arg string, stdout, stderr io.Writer) (code int, handled bool) {
	switch q {
	case "peers", "connectors":
		reg := flow.Peers(nil, nil, nil)
		if arg == "" {
			fmt.Fprint(stdout, "Peer types (`define peer NAME from TYPE with config = {...} end;`; `rill doc peers TYPE` for one):\n")
			for _, s := range reg.Specs() {
				fmt.Fprintf(stdout, "  %-14s %s\n", s.Name, firstSentence(s.Doc))
				if len(s.Config) > 0 {
					var keys []string
					for _, k := range s.Config {
						keys = append(keys, k.Name)
					}
					fmt.Fprintf(stdout, "  %-14s config: %s\n", "", strings.Join(keys, ", "))
				}
			}
			return 0, true
		}
		s, ok := reg.Lookup(arg)
		if !ok {
			fmt.Fprintf(stderr, "rill doc: no peer type %q; peer types: %s\n", arg, strings.Join(reg.Names(), ", "))
			return 1, true
		}
		docPeer(stdout, s)
		return 0, true
	case "codecs":
		reg := codec.Builtin()
		if arg == "" {
			fmt.Fprint(stdout, "Codecs (`codec = \"NAME\"` or `codec = {\"name\": NAME, \"config\": {...}}`):\n")
			for _, s := range reg.Specs() {
				fmt.Fprintf(stdout, "  %-10s %s\n", s.Name, s.Doc)
				fmt.Fprint(stdout, indent(config.Doc(s.Config), "  "))
			}
			return 0, true
		}
		s, ok := reg.Lookup(arg)
		if !ok {
			fmt.Fprintf(stderr, "rill doc: no codec %q; codecs: %s\n", arg, strings.Join(reg.Names(), ", "))
			return 1, true
		}
		fmt.Fprintf(stdout, "codec %s\n  %s\n", s.Name, s.Doc)
		if len(s.Config) > 0 {
			fmt.Fprintf(stdout, "config:\n%s", config.Doc(s.Config))
		}
		return 0, true
	case "interceptors", "preprocessors", "postprocessors":
		reg := interceptor.Builtin()
		if arg == "" {
			fmt.Fprint(stdout, "Interceptors (`interceptors = [...]` two-way; `preprocessors`/`postprocessors` one-way):\n")
			for _, s := range reg.Specs() {
				fmt.Fprintf(stdout, "  %-24s %s %s\n", s.Name+aliases(s), sides(s), s.Doc)
				fmt.Fprint(stdout, indent(config.Doc(s.Config), "  "))
			}
			return 0, true
		}
		s, ok := reg.Lookup(arg)
		if !ok {
			fmt.Fprintf(stderr, "rill doc: no interceptor %q; interceptors: %s\n", arg, strings.Join(reg.Names(), ", "))
			return 1, true
		}
		fmt.Fprintf(stdout, "interceptor %s%s %s\n  %s\n", s.Name, aliases(s), sides(s), s.Doc)
		if len(s.Config) > 0 {
			fmt.Fprintf(stdout, "config:\n%s", config.Doc(s.Config))
		}
		return 0, true
	}
	return 0, false
}

// docPeer prints one peer type: sides, ports, defaults, config keys, metadata.
func docPeer(w io.Writer, s *peer.Spec) {
	fmt.Fprintf(w, "peer type %s\n  %s\n", s.Name, s.Doc)
	var sides []string
	if outs := s.Outs(); len(outs) > 0 {
		sides = append(sides, "source (ports "+strings.Join(outs, ", ")+")")
	}
	if ins := s.Ins(); len(ins) > 0 {
		sides = append(sides, "sink (ports "+strings.Join(ins, ", ")+")")
	}
	fmt.Fprintf(w, "sides: %s\n", strings.Join(sides, ", "))
	if s.Codec != "" {
		icpt := "none"
		if s.Lines {
			icpt = `["lines"]`
		}
		fmt.Fprintf(w, "default codec: %s; default interceptors: %s\n", s.Codec, icpt)
	} else {
		fmt.Fprint(w, "takes and emits values: no codec, no interceptors\n")
	}
	if len(s.Config) > 0 {
		fmt.Fprintf(w, "config:\n%s", config.Doc(s.Config))
	}
	if len(s.Meta) > 0 {
		fmt.Fprint(w, "metadata:\n")
		for _, m := range s.Meta {
			fmt.Fprintf(w, "  %s\n", m)
		}
	}
}

func sides(s *interceptor.Spec) string {
	switch {
	case s.NewPre != nil && s.NewPost != nil:
		return "(read, write)"
	case s.NewPre != nil:
		return "(read only)"
	}
	return "(write only)"
}

func aliases(s *interceptor.Spec) string {
	if len(s.Aliases) == 0 {
		return ""
	}
	return " (" + strings.Join(s.Aliases, ", ") + ")"
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}
