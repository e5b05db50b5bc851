package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the expected error.txt files of testdata/errors")

// programFile returns the program of a golden folder: query.trickle, script.tremor or flow.troy.
func programFile(t *testing.T, dir string) string {
	t.Helper()
	for _, name := range []string{"query.trickle", "script.tremor", "flow.troy"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return name
		}
	}
	t.Fatalf("%s: no query.trickle, script.tremor or flow.troy", dir)
	return ""
}

// TestGoldenErrors runs `rill check` on every testdata/errors/<case> program and compares its
// diagnostics, byte for byte, with error.txt. Run with -update to rewrite error.txt.
func TestGoldenErrors(t *testing.T) {
	dirs, err := filepath.Glob("../../testdata/errors/*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		n++
		t.Run(filepath.Base(dir), func(t *testing.T) {
			file := programFile(t, dir)
			t.Chdir(dir)
			var stdout, stderr bytes.Buffer
			code := run([]string{"check", file}, &stdout, &stderr)
			if code != 1 {
				t.Errorf("exit code %d, want 1; stderr:\n%s", code, stderr.String())
			}
			if stdout.Len() != 0 {
				t.Errorf("unexpected stdout:\n%s", stdout.String())
			}
			got := stderr.String()
			if *update {
				if err := os.WriteFile("error.txt", []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile("error.txt")
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("diagnostics differ\n--- got:\n%s--- want:\n%s", got, want)
			}
		})
	}
	if n == 0 {
		t.Fatal("no error cases found")
	}
}

// TestValidProgramsCheck runs `rill check` over every program of the parser corpus and the examples:
// each must check cleanly, printing nothing.
func TestValidProgramsCheck(t *testing.T) {
	var files []string
	for _, pattern := range []string{"../../testdata/parse/*.*", "../../testdata/examples/*.*"} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	n := 0
	for _, f := range files {
		switch filepath.Ext(f) {
		case ".trickle", ".tremor", ".troy":
		default:
			continue
		}
		n++
		var stdout, stderr bytes.Buffer
		code := run([]string{"check", "--path", "../../testdata/parse/modules", f}, &stdout, &stderr)
		if code != 0 || stdout.Len() != 0 || stderr.Len() != 0 {
			t.Errorf("rill check %s: exit %d\n%s%s", f, code, stdout.String(), stderr.String())
		}
	}
	if n == 0 {
		t.Fatal("no programs found")
	}
}

// TestUsage checks exit codes and help output of the CLI.
func TestUsage(t *testing.T) {
	cases := []struct {
		args []string
		code int
		out  string // substring of stdout
		err  string // substring of stderr
	}{
		{nil, 2, "", "Usage: rill"},
		{[]string{"nope"}, 2, "", `unknown command "nope"`},
		{[]string{"help"}, 0, "Commands:", ""},
		{[]string{"help", "check"}, 0, "Usage: rill check", ""},
		{[]string{"version"}, 0, "rill ", ""},
		{[]string{"check"}, 2, "", "no files given"},
		{[]string{"check", "--bogus", "x"}, 2, "", "flag provided but not defined"},
		{[]string{"check", "does-not-exist.trickle"}, 1, "", "does-not-exist.trickle"},
		{[]string{"fmt"}, 2, "", "no files given"},
		{[]string{"doc"}, 0, "aggr::stats:", ""},
		{[]string{"doc", "string::split"}, 0, "needs `use std::string;`", ""},
		{[]string{"doc", "stats"}, 0, "aggr::stats::hdr(number, percentiles?)", ""},
		{[]string{"doc", "extractors"}, 0, "dissect", ""},
		{[]string{"doc", "source_id"}, 0, "always available", ""},
		{[]string{"doc", "string::nope"}, 1, "", "no module or function"},
		{[]string{"doc", "a", "b"}, 2, "", "at most one"},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		code := run(c.args, &stdout, &stderr)
		if code != c.code || !strings.Contains(stdout.String(), c.out) || !strings.Contains(stderr.String(), c.err) {
			t.Errorf("rill %v: exit %d, stdout %q, stderr %q; want exit %d, stdout ~%q, stderr ~%q",
				c.args, code, stdout.String(), stderr.String(), c.code, c.out, c.err)
		}
	}
}
