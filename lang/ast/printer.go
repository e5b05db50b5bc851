package ast

// The printer renders any node as valid source in the canonical layout, such that parsing the printed text
// gives an Equal tree. Layout rules, in short:
//   - two spaces of indentation per level; no trailing whitespace;
//   - binary operators spaced, parentheses only where precedence (spec §2.2) requires them;
//   - records and lists on one line when that line fits in 80 columns and holds no multi-line element,
//     else one element per line;
//   - match and for are always multi-line, one `case` per line; a case whose body is one expression that
//     fits keeps it on the case line;
//   - a select on one line when it fits in 100 columns, else one clause per line;
//   - definitions (`define ...`) one section keyword per line, their lists and bodies indented.
//
// The printer knows which nodes are *items* (elements of a list printed one per line, see Decorator). A
// Decorator (see FprintDecorated) may add comments and blank lines around items; the formatter of package
// lang uses this to keep the comments of a file.

import (
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Layout limits.
const (
	exprWidth   = 80  // records, lists, inline case bodies and inline `with` lists fit in this column
	selectWidth = 100 // a select is printed on one line when it fits in this column
	indentStep  = 2
)

// Decorator supplies what a formatter interleaves with the items of a tree: comment lines and blank lines
// before an item, a comment after it on the same line, comment lines after the last item of a body.
// Items are the elements of the lists the printer prints one per line: the config directives and
// statements of a file, pipeline or flow body; the items of a script body; the expressions of a fn body;
// the clauses of a match or fn and the cases of a for, and the expressions of their bodies; the ops of a
// patch; the fields of a record and the elements of a list; the declarations of an `args` list and the
// arguments of a `with` list. Comment texts include their `#`. Decorations are not printed inside
// constructs that are always printed flat (string interpolations and config values).
type Decorator interface {
	// Leading returns the lines printed before item, at its indentation: comment texts, and "" for a blank
	// line (dropped when it would open a body).
	Leading(item Node) []string
	// Trailing returns a comment printed after item (and its `;`) on the same line, or "".
	Trailing(item Node) string
	// Closing returns the lines printed after last, the last item of a body, at its indentation: comment
	// texts, and "" for a blank line.
	Closing(last Node) []string
	// Has reports whether comments are placed inside n (among the items of its bodies, at any depth).
	// Such a node is printed in its multi-line layout, never flat.
	Has(n Node) bool
}

// Fprint writes the canonical source of n to w.
func Fprint(w io.Writer, n Node) error {
	return FprintDecorated(w, n, nil)
}

// FprintDecorated writes the canonical source of n to w, with the comments and blank lines that d
// supplies around items (d may be nil).
func FprintDecorated(w io.Writer, n Node, d Decorator) error {
	p := &printer{dec: d}
	p.node(n)
	_, err := io.WriteString(w, p.b.String())
	return err
}

// render prints n without decoration.
func render(n Node) string {
	p := &printer{}
	p.node(n)
	return p.b.String()
}

// keywords are the reserved words (a copy of lang.Keywords: ast must not import lang).
var keywords = map[string]bool{}

func init() {
	for _, k := range []string{
		"intrinsic", "mod", "const", "let", "match", "end", "fn", "null", "case", "of", "when", "default",
		"patch", "insert", "upsert", "update", "erase", "move", "copy", "merge", "for", "event", "state",
		"present", "absent", "true", "false", "and", "or", "xor", "not", "drop", "emit", "select", "from",
		"where", "with", "group", "by", "having", "into", "create", "tumbling", "sliding", "window", "stream",
		"operator", "script", "set", "each", "define", "args", "use", "as", "recur", "pipeline", "connector",
		"connect", "flow", "to", "deploy",
	} {
		keywords[k] = true
	}
}

// IdentText returns name as it must be written: bare when it is a plain identifier that is not a keyword,
// else in backticks.
func IdentText(name string) string {
	if plainIdent(name) {
		return name
	}
	return "`" + name + "`"
}

func plainIdent(s string) bool {
	if s == "" || keywords[s] {
		return false
	}
	for i, r := range s {
		if i == 0 {
			if !unicode.IsLetter(r) {
				return false
			}
		} else if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			return false
		}
	}
	return true
}

// Precedence levels (spec §2.2).
const (
	lvlStmt    = 0 // match, for, let, emit, drop: never an operand without parentheses
	lvlSign    = 12
	lvlNot     = 13
	lvlPresent = 14
	lvlPrimary = 15
)

