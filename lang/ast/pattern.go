package ast

// DefaultPattern is `_`: matches anything.
type DefaultPattern struct {
	Pos Pos
}

// ExprPattern matches when the target equals the expression's value.
type ExprPattern struct {
	Pos  Pos
	Expr Expr
}

// ExtractPattern is `~ kind|rule|`: the target is a string the extractor matches.
type ExtractPattern struct {
	Pos       Pos
	Extractor *Extractor
}

// RecordPattern is `%{ field, field }`.
type RecordPattern struct {
	Pos    Pos
	Fields []*FieldPattern
}

// FieldPattern test kinds.
type FieldTest int

const (
	FieldPresent    FieldTest = iota // present k
	FieldAbsent                      // absent k
	FieldCompare                     // k == v, k != v, k < v, ...
	FieldExtract                     // k ~= kind|rule|
	FieldSubPattern                  // k ~= %{...} | %[...] | %(...)
)

// FieldPattern is one test of a record pattern.
type FieldPattern struct {
	Pos       Pos
	Test      FieldTest
	Key       *Ident
	Alias     *Ident     // `alias = k ~= kind|rule|` (parsed, unused at runtime)
	Op        string     // FieldCompare: "==", "!=", "<", "<=", ">", ">="
	Value     Expr       // FieldCompare
	Extractor *Extractor // FieldExtract
	Sub       Pattern    // FieldSubPattern: *RecordPattern, *ArrayPattern or *TuplePattern
}

// ArrayPattern is `%[ item, item ]`: each item must match some element.
type ArrayPattern struct {
	Pos   Pos
	Items []Pattern // *DefaultPattern, *ExprPattern, *ExtractPattern or *RecordPattern
}

// TuplePattern is `%( item, item [, ...] )`: positional.
type TuplePattern struct {
	Pos   Pos
	Items []Pattern
	Open  bool // ends with `...`
}

// AssignPattern binds the match result: `name = pattern`.
type AssignPattern struct {
	Pos     Pos
	Name    *Ident
	Pattern Pattern
}

func (n *DefaultPattern) Position() Pos { return n.Pos }
func (n *ExprPattern) Position() Pos    { return n.Pos }
func (n *ExtractPattern) Position() Pos { return n.Pos }
func (n *RecordPattern) Position() Pos  { return n.Pos }
func (n *FieldPattern) Position() Pos   { return n.Pos }
func (n *ArrayPattern) Position() Pos   { return n.Pos }
func (n *TuplePattern) Position() Pos   { return n.Pos }
func (n *AssignPattern) Position() Pos  { return n.Pos }

func (*DefaultPattern) node() {}
func (*ExprPattern) node()    {}
func (*ExtractPattern) node() {}
func (*RecordPattern) node()  {}
func (*FieldPattern) node()   {}
func (*ArrayPattern) node()   {}
func (*TuplePattern) node()   {}
func (*AssignPattern) node()  {}

func (*DefaultPattern) pattern() {}
func (*ExprPattern) pattern()    {}
func (*ExtractPattern) pattern() {}
func (*RecordPattern) pattern()  {}
func (*ArrayPattern) pattern()   {}
func (*TuplePattern) pattern()   {}
func (*AssignPattern) pattern()  {}
