package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/rillstream/rill/lang"
)

func init() {
	register(&command{
		name:    "fmt",
		summary: "print programs in the canonical format",
		usage: `Usage: rill fmt [-w] FILE...

Prints each file in Rill's canonical layout. Formatting keeps every comment and
never changes meaning; formatting a formatted file changes nothing. With -w the
files are rewritten in place instead of printed.

Examples:
  rill fmt query.trickle
  rill fmt -w testdata/examples/*.trickle
`,
		run: runFmt,
	})
}

func runFmt(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fmt", flag.ContinueOnError)
	fs.SetOutput(stderr)
	write := fs.Bool("w", false, "rewrite the files in place")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprint(stderr, "rill fmt: no files given\n\nUsage: rill fmt [-w] FILE...\n")
		return 2
	}
	code := 0
	for _, name := range fs.Args() {
		src, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			code = 1
			continue
		}
		f, err := lang.Parse(name, string(src))
		if err != nil {
			printDiagnostics(stderr, err, map[string]string{name: string(src)})
			code = 1
			continue
		}
		out := lang.FormatSource(f, src)
		if !*write {
			io.WriteString(stdout, out)
			continue
		}
		if out == string(src) {
			continue
		}
		info, err := os.Stat(name)
		if err == nil {
			err = os.WriteFile(name, []byte(out), info.Mode().Perm())
		}
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			code = 1
		}
	}
	return code
}
