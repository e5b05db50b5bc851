package lang

import (
	"strconv"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/rillstream/rill/lang/ast"
)

// Script bodies and statements of tremor-script (spec §2).

// bodyEnd reports whether t ends a script body: `end`, the `script` of a following section, or EOF.
func bodyEnd(t *lexer.Token) bool {
	return t.Type == EOF || isTok(t, "end") || isTok(t, "script")
}

// scriptBody parses `item (; item)* ;?` up to a body end (not consumed). At least one item is required.
// With allowDefine (module files), `define ...` statements are items too.
func (p *parser) scriptBody(what string, allowDefine bool) *ast.Script {
	s := &ast.Script{Pos: p.pos()}
	for {
		t := p.peek()
		if bodyEnd(t) {
			if len(s.Items) == 0 {
				p.failExpected("a statement", what)
			}
			break
		}
		s.Items = append(s.Items, p.scriptItem(allowDefine))
		if p.accept(";") {
			continue
		}
		if !bodyEnd(p.peek()) {
			p.failExpected("`;`", "between statements")
		}
	}
	s.Pos = p.span(s.Pos)
	return s
}

// docComments collects `##` lines (without the `##`).
func (p *parser) docComments() []string {
	var doc []string
	for p.peek().Type == DocComment {
		t := p.next()
		doc = append(doc, commentBody(t.Value, "##"))
	}
	return doc
}

// scriptItem parses one top-level item of a script: use, const, fn, intrinsic, or a statement.
func (p *parser) scriptItem(allowDefine bool) ast.Stmt {
	start := p.pos()
	doc := p.docComments()
	t := p.peek()
	if doc != nil && !(isTok(t, "fn") || isTok(t, "const") || isTok(t, "intrinsic") || (allowDefine && isTok(t, "define"))) {
		p.failAt(start, "a `##` doc comment must stand directly before `fn`, `const`, `intrinsic` or `define`", "use `#` for a plain comment")
	}
	switch {
	case isTok(t, "use"):
		return p.use()
	case isTok(t, "const"):
		p.next()
		name := p.ident("for the constant")
		p.expect("=", "after the constant's name")
		v := p.expr()
		return &ast.Const{Pos: p.span(start), Doc: doc, Name: name, Value: v}
	case isTok(t, "fn"):
		f := p.fnDef()
		f.Doc = doc
		f.Pos = p.span(start)
		return f
	case isTok(t, "intrinsic"):
		f := p.intrinsic()
		f.Doc = doc
		f.Pos = p.span(start)
		return f
	case isTok(t, "define") && allowDefine && p.defineHook != nil:
		st := p.defineHook(p, doc)
		return st
	case t.Type == ModComment:
		p.fail(t, "a `###` module comment may only stand at the very start of a script or module", "use `#` for a plain comment")
	}
	e := p.stmtExpr()
	return &ast.ExprStmt{Pos: e.Position(), Expr: e}
}

// stmtExpr parses a statement-level expression: let, emit, drop, match and for with statement bodies,
// or a pure expression.
func (p *parser) stmtExpr() ast.Expr {
	t := p.peek()
	start := tokPos(t)
	if t.Type == Keyword {
		switch t.Value {
		case "let":
			p.next()
			ts := p.pos()
			if n := p.peek(); n.Type == Keyword && !isTok(n, "event") && !isTok(n, "state") && !isTok(n, "args") &&
				!isTok(n, "group") && !isTok(n, "window") {
				p.failExpected("a name", "after `let`")
			}
			target := p.primary()
			path, ok := target.(*ast.Path)
			if !ok || path.Root == ast.RootExpr {
				p.failAt(ts.To(target.Position()), "`let` assigns to a path: a local, `event...`, `$...` or `state...`", "")
			}
			if !p.is("=") {
				p.failExpected("`=`", "after the `let` target")
			}
			p.next()
			v := p.stmtExpr()
			return &ast.Let{Pos: p.span(start), Target: path, Value: v}
		case "emit":
			p.next()
			e := &ast.Emit{}
			if !p.is("=>") && canStartExpr(p.peek()) {
				e.Value = p.expr()
			}
			if p.accept("=>") {
				st := p.peek()
				if st.Type != StrOpen && st.Type != HereOpen {
					p.failExpected("a port name string", "after `emit ... =>`")
				}
				e.Port = p.string()
			}
			e.Pos = p.span(start)
			return e
		case "drop":
			p.next()
			return &ast.Drop{Pos: start}
		case "match":
			return p.match(false)
		case "for":
			return p.forExpr(false)
		}
	}
	return p.binary(1)
}

