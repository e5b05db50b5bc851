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
