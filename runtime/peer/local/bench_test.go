package local

import (
	"bytes"
	"io"
	"testing"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

// BenchmarkStdioSink measures serializing and writing small JSON events to standard output
// through the group-commit writer.
func BenchmarkStdioSink(b *testing.B) {
	h := peertest.Start(b, StdioSpec(nil, io.Discard, nil), "", peertest.Options{})
	ev := runtime.NewEvent(value.MustDecodeJSON(`{"name":"x","n":12,"tags":["a","b"]}`), 1)
	s := h.Peer.(*Stdio)
	done := make(chan error, 1)
	b.ReportAllocs()
	for b.Loop() {
		s.Send("in", ev, func(error) {})
	}
	s.Send("in", ev, func(err error) { done <- err })
	<-done
}

// BenchmarkStdioSource measures reading JSON lines from standard input into events.
func BenchmarkStdioSource(b *testing.B) {
	line := []byte(`{"name":"x","n":12,"tags":["a","b"]}` + "\n")
	input := bytes.Repeat(line, b.N)
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	h := peertest.Start(b, StdioSpec(bytes.NewReader(input), nil, nil), "", peertest.Options{})
	for range b.N {
		<-h.Events
	}
}
