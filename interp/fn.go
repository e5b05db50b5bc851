package interp

import (
	"strconv"
	"strings"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang/ast"
	"github.com/rillstream/rill/stdlib"
)

// Functions, consts, intrinsics, calls and recur (spec §2.12).

// recursionLimit is the number of `recur` restarts one call may make.
const recursionLimit = 1024

// userFn is a compiled `fn`.
type userFn struct {
	name     string
	params   int
	variadic bool
	body     evalFn
	nslots   int  // every local slot of the body (Tremor's local count: params, locals, shadows)
	usesArgs bool // the body reads `args`
}

// defineFn compiles a function definition and makes it visible to what follows.
func (c *compiler) defineFn(n *ast.FnDef) {
	name := identName(n.Name)
	if _, dup := c.ns.fns[name]; dup {
		c.failWide(n.Pos, "Can't define the function `"+name+"` twice")
	}
	uf := &userFn{name: name, params: len(n.Params), variadic: n.Variadic}
	saved := c.body
	c.body = newBody(uf)
	for _, p := range n.Params {
		c.body.local(identName(p))
	}
	if len(n.Cases) > 0 {
		uf.body = c.matchFnBody(n, uf)
	} else {
		uf.body = c.block(n.Body, true, true).fn
	}
	uf.nslots = c.body.nslots
	c.body = saved
	c.ns.fns[name] = &fnRef{user: uf}
}

// matchFnBody compiles the cases of `fn f(a, b) of case (x, y) when g => … case _ => … end`: the
// arguments are matched against each case's tuple pattern (one item per parameter), the guard sees
// the original arguments, then parameter i is rebound to item i of the pattern's binding.
func (c *compiler) matchFnBody(n *ast.FnDef, uf *userFn) evalFn {
	type fnCase struct {
		dflt  bool
		never bool
		match matcher
		guard evalFn
		gsite *site
		body  evalFn
	}
	params := make([]string, len(n.Params))
	for i, p := range n.Params {
		params[i] = identName(p)
	}
	nameSite := c.siteAt(n.Pos, identPos(n.Name, n.Pos))
	cases := make([]fnCase, 0, len(n.Cases))
	for _, cl := range n.Cases {
		if cl == nil {
			continue
		}
		var k fnCase
		switch p := cl.Pattern.(type) {
		case *ast.DefaultPattern:
			k.dflt = true
		case *ast.TuplePattern:
			if len(p.Items) != len(params) || p.Open {
				k.never = true
			}
			k.match, _ = c.tuplePattern(p, nil)
		default:
			k.match, _ = c.pattern(p, nil)
		}
		if cl.Guard != nil {
			k.guard = c.expr(cl.Guard).fn
			k.gsite = c.siteAt(n.Pos, cl.Guard.Position())
		}
		k.body = c.block(cl.Body, true, true).fn
		cases = append(cases, k)
	}
	noMatch := c.siteWide(n.Pos, 2, n.Pos)
	np := len(params)
	return func(f *Frame) (value.Value, error) {
		args := make([]value.Value, np)
		for i := range args {
			s := &f.locals[i]
			if !s.set {
				return value.NullValue, nameSite.err("Trying to access a non existing local key `"+params[i]+"`", localHint(params[i], nil))
			}
			args[i] = s.v
		}
		target := value.NewArray(args)
		for i := range cases {
			k := &cases[i]
			if k.never {
				continue
			}
			var bound []value.Value
			if !k.dflt {
				ok, b, err := k.match(f, target, true)
				if err != nil {
					return value.NullValue, err
				}
				if !ok {
					continue
				}
				bound, _ = b.AsArray()
			}
			if k.guard != nil {
				g, err := k.guard(f)
				if err != nil {
					return value.NullValue, err
				}
				gb, ok := g.AsBool()
				if !ok {
					return value.NullValue, needErr(k.gsite, g, "bool")
				}
				if !gb {
					continue
				}
			}
			for j := 0; j < len(bound) && j < np; j++ {
				f.locals[j] = slot{v: bound[j], set: true}
			}
			return k.body(f)
		}
		return value.NullValue, noMatch.err("A match expression executed but no clause matched", noMatchHint)
	}
}

