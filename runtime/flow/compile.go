package flow

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/lang/ast"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/codec"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/interceptor"
	"github.com/rillstream/rill/runtime/peer"
)

// Env is what Compile resolves names against.
type Env struct {
	Interp       *interp.Env           // the script environment (registry, module path)
	Dir          string                // the file's directory, searched for modules
	Peers        *peer.Registry        // peer types
	Codecs       *codec.Registry       // codecs
	Interceptors *interceptor.Registry // interceptors
}

// Deployment is a compiled file: the flows it deploys, in `deploy` order.
type Deployment struct {
	Flows []*Flow
}

// Flow is one deployed flow.
type Flow struct {
	Name      string // the deployment's name (`deploy flow NAME`)
	Pos       ast.Pos
	Peers     []*Peer
	Pipelines []*Pipeline
	Links     []*Link
}

// Peer is a created peer, ready to be started.
type Peer struct {
	Name      string // its alias in the flow
	Pos       ast.Pos
	Spec      *peer.Spec
	Config    config.Values
	Codec     *codec.Compiled     // nil for peer types without a codec
	Read      []interceptor.Stage // interceptors, then preprocessors
	Write     []interceptor.Stage // postprocessors, then interceptors reversed
	Reconnect peer.Backoff
}

// Pipeline is a created pipeline.
type Pipeline struct {
	Name  string
	Pos   ast.Pos
	Graph *runtime.Graph
}

// Endpoint is one side of a link: a peer or a pipeline, and a port.
type Endpoint struct {
	Peer     *Peer
	Pipeline *Pipeline
	Port     string
}

func (e Endpoint) String() string {
	if e.Peer != nil {
		return "/peer/" + e.Peer.Name + "/" + e.Port
	}
	return "/pipeline/" + e.Pipeline.Name + "/" + e.Port
}

// Link is a `connect`.
type Link struct {
	Pos      ast.Pos
	From, To Endpoint
}

// HasDeploy reports whether a file deploys flows (and so is run by this package rather than as a
// single query).
func HasDeploy(f *ast.File) bool {
	for _, st := range f.Stmts {
		switch st.(type) {
		case *ast.Deploy, *ast.DefineFlow, *ast.DefinePeer:
			return true
		}
	}
	return false
}

// compiler holds the file-level definitions.
type compiler struct {
	src   string
	env   Env
	opts  runtime.Options
	uses  []*ast.Use
	peers map[string]*ast.DefinePeer
	pipes map[string]*ast.DefinePipeline
	flows map[string]*ast.DefineFlow
}

func diag(pos ast.Pos, hint, format string, args ...any) *lang.Diagnostic {
	return &lang.Diagnostic{Pos: pos, Msg: fmt.Sprintf(format, args...), Hint: hint}
}

// Compile builds the deployment of a file that passed lang.Check. src is its source. Errors are
// *lang.Diagnostic where a position is known, or the pipeline compiler's own errors.
func Compile(f *ast.File, src string, env Env) (*Deployment, error) {
	c := &compiler{src: src, env: env, opts: runtime.Options{Env: env.Interp, Dir: env.Dir},
		peers: map[string]*ast.DefinePeer{}, pipes: map[string]*ast.DefinePipeline{}, flows: map[string]*ast.DefineFlow{}}
	var deploys []*ast.Deploy
	for _, st := range f.Stmts {
		switch n := st.(type) {
		case *ast.Use:
			c.uses = append(c.uses, n)
		case *ast.DefinePeer:
			c.peers[n.Name.Name] = n
		case *ast.DefinePipeline:
			c.pipes[n.Name.Name] = n
		case *ast.DefineFlow:
			c.flows[n.Name.Name] = n
		case *ast.Deploy:
			deploys = append(deploys, n)
		}
	}
	if len(deploys) == 0 {
		return nil, diag(f.Pos, "add `deploy flow NAME;` after the flow's definition",
			"nothing to run: the file deploys no flow")
	}
	d := &Deployment{}
	seen := map[string]bool{}
	for _, dep := range deploys {
		if seen[dep.Name.Name] {
			return nil, diag(dep.Name.Pos, "give each deployment its own name: `deploy flow b from a;`", "flow `%s` is deployed twice", dep.Name.Name)
		}
		seen[dep.Name.Name] = true
		fl, err := c.deploy(dep)
		if err != nil {
			return nil, err
		}
		d.Flows = append(d.Flows, fl)
	}
	return d, nil
}

