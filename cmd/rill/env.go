package main

import (
	"io/fs"
	"strings"

	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/stdlib"
)

// checkEnv tells the static checker about the standard library and the built-in operators.
type checkEnv struct {
	reg *stdlib.Registry
	lib fs.FS
}

func newCheckEnv() lang.Env {
	return checkEnv{reg: stdlib.NewRegistry(), lib: stdlib.Lib()}
}

func funcInfo(s *stdlib.FnSpec) lang.FuncInfo {
	return lang.FuncInfo{MinArity: s.MinArity, MaxArity: s.MaxArity, Legacy: s.Legacy}
}

func (e checkEnv) Func(module, name string) (lang.FuncInfo, bool) {
	if s, ok := e.reg.Lookup(module, name); ok && !s.Aggregate {
		return funcInfo(s), true
	}
	return lang.FuncInfo{}, false
}

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

func (e checkEnv) Operator(module, kind string) bool { return builtinOperators[module+"::"+kind] }

func (e checkEnv) StdModule(path []string) (string, string, bool) {
	name := strings.Join(path, "/") + ".tremor"
	b, err := fs.ReadFile(e.lib, name)
	if err != nil {
		return "", "", false
	}
	return "std:" + name, string(b), true
}
