package ast

import (
	"math"
	"strings"
	"testing"
)

// Small constructors for hand-built trees.

func id(name string) *Ident { return &Ident{Name: name} }

func num(n uint64) *Literal { return &Literal{Kind: IntLit, Int: n} }

func flt(f float64) *Literal { return &Literal{Kind: FloatLit, Float: f} }

func str(s string) *String { return &String{Parts: []StrPart{{Text: s}}} }

func null() *Literal { return &Literal{Kind: NullLit} }

func boolean(b bool) *Literal { return &Literal{Kind: BoolLit, Bool: b} }

func fields(names ...string) []*Segment {
	var segs []*Segment
	for _, n := range names {
		segs = append(segs, &Segment{Kind: SegField, Name: id(n)})
	}
	return segs
}

func ev(names ...string) *Path { return &Path{Root: RootEvent, Segments: fields(names...)} }

func loc(name string, names ...string) *Path {
	return &Path{Root: RootLocal, Name: id(name), Segments: fields(names...)}
}

func bin(op string, l, r Expr) *Binary { return &Binary{Op: op, L: l, R: r} }

func un(op string, x Expr) *Unary { return &Unary{Op: op, X: x} }

func rec(kv ...any) *Record {
	r := &Record{}
	for i := 0; i < len(kv); i += 2 {
		r.Fields = append(r.Fields, &Field{Key: str(kv[i].(string)), Value: kv[i+1].(Expr)})
	}
	return r
}

func list(items ...Expr) *List { return &List{Items: items} }

func call(mod string, name string, args ...Expr) *Call {
	c := &Call{Name: id(name), Args: args}
	if mod != "" {
		c.Module = ModPath(strings.Split(mod, "::"))
	}
	return c
}

func stmts(es ...Expr) []Stmt {
	var out []Stmt
	for _, e := range es {
		out = append(out, &ExprStmt{Expr: e})
	}
	return out
}

func script(es ...Expr) *Script { return &Script{Items: stmts(es...)} }

func sref(name, port string) *StreamRef {
	s := &StreamRef{Name: id(name)}
	if port != "" {
		s.Port = id(port)
	}
	return s
}

type printCase struct {
	name string
	node Node
	want string
}

func runPrintCases(t *testing.T, cases []printCase) {
	t.Helper()
	for _, c := range cases {
		got := c.node.String()
		if got != c.want {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", c.name, got, c.want)
		}
	}
}

func TestPrintIdents(t *testing.T) {
	runPrintCases(t, []printCase{
		{"plain", id("abc_1"), "abc_1"},
		{"keyword", id("end"), "`end`"},
		{"underscore", id("_a"), "`_a`"},
		{"space", id("a b"), "`a b`"},
		{"digit start", id("20ns"), "`20ns`"},
		{"unicode", id("héllo"), "héllo"},
		{"peer is not a keyword", id("peer"), "peer"},
		{"keyword segment", &Path{Root: RootEvent, Segments: fields("event", "a")}, "event.`event`.a"},
		{"keyword local", loc("window"), "`window`"},
	})
}

func TestPrintPrecedence(t *testing.T) {
	a, b, c := loc("a"), loc("b"), loc("c")
	m := &Match{Imut: true, Target: a, Clauses: []*Clause{{Pattern: &DefaultPattern{}, Body: []Expr{num(1)}}}}
	runPrintCases(t, []printCase{
		{"left assoc", bin("-", bin("-", a, b), c), "a - b - c"},
		{"right same level", bin("-", a, bin("-", b, c)), "a - (b - c)"},
		{"right same level +", bin("+", a, bin("-", b, c)), "a + (b - c)"},
		{"lower in higher", bin("*", bin("+", a, b), c), "(a + b) * c"},
		{"higher in lower", bin("+", a, bin("*", b, c)), "a + b * c"},
		{"and or", bin("or", bin("and", a, b), c), "a and b or c"},
		{"or in and", bin("and", bin("or", a, b), c), "(a or b) and c"},
		{"xor", bin("xor", bin("or", a, b), c), "(a or b) xor c"},
		{"bitwise", bin("^", bin("&", a, b), bin("==", a, c)), "a & b ^ a == c"},
		{"compare in bitand", bin("==", bin("&", a, b), c), "(a & b) == c"},
		{"compare chain", bin("<", bin("<", a, b), c), "a < b < c"},
		{"shift", bin(">>>", bin("+", a, b), num(2)), "a + b >>> 2"},
		{"not binds tighter", bin("==", un("not", a), b), "not a == b"},
		{"not of compare", un("not", bin("==", a, b)), "not (a == b)"},
		{"minus of not", un("-", un("not", a)), "-not a"},
		{"not of minus", un("not", un("-", a)), "not (-a)"},
		{"bang of minus", un("!", un("-", num(1))), "!(-1)"},
		{"double minus", un("-", un("-", num(42))), "--42"},
		{"minus of sum", un("-", bin("+", a, b)), "-(a + b)"},
		{"minus in product", bin("*", a, un("-", b)), "a * -b"},
		{"present", bin("and", &Present{Path: ev("a")}, &Present{Absent: true, Path: loc("x", "y")}),
			"present event.a and absent x.y"},
		{"not present", un("not", &Present{Path: ev("a")}), "not present event.a"},
		{"match operand", bin("+", m, num(1)), "(match a of\n  case _ => 1\nend) + 1"},
		{"mod with paren", bin("%", a, bin("+", b, c)), "a % (b + c)"},
		{"words", bin("and", bin("or", a, b), bin("xor", b, c)), "(a or b) and (b xor c)"},
	})
}

