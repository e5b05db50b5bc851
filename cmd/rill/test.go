package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rillstream/rill/internal/golden"
	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/runtime"
)

func init() {
	register(&command{
		name:    "test",
		summary: "run golden test folders (query.trickle or script.tremor, in, out|error.txt)",
		usage: `Usage: rill test [-update] [-v] DIR...

Runs golden test cases exactly like the Go golden tests (spec §7; runtime.RunGolden for
queries, interp.RunGolden for scripts). Each DIR is a case folder, or a folder of case folders
(one level deep): a case folder holds query.trickle or script.tremor, and in.

  query.trickle, in, out        every line of in is an event on "in" (ingest_ns = line index,
                                origin tremor://localhost/test); the outputs of all ports, in
                                emission order and canonical JSON, must equal out
  query.trickle, in, error.txt  the first select-level error must render as error.txt (trimmed);
                                outputs before it are compared with out when there is one
  script.tremor, in, out        the script runs once per line, state kept across lines; the
                                emitted values must equal out
  script.tremor, in, error.txt  the first line's runtime (or the compile) error must render as
                                error.txt (trimmed)

For each failing case it prints FAIL and the case folder, then a line diff: expected lines as
"-N: text" (N the line number in out or error.txt), actual ones as "+N: text" (N the output
number). It ends with the line "N passed, N failed". Exit status: 0 when every case passed, 1
when one failed, 2 on wrong usage (no DIR, or a DIR holding no case).

Flags:
  -update  rewrite out (and error.txt in error cases) of failing cases from the actual results;
           a case that can not run (parse or compile error, runtime error without error.txt)
           still fails
  -v       also print "ok DIR" for every passing case

Examples:
  rill test testdata/queries testdata/scripts
  rill test testdata/queries/group_by_each
  rill test -update testdata/queries/my_new_case
`,
		run: runTest,
	})
}

// goldenCase is one case folder and its kind.
type goldenCase struct {
	dir   string
	query bool // query.trickle; else script.tremor
}

// caseKind says whether dir is a case folder, and of which kind; needIn requires its in file.
func caseKind(dir string, needIn bool) (c goldenCase, ok bool) {
	exists := func(name string) bool {
		fi, err := os.Stat(filepath.Join(dir, name))
		return err == nil && !fi.IsDir()
	}
	if needIn && !exists("in") {
		return c, false
	}
	switch {
	case exists("query.trickle"):
		return goldenCase{dir: dir, query: true}, true
	case exists("script.tremor"):
		return goldenCase{dir: dir}, true
	}
	return c, false
}

// findCases returns dir itself when it is a case, else the cases among its subfolders.
func findCases(dir string) ([]goldenCase, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a directory", dir)
	}
	if c, ok := caseKind(dir, false); ok {
		return []goldenCase{c}, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var cases []goldenCase
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if c, ok := caseKind(filepath.Join(dir, e.Name()), true); ok {
			cases = append(cases, c)
		}
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("%s: no golden case (a folder with query.trickle or script.tremor, and in)", dir)
	}
	return cases, nil
}

func runTest(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	update := fs.Bool("update", false, "rewrite out / error.txt of failing cases from the actual results")
	verbose := fs.Bool("v", false, "print every passing case too")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprint(stderr, "rill test: no directories given\n\nUsage: rill test [-update] [-v] DIR...\n")
		return 2
	}
	var cases []goldenCase
	for _, dir := range fs.Args() {
		cs, err := findCases(filepath.Clean(dir))
		if err != nil {
			fmt.Fprintf(stderr, "rill test: %v\n", err)
			return 2
		}
		cases = append(cases, cs...)
	}
	env := &interp.Env{} // shared by the scripts, as in TestGoldenScripts
	passed, failed := 0, 0
	for _, c := range cases {
		var r *golden.Result
		if c.query {
			r = runtime.RunGolden(c.dir)
		} else {
			r = interp.RunGolden(c.dir, env)
		}
		if !r.Failed() {
			passed++
			if *verbose {
				fmt.Fprintf(stdout, "ok %s\n", c.dir)
			}
			continue
		}
		if *update {
			err := r.Update()
			if err == nil {
				passed++
				fmt.Fprintf(stdout, "updated %s\n", c.dir)
				continue
			}
			failed++
			fmt.Fprintf(stdout, "FAIL %s\n%s    %v\n", c.dir, indent(r.Report(), "    "), err)
			continue
		}
		failed++
		fmt.Fprintf(stdout, "FAIL %s\n%s", c.dir, indent(r.Report(), "    "))
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return 1
	}
	return 0
}

// indent prefixes every line of s with pre.
func indent(s, pre string) string {
	if s == "" {
		return ""
	}
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString(pre + l)
		}
	}
	if !strings.HasSuffix(s, "\n") {
		b.WriteByte('\n')
	}
	return b.String()
}
