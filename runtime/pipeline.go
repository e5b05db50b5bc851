package runtime

import (
	"strings"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang/ast"
)

// scope is the part of a compiler's scope for operators and nested pipelines (spec §4.2, §4.3). The
// top-level query has an empty prefix and null args; a `create pipeline p` body is compiled by a
// child compiler sharing the graph, whose node names are prefixed by "p::" (nesting accumulates).
type scope struct {
	prefix   string
	args     *value.Value // the pipeline's args record; nil (null) at the top level
	opDefs   map[string]*ast.DefineOperator
	pipeDefs map[string]*ast.DefinePipeline
	pipes    map[string]*pipeInst
}

// pipeInst is a created pipeline, seen from the scope that created it: the passthrough nodes of
// its ports.
type pipeInst struct {
	name string
	ins  map[string]int // input port → node
	outs map[string]int // output port → node
}

// fromRef resolves `from p/o`: the output-side passthrough emits on its port `out` while the edge is
// registered on the port written, so only `from p`/`from p/out` deliver (spec §4.3).
func (p *pipeInst) fromRef(r *ast.StreamRef, port string) (int, string, error) {
	idx, ok := p.outs[port]
	if !ok {
		return 0, "", undefinedStream(r.Pos, p.name, port)
	}
	return idx, port, nil
}

// intoRef resolves `into p/i` (`into p` ≡ `into p/in`).
func (p *pipeInst) intoRef(r *ast.StreamRef, port string) (int, string, error) {
	if r.Port == nil {
		port = portIn
	}
	idx, ok := p.ins[port]
	if !ok {
		return 0, "", undefinedStream(r.Pos, p.name, port)
	}
	return idx, portIn, nil
}

// portKind is the kind of a port node: inside a nested pipeline ports are passthroughs.
func (c *compiler) portKind(k nodeKind) nodeKind {
	if c.prefix != "" {
		return kindStream
	}
	return k
}

// define records an operator or pipeline definition in the current scope.
func (c *compiler) define(st ast.Stmt) {
	switch n := st.(type) {
	case *ast.DefineOperator:
		if n.Name == nil {
			return
		}
		if c.opDefs == nil {
			c.opDefs = map[string]*ast.DefineOperator{}
		}
		c.opDefs[n.Name.Name] = n
	case *ast.DefinePipeline:
		if n.Name == nil {
			return
		}
		if c.pipeDefs == nil {
			c.pipeDefs = map[string]*ast.DefinePipeline{}
		}
		c.pipeDefs[n.Name.Name] = n
	}
}

// createArgs builds the args record of a creation: each declared arg takes its `with` value
// (evaluated with the enclosing pipeline's args) or its default (evaluated on its own).
// defSrc is the source the definition is written in (the query's, or a module's).
func (c *compiler) createArgs(n *ast.Create, defSrc string, decls []*ast.ArgDecl, unknown func(string) string, missing func(string) string) (value.Value, error) {
	with := map[string]*ast.WithArg{}
	for _, w := range n.With {
		if w != nil && w.Name != nil {
			with[w.Name.Name] = w
		}
	}
	declared := map[string]bool{}
	rec := value.NewRec(len(decls))
	for _, d := range decls {
		if d == nil || d.Name == nil {
			continue
		}
		key := d.Name.Name
		declared[key] = true
		var v value.Value
		var err error
		switch {
		case with[key] != nil:
			v, err = c.evalConst(with[key].Value, c.src, c.args)
		case d.Default != nil:
			v, err = c.evalConst(d.Default, defSrc, nil)
		default:
			return value.NullValue, &compileError{n.Pos, missing(key)}
		}
		if err != nil {
			return value.NullValue, err
		}
		rec.Set(key, v)
	}
	for _, w := range n.With {
		if w != nil && w.Name != nil && !declared[w.Name.Name] {
			return value.NullValue, &compileError{w.Pos, unknown(w.Name.Name)}
		}
	}
	return value.NewRecordValue(rec), nil
}

