package lang

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/rillstream/rill/lang/ast"
)

// Checks of tremor-script bodies and of every expression (spec §2): functions, consts, calls and
// their arity, `recur`, `emit`/`drop` placement, `args` paths, module consts, extractors, binary
// literals, window-script restrictions (§4.7) and the select rules for expressions (§4.4).

// itemsKind says which items a list of script items may hold.
type itemsKind int

const (
	itemsRootScript itemsKind = iota // a .tremor file being checked: statements, fns, consts and defines
	itemsModule                      // a module file: use, const, fn, intrinsic, define
	itemsBody                        // a script body inside a query: no defines
)

// selPart names the clause of a select an expression belongs to.
type selPart int

const (
	partTarget selPart = iota
	partWhere
	partGroup
	partHaving
)

// selInfo describes the select around an expression.
type selInfo struct {
	windowed bool
	groups   []ast.Expr // group-by expressions: AST-equal sub-expressions of the target become group[i]
}

// isGroupExpr reports whether e equals one of the group-by expressions.
func (s *selInfo) isGroupExpr(e ast.Expr) bool {
	for _, g := range s.groups {
		if ast.Equal(e, g) {
			return true
		}
	}
	return false
}

// fnCtx is the function whose body is being checked.
type fnCtx struct {
	name     string
	params   int
	variadic bool
}

// shadowBinding is a chain of shadow variables (match `x = pattern`, for `(k, v)`) in scope.
type shadowBinding struct {
	name string
	next *shadowBinding
}

func (b *shadowBinding) has(name string) bool {
	for ; b != nil; b = b.next {
		if b.name == name {
			return true
		}
	}
	return false
}

// exprCtx is what an expression is checked against. It is passed by value: children get copies.
type exprCtx struct {
	sc       *nameScope
	fn       *fnCtx   // the enclosing function (recur, emit and drop rules); nil outside functions
	tail     bool     // `recur` is allowed at this node
	args     *argSpec // `args.k` must name one of these; nil: not checked
	noArgs   string   // non-empty: `args` is an error here; names who has no arguments
	window   bool     // a window script: no `let event`, `let $`
	tick     bool     // a window tick script: `event` and `$` are not readable
	sel      *selInfo // non-nil inside a select
	part     selPart
	inAggr   bool           // inside an aggregate's arguments
	noLocals bool           // selects: only shadow bindings may be read
	bound    *shadowBinding // shadow bindings in scope
	stmt     ast.Pos        // the top-level statement of the script body being checked
}

// nested returns the context for an operand: `recur` is not allowed there.
func (x exprCtx) nested() exprCtx {
	x.tail = false
	return x
}

func (x exprCtx) bind(names ...*ast.Ident) exprCtx {
	for _, n := range names {
		if n != nil {
			x.bound = &shadowBinding{name: n.Name, next: x.bound}
		}
	}
	return x
}

// checkScriptItems checks the items of a script body, module or script file in order.
func (c *checker) checkScriptItems(items []ast.Stmt, sc *nameScope, ctx exprCtx, kind itemsKind) {
	for _, it := range items {
		switch n := it.(type) {
		case nil:
		case *ast.Use:
			c.addUse(sc, n)
		case *ast.Const:
			c.checkConst(n, sc)
		case *ast.FnDef:
			c.checkFn(n, sc)
		case *ast.Intrinsic:
			c.checkIntrinsic(n, sc)
		case *ast.ExprStmt:
			ctx.stmt = n.Pos
			if kind == itemsModule {
				c.errorf(n.Pos, "move the statement into a script; a module only holds `use`, `const`, `fn`, `intrinsic fn` and `define`",
					"a module can not hold expressions")
			}
			c.walkExpr(n.Expr, ctx)
		default:
			if kind == itemsBody {
				c.errorf(it.Position(), "", "this statement is not allowed inside a script body")
				continue
			}
			c.checkStmt(it, stmtCtx{mode: modeModule, sc: sc})
		}
	}
}

// checkConst checks `const NAME = value` and adds the const to sc.
func (c *checker) checkConst(n *ast.Const, sc *nameScope) {
	name := identText(n.Name)
	if sc.consts[name] {
		c.errorf(wholeStmtPos(n.Pos, n.Doc, n.Name), "rename one of them", "Can't define the const `%s` twice", name)
	}
	c.requireConst(n.Value, sc, nil, false)
	c.walkExpr(n.Value, exprCtx{sc: sc})
	sc.consts[name] = true
}