func TestPrintLiterals(t *testing.T) {
	runPrintCases(t, []printCase{
		{"null", null(), "null"},
		{"true", boolean(true), "true"},
		{"false", boolean(false), "false"},
		{"int", num(42), "42"},
		{"int text", &Literal{Kind: IntLit, Int: 255, Text: "0xff"}, "0xff"},
		{"float", flt(1), "1.0"},
		{"float frac", flt(1.5), "1.5"},
		{"float text", &Literal{Kind: FloatLit, Float: 1.5, Text: "1.50"}, "1.50"},
		{"float big", flt(1e300), "1.0e300"},
		{"float big frac", flt(1.5e300), "1.5e300"},
		{"float small", flt(1.5e-7), "1.5e-7"},
		{"float zero", flt(0), "0.0"},
		{"float neg", flt(-2.5), "-2.5"},
		{"float large int", flt(123456789), "123456789.0"},
		{"extractor", &ExtractPattern{Extractor: &Extractor{Kind: id("re"), Raw: `(?P<a>\\d+)`}}, `~ re|(?P<a>\\d+)|`},
		{"extractor from rule", &Extractor{Kind: id("glob"), Rule: `a|b\c`}, `glob|a\|b\\c|`},
		{"bytes empty", &Bytes{}, "<<>>"},
		{"bytes", &Bytes{Parts: []*BytesPart{
			{Value: num(1)},
			{Value: num(2), Bits: num(4)},
			{Value: str("ab"), Type: []string{"binary"}},
			{Value: loc("x"), Bits: num(16), Type: []string{"little", "signed", "integer"}},
			{Value: bin("+", loc("a"), num(1)), Bits: num(8)},
		}}, `<<1, 2:4, "ab"/binary, x:16/little_signed_integer, (a + 1):8>>`},
	})
	if got := FormatFloat(math.Inf(1)); got != "(1.0 / 0.0)" {
		t.Errorf("inf: %s", got)
	}
	for _, f := range []float64{1, 0.1, 1e20, 1e21, 1e-6, 1e-7, 123.456, 5e-324, math.MaxFloat64} {
		s := FormatFloat(f)
		if !strings.Contains(s, ".") || strings.Contains(s, "+") || strings.Contains(s, "E") {
			t.Errorf("FormatFloat(%g) = %s", f, s)
		}
		if i := strings.Index(s, "e"); i >= 0 && !strings.Contains(s[:i], ".") {
			t.Errorf("FormatFloat(%g) = %s: exponent without fraction", f, s)
		}
	}
}

func TestPrintStrings(t *testing.T) {
	interp := &String{Parts: []StrPart{{Text: "a "}, {Interp: ev("x")}, {Text: " b"}}}
	runPrintCases(t, []printCase{
		{"empty", &String{}, `""`},
		{"escapes", str("q\"b\\s\n\r\t\b\f\x01\x7f"), `"q\"b\\s\n\r\t\b\f\u0001\u007f"`},
		{"hash brace", str("#{x} # {y} #"), `"\#{x} # {y} #"`},
		{"hash at part end", &String{Parts: []StrPart{{Text: "a#"}, {Text: "{b"}}}, `"a\#{b"`},
		{"hash before interp", &String{Parts: []StrPart{{Text: "#"}, {Interp: loc("x")}}}, `"##{x}"`},
		{"interp", interp, `"a #{event.x} b"`},
		{"interp nested", &String{Parts: []StrPart{{Interp: call("string", "format", str("#{1}"))}}},
			`"#{string::format("\#{1}")}"`},
		{"interp match", &String{Parts: []StrPart{{Interp: &Match{Imut: true, Target: loc("x"),
			Clauses: []*Clause{{Pattern: &DefaultPattern{}, Body: []Expr{num(1)}}}}}}},
			"\"#{(match x of\n  case _ => 1\nend)}\""},
		{"interp record stays flat", &String{Parts: []StrPart{{Interp: rec(
			"aaaaaaaaaaaaaaaaaaaa", num(1), "bbbbbbbbbbbbbbbbbbbbbbbbb", num(2), "cccccccccccccccccccccccc", num(3))}}},
			`"#{{"aaaaaaaaaaaaaaaaaaaa": 1, "bbbbbbbbbbbbbbbbbbbbbbbbb": 2, "cccccccccccccccccccccccc": 3}}"`},
		{"unicode", str("héllo ✓"), `"héllo ✓"`},
		{"heredoc", &String{Heredoc: true, Parts: []StrPart{{Text: "  line \"1\"\n\\ #{no}\n"}, {Interp: loc("x")}, {Text: "\n"}}},
			"\"\"\"\n  line \"1\"\n\\\\ \\#{no}\n#{x}\n\"\"\""},
		{"heredoc quotes", &String{Heredoc: true, Parts: []StrPart{{Text: `a"""b""c"`}}},
			"\"\"\"\n" + `a""\"b""c\"` + "\"\"\""},
		{"heredoc quote runs", &String{Heredoc: true, Parts: []StrPart{{Text: `""""""" ""`}}},
			"\"\"\"\n" + `""\"""\"" "\"` + "\"\"\""},
		{"heredoc in record breaks", rec("k", &String{Heredoc: true, Parts: []StrPart{{Text: "x\ny"}}}),
			"{\n  \"k\": \"\"\"\nx\ny\"\"\"\n}"},
	})
}

