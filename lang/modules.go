package lang

import (
	"path/filepath"
	"strings"

	"github.com/rillstream/rill/lang/ast"
)

// Module loading and the name scopes of the checker (spec §2.12, §4.2).
//
// A scope is what one body sees: its `use` aliases, functions, consts and definitions. Every script
// body (a script file, each section of `define script`, each window script, each module) and every
// pipeline body gets its own scope; a flow body's scope falls back to the scope around the flow.
// `use a::b` loads module b from the standard library (Env.StdModule), then from a/b.tremor,
// a/b.trickle or a/b.troy in each search directory, then next to the checked file. A module is
// loaded and checked once; its scope then answers `b::name` lookups, including its own aliases
// (`use std; std::string::len(s)`).

// Definition kinds of scope.defs.
const (
	defWindow   = "window"
	defScript   = "script"
	defOperator = "operator"
	defPipeline = "pipeline"
	defPeer     = "peer" // `define peer` and `define connector` share one namespace
	defFlow     = "flow"
)

// nameScope is a namespace of aliases, functions, consts and definitions.
type nameScope struct {
	file   string
	parent *nameScope // flows: lookups fall back to the enclosing scope
	uses   map[string]*loadedModule
	fns    map[string]*fnSym
	consts map[string]bool
	defs   map[string]map[string]ast.Stmt
}

func newNameScope(parent *nameScope, file string) *nameScope {
	return &nameScope{file: file, parent: parent, uses: map[string]*loadedModule{}, fns: map[string]*fnSym{},
		consts: map[string]bool{}, defs: map[string]map[string]ast.Stmt{}}
}

// fnSym is a function visible in a scope: a user `fn` or an `intrinsic fn` bound to a registry
// function.
type fnSym struct {
	name     string
	params   int
	variadic bool
	// intrinsic bindings
	intrinsic bool
	regName   string   // "string::len"
	info      FuncInfo // the registry function's arity
	known     bool     // the registry function exists
}

// loadedModule is a loaded module file.
type loadedModule struct {
	name    string // "a::b"
	file    string
	sc      *nameScope // nil when the module did not load or parse at all
	missing bool       // not found: lookups through it are silent (already reported)
	loading bool
}

// define registers a definition; it reports false when the name is taken.
func (s *nameScope) define(kind, name string, st ast.Stmt) bool {
	m := s.defs[kind]
	if m == nil {
		m = map[string]ast.Stmt{}
		s.defs[kind] = m
	}
	if _, dup := m[name]; dup {
		return false
	}
	m[name] = st
	return true
}

// lookupUse finds a module alias in the scope chain.
func (s *nameScope) lookupUse(alias string) (*loadedModule, bool) {
	for sc := s; sc != nil; sc = sc.parent {
		if m, ok := sc.uses[alias]; ok {
			return m, true
		}
	}
	return nil, false
}

// resolveModule follows a module path through aliases: [a] is alias a, [a, b] is the alias b of
// module a, and so on. missing is true when the path runs through a module that failed to load
// (its error was already reported); m is nil when the path names no module.
func (s *nameScope) resolveModule(path []string) (m *loadedModule, missing bool) {
	if len(path) == 0 {
		return nil, false
	}
	m, ok := s.lookupUse(path[0])
	if !ok {
		return nil, false
	}
	for i := 0; ; i++ {
		if m == nil || m.missing || m.sc == nil {
			return nil, true
		}
		if i == len(path)-1 {
			return m, false
		}
		next, ok := m.sc.uses[path[i+1]]
		if !ok {
			return nil, false
		}
		m = next
	}
}

// lookupFn finds a function by bare name in the scope (not its parents: fns are per body).
func (s *nameScope) lookupFn(name string) *fnSym {
	return s.fns[name]
}

// lookupDef finds a definition of kind named by target: `name` in the scope chain, `mod::name`
// through a module alias. missing is true when a module on the way failed to load.
func (s *nameScope) lookupDef(kind string, mod []string, name string) (st ast.Stmt, missing bool) {
	if len(mod) > 0 {
		m, miss := s.resolveModule(mod)
		if m == nil {
			return nil, miss
		}
		return m.sc.defs[kind][name], false
	}
	for sc := s; sc != nil; sc = sc.parent {
		if d, ok := sc.defs[kind][name]; ok {
			return d, false
		}
	}
	return nil, false
}

// defNames lists the names of the definitions of kind visible by `name` (mod empty) or in module mod.
func (s *nameScope) defNames(kind string, mod []string) []string {
	if len(mod) > 0 {
		if m, _ := s.resolveModule(mod); m != nil {
			return sortedNames(m.sc.defs[kind])
		}
		return nil
	}
	var out []string
	for sc := s; sc != nil; sc = sc.parent {
		out = append(out, sortedNames(sc.defs[kind])...)
	}
	return out
}

// addUse processes a `use` item: loads the module(s) and binds the alias(es) in sc.
func (c *checker) addUse(sc *nameScope, u *ast.Use) {
	for _, b := range u.Bindings() {
		sc.uses[b.Alias] = c.loadModule([]string(b.Path), b.Pos)
	}
}