var binLevel = map[string]int{
	"or": 1, "xor": 2, "and": 3, "^": 5, "&": 6,
	"==": 7, "!=": 7,
	">=": 8, ">": 8, "<=": 8, "<": 8,
	">>": 9, ">>>": 9, "<<": 9,
	"+": 10, "-": 10,
	"*": 11, "/": 11, "%": 11,
}

func level(e Expr) int {
	switch e := e.(type) {
	case *Binary:
		if l, ok := binLevel[e.Op]; ok {
			return l
		}
		return 1
	case *Unary:
		if e.Op == "not" || e.Op == "!" {
			return lvlNot
		}
		return lvlSign
	case *Present:
		return lvlPresent
	case *Match, *For, *Let, *Emit, *Drop:
		return lvlStmt
	case *Literal:
		if e.Kind == FloatLit && e.Text == "" && (math.Signbit(e.Float) || math.IsInf(e.Float, 0) || math.IsNaN(e.Float)) {
			return lvlSign // printed as -x or as a parenthesised division
		}
	}
	return lvlPrimary
}

// ctx is the syntactic position of an expression, which decides whether match and for need parentheses.
type ctx int

const (
	cStmt    ctx = iota // statement position (script item, let RHS, statement-level case body)
	cComplex            // ComplexExprImut: match/for allowed bare (and parsed as expression-level)
	cImut               // ExprImut: match/for must be parenthesised
)

type printer struct {
	b       strings.Builder
	indent  int  // current indentation, in spaces
	col     int  // characters on the current line
	pending bool // a newline was written; the indentation of the next line is not yet
	flat    bool // records and lists never break
	limit   int  // in a trial rendering: abort at a newline or past this column (0: no limit)
	dec     Decorator
}

// abortTrial stops a trial rendering (see flatText) as soon as it cannot fit.
type abortTrial struct{}

// write appends s; the indentation of a new line is written lazily, before its first text.
// Newlines inside s (heredoc content) are written verbatim, without indentation.
func (p *printer) write(s string) {
	if s == "" {
		return
	}
	if p.pending {
		p.b.WriteString(strings.Repeat(" ", p.indent))
		p.col = p.indent
		p.pending = false
	}
	p.b.WriteString(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		p.col = utf8.RuneCountInString(s[i+1:])
		if p.limit > 0 {
			panic(abortTrial{})
		}
	} else {
		p.col += utf8.RuneCountInString(s)
	}
	if p.limit > 0 && p.col > p.limit {
		panic(abortTrial{})
	}
}

// nl ends the line.
func (p *printer) nl() {
	if p.limit > 0 {
		panic(abortTrial{})
	}
	p.b.WriteByte('\n')
	p.col = 0
	p.pending = true
}

func (p *printer) in()  { p.indent += indentStep }
func (p *printer) out() { p.indent -= indentStep }

func (p *printer) column() int {
	if p.pending {
		return p.indent
	}
	return p.col
}

// flatText renders f in a flat, undecorated sub-printer starting at the current column, and reports
// whether the result is one line ending at or before column limit. The trial stops as soon as it
// cannot fit, so trying at every level of a deep tree costs little.
func (p *printer) flatText(limit int, f func(q *printer)) (s string, ok bool) {
	q := &printer{indent: p.indent, col: p.column(), flat: true, limit: limit}
	defer func() {
		if r := recover(); r != nil {
			if _, abort := r.(abortTrial); !abort {
				panic(r)
			}
			s, ok = "", false
		}
	}()
	f(q)
	return q.b.String(), true
}

// tryFlat writes the flat rendering of f when it fits in limit and reports whether it did. In a flat
// printer it always renders flat.
func (p *printer) tryFlat(limit int, f func(q *printer)) bool {
	if p.flat {
		f(p)
		return true
	}
	if s, ok := p.flatText(limit, f); ok {
		p.write(s)
		return true
	}
	return false
}

func (p *printer) ident(id *Ident) {
	if id == nil {
		return
	}
	p.write(IdentText(id.Name))
}

func (p *printer) modPath(m ModPath) {
	for _, s := range m {
		p.write(IdentText(s))
		p.write("::")
	}
}

func (p *printer) idents(ids []*Ident) {
	for i, id := range ids {
		if i > 0 {
			p.write(", ")
		}
		p.ident(id)
	}
}