// flowScope is one flow's definitions and creations.
type flowScope struct {
	args      value.Value
	uses      []*ast.Use // the file's and the flow body's `use` statements
	peerDefs  map[string]*ast.DefinePeer
	pipeDefs  map[string]*ast.DefinePipeline
	peers     map[string]*Peer
	pipelines map[string]*Pipeline
}

func (c *compiler) deploy(dep *ast.Deploy) (*Flow, error) {
	defName, at := dep.Name.Name, dep.Name.Pos
	if dep.From != nil {
		if len(dep.From.Module) > 0 {
			return nil, diag(dep.From.Pos, "define the flow in this file", "flows from modules are not supported yet")
		}
		defName, at = dep.From.Name.Name, dep.From.Pos
	}
	def := c.flows[defName]
	if def == nil {
		return nil, diag(at, suggest(defName, keys(c.flows)), "unknown flow `%s`", defName)
	}
	args, err := c.args("flow `"+defName+"`", def.Args, c.src, dep.With, nil, dep.Pos)
	if err != nil {
		return nil, err
	}
	fl := &Flow{Name: dep.Name.Name, Pos: dep.Pos}
	sc := &flowScope{args: args, peerDefs: map[string]*ast.DefinePeer{}, pipeDefs: map[string]*ast.DefinePipeline{},
		peers: map[string]*Peer{}, pipelines: map[string]*Pipeline{}}
	sc.uses = append(sc.uses, c.uses...)
	for _, st := range def.Body {
		switch n := st.(type) {
		case *ast.Use:
			sc.uses = append(sc.uses, n)
		case *ast.DefinePeer:
			sc.peerDefs[n.Name.Name] = n
		case *ast.DefinePipeline:
			sc.pipeDefs[n.Name.Name] = n
		}
	}
	for _, st := range def.Body {
		switch n := st.(type) {
		case *ast.Create:
			switch n.Kind {
			case "peer", "connector":
				p, err := c.createPeer(n, sc)
				if err != nil {
					return nil, err
				}
				fl.Peers = append(fl.Peers, p)
			case "pipeline":
				p, err := c.createPipeline(n, sc)
				if err != nil {
					return nil, err
				}
				fl.Pipelines = append(fl.Pipelines, p)
			}
		case *ast.Connect:
			l, err := c.connect(n, sc)
			if err != nil {
				return nil, err
			}
			fl.Links = append(fl.Links, l)
		}
	}
	return fl, nil
}

// args evaluates the arguments of a definition: `with` values (evaluated with withArgs as
// `args`) over the declared defaults (written in defSrc).
func (c *compiler) args(what string, decls []*ast.ArgDecl, defSrc string, with []*ast.WithArg, withArgs *value.Value, at ast.Pos) (value.Value, error) {
	given := map[string]*ast.WithArg{}
	declared := map[string]bool{}
	for _, d := range decls {
		declared[d.Name.Name] = true
	}
	for _, w := range with {
		if !declared[w.Name.Name] {
			var names []string
			for n := range declared {
				names = append(names, n)
			}
			return value.NullValue, diag(w.Name.Pos, suggest(w.Name.Name, names), "%s has no argument `%s`", what, w.Name.Name)
		}
		given[w.Name.Name] = w
	}
	rec := value.NewRec(len(decls))
	for _, d := range decls {
		var v value.Value
		var err error
		switch w := given[d.Name.Name]; {
		case w != nil:
			v, err = runtime.EvalConst(w.Value, c.src, withArgs, c.opts)
		case d.Default != nil:
			v, err = runtime.EvalConst(d.Default, defSrc, nil, c.opts)
		default:
			return value.NullValue, diag(at, "pass it: `with "+d.Name.Name+" = ... end`", "%s needs the argument `%s`", what, d.Name.Name)
		}
		if err != nil {
			return value.NullValue, err
		}
		rec.Set(d.Name.Name, v)
	}
	return value.NewRecordValue(rec), nil
}