func TestPrintCollections(t *testing.T) {
	long := rec("aaaaaaaaaaaaaaaaaaaa", num(1), "bbbbbbbbbbbbbbbbbbbbbbbbb", num(2), "cccccccccccccccccccccccccc", num(3))
	runPrintCases(t, []printCase{
		{"empty record", &Record{}, "{}"},
		{"empty list", &List{}, "[]"},
		{"record", rec("a", num(1), "b", str("x")), `{"a": 1, "b": "x"}`},
		{"list", list(num(1), num(2), list()), "[1, 2, []]"},
		{"long record", long,
			"{\n  \"aaaaaaaaaaaaaaaaaaaa\": 1,\n  \"bbbbbbbbbbbbbbbbbbbbbbbbb\": 2,\n  \"cccccccccccccccccccccccccc\": 3\n}"},
		{"nested long", list(long, num(1)),
			"[\n  {\n    \"aaaaaaaaaaaaaaaaaaaa\": 1,\n    \"bbbbbbbbbbbbbbbbbbbbbbbbb\": 2,\n    \"cccccccccccccccccccccccccc\": 3\n  },\n  1\n]"},
		{"record with match", rec("a", &Match{Imut: true, Target: loc("x"), Clauses: []*Clause{
			{Pattern: &ExprPattern{Expr: num(1)}, Body: []Expr{str("one")}},
			{Pattern: &DefaultPattern{}, Body: []Expr{null()}}}}),
			"{\n  \"a\": match x of\n    case 1 => \"one\"\n    case _ => null\n  end\n}"},
		{"interp key", &Record{Fields: []*Field{{Key: &String{Parts: []StrPart{{Interp: loc("k")}, {Text: "_x"}}}, Value: num(1)}}},
			`{"#{k}_x": 1}`},
	})
}

func TestPrintPaths(t *testing.T) {
	runPrintCases(t, []printCase{
		{"event", ev(), "event"},
		{"event fields", ev("a", "b"), "event.a.b"},
		{"meta", &Path{Root: RootMeta}, "$"},
		{"meta name", &Path{Root: RootMeta, Name: id("kafka"), Segments: fields("key")}, "$kafka.key"},
		{"meta keyword", &Path{Root: RootMeta, Name: id("end")}, "$`end`"},
		{"state", &Path{Root: RootState, Segments: []*Segment{{Kind: SegIndex, Index: str("k")}}}, `state["k"]`},
		{"args", &Path{Root: RootArgs, Segments: fields("n")}, "args.n"},
		{"group", &Path{Root: RootGroup, Segments: []*Segment{{Kind: SegIndex, Index: num(0)}}}, "group[0]"},
		{"window", &Path{Root: RootWindow}, "window"},
		{"const", &Path{Root: RootConst, Module: ModPath{"m", "n"}, Name: id("TABLE"),
			Segments: []*Segment{{Kind: SegIndex, Index: ev()}}}, "m::n::TABLE[event]"},
		{"range", &Path{Root: RootLocal, Name: id("x"), Segments: []*Segment{
			{Kind: SegRange, Index: num(0), End: num(4)}, {Kind: SegRange, Index: num(1), End: bin("-", loc("n"), num(1))}}},
			"x[0:4][1:n - 1]"},
		{"expr base", &Path{Root: RootExpr, Base: bin("+", loc("a"), loc("b")), Segments: fields("c")}, "(a + b).c"},
		{"list base", &Path{Root: RootExpr, Base: list(num(1), num(2)), Segments: []*Segment{{Kind: SegIndex, Index: num(0)}}}, "[1, 2][0]"},
		{"record base", &Path{Root: RootExpr, Base: rec("k", num(1)), Segments: fields("k")}, `{"k": 1}.k`},
		{"call base", &Path{Root: RootExpr, Base: call("", "f", loc("x")), Segments: fields("y")}, "f(x).y"},
		{"path base", &Path{Root: RootExpr, Base: loc("x", "a"), Segments: []*Segment{{Kind: SegIndex, Index: num(0)}}}, "(x.a)[0]"},
		{"string base", &Path{Root: RootExpr, Base: str("abc"), Segments: []*Segment{{Kind: SegIndex, Index: num(0)}}}, `("abc")[0]`},
		{"match base", &Path{Root: RootExpr, Base: &Match{Imut: true, Target: loc("x"),
			Clauses: []*Clause{{Pattern: &DefaultPattern{}, Body: []Expr{rec()}}}}, Segments: fields("a")},
			"(match x of\n  case _ => {}\nend).a"},
		{"call", call("aggr::stats", "count"), "aggr::stats::count()"},
		{"call args", call("string", "format", str("{}"), num(1)), `string::format("{}", 1)`},
		{"recur", &Recur{Args: []Expr{bin("-", loc("n"), num(1))}}, "recur(n - 1)"},
	})
}