// canStartExpr reports whether t can begin an expression.
func canStartExpr(t *lexer.Token) bool {
	switch t.Type {
	case Int, Float, StrOpen, HereOpen, Ident:
		return true
	case Keyword:
		switch t.Value {
		case "null", "true", "false", "event", "state", "args", "group", "window", "match", "for", "patch",
			"merge", "recur", "present", "absent", "not":
			return true
		}
	case Punct:
		switch t.Value {
		case "$", "(", "{", "[", "<<", "-", "+", "!":
			return true
		}
	}
	return false
}

// block parses case bodies: statement-level `expr (; expr)*` or, for expression-level constructs,
// `expr (, expr)*`. Bodies end at `case`, `end`, or `into` (for comprehensions).
func (p *parser) block(imut bool) []ast.Expr {
	var body []ast.Expr
	sep := ";"
	if imut {
		sep = ","
	}
	for {
		if imut {
			body = append(body, p.expr())
		} else {
			body = append(body, p.stmtExpr())
		}
		if !p.accept(sep) {
			return body
		}
		if t := p.peek(); isTok(t, "case") || isTok(t, "end") || isTok(t, "into") || t.Type == EOF {
			return body
		}
	}
}

// match parses `match target of case ... end`.
func (p *parser) match(imut bool) ast.Expr {
	start := p.pos()
	p.expect("match", "")
	m := &ast.Match{Imut: imut}
	m.Target = p.expr()
	p.expect("of", "after the match target")
	if !p.is("case") {
		p.failExpected("`case`", "in the match")
	}
	for p.is("case") {
		cs := p.pos()
		p.next()
		c := &ast.Clause{Pattern: p.casePattern()}
		if p.accept("when") {
			c.Guard = p.expr()
		}
		p.expect("=>", "after the case pattern")
		c.Body = p.block(imut)
		c.Pos = p.span(cs)
		m.Clauses = append(m.Clauses, c)
	}
	if !p.is("end") {
		p.failExpected("`case` or `end`", "to close the match started at line "+strconv.Itoa(start.Line))
	}
	p.next()
	m.Pos = p.span(start)
	return m
}

// casePattern parses a case pattern (spec §2.7).
func (p *parser) casePattern() ast.Pattern {
	t := p.peek()
	start := tokPos(t)
	switch {
	case isTok(t, "%{"):
		return p.recordPattern()
	case isTok(t, "%["):
		return p.arrayPattern()
	case isTok(t, "%("):
		return p.tuplePattern()
	case isTok(t, "_"):
		p.next()
		return &ast.DefaultPattern{Pos: start}
	case isTok(t, "~"):
		p.next()
		ex := p.extractor()
		return &ast.ExtractPattern{Pos: p.span(start), Extractor: ex}
	case t.Type == Ident && isTok(p.peek2(), "="):
		name := p.ident("")
		p.next()
		sub := p.casePattern()
		return &ast.AssignPattern{Pos: p.span(start), Name: name, Pattern: sub}
	}
	e := p.expr()
	return &ast.ExprPattern{Pos: e.Position(), Expr: e}
}

// itemPattern parses an array or tuple item: `~ ext`, `_`, a record pattern, or an expression.
func (p *parser) itemPattern() ast.Pattern {
	t := p.peek()
	start := tokPos(t)
	switch {
	case isTok(t, "_"):
		p.next()
		return &ast.DefaultPattern{Pos: start}
	case isTok(t, "~"):
		p.next()
		ex := p.extractor()
		return &ast.ExtractPattern{Pos: p.span(start), Extractor: ex}
	case isTok(t, "%{"):
		return p.recordPattern()
	}
	e := p.expr()
	return &ast.ExprPattern{Pos: e.Position(), Expr: e}
}