// checkFn checks a function definition and adds it to sc afterwards (a function can not call itself
// by name).
func (c *checker) checkFn(n *ast.FnDef, sc *nameScope) {
	name := identText(n.Name)
	dup := sc.fns[name] != nil
	if dup {
		c.errorf(wholeStmtPos(n.Pos, n.Doc, n.Name), "rename one of them", "Can't define the function `%s` twice", name)
	}
	fctx := exprCtx{sc: sc, fn: &fnCtx{name: name, params: len(n.Params), variadic: n.Variadic}, tail: true}
	for _, e := range n.Body {
		c.walkExpr(e, fctx)
	}
	for _, cl := range n.Cases {
		if cl == nil {
			continue
		}
		c.walkPattern(cl.Pattern, fctx.nested())
		if cl.Guard != nil {
			c.walkExpr(cl.Guard, fctx)
		}
		for _, e := range cl.Body {
			c.walkExpr(e, fctx)
		}
	}
	if !dup {
		sc.fns[name] = &fnSym{name: name, params: len(n.Params), variadic: n.Variadic}
	}
}

// checkIntrinsic checks `intrinsic fn f(...) as m::g`: the registry function must exist.
func (c *checker) checkIntrinsic(n *ast.Intrinsic, sc *nameScope) {
	name := identText(n.Name)
	dup := sc.fns[name] != nil
	if dup {
		c.errorf(wholeStmtPos(n.Pos, n.Doc, n.Name), "rename one of them", "Can't define the function `%s` twice", name)
	}
	mod := strings.Join(n.Module, "::")
	target := identText(n.Target)
	fi, ok := c.env.Func(mod, target)
	reg := qualifiedName(n.Module, target)
	if !ok {
		c.errorf(identPosOr(n.Target, n.Pos), "an intrinsic binds a function of the registry, like `string::len`", "Call to undefined function %s", reg)
	}
	if !dup {
		sc.fns[name] = &fnSym{name: name, params: len(n.Params), variadic: n.Variadic, intrinsic: true, regName: reg, info: fi, known: ok}
	}
}

// walkExpr checks an expression and everything below it.
func (c *checker) walkExpr(e ast.Expr, ctx exprCtx) {
	if e == nil {
		return
	}
	if ctx.sel != nil && ctx.sel.windowed && ctx.part == partTarget && !ctx.inAggr && ctx.sel.isGroupExpr(e) {
		return // rewritten to group[i]; checked in the group by clause
	}
	nested := ctx.nested()
	switch n := e.(type) {
	case *ast.Literal:
	case *ast.String:
		c.walkString(n, nested)
	case *ast.Bytes:
		for _, p := range n.Parts {
			if p == nil {
				continue
			}
			c.checkBytesPart(p)
			c.walkExpr(p.Value, nested)
		}
	case *ast.Record:
		for _, f := range n.Fields {
			if f == nil {
				continue
			}
			c.walkString(f.Key, nested)
			c.walkExpr(f.Value, nested)
		}
	case *ast.List:
		for _, it := range n.Items {
			c.walkExpr(it, nested)
		}
	case *ast.Path:
		c.checkPath(n, nested, false)
	case *ast.Binary:
		c.walkExpr(n.L, nested)
		c.walkExpr(n.R, nested)
	case *ast.Unary:
		c.walkExpr(n.X, nested)
	case *ast.Present:
		if n.Path != nil {
			c.checkPath(n.Path, nested, false)
		}
	case *ast.Call:
		c.checkCall(n, nested)
	case *ast.Recur:
		c.checkRecur(n, ctx)
	case *ast.Match:
		c.walkExpr(n.Target, ctx)
		for _, cl := range n.Clauses {
			if cl == nil {
				continue
			}
			c.walkPattern(cl.Pattern, nested)
			bctx := ctx
			if ap, ok := cl.Pattern.(*ast.AssignPattern); ok {
				bctx = bctx.bind(ap.Name)
			}
			c.walkExpr(cl.Guard, bctx)
			for _, b := range cl.Body {
				c.walkExpr(b, bctx)
			}
		}
	case *ast.Patch:
		c.walkExpr(n.Target, nested)
		for _, op := range n.Ops {
			if op == nil {
				continue
			}
			c.walkString(op.Key, nested)
			c.walkString(op.To, nested)
			c.walkExpr(op.Value, nested)
		}
	case *ast.Merge:
		c.walkExpr(n.Target, nested)
		c.walkExpr(n.Value, nested)
	case *ast.For:
		c.walkExpr(n.Target, nested)
		for _, fc := range n.Cases {
			if fc == nil {
				continue
			}
			bctx := ctx.bind(fc.Key, fc.Value)
			c.walkExpr(fc.Guard, bctx.nested())
			body := bctx
			body.tail = ctx.tail && !n.Imut
			for _, b := range fc.Body {
				c.walkExpr(b, body)
			}
		}
		c.walkExpr(n.Into, nested)
	case *ast.Let:
		c.checkLet(n, ctx)
	case *ast.Emit:
		if ctx.fn != nil {
			c.errorf(n.Pos, "a function returns its last expression; emit from the script that calls it", "Can not emit from this location")
		}
		c.walkExpr(n.Value, nested)
		c.walkExpr(n.Port, nested)
	case *ast.Drop:
		if ctx.fn != nil {
			c.errorf(n.Pos, "drop in the script that calls the function", "Can not drop from this location")
		}
	}
}