// createOperator compiles `create operator o [from d] [with … end]` (spec §4.3, §4.9).
func (c *compiler) createOperator(n *ast.Create) error {
	if n.Name == nil {
		return nil
	}
	name, defName := n.Name.Name, n.Name.Name
	def, defSrc := (*ast.DefineOperator)(nil), c.src
	if n.From != nil {
		defName = n.From.Name.Name
		if len(n.From.Module) > 0 {
			st, src, err := c.moduleDef(n.From.Pos, n.From.Module, "operators", func(st ast.Stmt) bool {
				d, ok := st.(*ast.DefineOperator)
				return ok && d.Name != nil && d.Name.Name == defName
			})
			if err != nil {
				return err
			}
			if st == nil {
				return &compileError{n.Pos, "operator not found"}
			}
			def, defSrc = st.(*ast.DefineOperator), src
		}
	}
	if def == nil {
		def = c.opDefs[defName]
	}
	if def == nil || def.Module == nil || def.Kind == nil {
		return &compileError{n.Pos, "operator not found"}
	}
	if err := c.freeName(name, n.Pos); err != nil {
		return err
	}
	args, err := c.createArgs(n, defSrc, def.Args,
		func(string) string { return "Unknown key" }, func(string) string { return "Missing key" })
	if err != nil {
		return err
	}
	var config *value.Rec
	if len(def.With) > 0 {
		config = value.NewRec(len(def.With))
		for _, w := range def.With {
			if w == nil || w.Name == nil {
				continue
			}
			v, err := c.evalConst(w.Value, defSrc, &args)
			if err != nil {
				return err
			}
			config.Set(w.Name.Name, v)
		}
	}
	spec, err := buildOpSpec(n.Pos, name, def.Module.Name, def.Kind.Name, config)
	if err != nil {
		return err
	}
	c.g.addNode(&node{name: c.prefix + name, kind: kindOp, op: spec})
	return nil
}

// createPipeline inlines `create pipeline p [from d] [with … end]` (spec §4.3): one passthrough
// node per port of d, wired to d's body compiled in a fresh scope with d's args.
func (c *compiler) createPipeline(n *ast.Create) error {
	if n.Name == nil {
		return nil
	}
	name, defName := n.Name.Name, n.Name.Name
	def, defSrc := (*ast.DefinePipeline)(nil), c.src
	if n.From != nil {
		defName = n.From.Name.Name
		if len(n.From.Module) > 0 {
			st, src, err := c.moduleDef(n.From.Pos, n.From.Module, "pipelines", func(st ast.Stmt) bool {
				d, ok := st.(*ast.DefinePipeline)
				return ok && d.Name != nil && d.Name.Name == defName
			})
			if err != nil {
				return err
			}
			if st == nil {
				return &compileError{n.Pos, "Unknown pipeline `" + strings.Join(n.From.Module, "::") + "::" + defName + "`"}
			}
			def, defSrc = st.(*ast.DefinePipeline), src
		}
	}
	if def == nil {
		def = c.pipeDefs[defName]
	}
	if def == nil {
		return &compileError{n.Pos, "Unknown pipeline `" + defName + "`"}
	}
	if err := c.freeName(name, n.Pos); err != nil {
		return err
	}
	args, err := c.createArgs(n, defSrc, def.Args,
		func(k string) string { return "Unknown parameter " + k },
		func(string) string { return "Required key not provided" })
	if err != nil {
		return err
	}
	sub := &compiler{src: defSrc, env: c.env, dir: c.dir, g: c.g,
		scripts: map[string]*ast.DefineScript{}, aliases: map[string][]string{},
		inputs: map[string]bool{}, outputs: map[string]bool{}}
	sub.prefix = c.prefix + name + "::"
	sub.args = &args
	inst := &pipeInst{name: name, ins: map[string]int{}, outs: map[string]int{}}
	ins, outs := []string{portIn}, []string{portOut, portErr}
	if len(def.From) > 0 {
		ins = identNames(def.From)
	}
	if len(def.Into) > 0 {
		outs = identNames(def.Into)
	}
	for _, p := range ins {
		sub.inputs[p] = true
		inst.ins[p] = c.g.addNode(&node{name: sub.prefix + p, kind: kindStream})
	}
	for _, p := range outs {
		sub.outputs[p] = true
		inst.outs[p] = c.g.addNode(&node{name: sub.prefix + p, kind: kindStream})
	}
	for _, st := range def.Body {
		if err := sub.stmt(st); err != nil {
			return err
		}
	}
	if c.pipes == nil {
		c.pipes = map[string]*pipeInst{}
	}
	c.pipes[name] = inst
	return nil
}

func identNames(ids []*ast.Ident) []string {
	var out []string
	for _, id := range ids {
		if id != nil {
			out = append(out, id.Name)
		}
	}
	return out
}
