package flow

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// TestFlowJetStreamScaleOut: two deployments (as two Rill processes would run them) share one
// durable JetStream consumer; their pipelines drop the odd numbers and send the rest to a null
// sink. Every message is processed by exactly one of them and acked — the dropped ones too — so
// the consumer's ack floor reaches the last message and nothing is pending.
func TestFlowJetStreamScaleOut(t *testing.T) {
	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	defer srv.Shutdown()
	if !srv.ReadyForConnections(5 * time.Second) {
		t.Fatal("nats-server did not start")
	}
	src := fmt.Sprintf(`
define flow worker
flow
  define peer work from jetstream
  with config = {"url": %q, "stream": "JOBS", "subjects": ["jobs.>"], "durable": "workers", "ack_wait": 2000} end;
  define peer done from null;
  define pipeline even pipeline
    select {"n": event.n} from in where event.n %% 2 == 0 into out;
  end;
  create peer work; create peer done; create pipeline even;
  connect /peer/work to /pipeline/even;
  connect /pipeline/even to /peer/done;
end;
deploy flow worker;`, srv.ClientURL())
	a := deploy(t, src, io.Discard)
	b := deploy(t, src, io.Discard)

	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// The workers create the stream; wait for it.
	var stream jetstream.Stream
	waitFor(t, "the JOBS stream", func() bool { stream, err = js.Stream(ctx, "JOBS"); return err == nil })
	const n = 200
	for i := range n {
		if _, err := js.Publish(ctx, "jobs.x", []byte(fmt.Sprintf(`{"n": %d}`, i))); err != nil {
			t.Fatal(err)
		}
	}
	cons, err := stream.Consumer(ctx, "workers")
	if err != nil {
		t.Fatal(err)
	}
	var last atomic.Uint64
	deadline := time.Now().Add(15 * time.Second)
	for {
		info, err := cons.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		last.Store(info.AckFloor.Stream)
		if info.AckFloor.Stream == n && info.NumAckPending == 0 && info.NumPending == 0 {
			if info.NumRedelivered != 0 {
				t.Errorf("%d messages were redelivered", info.NumRedelivered)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ack floor %d of %d, %d pending acks, %d not delivered", info.AckFloor.Stream, n, info.NumAckPending, info.NumPending)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Both workers took part, and between them the sinks got exactly the even numbers.
	var inA, inB uint64
	for _, c := range a.counters() {
		if c.name == "rill_peer_events" && c.labels["peer"] == "work" && c.labels["kind"] == "out" {
			inA = c.value
		}
	}
	for _, c := range b.counters() {
		if c.name == "rill_peer_events" && c.labels["peer"] == "work" && c.labels["kind"] == "out" {
			inB = c.value
		}
	}
	if inA+inB != n || inA == 0 || inB == 0 {
		t.Errorf("workers consumed %d and %d messages, want %d in all, shared", inA, inB, n)
	}
	acked := func(r *Runner) uint64 { x, _, _ := r.Totals(); return x }
	if got := acked(a) + acked(b); got != n/2 {
		t.Errorf("sinks acked %d events, want %d", got, n/2)
	}
}