func TestPrintStatementsExprs(t *testing.T) {
	runPrintCases(t, []printCase{
		{"let", &Let{Target: ev("a"), Value: num(1)}, "let event.a = 1"},
		{"let match", &Let{Target: loc("x"), Value: &Match{Target: ev(), Clauses: []*Clause{
			{Pattern: &DefaultPattern{}, Body: []Expr{&Drop{}}}}}}, "let x = match event of\n  case _ => drop\nend"},
		{"let imut match", &Let{Target: loc("x"), Value: &Match{Imut: true, Target: ev(), Clauses: []*Clause{
			{Pattern: &DefaultPattern{}, Body: []Expr{num(1)}}}}}, "let x = (match event of\n  case _ => 1\nend)"},
		{"emit", &Emit{}, "emit"},
		{"emit value", &Emit{Value: ev()}, "emit event"},
		{"emit port", &Emit{Value: rec("a", num(1)), Port: str("err")}, `emit {"a": 1} => "err"`},
		{"emit only port", &Emit{Port: str("p")}, `emit => "p"`},
		{"drop", &Drop{}, "drop"},
		{"merge", &Merge{Target: ev(), Value: rec("a", num(1))}, `merge event of {"a": 1} end`},
		{"patch one", &Patch{Target: ev(), Ops: []*PatchOp{{Op: "insert", Key: str("a"), Value: num(1)}}},
			`patch event of insert "a" => 1 end`},
		{"patch many", &Patch{Target: ev(), Ops: []*PatchOp{
			{Op: "insert", Key: str("a"), Value: num(1)},
			{Op: "erase", Key: str("b")},
			{Op: "move", Key: str("c"), To: str("d")},
			{Op: "merge", Value: rec("x", num(1))},
			{Op: "default", Key: str("e"), Value: null()},
		}}, "patch event of\n  insert \"a\" => 1;\n  erase \"b\";\n  move \"c\" => \"d\";\n  merge => {\"x\": 1};\n  default \"e\" => null\nend"},
	})
}

func TestPrintMatch(t *testing.T) {
	m := &Match{Target: ev(), Clauses: []*Clause{
		{Pattern: &RecordPattern{Fields: []*FieldPattern{{Test: FieldPresent, Key: id("a")}}},
			Guard: bin(">", ev("a"), num(1)),
			Body:  []Expr{&Let{Target: loc("x"), Value: num(1)}, loc("x")}},
		{Pattern: &ExprPattern{Expr: num(1)}, Body: []Expr{str("one")}},
		{Pattern: &DefaultPattern{}, Body: []Expr{null()}},
	}}
	want := `match event of
  case %{ present a } when event.a > 1 =>
    let x = 1;
    x
  case 1 => "one"
  case _ => null
end`
	imut := &Match{Imut: true, Target: ev(), Clauses: []*Clause{
		{Pattern: &DefaultPattern{}, Body: []Expr{num(1), num(2)}},
	}}
	wantImut := "match event of\n  case _ =>\n    1,\n    2\nend"
	long := &Match{Target: ev(), Clauses: []*Clause{
		{Pattern: &DefaultPattern{}, Body: []Expr{rec("aaaaaaaaaaaaaaaaaaaaaaaaaa", num(1), "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", num(2))}},
	}}
	wantLong := "match event of\n  case _ =>\n    {\n      \"aaaaaaaaaaaaaaaaaaaaaaaaaa\": 1,\n      \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\": 2\n    }\nend"
	nested := &Match{Target: ev(), Clauses: []*Clause{
		{Pattern: &DefaultPattern{}, Body: []Expr{&Match{Target: loc("x"), Clauses: []*Clause{
			{Pattern: &DefaultPattern{}, Body: []Expr{&Emit{}}}}}}},
	}}
	wantNested := "match event of\n  case _ =>\n    match x of\n      case _ => emit\n    end\nend"
	runPrintCases(t, []printCase{
		{"match", m, want},
		{"imut", imut, wantImut},
		{"long body", long, wantLong},
		{"nested", nested, wantNested},
		{"stmt imut match parenthesised", &ExprStmt{Expr: imut}, "(" + wantImut + ")"},
		{"clause", &Clause{Pattern: &DefaultPattern{}, Body: []Expr{num(1)}}, "case _ => 1"},
	})
}