func (p *parser) recordPattern() *ast.RecordPattern {
	start := p.pos()
	p.expect("%{", "")
	rp := &ast.RecordPattern{}
	p.commaList("}", func() { rp.Fields = append(rp.Fields, p.fieldPattern()) })
	p.expect("}", "to close the record pattern `%{`")
	rp.Pos = p.span(start)
	return rp
}

func (p *parser) fieldPattern() *ast.FieldPattern {
	start := p.pos()
	f := &ast.FieldPattern{}
	if p.is("present") || p.is("absent") {
		t := p.next()
		f.Test = ast.FieldPresent
		if t.Value == "absent" {
			f.Test = ast.FieldAbsent
		}
		f.Key = p.ident("after `" + t.Value + "`")
		f.Pos = p.span(start)
		return f
	}
	f.Key = p.ident("in a record pattern (a key test like `present k`, `k == 1` or `k ~= glob|a*|`)")
	if p.is("=") {
		// alias = key ~= ext|...|
		p.next()
		f.Alias = f.Key
		f.Key = p.ident("after `=` in a record pattern")
		if !p.is("~=") {
			p.failExpected("`~=`", "in the aliased record pattern field")
		}
	}
	t := p.peek()
	switch {
	case isTok(t, "~="):
		p.next()
		if n := p.peek(); f.Alias != nil && (isTok(n, "%{") || isTok(n, "%[") || isTok(n, "%(")) {
			p.failExpected("an extractor like `re|...|`", "after `"+f.Alias.Name+" = "+f.Key.Name+" ~=`: an alias binds an extractor test only")
		}
		switch n := p.peek(); {
		case isTok(n, "%{"):
			f.Test, f.Sub = ast.FieldSubPattern, p.recordPattern()
		case isTok(n, "%["):
			f.Test, f.Sub = ast.FieldSubPattern, p.arrayPattern()
		case isTok(n, "%("):
			f.Test, f.Sub = ast.FieldSubPattern, p.tuplePattern()
		default:
			f.Test, f.Extractor = ast.FieldExtract, p.extractor()
		}
	case t.Type == Punct && (t.Value == "==" || t.Value == "!=" || t.Value == "<" || t.Value == "<=" || t.Value == ">" || t.Value == ">="):
		if f.Alias != nil {
			p.failExpected("`~=`", "in the aliased record pattern field")
		}
		p.next()
		f.Test, f.Op = ast.FieldCompare, t.Value
		f.Value = p.expr()
	default:
		p.failExpected("`~=`, `==`, `!=`, `<`, `<=`, `>` or `>=`", "after the key `"+f.Key.Name+"`")
	}
	f.Pos = p.span(start)
	return f
}

func (p *parser) arrayPattern() *ast.ArrayPattern {
	start := p.pos()
	p.expect("%[", "")
	ap := &ast.ArrayPattern{}
	p.commaList("]", func() { ap.Items = append(ap.Items, p.itemPattern()) })
	p.expect("]", "to close the array pattern `%[`")
	ap.Pos = p.span(start)
	return ap
}

// ellipsis consumes `...` (three `.` tokens).
func (p *parser) ellipsis() bool {
	if !p.is(".") {
		return false
	}
	for i := 0; i < 3; i++ {
		p.expect(".", "in `...`")
	}
	return true
}

func (p *parser) tuplePattern() *ast.TuplePattern {
	start := p.pos()
	p.expect("%(", "")
	tp := &ast.TuplePattern{}
	for !p.is(")") {
		if p.ellipsis() {
			tp.Open = true
			break
		}
		tp.Items = append(tp.Items, p.itemPattern())
		if !p.accept(",") {
			break
		}
	}
	p.expect(")", "to close the tuple pattern `%(`")
	tp.Pos = p.span(start)
	return tp
}

