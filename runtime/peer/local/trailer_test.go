package local

import (
	"context"
	"testing"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/codec"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/interceptor"
	"github.com/rillstream/rill/runtime/peer"
)

// trailerSpec is a test interceptor whose write side appends ";" to every frame and writes "END"
// when the stream is closed, so tests see whether a sink writes the closing bytes on Stop.
var trailerSpec = &interceptor.Spec{
	Name:    "trailer",
	NewPost: func(config.Values) (interceptor.Post, error) { return &trailerPost{}, nil },
}

type trailerPost struct{ buf []byte }

func (p *trailerPost) Process(data []byte, _ uint64) ([][]byte, error) {
	p.buf = append(append(p.buf[:0], data...), ';')
	return [][]byte{p.buf}, nil
}

func (p *trailerPost) Finish(uint64) ([][]byte, error) { return [][]byte{[]byte("END")}, nil }

// startWithTrailer starts a peer of spec with the json codec and the trailer interceptor on a
// host built by hand (the harness only knows the builtin interceptors).
func startWithTrailer(t *testing.T, spec *peer.Spec, cfgJSON string) (peer.Peer, *peer.Host) {
	t.Helper()
	c, err := codec.Builtin().Compile(codec.Ref{Name: "json"})
	if err != nil {
		t.Fatal(err)
	}
	h := peer.NewHost(peer.HostConfig{UID: 1, Alias: "trailer", Codec: c,
		Write: []interceptor.Stage{{Spec: trailerSpec}}})
	p, err := spec.New(mustValidate(t, spec.Config, cfgJSON))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(context.Background(), h); err != nil {
		t.Fatal(err)
	}
	return p, h
}

// send sends the JSON value ev to port of p and fails the test unless it is acked.
func send(t *testing.T, p peer.Peer, port, ev string) {
	t.Helper()
	done := make(chan error, 1)
	p.(peer.Sink).Send(port, runtime.NewEvent(value.MustDecodeJSON(ev), 1), func(err error) { done <- err })
	if err := <-done; err != nil {
		t.Fatalf("send %s to %s: %v", ev, port, err)
	}
}