func TestPrintPatterns(t *testing.T) {
	ex := func(kind, raw string) *Extractor { return &Extractor{Kind: id(kind), Raw: raw} }
	runPrintCases(t, []printCase{
		{"default", &DefaultPattern{}, "_"},
		{"expr", &ExprPattern{Expr: rec("a", num(1))}, `{"a": 1}`},
		{"extract", &ExtractPattern{Extractor: ex("glob", "a*")}, "~ glob|a*|"},
		{"record empty", &RecordPattern{}, "%{}"},
		{"record", &RecordPattern{Fields: []*FieldPattern{
			{Test: FieldPresent, Key: id("a")},
			{Test: FieldAbsent, Key: id("end")},
			{Test: FieldCompare, Key: id("b"), Op: "==", Value: num(1)},
			{Test: FieldCompare, Key: id("c"), Op: ">=", Value: bin("+", num(1), num(2))},
			{Test: FieldExtract, Key: id("d"), Extractor: ex("glob", "x*")},
			{Test: FieldExtract, Alias: id("al"), Key: id("d"), Extractor: ex("re", "x")},
			{Test: FieldSubPattern, Key: id("e"), Sub: &RecordPattern{Fields: []*FieldPattern{{Test: FieldPresent, Key: id("f")}}}},
			{Test: FieldSubPattern, Key: id("g"), Sub: &ArrayPattern{Items: []Pattern{&DefaultPattern{}}}},
		}}, "%{ present a, absent `end`, b == 1, c >= 1 + 2, d ~= glob|x*|, al = d ~= re|x|, e ~= %{ present f }, g ~= %[_] }"},
		{"array", &ArrayPattern{Items: []Pattern{&ExprPattern{Expr: num(1)}, &DefaultPattern{},
			&ExtractPattern{Extractor: ex("glob", "a*")}, &RecordPattern{}}}, "%[1, _, ~ glob|a*|, %{}]"},
		{"array empty", &ArrayPattern{}, "%[]"},
		{"tuple", &TuplePattern{Items: []Pattern{&ExprPattern{Expr: loc("a")}, &DefaultPattern{}}, Open: true}, "%(a, _, ...)"},
		{"tuple closed", &TuplePattern{Items: []Pattern{&ExprPattern{Expr: num(1)}}}, "%(1)"},
		{"tuple only dots", &TuplePattern{Open: true}, "%(...)"},
		{"assign", &AssignPattern{Name: id("x"), Pattern: &RecordPattern{}}, "x = %{}"},
		{"field pattern", &FieldPattern{Test: FieldCompare, Key: id("k"), Op: "!=", Value: str("v")}, `k != "v"`},
	})
}

func TestPrintFor(t *testing.T) {
	f := &For{Target: ev(), Cases: []*ForCase{
		{Key: id("k"), Value: id("v"), Guard: bin("==", loc("k"), str("a")), Body: []Expr{loc("v")}},
		{Key: id("k"), Value: id("v"), Body: []Expr{&Let{Target: loc("n"), Value: loc("v")}, loc("n")}},
	}, Into: rec(), FoldOp: "+", Imut: false}
	want := "for event of\n  case (k, v) when k == \"a\" => v\n  case (k, v) =>\n    let n = v;\n    n\ninto {} use +\nend"
	g := &For{Imut: true, Target: list(num(1)), Cases: []*ForCase{{Key: id("i"), Value: id("e"), Body: []Expr{loc("e")}}}}
	wantG := "for [1] of\n  case (i, e) => e\nend"
	runPrintCases(t, []printCase{
		{"for", f, want},
		{"for imut", g, wantG},
		{"for as arg", call("", "f", g), "f(" + wantG + ")"},
		{"for in binary", bin("+", g, list()), "(" + wantG + ") + []"},
	})
}

func TestPrintScriptItems(t *testing.T) {
	file := &File{
		ModDoc: []string{" module doc"},
		Stmts: []Stmt{
			&Use{Path: ModPath{"std", "string"}},
			&Use{Path: ModPath{"std", "string"}, Alias: id("s")},
			&Use{Path: ModPath{"std"}, Group: []*Use{{Path: ModPath{"string"}}, {Path: ModPath{"array"}, Alias: id("a")},
				{Path: ModPath{"d"}, Group: []*Use{{Path: ModPath{"e"}}}}}},
			&Const{Doc: []string{" the answer"}, Name: id("X"), Value: num(42)},
			&FnDef{Doc: []string{" adds", " two"}, Name: id("add"), Params: []*Ident{id("a"), id("b")},
				Body: []Expr{bin("+", loc("a"), loc("b"))}},
			&FnDef{Name: id("f"), Params: []*Ident{id("n")}, Cases: []*Clause{
				{Pattern: &TuplePattern{Items: []Pattern{&ExprPattern{Expr: num(0)}}}, Body: []Expr{num(1)}},
				{Pattern: &DefaultPattern{}, Body: []Expr{bin("*", loc("n"), num(2))}},
			}},
			&FnDef{Name: id("v"), Params: []*Ident{id("a")}, Variadic: true, Body: []Expr{&Let{Target: loc("x"), Value: loc("a")}, &Path{Root: RootArgs}}},
			&FnDef{Name: id("w"), Variadic: true, Body: []Expr{&Path{Root: RootArgs}}},
			&Intrinsic{Name: id("len"), Params: []*Ident{id("s")}, Module: ModPath{"string"}, Target: id("len")},
			&ExprStmt{Expr: &Let{Target: ev("x"), Value: num(1)}},
			&ExprStmt{Expr: ev()},
		},
	}
	want := `### module doc
use std::string;
use std::string as s;
use std::{string, array as a, d::{e}};
## the answer
const X = 42;
## adds
## two
fn add(a, b) with
  a + b
end;
fn f(n) of
  case (0) => 1
  case _ => n * 2
end;
fn v(a, ...) with
  let x = a;
  args
end;
fn w(...) with
  args
end;
intrinsic fn len(s) as string::len;
let event.x = 1;
event
`
	runPrintCases(t, []printCase{{"script file", file, want}})
}

