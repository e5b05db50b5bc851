package repl

import (
	"strings"

	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/lang/ast"
)

// scriptInput runs tremor-script statements in the session (see run for more and final).
func (r *repl) scriptInput(src string, final bool) (more bool) {
	f, perr := lang.ParseScript("<input>", src)
	if perr != nil && !final && incomplete(perr, src, false) {
		return true
	}
	if perr != nil {
		f = nil
	}
	r.evalScript(src, f)
	return false
}

// useInput runs an input that starts with `use`. It runs in the script session; when it holds
// nothing but `use` statements and the session accepted them, they are added to the query too,
// so that later selects and scripts of the query see the same modules.
func (r *repl) useInput(src string, final bool) (more bool) {
	f, perr := lang.ParseScript("<input>", src)
	if perr != nil && !final && incomplete(perr, src, false) {
		return true
	}
	if perr != nil {
		f = nil
	}
	if !r.evalScript(src, f) || f == nil {
		return false
	}
	for _, st := range f.Stmts {
		if _, ok := st.(*ast.Use); !ok {
			return false
		}
	}
	r.addQuery(src)
	return false
}

// evalScript evaluates src in the session and prints its result (see printResult); f is src
// parsed, or nil if it did not parse. It reports whether the evaluation succeeded.
func (r *repl) evalScript(src string, f *ast.File) bool {
	res, err := r.sess.Eval(src)
	if err != nil {
		r.printError(err, src, nil)
		r.hintUndefined(err)
		return false
	}
	r.printResult(f, res)
	return true
}

// printResult prints what a snippet produced:
//   - nothing when the snippet holds only declarations (use, fn, const, intrinsic);
//   - `drop` when it dropped the event;
//   - `PORT: value` when it emitted explicitly (its last statement is an `emit`) or on another
//     port than `out` (an `emit ... => "p"` inside a match arm);
//   - the value otherwise: the last statement's value, or the event for a bare `event`.
func (r *repl) printResult(f *ast.File, res interp.Result) {
	if f != nil && declarationsOnly(f) {
		return
	}
	switch {
	case res.Kind == interp.Drop:
		r.println("drop")
	case res.Port != "" && res.Port != "out", f != nil && endsWithEmit(f):
		r.printPort(res.Port, res.Value)
	default:
		r.println(r.formatValue(res.Value))
	}
}

// declarationsOnly reports whether a script holds no expression statement.
func declarationsOnly(f *ast.File) bool {
	for _, st := range f.Stmts {
		if _, ok := st.(*ast.ExprStmt); ok {
			return false
		}
	}
	return true
}

// endsWithEmit reports whether the last statement of a script is an `emit`.
func endsWithEmit(f *ast.File) bool {
	if len(f.Stmts) == 0 {
		return false
	}
	es, ok := f.Stmts[len(f.Stmts)-1].(*ast.ExprStmt)
	if !ok {
		return false
	}
	_, ok = es.Expr.(*ast.Emit)
	return ok
}

// hintUndefined follows a "Call to undefined function m::f" error with the `use` that makes the
// standard library function m::f available, when there is one.
func (r *repl) hintUndefined(err error) {
	ie, ok := err.(*interp.Error)
	if !ok {
		return
	}
	name, ok := strings.CutPrefix(ie.Message(), "Call to undefined function ")
	if !ok {
		return
	}
	mod, fn, ok := strings.Cut(name, "::")
	if !ok || mod == "" {
		return
	}
	if s, ok := r.reg.Lookup(mod, fn); ok && !s.Aggregate {
		r.errPrintf("  = hint: `%s` is in the standard library: run `use %s::%s;` first\n", name, moduleRoot(mod), mod)
	}
}

// moduleRoot is the top module a registry module is used from: tremor for system, origin and
// chash; std for the rest.
func moduleRoot(m string) string {
	switch m {
	case "system", "origin", "chash":
		return "tremor"
	}
	return "std"
}