// defineIntrinsic binds `intrinsic fn f(…) as m::g` to the registry function m::g.
func (c *compiler) defineIntrinsic(n *ast.Intrinsic) {
	name := identName(n.Name)
	if _, dup := c.ns.fns[name]; dup {
		c.failWide(n.Pos, "Can't define the function `"+name+"` twice")
	}
	mod := strings.Join(n.Module, "::")
	target := identName(n.Target)
	spec, ok := c.env.Registry.Lookup(mod, target)
	if !ok {
		c.fail(identPos(n.Target, n.Pos), "", "Call to undefined function %s::%s", mod, target)
	}
	c.ns.fns[name] = &fnRef{spec: spec}
}

// defineConst folds `const NAME = value` and makes it visible; it returns the value (a const
// statement evaluates to it).
func (c *compiler) defineConst(n *ast.Const) value.Value {
	name := identName(n.Name)
	if _, dup := c.ns.consts[name]; dup {
		c.failWide(n.Pos, "Can't define the const `"+name+"` twice")
	}
	x := c.expr(n.Value)
	v := x.val
	if !x.konst {
		if !x.static() {
			c.fail(x.dyn.Position(), "", "The expression isn't constant and can't be evaluated at compile time")
		}
		var err error
		if v, err = c.evalNow(x.fn); err != nil {
			failWith(err)
		}
	}
	c.ns.consts[name] = v
	return v
}

// moduleConst resolves `m::NAME`.
func (c *compiler) moduleConst(p *ast.Path) value.Value {
	name := identName(p.Name)
	if m := c.resolveModule(p.Module); m != nil {
		if v, ok := m.ns.consts[name]; ok {
			return v
		}
	}
	c.fail(p.Pos, "", "The constant %s::%s (absolute path) is not defined.", strings.Join(p.Module, "::"), name)
	return value.NullValue
}

// resolveModule follows a module path through the `use` aliases: [a] is alias a, [a, b] the alias b
// inside module a, and so on.
func (c *compiler) resolveModule(path []string) *module {
	if len(path) == 0 {
		return nil
	}
	m := c.ns.uses[path[0]]
	for _, p := range path[1:] {
		if m == nil {
			return nil
		}
		m = m.ns.uses[p]
	}
	return m
}

// resolveCall finds what a call invokes, the way the checker does (spec §2.12, §3.1).
func (c *compiler) resolveCall(n *ast.Call) (*fnRef, bool) {
	reg := c.env.Registry
	name := identName(n.Name)
	mod := n.Module
	if len(mod) == 0 {
		if r, ok := c.ns.fns[name]; ok {
			return r, true
		}
		if s, ok := reg.Lookup("", name); ok {
			return &fnRef{spec: s}, true
		}
		return nil, false
	}
	if mod[0] == "core" && len(mod) >= 2 {
		if s, ok := reg.Lookup(strings.Join(mod[1:], "::"), name); ok {
			return &fnRef{spec: s}, true
		}
		return nil, false
	}
	if m := c.resolveModule(mod); m != nil {
		if r, ok := m.ns.fns[name]; ok {
			return r, true
		}
	}
	joined := strings.Join(mod, "::")
	if s, ok := reg.Lookup(joined, name); ok && s.Legacy {
		return &fnRef{spec: s}, true
	}
	if len(mod) == 1 && mod[0] == "tremor" {
		if s, ok := reg.Lookup("", name); ok {
			return &fnRef{spec: s}, true
		}
	}
	return nil, false
}

// call compiles a function call.
func (c *compiler) call(n *ast.Call) cnode {
	ref, ok := c.resolveCall(n)
	if !ok {
		c.failWide(n.Pos, "Call to undefined function "+strings.Join(n.Module, "::")+"::"+identName(n.Name))
	}
	args := make([]cnode, len(n.Args))
	fns := make([]evalFn, len(n.Args))
	for i, a := range n.Args {
		args[i] = c.expr(a)
		fns[i] = args[i].fn
	}
	s := c.siteWide(n.Pos, 2, n.Pos)
	if ref.spec != nil {
		return c.registryCall(n, ref.spec, args, fns, s)
	}
	uf := ref.user
	fn := func(f *Frame) (value.Value, error) {
		base, err := f.evalArgs(fns)
		if err != nil {
			return value.NullValue, err
		}
		v, err := f.callUser(uf, f.argStack[base:], s)
		f.argStack = f.argStack[:base]
		return v, err
	}
	return cnode{fn: fn, dyn: dynOf(args...)}
}

