package lang

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/rillstream/rill/lang/ast"
)

// Expressions by precedence climbing (spec §2.2). Levels, lowest first: or, xor, and, ^, &, == !=,
// comparisons, shifts, + -, * / %, then prefix + - (level 12), prefix not ! (13), present/absent (14),
// primaries (15).

// binaryPrec returns the precedence of a binary operator token, or 0.
func binaryPrec(t *lexer.Token) int {
	switch t.Type {
	case Keyword:
		switch t.Value {
		case "or":
			return 1
		case "xor":
			return 2
		case "and":
			return 3
		}
	case Punct:
		switch t.Value {
		case "^":
			return 5
		case "&":
			return 6
		case "==", "!=":
			return 7
		case ">=", ">", "<=", "<":
			return 8
		case ">>", ">>>", "<<":
			return 9
		case "+", "-":
			return 10
		case "*", "/", "%":
			return 11
		}
	}
	return 0
}

// expr parses a ComplexExprImut: match and for are allowed at its top, not as operands (spec §2.1).
func (p *parser) expr() ast.Expr {
	if p.is("match") {
		return p.match(true)
	}
	if p.is("for") {
		return p.forExpr(true)
	}
	return p.binary(1)
}

// simpleExpr parses an ExprImut: no match or for at the top (interpolations, group by, with values).
func (p *parser) simpleExpr() ast.Expr {
	return p.binary(1)
}

func (p *parser) binary(min int) ast.Expr {
	l := p.unary()
	for {
		t := p.peek()
		prec := binaryPrec(t)
		if prec == 0 || prec < min {
			return l
		}
		op := p.next()
		r := p.binary(prec + 1)
		l = &ast.Binary{Pos: l.Position().To(r.Position()), Op: op.Value, OpPos: tokPos(op), L: l, R: r}
	}
}

// unary parses level 12: prefix + and -.
func (p *parser) unary() ast.Expr {
	if p.is("-") || p.is("+") {
		t := p.next()
		x := p.unary()
		return &ast.Unary{Pos: p.span(tokPos(t)), Op: t.Value, X: x}
	}
	return p.not()
}

// not parses level 13: prefix not and !.
func (p *parser) not() ast.Expr {
	if p.is("not") || p.is("!") {
		t := p.next()
		if p.is("-") || p.is("+") {
			p.fail(p.peek(), "unexpected `"+p.peek().Value+"` after `"+t.Value+"`", "`"+t.Value+"` binds tighter than a sign; write `"+t.Value+" (-x)`")
		}
		x := p.not()
		return &ast.Unary{Pos: p.span(tokPos(t)), Op: t.Value, X: x}
	}
	if p.is("present") || p.is("absent") {
		t := p.next()
		start := p.pos()
		if n := p.peek(); n.Type != Ident && !isTok(n, "$") && !isTok(n, "event") && !isTok(n, "state") &&
			!isTok(n, "args") && !isTok(n, "group") && !isTok(n, "window") {
			p.fail(n, "unexpected "+describe(n)+", expected a path after `"+t.Value+"`", "`"+t.Value+"` takes a path directly, without parentheses: `"+t.Value+" event.key`")
		}
		e := p.primary()
		path, ok := e.(*ast.Path)
		if !ok {
			p.failAt(start.To(e.Position()), "`"+t.Value+"` takes a path, like `"+t.Value+" event.key`", "")
		}
		return &ast.Present{Pos: p.span(tokPos(t)), Absent: t.Value == "absent", Path: path}
	}
	return p.primary()
}

// primary parses a primary expression followed by any path segments.
func (p *parser) primary() ast.Expr {
	t := p.peek()
	start := tokPos(t)
	switch t.Type {
	case Int:
		p.next()
		return p.intLit(t)
	case Float:
		p.next()
		text := strings.ReplaceAll(t.Value, "_", "")
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
				p.fail(t, "An invalid float literal", "")
			}
		}
		return &ast.Literal{Pos: start, Kind: ast.FloatLit, Float: f, Text: text}
	case StrOpen, HereOpen:
		return p.string()
	case Ident:
		return p.identExpr()
	case Keyword:
		switch t.Value {
		case "null":
			p.next()
			return &ast.Literal{Pos: start, Kind: ast.NullLit}
		case "true", "false":
			p.next()
			return &ast.Literal{Pos: start, Kind: ast.BoolLit, Bool: t.Value == "true"}
		case "event":
			p.next()
			return p.segments(&ast.Path{Pos: start, Root: ast.RootEvent})
		case "state":
			p.next()
			return p.segments(&ast.Path{Pos: start, Root: ast.RootState})
		case "args":
			p.next()
			return p.segments(&ast.Path{Pos: start, Root: ast.RootArgs})
		case "group":
			p.next()
			return p.segments(&ast.Path{Pos: start, Root: ast.RootGroup})
		case "window":
			p.next()
			return p.segments(&ast.Path{Pos: start, Root: ast.RootWindow})
		case "match", "for":
			p.fail(t, "`"+t.Value+"` cannot be an operand here", "wrap it in parentheses: ("+t.Value+" ... end)")
		case "patch":
			return p.exprPath(p.patch())
		case "merge":
			return p.exprPath(p.merge())
		case "recur":
			p.next()
			args := p.callArgs()
			return &ast.Recur{Pos: p.span(start), Args: args}
		}
	case Punct:
		switch t.Value {
		case "$":
			p.next()
			path := &ast.Path{Pos: start, Root: ast.RootMeta}
			if p.peek().Type == Ident {
				path.Name = p.ident("")
			}
			return p.segments(path)
		case "(":
			p.next()
			e := p.expr()
			p.expect(")", "to close `(`")
			return p.exprPath(e)
		case "{":
			return p.exprPath(p.record())
		case "[":
			return p.exprPath(p.list())
		case "<<":
			return p.bytes()
		}
	}
	p.failExpected("an expression", "")
	return nil
}

