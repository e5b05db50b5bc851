// Package peertest runs one peer against a real peer.Host whose deliveries, signals, circuit
// breaker changes and exit requests are collected, so peer tests drive a peer through real
// sockets on loopback and assert on what it delivered (DESIGN.md: no protocol mocks).
package peertest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/codec"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/interceptor"
	"github.com/rillstream/rill/runtime/peer"
)

// Harness is one started peer and what it delivered.
type Harness struct {
	T      testing.TB
	Peer   peer.Peer
	Host   *peer.Host
	cancel context.CancelFunc
	Events chan Delivered      // every event the source side delivered, in order
	Sigs   chan runtime.Signal // every stream signal
	Exits  chan int            // exit requests
	mu     sync.Mutex
	cb     []CB
}

// Delivered is one event the peer handed to the flow.
type Delivered struct {
	Port string // "out" or "err"
	Ev   *runtime.Event
}

// CB is one circuit breaker report of the sink side.
type CB struct {
	Open         bool
	Peer, Stream uint64
}

// Options tunes a harness; zero values mean the peer type's defaults.
type Options struct {
	Codec        string      // "" → the spec's default codec
	CodecConfig  value.Value // null → none
	Interceptors []string    // nil → ["lines"] when the spec says Lines; []string{} → none
	Reconnect    *peer.Backoff
	Snapshot     func() []value.Value
	UID          uint64 // 0 → 1
	Alias        string // "" → "test"
}

// Start validates cfgJSON (a JSON record, "" for none) against spec, creates and starts the peer
// and stops it when the test ends.
func Start(t testing.TB, spec *peer.Spec, cfgJSON string, o Options) *Harness {
	t.Helper()
	cv := value.NullValue
	if cfgJSON != "" {
		cv = value.MustDecodeJSON(cfgJSON)
	}
	cfg, err := config.Validate("peer type `"+spec.Name+"`", cv, spec.Config)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	p, err := spec.New(cfg)
	if err != nil {
		t.Fatalf("new %s: %v", spec.Name, err)
	}
	hc := peer.HostConfig{UID: o.UID, Alias: o.Alias, Type: spec.Name, Snapshot: o.Snapshot}
	if hc.UID == 0 {
		hc.UID = 1
	}
	if hc.Alias == "" {
		hc.Alias = "test"
	}
	cname := o.Codec
	if cname == "" {
		cname = spec.Codec
	}
	if cname != "" {
		hc.Codec, err = codec.Builtin().Compile(codec.Ref{Name: cname, Config: o.CodecConfig})
		if err != nil {
			t.Fatal(err)
		}
	}
	icpt := o.Interceptors
	if icpt == nil && spec.Lines {
		icpt = []string{"lines"}
	}
	var refs []interceptor.Ref
	for _, n := range icpt {
		refs = append(refs, interceptor.Ref{Name: n})
	}
	reg := interceptor.Builtin()
	if hc.Read, err = reg.Compile(refs, "read"); err != nil {
		t.Fatal(err)
	}
	if hc.Write, err = reg.Compile(refs, "write"); err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(hc.Write)-1; i < j; i, j = i+1, j-1 {
		hc.Write[i], hc.Write[j] = hc.Write[j], hc.Write[i]
	}
	if o.Reconnect != nil {
		hc.Reconnect = *o.Reconnect
	} else {
		hc.Reconnect = peer.Backoff{Interval: 10 * time.Millisecond, Growth: 2, Max: 200 * time.Millisecond, MaxRetries: -1}
	}
	h := &Harness{T: t, Peer: p, Events: make(chan Delivered, 100000), Sigs: make(chan runtime.Signal, 100000), Exits: make(chan int, 10)}
	hc.Deliver = func(port string, ev *runtime.Event) bool { h.Events <- Delivered{port, ev}; return true }
	hc.Signal = func(s runtime.Signal) { h.Sigs <- s }
	hc.Exit = func(code int) { h.Exits <- code }
	hc.CircuitBreaker = func(open bool, peer, stream uint64) {
		h.mu.Lock()
		h.cb = append(h.cb, CB{open, peer, stream})
		h.mu.Unlock()
	}
	h.Host = peer.NewHost(hc)
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	if err := p.Start(ctx, h.Host); err != nil {
		cancel()
		t.Fatalf("start %s: %v", spec.Name, err)
	}
	t.Cleanup(h.Stop)
	return h
}

