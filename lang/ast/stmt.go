package ast

// File is a parsed source file: a trickle query, a troy deployment, or a tremor-script script or module.
type File struct {
	Pos      Pos
	Name     string     // the file name given to the parser
	ModDoc   []string   // `###` module comment lines at the start (scripts and modules)
	Config   []*Config  // `#!config` directives before the first statement
	Stmts    []Stmt     // the statements in order
	Comments []*Comment // every plain `#` comment of the file, in source order (for the formatter)
}

// Script is a tremor-script body: the items of a script file, a `define script ... script` section or a
// window script. Expression statements are *ExprStmt.
type Script struct {
	Pos   Pos
	Items []Stmt
}

// ExprStmt is an expression used as a statement of a script body.
type ExprStmt struct {
	Pos  Pos
	Expr Expr
}

// Use imports a module: `use std::string;`, `use a::b as c;`, `use std::{string, array as a};` (Group).
type Use struct {
	Pos     Pos
	Path    ModPath // the module path, e.g. [std string]; for a group, the common prefix
	PathPos Pos     // where the module path is written: `std::string` in `use std::string as s`
	Alias   *Ident  // `as alias`, or nil
	Group   []*Use  // `prefix::{...}`: the members, each with its own Path relative to the prefix
}

// Const defines a constant: `const NAME = expr;`.
type Const struct {
	Pos   Pos
	Doc   []string // `##` doc comment lines (without the `##`)
	Name  *Ident
	Value Expr
}

// FnDef defines a function: `fn f(a, b) with ... end`, variadic `fn f(a, ...)`, or a match-function
// `fn f(a) of case (...) => ... case _ => ... end` (Cases set).
type FnDef struct {
	Pos      Pos
	Doc      []string
	Name     *Ident
	Params   []*Ident
	Variadic bool
	Body     []Expr    // `with` body
	Cases    []*Clause // `of` body: each Pattern is a *TuplePattern or *DefaultPattern
}

// Intrinsic binds a registry function: `intrinsic fn len(s) as string::len`.
type Intrinsic struct {
	Pos      Pos
	Doc      []string
	Name     *Ident
	Params   []*Ident
	Variadic bool
	Module   ModPath
	Target   *Ident
}

// Config is a `#!config key = value` directive.
type Config struct {
	Pos   Pos
	Key   *Ident
	Value Expr
}

// ArgDecl declares an argument of a definition: `name` (required) or `name = default`.
type ArgDecl struct {
	Pos     Pos
	Name    *Ident
	Default Expr // nil when required
}

// WithArg is one `name = value` of a `with` list.
type WithArg struct {
	Pos   Pos
	Name  *Ident
	Value Expr
}

// DefineWindow: `define window w from tumbling with size = 10 end`, or the older
// `define tumbling window w with ... end` (Legacy set).
type DefineWindow struct {
	Pos    Pos
	Doc    []string
	Name   *Ident
	Kind   string // "tumbling" or "sliding"
	Legacy bool   // written in the older `define tumbling window name with ... end` form
	With   []*WithArg
	State  Expr    // `state expr`, or nil
	Tick   *Script // `script from tick ...`, or nil
	Script *Script // `script ...`, or nil
}

// PortScript is a `script from port ...` section of a define script.
type PortScript struct {
	Pos    Pos
	Port   *Ident
	Script *Script
}

// DefineScript: `define script s [args ...] [state expr] [script from p ...]* script ... end`.
type DefineScript struct {
	Pos    Pos
	Doc    []string
	Name   *Ident
	Args   []*ArgDecl
	State  Expr
	Ports  []*PortScript
	Script *Script
}

// DefineOperator: `define operator o from module::kind [args ...] [with ... end]`.
type DefineOperator struct {
	Pos     Pos
	Doc     []string
	Name    *Ident
	Module  *Ident // generic, qos, ...
	Kind    *Ident // counter, batch, ...
	Args    []*ArgDecl
	With    []*WithArg
	HasWith bool // a `with ... end` block was written (possibly empty)
}

