package runtime

import (
	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang/ast"
)

// CompileDefinedPipeline builds the graph of a `define pipeline` as a flow creates it: its body is
// a query whose inputs and outputs are the definition's `from`/`into` ports (in; out, err by
// default) and whose `args` are args. src is the source the definition is written in; uses are
// the file's top-level `use` statements, visible to the body.
func CompileDefinedPipeline(def *ast.DefinePipeline, src string, uses []*ast.Use, args value.Value, opts Options) (g *Graph, err error) {
	env := opts.Env
	if env == nil {
		env = &interp.Env{}
	}
	c := &compiler{src: src, env: env, dir: opts.Dir, g: &Graph{byName: map[string]int{}},
		scripts: map[string]*ast.DefineScript{}, aliases: map[string][]string{}, inputs: map[string]bool{}, outputs: map[string]bool{}}
	c.args = &args
	ins, outs := []string{portIn}, []string{portOut, portErr}
	if len(def.From) > 0 {
		ins = identNames(def.From)
	}
	if len(def.Into) > 0 {
		outs = identNames(def.Into)
	}
	for _, in := range ins {
		c.inputs[in] = true
		c.g.addNode(&node{name: in, kind: kindInput})
	}
	for _, out := range outs {
		c.outputs[out] = true
		c.g.addNode(&node{name: out, kind: kindOutput, outPort: out})
	}
	for _, u := range uses {
		if err := c.stmt(u); err != nil {
			return nil, err
		}
	}
	for _, st := range def.Body {
		if err := c.stmt(st); err != nil {
			return nil, err
		}
	}
	if err := c.g.prune(); err != nil {
		return nil, err
	}
	return c.g, nil
}

// EvalConst evaluates an expression that must fold to a constant (a `with` value, an argument
// default, a peer's config) with `args` bound to args (nil: null). src is the expression's
// source, quoted by errors.
func EvalConst(e ast.Expr, src string, args *value.Value, opts Options) (value.Value, error) {
	env := opts.Env
	if env == nil {
		env = &interp.Env{}
	}
	c := &compiler{env: env, dir: opts.Dir}
	return c.evalConst(e, src, args)
}

// ModuleDefinition finds the definition a module-qualified name refers to in a flow
// (`create peer api from peers::http_in` after `use acme::peers;`): uses are the `use`
// statements in scope, match picks the statement. It returns the statement (nil when the module
// has none that matches), the module's parsed file (whose own `use` statements its definitions
// see) and its source.
func ModuleDefinition(uses []*ast.Use, t *ast.Target, opts Options, match func(ast.Stmt) bool) (ast.Stmt, *ast.File, string, error) {
	env := opts.Env
	if env == nil {
		env = &interp.Env{}
	}
	c := &compiler{env: env, dir: opts.Dir, aliases: map[string][]string{}}
	for _, u := range uses {
		c.addAlias(u)
	}
	f, src, err := c.loadModule(t.Pos, t.Module, "definitions")
	if err != nil {
		return nil, nil, "", err
	}
	for _, st := range f.Stmts {
		if match(st) {
			return st, f, src, nil
		}
	}
	return nil, f, src, nil
}
