package lang

import (
	"strings"

	"github.com/rillstream/rill/lang/ast"
)

// Checks of trickle queries, pipeline bodies, troy flows and definitions (spec §4.1–4.7, §4.9,
// peers.md §2): duplicate definitions, creations and their arguments, node names, the streams and
// ports a select reads and writes, window configuration, operator kinds, connects and deploys.

// stmtMode says where a statement stands.
type stmtMode int

const (
	modeTop      stmtMode = iota // the top level of a query or deployment file
	modePipeline                 // a `define pipeline` body
	modeFlow                     // a `define flow` body
	modeModule                   // a module file or script file (definitions only)
)

var modeWhere = map[stmtMode]string{
	modeTop:      "at the top level",
	modePipeline: "inside a pipeline",
	modeFlow:     "inside a flow",
	modeModule:   "in a module",
}

// stmtCtx is what a statement is checked against.
type stmtCtx struct {
	mode    stmtMode
	sc      *nameScope
	args    *argSpec   // the enclosing pipeline's or flow's arguments; nil at the top level
	g       *nodeGraph // the node graph of a query or pipeline body
	flow    *flowState
	deploys map[string]bool
}

// argSpec is the declared argument list of a definition.
type argSpec struct {
	what  string // "script `s`"
	decls []*ast.ArgDecl
	names map[string]bool
}

func newArgSpec(what string, decls []*ast.ArgDecl) *argSpec {
	a := &argSpec{what: what, decls: decls, names: map[string]bool{}}
	for _, d := range decls {
		if d != nil {
			a.names[identText(d.Name)] = true
		}
	}
	return a
}

// unknownHint suggests a declared argument close to name, then lists them all.
func (a *argSpec) unknownHint(name string) string {
	h := a.declaredHint()
	if s := suggestName(name, sortedNames(a.names)); s != "" {
		return s + " " + h
	}
	return h
}

// declaredHint lists the declared arguments.
func (a *argSpec) declaredHint() string {
	var names []string
	for _, d := range a.decls {
		if d != nil {
			names = append(names, identText(d.Name))
		}
	}
	if len(names) == 0 {
		return a.what + " declares no arguments; add `args name = default` to its definition"
	}
	return "declared arguments: " + backtickList(names)
}

// nodeGraph tracks the nodes of a query or pipeline body, in statement order.
type nodeGraph struct {
	inputs   map[string]bool
	outputs  map[string]bool
	nodes    map[string]*graphNode
	pipeline bool // a pipeline body: streams may not share names with its ports
}

// graphNode is a created node or stream. For pipelines ins/outs are the declared ports (nil: any).
type graphNode struct {
	kind      string // "stream", "script", "operator", "pipeline"
	ins, outs []string
}

func newNodeGraph(inputs, outputs []string) *nodeGraph {
	g := &nodeGraph{inputs: map[string]bool{}, outputs: map[string]bool{}, nodes: map[string]*graphNode{}}
	for _, i := range inputs {
		g.inputs[i] = true
	}
	for _, o := range outputs {
		g.outputs[o] = true
	}
	return g
}

// flowState tracks what a flow has created.
type flowState struct {
	name      string
	sc        *nameScope
	peers     map[string]bool
	pipelines map[string]*graphNode
}

// pipelinePorts returns the declared input and output ports of a pipeline definition.
func pipelinePorts(d *ast.DefinePipeline) (ins, outs []string) {
	ins, outs = []string{"in"}, []string{"out", "err"}
	if d == nil {
		return nil, nil
	}
	if len(d.From) > 0 {
		ins = nil
		for _, id := range d.From {
			ins = append(ins, identText(id))
		}
	}
	if len(d.Into) > 0 {
		outs = nil
		for _, id := range d.Into {
			outs = append(outs, identText(id))
		}
	}
	return ins, outs
}

