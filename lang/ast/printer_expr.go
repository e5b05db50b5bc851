package ast

import (
	"math"
	"strconv"
	"strings"
)

// Printing of expressions: precedence-driven parentheses, literals and string escaping, paths,
// and the match/for/patch/merge forms.

// expr prints e in the syntactic position c.
func (p *printer) expr(e Expr, c ctx) {
	switch e := e.(type) {
	case *Match:
		if c == cImut || (c == cStmt && e.Imut) {
			p.paren(e)
		} else {
			p.match(e)
		}
	case *For:
		if c == cImut || (c == cStmt && e.Imut) {
			p.paren(e)
		} else {
			p.forExpr(e)
		}
	default:
		p.operand(e, lvlStmt)
	}
}

func (p *printer) paren(e Expr) {
	p.write("(")
	p.expr(e, cComplex)
	p.write(")")
}

// operand prints e where only expressions of precedence level min or higher are accepted.
func (p *printer) operand(e Expr, min int) {
	if e == nil {
		return
	}
	if level(e) < min {
		p.paren(e)
		return
	}
	switch e := e.(type) {
	case *Literal:
		p.literal(e)
	case *String:
		p.str(e)
	case *Bytes:
		p.bytes(e)
	case *Record:
		p.record(e)
	case *List:
		p.list(e)
	case *Path:
		p.path(e)
	case *Binary:
		l := level(e)
		p.operand(e.L, l)
		p.write(" " + e.Op + " ")
		p.operand(e.R, l+1)
	case *Unary:
		p.write(e.Op)
		if e.Op == "not" {
			p.write(" ")
		}
		p.operand(e.X, level(e))
	case *Present:
		if e.Absent {
			p.write("absent ")
		} else {
			p.write("present ")
		}
		if e.Path != nil {
			p.path(e.Path)
		}
	case *Call:
		p.modPath(e.Module)
		p.ident(e.Name)
		p.args(e.Args)
	case *Recur:
		p.write("recur")
		p.args(e.Args)
	case *Match:
		p.match(e)
	case *Patch:
		p.patch(e)
	case *Merge:
		p.write("merge ")
		p.expr(e.Target, cComplex)
		p.write(" of ")
		p.expr(e.Value, cComplex)
		p.write(" end")
	case *For:
		p.forExpr(e)
	case *Let:
		p.write("let ")
		if e.Target != nil {
			p.path(e.Target)
		}
		p.write(" = ")
		p.expr(e.Value, cStmt)
	case *Emit:
		p.write("emit")
		if e.Value != nil {
			p.write(" ")
			p.expr(e.Value, cComplex)
		}
		if e.Port != nil {
			p.write(" => ")
			p.expr(e.Port, cImut)
		}
	case *Drop:
		p.write("drop")
	}
}

func (p *printer) args(args []Expr) {
	p.write("(")
	for i, a := range args {
		if i > 0 {
			p.write(", ")
		}
		p.expr(a, cComplex)
	}
	p.write(")")
}

func (p *printer) literal(n *Literal) {
	switch n.Kind {
	case BoolLit:
		p.write(strconv.FormatBool(n.Bool))
	case IntLit:
		if n.Text != "" {
			p.write(n.Text)
		} else {
			p.write(strconv.FormatUint(n.Int, 10))
		}
	case FloatLit:
		if n.Text != "" {
			p.write(n.Text)
		} else {
			p.write(FormatFloat(n.Float))
		}
	default:
		p.write("null")
	}
}