// walkString checks the interpolations of a string literal.
func (c *checker) walkString(s *ast.String, ctx exprCtx) {
	if s == nil {
		return
	}
	for _, p := range s.Parts {
		if p.Interp != nil {
			c.walkExpr(p.Interp, ctx)
		}
	}
}

// checkLet checks an assignment; in window scripts `event` and `$` are read-only (§4.7).
func (c *checker) checkLet(n *ast.Let, ctx exprCtx) {
	if n.Target != nil {
		if ctx.window && ctx.fn == nil {
			pos := n.Target.Pos.To(n.Pos)
			switch n.Target.Root {
			case ast.RootEvent:
				c.errorf(pos, "a window script decides when to emit; it can not change the event (assign to `state` or a local instead)", "Can not assign to `event` here")
			case ast.RootMeta:
				c.errorf(pos, "a window script decides when to emit; it can not change the metadata (assign to `state` or a local instead)", "Can not assign to `$` here")
			}
		}
		c.checkPath(n.Target, ctx.nested(), true)
	}
	c.walkExpr(n.Value, ctx)
}

// checkPath checks a path read (or, with assign, the target of a let).
func (c *checker) checkPath(p *ast.Path, ctx exprCtx, assign bool) {
	switch p.Root {
	case ast.RootEvent, ast.RootMeta:
		if assign {
			break
		}
		what := "event"
		if p.Root == ast.RootMeta {
			what = "$"
		}
		if ctx.tick && ctx.fn == nil {
			at := ctx.stmt
			if !at.IsValid() {
				at = p.Pos
			}
			c.errorf(at, "a tick script runs without an event; use `state` to carry data between runs", "`%s` isn't accessible in this context", what)
		} else if ctx.sel != nil && ctx.sel.windowed && ctx.part == partTarget && !ctx.inAggr {
			c.errorf(p.Pos, "Here you operate in the whole window, not a single event. You need to wrap this reference in an aggregate function (e.g. aggr::win::last(...)) or use it in the group by clause of this query.",
				"References to `event` or `$` are not allowed in this context")
		}
	case ast.RootArgs:
		if !assign {
			c.checkArgsPath(p, ctx)
		}
	case ast.RootLocal:
		if ctx.noLocals && !assign && !ctx.bound.has(identText(p.Name)) {
			c.errorf(p.Pos, "selects have no local variables; use `event`, `group`, `window`, `args` or a module const (`m::NAME`)", "Local variables are not allowed here")
		}
	case ast.RootConst:
		c.checkModConst(p, ctx)
	case ast.RootExpr:
		c.walkExpr(p.Base, ctx)
	}
	for _, s := range p.Segments {
		if s == nil {
			continue
		}
		c.walkExpr(s.Index, ctx)
		c.walkExpr(s.End, ctx)
	}
}

