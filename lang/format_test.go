package lang

import (
	"strings"
	"testing"

	"github.com/rillstream/rill/lang/ast"
)

// These tests build positioned trees by hand (the parser is tested elsewhere): src is the source the tree
// stands for, and positions are found by searching it.

type srcText string

// at returns the position of the n-th (0-based) occurrence of needle.
func (s srcText) at(needle string, n int) ast.Pos {
	off := -1
	for i := 0; i <= n; i++ {
		j := strings.Index(string(s)[off+1:], needle)
		if j < 0 {
			panic("not found: " + needle)
		}
		off += 1 + j
	}
	return s.pos(off, off+len(needle))
}

// spanOf returns the span from the n-th occurrence of from to the end of the first occurrence of to after it.
func (s srcText) spanOf(from string, n int, to string) ast.Pos {
	p := s.at(from, n)
	j := strings.Index(string(s)[p.Offset:], to)
	if j < 0 {
		panic("not found: " + to)
	}
	return s.pos(p.Offset, p.Offset+j+len(to))
}

func (s srcText) pos(off, end int) ast.Pos {
	line, col := 1, 1
	for _, r := range string(s)[:off] {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return ast.Pos{Line: line, Col: col, Offset: off, End: end}
}

// comments returns every `#` comment of s that is not a `#!config` (one per line, to the end of the line).
func (s srcText) comments() []*ast.Comment {
	var out []*ast.Comment
	off := 0
	for _, line := range strings.SplitAfter(string(s), "\n") {
		if i := strings.Index(line, "#"); i >= 0 && !strings.HasPrefix(line[i:], "#!config") && !strings.HasPrefix(line[i:], "##") {
			text := strings.TrimRight(line[i:], "\n")
			out = append(out, &ast.Comment{Pos: s.pos(off+i, off+i+len(text)), Text: text})
		}
		off += len(line)
	}
	return out
}

func ident(name string, p ast.Pos) *ast.Ident { return &ast.Ident{Pos: p, Name: name} }

func selectInto(p ast.Pos, into string) *ast.Select {
	return &ast.Select{Pos: p, Target: &ast.Path{Root: ast.RootEvent},
		From: &ast.StreamRef{Name: ident("in", ast.Pos{})}, Into: &ast.StreamRef{Name: ident(into, ast.Pos{})}}
}

func checkFormat(t *testing.T, name string, f *ast.File, src srcText, want string) {
	t.Helper()
	if got := Format(f); got != want {
		t.Errorf("%s: Format:\ngot:\n%s\nwant:\n%s", name, got, want)
	}
	if got := FormatSource(f, []byte(src)); got != want {
		t.Errorf("%s: FormatSource:\ngot:\n%s\nwant:\n%s", name, got, want)
	}
	checkNoCommentLost(t, name, f, Format(f))
	checkNoCommentLost(t, name, f, FormatSource(f, []byte(src)))
}

// checkNoCommentLost checks that every comment of f appears in out, in source order.
func checkNoCommentLost(t *testing.T, name string, f *ast.File, out string) {
	t.Helper()
	rest := out
	for _, c := range f.Comments {
		i := strings.Index(rest, strings.TrimSpace(c.Text))
		if i < 0 {
			t.Errorf("%s: comment %q lost or out of order in:\n%s", name, c.Text, out)
			return
		}
		rest = rest[i+len(strings.TrimSpace(c.Text)):]
	}
}

func TestFormatTopLevelComments(t *testing.T) {
	src := srcText(`# header comment

select event from in into out; # trailing one
# before second
select event from in into out2;
select event from in into out3;


# at the end
`)
	f := &ast.File{
		Stmts: []ast.Stmt{
			selectInto(src.spanOf("select", 0, "into out"), "out"),
			selectInto(src.spanOf("select", 1, "into out2"), "out2"),
			selectInto(src.spanOf("select", 2, "into out3"), "out3"),
		},
		Comments: src.comments(),
	}
	want := `# header comment

select event from in into out; # trailing one
# before second
select event from in into out2;
select event from in into out3;

# at the end
`
	checkFormat(t, "top level", f, src, want)
}

func TestFormatScriptBodyComments(t *testing.T) {
	src := srcText(`define script s # c1 on the header
script
  # c2 before let
  let x = {
    "a": 1 # c3 inside a record
  };

  x # c4 trailing
  # c5 closing
end; # c6

select event from in into out;
`)
	rec := &ast.Record{Pos: src.spanOf("{", 0, "}"), Fields: []*ast.Field{{
		Pos: src.spanOf(`"a"`, 0, "1"), Key: &ast.String{Pos: src.at(`"a"`, 0), Parts: []ast.StrPart{{Text: "a"}}},
		Value: &ast.Literal{Pos: src.at("1", 1), Kind: ast.IntLit, Int: 1, Text: "1"}}}}
	let := &ast.ExprStmt{Pos: src.spanOf("let", 0, "}"), Expr: &ast.Let{Pos: src.spanOf("let", 0, "}"),
		Target: &ast.Path{Pos: src.at("x", 0), Root: ast.RootLocal, Name: ident("x", src.at("x", 0))}, Value: rec}}
	xPos := src.at("x # c4", 0)
	xPos.End = xPos.Offset + 1
	x := &ast.ExprStmt{Pos: xPos, Expr: &ast.Path{Pos: xPos, Root: ast.RootLocal, Name: ident("x", xPos)}}
	ds := &ast.DefineScript{Pos: src.spanOf("define", 0, "end"), Name: ident("s", src.at("s", 0)),
		Script: &ast.Script{Pos: src.pos(let.Pos.Offset, xPos.End), Items: []ast.Stmt{let, x}}}
	f := &ast.File{
		Stmts:    []ast.Stmt{ds, selectInto(src.spanOf("select", 0, "into out"), "out")},
		Comments: src.comments(),
	}
	want := `define script s
script
  # c1 on the header
  # c2 before let
  let x = {
    "a": 1 # c3 inside a record
  };

  x # c4 trailing
  # c5 closing
end; # c6

select event from in into out;
`
	checkFormat(t, "script body", f, src, want)
}

func TestFormatPipelineAndFn(t *testing.T) {
	src := srcText(`#!config id = "x"
# about the pipeline
define pipeline p
pipeline
  #!config metrics_interval_s = 10
  # first select
  select event from in into out; # one

  # second
  select event from in into out2;
end;
define script s
script
  fn f(a) with
    # inside fn
    a # the a
  end;
  f(1)
end;
`)
	cfg := &ast.Config{Pos: src.spanOf("#!config id", 0, `"x"`), Key: ident("id", ast.Pos{}),
		Value: &ast.String{Parts: []ast.StrPart{{Text: "x"}}}}
	pcfg := &ast.Config{Pos: src.spanOf("#!config metrics", 0, "10"), Key: ident("metrics_interval_s", ast.Pos{}),
		Value: &ast.Literal{Kind: ast.IntLit, Int: 10}}
	pipe := &ast.DefinePipeline{Pos: src.spanOf("define pipeline", 0, "end"), Name: ident("p", ast.Pos{}),
		Config: []*ast.Config{pcfg},
		Body: []ast.Stmt{
			selectInto(src.spanOf("select event", 0, "into out"), "out"),
			selectInto(src.spanOf("select event", 1, "into out2"), "out2"),
		}}
	aBody := &ast.Path{Pos: src.at("a #", 0), Root: ast.RootLocal, Name: ident("a", ast.Pos{})}
	aBody.Pos.End = aBody.Pos.Offset + 1
	fn := &ast.FnDef{Pos: src.spanOf("fn f", 0, "end"), Name: ident("f", ast.Pos{}), Params: []*ast.Ident{ident("a", ast.Pos{})},
		Body: []ast.Expr{aBody}}
	callPos := src.spanOf("f(1)", 0, ")")
	// the define script ends at its own `end`, the last one of the source
	dsPos := src.pos(src.at("define script", 0).Offset, strings.LastIndex(string(src), "end")+3)
	ds := &ast.DefineScript{Pos: dsPos, Name: ident("s", ast.Pos{}),
		Script: &ast.Script{Items: []ast.Stmt{fn, &ast.ExprStmt{Pos: callPos, Expr: &ast.Call{Pos: callPos, Name: ident("f", ast.Pos{}),
			Args: []ast.Expr{&ast.Literal{Kind: ast.IntLit, Int: 1}}}}}}}
	f := &ast.File{Config: []*ast.Config{cfg}, Stmts: []ast.Stmt{pipe, ds}, Comments: src.comments()}
	want := `#!config id = "x"
# about the pipeline
define pipeline p
pipeline
  #!config metrics_interval_s = 10
  # first select
  select event from in into out; # one

  # second
  select event from in into out2;
end;
define script s
script
  fn f(a) with
    # inside fn
    a # the a
  end;
  f(1)
end;
`
	checkFormat(t, "pipeline and fn", f, src, want)
}

func TestFormatNoCommentLost(t *testing.T) {
	src := srcText(`select event from in into out;
`)
	f := &ast.File{
		Stmts: []ast.Stmt{selectInto(src.spanOf("select", 0, "into out"), "out")},
		Comments: []*ast.Comment{
			{Text: "# no position"},
			{Pos: ast.Pos{Line: 99, Col: 1, Offset: 500}, Text: "# far away   "},
		},
	}
	got := Format(f)
	want := "# no position\nselect event from in into out;\n\n# far away\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	checkNoCommentLost(t, "positions", f, got)

	// A file without statements keeps its comments.
	empty := &ast.File{Comments: []*ast.Comment{{Pos: ast.Pos{Line: 1, Col: 1}, Text: "# a"}, {Pos: ast.Pos{Line: 2, Col: 1, Offset: 4}, Text: "# b"}}}
	if got := Format(empty); got != "# a\n# b\n" {
		t.Errorf("empty file: %q", got)
	}
	if got := Format(&ast.File{}); got != "\n" {
		t.Errorf("nothing: %q", got)
	}
}

func TestFormatModDocAndEndsWithOneNewline(t *testing.T) {
	f := &ast.File{ModDoc: []string{" module"}, Stmts: []ast.Stmt{
		&ast.ExprStmt{Pos: ast.Pos{Line: 2, Col: 1, Offset: 10, End: 15}, Expr: &ast.Path{Root: ast.RootEvent}}}}
	if got := Format(f); got != "### module\nevent\n" {
		t.Errorf("got %q", got)
	}
}

func TestFormatMatchComments(t *testing.T) {
	src := srcText(`match event of # after of
  case 1 => "one" # one

  # before two
  case _ =>
    let x = 2; # x
    x
end
`)
	one := &ast.String{Pos: src.at(`"one"`, 0), Parts: []ast.StrPart{{Text: "one"}}}
	c1 := &ast.Clause{Pos: src.spanOf("case 1", 0, `"one"`),
		Pattern: &ast.ExprPattern{Pos: src.at("1", 0), Expr: &ast.Literal{Pos: src.at("1", 0), Kind: ast.IntLit, Int: 1, Text: "1"}},
		Body:    []ast.Expr{one}}
	letPos := src.spanOf("let x", 0, "2")
	xPos := src.at("x\nend", 0)
	xPos.End = xPos.Offset + 1
	c2 := &ast.Clause{Pos: src.pos(src.at("case _", 0).Offset, xPos.End), Pattern: &ast.DefaultPattern{Pos: src.at("_", 0)},
		Body: []ast.Expr{
			&ast.Let{Pos: letPos, Target: &ast.Path{Pos: src.at("x", 0), Root: ast.RootLocal, Name: ident("x", ast.Pos{})},
				Value: &ast.Literal{Pos: src.at("2", 0), Kind: ast.IntLit, Int: 2, Text: "2"}},
			&ast.Path{Pos: xPos, Root: ast.RootLocal, Name: ident("x", xPos)},
		}}
	m := &ast.Match{Pos: src.spanOf("match", 0, "end"), Target: &ast.Path{Pos: src.at("event", 0), Root: ast.RootEvent}, Clauses: []*ast.Clause{c1, c2}}
	f := &ast.File{Stmts: []ast.Stmt{&ast.ExprStmt{Pos: m.Pos, Expr: m}}, Comments: src.comments()}
	want := `match event of
  # after of
  case 1 => "one" # one

  # before two
  case _ =>
    let x = 2; # x
    x
end
`
	checkFormat(t, "match", f, src, want)
}