func (c *compiler) createPeer(n *ast.Create, sc *flowScope) (*Peer, error) {
	defName, at := n.Name.Name, n.Name.Pos
	var def *ast.DefinePeer
	defSrc := c.src
	if n.From != nil {
		defName, at = n.From.Name.Name, n.From.Pos
		if len(n.From.Module) > 0 {
			st, _, src, err := runtime.ModuleDefinition(sc.uses, n.From, c.opts, func(st ast.Stmt) bool {
				d, ok := st.(*ast.DefinePeer)
				return ok && d.Name != nil && d.Name.Name == defName
			})
			if err != nil {
				return nil, err
			}
			if st == nil {
				return nil, diag(at, "", "unknown peer `%s::%s`", strings.Join(n.From.Module, "::"), defName)
			}
			def, defSrc = st.(*ast.DefinePeer), src
		}
	}
	if def == nil {
		def = sc.peerDefs[defName]
	}
	if def == nil {
		def = c.peers[defName]
	}
	if def == nil {
		names := append(keys(sc.peerDefs), keys(c.peers)...)
		return nil, diag(at, suggest(defName, names), "unknown peer `%s`", defName)
	}
	if _, dup := sc.peers[n.Name.Name]; dup {
		return nil, diag(n.Name.Pos, "", "peer `%s` is created twice", n.Name.Name)
	}
	typ := def.Type.Name.Name
	if len(def.Type.Module) > 0 {
		typ = strings.Join(def.Type.Module, "::") + "::" + typ
	}
	spec, ok := c.env.Peers.Lookup(typ)
	if !ok {
		hint := "`rill doc peers` lists the peer types"
		if sg := suggest(typ, c.env.Peers.Names()); sg != "" {
			hint = sg + " " + hint
		}
		return nil, diag(def.Type.Pos, hint, "unknown peer type `%s`", typ)
	}
	args, err := c.args("peer `"+defName+"`", def.Args, defSrc, n.With, &sc.args, n.Pos)
	if err != nil {
		return nil, err
	}
	p := &Peer{Name: n.Name.Name, Pos: n.Pos, Spec: spec}
	vals := map[string]value.Value{}
	at2 := map[string]*ast.WithArg{}
	for _, w := range def.With {
		switch w.Name.Name {
		case "codec", "interceptors", "preprocessors", "postprocessors", "config", "reconnect", "metrics_interval_s":
		default:
			return nil, diag(w.Name.Pos, suggest(w.Name.Name, []string{"codec", "interceptors", "preprocessors", "postprocessors", "config", "reconnect"}),
				"unknown peer setting `%s`: a peer takes codec, interceptors, preprocessors, postprocessors, config and reconnect", w.Name.Name)
		}
		v, err := runtime.EvalConst(w.Value, defSrc, &args, c.opts)
		if err != nil {
			return nil, err
		}
		vals[w.Name.Name], at2[w.Name.Name] = v, w
	}
	where := func(key string) ast.Pos {
		if w := at2[key]; w != nil {
			return w.Value.Position()
		}
		return def.Pos
	}
	if spec.Planned {
		// Declared so Tremor deployments check; Start reports that it cannot run them yet.
		sc.peers[p.Name] = p
		return p, nil
	}
	// config
	cfg, err := config.Validate("peer type `"+typ+"`", vals["config"], spec.Config)
	if err != nil {
		pos := where("config")
		if ce, ok := err.(*config.Error); ok && ce.Key != "" && at2["config"] != nil {
			pos = fieldPos(at2["config"].Value, ce.Key, pos)
		}
		return nil, diag(pos, "`rill doc peers "+typ+"` lists its config keys", "%s", err.Error())
	}
	if _, err := spec.New(cfg); err != nil {
		return nil, diag(where("config"), "", "peer `%s` (%s): %v", def.Name.Name, typ, err)
	}
	p.Config = cfg
	// codec
	if v, ok := vals["codec"]; ok && spec.Codec != "" {
		ref, err := codec.ParseRef(v)
		if err == nil {
			p.Codec, err = c.env.Codecs.Compile(ref)
		}
		if err != nil {
			return nil, diag(where("codec"), "`rill doc codecs` lists the codecs", "%s", err.Error())
		}
	} else if ok {
		if _, err := codec.ParseRef(v); err != nil {
			return nil, diag(where("codec"), "", "%s", err.Error())
		}
	} else if spec.Codec != "" {
		if p.Codec, err = c.env.Codecs.Compile(codec.Ref{Name: spec.Codec}); err != nil {
			return nil, diag(def.Pos, "", "%s", err.Error())
		}
	}
	// interceptors
	stages := func(key, dir string) ([]interceptor.Stage, error) {
		v, ok := vals[key]
		if !ok {
			return nil, nil
		}
		refs, err := interceptor.ParseRefs(v)
		var st []interceptor.Stage
		if err == nil {
			st, err = c.env.Interceptors.Compile(refs, dir)
		}
		if err != nil {
			return nil, diag(where(key), "`rill doc interceptors` lists the interceptors", "%s: %s", key, err.Error())
		}
		return st, nil
	}
	both, err := stages("interceptors", "both")
	if err != nil {
		return nil, err
	}
	pre, err := stages("preprocessors", "read")
	if err != nil {
		return nil, err
	}
	post, err := stages("postprocessors", "write")
	if err != nil {
		return nil, err
	}
	_, hasI := vals["interceptors"]
	_, hasPre := vals["preprocessors"]
	_, hasPost := vals["postprocessors"]
	if !hasI && !hasPre && !hasPost && spec.Lines {
		both, _ = c.env.Interceptors.Compile([]interceptor.Ref{{Name: "lines"}}, "both")
	}
	if spec.Codec == "" {
		// Value peers (metronome, metrics, exit, null) ignore a codec and interceptors, as Tremor's
		// connectors without a byte stream do; the keys are still checked above.
		both, pre, post = nil, nil, nil
	}
	p.Read = append(append([]interceptor.Stage(nil), both...), pre...)
	p.Write = append([]interceptor.Stage(nil), post...)
	for i := len(both) - 1; i >= 0; i-- {
		p.Write = append(p.Write, both[i])
	}
	// reconnect
	if p.Reconnect, err = peer.ParseBackoff(vals["reconnect"]); err != nil {
		return nil, diag(where("reconnect"), "", "%s", err.Error())
	}
	sc.peers[p.Name] = p
	return p, nil
}

