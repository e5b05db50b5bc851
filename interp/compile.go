package interp

import (
	"fmt"
	"path/filepath"
	"runtime/debug"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang/ast"
	"github.com/rillstream/rill/stdlib"
)

// The compiler walks a script body once, in source order (definitions affect only what follows
// them, spec §2.12), turning each node into a cnode.

// compiler holds the state of one compilation.
type compiler struct {
	env     *Env
	src     *source    // the file being compiled (the script, or a module while loading it)
	dir     string     // directory of the root file: the last module search mount
	ns      *namespace // functions, consts and module aliases visible here
	body    *bodyScope // locals of the script body or function being compiled
	args    value.Value
	loading []string // module files being loaded (cycle detection)
}

// namespace is what one script body or module defines: module aliases, functions and consts.
type namespace struct {
	src    *source
	uses   map[string]*module
	fns    map[string]*fnRef
	consts map[string]value.Value
}

func newNamespace(src *source) *namespace {
	return &namespace{src: src, uses: map[string]*module{}, fns: map[string]*fnRef{}, consts: map[string]value.Value{}}
}

// module is a compiled module file.
type module struct {
	name string // "std::string"
	file string
	ns   *namespace
}

// fnRef is a function visible by name: a user fn or an intrinsic bound to a registry function.
type fnRef struct {
	user *userFn
	spec *stdlib.FnSpec
}

// bodyScope allocates the local slots of a script body or function.
type bodyScope struct {
	fn      *userFn        // nil for a script body
	names   map[string]int // body-wide locals
	shadows []binding      // match and for bindings in scope, innermost last
	nslots  int
}

type binding struct {
	name string
	slot int
}

func newBody(fn *userFn) *bodyScope { return &bodyScope{fn: fn, names: map[string]int{}} }

// newSlot allocates an anonymous slot.
func (b *bodyScope) newSlot() int {
	b.nslots++
	return b.nslots - 1
}

// local returns the slot of a body-wide local, allocating it on first use.
func (b *bodyScope) local(name string) int {
	if i, ok := b.names[name]; ok {
		return i
	}
	i := b.newSlot()
	b.names[name] = i
	return i
}

// shadow finds a binding in scope.
func (b *bodyScope) shadow(name string) (int, bool) {
	for i := len(b.shadows) - 1; i >= 0; i-- {
		if b.shadows[i].name == name {
			return b.shadows[i].slot, true
		}
	}
	return 0, false
}

// bind pushes a binding with a fresh slot; the caller pops it with unbind.
func (b *bodyScope) bind(name string) int {
	s := b.newSlot()
	b.shadows = append(b.shadows, binding{name, s})
	return s
}

func (b *bodyScope) unbind(n int) { b.shadows = b.shadows[:len(b.shadows)-n] }

func newCompiler(env *Env, src *source, dir string) *compiler {
	return &compiler{env: env, src: src, dir: dir}
}

func dirOf(name string) string {
	if name == "" {
		return "."
	}
	return filepath.Dir(name)
}

// compileFailure carries a compile error through panics inside the compiler.
type compileFailure struct{ err *Error }

// recoverPanic turns a compile error (or a bug) raised while compiling into the returned error.
func (c *compiler) recoverPanic(err *error) {
	r := recover()
	if r == nil {
		return
	}
	if cf, ok := r.(compileFailure); ok {
		*err = cf.err
		return
	}
	*err = &Error{Msg: fmt.Sprintf("internal error in the compiler: %v\n%s", r, debug.Stack())}
}

// siteAt builds an error site in the current source.
func (c *compiler) siteAt(ctx, inner ast.Pos) *site {
	return &site{src: c.src, ctx: spanOf(ctx), inner: spanOf(inner), pos: inner}
}

// siteWide builds a site whose context is inner ± n lines.
func (c *compiler) siteWide(ctx ast.Pos, n int, inner ast.Pos) *site {
	s := c.siteAt(ctx, inner)
	s.ctx = widen(c.src.text, s.ctx, n)
	return s
}

// fail aborts the compilation with an error at pos (context and underline: the node itself).
func (c *compiler) fail(pos ast.Pos, hint, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	panic(compileFailure{c.siteAt(pos, pos).err(msg, hint)})
}

// failWide aborts with an error whose context is pos ± 2 lines.
func (c *compiler) failWide(pos ast.Pos, msg string) {
	panic(compileFailure{c.siteWide(pos, 2, pos).err(msg, "")})
}

// failWith aborts with a ready error.
func failWith(err error) {
	if e, ok := err.(*Error); ok {
		panic(compileFailure{e})
	}
	panic(compileFailure{&Error{Msg: err.Error()}})
}

// ---- compiled nodes ----

// cnode is a compiled expression: its closure, and what is known at compile time.
type cnode struct {
	fn    evalFn
	konst bool        // folded: val is the value
	val   value.Value // the value of a konst node
	dyn   ast.Node    // the first sub-node that needs the run time (event, locals, ...); nil: static
}

