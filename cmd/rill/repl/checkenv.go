package repl

import (
	"io/fs"
	"strings"

	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/stdlib"
)

// checkEnv tells the static checker (lang.Check) about the standard library and the built-in
// operators. It is a copy of the adapter the CLI uses for `rill check` (cmd/rill/env.go), so that
// query statements typed into the REPL are checked exactly as a query file is.
type checkEnv struct {
	reg *stdlib.Registry
	lib fs.FS
}

func funcInfo(s *stdlib.FnSpec) lang.FuncInfo {
	return lang.FuncInfo{MinArity: s.MinArity, MaxArity: s.MaxArity, Legacy: s.Legacy}
}

// Func finds a registry function that is not an aggregate.
func (e checkEnv) Func(module, name string) (lang.FuncInfo, bool) {
	if s, ok := e.reg.Lookup(module, name); ok && !s.Aggregate {
		return funcInfo(s), true
	}
	return lang.FuncInfo{}, false
}

// Aggregate finds aggr::module::name.
func (e checkEnv) Aggregate(module, name string) (lang.FuncInfo, bool) {
	if s, ok := e.reg.Aggregate(module, name); ok {
		return funcInfo(s), true
	}
	return lang.FuncInfo{}, false
}

// builtinOperators are the operator kinds of spec §4.9 (`define operator x from module::kind`).
var builtinOperators = map[string]bool{
	"generic::counter": true, "generic::batch": true, "generic::backpressure": true,
	"qos::backpressure": true, "qos::percentile": true, "qos::roundrobin": true,
	"debug::history": true, "grouper::bucket": true,
}

// Operator reports whether module::kind is a built-in operator.
func (e checkEnv) Operator(module, kind string) bool { return builtinOperators[module+"::"+kind] }

// StdModule opens an embedded standard library module ("std/string.tremor").
func (e checkEnv) StdModule(path []string) (string, string, bool) {
	name := strings.Join(path, "/") + ".tremor"
	b, err := fs.ReadFile(e.lib, name)
	if err != nil {
		return "", "", false
	}
	return "std:" + name, string(b), true
}