// exprPath wraps e in an expression path when segments follow.
func (p *parser) exprPath(e ast.Expr) ast.Expr {
	if !p.is(".") && !p.is("[") {
		return e
	}
	return p.segments(&ast.Path{Pos: e.Position(), Root: ast.RootExpr, Base: e})
}

// identExpr parses a local, a module const, or a call.
func (p *parser) identExpr() ast.Expr {
	start := p.pos()
	first := p.ident("")
	var mod ast.ModPath
	name := first
	for p.is("::") {
		p.next()
		mod = append(mod, name.Name)
		name = p.ident("in a module path")
	}
	if p.is("(") {
		args := p.callArgs()
		return p.exprPath(&ast.Call{Pos: p.span(start), Module: mod, Name: name, Args: args})
	}
	if mod != nil {
		return p.segments(&ast.Path{Pos: p.span(start), Root: ast.RootConst, Module: mod, Name: name})
	}
	return p.segments(&ast.Path{Pos: p.span(start), Root: ast.RootLocal, Name: name})
}

// callArgs parses `( [expr (, expr)* ,?] )`.
func (p *parser) callArgs() []ast.Expr {
	p.expect("(", "")
	var args []ast.Expr
	p.commaList(")", func() { args = append(args, p.expr()) })
	p.expect(")", "to close the argument list")
	return args
}

// segments parses .field, [index] and [start:end] steps onto path.
func (p *parser) segments(path *ast.Path) ast.Expr {
	for {
		t := p.peek()
		if isTok(t, ".") {
			p.next()
			n := p.peek()
			if n.Type != Ident {
				p.failExpected("a key name", "after `.`")
			}
			id := p.ident("")
			path.Segments = append(path.Segments, &ast.Segment{Pos: p.span(tokPos(t)), Kind: ast.SegField, Name: id})
			continue
		}
		if isTok(t, "[") {
			p.next()
			idx := p.expr()
			seg := &ast.Segment{Kind: ast.SegIndex, Index: idx}
			if p.accept(":") {
				seg.Kind = ast.SegRange
				seg.End = p.expr()
			}
			p.expect("]", "to close `[`")
			seg.Pos = p.span(tokPos(t))
			path.Segments = append(path.Segments, seg)
			continue
		}
		path.Pos = p.span(path.Pos)
		return path
	}
}

func (p *parser) intLit(t *lexer.Token) *ast.Literal {
	text := strings.ReplaceAll(t.Value, "_", "")
	var v uint64
	var err error
	if strings.HasPrefix(text, "0x") {
		v, err = strconv.ParseUint(text[2:], 16, 64)
		if err != nil {
			p.fail(t, "An invalid hexadecimal", "")
		}
	} else {
		v, err = strconv.ParseUint(text, 10, 64)
		if err != nil {
			p.fail(t, "An invalid integer literal", "integers must fit in 64 bits; use a float for larger numbers")
		}
	}
	return &ast.Literal{Pos: tokPos(t), Kind: ast.IntLit, Int: v, Text: text}
}

// record parses { "key": value, ... }.
func (p *parser) record() ast.Expr {
	start := p.pos()
	p.expect("{", "")
	rec := &ast.Record{}
	p.commaList("}", func() {
		ft := p.peek()
		if ft.Type != StrOpen && ft.Type != HereOpen {
			p.failExpected("a string key", "in a record (keys are string literals: {\"key\": value})")
		}
		key := p.string().(*ast.String)
		p.expect(":", "after a record key")
		v := p.expr()
		rec.Fields = append(rec.Fields, &ast.Field{Pos: key.Pos.To(v.Position()), Key: key, Value: v})
	})
	p.expect("}", "to close the record")
	rec.Pos = p.span(start)
	return rec
}

// list parses [a, b, ...].
func (p *parser) list() ast.Expr {
	start := p.pos()
	p.expect("[", "")
	l := &ast.List{}
	p.commaList("]", func() { l.Items = append(l.Items, p.expr()) })
	p.expect("]", "to close the list")
	l.Pos = p.span(start)
	return l
}

