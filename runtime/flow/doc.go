// Package flow compiles and runs deployments: files whose `define flow` statements create peers
// and pipelines, connect them and are started with `deploy flow` (peers.md §2).
//
// # Compiling
//
// Compile turns a checked file into a Deployment: every deployed flow with its peers (type, config
// validated against the peer type's spec, codec, interceptor chains, reconnect policy), its
// pipelines (compiled graphs) and its links. Bad configuration — an unknown peer type, codec or
// interceptor, a missing or mistyped config key, a connect to a port that does not exist — is a
// located *lang.Diagnostic, never a failure at run time.
//
// # Running
//
// Start runs a Deployment (run.go): one goroutine per pipeline (the pipeline's graph runs on it,
// depth-first, as in the query runtime), one per sink side of a peer, and the peers' own
// goroutines. Channels between them are bounded, so a slow sink slows its sources down.
// Stream signals travel from a peer's source side through the pipelines (which flush windows on
// stream end) to the sinks behind them. Sinks answer each event with ack or fail; the answer is
// counted and handed back to the source peers the event came from (peer.Acker). A sink's
// circuit breaker pauses the sources upstream of it, for the whole peer or for one stream.
// An event a stateless pipeline drops is acked back to its source too. Stop pauses the sources
// (clients' answers keep coming), drains in-flight events, then stops the peers. Counters for
// every peer, pipeline node and node port are exported as events (the metrics peer) and in
// Prometheus format (metrics.go). builtin.go assembles the peer families into one registry;
// dot.go draws a deployment for `rill dot`.
package flow
