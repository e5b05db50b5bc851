// Package interp compiles tremor-script (spec §2) from the AST of package lang/ast into closures and
// runs them: DESIGN.md's "Evaluator" decision.
//
// # Compilation
//
// Compile (a script file), CompileBody (a script body of a query) and CompileExpr (one expression of
// a query: a select target, where, having or group by) turn every node into a closure
// func(*Frame) (value.Value, error), resolved as far as possible at compile time: locals are
// slots of a []value.Value-like array, paths with literal segments become key lists, constant subtrees
// (literals, operators and pure registry calls over constants, all-constant records and lists,
// interpolations of constants, consts, inlined args) are folded to values, and record literals keep
// Tremor's key order (constant fields first, spec §2.6). Errors found while folding are compile errors
// with the same text a runtime error would have. The resulting Program is immutable and may be shared
// by any number of goroutines.
//
// # Running
//
// Each goroutine owns a Frame (Program.NewFrame): the event, meta and state it runs against, the
// stdlib Context (ingest time, origin, ids) and the local slots. Run executes the statements in
// order with the laziness of spec §2.1 (non-final pure statements are skipped) and returns Emit,
// EmitEvent or Drop. `emit`, `drop` and function `recur`sion unwind through sentinel errors, so the
// success path allocates nothing but the values it builds.
//
// # Values are shared, never mutated
//
// Values flow by reference: reading `event.a` returns the record inside the event, a record literal
// embeds it, a local holds it. No container that another value may reach is ever changed in place:
// `let event.a.b = 1` copies the records along the path (path copying), patch and merge return new
// records. Records a Run created itself by path copying and that no read has handed out since are
// updated in place (Frame.owned), so a run of `let event.x = …` statements copies the event once.
// Callers must treat the input event and every result as immutable too.
//
// Functions get their own slots on the frame's slot stack; `recur` in tail position unwinds to the
// call with a sentinel error and restarts the body (at most 1024 times per call). Calls of registry
// functions evaluate their arguments onto a per-frame argument stack, so a call allocates nothing
// itself.
//
// # Errors
//
// Every failure is an *Error carrying Tremor's context and inner spans (spec §5); Error() renders
// Tremor's exact text over the source of the file the failing node came from (the script, the query
// or a module file).
//
// # Files
//
// interp.go (API), compile.go (compiler core, statements, laziness, emit/drop), expr.go (literals,
// records, operators), ops.go (operator semantics), path.go (paths, present), assign.go (let, path
// copying), match.go (match, patterns), patch.go (patch, merge), for.go (comprehensions), fn.go
// (functions, consts, calls, recur), module.go (use), binary.go (binary literals), error.go (errors,
// hints).
package interp