// argsPathKey returns the argument name a path `args.k` / `args["k"]` reads, if it is known statically.
func argsPathKey(p *ast.Path) (*ast.Ident, ast.Pos, bool) {
	if len(p.Segments) == 0 || p.Segments[0] == nil {
		return nil, ast.Pos{}, false
	}
	s := p.Segments[0]
	switch s.Kind {
	case ast.SegField:
		if s.Name != nil {
			return s.Name, s.Name.Pos, true
		}
	case ast.SegIndex:
		if str, ok := s.Index.(*ast.String); ok && len(str.Parts) == 1 && str.Parts[0].Interp == nil {
			return &ast.Ident{Pos: str.Pos, Name: str.Parts[0].Text}, str.Pos, true
		}
	}
	return nil, ast.Pos{}, false
}

// checkArgsPath checks `args.k` against the declared arguments of the enclosing definition.
func (c *checker) checkArgsPath(p *ast.Path, ctx exprCtx) {
	key, kpos, ok := argsPathKey(p)
	if ctx.noArgs != "" {
		hint := "arguments exist only inside `define script`, `define operator`, `define pipeline` and `define flow`"
		if ok {
			c.errorf(kpos, hint, "Unknown argument: %s (%s declares no arguments)", key.Name, ctx.noArgs)
		} else {
			c.errorf(p.Pos, hint, "`args` is not available here: %s declares no arguments", ctx.noArgs)
		}
		return
	}
	if ctx.args == nil || !ok || ctx.args.names[key.Name] {
		return
	}
	c.errorf(kpos, ctx.args.unknownHint(key.Name), "Unknown argument: %s (not declared by %s)", key.Name, ctx.args.what)
}

// checkModConst checks a module const `m::NAME`.
func (c *checker) checkModConst(p *ast.Path, ctx exprCtx) {
	if ctx.sc == nil {
		return
	}
	name := identText(p.Name)
	m, missing := ctx.sc.resolveModule(p.Module)
	if missing {
		return
	}
	if m != nil && m.sc.consts[name] {
		return
	}
	hint := ""
	if m == nil {
		hint = c.stdHint(p.Module)
	} else {
		hint = suggestName(name, sortedNames(m.sc.consts))
	}
	c.errorf(p.Pos, hint, "The constant %s (absolute path) is not defined.", qualifiedName(p.Module, name))
}

// call resolution results.
type callKind int

const (
	callUnknown   callKind = iota
	callUser               // a user fn: no arity check
	callRegistry           // a registry function (directly, or through an intrinsic)
	callAggregate          // aggr::m::f (or legacy win::f / stats::f)
	callSkip               // through a module that failed to load: already reported
)

type callRes struct {
	kind  callKind
	name  string // registry name for messages: "string::len", "stats::sum"
	info  FuncInfo
	known bool // registry info is valid (false: intrinsic bound to an unknown function)
}

func fnCallRes(f *fnSym) callRes {
	if !f.intrinsic {
		return callRes{kind: callUser}
	}
	if !f.known {
		return callRes{kind: callSkip}
	}
	return callRes{kind: callRegistry, name: f.regName, info: f.info, known: true}
}

// resolveCall finds what a call invokes (spec §2.12, §3.1).
func (c *checker) resolveCall(sc *nameScope, mod []string, name string) callRes {
	if len(mod) == 0 {
		if sc != nil {
			if f := sc.lookupFn(name); f != nil {
				return fnCallRes(f)
			}
		}
		if fi, ok := c.env.Func("", name); ok {
			return callRes{kind: callRegistry, name: name, info: fi, known: true}
		}
		return callRes{kind: callUnknown}
	}
	if mod[0] == "aggr" && len(mod) == 2 {
		if fi, ok := c.env.Aggregate(mod[1], name); ok {
			return callRes{kind: callAggregate, name: mod[1] + "::" + name, info: fi, known: true}
		}
		return callRes{kind: callUnknown}
	}
	if mod[0] == "core" && len(mod) >= 2 {
		m := strings.Join(mod[1:], "::")
		if fi, ok := c.env.Func(m, name); ok {
			return callRes{kind: callRegistry, name: m + "::" + name, info: fi, known: true}
		}
		return callRes{kind: callUnknown}
	}
	if sc != nil {
		m, missing := sc.resolveModule(mod)
		if missing {
			return callRes{kind: callSkip}
		}
		if m != nil {
			if f := m.sc.fns[name]; f != nil {
				return fnCallRes(f)
			}
		}
	}
	joined := strings.Join(mod, "::")
	if len(mod) == 1 && (mod[0] == "win" || mod[0] == "stats") {
		if fi, ok := c.env.Aggregate(mod[0], name); ok {
			return callRes{kind: callAggregate, name: joined + "::" + name, info: fi, known: true}
		}
	}
	if fi, ok := c.env.Func(joined, name); ok && fi.Legacy {
		return callRes{kind: callRegistry, name: joined + "::" + name, info: fi, known: true}
	}
	if len(mod) == 1 && mod[0] == "tremor" {
		if fi, ok := c.env.Func("", name); ok {
			return callRes{kind: callRegistry, name: name, info: fi, known: true}
		}
	}
	return callRes{kind: callUnknown}
}