// DefinePipeline: `define pipeline p [from a, b] [into c] [args ...] pipeline stmts end`.
type DefinePipeline struct {
	Pos    Pos
	Doc    []string
	Name   *Ident
	From   []*Ident
	Into   []*Ident
	Args   []*ArgDecl
	Config []*Config
	Body   []Stmt
}

// Target names what a create or deploy instantiates: `from name` or `from mod::name`.
type Target struct {
	Pos    Pos
	Module ModPath
	Name   *Ident
}

// CreateStream: `create stream s`.
type CreateStream struct {
	Pos  Pos
	Name *Ident
}

// Create: `create script|operator|pipeline|peer|connector x [from target] [with ... end]`.
type Create struct {
	Pos     Pos
	Kind    string // "script", "operator", "pipeline", "peer", "connector"
	Name    *Ident
	From    *Target // nil: the definition named like the node
	With    []*WithArg
	HasWith bool
}

// StreamRef names a node and port in a select: `in`, `in/p`, `s/out`.
type StreamRef struct {
	Pos  Pos
	Name *Ident
	Port *Ident // nil when not written
}

// WindowRef names a window in `from in[w1, m::w2]`.
type WindowRef struct {
	Pos    Pos
	Module ModPath
	Name   *Ident
}

// Select: `select target from s[/p][[w,...]] [where e] [group by g] into s[/p] [having e]`.
type Select struct {
	Pos     Pos
	Target  Expr
	From    *StreamRef
	Windows []*WindowRef
	Where   Expr
	GroupBy GroupBy
	Into    *StreamRef
	Having  Expr
}

// GroupExpr groups by one expression.
type GroupExpr struct {
	Pos  Pos
	Expr Expr
}

// GroupSet is `set(g1, g2, ...)`.
type GroupSet struct {
	Pos   Pos
	Items []GroupBy
}

// GroupEach is `each(expr)`.
type GroupEach struct {
	Pos  Pos
	Expr Expr
}

// DefinePeer: `define peer|connector name from type [args ...] [with k = v, ... end]` (peers.md §1).
type DefinePeer struct {
	Pos       Pos
	Doc       []string
	Name      *Ident
	Connector bool // written `connector` (Tremor troy) instead of `peer`
	Type      *Target
	Args      []*ArgDecl
	With      []*WithArg
	HasWith   bool
}

// DefineFlow: `define flow f [args ...] flow stmts end`.
type DefineFlow struct {
	Pos  Pos
	Doc  []string
	Name *Ident
	Args []*ArgDecl
	Body []Stmt
}

// FlowRef is an endpoint of a connect: `/peer/name[/port]`, `/connector/name[/port]`, `/pipeline/name[/port]`.
type FlowRef struct {
	Pos  Pos
	Kind string // "peer", "connector", "pipeline"
	Name *Ident
	Port *Ident // nil when not written
}

// Connect: `connect /peer/a to /pipeline/b`.
type Connect struct {
	Pos  Pos
	From *FlowRef
	To   *FlowRef
}

// Deploy: `deploy flow name [from target] [with ... end]`.
type Deploy struct {
	Pos     Pos
	Doc     []string
	Name    *Ident
	From    *Target
	With    []*WithArg
	HasWith bool
}

