package ast

// Literal kinds of *Literal.
type LitKind int

const (
	NullLit  LitKind = iota // null
	BoolLit                 // true, false
	IntLit                  // 42, 0xff, 1_000
	FloatLit                // 1.5, 1., 2.5e3
)

// Literal is a null, bool, integer or float literal.
type Literal struct {
	Pos   Pos
	Kind  LitKind
	Bool  bool    // for BoolLit
	Int   uint64  // for IntLit (script integer literals are unsigned; `-1` is unary minus on 1)
	Float float64 // for FloatLit
	Text  string  // source text without `_` ("1.50", "0xff"), kept for Int and Float
}

// StrPart is one part of a string literal: literal text, or an interpolated expression.
type StrPart struct {
	Text   string // decoded literal text (escapes resolved), when Interp is nil
	Interp Expr   // the expression of #{...}, or nil
}

// String is a string literal, "a #{b} c", or a heredoc when Heredoc is set.
type String struct {
	Pos     Pos
	Parts   []StrPart // adjacent text parts are merged; "" has no parts
	Heredoc bool      // written as """..."""
}

// BytesPart is one segment of a binary literal: `value[:bits][/type]`.
type BytesPart struct {
	Pos   Pos
	Value Expr     // the value
	Bits  Expr     // the `:bits` size (an integer literal), or nil
	Type  []string // the `/type` split on `_` ("little", "signed", "integer"), or nil
}

// Bytes is a binary literal << p1, p2 >>.
type Bytes struct {
	Pos   Pos
	Parts []*BytesPart
}

// Field is one `"key": value` of a record literal.
type Field struct {
	Pos   Pos
	Key   *String
	Value Expr
}

// Record is a record literal {"a": 1}.
type Record struct {
	Pos    Pos
	Fields []*Field
}

// List is a list literal [1, 2].
type List struct {
	Pos   Pos
	Items []Expr
}

// Root kinds of a path.
type RootKind int

const (
	RootLocal  RootKind = iota // x (a local or a const of this scope)
	RootEvent                  // event
	RootMeta                   // $ (Name holds the first key when written $name)
	RootState                  // state
	RootArgs                   // args
	RootGroup                  // group
	RootWindow                 // window
	RootConst                  // mod::NAME, a const of a used module (Module, Name)
	RootExpr                   // (expr).x, f(x).y, [1,2][0], {...}.k: Base holds the expression
)

// Segment kinds of a path.
type SegKind int

const (
	SegField SegKind = iota // .name
	SegIndex                // [expr]
	SegRange                // [start:end]
)

// Segment is one step of a path.
type Segment struct {
	Pos   Pos
	Kind  SegKind
	Name  *Ident // SegField
	Index Expr   // SegIndex; the start of a SegRange
	End   Expr   // the end of a SegRange
}

// Path reads a value: event.a[0], $meta.x, state, args.n, group[0], window, x.y, m::C, (e).k.
type Path struct {
	Pos      Pos
	Root     RootKind
	Name     *Ident  // RootLocal: the local; RootConst: the const; RootMeta: the first key of $name, or nil for $
	Module   ModPath // RootConst: the module path
	Base     Expr    // RootExpr: the expression
	Segments []*Segment
}

// Binary is a binary operation `L Op R`.
type Binary struct {
	Pos   Pos
	Op    string // "+", "==", "and", ">>>", ...
	OpPos Pos
	L, R  Expr
}

// Unary is a prefix operation: "-", "+", "not", "!".
type Unary struct {
	Pos Pos
	Op  string
	X   Expr
}

// Present is `present path` or `absent path` (Absent set).
type Present struct {
	Pos    Pos
	Absent bool
	Path   *Path
}

// Call invokes a function: f(x), string::format("{}", 1), aggr::stats::count().
type Call struct {
	Pos    Pos
	Module ModPath // nil for a local function
	Name   *Ident
	Args   []Expr
}

// Recur restarts the enclosing function with new arguments: recur(n - 1).
type Recur struct {
	Pos  Pos
	Args []Expr
}

// Clause is one `case pattern [when guard] => body` of a match.
type Clause struct {
	Pos     Pos
	Pattern Pattern
	Guard   Expr   // nil without `when`
	Body    []Expr // statement-level match: `;`-separated; expression-level: `,`-separated
}

// Match is `match target of case ... end`. Imut marks a match in expression position, whose case bodies
// are comma-separated expressions.
type Match struct {
	Pos     Pos
	Target  Expr
	Clauses []*Clause
	Imut    bool
}

