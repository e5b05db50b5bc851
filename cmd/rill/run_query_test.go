package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
)

// TestRunQueryPorts runs a query without --golden: out to stdout, err and other ports to stderr, a
// select-level error to stderr (exit 1) without stopping later events.
func TestRunQueryPorts(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"q.trickle": `define script s
script
  match event of
    case 0 => emit "zero" => "err"
    case _ => event
  end
end;
create script s;
select {"p": event.x} from in into out/p;
select event from in into s;
select {"ok": event} from s into out;
select event from s/err into err;
`,
	})
	out, errs, code := runCmd(t, "1\n0\n{\"x\":2}\n", "run", filepath.Join(dir, "q.trickle"))
	if code != 1 {
		t.Errorf("exit %d, want 1 (select error)", code)
	}
	// Line 1 and 2: the script branch (the later statement) runs first, then the select into
	// out/p fails on a non-record; the outputs made before the error are still written.
	if want := "{\"ok\":1}\n{\"ok\":{\"x\":2}}\n"; out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	for _, want := range []string{"\"zero\"\n", "port p: {\"p\":2}\n", "Conflicting types, got integer but expected record"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
}

// TestRunQueryGolden checks the --golden format: PORT<TAB>canonical JSON per output in emission
// order, and !error<TAB>"message" after the outputs an aborted event produced.
func TestRunQueryGolden(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "queries", "select_error_keeps_raw_order")
	out, errs, code := runCmd(t, "", "run", "--golden", filepath.Join(dir, "query.trickle"), filepath.Join(dir, "in"))
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	want := "out\t{\"x\":5}\nout\t{\"a\":{\"x\":5}}\nout\t{\"b\":{\"x\":5}}\n" +
		"out\t{\"b\":{\"y\":1}}\nout\t{\"a\":{\"y\":1}}\n!error\t\"Trying to access a non existing event key `x`\"\n" +
		"out\t{\"x\":6}\nout\t{\"a\":{\"x\":6}}\nout\t{\"b\":{\"x\":6}}\n"
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	dir = filepath.Join("..", "..", "testdata", "queries", "into_out_port")
	out, _, _ = runCmd(t, "", "run", "--golden", filepath.Join(dir, "query.trickle"), filepath.Join(dir, "in"))
	if want := "p\t{\"p\":1}\nout\t{\"o\":1}\nerr\t{\"e\":1}\n"; out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
}

// TestRunQueryOperatorFromModule: operators created from a module run (they used to be reported
// as not implemented).
func TestRunQueryOperatorFromModule(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"m.tremor":  "define operator c from generic::counter;\n",
		"o.trickle": "use m;\ncreate operator c from m::c;\nselect event from in into c;\nselect event from c into out;\n",
	})
	out, errs, code := runCmd(t, "1\n", "run", filepath.Join(dir, "o.trickle"))
	if code != 0 || out != "{\"count\":1,\"event\":1}\n" || errs != "" {
		t.Errorf("exit %d, stdout %q, stderr %s", code, out, errs)
	}
}

// TestRunGoldenQueriesMatchTestdata: `rill run --golden` over every testdata/queries case prints
// exactly that case's out values (in order, any port), with one !error line per aborted event
// when the case has an error.txt.
func TestRunGoldenQueriesMatchTestdata(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "queries", "*"))
	if len(dirs) == 0 {
		t.Fatal("no query cases")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			out, errs, code := runCmd(t, "", "run", "--golden", filepath.Join(dir, "query.trickle"), filepath.Join(dir, "in"))
			if code != 0 || errs != "" {
				t.Fatalf("exit %d, stderr:\n%s", code, errs)
			}
			want, err := os.ReadFile(filepath.Join(dir, "out"))
			if err != nil {
				t.Fatal(err)
			}
			var wantLines []string
			for _, line := range strings.Split(string(want), "\n") {
				if strings.TrimSpace(line) != "" {
					wantLines = append(wantLines, value.EncodeSorted(value.MustDecodeJSON(line)))
				}
			}
			_, hasErr := os.Stat(filepath.Join(dir, "error.txt"))
			var gotLines []string
			errLines := 0
			for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				port, v, ok := strings.Cut(line, "\t")
				if !ok {
					t.Fatalf("unexpected --golden line %q", line)
				}
				if port == "!error" {
					errLines++
					continue
				}
				gotLines = append(gotLines, v)
			}
			if (errLines > 0) != (hasErr == nil) {
				t.Errorf("%d !error lines, error.txt present: %v", errLines, hasErr == nil)
			}
			if strings.Join(gotLines, "\n") != strings.Join(wantLines, "\n") {
				t.Errorf("--golden prints\n%s\nwant (testdata out)\n%s", strings.Join(gotLines, "\n"), strings.Join(wantLines, "\n"))
			}
		})
	}
}
