// Package checkenv tells the static checker (lang.Check) about the standard library and the
// built-in operators; `rill check`, `rill run` and the REPL check programs the same way.
package checkenv

import (
	"io/fs"
	"strings"

	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/stdlib"
)

// Env is a lang.Env over a function registry and the embedded standard library.
type Env struct {
	Reg *stdlib.Registry // the registry programs checked with this Env are compiled against
	lib fs.FS
}

// New returns an Env with a fresh registry and the embedded standard library.
func New() Env { return NewWith(stdlib.NewRegistry()) }

// NewWith returns an Env over reg.
func NewWith(reg *stdlib.Registry) Env { return Env{Reg: reg, lib: stdlib.Lib()} }

func funcInfo(s *stdlib.FnSpec) lang.FuncInfo {
	return lang.FuncInfo{MinArity: s.MinArity, MaxArity: s.MaxArity, Legacy: s.Legacy}
}

func (e Env) Func(module, name string) (lang.FuncInfo, bool) {
	if s, ok := e.Reg.Lookup(module, name); ok && !s.Aggregate {
		return funcInfo(s), true
	}
	return lang.FuncInfo{}, false
}

func (e Env) Aggregate(module, name string) (lang.FuncInfo, bool) {
	if s, ok := e.Reg.Aggregate(module, name); ok {
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

func (e Env) Operator(module, kind string) bool { return builtinOperators[module+"::"+kind] }

func (e Env) StdModule(path []string) (string, string, bool) {
	name := strings.Join(path, "/") + ".tremor"
	b, err := fs.ReadFile(e.lib, name)
	if err != nil {
		return "", "", false
	}
	return "std:" + name, string(b), true
}