// fieldPos finds the position of key in a record literal, or returns def.
func fieldPos(e ast.Expr, key string, def ast.Pos) ast.Pos {
	r, ok := e.(*ast.Record)
	if !ok {
		return def
	}
	for _, f := range r.Fields {
		if f.Key != nil && len(f.Key.Parts) == 1 && f.Key.Parts[0].Interp == nil && f.Key.Parts[0].Text == key {
			return f.Pos
		}
	}
	return def
}

func (c *compiler) createPipeline(n *ast.Create, sc *flowScope) (*Pipeline, error) {
	defName, at := n.Name.Name, n.Name.Pos
	var def *ast.DefinePipeline
	defSrc, defUses := c.src, c.uses
	if n.From != nil {
		defName, at = n.From.Name.Name, n.From.Pos
		if len(n.From.Module) > 0 {
			st, f, src, err := runtime.ModuleDefinition(sc.uses, n.From, c.opts, func(st ast.Stmt) bool {
				d, ok := st.(*ast.DefinePipeline)
				return ok && d.Name != nil && d.Name.Name == defName
			})
			if err != nil {
				return nil, err
			}
			if st == nil {
				return nil, diag(at, "", "unknown pipeline `%s::%s`", strings.Join(n.From.Module, "::"), defName)
			}
			def, defSrc, defUses = st.(*ast.DefinePipeline), src, nil
			for _, x := range f.Stmts {
				if u, ok := x.(*ast.Use); ok {
					defUses = append(defUses, u)
				}
			}
		}
	}
	if def == nil {
		def = sc.pipeDefs[defName]
	}
	if def == nil {
		def = c.pipes[defName]
	}
	if def == nil {
		names := append(keys(sc.pipeDefs), keys(c.pipes)...)
		return nil, diag(at, suggest(defName, names), "unknown pipeline `%s`", defName)
	}
	if _, dup := sc.pipelines[n.Name.Name]; dup {
		return nil, diag(n.Name.Pos, "", "pipeline `%s` is created twice", n.Name.Name)
	}
	args, err := c.args("pipeline `"+defName+"`", def.Args, defSrc, n.With, &sc.args, n.Pos)
	if err != nil {
		return nil, err
	}
	g, err := runtime.CompileDefinedPipeline(def, defSrc, defUses, args, c.opts)
	if err != nil {
		return nil, err
	}
	p := &Pipeline{Name: n.Name.Name, Pos: n.Pos, Graph: g}
	sc.pipelines[p.Name] = p
	return p, nil
}

