package runtime

import (
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/lang/ast"
	"github.com/rillstream/rill/stdlib"
)

// Options configures Compile.
type Options struct {
	// Env is the compile environment of the embedded scripts and expressions (registry, module
	// path); nil means a fresh interp.Env.
	Env *interp.Env
	// Dir is the directory of the query, searched for modules after Env.Path.
	Dir string
}

// NotImplementedError reports a query feature this runtime does not run yet (peers and flows).
type NotImplementedError struct {
	Pos  ast.Pos // where the feature is used
	What string  // "flows and peers"
}

func (e *NotImplementedError) Error() string {
	return fmt.Sprintf("%s: not implemented yet: %s", e.Pos, e.What)
}

// compileError is a static error found while building the graph (most are caught by lang.Check
// before; these are the ones it can not see).
type compileError struct {
	pos ast.Pos
	msg string
}

func (e *compileError) Error() string { return fmt.Sprintf("%s: %s", e.pos, e.msg) }

// compiler builds a Graph from the statements of a query, in order (spec §4.1, §4.10).
type compiler struct {
	src     string
	env     *interp.Env
	dir     string
	g       *Graph
	scripts map[string]*ast.DefineScript
	uses    []ast.Stmt          // top-level `use` statements seen so far: visible to later selects
	aliases map[string][]string // module alias → module path, from those `use` statements
	inputs  map[string]bool
	outputs map[string]bool
	nsel    int
	scope                                // operators and nested pipelines (pipeline.go)
	windows map[string]*ast.DefineWindow // window definitions of this scope (window.go)
}

// Compile builds the graph of a trickle query file. f must have passed lang.Check (unknown names,
// duplicates, bad creations are reported there); src is the query's source, which error messages
// quote. Features not implemented yet fail with a *NotImplementedError.
func Compile(f *ast.File, src string, opts Options) (g *Graph, err error) {
	env := opts.Env
	if env == nil {
		env = &interp.Env{}
	}
	c := &compiler{src: src, env: env, dir: opts.Dir, g: &Graph{byName: map[string]int{}},
		scripts: map[string]*ast.DefineScript{}, aliases: map[string][]string{}, inputs: map[string]bool{}, outputs: map[string]bool{}}
	for _, in := range lang.ConfigPorts(f.Config, "from", []string{portIn}) {
		c.inputs[in] = true
		c.g.addNode(&node{name: in, kind: kindInput})
	}
	for _, out := range lang.ConfigPorts(f.Config, "into", []string{portOut, portErr}) {
		c.outputs[out] = true
		c.g.addNode(&node{name: out, kind: kindOutput, outPort: out})
	}
	for _, st := range f.Stmts {
		if err := c.stmt(st); err != nil {
			return nil, err
		}
	}
	if err := c.g.prune(); err != nil {
		return nil, err
	}
	return c.g, nil
}

func (c *compiler) stmt(st ast.Stmt) error {
	switch n := st.(type) {
	case nil:
	case *ast.Use:
		c.uses = append(c.uses, n)
		c.addAlias(n)
	case *ast.DefineScript:
		if n.Name != nil {
			c.scripts[n.Name.Name] = n
		}
	case *ast.DefineOperator, *ast.DefinePipeline:
		c.define(n)
	case *ast.DefineWindow:
		c.defineWindow(n)
	case *ast.CreateStream:
		if n.Name == nil {
			return nil
		}
		if err := c.freeName(n.Name.Name, n.Pos); err != nil {
			return err
		}
		c.g.addNode(&node{name: c.prefix + n.Name.Name, kind: kindStream})
	case *ast.Create:
		switch n.Kind {
		case "script":
			return c.createScript(n)
		case "operator":
			return c.createOperator(n)
		case "pipeline":
			return c.createPipeline(n)
		default:
			return &compileError{n.Pos, fmt.Sprintf("`create %s` is not allowed in a query", n.Kind)}
		}
	case *ast.Select:
		return c.selectStmt(n)
	case *ast.DefinePeer, *ast.DefineFlow, *ast.Connect, *ast.Deploy:
		return &NotImplementedError{Pos: st.Position(), What: "flows and peers"}
	default:
		return &compileError{st.Position(), "this statement is not allowed in a query"}
	}
	return nil
}

// addAlias records the module aliases a `use` binds (spec §2.12).
func (c *compiler) addAlias(u *ast.Use) {
	for _, b := range u.Bindings() {
		c.aliases[b.Alias] = []string(b.Path)
	}
}

