package peer

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
)

// harness runs one peer against a real Host whose deliveries and signals are collected; tests
// drive the peer through real sockets and read what it delivered.
type harness struct {
	t      *testing.T
	peer   Peer
	host   *Host
	cancel context.CancelFunc
	events chan delivered
	sigs   chan runtime.Signal
	exits  chan int
	mu     sync.Mutex
	cb     []cbChange
}

type delivered struct {
	Port string
	Ev   *runtime.Event
}

type cbChange struct {
	Open         bool
	Peer, Stream uint64
}

// harnessOpts tunes a harness; zero values mean the peer type's defaults.
type harnessOpts struct {
	Codec        string      // "" → the spec's default codec
	CodecConfig  value.Value // null → none
	Interceptors []string    // nil → ["lines"] when the spec says Lines
	Reconnect    *Backoff
	Snapshot     func() []value.Value
	UID          uint64 // 0 → 1
}

// startPeer validates cfg (a JSON record) against the peer type, creates and starts the peer and
// stops it when the test ends.
func startPeer(t *testing.T, typ, cfgJSON string, o harnessOpts) *harness {
	t.Helper()
	spec, ok := Builtin().Lookup(typ)
	if !ok {
		t.Fatalf("no peer type %s", typ)
	}
	cv := value.NullValue
	if cfgJSON != "" {
		cv = value.MustDecodeJSON(cfgJSON)
	}
	cfg, err := config.Validate("peer type `"+typ+"`", cv, spec.Config)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	p, err := spec.New(cfg)
	if err != nil {
		t.Fatalf("new %s: %v", typ, err)
	}
	hc := HostConfig{UID: o.UID, Alias: "test_" + typ, Type: typ, Snapshot: o.Snapshot}
	if hc.UID == 0 {
		hc.UID = 1
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
		hc.Reconnect = Backoff{Interval: 10 * time.Millisecond, Growth: 2, Max: 200 * time.Millisecond, MaxRetries: -1}
	}
	h := &harness{t: t, peer: p, events: make(chan delivered, 10000), sigs: make(chan runtime.Signal, 10000), exits: make(chan int, 10)}
	hc.Deliver = func(port string, ev *runtime.Event) bool { h.events <- delivered{port, ev}; return true }
	hc.Signal = func(s runtime.Signal) { h.sigs <- s }
	hc.Exit = func(code int) { h.exits <- code }
	hc.CircuitBreaker = func(open bool, peer, stream uint64) {
		h.mu.Lock()
		h.cb = append(h.cb, cbChange{open, peer, stream})
		h.mu.Unlock()
	}
	h.host = NewHost(hc)
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	if err := p.Start(ctx, h.host); err != nil {
		cancel()
		t.Fatalf("start %s: %v", typ, err)
	}
	t.Cleanup(h.stop)
	return h
}

func (h *harness) stop() {
	h.cancel()
	if err := h.peer.Stop(); err != nil {
		h.t.Logf("stop: %v", err)
	}
}

// next waits for the next delivered event (failing the test after 5 s).
func (h *harness) next() delivered {
	h.t.Helper()
	select {
	case d := <-h.events:
		return d
	case <-time.After(5 * time.Second):
		h.t.Fatal("timed out waiting for an event")
	}
	return delivered{}
}

// nextSignal waits for the next stream signal.
func (h *harness) nextSignal() runtime.Signal {
	h.t.Helper()
	select {
	case s := <-h.sigs:
		return s
	case <-time.After(5 * time.Second):
		h.t.Fatal("timed out waiting for a signal")
	}
	return runtime.Signal{}
}

// none asserts that nothing is delivered within d.
func (h *harness) none(d time.Duration) {
	h.t.Helper()
	select {
	case ev := <-h.events:
		h.t.Fatalf("unexpected %s event %s", ev.Port, value.Encode(ev.Ev.Value))
	case <-time.After(d):
	}
}

// send hands an event to the peer's sink side and waits for its ack or fail.
func (h *harness) send(ev *runtime.Event) error {
	h.t.Helper()
	s, ok := h.peer.(Sink)
	if !ok {
		h.t.Fatal("the peer has no sink side")
	}
	done := make(chan error, 1)
	s.Send(ev, func(err error) { done <- err })
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		h.t.Fatal("timed out waiting for ack/fail")
	}
	return nil
}

// event builds an event with the given JSON value and meta ("" → {}).
func event(valueJSON, metaJSON string) *runtime.Event {
	ev := runtime.NewEvent(value.MustDecodeJSON(valueJSON), uint64(time.Now().UnixNano()))
	if metaJSON != "" {
		ev.Meta = value.MustDecodeJSON(metaJSON)
	}
	return ev
}

// js is the canonical JSON of a value, for comparisons.
func js(v value.Value) string { return value.EncodeSorted(v) }