// patch parses `patch target of op; op end`.
func (p *parser) patch() ast.Expr {
	start := p.pos()
	p.expect("patch", "")
	pt := &ast.Patch{Target: p.expr()}
	p.expect("of", "after the patch target")
	for {
		pt.Ops = append(pt.Ops, p.patchOp())
		if !p.accept(";") || p.is("end") {
			break
		}
	}
	if !p.is("end") {
		p.failExpected("`;` or `end`", "to close the patch started at line "+strconv.Itoa(start.Line))
	}
	p.next()
	pt.Pos = p.span(start)
	return pt
}

func (p *parser) patchKey() *ast.String {
	t := p.peek()
	if t.Type != StrOpen && t.Type != HereOpen {
		p.failExpected("a key string", "in the patch operation")
	}
	return p.string().(*ast.String)
}

func (p *parser) patchOp() *ast.PatchOp {
	start := p.pos()
	t := p.peek()
	if t.Type != Keyword {
		p.failExpected("a patch operation (insert, upsert, update, erase, move, copy, merge, default)", "")
	}
	op := &ast.PatchOp{Op: t.Value}
	switch t.Value {
	case "insert", "upsert", "update":
		p.next()
		op.Key = p.patchKey()
		p.expect("=>", "after the key")
		op.Value = p.expr()
	case "erase":
		p.next()
		op.Key = p.patchKey()
	case "move", "copy":
		p.next()
		op.Key = p.patchKey()
		p.expect("=>", "after the key")
		op.To = p.patchKey()
	case "merge", "default":
		p.next()
		if !p.is("=>") {
			op.Key = p.patchKey()
		}
		p.expect("=>", "in the "+t.Value+" operation")
		op.Value = p.expr()
	default:
		p.failExpected("a patch operation (insert, upsert, update, erase, move, copy, merge, default)", "")
	}
	op.Pos = p.span(start)
	return op
}

// merge parses `merge target of value end`.
func (p *parser) merge() ast.Expr {
	start := p.pos()
	p.expect("merge", "")
	m := &ast.Merge{Target: p.expr()}
	p.expect("of", "after the merge target")
	m.Value = p.expr()
	p.expect("end", "to close the merge started at line "+strconv.Itoa(start.Line))
	m.Pos = p.span(start)
	return m
}

// forExpr parses a comprehension.
func (p *parser) forExpr(imut bool) ast.Expr {
	start := p.pos()
	p.expect("for", "")
	f := &ast.For{Imut: imut, Target: p.expr()}
	p.expect("of", "after the for target")
	if !p.is("case") {
		p.failExpected("`case (k, v) =>`", "in the for comprehension")
	}
	for p.is("case") {
		cs := p.pos()
		p.next()
		p.expect("(", "before the key and value names: `case (k, v)`")
		c := &ast.ForCase{Key: p.ident("for the key")}
		p.expect(",", "between the key and value names")
		c.Value = p.ident("for the value")
		p.expect(")", "after the key and value names")
		if p.accept("when") {
			c.Guard = p.expr()
		}
		p.expect("=>", "after the case")
		c.Body = p.block(imut)
		c.Pos = p.span(cs)
		f.Cases = append(f.Cases, c)
	}
	if p.accept("into") {
		f.Into = p.expr()
		if p.accept("use") {
			t := p.peek()
			switch {
			case (t.Type == Keyword && (t.Value == "or" || t.Value == "xor" || t.Value == "and")) ||
				(t.Type == Punct && binaryPrec(t) > 0 && t.Value != "==" && t.Value != "!=" && t.Value != "<" &&
					t.Value != "<=" && t.Value != ">" && t.Value != ">="):
				p.next()
				f.FoldOp = t.Value
			default:
				p.failExpected("a fold operator (+, -, *, /, %, and, or, xor, ^, &, <<, >>, >>>)", "after `use`")
			}
		}
	}
	if !p.is("end") {
		p.failExpected("`case`, `into` or `end`", "to close the for started at line "+strconv.Itoa(start.Line))
	}
	p.next()
	f.Pos = p.span(start)
	return f
}

// params parses `( [a, b] [, ...] )` and reports whether the list is variadic.
func (p *parser) params() ([]*ast.Ident, bool) {
	p.expect("(", "before the parameters")
	var ps []*ast.Ident
	variadic := false
	for !p.is(")") {
		if p.ellipsis() {
			variadic = true
			break
		}
		ps = append(ps, p.ident("for a parameter"))
		if !p.accept(",") {
			break
		}
	}
	p.expect(")", "to close the parameter list")
	return ps, variadic
}