func (p *printer) docs(doc []string) {
	for _, d := range doc {
		p.write("##" + d)
		p.nl()
	}
}

// node prints any node.
func (p *printer) node(n Node) {
	switch n := n.(type) {
	case nil:
	case Expr:
		p.expr(n, cComplex)
	case Pattern:
		p.pattern(n)
	case Stmt:
		p.stmt(n)
	case GroupBy:
		p.groupBy(n)
	case *Ident:
		p.ident(n)
	case *Clause:
		p.clause(n, false, false)
	case *PatchOp:
		p.patchOp(n)
	case *ForCase:
		p.forCase(n, false)
	case *Field:
		p.field(n)
	case *BytesPart:
		p.bytesPart(n)
	case *Segment:
		p.segment(n)
	case *FieldPattern:
		p.fieldPattern(n)
	case *Extractor:
		p.extractor(n)
	case *ArgDecl:
		p.argDecl(n)
	case *WithArg:
		p.withArg(n)
	case *Config:
		p.config(n)
	case *Target:
		p.target(n)
	case *StreamRef:
		p.streamRef(n)
	case *WindowRef:
		p.windowRef(n)
	case *FlowRef:
		p.flowRef(n)
	case *PortScript:
		p.portScript(n)
	case *Script:
		p.scriptItems(n)
	case *File:
		p.file(n)
	}
}

// ---------------------------------------------------------------------------------------------------
// Expressions

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
// Patterns

func (p *printer) patterns(ps []Pattern) {
	for i, pt := range ps {
		if i > 0 {
			p.write(", ")
		}
		p.pattern(pt)
	}
}

func (p *printer) pattern(pt Pattern) {
	switch n := pt.(type) {
	case *DefaultPattern:
		p.write("_")
	case *ExprPattern:
		p.expr(n.Expr, cComplex)
	case *ExtractPattern:
		p.write("~ ")
		p.extractor(n.Extractor)
	case *RecordPattern:
		if len(n.Fields) == 0 {
			p.write("%{}")
			return
		}
		p.write("%{ ")
		for i, f := range n.Fields {
			if i > 0 {
				p.write(", ")
			}
			p.fieldPattern(f)
		}
		p.write(" }")
	case *ArrayPattern:
		p.write("%[")
		p.patterns(n.Items)
		p.write("]")
	case *TuplePattern:
		p.write("%(")
		p.patterns(n.Items)
		if n.Open {
			if len(n.Items) > 0 {
				p.write(", ")
			}
			p.write("...")
		}
		p.write(")")
	case *AssignPattern:
		p.ident(n.Name)
		p.write(" = ")
		p.pattern(n.Pattern)
	}
}

func (p *printer) fieldPattern(f *FieldPattern) {
	if f == nil {
		return
	}
	switch f.Test {
	case FieldPresent:
		p.write("present ")
		p.ident(f.Key)
	case FieldAbsent:
		p.write("absent ")
		p.ident(f.Key)
	case FieldCompare:
		p.ident(f.Key)
		p.write(" " + f.Op + " ")
		p.expr(f.Value, cComplex)
	case FieldExtract:
		if f.Alias != nil {
			p.ident(f.Alias)
			p.write(" = ")
		}
		p.ident(f.Key)
		p.write(" ~= ")
		p.extractor(f.Extractor)
	case FieldSubPattern:
		p.ident(f.Key)
		p.write(" ~= ")
		p.pattern(f.Sub)
	}
}

// ---------------------------------------------------------------------------------------------------
// Items and statements

// items prints the items of a list, one per line at the current indentation, starting on the current
// (fresh) line. sep returns the separator written after item i ("", ";" or ","). The decorator's lines
// are added around the items.
func (p *printer) items(items []Node, sep func(i int) string, one func(n Node)) {
	dec := p.dec
	if p.flat {
		dec = nil
	}
	for i, it := range items {
		if i > 0 {
			p.nl()
		}
		if dec != nil {
			opened := i == 0
			for _, l := range dec.Leading(it) {
				if l == "" {
					if !opened {
						p.nl()
						opened = true
					}
					continue
				}
				p.write(l)
				p.nl()
				opened = false
			}
		}
		one(it)
		p.write(sep(i))
		if dec != nil {
			if t := dec.Trailing(it); t != "" {
				p.write(" " + t)
			}
		}
	}
	if dec != nil && len(items) > 0 {
		for _, l := range dec.Closing(items[len(items)-1]) {
			p.nl()
			p.write(l) // "" leaves the line empty
		}
	}
}