// registryCall compiles a call of a registry function; a pure function called with constants is
// evaluated now (its errors become compile errors).
func (c *compiler) registryCall(n *ast.Call, spec *stdlib.FnSpec, args []cnode, fns []evalFn, s *site) cnode {
	if !spec.Accepts(len(args)) {
		panic(compileFailure{s.err("Bad arity for function "+spec.Qualified()+"/"+spec.Arity()+" but was called with "+strconv.Itoa(len(args))+" arguments", "")})
	}
	var fn evalFn
	switch len(fns) {
	case 0:
		fn = func(f *Frame) (value.Value, error) {
			v, err := spec.Call(f.Ctx, nil)
			if err != nil {
				return value.NullValue, s.err(err.Error(), "")
			}
			return v, nil
		}
	default:
		fn = func(f *Frame) (value.Value, error) {
			base, err := f.evalArgs(fns)
			if err != nil {
				return value.NullValue, err
			}
			v, err := spec.Call(f.Ctx, f.argStack[base:])
			f.argStack = f.argStack[:base]
			if err != nil {
				return value.NullValue, s.err(err.Error(), "")
			}
			return v, nil
		}
	}
	dyn := dynOf(args...)
	if !spec.Pure && dyn == nil {
		dyn = n
	}
	node := cnode{fn: fn, dyn: dyn}
	if spec.Pure {
		return c.fold(node, args...)
	}
	return node
}

// evalArgs evaluates call arguments onto the frame's argument stack and returns where they start;
// the caller truncates the stack back to that index after the call.
func (f *Frame) evalArgs(fns []evalFn) (int, error) {
	base := len(f.argStack)
	for _, a := range fns {
		v, err := a(f)
		if err != nil {
			f.argStack = f.argStack[:base]
			return base, err
		}
		f.argStack = append(f.argStack, v)
	}
	return base, nil
}

// callUser runs a user function: its own slots on the frame's slot stack, parameter i bound to
// argument i (no arity check, spec §2.12), `args` = the arguments beyond the slot count, restarts
// on a tail `recur` up to the recursion limit.
func (f *Frame) callUser(uf *userFn, args []value.Value, s *site) (value.Value, error) {
	base := f.sp
	need := base + uf.nslots
	if need > len(f.stack) {
		grown := make([]slot, max(need, 2*len(f.stack), 16))
		copy(grown, f.stack[:base])
		f.stack = grown
	}
	locals := f.stack[base:need:need]
	clear(locals)
	for i := 0; i < len(args) && i < len(locals); i++ {
		locals[i] = slot{v: args[i], set: true}
	}
	extra := value.NullValue
	if uf.usesArgs {
		var rest []value.Value
		if len(args) > len(locals) {
			rest = append(rest, args[len(locals):]...)
		} else {
			rest = []value.Value{}
		}
		extra = value.NewArray(rest)
	}
	savedLocals, savedArgs, savedSP := f.locals, f.fnArgs, f.sp
	f.locals, f.fnArgs, f.sp = locals, extra, need
	var v value.Value
	var err error
	for restarts := 0; ; {
		v, err = uf.body(f)
		if err != errRecur {
			break
		}
		if restarts++; restarts >= recursionLimit {
			err = s.err("Recursion limit Reached", "")
			break
		}
		for i := uf.params; i < len(locals); i++ {
			locals[i] = slot{}
		}
	}
	f.locals, f.fnArgs, f.sp = savedLocals, savedArgs, savedSP
	return v, err
}

// recur compiles `recur(…)`: evaluate all arguments, rebind the parameters; in tail position the
// function restarts, elsewhere the value is the marker string "recur".
func (c *compiler) recur(n *ast.Recur, tail bool) cnode {
	uf := c.body.fn
	if uf == nil {
		c.failWide(n.Pos, "Can not recur from this location")
	}
	if a := len(n.Args); !uf.variadic && a != uf.params || uf.variadic && a > uf.params {
		c.failWide(n.Pos, "Wrong number of arguments "+strconv.Itoa(uf.params)+" != "+strconv.Itoa(a))
	}
	fns := make([]evalFn, len(n.Args))
	for i, a := range n.Args {
		fns[i] = c.expr(a).fn
	}
	marker := value.NewString("recur")
	fn := func(f *Frame) (value.Value, error) {
		base, err := f.evalArgs(fns)
		if err != nil {
			return value.NullValue, err
		}
		for i, v := range f.argStack[base:] {
			if i < len(f.locals) {
				f.locals[i] = slot{v: v, set: true}
			}
		}
		f.argStack = f.argStack[:base]
		if tail {
			return value.NullValue, errRecur
		}
		return marker, nil
	}
	return cnode{fn: fn, dyn: n}
}