func stringsInclude(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ConfigPorts reads `#!config from|into = "a, b"` of a top-level query (spec §4.1): a plain string
// split on commas, parts trimmed; def when the directive is absent or not a plain string.
func ConfigPorts(cfgs []*ast.Config, key string, def []string) []string {
	out := def
	for _, cfg := range cfgs {
		if cfg == nil || identText(cfg.Key) != key {
			continue
		}
		s, ok := cfg.Value.(*ast.String)
		if !ok {
			continue
		}
		var text strings.Builder
		plain := true
		for _, p := range s.Parts {
			if p.Interp != nil {
				plain = false
				break
			}
			text.WriteString(p.Text)
		}
		if !plain {
			continue
		}
		out = nil
		for _, part := range strings.Split(text.String(), ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// checkQueryFile checks a trickle query or troy deployment.
func (c *checker) checkQueryFile(f *ast.File, sc *nameScope) {
	for _, cfg := range f.Config {
		if cfg != nil {
			c.checkConstExpr(cfg.Value, sc, nil, false)
		}
	}
	g := newNodeGraph(ConfigPorts(f.Config, "from", []string{"in"}), ConfigPorts(f.Config, "into", []string{"out", "err"}))
	ctx := stmtCtx{mode: modeTop, sc: sc, g: g, deploys: map[string]bool{}}
	for _, st := range f.Stmts {
		c.checkStmt(st, ctx)
	}
}

// checkConstExpr checks an expression that must be a compile-time constant. With allowArgs, `args`
// paths are substituted (and checked against args when it is set).
func (c *checker) checkConstExpr(e ast.Expr, sc *nameScope, args *argSpec, allowArgs bool) {
	if e == nil {
		return
	}
	c.requireConst(e, sc, nil, allowArgs)
	ctx := exprCtx{sc: sc}
	if allowArgs {
		ctx.args = args
	}
	c.walkExpr(e, ctx)
}

// notAllowed reports a statement that has no meaning where it stands.
func (c *checker) notAllowed(st ast.Stmt, what string, ctx stmtCtx, hint string) {
	c.errorf(st.Position(), hint, "%s is not allowed %s", what, modeWhere[ctx.mode])
}

// checkStmt checks one query, pipeline, flow or module statement.
func (c *checker) checkStmt(st ast.Stmt, ctx stmtCtx) {
	switch n := st.(type) {
	case nil:
	case *ast.Use:
		c.addUse(ctx.sc, n)
	case *ast.DefineWindow:
		if ctx.mode == modeFlow {
			c.notAllowed(st, "`define window`", ctx, "a flow defines peers and pipelines; define windows inside a pipeline")
		}
		c.defineOnce(ctx.sc, defWindow, "window", n.Name, n)
		c.checkWindow(n, ctx)
	case *ast.DefineScript:
		if ctx.mode == modeFlow {
			c.notAllowed(st, "`define script`", ctx, "a flow defines peers and pipelines; define scripts inside a pipeline")
		}
		c.defineOnce(ctx.sc, defScript, "script", n.Name, n)
		c.checkDefineScript(n, ctx)
	case *ast.DefineOperator:
		if ctx.mode == modeFlow {
			c.notAllowed(st, "`define operator`", ctx, "a flow defines peers and pipelines; define operators inside a pipeline")
		}
		c.defineOnce(ctx.sc, defOperator, "operator", n.Name, n)
		c.checkDefineOperator(n, ctx)
	case *ast.DefinePipeline:
		c.defineOnce(ctx.sc, defPipeline, "pipeline", n.Name, n)
		c.checkDefinePipeline(n, ctx)
	case *ast.DefinePeer:
		word := "peer"
		if n.Connector {
			word = "connector"
		}
		if ctx.mode == modePipeline {
			c.notAllowed(st, "`define "+word+"`", ctx, "peers are defined at the top level or inside `define flow`")
		}
		c.defineOnce(ctx.sc, defPeer, word, n.Name, n)
		c.checkDefinePeer(n, word, ctx)
	case *ast.DefineFlow:
		if ctx.mode == modePipeline || ctx.mode == modeFlow {
			c.notAllowed(st, "`define flow`", ctx, "flows are defined at the top level of a file")
		}
		c.defineOnce(ctx.sc, defFlow, "flow", n.Name, n)
		c.checkDefineFlow(n, ctx)
	case *ast.CreateStream:
		if ctx.g == nil {
			c.notAllowed(st, "`create stream`", ctx, "streams belong to queries and pipeline bodies")
			return
		}
		c.checkCreateStream(n, ctx)
	case *ast.Create:
		c.checkCreate(n, ctx)
	case *ast.Select:
		if ctx.g == nil {
			c.notAllowed(st, "`select`", ctx, "put queries inside `define pipeline ... end` and create the pipeline")
			return
		}
		c.checkSelect(n, ctx)
	case *ast.Connect:
		if ctx.flow == nil {
			c.notAllowed(st, "`connect`", ctx, "connections are made inside `define flow ... end`")
			return
		}
		c.checkConnect(n, ctx)
	case *ast.Deploy:
		if ctx.mode != modeTop {
			c.notAllowed(st, "`deploy`", ctx, "deploy flows at the top level of a file")
			return
		}
		c.checkDeploy(n, ctx)
	default:
		c.notAllowed(st, "this statement", ctx, "")
	}
}

// defineOnce registers a definition, reporting a duplicate name of the same kind.
func (c *checker) defineOnce(sc *nameScope, kind, word string, name *ast.Ident, st ast.Stmt) {
	if name == nil {
		return
	}
	if !sc.define(kind, name.Name, st) {
		c.errorf(wholeStmtPos(st.Position(), definitionDoc(st), name), "rename one of them", "Can't define the %s `%s` twice", word, name.Name)
	}
}

// definitionDoc returns the doc comment lines of a definition.
func definitionDoc(st ast.Stmt) []string {
	switch n := st.(type) {
	case *ast.DefineWindow:
		return n.Doc
	case *ast.DefineScript:
		return n.Doc
	case *ast.DefineOperator:
		return n.Doc
	case *ast.DefinePipeline:
		return n.Doc
	case *ast.DefinePeer:
		return n.Doc
	case *ast.DefineFlow:
		return n.Doc
	}
	return nil
}

// checkArgDecls checks argument declarations: unique names, constant defaults (compiled in the
// enclosing scope, with no `args` of their own).
func (c *checker) checkArgDecls(decls []*ast.ArgDecl, sc *nameScope) {
	seen := map[string]bool{}
	for _, d := range decls {
		if d == nil {
			continue
		}
		name := identText(d.Name)
		if seen[name] {
			c.errorf(identPosOr(d.Name, d.Pos), "", "the argument `%s` is declared twice", name)
		}
		seen[name] = true
		c.checkConstExpr(d.Default, sc, nil, false)
	}
}

// checkWithValues checks a `with` list of a definition: unique keys, constant values.
func (c *checker) checkWithValues(with []*ast.WithArg, sc *nameScope, args *argSpec, allowArgs bool) map[string]*ast.WithArg {
	seen := map[string]*ast.WithArg{}
	for _, w := range with {
		if w == nil {
			continue
		}
		name := identText(w.Name)
		if _, dup := seen[name]; dup {
			c.errorf(identPosOr(w.Name, w.Pos), "", "`%s` is given twice", name)
		} else {
			seen[name] = w
		}
		c.checkConstExpr(w.Value, sc, args, allowArgs)
	}
	return seen
}

// checkCreateArgs checks the `with` keys of a creation against the definition's declared args.
func (c *checker) checkCreateArgs(with map[string]*ast.WithArg, order []*ast.WithArg, spec *argSpec, at ast.Pos) {
	for _, w := range order {
		if w == nil || with[identText(w.Name)] != w {
			continue
		}
		if name := identText(w.Name); !spec.names[name] {
			c.errorf(identPosOr(w.Name, w.Pos), spec.unknownHint(name), "Unknown argument: %s (not declared by %s)", name, spec.what)
		}
	}
	for _, d := range spec.decls {
		if d == nil || d.Default != nil {
			continue
		}
		name := identText(d.Name)
		if _, ok := with[name]; !ok {
			c.errorf(at, "pass it: `with "+name+" = ... end`", "Missing required argument: %s (%s declares it without a default)", name, spec.what)
		}
	}
}

// ---- definitions ----

// windowParam reports whether a window parameter is present and could be a u64 (a float, negative,
// string, bool, null, list or record literal counts as absent, spec §4.6).
func windowParam(with map[string]*ast.WithArg, key string) (*ast.WithArg, bool) {
	w := with[key]
	if w == nil {
		return nil, false
	}
	switch v := w.Value.(type) {
	case *ast.Literal:
		return w, v.Kind == ast.IntLit
	case *ast.Unary:
		if l, ok := v.X.(*ast.Literal); ok && v.Op == "-" && l.Kind == ast.IntLit && l.Int != 0 {
			return w, false
		}
	case *ast.String, *ast.Record, *ast.List, *ast.Bytes:
		return w, false
	}
	return w, true
}

// checkWindow checks a window definition (spec §4.2, §4.6, §4.7).
func (c *checker) checkWindow(w *ast.DefineWindow, ctx stmtCtx) {
	at := wholeStmtPos(w.Pos, w.Doc, w.Name)
	with := c.checkWithValues(w.With, ctx.sc, nil, false)
	if w.Kind == "sliding" {
		c.errorf(at, "use a `tumbling` window", "Sliding windows are not yet implemented")
	}
	size, hasSize := windowParam(with, "size")
	interval, hasInterval := windowParam(with, "interval")
	if w.Legacy {
		_, hasCount := windowParam(with, "count")
		if !hasSize && !hasInterval && !hasCount {
			c.errorf(at, "add `size = N` (events) or `interval = N` (nanoseconds)", "Bad window configuration, either `size`, `interval`, or `state` is required.")
		}
	} else {
		var present []ast.Node
		if hasSize {
			present = append(present, size)
		}
		if hasInterval {
			present = append(present, interval)
		}
		if w.State != nil {
			present = append(present, w.State)
		}
		switch {
		case len(present) == 0:
			c.errorf(at, "add `with size = N` (events), `with interval = N` (nanoseconds) or a `state` clause with a `script`",
				"Bad window configuration, either `size`, `interval`, or `state` is required.")
		case len(present) > 1:
			c.errorf(at, "a window counts events (`size`), measures time (`interval`) or decides with a script (`state`)",
				"Bad window configuration, only one of `size`, `interval`, or `state` is allowed.")
		}
	}
	if w.State != nil {
		c.checkConstExpr(w.State, ctx.sc, nil, false)
		if w.Script == nil {
			c.errorf(at, "add `script ...` returning true (emit), false, or [emit, include]", "Script is required for `state` type windows")
		}
	}
	if w.Tick != nil {
		sc := newNameScope(nil, ctx.sc.file)
		c.checkScriptItems(w.Tick.Items, sc, exprCtx{sc: sc, window: true, tick: true}, itemsBody)
	}
	if w.Script != nil {
		sc := newNameScope(nil, ctx.sc.file)
		c.checkScriptItems(w.Script.Items, sc, exprCtx{sc: sc, window: true}, itemsBody)
	}
}

// checkDefineScript checks a script definition: args, state, and every section in its own scope.
func (c *checker) checkDefineScript(d *ast.DefineScript, ctx stmtCtx) {
	spec := newArgSpec("script `"+identText(d.Name)+"`", d.Args)
	c.checkArgDecls(d.Args, ctx.sc)
	c.checkConstExpr(d.State, ctx.sc, spec, true)
	for _, p := range d.Ports {
		if p == nil || p.Script == nil {
			continue
		}
		sc := newNameScope(nil, ctx.sc.file)
		c.checkScriptItems(p.Script.Items, sc, exprCtx{sc: sc, args: spec}, itemsBody)
	}
	if d.Script != nil {
		sc := newNameScope(nil, ctx.sc.file)
		c.checkScriptItems(d.Script.Items, sc, exprCtx{sc: sc, args: spec}, itemsBody)
	}
}

// builtinOperatorsHint names the operator kinds of spec §4.9.
const builtinOperatorsHint = "built-in operators are generic::counter, generic::batch, qos::backpressure, qos::percentile, qos::roundrobin, grouper::bucket and debug::history"

// checkDefineOperator checks an operator definition: the kind, args and `with` config.
func (c *checker) checkDefineOperator(d *ast.DefineOperator, ctx stmtCtx) {
	mod, kind := identText(d.Module), identText(d.Kind)
	if d.Module != nil && d.Kind != nil && !c.env.Operator(mod, kind) {
		c.errorf(d.Module.Pos.To(d.Kind.Pos), builtinOperatorsHint, "Unknown operator: %s::%s", mod, kind)
	}
	spec := newArgSpec("operator `"+identText(d.Name)+"`", d.Args)
	c.checkArgDecls(d.Args, ctx.sc)
	c.checkWithValues(d.With, ctx.sc, spec, true)
}

// checkDefinePipeline checks a pipeline definition; its body gets a fresh, empty scope (§4.2).
func (c *checker) checkDefinePipeline(d *ast.DefinePipeline, ctx stmtCtx) {
	c.checkArgDecls(d.Args, ctx.sc)
	spec := newArgSpec("pipeline `"+identText(d.Name)+"`", d.Args)
	sc := newNameScope(nil, ctx.sc.file)
	for _, cfg := range d.Config {
		if cfg != nil {
			c.checkConstExpr(cfg.Value, sc, spec, true)
		}
	}
	ins, outs := pipelinePorts(d)
	g := newNodeGraph(ins, outs)
	g.pipeline = true
	body := stmtCtx{mode: modePipeline, sc: sc, args: spec, g: g}
	for _, st := range d.Body {
		c.checkStmt(st, body)
	}
}

// checkDefinePeer checks a peer (connector) definition.
func (c *checker) checkDefinePeer(d *ast.DefinePeer, word string, ctx stmtCtx) {
	spec := newArgSpec(word+" `"+identText(d.Name)+"`", d.Args)
	c.checkArgDecls(d.Args, ctx.sc)
	c.checkWithValues(d.With, ctx.sc, spec, true)
}

// checkDefineFlow checks a flow: its definitions and creations see flow-local definitions first,
// then the enclosing ones.
func (c *checker) checkDefineFlow(d *ast.DefineFlow, ctx stmtCtx) {
	spec := newArgSpec("flow `"+identText(d.Name)+"`", d.Args)
	c.checkArgDecls(d.Args, ctx.sc)
	sc := newNameScope(ctx.sc, ctx.sc.file)
	fs := &flowState{name: identText(d.Name), sc: sc, peers: map[string]bool{}, pipelines: map[string]*graphNode{}}
	body := stmtCtx{mode: modeFlow, sc: sc, args: spec, flow: fs}
	for _, st := range d.Body {
		c.checkStmt(st, body)
	}
}

// ---- creations ----

// checkCreateStream checks `create stream s`.
func (c *checker) checkCreateStream(n *ast.CreateStream, ctx stmtCtx) {
	if n.Name == nil {
		return
	}
	name := n.Name.Name
	g := ctx.g
	switch {
	case g.inputs[name] || g.outputs[name]:
		c.errorf(n.Pos, "rename the stream", "Streams cannot share names with from/into ports")
		return
	case g.nodes[name] != nil && g.nodes[name].kind == "stream":
		c.errorf(n.Pos, "", "Can't define the stream `%s` twice", name)
		return
	case g.nodes[name] != nil:
		c.errorf(n.Pos, "", "Name `%s` is already in use for another node, please use another name.", name)
		return
	}
	g.nodes[name] = &graphNode{kind: "stream"}
}

// checkCreate checks `create script|operator|pipeline|peer|connector x [from t] [with ... end]`.
func (c *checker) checkCreate(n *ast.Create, ctx stmtCtx) {
	kind := n.Kind
	switch kind {
	case "script", "operator":
		if ctx.g == nil {
			c.notAllowed(n, "`create "+kind+"`", ctx, "scripts and operators are created inside queries and pipeline bodies")
			return
		}
	case "pipeline":
		if ctx.g == nil && ctx.flow == nil {
			c.notAllowed(n, "`create pipeline`", ctx, "")
			return
		}
	case "peer", "connector":
		if ctx.flow == nil {
			c.notAllowed(n, "`create "+kind+"`", ctx, "peers are created inside `define flow ... end`")
			return
		}
	default:
		c.errorf(n.Pos, "", "unknown kind of creation `%s`", kind)
		return
	}
	defKind := kind
	if kind == "connector" {
		defKind = defPeer
	}
	var mod []string
	tname, tpos := identText(n.Name), identPosOr(n.Name, n.Pos)
	if n.From != nil {
		mod, tname, tpos = n.From.Module, identText(n.From.Name), n.From.Pos
	}
	def, missing := ctx.sc.lookupDef(defKind, mod, tname)
	if def == nil && !missing {
		full := qualifiedName(mod, tname)
		hint := "define it first: `define " + kind + " " + tname + " ...`"
		if len(mod) > 0 {
			if m, _ := ctx.sc.resolveModule(mod); m == nil {
				hint = "no module `" + strings.Join(mod, "::") + "` is in scope; add a `use` for it"
			} else {
				hint = "module `" + m.name + "` defines no " + kind + " `" + tname + "`"
			}
		}
		if s := suggestName(tname, ctx.sc.defNames(defKind, mod)); s != "" {
			hint = s
		}
		switch kind {
		case "script":
			c.errorf(tpos, hint, "The script `%s` is not defined", full)
		case "operator":
			c.errorf(tpos, hint, "operator `%s` is not defined", full)
		case "pipeline":
			c.errorf(tpos, hint, "Unknown pipeline `%s`", full)
		default:
			c.errorf(tpos, hint, "%s `%s` is not defined", kind, full)
		}
	}
	// `with` values: constant once the enclosing pipeline's or flow's args are substituted.
	with := c.checkWithValues(n.With, ctx.sc, ctx.args, ctx.args != nil)
	var spec *argSpec
	node := &graphNode{kind: kind}
	switch d := def.(type) {
	case *ast.DefineScript:
		spec = newArgSpec("script `"+qualifiedName(mod, tname)+"`", d.Args)
	case *ast.DefineOperator:
		spec = newArgSpec("operator `"+qualifiedName(mod, tname)+"`", d.Args)
	case *ast.DefinePipeline:
		spec = newArgSpec("pipeline `"+qualifiedName(mod, tname)+"`", d.Args)
		node.ins, node.outs = pipelinePorts(d)
	case *ast.DefinePeer:
		spec = newArgSpec(kind+" `"+qualifiedName(mod, tname)+"`", d.Args)
	}
	if spec != nil {
		c.checkCreateArgs(with, n.With, spec, n.Pos)
	}
	if n.Name == nil {
		return
	}
	name := n.Name.Name
	if ctx.flow != nil {
		if kind == "pipeline" {
			if ctx.flow.pipelines[name] != nil {
				c.errorf(n.Pos, "", "Name `%s` is already in use for another pipeline of flow `%s`, please use another name.", name, ctx.flow.name)
				return
			}
			ctx.flow.pipelines[name] = node
		} else {
			if ctx.flow.peers[name] {
				c.errorf(n.Pos, "", "Name `%s` is already in use for another peer of flow `%s`, please use another name.", name, ctx.flow.name)
				return
			}
			ctx.flow.peers[name] = true
		}
		return
	}
	g := ctx.g
	if g.inputs[name] || g.outputs[name] || g.nodes[name] != nil {
		c.errorf(n.Pos, "", "Name `%s` is already in use for another node, please use another name.", name)
		return
	}
	g.nodes[name] = node
}

// ---- select ----

// groupExprs lists the expressions of a group-by definition.
func groupExprs(g ast.GroupBy, out []ast.Expr) []ast.Expr {
	switch n := g.(type) {
	case *ast.GroupExpr:
		if n.Expr != nil {
			out = append(out, n.Expr)
		}
	case *ast.GroupEach:
		if n.Expr != nil {
			out = append(out, n.Expr)
		}
	case *ast.GroupSet:
		for _, it := range n.Items {
			out = groupExprs(it, out)
		}
	}
	return out
}

// checkSelect checks a select: its streams, windows and clauses.
func (c *checker) checkSelect(n *ast.Select, ctx stmtCtx) {
	c.checkStreamRef(n.From, true, ctx)
	for _, w := range n.Windows {
		if w == nil {
			continue
		}
		name := identText(w.Name)
		def, missing := ctx.sc.lookupDef(defWindow, w.Module, name)
		if def == nil && !missing {
			full := qualifiedName(w.Module, name)
			hint := "define it first: `define window " + name + " from tumbling with size = 10 end;`"
			if len(w.Module) > 0 {
				hint = "the module has no window `" + name + "`, or no `use` brings the module in"
			}
			if s := suggestName(name, ctx.sc.defNames(defWindow, w.Module)); s != "" {
				hint = s
			}
			c.errorf(w.Pos, hint, "window `%s` is not defined", full)
		}
	}
	sel := &selInfo{windowed: len(n.Windows) > 0, groups: groupExprs(n.GroupBy, nil)}
	base := exprCtx{sc: ctx.sc, sel: sel, noLocals: true}
	if ctx.mode == modeTop {
		base.noArgs = "the top-level query"
	} else {
		base.args = ctx.args
	}
	part := func(p selPart) exprCtx {
		x := base
		x.part = p
		return x
	}
	c.walkExpr(n.Target, part(partTarget))
	c.walkExpr(n.Where, part(partWhere))
	c.walkGroup(n.GroupBy, part(partGroup))
	c.checkStreamRef(n.Into, false, ctx)
	c.walkExpr(n.Having, part(partHaving))
}

// walkGroup checks the expressions of a group-by definition.
func (c *checker) walkGroup(g ast.GroupBy, ctx exprCtx) {
	switch n := g.(type) {
	case *ast.GroupExpr:
		c.walkExpr(n.Expr, ctx)
	case *ast.GroupEach:
		c.walkExpr(n.Expr, ctx)
	case *ast.GroupSet:
		for _, it := range n.Items {
			c.walkGroup(it, ctx)
		}
	}
}

// checkStreamRef checks the node and port a select reads (from) or writes (into).
func (c *checker) checkStreamRef(r *ast.StreamRef, from bool, ctx stmtCtx) {
	if r == nil || r.Name == nil {
		return
	}
	g := ctx.g
	name := r.Name.Name
	port := "in"
	if from {
		port = "out"
	}
	if r.Port != nil {
		port = r.Port.Name
	}
	if from && g.inputs[name] || !from && g.outputs[name] {
		return // `from in/p` and `into out/p` open extra ports
	}
	if node := g.nodes[name]; node != nil {
		ports, dir := node.outs, "outputs"
		if !from {
			ports, dir = node.ins, "inputs"
		}
		if node.kind != "pipeline" || ports == nil || stringsInclude(ports, port) {
			return
		}
		c.errorf(r.Pos, "pipeline `"+name+"` declares the "+dir+" "+backtickList(ports),
			"Stream used in `from` or `into` is not defined: %s/%s", name, port)
		return
	}
	var hint string
	switch {
	case from && g.outputs[name]:
		hint = "`" + name + "` is an output; select from an input, a stream or a created node"
	case !from && g.inputs[name]:
		hint = "`" + name + "` is an input; select into an output, a stream or a created node"
	default:
		hint = "create it before this select (`create stream " + name + ";`, `create script " + name + ";`, ...)"
		if ctx.mode == modeTop {
			hint += " or declare it with `#!config " + map[bool]string{true: "from", false: "into"}[from] + " = \"...\"`"
		}
		cands := sortedNames(g.nodes)
		if from {
			cands = append(cands, sortedNames(g.inputs)...)
		} else {
			cands = append(cands, sortedNames(g.outputs)...)
		}
		if s := suggestName(name, cands); s != "" {
			hint = s
		}
	}
	c.errorf(r.Pos, hint, "Stream used in `from` or `into` is not defined: %s/%s", name, port)
}

// ---- flows ----

// checkConnect checks `connect /kind/a[/port] to /kind/b[/port]`.
func (c *checker) checkConnect(n *ast.Connect, ctx stmtCtx) {
	c.checkFlowRef(n.From, true, ctx.flow)
	c.checkFlowRef(n.To, false, ctx.flow)
}

func (c *checker) checkFlowRef(r *ast.FlowRef, from bool, fs *flowState) {
	if r == nil || r.Name == nil {
		return
	}
	name := r.Name.Name
	port := "in"
	if from {
		port = "out"
	}
	portPos := r.Pos
	if r.Port != nil {
		port, portPos = r.Port.Name, r.Port.Pos
	}
	switch r.Kind {
	case "peer", "connector":
		if !fs.peers[name] {
			if def, _ := fs.sc.lookupDef(defPeer, nil, name); def == nil {
				c.errorf(r.Name.Pos, suggestName(name, sortedNames(fs.peers)), "%s `%s` is not defined", r.Kind, name)
				return
			}
			c.errorf(r.Name.Pos, "add `create "+r.Kind+" "+name+";` to the flow before connecting it", "%s `%s` is not created in flow `%s`", r.Kind, name, fs.name)
			return
		}
		if from && port != "out" && port != "err" {
			c.errorf(portPos, "a peer's source side sends events on `out` and errors on `err`", "%s `%s` has no output port `%s`", r.Kind, name, port)
		}
		if !from && port != "in" {
			c.errorf(portPos, "a peer's sink side receives events on `in`", "%s `%s` has no input port `%s`", r.Kind, name, port)
		}
	case "pipeline":
		p := fs.pipelines[name]
		if p == nil {
			if def, _ := fs.sc.lookupDef(defPipeline, nil, name); def == nil {
				c.errorf(r.Name.Pos, suggestName(name, sortedNames(fs.pipelines)), "pipeline `%s` is not defined", name)
				return
			}
			c.errorf(r.Name.Pos, "add `create pipeline "+name+";` to the flow before connecting it", "pipeline `%s` is not created in flow `%s`", name, fs.name)
			return
		}
		ports, dir := p.outs, "output"
		if !from {
			ports, dir = p.ins, "input"
		}
		if ports != nil && !stringsInclude(ports, port) {
			c.errorf(portPos, "pipeline `"+name+"` declares the "+dir+"s "+backtickList(ports), "pipeline `%s` has no %s port `%s`", name, dir, port)
		}
	}
}

// checkDeploy checks `deploy flow x [from t] [with ... end]`.
func (c *checker) checkDeploy(n *ast.Deploy, ctx stmtCtx) {
	var mod []string
	tname, tpos := identText(n.Name), identPosOr(n.Name, n.Pos)
	if n.From != nil {
		mod, tname, tpos = n.From.Module, identText(n.From.Name), n.From.Pos
	}
	def, missing := ctx.sc.lookupDef(defFlow, mod, tname)
	if def == nil && !missing {
		hint := "define it first: `define flow " + tname + " flow ... end;`"
		if s := suggestName(tname, ctx.sc.defNames(defFlow, mod)); s != "" {
			hint = s
		}
		c.errorf(tpos, hint, "flow `%s` is not defined", qualifiedName(mod, tname))
	}
	with := c.checkWithValues(n.With, ctx.sc, nil, false)
	if d, ok := def.(*ast.DefineFlow); ok {
		c.checkCreateArgs(with, n.With, newArgSpec("flow `"+qualifiedName(mod, tname)+"`", d.Args), wholeStmtPos(n.Pos, n.Doc, n.Name))
	}
	if n.Name != nil {
		if ctx.deploys[n.Name.Name] {
			c.errorf(wholeStmtPos(n.Pos, n.Doc, n.Name), "give each deployment its own name: `deploy flow other from "+tname+"`", "Name `%s` is already in use for another deployment, please use another name.", n.Name.Name)
		}
		ctx.deploys[n.Name.Name] = true
	}
}
