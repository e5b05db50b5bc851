package runtime

import (
	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/lang/ast"
	"github.com/rillstream/rill/stdlib"
)

// QueryError is a runtime error raised by the query itself rather than inside an expression (a where or
// having that is not a bool, an each that is not an array). Error() renders Tremor's text (spec §5)
// over the query source; Message() is the bare message.
type QueryError struct {
	Pos  ast.Pos // start of the underlined part
	Msg  string
	src  string
	ctx  ast.Pos // the lines shown
	mark ast.Pos // the part underlined
}

func (e *QueryError) Error() string {
	return lang.RenderTremor(e.src, lang.TremorError{CtxStart: e.ctx.Offset, CtxEnd: e.ctx.End,
		InnerStart: e.mark.Offset, InnerEnd: e.mark.End, Msg: e.Msg})
}

// Message returns the bare message.
func (e *QueryError) Message() string { return e.Msg }

// selectSpec is a compiled select (spec §4.4): immutable.
type selectSpec struct {
	stmt   *ast.Select
	src    string
	target *interp.Program
	where  *interp.Program // nil: no where
	having *interp.Program // nil: no having
	group  *groupSpec      // nil: no group by
	win    *windowedSpec   // nil: no windows (window.go)
}

// groupSpec is a compiled group-by item (spec §4.5).
type groupSpec struct {
	kind  groupKind
	pos   ast.Pos         // the whole item
	expr  ast.Expr        // expression items and each
	prog  *interp.Program // expression items and each
	items []*groupSpec    // set
}

type groupKind uint8

const (
	groupExpr groupKind = iota
	groupEach
	groupSet
)

// compileExpr compiles a select expression; the query's `use` statements written before the select
// are in scope (spec §2.12), `args` is null at the top level (§4.3).
func (c *compiler) compileExpr(e ast.Expr) (*interp.Program, error) {
	pos := e.Position()
	items := append(append([]ast.Stmt(nil), c.uses...), &ast.ExprStmt{Pos: pos, Expr: e})
	return interp.CompileBody(&ast.Script{Pos: pos, Items: items}, c.src, c.env, interp.BodyOptions{Args: c.args, Dir: c.dir})
}

func (c *compiler) compileSelect(n *ast.Select) (*selectSpec, error) {
	s := &selectSpec{stmt: n, src: c.src}
	var err error
	if s.target, err = c.compileExpr(n.Target); err != nil {
		return nil, err
	}
	if err := c.compileClauses(s, n, n.Having); err != nil {
		return nil, err
	}
	return s, nil
}

// compileClauses compiles a select's where, having (as given: windowed selects pass it rewritten)
// and group by into s.
func (c *compiler) compileClauses(s *selectSpec, n *ast.Select, having ast.Expr) (err error) {
	if n.Where != nil {
		if s.where, err = c.compileExpr(n.Where); err != nil {
			return err
		}
	}
	if having != nil {
		if s.having, err = c.compileExpr(having); err != nil {
			return err
		}
	}
	if n.GroupBy != nil {
		if s.group, err = c.compileGroup(n.GroupBy); err != nil {
			return err
		}
	}
	return nil
}

func (c *compiler) compileGroup(g ast.GroupBy) (*groupSpec, error) {
	switch n := g.(type) {
	case *ast.GroupExpr:
		p, err := c.compileExpr(n.Expr)
		return &groupSpec{kind: groupExpr, pos: n.Pos, expr: n.Expr, prog: p}, err
	case *ast.GroupEach:
		p, err := c.compileExpr(n.Expr)
		return &groupSpec{kind: groupEach, pos: n.Pos, expr: n.Expr, prog: p}, err
	case *ast.GroupSet:
		s := &groupSpec{kind: groupSet, pos: n.Pos}
		for _, it := range n.Items {
			sub, err := c.compileGroup(it)
			if err != nil {
				return nil, err
			}
			s.items = append(s.items, sub)
		}
		return s, nil
	}
	return nil, &compileError{g.Position(), "unknown group by form"}
}

// exprRun is a program with the frame it runs on (frames belong to one pipeline instance).
// event, meta and state are the values the frame points at, kept here so a run allocates nothing
// for them.
type exprRun struct {
	prog               *interp.Program
	fr                 *interp.Frame
	event, meta, state value.Value
}

func newExprRun(p *interp.Program, ctx stdlib.Context) *exprRun {
	if p == nil {
		return nil
	}
	fr := p.NewFrame()
	fr.Ctx = ctx
	return &exprRun{prog: p, fr: fr}
}

// run evaluates the expression against event, meta and group (state and window are null).
func (r *exprRun) run(ev, meta value.Value, group value.Value) (value.Value, error) {
	r.event, r.meta, r.state = ev, meta, value.NullValue
	r.fr.Event, r.fr.Meta, r.fr.State = &r.event, &r.meta, &r.state
	r.fr.Group, r.fr.Window = group, value.NullValue
	res, err := r.prog.Run(r.fr)
	if err != nil {
		return value.NullValue, err
	}
	return res.Value, nil
}