func TestPrintTrickle(t *testing.T) {
	window := &DefineWindow{Doc: []string{" a window"}, Name: id("w"), Kind: "tumbling",
		With: []*WithArg{{Name: id("size"), Value: num(10)}, {Name: id("max_groups"), Value: num(100)}}}
	legacy := &DefineWindow{Name: id("w2"), Kind: "tumbling", Legacy: true,
		With: []*WithArg{{Name: id("interval"), Value: num(1000)}}}
	full := &DefineWindow{Name: id("w3"), Kind: "sliding", State: rec(),
		Tick:   script(&Let{Target: &Path{Root: RootState}, Value: num(0)}),
		Script: script(&Let{Target: &Path{Root: RootState}, Value: bin("+", &Path{Root: RootState}, num(1))}, &Path{Root: RootState})}
	ds := &DefineScript{Name: id("add"),
		Args:   []*ArgDecl{{Name: id("a"), Default: num(1)}, {Name: id("b")}},
		State:  rec(),
		Ports:  []*PortScript{{Port: id("tick"), Script: script(&Emit{Port: str("out")})}},
		Script: script(&Let{Target: ev("a"), Value: &Path{Root: RootArgs, Segments: fields("a")}}, ev())}
	op := &DefineOperator{Name: id("b"), Module: id("generic"), Kind: id("batch"), HasWith: true,
		With: []*WithArg{{Name: id("count"), Value: num(3)}}}
	opArgs := &DefineOperator{Name: id("c"), Module: id("generic"), Kind: id("counter"),
		Args: []*ArgDecl{{Name: id("n")}}, With: []*WithArg{{Name: id("count"), Value: &Path{Root: RootArgs, Segments: fields("n")}}}, HasWith: true}
	opBare := &DefineOperator{Name: id("d"), Module: id("generic"), Kind: id("counter")}
	sel := &Select{Target: ev(), From: sref("in", ""), Into: sref("out", "")}
	pipe := &DefinePipeline{Name: id("p"), From: []*Ident{id("in"), id("x")}, Into: []*Ident{id("out")},
		Args:   []*ArgDecl{{Name: id("n"), Default: num(1)}},
		Config: []*Config{{Key: id("metrics_interval_s"), Value: num(10)}},
		Body:   []Stmt{sel, &CreateStream{Name: id("s")}}}
	bigSel := &Select{
		Target:  rec("count", call("aggr::stats", "count"), "group", &Path{Root: RootGroup}),
		From:    sref("in", ""),
		Windows: []*WindowRef{{Name: id("w1")}, {Module: ModPath{"m"}, Name: id("w2")}},
		Where:   bin(">", ev("x"), num(1)),
		GroupBy: &GroupSet{Items: []GroupBy{&GroupExpr{Expr: ev("a")}, &GroupEach{Expr: ev("b")}}},
		Into:    sref("out", "p"),
		Having:  bin(">", ev("n"), num(2)),
	}
	smallSel := &Select{Target: ev(), From: sref("in", ""), Windows: []*WindowRef{{Name: id("w1")}},
		Where: bin(">", ev("x"), num(1)), GroupBy: &GroupExpr{Expr: ev("a")}, Into: sref("out", "p"),
		Having: bin(">", ev("n"), num(2))}
	file := &File{
		Config: []*Config{{Key: id("id"), Value: str("q")}},
		Stmts: []Stmt{window, legacy, full, ds, op, opArgs, opBare, pipe,
			&CreateStream{Name: id("s")},
			&Create{Kind: "script", Name: id("s1"), From: &Target{Name: id("add")}, With: []*WithArg{{Name: id("a"), Value: num(1)}}, HasWith: true},
			&Create{Kind: "operator", Name: id("b")},
			&Create{Kind: "pipeline", Name: id("p2"), From: &Target{Module: ModPath{"m"}, Name: id("p")}, HasWith: true},
			smallSel, bigSel},
	}
	want := `#!config id = "q"
## a window
define window w from tumbling
with
  size = 10,
  max_groups = 100
end;
define tumbling window w2
with
  interval = 1000
end;
define window w3 from sliding
state
  {}
script from tick
  let state = 0
script
  let state = state + 1;
  state
end;
define script add
args
  a = 1,
  b
state
  {}
script from tick
  emit => "out"
script
  let event.a = args.a;
  event
end;
define operator b from generic::batch
with
  count = 3
end;
define operator c from generic::counter
args
  n
with
  count = args.n
end;
define operator d from generic::counter;
define pipeline p
from in, x
into out
args
  n = 1
pipeline
  #!config metrics_interval_s = 10
  select event from in into out;
  create stream s;
end;
create stream s;
create script s1 from add with a = 1 end;
create operator b;
create pipeline p2 from m::p with end;
select event from in[w1] where event.x > 1 group by event.a into out/p having event.n > 2;
select {"count": aggr::stats::count(), "group": group}
from in[w1, m::w2]
where event.x > 1
group by set(event.a, each(event.b))
into out/p
having event.n > 2;
`
	longCreate := &Create{Kind: "script", Name: id("s1"), With: []*WithArg{
		{Name: id("aaaaaaaaaaaaaaaaaaaaa"), Value: str("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")},
		{Name: id("bbbbbbbbbbbbbbbbbbbbb"), Value: str("yyyyyyyyyyyyyyyyyyyyyyyyyyyy")}}}
	runPrintCases(t, []printCase{
		{"trickle file", file, want},
		{"long create", longCreate,
			"create script s1\nwith\n  aaaaaaaaaaaaaaaaaaaaa = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\",\n  bbbbbbbbbbbbbbbbbbbbb = \"yyyyyyyyyyyyyyyyyyyyyyyyyyyy\"\nend"},
		{"group each", &GroupEach{Expr: ev("x")}, "each(event.x)"},
		{"stream ref", sref("in", "p"), "in/p"},
		{"window ref", &WindowRef{Module: ModPath{"m"}, Name: id("w")}, "m::w"},
		{"arg decl", &ArgDecl{Name: id("a"), Default: num(1)}, "a = 1"},
		{"with arg", &WithArg{Name: id("a"), Value: num(1)}, "a = 1"},
		{"config", &Config{Key: id("k"), Value: num(1)}, "#!config k = 1"},
		{"port script", &PortScript{Port: id("p"), Script: script(ev())}, "script from p\n  event"},
		{"script", script(&Let{Target: loc("x"), Value: num(1)}, loc("x")), "let x = 1;\nx"},
		{"target", &Target{Module: ModPath{"a", "b"}, Name: id("c")}, "a::b::c"},
	})
}

