package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rillstream/rill/internal/checkenv"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/runtime/flow"
)

func init() {
	register(&command{
		name:    "check",
		summary: "check programs for errors without running them",
		usage: `Usage: rill check [--path DIR:DIR] FILE...

Parses and statically checks trickle queries (.trickle), deployments (.troy) and
scripts (.tremor). Prints nothing and exits 0 when every file is valid; otherwise
prints each problem as file:line:col: message with the source line and a caret,
and exits 1.

Modules named by ` + "`use`" + ` are searched in the embedded standard library, then in
the --path directories, then in RILL_PATH (both colon-separated), then next to
the file.

Examples:
  rill check query.trickle
  rill check --path lib:vendor/lib flows/*.troy
`,
		run: runCheck,
	})
}

// modulePath joins --path and RILL_PATH into the module search directories.
func modulePath(flagPath string) []string {
	var dirs []string
	for _, p := range []string{flagPath, os.Getenv("RILL_PATH")} {
		for _, d := range filepath.SplitList(p) {
			if d != "" {
				dirs = append(dirs, d)
			}
		}
	}
	return dirs
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("path", "", "module search `dirs`, colon-separated")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprint(stderr, "rill check: no files given\n\nUsage: rill check [--path DIR:DIR] FILE...\n")
		return 2
	}
	code := 0
	for _, name := range fs.Args() {
		if !checkFile(name, modulePath(*path), stderr) {
			code = 1
		}
	}
	return code
}

// checkFile parses and checks one file, printing diagnostics; it reports whether the file is clean.
func checkFile(name string, dirs []string, stderr io.Writer) bool {
	src, err := os.ReadFile(name)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return false
	}
	f, err := lang.Parse(name, string(src))
	if err != nil {
		printDiagnostics(stderr, err, map[string]string{name: string(src)})
		return false
	}
	env := checkenv.New()
	diags, sources := lang.Check(f, lang.CheckOptions{Env: env, Path: dirs})
	if len(diags) > 0 {
		sources[name] = string(src)
		printDiagnostics(stderr, diags, sources)
		return false
	}
	if flow.HasDeploy(f) {
		// Peers: their types, config, codecs, interceptors and connect ports (nothing starts).
		_, ok := buildFlow(name, string(src), f, env, dirs, nil, io.Discard, io.Discard, stderr)
		return ok
	}
	return true
}

// printDiagnostics renders parse or check errors with their source excerpts.
func printDiagnostics(w io.Writer, err error, sources map[string]string) {
	var ds lang.Diagnostics
	switch e := err.(type) {
	case lang.Diagnostics:
		ds = e
	case *lang.Diagnostic:
		ds = lang.Diagnostics{e}
	default:
		fmt.Fprintln(w, err)
		return
	}
	var b strings.Builder
	for i, d := range ds {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Render(sources[d.Pos.File]))
	}
	io.WriteString(w, b.String())
}