// FormatFloat renders v as a float literal of the language: always with a `.`, and an exponent (only
// allowed after a fraction) for very large or small magnitudes: 1.0, 0.5, 1.5e300, 1.0e-7. A negative v
// is written as unary minus; infinities and NaN, which have no literal, as parenthesised divisions.
func FormatFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return "(0.0 / 0.0)"
	case math.IsInf(v, 1):
		return "(1.0 / 0.0)"
	case math.IsInf(v, -1):
		return "(-1.0 / 0.0)"
	case math.Signbit(v):
		return "-" + FormatFloat(-v)
	}
	if v != 0 && (v >= 1e21 || v < 1e-6) {
		s := strconv.FormatFloat(v, 'e', -1, 64) // 1.5e+300, 1e-07
		mant, exp, _ := strings.Cut(s, "e")
		if !strings.Contains(mant, ".") {
			mant += ".0"
		}
		neg := strings.HasPrefix(exp, "-")
		exp = strings.TrimLeft(exp, "+-")
		exp = strings.TrimLeft(exp, "0")
		if exp == "" {
			exp = "0"
		}
		if neg {
			exp = "-" + exp
		}
		return mant + "e" + exp
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// textParts merges adjacent text parts.
func textParts(parts []StrPart) []StrPart {
	var out []StrPart
	for _, pt := range parts {
		if pt.Interp == nil && len(out) > 0 && out[len(out)-1].Interp == nil {
			out[len(out)-1].Text += pt.Text
			continue
		}
		out = append(out, pt)
	}
	return out
}

func (p *printer) str(n *String) {
	parts := textParts(n.Parts)
	if n.Heredoc {
		p.write(`"""`)
		p.nl()
		p.pending = false // heredoc content is verbatim: no indentation
	} else {
		p.write(`"`)
	}
	for i, pt := range parts {
		if pt.Interp != nil {
			p.interp(pt.Interp)
			continue
		}
		last := i == len(parts)-1
		if n.Heredoc {
			p.write(escapeHeredoc(pt.Text, last))
		} else {
			p.write(escapeString(pt.Text))
		}
	}
	if n.Heredoc {
		p.write(`"""`)
	} else {
		p.write(`"`)
	}
}

func (p *printer) interp(e Expr) {
	p.write("#{")
	flat := p.flat
	p.flat = true
	p.expr(e, cImut)
	p.flat = flat
	p.write("}")
}

// writeEscapedRune writes r (at byte i of s) as string content: `#{` becomes `\#{` so it is not read as an
// interpolation, other control characters become \u00XX, everything else is written as is.
func writeEscapedRune(b *strings.Builder, s string, i int, r rune) {
	switch {
	case r == '#' && i+1 < len(s) && s[i+1] == '{':
		b.WriteString(`\#`)
	case r < 0x20 || r == 0x7f:
		b.WriteString(`\u00`)
		b.WriteString(strconv.FormatInt(int64(r)>>4, 16))
		b.WriteString(strconv.FormatInt(int64(r)&15, 16))
	default:
		b.WriteRune(r)
	}
}

// EscapeString escapes the text of a string literal (without the quotes).
func EscapeString(s string) string { return escapeString(s) }

func escapeString(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			writeEscapedRune(&b, s, i, r)
		}
	}
	return b.String()
}

// escapeHeredoc escapes heredoc content: `\`, `#{`, control characters other than newline and tab, every
// third `"` of a run of quotes, and a `"` that ends the content (so no `"""` can appear unescaped).
func escapeHeredoc(s string, last bool) string {
	var b strings.Builder
	run := 0 // unescaped quotes just written
	for i, r := range s {
		if r != '"' {
			run = 0
		}
		switch r {
		case '"':
			if run == 2 || (i+1 == len(s) && last) {
				b.WriteString(`\"`)
				run = 0
			} else {
				b.WriteByte('"')
				run++
			}
		case '\\':
			b.WriteString(`\\`)
		case '\n', '\t':
			b.WriteRune(r)
		case '\r':
			b.WriteString(`\r`)
		default:
			writeEscapedRune(&b, s, i, r)
		}
	}
	return b.String()
}

func (p *printer) bytes(n *Bytes) {
	p.write("<<")
	for i, pt := range n.Parts {
		if i > 0 {
			p.write(", ")
		}
		p.bytesPart(pt)
	}
	p.write(">>")
}

func (p *printer) bytesPart(n *BytesPart) {
	if n == nil {
		return
	}
	p.operand(n.Value, lvlPrimary)
	if n.Bits != nil {
		p.write(":")
		p.operand(n.Bits, lvlPrimary)
	}
	if len(n.Type) > 0 {
		p.write("/" + strings.Join(n.Type, "_"))
	}
}

func (p *printer) field(f *Field) {
	if f == nil {
		return
	}
	if f.Key != nil {
		p.str(f.Key)
	} else {
		p.write(`""`)
	}
	p.write(": ")
	p.expr(f.Value, cComplex)
}

func (p *printer) record(n *Record) {
	if len(n.Fields) == 0 {
		p.write("{}")
		return
	}
	if !p.has(n) && p.tryFlat(exprWidth, func(q *printer) {
		q.write("{")
		for i, f := range n.Fields {
			if i > 0 {
				q.write(", ")
			}
			q.field(f)
		}
		q.write("}")
	}) {
		return
	}
	p.write("{")
	p.in()
	p.nl()
	p.items(nodes(n.Fields), between(",", len(n.Fields)), func(f Node) { p.field(f.(*Field)) })
	p.out()
	p.nl()
	p.write("}")
}

func (p *printer) list(n *List) {
	if len(n.Items) == 0 {
		p.write("[]")
		return
	}
	if !p.has(n) && p.tryFlat(exprWidth, func(q *printer) {
		q.write("[")
		for i, e := range n.Items {
			if i > 0 {
				q.write(", ")
			}
			q.expr(e, cComplex)
		}
		q.write("]")
	}) {
		return
	}
	p.write("[")
	p.in()
	p.nl()
	p.items(nodes(n.Items), between(",", len(n.Items)), func(e Node) { p.expr(e.(Expr), cComplex) })
	p.out()
	p.nl()
	p.write("]")
}