func (c *compiler) connect(n *ast.Connect, sc *flowScope) (*Link, error) {
	from, err := c.endpoint(n.From, sc, true)
	if err != nil {
		return nil, err
	}
	to, err := c.endpoint(n.To, sc, false)
	if err != nil {
		return nil, err
	}
	if from.Peer != nil && to.Peer != nil {
		return nil, diag(n.Pos, "put a pipeline between them: `select event from in into out;`", "a peer is connected to a pipeline, not to another peer")
	}
	return &Link{Pos: n.Pos, From: from, To: to}, nil
}

func (c *compiler) endpoint(r *ast.FlowRef, sc *flowScope, from bool) (Endpoint, error) {
	name := r.Name.Name
	port := ""
	portPos := r.Pos
	if r.Port != nil {
		port, portPos = r.Port.Name, r.Port.Pos
	}
	if r.Kind == "pipeline" {
		p := sc.pipelines[name]
		if p == nil {
			return Endpoint{}, diag(r.Name.Pos, suggest(name, keys(sc.pipelines)), "no pipeline `%s` was created in this flow", name)
		}
		ports, dir := p.Graph.Inputs(), "input"
		if from {
			ports, dir = p.Graph.Outputs(), "output"
		}
		if port == "" {
			port = "in"
			if from {
				port = "out"
			}
		}
		if !slices.Contains(ports, port) {
			return Endpoint{}, diag(portPos, "its "+dir+" ports: "+strings.Join(ports, ", "), "pipeline `%s` has no %s port `%s`", name, dir, port)
		}
		return Endpoint{Pipeline: p, Port: port}, nil
	}
	p := sc.peers[name]
	if p == nil {
		return Endpoint{}, diag(r.Name.Pos, suggest(name, keys(sc.peers)), "no peer `%s` was created in this flow", name)
	}
	ports, side := p.Spec.Ins(), "sink"
	if from {
		ports, side = p.Spec.Outs(), "source"
	}
	if len(ports) == 0 {
		return Endpoint{}, diag(r.Pos, "", "peer `%s` (%s) has no %s side: it can only be connected %s", name, p.Spec.Name, side, map[bool]string{true: "to", false: "from"}[from])
	}
	if port == "" {
		port = ports[0]
	}
	if !slices.Contains(ports, port) {
		return Endpoint{}, diag(portPos, "its "+side+" ports: "+strings.Join(ports, ", "), "peer `%s` (%s) has no %s port `%s`", name, p.Spec.Name, side, port)
	}
	return Endpoint{Peer: p, Port: port}, nil
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// suggest returns "did you mean `x`?" for the closest name, or "".
func suggest(name string, names []string) string {
	if best := config.Closest(name, names); best != "" {
		return "did you mean `" + best + "`?"
	}
	return ""
}
