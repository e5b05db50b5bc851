// Package runtime compiles trickle queries into operator graphs and runs them (spec §4, DESIGN.md
// "Execution model").
//
// # What is here
//
// event.go (events, ids, the stdlib.Context they give registry functions), compile.go (a checked
// query file → an immutable Graph), graph.go (nodes, ports, edges, pruning), select.go (the select
// operator: where, target, having, non-windowed group by), script_op.go (the script operator:
// state, args, named port scripts, error events), exec.go (a Pipeline: one running instance of a
// Graph, depth-first execution with Tremor's LIFO stack).
//
// # Not yet
//
// Windows, built-in operators (`create operator`), nested pipelines (`create pipeline`) and
// scripts reached through nested module paths (`create script s from a::b::x`; `from m::x` after
// `use ...::m` works) are reported by Compile as a *NotImplementedError.
package runtime
