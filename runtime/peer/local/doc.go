// Package local holds the peers that need no network: stdio, file, metronome, null, exit and
// metrics (peers.md §1). Specs returns their declarations for the flow's registry.
//
// # Streams
//
// A source that reads bytes (stdio, file) reads its input as one stream: the stream starts
// (StartStream) with the input — for stdio on its first data, for a file when it is opened — every
// chunk read is handed to Host.Receive, and EndStream follows at end of input (or on Stop); the
// source side then emits nothing more. Value sources (metronome, metrics) emit on one stream that
// starts with their first event and ends on Stop.
//
// # Writing
//
// The byte sinks (stdio, file in write/append mode) write through one writer goroutine per peer
// (group commit): Send serializes the event with the peer's codec and interceptors, queues the
// bytes and returns; the writer writes everything queued in one Write call per destination as
// soon as it is idle and acks each event once its bytes were handed to the operating system (a
// failed write fails them). So output is never held back by a timer, and under load events are
// batched into large writes. At most 1 MiB waits in the queue; beyond it Send blocks
// (backpressure). Stop writes what is queued plus the interceptors' closing bytes (CloseWrite).
// Local sinks are always ready: they open their circuit breaker when they start.
package local

import (
	"os"

	"github.com/rillstream/rill/runtime/peer"
)

// Specs returns the local peer types: stdio (on the process's standard streams), file,
// metronome, null, exit and metrics.
func Specs() []*peer.Spec {
	return []*peer.Spec{StdioSpec(os.Stdin, os.Stdout, os.Stderr), fileSpec, metronomeSpec, nullSpec, exitSpec, metricsSpec}
}