// static reports whether n can be evaluated at compile time.
func (n cnode) static() bool { return n.dyn == nil }

func konstNode(v value.Value) cnode {
	return cnode{fn: func(*Frame) (value.Value, error) { return v, nil }, konst: true, val: v}
}

// dynOf returns the first dynamic node of ns (nil when all are static).
func dynOf(ns ...cnode) ast.Node {
	for _, n := range ns {
		if n.dyn != nil {
			return n.dyn
		}
	}
	return nil
}

func allKonst(ns []cnode) bool {
	for _, n := range ns {
		if !n.konst {
			return false
		}
	}
	return true
}

// evalNow evaluates a static closure at compile time.
func (c *compiler) evalNow(fn evalFn) (v value.Value, err error) {
	f := &Frame{locals: make([]slot, c.body.nslots+1)}
	f.Event, f.Meta, f.State = &f.scratch[0], &f.scratch[1], &f.scratch[2]
	defer func() {
		if r := recover(); r != nil {
			err = &Error{Msg: fmt.Sprintf("internal error while folding constants: %v", r)}
		}
	}()
	v, err = fn(f)
	if err == errHalt || err == errRecur {
		err = &Error{Msg: "The expression isn't constant and can't be evaluated at compile time"}
	}
	return v, err
}

// fold evaluates n at compile time when all its parts are constants; errors are compile errors
// (with the text the runtime error would have).
func (c *compiler) fold(n cnode, parts ...cnode) cnode {
	if n.konst || !allKonst(parts) {
		return n
	}
	v, err := c.evalNow(n.fn)
	if err != nil {
		failWith(err)
	}
	return konstNode(v)
}

// ---- programs and items ----

// compileProgram compiles the items of a script body. args is what `args` stands for (nil: a
// standalone script, where it is the empty record).
func (c *compiler) compileProgram(items []ast.Stmt, args *value.Value) (*Program, error) {
	if args == nil {
		c.args = value.NewRecordValue(value.NewRec(0))
	} else {
		c.args = *args
	}
	c.ns = newNamespace(c.src)
	c.body = newBody(nil)
	return c.compileItems(items), nil
}

// compileItems compiles script items into the current namespace and body scope.
func (c *compiler) compileItems(items []ast.Stmt) *Program {
	p := &Program{src: c.src}
	last := -1
	for i, it := range items {
		switch it.(type) {
		case *ast.ExprStmt, *ast.Const:
			last = i
		}
	}
	for i, it := range items {
		final := i == last
		switch n := it.(type) {
		case nil:
		case *ast.Use:
			c.use(n)
		case *ast.FnDef:
			c.defineFn(n)
		case *ast.Intrinsic:
			c.defineIntrinsic(n)
		case *ast.Const:
			v := c.defineConst(n)
			if final {
				p.last = konstNode(v).fn
			}
		case *ast.ExprStmt:
			if final {
				if isBareEvent(n.Expr) {
					p.lastEvt = true
					continue
				}
			}
			fn, skip := c.stmt(n.Expr, final, false)
			switch {
			case final:
				p.last = fn
			case !skip:
				p.stmts = append(p.stmts, fn)
			}
		default:
			// define window|script|operator|pipeline|…: definitions for queries that use this file
			// as a module; running the script does not need them.
		}
	}
	if last < 0 {
		p.lastEvt = true
	}
	p.nslots = c.body.nslots
	return p
}

// isBareEvent reports whether e is the path `event` without segments.
func isBareEvent(e ast.Expr) bool {
	p, ok := e.(*ast.Path)
	return ok && p.Root == ast.RootEvent && len(p.Segments) == 0
}

// isPure reports whether a statement-level expression is skipped when its value is not needed
// (spec §2.1): everything but let, match, for, emit and drop.
func isPure(e ast.Expr) bool {
	switch e.(type) {
	case *ast.Let, *ast.Match, *ast.For, *ast.Emit, *ast.Drop:
		return false
	}
	return true
}

// stmt compiles a statement. needResult: its value is used; tail: it ends a function body (a recur
// there restarts the function). skip reports a pure statement whose value is not needed: it is
// compiled (for its compile errors) but must not run.
func (c *compiler) stmt(e ast.Expr, needResult, tail bool) (fn evalFn, skip bool) {
	switch n := e.(type) {
	case *ast.Match:
		return c.match(n, needResult, tail).fn, false
	case *ast.For:
		return c.forExpr(n, needResult).fn, false
	}
	node := c.exprTail(e, tail)
	return node.fn, isPure(e) && !needResult
}

