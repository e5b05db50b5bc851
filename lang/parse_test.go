package lang_test

import (
	"strings"
	"testing"

	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/lang/ast"
)

func mustScript(t *testing.T, src string) *ast.File {
	t.Helper()
	f, err := lang.ParseScript("t.tremor", src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return f
}

func firstExpr(t *testing.T, src string) ast.Expr {
	t.Helper()
	return mustScript(t, src).Stmts[0].(*ast.ExprStmt).Expr
}

// shape prints an expression with every binary and unary operation parenthesised.
func shape(e ast.Expr) string {
	switch n := e.(type) {
	case *ast.Binary:
		return "(" + shape(n.L) + " " + n.Op + " " + shape(n.R) + ")"
	case *ast.Unary:
		return "(" + n.Op + " " + shape(n.X) + ")"
	case *ast.Present:
		if n.Absent {
			return "(absent " + n.Path.String() + ")"
		}
		return "(present " + n.Path.String() + ")"
	}
	return e.String()
}

func TestPrecedence(t *testing.T) {
	cases := map[string]string{
		"1 + 2 * 3":                        "(1 + (2 * 3))",
		"1 - 2 - 3":                        "((1 - 2) - 3)",
		"a or b and c":                     "(a or (b and c))",
		"a xor b or c":                     "((a xor b) or c)",
		"a and b ^ c & d":                  "(a and (b ^ (c & d)))",
		"a == b < c":                       "(a == (b < c))",
		"a < b < c":                        "((a < b) < c)",
		"1 << 2 + 3":                       "(1 << (2 + 3))",
		"a >>> 1 >> 2":                     "((a >>> 1) >> 2)",
		"--42":                             "(- (- 42))",
		"not a == b":                       "((not a) == b)",
		"- not x":                          "(- (not x))",
		"!present event.a":                 "(! (present event.a))",
		"absent x or present $m.k":         "((absent x) or (present $m.k))",
		"a % (b)":                          "(a % b)",
		"event.a.b + 1 > 3 and s == \"x\"": "(((event.a.b + 1) > 3) and (s == \"x\"))",
	}
	for src, want := range cases {
		got := shape(firstExpr(t, src))
		if got != want {
			t.Errorf("%s: got %s, want %s", src, got, want)
		}
	}
}

func TestPositions(t *testing.T) {
	src := "let a = 1;\nlet b = event.foo[\"é\"].bar + 2"
	f := mustScript(t, src)
	let := f.Stmts[1].(*ast.ExprStmt).Expr.(*ast.Let)
	bin := let.Value.(*ast.Binary)
	path := bin.L.(*ast.Path)
	if got := src[path.Pos.Offset:path.Pos.End]; got != "event.foo[\"é\"].bar" {
		t.Errorf("path span = %q", got)
	}
	if path.Pos.Line != 2 || path.Pos.Col != 9 {
		t.Errorf("path at %d:%d, want 2:9", path.Pos.Line, path.Pos.Col)
	}
	seg := path.Segments[2]
	if seg.Pos.Line != 2 || seg.Pos.Col != 23 {
		t.Errorf(".bar at %d:%d, want 2:23 (columns count characters)", seg.Pos.Line, seg.Pos.Col)
	}
	if got := src[let.Pos.Offset:let.Pos.End]; got != "let b = event.foo[\"é\"].bar + 2" {
		t.Errorf("let span = %q", got)
	}
}

func TestStringLiterals(t *testing.T) {
	s := firstExpr(t, `"a\n\"#{ 1 + 2 }\#{x}\u00e9"`).(*ast.String)
	if len(s.Parts) != 3 || s.Parts[0].Text != "a\n\"" || s.Parts[1].Interp == nil || s.Parts[2].Text != "#{x}é" {
		t.Errorf("parts = %#v", s.Parts)
	}
	h := firstExpr(t, "\"\"\"\n  ab\n c\"\"\"").(*ast.String)
	if !h.Heredoc || len(h.Parts) != 1 || h.Parts[0].Text != "  ab\n c" {
		t.Errorf("heredoc parts = %#v", h.Parts)
	}
}

func TestExtractorContinuation(t *testing.T) {
	m := firstExpr(t, "match event of case ~ re|\\\n   ab\\\n   cd| => 1 case _ => 0 end").(*ast.Match)
	ex := m.Clauses[0].Pattern.(*ast.ExtractPattern).Extractor
	if ex.Rule != "abcd" {
		t.Errorf("rule = %q, want abcd", ex.Rule)
	}
	m = firstExpr(t, `match event of case ~ re|a\|b\\d| => 1 case _ => 0 end`).(*ast.Match)
	if r := m.Clauses[0].Pattern.(*ast.ExtractPattern).Extractor.Rule; r != `a|b\d` {
		t.Errorf("rule = %q, want a|b\\d", r)
	}
}

func TestSeveralErrorsReported(t *testing.T) {
	src := `define window w from tumbling with size = 2 end;
select event from in[w] into;
select event from in into out;
define script s script let = 1 end;
create stream x y;
select event from in into out
`
	_, err := lang.ParseQuery("q.trickle", src)
	ds, ok := err.(lang.Diagnostics)
	if !ok || len(ds) != 3 {
		t.Fatalf("want 3 diagnostics, got %v", err)
	}
	for i, line := range []int{2, 4, 5} {
		if ds[i].Pos.Line != line {
			t.Errorf("diagnostic %d at line %d, want %d: %v", i, ds[i].Pos.Line, line, ds[i])
		}
	}
}

func TestRenderCaret(t *testing.T) {
	src := "select event\nfrom in[nope] into out;\n"
	d := &lang.Diagnostic{Pos: ast.Pos{File: "q.trickle", Line: 2, Col: 9, Offset: 21, End: 25}, Msg: "unknown window `nope`", Hint: "define it first"}
	want := "q.trickle:2:9: unknown window `nope`\n 2 | from in[nope] into out;\n   |         ^^^^\n   = hint: define it first\n"
	if got := d.Render(src); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestKindOf(t *testing.T) {
	for name, want := range map[string]lang.Kind{"a.tremor": lang.KindScript, "a.trickle": lang.KindQuery, "a.troy": lang.KindQuery, "A.TREMOR": lang.KindScript} {
		if got := lang.KindOf(name); got != want {
			t.Errorf("%s: got %v", name, got)
		}
	}
	if _, err := lang.Parse("x.tremor", "let a = 1; a"); err != nil {
		t.Error(err)
	}
	if _, err := lang.Parse("x.trickle", "let a = 1; a"); err == nil || !strings.Contains(err.Error(), "expected a statement") {
		t.Errorf("a script as a query: %v", err)
	}
}