// bytes parses << part, part >>; a part is `value[:bits][/type]` with a unary-level value.
func (p *parser) bytes() ast.Expr {
	start := p.pos()
	p.expect("<<", "")
	b := &ast.Bytes{}
	for !p.is(">>") {
		ps := p.pos()
		part := &ast.BytesPart{Value: p.unary()}
		if p.accept(":") {
			t := p.peek()
			if t.Type != Int {
				p.failExpected("a bit size (an integer)", "after `:`")
			}
			p.next()
			part.Bits = p.intLit(t)
		}
		if p.accept("/") {
			id := p.ident("a binary type like `binary`, `little_signed_integer`")
			part.Type = strings.Split(id.Name, "_")
		}
		part.Pos = p.span(ps)
		b.Parts = append(b.Parts, part)
		if !p.accept(",") {
			break
		}
	}
	p.expect(">>", "to close the binary literal")
	b.Pos = p.span(start)
	return b
}

// string parses a string or heredoc with interpolations.
func (p *parser) string() ast.Expr {
	open := p.next()
	s := &ast.String{Heredoc: open.Type == HereOpen}
	closeKind := StrClose
	if s.Heredoc {
		closeKind = HereClose
	}
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			s.Parts = append(s.Parts, ast.StrPart{Text: text.String()})
			text.Reset()
		}
	}
	for {
		t := p.peek()
		switch t.Type {
		case StrText:
			p.next()
			p.unescape(t, &text)
		case InterpOpen:
			p.next()
			flush()
			e := p.simpleExpr()
			if p.peek().Type != InterpClose {
				p.failExpected("`}`", "to close the interpolation `#{`")
			}
			p.next()
			s.Parts = append(s.Parts, ast.StrPart{Interp: e})
		case closeKind:
			p.next()
			flush()
			s.Pos = p.span(tokPos(open))
			return s
		default:
			p.failExpected("the end of the string", "")
		}
	}
}

// unescape decodes the escapes of a raw string chunk into b. The lexer validated them, so the
// failures are only reachable through participle's own lexer interface.
func (p *parser) unescape(t *lexer.Token, b *strings.Builder) {
	if msg := unescapeString(t.Value, b); msg != "" {
		p.fail(t, msg, "")
	}
}

// unescapeString decodes the escapes of raw string content (spec §1: \" \\ \# \b \f \n \r \t \uXXXX)
// into b, and returns the lexer's message for the first invalid escape, or "".
func unescapeString(v string, b *strings.Builder) string {
	if strings.IndexByte(v, '\\') < 0 {
		b.WriteString(v)
		return ""
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\\' || i+1 >= len(v) {
			b.WriteByte(c)
			continue
		}
		i++
		switch v[i] {
		case '"', '\\', '#', '/':
			b.WriteByte(v[i])
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			if i+5 <= len(v) {
				n, err := strconv.ParseUint(v[i+1:i+5], 16, 32)
				if err == nil && utf8.ValidRune(rune(n)) {
					b.WriteRune(rune(n))
					i += 4
					continue
				}
			}
			return "An invalid UTF8 escape sequence was found"
		default:
			return "An unexpected escape code '" + string(v[i]) + "' was found"
		}
	}
	return ""
}

// extractor parses `kind|rule|` (the kind identifier, then the extractor literal).
func (p *parser) extractor() *ast.Extractor {
	kind := p.ident("an extractor kind like `re` or `glob`")
	t := p.peek()
	if t.Type != Extractor {
		p.failExpected("an extractor rule `|...|`", "after `"+kind.Name+"`")
	}
	p.next()
	raw := t.Value[1 : len(t.Value)-1]
	return &ast.Extractor{Pos: p.span(kind.Pos), Kind: kind, Rule: decodeExtractorRule(raw), Raw: raw}
}

// decodeExtractorRule resolves `\|`, `\\` and backslash-newline continuations (spec §1): the rule is split
// at continuations, the common indentation of the non-empty segments is cut, and the segments are joined.
func decodeExtractorRule(raw string) string {
	segs, _ := extractorSegments(raw)
	return strings.Join(segs, "")
}

// extractorSegments splits a raw extractor rule at its backslash-newline continuations, resolves
// `\|` and `\\`, and cuts the indentation common to the non-empty segments (the first included) from
// each of them. It also returns that indentation (0 for a one-line rule).
func extractorSegments(raw string) (segs []string, indent int) {
	var cur strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '\\' && i+1 < len(raw) {
			switch raw[i+1] {
			case '|', '\\':
				cur.WriteByte(raw[i+1])
				i++
				continue
			case '\n':
				segs = append(segs, cur.String())
				cur.Reset()
				i++
				continue
			}
		}
		cur.WriteByte(c)
	}
	segs = append(segs, cur.String())
	if len(segs) == 1 {
		return segs, 0
	}
	indent = -1
	for _, s := range segs {
		if s == "" {
			continue
		}
		if n := len(s) - len(strings.TrimLeft(s, " \t")); indent < 0 || n < indent {
			indent = n
		}
	}
	indent = max(indent, 0)
	for k, s := range segs {
		if s != "" {
			segs[k] = s[indent:]
		}
	}
	return segs, indent
}