// PatchOp is one operation of a patch.
type PatchOp struct {
	Pos   Pos
	Op    string  // insert upsert update erase move copy merge default
	Key   *String // the key; nil for `merge => v` and `default => v`
	To    *String // move/copy destination
	Value Expr    // the value (nil for erase/move/copy)
}

// Patch is `patch target of op; op end`.
type Patch struct {
	Pos    Pos
	Target Expr
	Ops    []*PatchOp
}

// Merge is `merge target of value end`.
type Merge struct {
	Pos    Pos
	Target Expr
	Value  Expr
}

// ForCase is one `case (k, v) [when guard] => body` of a for comprehension.
type ForCase struct {
	Pos   Pos
	Key   *Ident
	Value *Ident
	Guard Expr
	Body  []Expr
}

// For is a comprehension `for target of case (k, v) => body ... [into init [use op]] end`.
type For struct {
	Pos    Pos
	Target Expr
	Cases  []*ForCase
	Into   Expr   // nil without `into`
	FoldOp string // "" without `use`; "+", "and", ...
	Imut   bool   // in expression position
}

// Let assigns: let path = value.
type Let struct {
	Pos    Pos
	Target *Path
	Value  Expr
}

// Emit ends the script emitting Value (nil: the event) on Port (nil: out).
type Emit struct {
	Pos   Pos
	Value Expr
	Port  Expr // a string literal, or nil
}

// Drop ends the script dropping the event.
type Drop struct {
	Pos Pos
}

// Extractor is an extractor literal kind|rule|, e.g. re|(?P<a>\\d+)|.
type Extractor struct {
	Pos  Pos
	Kind *Ident // re, glob, json, ...
	Rule string // the decoded rule (escapes and line continuations resolved)
	Raw  string // the rule as written between the pipes
}

func (n *Literal) Position() Pos   { return n.Pos }
func (n *String) Position() Pos    { return n.Pos }
func (n *Bytes) Position() Pos     { return n.Pos }
func (n *Record) Position() Pos    { return n.Pos }
func (n *List) Position() Pos      { return n.Pos }
func (n *Path) Position() Pos      { return n.Pos }
func (n *Binary) Position() Pos    { return n.Pos }
func (n *Unary) Position() Pos     { return n.Pos }
func (n *Present) Position() Pos   { return n.Pos }
func (n *Call) Position() Pos      { return n.Pos }
func (n *Recur) Position() Pos     { return n.Pos }
func (n *Match) Position() Pos     { return n.Pos }
func (n *Patch) Position() Pos     { return n.Pos }
func (n *Merge) Position() Pos     { return n.Pos }
func (n *For) Position() Pos       { return n.Pos }
func (n *Let) Position() Pos       { return n.Pos }
func (n *Emit) Position() Pos      { return n.Pos }
func (n *Drop) Position() Pos      { return n.Pos }
func (n *Extractor) Position() Pos { return n.Pos }
func (n *Clause) Position() Pos    { return n.Pos }
func (n *PatchOp) Position() Pos   { return n.Pos }
func (n *ForCase) Position() Pos   { return n.Pos }
func (n *Field) Position() Pos     { return n.Pos }
func (n *BytesPart) Position() Pos { return n.Pos }
func (n *Segment) Position() Pos   { return n.Pos }

func (*Literal) node()   {}
func (*String) node()    {}
func (*Bytes) node()     {}
func (*Record) node()    {}
func (*List) node()      {}
func (*Path) node()      {}
func (*Binary) node()    {}
func (*Unary) node()     {}
func (*Present) node()   {}
func (*Call) node()      {}
func (*Recur) node()     {}
func (*Match) node()     {}
func (*Patch) node()     {}
func (*Merge) node()     {}
func (*For) node()       {}
func (*Let) node()       {}
func (*Emit) node()      {}
func (*Drop) node()      {}
func (*Extractor) node() {}
func (*Clause) node()    {}
func (*PatchOp) node()   {}
func (*ForCase) node()   {}
func (*Field) node()     {}
func (*BytesPart) node() {}
func (*Segment) node()   {}

func (*Literal) expr() {}
func (*String) expr()  {}
func (*Bytes) expr()   {}
func (*Record) expr()  {}
func (*List) expr()    {}
func (*Path) expr()    {}
func (*Binary) expr()  {}
func (*Unary) expr()   {}
func (*Present) expr() {}
func (*Call) expr()    {}
func (*Recur) expr()   {}
func (*Match) expr()   {}
func (*Patch) expr()   {}
func (*Merge) expr()   {}
func (*For) expr()     {}
func (*Let) expr()     {}
func (*Emit) expr()    {}
func (*Drop) expr()    {}
