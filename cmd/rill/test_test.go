package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyCase copies a golden case folder of testdata into dst/name.
func copyCase(t *testing.T, src, dst string) string {
	t.Helper()
	to := filepath.Join(dst, filepath.Base(src))
	if err := os.CopyFS(to, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return to
}

func TestTestCommandRepo(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"test", "../../testdata/queries", "../../testdata/scripts"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.HasSuffix(stdout.String(), " passed, 0 failed\n") || strings.Contains(stdout.String(), "FAIL") {
		t.Errorf("stdout:\n%s", stdout.String())
	}
}

func TestTestCommandFailAndUpdate(t *testing.T) {
	tmp := t.TempDir()
	q := copyCase(t, "../../testdata/queries/where_filters", tmp)
	e := copyCase(t, "../../testdata/queries/having_not_bool_aborts", tmp)
	s := copyCase(t, "../../testdata/scripts/arith_event_numbers", tmp)
	os.WriteFile(filepath.Join(q, "out"), []byte("{\"x\":2}\n\n{\"x\":999}\n"), 0o644)
	os.WriteFile(filepath.Join(e, "error.txt"), []byte("nope\n"), 0o644)

	var stdout, stderr bytes.Buffer
	code := run([]string{"test", tmp}, &stdout, &stderr)
	out := stdout.String()
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, stderr.String())
	}
	for _, want := range []string{
		"FAIL " + q + "\n",
		"    -3: {\"x\":999}\n", // the line number in out, blank lines counted
		"    +2: {\"x\":3}\n",
		"FAIL " + e + "\n",
		"    -1: nope\n",
		"Conflicting types",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if !strings.HasSuffix(out, "\n1 passed, 2 failed\n") {
		t.Errorf("last line:\n%s", out)
	}
	if strings.Contains(out, s) {
		t.Errorf("passing case printed without -v:\n%s", out)
	}

	stdout.Reset()
	if code := run([]string{"test", "-update", tmp}, &stdout, &stderr); code != 0 {
		t.Fatalf("-update: exit %d\n%s", code, stdout.String())
	}
	if got, _ := os.ReadFile(filepath.Join(q, "out")); string(got) != "{\"x\":2}\n{\"x\":3}\n" {
		t.Errorf("updated out = %q", got)
	}
	want, _ := os.ReadFile("../../testdata/queries/having_not_bool_aborts/error.txt")
	if got, _ := os.ReadFile(filepath.Join(e, "error.txt")); strings.TrimSpace(string(got)) != strings.TrimSpace(string(want)) {
		t.Errorf("updated error.txt = %q, want %q", got, want)
	}
	stdout.Reset()
	if code := run([]string{"test", "-v", q, s}, &stdout, &stderr); code != 0 || stdout.String() != "ok "+q+"\nok "+s+"\n2 passed, 0 failed\n" {
		t.Errorf("after -update: exit %d\n%s", code, stdout.String())
	}
}

func TestTestCommandUsage(t *testing.T) {
	tmp := t.TempDir()
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"test"}, 2, "no directories given"},
		{[]string{"test", filepath.Join(tmp, "nope")}, 2, "nope"},
		{[]string{"test", tmp}, 2, "no golden case"},
		{[]string{"test", "-bogus", tmp}, 2, "flag provided but not defined"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(c.args, &stdout, &stderr); code != c.code || !strings.Contains(stderr.String(), c.err) {
			t.Errorf("rill %v: exit %d, stderr %q; want %d, ~%q", c.args, code, stderr.String(), c.code, c.err)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"help", "test"}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "rill test -update") {
		t.Errorf("help test: exit %d\n%s", code, stdout.String())
	}
}