// selectOp is a running select: the compiled spec plus its frames.
type selectOp struct {
	spec                  *selectSpec
	ctx                   eventCtx
	target, where, having *exprRun
	groups                map[*groupSpec]*exprRun
	win                   *windowedOp // windowed selects: group storage (window.go)
}

// defaultGroup is `group` in a select without group by: [null, "[null]"] (spec §4.5).
var defaultGroup = value.NewArray([]value.Value{value.NullValue, value.NewString("[null]")})

func newSelectOp(s *selectSpec) *selectOp {
	op := &selectOp{spec: s, groups: map[*groupSpec]*exprRun{}}
	op.target = newExprRun(s.target, &op.ctx)
	op.where = newExprRun(s.where, &op.ctx)
	op.having = newExprRun(s.having, &op.ctx)
	var walk func(g *groupSpec)
	walk = func(g *groupSpec) {
		if g == nil {
			return
		}
		if g.prog != nil {
			op.groups[g] = newExprRun(g.prog, &op.ctx)
		}
		for _, it := range g.items {
			walk(it)
		}
	}
	walk(s.group)
	return op
}

// notBool is the error of a where/having that yields a non-bool (context: the select, underlined:
// the guard; spec §4.4, §5).
func (op *selectOp) notBool(guard ast.Expr, v value.Value) error {
	p := guard.Position()
	return &QueryError{Pos: p, Msg: "Conflicting types, got " + v.TypeName() + " but expected bool",
		src: op.spec.src, ctx: op.spec.stmt.Pos, mark: p}
}

// onEvent runs the select for one event: variant 1 (no group by) or 2 (group by, no windows).
func (op *selectOp) onEvent(_ string, ev *Event, out []emitted) ([]emitted, error) {
	op.ctx.ev = ev
	s := op.spec
	if op.where != nil {
		v, err := op.where.run(ev.Value, ev.Meta, defaultGroup)
		if err != nil {
			return out, err
		}
		b, ok := v.AsBool()
		if !ok {
			return out, op.notBool(s.stmt.Where, v)
		}
		if !b {
			return out, nil
		}
	}
	if s.win != nil {
		return op.onWindowed(ev, out)
	}
	if s.group == nil {
		return op.emit(ev, defaultGroup, out)
	}
	groups, err := op.generate(s.group, nil, ev)
	if err != nil {
		return out, err
	}
	for _, g := range groups {
		key := value.EncodeSorted(value.NewArray(g))
		gv := make([]value.Value, len(g), len(g)+1)
		copy(gv, g)
		gv = append(gv, value.NewString(key))
		if out, err = op.emit(ev, value.NewArray(gv), out); err != nil {
			return out, err
		}
	}
	return out, nil
}

// emit evaluates target and having for one group and appends the output event, if any.
func (op *selectOp) emit(ev *Event, group value.Value, out []emitted) ([]emitted, error) {
	res, err := op.target.run(ev.Value, ev.Meta, group)
	if err != nil {
		return out, err
	}
	if op.having != nil {
		v, err := op.having.run(res, ev.Meta, group)
		if err != nil {
			return out, err
		}
		b, ok := v.AsBool()
		if !ok {
			return out, op.notBool(op.spec.stmt.Having, v)
		}
		if !b {
			return out, nil
		}
	}
	o := *ev
	o.Value = res
	return append(out, emitted{port: portOut, ev: &o}), nil
}

// generate applies a group-by item to the group list (spec §4.5).
func (op *selectOp) generate(g *groupSpec, list [][]value.Value, ev *Event) ([][]value.Value, error) {
	switch g.kind {
	case groupSet:
		var err error
		for _, it := range g.items {
			if list, err = op.generate(it, list, ev); err != nil {
				return nil, err
			}
		}
		return list, nil
	case groupExpr:
		v, err := op.groups[g].run(ev.Value, ev.Meta, value.NullValue)
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return [][]value.Value{{v}}, nil
		}
		next := make([][]value.Value, len(list))
		for i, grp := range list {
			next[i] = append(append(make([]value.Value, 0, len(grp)+1), grp...), v)
		}
		return next, nil
	case groupEach:
		v, err := op.groups[g].run(ev.Value, ev.Meta, value.NullValue)
		if err != nil {
			return nil, err
		}
		arr, ok := v.AsArray()
		if !ok {
			p := g.expr.Position()
			return nil, &QueryError{Pos: p, Msg: "Conflicting types, got " + v.TypeName() + " but expected array",
				src: op.spec.src, ctx: g.pos, mark: p}
		}
		if len(list) == 0 {
			next := make([][]value.Value, len(arr))
			for i, x := range arr {
				next[i] = []value.Value{x}
			}
			return next, nil
		}
		next := make([][]value.Value, 0, len(list)*len(arr))
		for _, grp := range list {
			for _, x := range arr {
				next = append(next, append(append(make([]value.Value, 0, len(grp)+1), grp...), x))
			}
		}
		return next, nil
	}
	return list, nil
}
