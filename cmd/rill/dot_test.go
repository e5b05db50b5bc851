package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// checkDOTStructure checks what a DOT parser would: a digraph header, balanced braces and
// quotes, and one statement per line ending in ';'.
func checkDOTStructure(t *testing.T, dot string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(dot, "\n"), "\n")
	if !strings.HasPrefix(lines[0], "digraph ") || !strings.HasSuffix(lines[0], " {") {
		t.Errorf("header %q", lines[0])
	}
	if lines[len(lines)-1] != "}" {
		t.Errorf("last line %q", lines[len(lines)-1])
	}
	depth := 0
	inStr := false
	for i := 0; i < len(dot); i++ {
		switch c := dot[i]; {
		case inStr && c == '\\':
			i++
		case c == '"':
			inStr = !inStr
		case !inStr && c == '{':
			depth++
		case !inStr && c == '}':
			if depth--; depth < 0 {
				t.Fatalf("unbalanced braces:\n%s", dot)
			}
		}
	}
	if depth != 0 || inStr {
		t.Errorf("unbalanced braces or quotes:\n%s", dot)
	}
	for _, l := range lines[1 : len(lines)-1] {
		if !strings.HasSuffix(l, ";") {
			t.Errorf("statement without ';': %q", l)
		}
	}
}

func TestDot(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "q.trickle")
	src := `define script s script
  match event of
    case %{ big == true } => emit event => "big"
    case _ => event
  end
end;
define pipeline p pipeline
  select event from in into out;
end;
create script s;
create stream dead;
create pipeline sub from p;
select event from in into s;
select event from s into out;
select event from s/big into sub;
select event from sub into out/big;
select event from dead into out;
`
	if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"dot", name}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	dot := stdout.String()
	checkDOTStructure(t, dot)
	for _, want := range []string{
		`"in" [shape=invhouse`,
		`"out" [shape=house`,
		`"err" [shape=house`,
		`"out/big" [shape=house`,
		`"s" [shape=component`,
		`"sub::in" [shape=ellipse`,
		`"sub::select_0" [shape=box`,
		`"dead" [shape=ellipse, style=dashed`, // pruned: no select feeds it
		`"select_0" [shape=box`,
		`"in" -> "select_0";`,
		`"select_0" -> "s";`,
		`"s" -> "select_1";`,
		`"s" -> "select_2" [label="big -> in"];`,
		`"select_2" -> "sub::in";`,
		`"sub::in" -> "sub::select_0";`,
		`"sub::select_0" -> "sub::out";`,
		`"sub::out" -> "select_3";`,
		`"select_3" -> "out/big";`,
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %q:\n%s", want, dot)
		}
	}
	if strings.Contains(dot, `"dead" ->`) {
		t.Errorf("edge of a pruned node:\n%s", dot)
	}
}

func TestDotErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.trickle")
	os.WriteFile(bad, []byte("select event from nowhere into out;\n"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"dot"}, 2, "expected one query or deployment file"},
		{[]string{"dot", "a.trickle", "b.trickle"}, 2, "expected one query or deployment file"},
		{[]string{"dot", "x.tremor"}, 2, "a script has no graph"},
		{[]string{"dot", bad}, 1, "nowhere"},
		{[]string{"dot", filepath.Join(dir, "missing.trickle")}, 1, "missing.trickle"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(c.args, &stdout, &stderr); code != c.code || !strings.Contains(stderr.String(), c.err) {
			t.Errorf("rill %v: exit %d, stderr %q; want %d, ~%q", c.args, code, stderr.String(), c.code, c.err)
		}
	}
}

func TestDotSVG(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"dot", "--svg", "../../testdata/queries/passthrough/query.trickle"}, &stdout, &stderr)
	if _, err := exec.LookPath("dot"); err != nil {
		if code != 1 || !strings.Contains(stderr.String(), "not installed") {
			t.Errorf("without graphviz: exit %d, stderr %q", code, stderr.String())
		}
		return
	}
	if code != 0 || !strings.Contains(stdout.String(), "<svg") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// TestDotRendersWithGraphviz: every golden query's graph is accepted by Graphviz itself (when it
// is installed: .ci/run installs it).
func TestDotRendersWithGraphviz(t *testing.T) {
	if _, err := exec.LookPath("dot"); err != nil {
		t.Log("graphviz is not installed; only the DOT structure is checked (TestDot)")
		return
	}
	files, _ := filepath.Glob("../../testdata/queries/*/query.trickle")
	flows, _ := filepath.Glob("../../testdata/examples/*.troy")
	for _, f := range append(files, flows...) {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"dot", f}, &stdout, &stderr); code != 0 {
			continue // queries that do not compile are covered elsewhere
		}
		cmd := exec.Command("dot", "-Tsvg")
		cmd.Stdin = &stdout
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: graphviz rejects the DOT: %v\n%s", f, err, out)
		}
	}
}

// TestDotFlows: a deployment draws as one cluster per flow with its peers (and their types),
// pipelines and connects.
func TestDotFlows(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"dot", "../../testdata/examples/http_echo.troy"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{
		`subgraph "cluster_0" {`, `label="flow echo";`,
		`"echo/peer/api" [label="api\n(http_server)"`, `"echo/pipeline/upper" [label="upper", shape=box3d];`,
		`"echo/peer/api" -> "echo/pipeline/upper";`, `"echo/pipeline/upper" -> "echo/peer/api";`,
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("DOT lacks %s:\n%s", want, stdout.String())
		}
	}
}