// has reports whether the decorator placed comments inside n.
func (p *printer) has(n Node) bool {
	return p.dec != nil && !p.flat && p.dec.Has(n)
}

// between returns a separator function writing s after every item but the last of n items.
func between(s string, n int) func(int) string {
	return func(i int) string {
		if i < n-1 {
			return s
		}
		return ""
	}
}

func none(int) string { return "" }

func nodes[T Node](xs []T) []Node {
	out := make([]Node, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// isQuery reports whether s is a trickle or troy statement (always followed by `;` in a file).
func isQuery(s Stmt) bool {
	switch s.(type) {
	case *DefineWindow, *DefineScript, *DefineOperator, *DefinePipeline, *CreateStream, *Create, *Select,
		*DefinePeer, *DefineFlow, *Connect, *Deploy:
		return true
	}
	return false
}

func (p *printer) file(f *File) {
	for _, d := range f.ModDoc {
		p.write("###" + d)
		p.nl()
	}
	query := false
	for _, s := range f.Stmts {
		if isQuery(s) {
			query = true
		}
	}
	items := make([]Node, 0, len(f.Config)+len(f.Stmts))
	for _, c := range f.Config {
		items = append(items, c)
	}
	for _, s := range f.Stmts {
		items = append(items, s)
	}
	p.items(items, func(i int) string {
		if i >= len(f.Config) && (query || i < len(items)-1) {
			return ";"
		}
		return ""
	}, p.node)
	if len(items) > 0 {
		p.nl()
	}
}

// scriptItems prints the items of a script body at the current indentation, `;`-separated.
func (p *printer) scriptItems(s *Script) {
	if s == nil {
		return
	}
	items := make([]Node, len(s.Items))
	for i, it := range s.Items {
		items[i] = it
	}
	p.items(items, between(";", len(items)), p.node)
}

// section prints keyword and, indented on the next lines, the body.
func (p *printer) section(keyword string, body func()) {
	p.nl()
	p.write(keyword)
	p.in()
	p.nl()
	body()
	p.out()
}

func (p *printer) scriptSection(keyword string, s *Script) {
	if s == nil || len(s.Items) == 0 {
		p.nl()
		p.write(keyword)
		return
	}
	p.section(keyword, func() { p.scriptItems(s) })
}

func (p *printer) portScript(n *PortScript) {
	p.write("script from ")
	p.ident(n.Port)
	if n.Script != nil && len(n.Script.Items) > 0 {
		p.in()
		p.nl()
		p.scriptItems(n.Script)
		p.out()
	}
}

func (p *printer) argDecl(a *ArgDecl) {
	if a == nil {
		return
	}
	p.ident(a.Name)
	if a.Default != nil {
		p.write(" = ")
		p.expr(a.Default, cImut)
	}
}

func (p *printer) withArg(a *WithArg) {
	if a == nil {
		return
	}
	p.ident(a.Name)
	p.write(" = ")
	p.expr(a.Value, cImut)
}

// argsSection prints `args` and one declaration per line.
func (p *printer) argsSection(args []*ArgDecl) {
	if len(args) == 0 {
		return
	}
	p.section("args", func() {
		p.items(nodes(args), between(",", len(args)), func(a Node) { p.argDecl(a.(*ArgDecl)) })
	})
}

// withSection prints `with` and one argument per line (without the closing `end`).
func (p *printer) withSection(with []*WithArg) {
	p.nl()
	p.write("with")
	if len(with) == 0 {
		return
	}
	p.in()
	p.nl()
	p.items(nodes(with), between(",", len(with)), func(a Node) { p.withArg(a.(*WithArg)) })
	p.out()
}

// inlineWith writes ` with a = 1, b = 2 end` (flat).
func inlineWith(q *printer, with []*WithArg) {
	q.write(" with")
	for i, a := range with {
		if i > 0 {
			q.write(",")
		}
		q.write(" ")
		q.withArg(a)
	}
	q.write(" end")
}

// withEnd prints a create or deploy (n) with its `with ... end` block: inline when the whole line fits,
// else one argument per line.
func (p *printer) withEnd(n Node, head func(q *printer), with []*WithArg, hasWith bool) {
	hasWith = hasWith || len(with) > 0
	if !p.has(n) && p.tryFlat(selectWidth, func(q *printer) {
		head(q)
		if hasWith {
			inlineWith(q, with)
		}
	}) {
		return
	}
	head(p)
	if hasWith {
		p.withSection(with)
		p.nl()
		p.write("end")
	}
}

func (p *printer) config(c *Config) {
	if c == nil {
		return
	}
	p.write("#!config ")
	p.ident(c.Key)
	p.write(" = ")
	flat := p.flat
	p.flat = true
	p.expr(c.Value, cImut)
	p.flat = flat
}

func (p *printer) target(t *Target) {
	if t == nil {
		return
	}
	p.modPath(t.Module)
	p.ident(t.Name)
}

func (p *printer) streamRef(s *StreamRef) {
	if s == nil {
		return
	}
	p.ident(s.Name)
	if s.Port != nil {
		p.write("/")
		p.ident(s.Port)
	}
}

func (p *printer) windowRef(w *WindowRef) {
	if w == nil {
		return
	}
	p.modPath(w.Module)
	p.ident(w.Name)
}

func (p *printer) flowRef(f *FlowRef) {
	if f == nil {
		return
	}
	p.write("/" + f.Kind + "/")
	p.ident(f.Name)
	if f.Port != nil {
		p.write("/")
		p.ident(f.Port)
	}
}

func (p *printer) groupBy(g GroupBy) {
	switch g := g.(type) {
	case *GroupExpr:
		p.expr(g.Expr, cImut)
	case *GroupSet:
		p.write("set(")
		for i, it := range g.Items {
			if i > 0 {
				p.write(", ")
			}
			p.groupBy(it)
		}
		p.write(")")
	case *GroupEach:
		p.write("each(")
		p.expr(g.Expr, cImut)
		p.write(")")
	}
}

func (p *printer) params(params []*Ident, variadic bool) {
	p.write("(")
	p.idents(params)
	if variadic {
		if len(params) > 0 {
			p.write(", ")
		}
		p.write("...")
	}
	p.write(")")
}

func (p *printer) stmt(s Stmt) {
	switch n := s.(type) {
	case *ExprStmt:
		p.expr(n.Expr, cStmt)
	case *Use:
		p.write("use ")
		p.use(n)
	case *Const:
		p.docs(n.Doc)
		p.write("const ")
		p.ident(n.Name)
		p.write(" = ")
		p.expr(n.Value, cComplex)
	case *FnDef:
		p.fnDef(n)
	case *Intrinsic:
		p.docs(n.Doc)
		p.write("intrinsic fn ")
		p.ident(n.Name)
		p.params(n.Params, n.Variadic)
		p.write(" as ")
		p.modPath(n.Module)
		p.ident(n.Target)
	case *DefineWindow:
		p.defineWindow(n)
	case *DefineScript:
		p.defineScript(n)
	case *DefineOperator:
		p.defineOperator(n)
	case *DefinePipeline:
		p.definePipeline(n)
	case *CreateStream:
		p.write("create stream ")
		p.ident(n.Name)
	case *Create:
		p.withEnd(n, func(q *printer) {
			q.write("create " + n.Kind + " ")
			q.ident(n.Name)
			if n.From != nil {
				q.write(" from ")
				q.target(n.From)
			}
		}, n.With, n.HasWith)
	case *Select:
		p.selectStmt(n)
	case *DefinePeer:
		p.definePeer(n)
	case *DefineFlow:
		p.defineFlow(n)
	case *Connect:
		p.write("connect ")
		p.flowRef(n.From)
		p.write(" to ")
		p.flowRef(n.To)
	case *Deploy:
		p.docs(n.Doc)
		p.withEnd(n, func(q *printer) {
			q.write("deploy flow ")
			q.ident(n.Name)
			if n.From != nil {
				q.write(" from ")
				q.target(n.From)
			}
		}, n.With, n.HasWith)
	}
}

func (p *printer) use(u *Use) {
	for i, s := range u.Path {
		if i > 0 {
			p.write("::")
		}
		p.write(IdentText(s))
	}
	if len(u.Group) > 0 {
		if len(u.Path) > 0 {
			p.write("::")
		}
		p.write("{")
		for i, m := range u.Group {
			if i > 0 {
				p.write(", ")
			}
			p.use(m)
		}
		p.write("}")
	}
	if u.Alias != nil {
		p.write(" as ")
		p.ident(u.Alias)
	}
}

func (p *printer) fnDef(n *FnDef) {
	p.docs(n.Doc)
	p.write("fn ")
	p.ident(n.Name)
	p.params(n.Params, n.Variadic)
	if len(n.Cases) > 0 {
		p.write(" of")
		p.in()
		p.nl()
		p.items(nodes(n.Cases), none, func(c Node) { p.clause(c.(*Clause), false, true) })
		p.out()
	} else {
		p.write(" with")
		if len(n.Body) > 0 {
			p.in()
			p.nl()
			p.items(nodes(n.Body), between(";", len(n.Body)), func(it Node) { p.expr(it.(Expr), cStmt) })
			p.out()
		}
	}
	p.nl()
	p.write("end")
}

func (p *printer) defineWindow(n *DefineWindow) {
	p.docs(n.Doc)
	if n.Legacy {
		p.write("define " + n.Kind + " window ")
		p.ident(n.Name)
	} else {
		p.write("define window ")
		p.ident(n.Name)
		p.write(" from " + n.Kind)
	}
	if n.Legacy || len(n.With) > 0 {
		p.withSection(n.With)
	}
	if n.State != nil {
		p.section("state", func() { p.expr(n.State, cImut) })
	}
	if n.Tick != nil {
		p.scriptSection("script from tick", n.Tick)
	}
	if n.Script != nil {
		p.scriptSection("script", n.Script)
	}
	p.nl()
	p.write("end")
}

func (p *printer) defineScript(n *DefineScript) {
	p.docs(n.Doc)
	p.write("define script ")
	p.ident(n.Name)
	p.argsSection(n.Args)
	if n.State != nil {
		p.section("state", func() { p.expr(n.State, cImut) })
	}
	for _, ps := range n.Ports {
		if ps == nil {
			continue
		}
		p.nl()
		p.portScript(ps)
	}
	p.scriptSection("script", n.Script)
	p.nl()
	p.write("end")
}

func (p *printer) defineOperator(n *DefineOperator) {
	p.docs(n.Doc)
	p.write("define operator ")
	p.ident(n.Name)
	p.write(" from ")
	p.ident(n.Module)
	p.write("::")
	p.ident(n.Kind)
	p.argsSection(n.Args)
	if n.HasWith || len(n.With) > 0 || len(n.Args) > 0 {
		p.withSection(n.With)
		p.nl()
		p.write("end")
	}
}

func (p *printer) definePipeline(n *DefinePipeline) {
	p.docs(n.Doc)
	p.write("define pipeline ")
	p.ident(n.Name)
	if len(n.From) > 0 {
		p.nl()
		p.write("from ")
		p.idents(n.From)
	}
	if len(n.Into) > 0 {
		p.nl()
		p.write("into ")
		p.idents(n.Into)
	}
	p.argsSection(n.Args)
	p.nl()
	p.write("pipeline")
	items := make([]Node, 0, len(n.Config)+len(n.Body))
	for _, c := range n.Config {
		items = append(items, c)
	}
	for _, s := range n.Body {
		items = append(items, s)
	}
	if len(items) > 0 {
		p.in()
		p.nl()
		p.items(items, func(i int) string {
			if i >= len(n.Config) {
				return ";"
			}
			return ""
		}, p.node)
		p.out()
	}
	p.nl()
	p.write("end")
}

func (p *printer) definePeer(n *DefinePeer) {
	p.docs(n.Doc)
	if n.Connector {
		p.write("define connector ")
	} else {
		p.write("define peer ")
	}
	p.ident(n.Name)
	p.write(" from ")
	p.target(n.Type)
	p.argsSection(n.Args)
	if n.HasWith || len(n.With) > 0 {
		p.withSection(n.With)
		p.nl()
		p.write("end")
	}
}

func (p *printer) defineFlow(n *DefineFlow) {
	p.docs(n.Doc)
	p.write("define flow ")
	p.ident(n.Name)
	p.argsSection(n.Args)
	p.nl()
	p.write("flow")
	if len(n.Body) > 0 {
		p.in()
		p.nl()
		p.items(nodes(n.Body), func(int) string { return ";" }, p.node)
		p.out()
	}
	p.nl()
	p.write("end")
}

// selectStmt prints a select on one line when it fits, else one clause per line.
func (p *printer) selectStmt(n *Select) {
	if !p.has(n) && p.tryFlat(selectWidth, func(q *printer) { q.selectClauses(n, " ") }) {
		return
	}
	p.selectClauses(n, "\n")
}

func (p *printer) selectClauses(n *Select, sep string) {
	next := func(s string) {
		if sep == "\n" {
			p.nl()
			p.write(s)
		} else {
			p.write(" " + s)
		}
	}
	p.write("select ")
	p.expr(n.Target, cComplex)
	next("from ")
	p.streamRef(n.From)
	if len(n.Windows) > 0 {
		p.write("[")
		for i, w := range n.Windows {
			if i > 0 {
				p.write(", ")
			}
			p.windowRef(w)
		}
		p.write("]")
	}
	if n.Where != nil {
		next("where ")
		p.expr(n.Where, cComplex)
	}
	if n.GroupBy != nil {
		next("group by ")
		p.groupBy(n.GroupBy)
	}
	next("into ")
	p.streamRef(n.Into)
	if n.Having != nil {
		next("having ")
		p.expr(n.Having, cComplex)
	}
}

// ---------------------------------------------------------------------------------------------------
// String methods: each prints the node's canonical source.

func (n *Ident) String() string          { return render(n) }
func (n *Literal) String() string        { return render(n) }
func (n *String) String() string         { return render(n) }
func (n *Bytes) String() string          { return render(n) }
func (n *Record) String() string         { return render(n) }
func (n *List) String() string           { return render(n) }
func (n *Path) String() string           { return render(n) }
func (n *Binary) String() string         { return render(n) }
func (n *Unary) String() string          { return render(n) }
func (n *Present) String() string        { return render(n) }
func (n *Call) String() string           { return render(n) }
func (n *Recur) String() string          { return render(n) }
func (n *Match) String() string          { return render(n) }
func (n *Patch) String() string          { return render(n) }
func (n *Merge) String() string          { return render(n) }
func (n *For) String() string            { return render(n) }
func (n *Let) String() string            { return render(n) }
func (n *Emit) String() string           { return render(n) }
func (n *Drop) String() string           { return render(n) }
func (n *Extractor) String() string      { return render(n) }
func (n *Clause) String() string         { return render(n) }
func (n *PatchOp) String() string        { return render(n) }
func (n *ForCase) String() string        { return render(n) }
func (n *Field) String() string          { return render(n) }
func (n *BytesPart) String() string      { return render(n) }
func (n *Segment) String() string        { return render(n) }
func (n *DefaultPattern) String() string { return render(n) }
func (n *ExprPattern) String() string    { return render(n) }
func (n *ExtractPattern) String() string { return render(n) }
func (n *RecordPattern) String() string  { return render(n) }
func (n *FieldPattern) String() string   { return render(n) }
func (n *ArrayPattern) String() string   { return render(n) }
func (n *TuplePattern) String() string   { return render(n) }
func (n *AssignPattern) String() string  { return render(n) }
func (n *File) String() string           { return render(n) }
func (n *Script) String() string         { return render(n) }
func (n *ExprStmt) String() string       { return render(n) }
func (n *Use) String() string            { return render(n) }
func (n *Const) String() string          { return render(n) }
func (n *FnDef) String() string          { return render(n) }
func (n *Intrinsic) String() string      { return render(n) }
func (n *Config) String() string         { return render(n) }
func (n *ArgDecl) String() string        { return render(n) }
func (n *WithArg) String() string        { return render(n) }
func (n *DefineWindow) String() string   { return render(n) }
func (n *PortScript) String() string     { return render(n) }
func (n *DefineScript) String() string   { return render(n) }
func (n *DefineOperator) String() string { return render(n) }
func (n *DefinePipeline) String() string { return render(n) }
func (n *Target) String() string         { return render(n) }
func (n *CreateStream) String() string   { return render(n) }
func (n *Create) String() string         { return render(n) }
func (n *StreamRef) String() string      { return render(n) }
func (n *WindowRef) String() string      { return render(n) }
func (n *Select) String() string         { return render(n) }
func (n *GroupExpr) String() string      { return render(n) }
func (n *GroupSet) String() string       { return render(n) }
func (n *GroupEach) String() string      { return render(n) }
func (n *DefinePeer) String() string     { return render(n) }
func (n *DefineFlow) String() string     { return render(n) }
func (n *FlowRef) String() string        { return render(n) }
func (n *Connect) String() string        { return render(n) }
func (n *Deploy) String() string         { return render(n) }
