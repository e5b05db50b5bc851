// Package ast is the syntax tree of trickle queries, tremor-script scripts and troy deployments.
//
// The tree is closed: every node type is a small exported struct declared in this package, and the
// interfaces Node, Expr, Stmt, Pattern and GroupBy are sealed by unexported marker methods. Every node
// carries its source position (Pos) with file, line, column and byte span. String() on any node prints
// valid source in the canonical layout (see printer.go); printing then parsing gives an equal tree.
package ast

// Node is any node of the tree.
type Node interface {
	Position() Pos // the span of source the node was parsed from
	String() string
	node()
}

// Expr is an expression: anything that yields a value, including statement-level forms (let, emit, drop)
// that appear in script bodies.
type Expr interface {
	Node
	expr()
}

// Stmt is a top-level item: a trickle/troy statement, or a script item (use, const, fn, intrinsic).
// Script bodies hold Stmts too: an expression statement is an *ExprStmt.
type Stmt interface {
	Node
	stmt()
}

// Pattern is a case pattern of a match (spec §2.7).
type Pattern interface {
	Node
	pattern()
}

// GroupBy is a group-by definition of a select (spec §4.5).
type GroupBy interface {
	Node
	groupBy()
}

// Ident is a name as written; Name is the decoded name (backticks removed).
type Ident struct {
	Pos  Pos
	Name string // "events"; for "`end`" the Name is "end"
}

// Comment is one source comment line, kept for the formatter.
type Comment struct {
	Pos  Pos
	Text string // "# keep the last 10", "## doc", "### module doc"
}

func (n *Ident) Position() Pos { return n.Pos }
func (*Ident) node()           {}

// ModPath is a `::`-separated path of module names, e.g. std::string in `std::string::format`.
type ModPath []string