// loadModule parses the module a qualified name goes through: `m::x` after `use a::m;` reads
// module a::m; a nested path `m::b::x` then follows the alias b that module a::m itself binds
// with a `use` (as lang.Check resolves it). It returns the module's statements and its source.
func (c *compiler) loadModule(pos ast.Pos, module []string, what string) (*ast.File, string, error) {
	path, ok := c.aliases[module[0]]
	if !ok {
		return nil, "", &NotImplementedError{Pos: pos, What: what + " from modules not bound by `use`"}
	}
	lib := c.env.Lib
	if lib == nil {
		lib = stdlib.Lib()
	}
	std := func(p []string) (string, string, bool) {
		name := strings.Join(p, "/") + ".tremor"
		b, err := fs.ReadFile(lib, name)
		if err != nil {
			return "", "", false
		}
		return "std:" + name, string(b), true
	}
	read := c.env.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	dir := c.dir
	if dir == "" {
		dir = "."
	}
	mounts := append(append([]string(nil), c.env.Path...), dir)
	for i := 0; ; i++ {
		file, src, ok := lang.FindModule(path, std, mounts, read)
		if !ok {
			return nil, "", &compileError{pos, lang.ModuleNotFoundMessage(path, mounts)}
		}
		f, err := lang.ParseModule(file, src)
		if err != nil {
			return nil, "", err
		}
		if i == len(module)-1 {
			return f, src, nil
		}
		// The next segment is an alias bound by this module's own `use` statements.
		sub := &compiler{aliases: map[string][]string{}}
		for _, st := range f.Stmts {
			if u, ok := st.(*ast.Use); ok {
				sub.addAlias(u)
			}
		}
		next, ok := sub.aliases[module[i+1]]
		if !ok {
			return nil, "", &compileError{pos, fmt.Sprintf("Module `%s` not found", strings.Join(module[:i+2], "::"))}
		}
		path = next
	}
}

// moduleDef finds the definition named t in the module t goes through: the first statement for
// which match returns true.
func (c *compiler) moduleDef(pos ast.Pos, module []string, what string, match func(ast.Stmt) bool) (ast.Stmt, string, error) {
	f, src, err := c.loadModule(pos, module, what)
	if err != nil {
		return nil, "", err
	}
	for _, st := range f.Stmts {
		if match(st) {
			return st, src, nil
		}
	}
	return nil, src, nil
}

// moduleScript finds `define script name` in the module a query alias names (`create script s
// from m::name` after `use a::m;`); it returns the definition and the module's source.
func (c *compiler) moduleScript(t *ast.Target) (*ast.DefineScript, string, error) {
	st, src, err := c.moduleDef(t.Pos, t.Module, "scripts", func(st ast.Stmt) bool {
		d, ok := st.(*ast.DefineScript)
		return ok && d.Name != nil && d.Name.Name == t.Name.Name
	})
	if err != nil {
		return nil, "", err
	}
	if st == nil {
		return nil, "", &compileError{t.Pos, fmt.Sprintf("The script `%s::%s` is not defined", strings.Join(t.Module, "::"), t.Name.Name)}
	}
	return st.(*ast.DefineScript), src, nil
}

// freeName fails when a node name is taken (spec §4.3).
func (c *compiler) freeName(name string, pos ast.Pos) error {
	if _, taken := c.g.byName[c.prefix+name]; taken || c.inputs[name] || c.outputs[name] || c.pipes[name] != nil {
		return &compileError{pos, fmt.Sprintf("Name `%s` is already in use for another node, please use another name.", name)}
	}
	return nil
}

// evalConst evaluates an expression that folds to a constant (arg defaults, `with` values, the
// script `state`), with `args` standing for args (nil: null).
func (c *compiler) evalConst(e ast.Expr, src string, args *value.Value) (value.Value, error) {
	prog, err := interp.CompileExpr(e, src, c.env, interp.BodyOptions{Args: args, Dir: c.dir})
	if err != nil {
		return value.NullValue, err
	}
	fr := prog.NewFrame()
	fr.Ctx = &eventCtx{ev: NewEvent(value.NullValue, 0)}
	res, err := prog.Run(fr)
	if err != nil {
		return value.NullValue, err
	}
	return res.Value, nil
}