// moduleFileExts are the file extensions tried for a module, in order.
var moduleFileExts = []string{".tremor", ".trickle", ".troy"}

// mounts lists the module search directories: Path, then the checked file's directory.
func (c *checker) mounts() []string {
	dirs := append([]string(nil), c.path...)
	dir := c.rootDir
	if dir == "" {
		dir = "."
	}
	return append(dirs, dir)
}

// findModule locates the source of module path: the standard library first, then every mount
// with each extension.
func (c *checker) findModule(path []string) (file, src string, ok bool) {
	return FindModule(path, c.env.StdModule, c.mounts(), c.readFile)
}

// FindModule locates the source of the module at path (spec §2.12): the standard library first
// (std opens an embedded module, see Env.StdModule; a nil std has none), then, in each directory of
// mounts in order, the files path.tremor, path.trickle and path.troy (path joined with the OS
// separator). It returns the file name (for std modules the name std gave, or "std:a/b.tremor") and
// the source. A path component that would walk the file system ("..", "a/b") never matches a file.
// Both the checker and the interpreter resolve `use` with it.
func FindModule(path []string, std func(path []string) (filename, src string, ok bool), mounts []string,
	readFile func(name string) ([]byte, error)) (file, src string, ok bool) {
	if std != nil {
		if name, s, ok := std(path); ok {
			if name == "" {
				name = "std:" + strings.Join(path, "/") + ".tremor"
			}
			return name, s, true
		}
	}
	for _, p := range path {
		if p == "" || p == "." || p == ".." || strings.ContainsAny(p, "/\\\x00") {
			return "", "", false // a module name never walks the file system
		}
	}
	rel := filepath.Join(path...)
	for _, dir := range mounts {
		for _, ext := range moduleFileExts {
			name := filepath.Join(dir, rel+ext)
			b, err := readFile(name)
			if err == nil {
				return name, string(b), true
			}
		}
	}
	return "", "", false
}

// ModuleNotFoundMessage is Tremor's message for a `use` of a module that no mount holds (spec
// §2.12), listing the mounts searched.
func ModuleNotFoundMessage(path []string, mounts []string) string {
	var b strings.Builder
	b.WriteString("Module `" + strings.Join(path, "::") + "` not found or not readable error in module path: ")
	for _, m := range mounts {
		b.WriteString("\n" + strings.Repeat(" ", 25) + "- " + m)
	}
	return b.String()
}

// loadModule finds, parses and checks the module at path (once per file) and returns it; on
// failure it reports at pos and returns a module marked missing.
func (c *checker) loadModule(path []string, pos ast.Pos) *loadedModule {
	name := strings.Join(path, "::")
	file, src, ok := c.findModule(path)
	if !ok {
		c.errorf(pos, "add the directory that holds "+filepath.Join(path...)+".tremor to --path or RILL_PATH", "%s", ModuleNotFoundMessage(path, c.mounts()))
		return &loadedModule{name: name, missing: true}
	}
	key := filepath.Clean(file)
	for i, l := range c.loading {
		if l == key {
			chain := append(append([]string(nil), c.loading[i:]...), key)
			c.errorf(pos, "modules may not use each other in a circle", " Cyclic dependency detected: %s", strings.Join(chain, " -> "))
			return &loadedModule{name: name, file: file, missing: true}
		}
	}
	if m, ok := c.modules[key]; ok {
		return m
	}
	m := &loadedModule{name: name, file: file, loading: true}
	c.modules[key] = m
	c.sources[file] = src
	if _, ok := c.fileOrder[file]; !ok {
		c.fileOrder[file] = len(c.fileOrder)
	}
	f, err := ParseScript(file, src)
	if err != nil {
		if ds, ok := err.(Diagnostics); ok {
			c.diags = append(c.diags, ds...)
		} else if d, ok := err.(*Diagnostic); ok {
			c.diags = append(c.diags, d)
		} else {
			c.errorf(ast.Pos{File: file, Line: 1, Col: 1}, "", "%v", err)
		}
	}
	if f == nil {
		m.missing = true
		m.loading = false
		return m
	}
	m.sc = newNameScope(nil, file)
	c.loading = append(c.loading, key)
	c.checkScriptItems(f.Stmts, m.sc, exprCtx{sc: m.sc}, itemsModule)
	c.loading = c.loading[:len(c.loading)-1]
	m.loading = false
	return m
}

// stdHint suggests the `use` that makes module path mod available, when the standard library has it.
func (c *checker) stdHint(mod []string) string {
	if len(mod) == 0 {
		return ""
	}
	for _, root := range []string{"std", "tremor"} {
		if mod[0] == root {
			if _, _, ok := c.env.StdModule(mod); ok {
				return "add `use " + root + ";`, or `use " + strings.Join(mod, "::") + ";` and call `" + mod[len(mod)-1] + "::...`"
			}
			continue
		}
		p := append([]string{root}, mod...)
		if _, _, ok := c.env.StdModule(p); ok {
			return "add `use " + strings.Join(p, "::") + ";`"
		}
	}
	if _, _, ok := c.env.StdModule(mod); ok {
		return "add `use " + strings.Join(mod, "::") + ";`"
	}
	return ""
}