// checkCall checks a function call: resolution, arity, aggregate placement, then the arguments.
func (c *checker) checkCall(n *ast.Call, ctx exprCtx) {
	name := identText(n.Name)
	argc := len(n.Args)
	res := c.resolveCall(ctx.sc, n.Module, name)
	switch res.kind {
	case callUnknown:
		hint := c.stdHint(n.Module)
		if len(n.Module) == 0 && ctx.fn != nil && ctx.fn.name == name {
			hint = "a function can not call itself by name; use `recur(...)` to restart it"
		} else if len(n.Module) == 0 && ctx.sc != nil && ctx.sel == nil {
			hint = "functions must be defined (`fn " + name + "(...) with ... end`) before they are called"
		}
		if s := suggestName(name, c.fnNames(ctx.sc, n.Module)); s != "" {
			hint = s
		}
		c.errorf(n.Pos, hint, "Call to undefined function %s", qualifiedName(n.Module, name))
	case callRegistry:
		if res.known && !arityFits(res.info, argc) {
			c.errorf(n.Pos, "", "Bad arity for function %s/%s but was called with %d arguments", res.name, arityString(res.info), argc)
		}
	case callAggregate:
		switch {
		case ctx.sel == nil || !ctx.sel.windowed || (ctx.part != partTarget && ctx.part != partHaving):
			c.errorf(n.Pos, "aggregates combine the events of a window: select ... from in[my_window] ...",
				"aggregate functions are only allowed in the target and having of a select with windows")
		case ctx.inAggr:
			c.errorf(n.Pos, "compute the inner value per event without an aggregate", "aggregate functions can not be nested inside other aggregate functions")
		}
		if !arityFits(res.info, argc) {
			c.errorf(n.Pos, "", "Bad arity for function %s/%s but was called with %d arguments", res.name, arityString(res.info), argc)
		}
		actx := ctx
		actx.inAggr = true
		for _, a := range n.Args {
			c.walkExpr(a, actx)
		}
		return
	}
	for _, a := range n.Args {
		c.walkExpr(a, ctx)
	}
}

// fnNames lists the functions callable as mod::name (mod empty: the scope's own functions).
func (c *checker) fnNames(sc *nameScope, mod []string) []string {
	if sc == nil {
		return nil
	}
	if len(mod) == 0 {
		return sortedNames(sc.fns)
	}
	if m, _ := sc.resolveModule(mod); m != nil {
		return sortedNames(m.sc.fns)
	}
	return nil
}

// checkRecur checks the placement and arity of `recur(...)`.
func (c *checker) checkRecur(n *ast.Recur, ctx exprCtx) {
	switch {
	case ctx.fn == nil:
		c.errorf(n.Pos, "`recur` restarts the enclosing function; it only works inside `fn` bodies", "Can not recur from this location")
	case !ctx.tail:
		c.errorf(n.Pos, "`recur` must be a statement, a `let` value or a `match` case result, not part of a larger expression", "Can not recur from this location")
	}
	if ctx.fn != nil {
		p, a := ctx.fn.params, len(n.Args)
		if (!ctx.fn.variadic && a != p) || (ctx.fn.variadic && a > p) {
			c.errorf(n.Pos, "`recur` passes one value per parameter of `"+ctx.fn.name+"`", "Wrong number of arguments %d != %d", p, a)
		}
	}
	nested := ctx.nested()
	for _, a := range n.Args {
		c.walkExpr(a, nested)
	}
}