// Stop cancels the peer's context and stops it (Start registers it as a cleanup; calling it
// earlier is allowed, it runs once).
func (h *Harness) Stop() {
	h.mu.Lock()
	c := h.cancel
	h.cancel = nil
	h.mu.Unlock()
	if c == nil {
		return
	}
	c()
	if err := h.Peer.Stop(); err != nil {
		h.T.Logf("stop: %v", err)
	}
}

// CBs returns the circuit breaker reports so far.
func (h *Harness) CBs() []CB {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]CB(nil), h.cb...)
}

// Next waits for the next delivered event (failing the test after 5 s).
func (h *Harness) Next() Delivered {
	h.T.Helper()
	select {
	case d := <-h.Events:
		return d
	case <-time.After(5 * time.Second):
		h.T.Fatal("timed out waiting for an event")
	}
	return Delivered{}
}

// NextSignal waits for the next stream signal.
func (h *Harness) NextSignal() runtime.Signal {
	h.T.Helper()
	select {
	case s := <-h.Sigs:
		return s
	case <-time.After(5 * time.Second):
		h.T.Fatal("timed out waiting for a signal")
	}
	return runtime.Signal{}
}

// None asserts that nothing is delivered within d.
func (h *Harness) None(d time.Duration) {
	h.T.Helper()
	select {
	case ev := <-h.Events:
		h.T.Fatalf("unexpected %s event %s", ev.Port, value.Encode(ev.Ev.Value))
	case <-time.After(d):
	}
}

// Send hands an event to the peer's sink port "in" and waits for its ack (nil) or fail.
func (h *Harness) Send(ev *runtime.Event) error {
	h.T.Helper()
	return h.SendPort("in", ev)
}

// SendPort hands an event to the given sink port and waits for its ack (nil) or fail.
func (h *Harness) SendPort(port string, ev *runtime.Event) error {
	h.T.Helper()
	done := h.SendAsyncPort(port, ev)
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		h.T.Fatal("timed out waiting for ack/fail")
	}
	return nil
}

// SendAsync hands an event to the sink port "in" and returns the channel its ack/fail arrives on.
func (h *Harness) SendAsync(ev *runtime.Event) <-chan error { return h.SendAsyncPort("in", ev) }

// SendAsyncPort hands an event to a sink port and returns the channel its ack/fail arrives on.
func (h *Harness) SendAsyncPort(port string, ev *runtime.Event) <-chan error {
	s, ok := h.Peer.(peer.Sink)
	if !ok {
		h.T.Fatal("the peer has no sink side")
	}
	done := make(chan error, 1)
	s.Send(port, ev, func(err error) { done <- err })
	return done
}

// Signal hands a stream signal to the peer when it implements peer.SignalSink.
func (h *Harness) Signal(sig runtime.Signal) {
	if s, ok := h.Peer.(peer.SignalSink); ok {
		s.Signal(sig)
	}
}

// Event builds an event with the given JSON value and meta ("" → {}).
func Event(valueJSON, metaJSON string) *runtime.Event {
	ev := runtime.NewEvent(value.MustDecodeJSON(valueJSON), uint64(time.Now().UnixNano()))
	if metaJSON != "" {
		ev.Meta = value.MustDecodeJSON(metaJSON)
	}
	return ev
}

// JS is the canonical (sorted) JSON of a value, for comparisons.
func JS(v value.Value) string { return value.EncodeSorted(v) }