// createScript compiles `create script s [from d] [with ... end]` (spec §4.3, §4.8).
func (c *compiler) createScript(n *ast.Create) error {
	if n.Name == nil {
		return nil
	}
	name := n.Name.Name
	defName := name
	def, defSrc := (*ast.DefineScript)(nil), c.src
	if n.From != nil {
		defName = n.From.Name.Name
		if len(n.From.Module) > 0 {
			var err error
			if def, defSrc, err = c.moduleScript(n.From); err != nil {
				return err
			}
		}
	}
	if def == nil {
		def = c.scripts[defName]
	}
	if def == nil {
		return &compileError{n.Pos, fmt.Sprintf("The script `%s` is not defined", name)}
	}
	if err := c.freeName(name, n.Pos); err != nil {
		return err
	}
	with := map[string]*ast.WithArg{}
	for _, w := range n.With {
		if w != nil && w.Name != nil {
			with[w.Name.Name] = w
		}
	}
	declared := map[string]bool{}
	rec := value.NewRec(len(def.Args))
	for _, d := range def.Args {
		if d == nil || d.Name == nil {
			continue
		}
		key := d.Name.Name
		declared[key] = true
		// Defaults are compiled where the definition is written; `with` values in the query.
		e, esrc := d.Default, defSrc
		var eargs *value.Value // `with` values see the enclosing pipeline's args (spec §4.3)
		if w := with[key]; w != nil {
			e, esrc, eargs = w.Value, c.src, c.args
		}
		if e == nil {
			return &compileError{n.Pos, "Missing required argument: " + key}
		}
		v, err := c.evalConst(e, esrc, eargs)
		if err != nil {
			return err
		}
		rec.Set(key, v)
	}
	for _, w := range n.With {
		if w != nil && w.Name != nil && !declared[w.Name.Name] {
			return &compileError{w.Pos, "Unknown argument: " + w.Name.Name}
		}
	}
	args := value.NewRecordValue(rec)
	spec := &scriptSpec{name: name, ports: map[string]*interp.Program{}}
	opts := interp.BodyOptions{Args: &args, Dir: c.dir}
	var err error
	if def.Script != nil {
		if spec.main, err = interp.CompileBody(def.Script, defSrc, c.env, opts); err != nil {
			return err
		}
	}
	for _, p := range def.Ports {
		if p == nil || p.Port == nil || p.Script == nil {
			continue
		}
		if spec.ports[p.Port.Name], err = interp.CompileBody(p.Script, defSrc, c.env, opts); err != nil {
			return err
		}
	}
	if def.State != nil {
		if spec.state, err = c.evalConst(def.State, defSrc, &args); err != nil {
			return err
		}
	}
	c.g.addNode(&node{name: c.prefix + name, kind: kindScript, script: spec})
	return nil
}

// selectStmt compiles a select and wires it between the nodes it reads and writes.
func (c *compiler) selectStmt(n *ast.Select) error {
	from, fromPort, err := c.fromRef(n.From)
	if err != nil {
		return err
	}
	into, intoPort, err := c.intoRef(n.Into)
	if err != nil {
		return err
	}
	var spec *selectSpec
	if len(n.Windows) > 0 {
		spec, err = c.compileWindowedSelect(n)
	} else {
		spec, err = c.compileSelect(n)
	}
	if err != nil {
		return err
	}
	name := c.prefix + fmt.Sprintf("select_%d", c.nsel)
	c.nsel++
	idx := c.g.addNode(&node{name: name, kind: kindSelect, sel: spec})
	c.g.connect(from, fromPort, idx, portIn)
	c.g.connect(idx, portOut, into, intoPort)
	return nil
}

// undefinedStream is the error of a select naming an unknown node (spec §4.4).
func undefinedStream(pos ast.Pos, name, port string) error {
	return &compileError{pos, fmt.Sprintf("Stream used in `from` or `into` is not defined: %s/%s", name, port)}
}

// fromRef resolves `from x[/p]` to a node and its output port; `from in/p` opens input `in/p`.
func (c *compiler) fromRef(r *ast.StreamRef) (int, string, error) {
	name, port := r.Name.Name, portOut
	if r.Port != nil {
		port = r.Port.Name
	}
	if p := c.pipes[name]; p != nil {
		return p.fromRef(r, port)
	}
	if c.inputs[name] {
		full := name
		if port != portOut {
			full = name + "/" + port
		}
		idx, ok := c.g.byName[c.prefix+full]
		if !ok {
			idx = c.g.addNode(&node{name: c.prefix + full, kind: c.portKind(kindInput)})
		}
		return idx, portOut, nil
	}
	idx, ok := c.g.byName[c.prefix+name]
	if !ok || c.outputs[name] || c.g.nodes[idx].kind == kindInput || c.g.nodes[idx].kind == kindOutput {
		return 0, "", undefinedStream(r.Pos, name, port)
	}
	return idx, port, nil
}

// intoRef resolves `into x[/p]` to a node and its input port; `into out/p` opens output `out/p`
// emitting on port p.
func (c *compiler) intoRef(r *ast.StreamRef) (int, string, error) {
	name, port := r.Name.Name, portIn
	if r.Port != nil {
		port = r.Port.Name
	}
	if p := c.pipes[name]; p != nil {
		return p.intoRef(r, port)
	}
	if c.outputs[name] {
		full, outPort := name, name
		if port != portIn {
			full, outPort = name+"/"+port, port
		}
		idx, ok := c.g.byName[c.prefix+full]
		if !ok {
			idx = c.g.addNode(&node{name: c.prefix + full, kind: c.portKind(kindOutput), outPort: outPort})
		}
		return idx, portIn, nil
	}
	idx, ok := c.g.byName[c.prefix+name]
	if !ok || c.inputs[name] || c.g.nodes[idx].kind == kindInput || c.g.nodes[idx].kind == kindOutput {
		return 0, "", undefinedStream(r.Pos, name, port)
	}
	return idx, port, nil
}