// walkPattern checks the expressions and extractors of a case pattern.
func (c *checker) walkPattern(p ast.Pattern, ctx exprCtx) {
	switch n := p.(type) {
	case *ast.ExprPattern:
		c.walkExpr(n.Expr, ctx)
	case *ast.ExtractPattern:
		c.checkExtractor(n.Extractor)
	case *ast.RecordPattern:
		for _, f := range n.Fields {
			if f == nil {
				continue
			}
			switch f.Test {
			case ast.FieldCompare:
				c.walkExpr(f.Value, ctx)
			case ast.FieldExtract:
				c.checkExtractor(f.Extractor)
			case ast.FieldSubPattern:
				c.walkPattern(f.Sub, ctx)
			}
		}
	case *ast.ArrayPattern:
		for _, it := range n.Items {
			c.walkPattern(it, ctx)
		}
	case *ast.TuplePattern:
		for _, it := range n.Items {
			c.walkPattern(it, ctx)
		}
	case *ast.AssignPattern:
		c.walkPattern(n.Pattern, ctx)
	}
}

// checkedExtractorKinds are the supported extractors (spec §2.8).
var checkedExtractorKinds = []string{"re", "rerg", "glob", "json", "base64", "kv", "dissect", "grok", "cidr", "influx", "datetime"}

