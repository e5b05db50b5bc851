package natspeer

import (
	"fmt"
	"testing"

	"github.com/rillstream/rill/runtime/peer/peertest"
)

// BenchmarkNatsSinkPublish measures publishing events through a nats sink, each acked once the
// server confirmed it (flushes are shared by the events published meanwhile).
func BenchmarkNatsSinkPublish(b *testing.B) {
	s := startServer(b, -1, "")
	h := peertest.Start(b, NatsSpec, fmt.Sprintf(`{"url": %q, "subject": "bench"}`, s.ClientURL()), peertest.Options{})
	waitCB(b, h, true)
	ev := peertest.Event(`{"id": 1, "name": "an event of a usual size", "tags": ["a", "b"]}`, "")
	dones := make([]<-chan error, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range dones {
		dones[i] = h.SendAsync(ev)
	}
	for _, d := range dones {
		if err := <-d; err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJetStreamConsumeAck measures consuming messages from a durable consumer and acking
// every event.
func BenchmarkJetStreamConsumeAck(b *testing.B) {
	s := startServer(b, -1, b.TempDir())
	h := peertest.Start(b, JetStreamSpec, fmt.Sprintf(`{"url": %q, "stream": "B", "subjects": ["b"], "durable": "w", "subject": "b", "batch": 500}`, s.ClientURL()), peertest.Options{})
	ev := peertest.Event(`{"id": 1}`, "")
	for i := 0; i < b.N; i++ {
		h.SendAsync(ev)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		acker(h).Ack(h.Next().Ev)
	}
}
