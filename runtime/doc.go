// Package runtime compiles trickle queries into operator graphs and runs them (spec §4, DESIGN.md
// "Execution model").
//
// # What is here
//
// event.go (events, ids, stream signals, the stdlib.Context they give registry functions),
// compile.go (a checked query file → an immutable Graph), graph.go (nodes, ports, edges,
// pruning), select.go (the select operator: where, target, having, non-windowed group by),
// window.go (windowed selects: tumbling size/interval/state windows, tilt frames, aggregates,
// group storage, spec §4.4-§4.7), stream_end.go (stream end signals and windows'
// on_stream_end, peers.md §3), tick.go (ticks and the loop that signals operators),
// script_op.go (the script operator: state, args, named port scripts, error events), exec.go (a
// Pipeline: one running instance of a Graph, depth-first execution with Tremor's LIFO stack,
// per-node counters), op_builtin.go / op_bucket.go (the built-in operators of `create operator`
// and their config validation, spec §4.9), pipeline.go (operator definitions and `create
// pipeline`: nested pipelines inlined into the graph behind passthrough port nodes, with their
// own scope and args, spec §4.3), dot.go (graph introspection and Graphviz DOT), flowapi.go
// (what runtime/flow needs: compiling a `define pipeline`, evaluating constants, finding
// definitions in modules).
//
// # Flows
//
// Deployments (`define flow`, peers, `connect`, `deploy`) are compiled and run by runtime/flow
// with the peers of runtime/peer; Compile reports them as a *NotImplementedError when they
// appear in a plain query.
//
// # Modules
//
// Windows, scripts, operators and pipelines are found through module aliases (`from in[m::w]`,
// `create operator o from m::x`), also along nested paths (`m::b::x`: the alias b bound by
// module m's own `use`, as lang.Check resolves it).
package runtime