func (n *File) Position() Pos           { return n.Pos }
func (n *Script) Position() Pos         { return n.Pos }
func (n *ExprStmt) Position() Pos       { return n.Pos }
func (n *Use) Position() Pos            { return n.Pos }
func (n *Const) Position() Pos          { return n.Pos }
func (n *FnDef) Position() Pos          { return n.Pos }
func (n *Intrinsic) Position() Pos      { return n.Pos }
func (n *Config) Position() Pos         { return n.Pos }
func (n *ArgDecl) Position() Pos        { return n.Pos }
func (n *WithArg) Position() Pos        { return n.Pos }
func (n *DefineWindow) Position() Pos   { return n.Pos }
func (n *PortScript) Position() Pos     { return n.Pos }
func (n *DefineScript) Position() Pos   { return n.Pos }
func (n *DefineOperator) Position() Pos { return n.Pos }
func (n *DefinePipeline) Position() Pos { return n.Pos }
func (n *Target) Position() Pos         { return n.Pos }
func (n *CreateStream) Position() Pos   { return n.Pos }
func (n *Create) Position() Pos         { return n.Pos }
func (n *StreamRef) Position() Pos      { return n.Pos }
func (n *WindowRef) Position() Pos      { return n.Pos }
func (n *Select) Position() Pos         { return n.Pos }
func (n *GroupExpr) Position() Pos      { return n.Pos }
func (n *GroupSet) Position() Pos       { return n.Pos }
func (n *GroupEach) Position() Pos      { return n.Pos }
func (n *DefinePeer) Position() Pos     { return n.Pos }
func (n *DefineFlow) Position() Pos     { return n.Pos }
func (n *FlowRef) Position() Pos        { return n.Pos }
func (n *Connect) Position() Pos        { return n.Pos }
func (n *Deploy) Position() Pos         { return n.Pos }

func (*File) node()           {}
func (*Script) node()         {}
func (*ExprStmt) node()       {}
func (*Use) node()            {}
func (*Const) node()          {}
func (*FnDef) node()          {}
func (*Intrinsic) node()      {}
func (*Config) node()         {}
func (*ArgDecl) node()        {}
func (*WithArg) node()        {}
func (*DefineWindow) node()   {}
func (*PortScript) node()     {}
func (*DefineScript) node()   {}
func (*DefineOperator) node() {}
func (*DefinePipeline) node() {}
func (*Target) node()         {}
func (*CreateStream) node()   {}
func (*Create) node()         {}
func (*StreamRef) node()      {}
func (*WindowRef) node()      {}
func (*Select) node()         {}
func (*GroupExpr) node()      {}
func (*GroupSet) node()       {}
func (*GroupEach) node()      {}
func (*DefinePeer) node()     {}
func (*DefineFlow) node()     {}
func (*FlowRef) node()        {}
func (*Connect) node()        {}
func (*Deploy) node()         {}

func (*ExprStmt) stmt()       {}
func (*Use) stmt()            {}
func (*Const) stmt()          {}
func (*FnDef) stmt()          {}
func (*Intrinsic) stmt()      {}
func (*DefineWindow) stmt()   {}
func (*DefineScript) stmt()   {}
func (*DefineOperator) stmt() {}
func (*DefinePipeline) stmt() {}
func (*CreateStream) stmt()   {}
func (*Create) stmt()         {}
func (*Select) stmt()         {}
func (*DefinePeer) stmt()     {}
func (*DefineFlow) stmt()     {}
func (*Connect) stmt()        {}
func (*Deploy) stmt()         {}

func (*GroupExpr) groupBy() {}
func (*GroupSet) groupBy()  {}
func (*GroupEach) groupBy() {}

// UseBinding is one module a `use` binds: its full path, the alias it is reachable by, and where
// its path is written.
type UseBinding struct {
	Path  ModPath // [std string]
	Alias string  // "string", or the `as` alias
	Pos   Pos     // the module path in the source
}

// Bindings expands a `use` into the modules it binds: one for `use a::b [as c]`, one per member
// (recursively, with the group's prefix) for `use a::{b, c as d}`.
func (u *Use) Bindings() []UseBinding {
	var out []UseBinding
	var walk func(u *Use, prefix ModPath)
	walk = func(u *Use, prefix ModPath) {
		if u == nil {
			return
		}
		path := append(append(ModPath(nil), prefix...), u.Path...)
		if len(u.Group) > 0 {
			for _, g := range u.Group {
				walk(g, path)
			}
			return
		}
		if len(path) == 0 {
			return
		}
		alias := path[len(path)-1]
		if u.Alias != nil {
			alias = u.Alias.Name
		}
		out = append(out, UseBinding{Path: path, Alias: alias, Pos: u.PathPos})
	}
	walk(u, nil)
	return out
}