func TestPrintDeploy(t *testing.T) {
	peer := &DefinePeer{Name: id("api"), Type: &Target{Name: id("http_server")}, HasWith: true, With: []*WithArg{
		{Name: id("codec"), Value: str("json")},
		{Name: id("config"), Value: rec("url", str("http://127.0.0.1:8080"))}}}
	conn := &DefinePeer{Name: id("f"), Connector: true, Type: &Target{Name: id("file")},
		Args: []*ArgDecl{{Name: id("path")}}, HasWith: true,
		With: []*WithArg{{Name: id("config"), Value: rec("path", &Path{Root: RootArgs, Segments: fields("path")})}}}
	flow := &DefineFlow{Name: id("echo"), Args: []*ArgDecl{{Name: id("x"), Default: num(1)}}, Body: []Stmt{
		peer,
		&DefinePipeline{Name: id("upper"), Body: []Stmt{&Select{Target: ev(), From: sref("in", ""), Into: sref("out", "")}}},
		&Create{Kind: "peer", Name: id("api")},
		&Create{Kind: "pipeline", Name: id("upper")},
		&Connect{From: &FlowRef{Kind: "peer", Name: id("api")}, To: &FlowRef{Kind: "pipeline", Name: id("upper"), Port: id("in")}},
		&Connect{From: &FlowRef{Kind: "pipeline", Name: id("upper"), Port: id("out")}, To: &FlowRef{Kind: "connector", Name: id("api")}},
	}}
	file := &File{Stmts: []Stmt{conn, flow,
		&Deploy{Doc: []string{" go"}, Name: id("echo")},
		&Deploy{Name: id("e2"), From: &Target{Name: id("echo")}, HasWith: true, With: []*WithArg{{Name: id("x"), Value: num(2)}}}}}
	want := `define connector f from file
args
  path
with
  config = {"path": args.path}
end;
define flow echo
args
  x = 1
flow
  define peer api from http_server
  with
    codec = "json",
    config = {"url": "http://127.0.0.1:8080"}
  end;
  define pipeline upper
  pipeline
    select event from in into out;
  end;
  create peer api;
  create pipeline upper;
  connect /peer/api to /pipeline/upper/in;
  connect /pipeline/upper/out to /connector/api;
end;
## go
deploy flow echo;
deploy flow e2 from echo with x = 2 end;
`
	runPrintCases(t, []printCase{{"troy", file, want}})
}

// testDecorator adds fixed lines around items.
type testDecorator struct {
	lead  map[Node][]string
	trail map[Node]string
	close map[Node][]string
	has   map[Node]bool
}

func (d *testDecorator) Leading(n Node) []string { return d.lead[n] }
func (d *testDecorator) Trailing(n Node) string  { return d.trail[n] }
func (d *testDecorator) Closing(n Node) []string { return d.close[n] }
func (d *testDecorator) Has(n Node) bool         { return d.has[n] }

