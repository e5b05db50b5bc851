package flow

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/codec"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/interceptor"
	"github.com/rillstream/rill/runtime/peer"
	"github.com/rillstream/rill/stdlib"
)

// probe is a test peer driven directly by the test: its source side is the Host (the test calls
// StartStream/Receive/EndStream), its sink side records what it is sent, acking or failing
// events whose value is "fail".
type probe struct {
	name  string
	host  *peer.Host
	got   chan sent
	sigs  chan runtime.Signal
	acks  chan string
	ready chan struct{}
}

type sent struct {
	port string
	ev   *runtime.Event
}

var (
	probesMu sync.Mutex
	probes   = map[string]*probe{}
)

func probeSpec() *peer.Spec {
	return &peer.Spec{
		Name: "probe", Doc: "test peer", Source: true, Sink: true, Codec: "json", Lines: true,
		Config: []config.Key{{Name: "name", Type: config.String, Required: true, Doc: "the probe's name in the test"}},
		New: func(cfg config.Values) (peer.Peer, error) {
			p := &probe{name: cfg.String("name"), got: make(chan sent, 1000), sigs: make(chan runtime.Signal, 1000), acks: make(chan string, 1000), ready: make(chan struct{})}
			return p, nil
		},
	}
}

func (p *probe) Start(_ context.Context, h *peer.Host) error {
	p.host = h
	probesMu.Lock()
	probes[p.name] = p
	probesMu.Unlock()
	close(p.ready)
	return nil
}

func (p *probe) Stop() error { return nil }

func (p *probe) Send(port string, ev *runtime.Event, done func(error)) {
	p.got <- sent{port, ev}
	if s, _ := ev.Value.AsString(); s == "fail" {
		done(errors.New("probe refuses"))
		return
	}
	done(nil)
}

func (p *probe) Signal(sig runtime.Signal) { p.sigs <- sig }

func (p *probe) Ack(ev *runtime.Event)           { p.acks <- "ack " + value.Encode(ev.Value) }
func (p *probe) Fail(ev *runtime.Event, _ error) { p.acks <- "fail " + value.Encode(ev.Value) }

func getProbe(t *testing.T, name string) *probe {
	t.Helper()
	probesMu.Lock()
	defer probesMu.Unlock()
	p := probes[name]
	if p == nil {
		t.Fatalf("probe %s not started", name)
	}
	return p
}

func testEnv() Env {
	return Env{
		Interp:       &interp.Env{Registry: stdlib.NewRegistry()},
		Peers:        peer.NewRegistry(probeSpec()),
		Codecs:       codec.Builtin(),
		Interceptors: interceptor.Builtin(),
	}
}

// compileSrc parses and compiles a flow file.
func compileSrc(t *testing.T, src string) (*Deployment, error) {
	t.Helper()
	f, err := lang.Parse("flow.troy", src)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return Compile(f, src, testEnv())
}

func startSrc(t *testing.T, src string) *Runner {
	t.Helper()
	d, err := compileSrc(t, src)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	r, err := Start(d, RunOptions{Tick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Stop(time.Second) })
	return r
}

func (p *probe) next(t *testing.T) sent {
	t.Helper()
	select {
	case s := <-p.got:
		return s
	case <-time.After(5 * time.Second):
		t.Fatalf("probe %s: timed out waiting for an event", p.name)
	}
	return sent{}
}