// checkExtractor checks the kind of an extractor and compiles regular expression rules.
func (c *checker) checkExtractor(x *ast.Extractor) {
	if x == nil {
		return
	}
	kind := strings.ToLower(identText(x.Kind))
	known := false
	for _, k := range checkedExtractorKinds {
		if k == kind {
			known = true
			break
		}
	}
	if !known {
		c.errorf(identPosOr(x.Kind, x.Pos), "extractors are "+strings.Join(checkedExtractorKinds, ", "), "Unsupported extractor %s", identText(x.Kind))
		return
	}
	if kind == "re" || kind == "rerg" {
		if _, err := regexp.Compile(x.Rule); err != nil {
			c.errorf(x.Pos, "inside `"+identText(x.Kind)+"|...|` a backslash is written `\\\\` and a `|` is written `\\|`",
				"invalid regex in the `%s` extractor: %s", identText(x.Kind), strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
	}
}

// binaryPartTypes are the valid `/type` suffixes of a binary literal part, joined with `_` (spec §2.6).
var binaryPartTypes = map[string]bool{
	"binary": true, "integer": true, "big": true, "unsigned": true, "unsigned_integer": true, "big_integer": true,
	"big_unsigned_integer": true, "signed_integer": true, "big_signed_integer": true, "little": true,
	"little_integer": true, "little_unsigned_integer": true, "little_signed_integer": true,
}

// checkBytesPart checks the type and bit size of one part of a binary literal.
func (c *checker) checkBytesPart(p *ast.BytesPart) {
	if len(p.Type) > 0 && !binaryPartTypes[strings.Join(p.Type, "_")] {
		c.errorf(p.Pos, "types are binary, integer, signed_integer, unsigned_integer, with an optional big_ or little_ prefix",
			"Not a valid data type: '%s'", strings.Join(p.Type, "-"))
	}
	if lit, ok := p.Bits.(*ast.Literal); ok && lit.Kind == ast.IntLit && (lit.Int == 0 || lit.Int > 64) {
		c.errorf(p.Pos, "a part holds 1 to 64 bits", "negative bits or bits > 64 are are not allowed: %s", strconv.FormatUint(lit.Int, 10))
	}
}

// ---- compile-time constants ----

// requireConst reports the first part of e that keeps it from being a compile-time constant:
// `event`, `$`, `state`, `group`, `window`, locals other than consts, and `args` unless allowArgs
// (definitions whose `args` are substituted at creation). Literals, consts, records and lists of
// constants, operators and calls on constants are constant.
func (c *checker) requireConst(e ast.Expr, sc *nameScope, bound *shadowBinding, allowArgs bool) {
	if e == nil {
		return
	}
	k := constChecker{sc: sc, allowArgs: allowArgs}
	k.expr(e, bound)
	if k.bad != nil {
		c.errorf(k.bad.Position(), k.hint, "The expression isn't constant and can't be evaluated at compile time")
	}
}

type constChecker struct {
	sc        *nameScope
	allowArgs bool
	bad       ast.Node
	hint      string
}

func (k *constChecker) fail(n ast.Node, hint string) {
	if k.bad == nil {
		k.bad, k.hint = n, hint
	}
}

func (k *constChecker) path(p *ast.Path, bound *shadowBinding) {
	if p == nil {
		return
	}
	switch p.Root {
	case ast.RootEvent:
		k.fail(p, "`event` is only known when an event arrives")
	case ast.RootMeta:
		k.fail(p, "`$` is only known when an event arrives")
	case ast.RootState:
		k.fail(p, "`state` is only known at run time")
	case ast.RootGroup, ast.RootWindow:
		k.fail(p, "`group` and `window` are only known inside a select")
	case ast.RootArgs:
		if !k.allowArgs {
			k.fail(p, "there are no arguments to substitute here")
		}
	case ast.RootLocal:
		name := identText(p.Name)
		if !bound.has(name) && (k.sc == nil || !k.sc.consts[name]) {
			k.fail(p, "`"+name+"` is not a constant; only consts defined earlier (`const "+name+" = ...`) can be used here")
		}
	case ast.RootExpr:
		k.expr(p.Base, bound)
	}
	for _, s := range p.Segments {
		if s != nil {
			k.expr(s.Index, bound)
			k.expr(s.End, bound)
		}
	}
}

func (k *constChecker) str(s *ast.String, bound *shadowBinding) {
	if s == nil {
		return
	}
	for _, p := range s.Parts {
		if p.Interp != nil {
			k.expr(p.Interp, bound)
		}
	}
}

func (k *constChecker) pattern(p ast.Pattern, bound *shadowBinding) {
	switch n := p.(type) {
	case *ast.ExprPattern:
		k.expr(n.Expr, bound)
	case *ast.RecordPattern:
		for _, f := range n.Fields {
			if f != nil {
				k.expr(f.Value, bound)
				k.pattern(f.Sub, bound)
			}
		}
	case *ast.ArrayPattern:
		for _, it := range n.Items {
			k.pattern(it, bound)
		}
	case *ast.TuplePattern:
		for _, it := range n.Items {
			k.pattern(it, bound)
		}
	case *ast.AssignPattern:
		k.pattern(n.Pattern, bound)
	}
}

func (k *constChecker) expr(e ast.Expr, bound *shadowBinding) {
	if e == nil || k.bad != nil {
		return
	}
	switch n := e.(type) {
	case *ast.Literal:
	case *ast.String:
		k.str(n, bound)
	case *ast.Bytes:
		for _, p := range n.Parts {
			if p != nil {
				k.expr(p.Value, bound)
			}
		}
	case *ast.Record:
		for _, f := range n.Fields {
			if f != nil {
				k.str(f.Key, bound)
				k.expr(f.Value, bound)
			}
		}
	case *ast.List:
		for _, it := range n.Items {
			k.expr(it, bound)
		}
	case *ast.Path:
		k.path(n, bound)
	case *ast.Present:
		k.path(n.Path, bound)
	case *ast.Binary:
		k.expr(n.L, bound)
		k.expr(n.R, bound)
	case *ast.Unary:
		k.expr(n.X, bound)
	case *ast.Call:
		for _, a := range n.Args {
			k.expr(a, bound)
		}
	case *ast.Match:
		k.expr(n.Target, bound)
		for _, cl := range n.Clauses {
			if cl == nil {
				continue
			}
			k.pattern(cl.Pattern, bound)
			b := bound
			if ap, ok := cl.Pattern.(*ast.AssignPattern); ok && ap.Name != nil {
				b = &shadowBinding{name: ap.Name.Name, next: b}
			}
			k.expr(cl.Guard, b)
			for _, x := range cl.Body {
				k.expr(x, b)
			}
		}
	case *ast.Patch:
		k.expr(n.Target, bound)
		for _, op := range n.Ops {
			if op != nil {
				k.str(op.Key, bound)
				k.str(op.To, bound)
				k.expr(op.Value, bound)
			}
		}
	case *ast.Merge:
		k.expr(n.Target, bound)
		k.expr(n.Value, bound)
	case *ast.For:
		k.expr(n.Target, bound)
		for _, fc := range n.Cases {
			if fc == nil {
				continue
			}
			b := bound
			for _, id := range []*ast.Ident{fc.Key, fc.Value} {
				if id != nil {
					b = &shadowBinding{name: id.Name, next: b}
				}
			}
			k.expr(fc.Guard, b)
			for _, x := range fc.Body {
				k.expr(x, b)
			}
		}
		k.expr(n.Into, bound)
	case *ast.Recur, *ast.Let, *ast.Emit, *ast.Drop:
		k.fail(n, "")
	}
}