func TestFprintDecorated(t *testing.T) {
	a := &ExprStmt{Expr: &Let{Target: loc("x"), Value: num(1)}}
	b := &ExprStmt{Expr: loc("x")}
	ds := &DefineScript{Name: id("s"), Script: &Script{Items: []Stmt{a, b}}}
	sel := &Select{Target: ev(), From: sref("in", ""), Into: sref("out", "")}
	f := &File{Stmts: []Stmt{ds, sel}}
	d := &testDecorator{
		lead: map[Node][]string{
			ds:  {"", "# first", "", "# script"},
			a:   {"", "# set x"},
			b:   {"", "# result", ""},
			sel: {"", "# the select"},
		},
		trail: map[Node]string{a: "# one", ds: "# end of script"},
		close: map[Node][]string{b: {"# closing"}, sel: {"", "# bye"}},
	}
	var sb strings.Builder
	if err := FprintDecorated(&sb, f, d); err != nil {
		t.Fatal(err)
	}
	want := `# first

# script
define script s
script
  # set x
  let x = 1; # one

  # result

  x
  # closing
end; # end of script

# the select
select event from in into out;

# bye
`
	if got := sb.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestEqual(t *testing.T) {
	a := &Binary{Pos: Pos{Line: 1}, Op: "+", OpPos: Pos{Line: 1, Col: 3}, L: loc("a"), R: num(1)}
	b := &Binary{Pos: Pos{Line: 7, Col: 2}, Op: "+", OpPos: Pos{Line: 9}, L: &Path{Pos: Pos{Line: 3}, Root: RootLocal, Name: &Ident{Pos: Pos{Offset: 5}, Name: "a"}}, R: num(1)}
	if !Equal(a, b) {
		t.Error("positions should be ignored")
	}
	c := &Binary{Op: "+", L: loc("a"), R: num(2)}
	if Equal(a, c) {
		t.Error("different literals reported equal")
	}
	if Equal(a, &Binary{Op: "-", L: loc("a"), R: num(1)}) {
		t.Error("different ops reported equal")
	}
	if !Equal(&Record{}, &Record{Fields: []*Field{}}) {
		t.Error("nil and empty slices should be equal")
	}
	if Equal(&Record{}, &List{}) {
		t.Error("different types reported equal")
	}
	if !Equal(nil, (*Path)(nil)) {
		t.Error("nil and typed nil should be equal")
	}
	if !Equal(flt(math.NaN()), flt(math.NaN())) {
		t.Error("NaN literals should be equal")
	}
	if Equal(&Emit{Value: ev()}, &Emit{}) {
		t.Error("nil vs non-nil expression reported equal")
	}
	if Equal(&Path{Root: RootEvent, Segments: fields("a")}, &Path{Root: RootEvent, Segments: fields("a", "b")}) {
		t.Error("different segment counts reported equal")
	}
}

// TestEveryNodePrints makes sure every node type has a String method that does not panic on a zero value.
func TestEveryNodePrints(t *testing.T) {
	nodes := []Node{
		&Ident{}, &Literal{}, &String{}, &Bytes{}, &Record{}, &List{}, &Path{}, &Binary{}, &Unary{}, &Present{},
		&Call{}, &Recur{}, &Match{}, &Patch{}, &Merge{}, &For{}, &Let{}, &Emit{}, &Drop{}, &Extractor{},
		&Clause{}, &PatchOp{}, &ForCase{}, &Field{}, &BytesPart{}, &Segment{},
		&DefaultPattern{}, &ExprPattern{}, &ExtractPattern{}, &RecordPattern{}, &FieldPattern{}, &ArrayPattern{},
		&TuplePattern{}, &AssignPattern{},
		&File{}, &Script{}, &ExprStmt{}, &Use{}, &Const{}, &FnDef{}, &Intrinsic{}, &Config{}, &ArgDecl{},
		&WithArg{}, &DefineWindow{}, &PortScript{}, &DefineScript{}, &DefineOperator{}, &DefinePipeline{},
		&Target{}, &CreateStream{}, &Create{}, &StreamRef{}, &WindowRef{}, &Select{}, &GroupExpr{}, &GroupSet{},
		&GroupEach{}, &DefinePeer{}, &DefineFlow{}, &FlowRef{}, &Connect{}, &Deploy{},
	}
	for _, n := range nodes {
		_ = n.String()
	}
}

func TestFprintDecoratedExpressions(t *testing.T) {
	fa := &Field{Key: str("a"), Value: num(1)}
	fb := &Field{Key: str("b"), Value: num(2)}
	r := &Record{Fields: []*Field{fa, fb}}
	c1 := &Clause{Pattern: &DefaultPattern{}, Body: []Expr{r}}
	m := &Match{Imut: true, Target: ev(), Clauses: []*Clause{c1}}
	op := &PatchOp{Op: "erase", Key: str("k")}
	pt := &Patch{Target: ev(), Ops: []*PatchOp{op}}
	cr := &Create{Kind: "script", Name: id("s"), HasWith: true, With: []*WithArg{{Name: id("a"), Value: num(1)}}}
	f := &File{Stmts: []Stmt{
		&ExprStmt{Expr: &Let{Target: loc("x"), Value: m}},
		&ExprStmt{Expr: pt},
		cr,
	}}
	d := &testDecorator{
		lead:  map[Node][]string{fb: {"", "# b"}, op: {"# erase"}, cr.With[0]: {"# arg"}},
		trail: map[Node]string{fa: "# a", c1: "# case"},
		close: map[Node][]string{fb: {"# end of record"}},
		has:   map[Node]bool{r: true, c1: true, m: true, pt: true, cr: true},
	}
	var sb strings.Builder
	if err := FprintDecorated(&sb, f, d); err != nil {
		t.Fatal(err)
	}
	want := `let x = (match event of
  case _ =>
    {
      "a": 1, # a

      # b
      "b": 2
      # end of record
    } # case
end);
patch event of
  # erase
  erase "k"
end;
create script s
with
  # arg
  a = 1
end;
`
	if got := sb.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	// Undecorated, the same tree prints flat.
	if got := f.Stmts[0].String(); got != "let x = (match event of\n  case _ => {\"a\": 1, \"b\": 2}\nend)" {
		t.Errorf("undecorated: %s", got)
	}
}

// TestUseBindings: a use expands into the modules it binds, with group prefixes and aliases.
func TestUseBindings(t *testing.T) {
	id := func(s string) *Ident { return &Ident{Name: s} }
	u := &Use{Path: ModPath{"std"}, Group: []*Use{
		{Path: ModPath{"string"}},
		{Path: ModPath{"array"}, Alias: id("a")},
		{Path: ModPath{"time"}, Group: []*Use{{Path: ModPath{"nanos"}}}},
	}}
	var got []string
	for _, b := range u.Bindings() {
		got = append(got, b.Alias+"="+strings.Join(b.Path, "::"))
	}
	if want := "string=std::string a=std::array nanos=std::time::nanos"; strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
}