func (p *printer) path(n *Path) {
	switch n.Root {
	case RootLocal:
		p.ident(n.Name)
	case RootEvent:
		p.write("event")
	case RootMeta:
		p.write("$")
		p.ident(n.Name)
	case RootState:
		p.write("state")
	case RootArgs:
		p.write("args")
	case RootGroup:
		p.write("group")
	case RootWindow:
		p.write("window")
	case RootConst:
		p.modPath(n.Module)
		p.ident(n.Name)
	case RootExpr:
		switch b := n.Base.(type) {
		case *List:
			p.list(b)
		case *Record:
			p.record(b)
		case *Call:
			p.operand(b, lvlPrimary)
		default:
			p.paren(n.Base)
		}
	}
	for _, s := range n.Segments {
		p.segment(s)
	}
}

func (p *printer) segment(s *Segment) {
	if s == nil {
		return
	}
	switch s.Kind {
	case SegField:
		p.write(".")
		p.ident(s.Name)
	case SegIndex:
		p.write("[")
		p.expr(s.Index, cComplex)
		p.write("]")
	case SegRange:
		p.write("[")
		p.expr(s.Index, cComplex)
		p.write(":")
		p.expr(s.End, cComplex)
		p.write("]")
	}
}

func (p *printer) extractor(n *Extractor) {
	if n == nil {
		return
	}
	p.ident(n.Kind)
	raw := n.Raw
	if raw == "" && n.Rule != "" {
		raw = strings.NewReplacer(`\`, `\\`, `|`, `\|`).Replace(n.Rule)
	}
	p.write("|" + raw + "|")
}

// body prints the expressions of a case (owner): on the case line when it is one expression that fits
// (and no comment is placed inside the case), else one per line, indented, separated by `;` (statement
// level) or `,` (expression level).
func (p *printer) body(owner Node, body []Expr, imut bool) {
	c, sep := cStmt, ";"
	if imut {
		c, sep = cComplex, ","
	}
	if len(body) == 1 && !p.has(owner) && p.tryFlat(exprWidth, func(q *printer) {
		q.write(" ")
		q.expr(body[0], c)
	}) {
		return
	}
	p.in()
	p.nl()
	p.items(nodes(body), between(sep, len(body)), func(e Node) { p.expr(e.(Expr), c) })
	p.out()
}

func (p *printer) clause(n *Clause, imut, fnCase bool) {
	if n == nil {
		return
	}
	p.write("case ")
	if tp, ok := n.Pattern.(*TuplePattern); ok && fnCase {
		p.write("(")
		p.patterns(tp.Items)
		if tp.Open {
			if len(tp.Items) > 0 {
				p.write(", ")
			}
			p.write("...")
		}
		p.write(")")
	} else {
		p.pattern(n.Pattern)
	}
	if n.Guard != nil {
		p.write(" when ")
		p.expr(n.Guard, cComplex)
	}
	p.write(" =>")
	p.body(n, n.Body, imut)
}

func (p *printer) match(n *Match) {
	p.write("match ")
	p.expr(n.Target, cComplex)
	p.write(" of")
	p.in()
	p.nl()
	p.items(nodes(n.Clauses), none, func(c Node) { p.clause(c.(*Clause), n.Imut, false) })
	p.out()
	p.nl()
	p.write("end")
}

func (p *printer) forCase(n *ForCase, imut bool) {
	if n == nil {
		return
	}
	p.write("case (")
	p.ident(n.Key)
	p.write(", ")
	p.ident(n.Value)
	p.write(")")
	if n.Guard != nil {
		p.write(" when ")
		p.expr(n.Guard, cComplex)
	}
	p.write(" =>")
	p.body(n, n.Body, imut)
}

func (p *printer) forExpr(n *For) {
	p.write("for ")
	p.expr(n.Target, cComplex)
	p.write(" of")
	p.in()
	p.nl()
	p.items(nodes(n.Cases), none, func(c Node) { p.forCase(c.(*ForCase), n.Imut) })
	p.out()
	if n.Into != nil {
		p.nl()
		p.write("into ")
		p.expr(n.Into, cComplex)
		if n.FoldOp != "" {
			p.write(" use " + n.FoldOp)
		}
	}
	p.nl()
	p.write("end")
}

func (p *printer) patchOp(n *PatchOp) {
	if n == nil {
		return
	}
	p.write(n.Op)
	if n.Key != nil {
		p.write(" ")
		p.str(n.Key)
	}
	switch {
	case n.To != nil:
		p.write(" => ")
		p.str(n.To)
	case n.Value != nil:
		p.write(" => ")
		p.expr(n.Value, cComplex)
	}
}

func (p *printer) patch(n *Patch) {
	p.write("patch ")
	p.expr(n.Target, cComplex)
	p.write(" of")
	if len(n.Ops) == 1 && !p.has(n) {
		p.write(" ")
		p.patchOp(n.Ops[0])
		p.write(" end")
		return
	}
	p.in()
	p.nl()
	p.items(nodes(n.Ops), between(";", len(n.Ops)), func(op Node) { p.patchOp(op.(*PatchOp)) })
	p.out()
	p.nl()
	p.write("end")
}

// ---------------------------------------------------------------------------------------------------