// block compiles a statement list (a case body, a function body); its value is the last statement's.
func (c *compiler) block(exprs []ast.Expr, needResult, tail bool) cnode {
	if len(exprs) == 0 {
		return konstNode(value.NullValue)
	}
	var run []evalFn
	var last evalFn
	var lastNode cnode
	for i, e := range exprs {
		final := i == len(exprs)-1
		if final {
			switch n := e.(type) {
			case *ast.Match:
				lastNode = c.match(n, needResult, tail)
			case *ast.For:
				lastNode = c.forExpr(n, needResult)
			default:
				lastNode = c.exprTail(e, tail)
				if isPure(e) && !needResult {
					lastNode = konstNode(value.NullValue)
				}
			}
			last = lastNode.fn
			continue
		}
		fn, skip := c.stmt(e, false, false)
		if !skip {
			run = append(run, fn)
		}
	}
	if len(run) == 0 {
		return lastNode
	}
	if len(run) == 1 {
		r0 := run[0]
		return cnode{fn: func(f *Frame) (value.Value, error) {
			if _, err := r0(f); err != nil {
				return value.NullValue, err
			}
			return last(f)
		}, dyn: exprs[0]}
	}
	return cnode{fn: func(f *Frame) (value.Value, error) {
		for _, s := range run {
			if _, err := s(f); err != nil {
				return value.NullValue, err
			}
		}
		return last(f)
	}, dyn: exprs[0]}
}

// exprTail compiles an expression that may sit in tail position.
func (c *compiler) exprTail(e ast.Expr, tail bool) cnode {
	switch n := e.(type) {
	case *ast.Let:
		return c.let(n, tail)
	case *ast.Match:
		return c.match(n, true, tail)
	case *ast.Recur:
		return c.recur(n, tail)
	}
	return c.expr(e)
}

// expr compiles an expression in value position.
func (c *compiler) expr(e ast.Expr) cnode {
	switch n := e.(type) {
	case nil:
		return konstNode(value.NullValue)
	case *ast.Literal:
		return konstNode(literalValue(n))
	case *ast.String:
		return c.str(n)
	case *ast.Bytes:
		return c.bytes(n)
	case *ast.Record:
		return c.record(n)
	case *ast.List:
		return c.list(n)
	case *ast.Path:
		return c.path(n)
	case *ast.Binary:
		return c.binary(n)
	case *ast.Unary:
		return c.unary(n)
	case *ast.Present:
		return c.present(n)
	case *ast.Call:
		return c.call(n)
	case *ast.Recur:
		return c.recur(n, false)
	case *ast.Match:
		return c.match(n, true, false)
	case *ast.Patch:
		return c.patch(n)
	case *ast.Merge:
		return c.merge(n)
	case *ast.For:
		return c.forExpr(n, true)
	case *ast.Let:
		return c.let(n, false)
	case *ast.Emit:
		return c.emit(n)
	case *ast.Drop:
		return c.drop(n)
	}
	c.fail(e.Position(), "", "unsupported expression %T", e)
	return cnode{}
}

func literalValue(n *ast.Literal) value.Value {
	switch n.Kind {
	case ast.BoolLit:
		return value.NewBool(n.Bool)
	case ast.IntLit:
		return value.NewUint(n.Int)
	case ast.FloatLit:
		return value.NewFloat(n.Float)
	}
	return value.NullValue
}

// ---- emit and drop ----

func (c *compiler) emit(n *ast.Emit) cnode {
	if c.body.fn != nil {
		c.fail(n.Pos, "", "Can not emit from this location")
	}
	port := konstNode(value.NewString(DefaultPort))
	if n.Port != nil {
		port = c.expr(n.Port)
	}
	pfn := port.fn
	portOf := func(f *Frame) (string, error) {
		v, err := pfn(f)
		if err != nil {
			return "", err
		}
		if s, ok := v.AsString(); ok {
			return s, nil
		}
		return value.Encode(v), nil
	}
	if n.Value == nil || isBareEvent(n.Value) {
		return cnode{fn: func(f *Frame) (value.Value, error) {
			p, err := portOf(f)
			if err != nil {
				return value.NullValue, err
			}
			f.result = Result{Kind: EmitEvent, Port: p}
			return value.NullValue, errHalt
		}, dyn: n}
	}
	val := c.expr(n.Value).fn
	return cnode{fn: func(f *Frame) (value.Value, error) {
		v, err := val(f)
		if err != nil {
			return value.NullValue, err
		}
		p, err := portOf(f)
		if err != nil {
			return value.NullValue, err
		}
		f.result = Result{Kind: Emit, Value: v, Port: p}
		return value.NullValue, errHalt
	}, dyn: n}
}

func (c *compiler) drop(n *ast.Drop) cnode {
	if c.body.fn != nil {
		c.fail(n.Pos, "", "Can not drop from this location")
	}
	return cnode{fn: func(f *Frame) (value.Value, error) {
		f.result = Result{Kind: Drop}
		return value.NullValue, errHalt
	}, dyn: n}
}