// fnDef parses `fn name(params) with body end` or `fn name(params) of case ... end`.
func (p *parser) fnDef() *ast.FnDef {
	start := p.pos()
	p.expect("fn", "")
	f := &ast.FnDef{Name: p.ident("for the function")}
	f.Params, f.Variadic = p.params()
	switch {
	case p.accept("with"):
		f.Body = p.fnBody()
	case p.accept("of"):
		for p.is("case") {
			cs := p.pos()
			p.next()
			c := &ast.Clause{}
			if p.is("_") {
				c.Pattern = &ast.DefaultPattern{Pos: p.pos()}
				p.next()
			} else {
				tp := &ast.TuplePattern{Pos: p.pos()}
				p.expect("(", "before the case's argument patterns: `case (a, b)`")
				p.commaList(")", func() { tp.Items = append(tp.Items, p.itemPattern()) })
				p.expect(")", "to close the argument patterns")
				tp.Pos = p.span(tp.Pos)
				c.Pattern = tp
			}
			if p.accept("when") {
				c.Guard = p.expr()
			}
			p.expect("=>", "after the case")
			c.Body = p.block(false)
			c.Pos = p.span(cs)
			f.Cases = append(f.Cases, c)
		}
		if len(f.Cases) == 0 {
			p.failExpected("`case`", "in the match function")
		}
		if _, ok := f.Cases[len(f.Cases)-1].Pattern.(*ast.DefaultPattern); !ok {
			p.failAt(f.Cases[len(f.Cases)-1].Pos, "a match function must end with a default case `case _ => ...`", "")
		}
	default:
		p.failExpected("`with` or `of`", "after the function's parameters")
	}
	p.expect("end", "to close the function `"+f.Name.Name+"` started at line "+strconv.Itoa(start.Line))
	f.Pos = p.span(start)
	return f
}

// fnBody parses `expr (; expr)* ;?` up to `end`.
func (p *parser) fnBody() []ast.Expr {
	var body []ast.Expr
	for {
		if p.is("end") && len(body) > 0 {
			return body
		}
		if p.peek().Type == EOF {
			p.failExpected("`end`", "to close the function")
		}
		body = append(body, p.stmtExpr())
		if !p.accept(";") {
			return body
		}
	}
}

func (p *parser) intrinsic() *ast.Intrinsic {
	start := p.pos()
	p.expect("intrinsic", "")
	p.expect("fn", "after `intrinsic`")
	in := &ast.Intrinsic{Name: p.ident("for the function")}
	in.Params, in.Variadic = p.params()
	p.expect("as", "after the parameters of an intrinsic")
	first := p.ident("for the registry function")
	for p.accept("::") {
		in.Module = append(in.Module, first.Name)
		first = p.ident("in the module path")
	}
	if in.Module == nil {
		p.failExpected("`::`", "an intrinsic binds a module function like `string::len`")
	}
	in.Target = first
	in.Pos = p.span(start)
	return in
}

// use parses `use a::b [as c]` and `use a::{b, c as d}`.
func (p *parser) use() *ast.Use {
	start := p.pos()
	p.expect("use", "")
	return p.useTarget(start)
}

func (p *parser) useTarget(start ast.Pos) *ast.Use {
	u := &ast.Use{}
	first := p.ident("for the module")
	u.Path = append(u.Path, first.Name)
	u.PathPos = first.Pos
	for p.accept("::") {
		if p.is("{") {
			p.next()
			p.commaList("}", func() { u.Group = append(u.Group, p.useTarget(p.pos())) })
			p.expect("}", "to close the `use` group")
			u.Pos = p.span(start)
			return u
		}
		id := p.ident("for the module")
		u.Path = append(u.Path, id.Name)
		u.PathPos = u.PathPos.To(id.Pos)
	}
	if p.accept("as") {
		u.Alias = p.ident("for the alias")
	}
	u.Pos = p.span(start)
	return u
}
