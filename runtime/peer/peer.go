// Package peer holds Rill's peer framework: connections to the outside world that turn bytes
// into events and back (peers.md). A peer has a source side (external → pipelines, ports `out`
// and `err`) and a sink side (pipelines → external, port `in`); either may be absent.
//
// # How a peer is built
//
// Every peer type is declared by a Spec in the file named after it, in a sub-package per family
// (local/, tcp/, udp/, httppeer/, ws/, natspeer/: tcp/tcp_server.go, httppeer/http_client.go,
// local/metronome.go, ...): its config keys, which sides it has, its default codec and
// interceptors. The flow compiler validates a definition against the Spec, then creates the peer
// with Spec.New and starts it with a Host. The Host is everything the peer needs from the flow:
//
//   - the source side calls StartStream when a connection or request begins, Receive with the
//     bytes it read (the host runs the stream's interceptors and codec and hands the events to the
//     connected pipelines; undecodable data becomes an `err` event carrying the raw bytes), Emit
//     for values that need no codec, and EndStream when the stream ends; Incoming.Cause links an
//     answer to its request ($correlation, ids), Incoming.Delivered tells a transactional source
//     which event each message became;
//   - the sink side implements Sink: Send gets each event from the pipelines and calls done when
//     it was written (ack) or could not be (fail); Serialize encodes an event for one stream with
//     its codec and write-side interceptors (SetStreamCodec picks another codec for one stream);
//     Streams (on the event) tells a server which of its streams an answer goes back to;
//   - CircuitBreaker, Pause/Resume (the flow's backpressure), Log, Metrics, Reconnect, Exit.
//
// Sources that can take back what a sink answered implement Acker (jetstream, file with a
// checkpoint); clients whose source side carries answers set Spec.Answers. Shared pieces for the
// families: addr.go (socket addresses, endpoint records), meta.go (metadata paths, headers),
// tls.go (the `tls` key), per_stream.go (per-stream clients), backoff.go (retry policy).
//
// Interceptor and codec state is per stream. A Peer's methods and the Host are safe for use by
// the peer's goroutines concurrently, but one stream is handled by one goroutine at a time.
package peer

import (
	"context"

	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
)

// Peer is one running peer.
type Peer interface {
	// Start binds, listens or connects and starts the peer's goroutines. It returns once the peer
	// is ready (a server's socket is bound, so a test can connect right after) or failed. ctx is
	// cancelled when the flow stops; h stays valid until Stop returns.
	Start(ctx context.Context, h *Host) error
	// Stop closes listeners and connections and waits for the peer's goroutines; after it
	// returns the peer calls no Host method.
	Stop() error
}

// Sink is implemented by peers with a sink side.
type Sink interface {
	// Send writes one event that a pipeline sent to the peer's input port (one of Spec.InPorts,
	// "in" unless the spec says otherwise). The peer calls done exactly once,
	// with nil (ack) once the event was written or an error (fail) when it could not be. Send is
	// called from one goroutine, in order; it may return before done is called (clients with
	// concurrency), but must not block longer than the peer's own backpressure requires.
	Send(port string, ev *runtime.Event, done func(error))
}

// SignalSink is implemented by sinks that react to other peers' stream signals, which reach them
// through the pipelines they are connected to (a per_stream client opens and closes an upstream
// connection per incoming stream).
type SignalSink interface {
	Signal(sig runtime.Signal)
}

// Spec declares a peer type.
type Spec struct {
	Name   string // "tcp_server"
	Doc    string // one or two sentences for `rill doc peers`
	Source bool   // has a source side (emits on out/err)
	Sink   bool   // has a sink side (takes events on in)
	Codec  string // the default codec ("json"); "" for peers that emit and take values, not bytes
	Lines  bool   // when the definition names no interceptors, split/join with "lines" (stream protocols)
	// InPorts are the sink side's ports (nil: "in" when Sink); OutPorts the source side's (nil:
	// "out" and "err" when Source). A connect to any other port is a compile error.
	InPorts, OutPorts []string
	Config            []config.Key // its config keys
	// Meta documents the metadata the peer sets on its events and reads from events it sends,
	// one line per key ("$tcp_server.peer: {host, port} of the client").
	Meta []string
	// New returns an unstarted peer from its validated config; it may reject values the key types
	// allow (a malformed url).
	New func(cfg config.Values) (Peer, error)
	// Answers marks a client whose source side emits the answers to what its sink side sent
	// (http_client, tcp_client, ws_client): when a flow stops it keeps delivering while events in
	// flight drain, where other sources are paused first.
	Answers bool
	// Planned marks a peer type Rill knows by name but cannot run yet: deployments that use it
	// check (its config is not validated), and starting one fails saying so.
	Planned bool
}

// Registry holds the peer types a flow may name (runtime/flow.Peers builds the full one):
// Register, Lookup, Specs (sorted by name) and Names (sorted) come from config.Registry.
type Registry struct {
	*config.Registry[*Spec]
}

// NewRegistry returns a registry holding specs.
func NewRegistry(specs ...*Spec) *Registry {
	r := &Registry{config.NewRegistry(func(s *Spec) string { return s.Name }, nil)}
	for _, s := range specs {
		r.Register(s)
	}
	return r
}

// Ins returns the sink-side ports of the peer type.
func (s *Spec) Ins() []string {
	if s.InPorts != nil {
		return s.InPorts
	}
	if s.Sink {
		return []string{"in"}
	}
	return nil
}

// Outs returns the source-side ports of the peer type.
func (s *Spec) Outs() []string {
	if s.OutPorts != nil {
		return s.OutPorts
	}
	if s.Source {
		return []string{"out", "err"}
	}
	return nil
}

// Acker is implemented by source sides that want the contraflow (peers.md §7): after a sink
// wrote (Ack) or could not write (Fail) an event, the flow calls the source peers the event or
// its tracked ids came from. Calls come from the sink's goroutine; they must not block.
type Acker interface {
	Ack(ev *runtime.Event)
	Fail(ev *runtime.Event, err error)
}
