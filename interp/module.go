package interp

import (
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/lang/ast"
)

// `use` and module loading (spec §2.12). Modules are found with lang.FindModule (the standard
// library embedded in stdlib.Lib(), then Env.Path, then the directory of the compiled file), parsed
// with lang.ParseModule, compiled once per Env and shared.

// use binds the module(s) of a `use` item in the current namespace.
func (c *compiler) use(u *ast.Use) {
	for _, b := range u.Bindings() {
		c.ns.uses[b.Alias] = c.loadModule([]string(b.Path), b.Pos)
	}
}

// mounts lists the module search directories: Env.Path, then the compiled file's directory.
func (c *compiler) mounts() []string {
	dirs := append([]string(nil), c.env.Path...)
	dir := c.dir
	if dir == "" {
		dir = "."
	}
	return append(dirs, dir)
}

// stdModule opens a module of the embedded standard library.
func (c *compiler) stdModule(path []string) (string, string, bool) {
	name := strings.Join(path, "/") + ".tremor"
	b, err := fs.ReadFile(c.env.Lib, name)
	if err != nil {
		return "", "", false
	}
	return "std:" + name, string(b), true
}

// loadModule finds, compiles (once per Env) and returns the module at path.
func (c *compiler) loadModule(path []string, pos ast.Pos) *module {
	file, src, ok := lang.FindModule(path, c.stdModule, c.mounts(), c.env.ReadFile)
	if !ok {
		c.fail(pos, "", "%s", lang.ModuleNotFoundMessage(path, c.mounts()))
	}
	key := moduleKey(file)
	for i, l := range c.loading {
		if l == key {
			chain := append(append([]string(nil), c.loading[i:]...), key)
			c.fail(pos, "", " Cyclic dependency detected: %s", strings.Join(chain, " -> "))
		}
	}
	if m, ok := c.env.modules[key]; ok {
		return m
	}
	f, err := lang.ParseModule(file, src)
	if err != nil {
		c.fail(pos, "", "%s", moduleParseError(file, err))
	}
	msrc := &source{file: file, text: src}
	mc := &compiler{env: c.env, src: msrc, dir: c.dir, ns: newNamespace(msrc), body: newBody(nil),
		args: value.NullValue, loading: append(append([]string(nil), c.loading...), key)}
	for _, it := range f.Stmts {
		switch n := it.(type) {
		case nil:
		case *ast.Use:
			mc.use(n)
		case *ast.Const:
			mc.defineConst(n)
		case *ast.FnDef:
			mc.defineFn(n)
		case *ast.Intrinsic:
			mc.defineIntrinsic(n)
		case *ast.ExprStmt:
			mc.fail(n.Pos, "", "a module can not hold expressions")
		default:
			// define window|operator|script|pipeline|…: used by queries, not by scripts.
		}
	}
	m := &module{name: strings.Join(path, "::"), file: file, ns: mc.ns}
	c.env.modules[key] = m
	return m
}

// moduleKey identifies a module file in the Env's cache and in cycle detection.
func moduleKey(file string) string {
	if strings.HasPrefix(file, "std:") {
		return file
	}
	if abs, err := filepath.Abs(file); err == nil {
		return abs
	}
	return filepath.Clean(file)
}

// moduleParseError renders the parse errors of a module file.
func moduleParseError(file string, err error) string {
	switch e := err.(type) {
	case lang.Diagnostics:
		if len(e) > 0 {
			return e[0].Error()
		}
	case *lang.Diagnostic:
		return e.Error()
	}
	return file + ": " + err.Error()
}
