package natspeer

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

// jsServer starts a JetStream server and a plain JetStream client of it.
func jsServer(t *testing.T) (*server.Server, jetstream.JetStream) {
	t.Helper()
	s := startServer(t, -1, t.TempDir())
	js, err := jetstream.New(client(t, s))
	if err != nil {
		t.Fatal(err)
	}
	return s, js
}

func startJS(t *testing.T, s *server.Server, uid uint64, extra string) *peertest.Harness {
	t.Helper()
	cfg := fmt.Sprintf(`{"url": %q, "stream": "ORDERS", "subjects": ["orders.>"]%s}`, s.ClientURL(), extra)
	return peertest.Start(t, JetStreamSpec, cfg, peertest.Options{UID: uid, Alias: fmt.Sprintf("js%d", uid)})
}

// publishN publishes n messages {"n": i} (i from 1) to orders.new, waiting for each PubAck.
func publishN(t *testing.T, js jetstream.JetStream, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := 1; i <= n; i++ {
		if _, err := js.Publish(ctx, "orders.new", []byte(fmt.Sprintf(`{"n": %d}`, i))); err != nil {
			t.Fatal(err)
		}
	}
}

// consumerInfo returns the durable consumer's state on the server.
func consumerInfo(t *testing.T, js jetstream.JetStream, durable string) *jetstream.ConsumerInfo {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := js.Consumer(ctx, "ORDERS", durable)
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// waitSettled waits until the consumer has nothing delivered and unacked, and nothing left.
func waitSettled(t *testing.T, js jetstream.JetStream, durable string) *jetstream.ConsumerInfo {
	t.Helper()
	var info *jetstream.ConsumerInfo
	waitFor(t, "every message acked", func() bool {
		info = consumerInfo(t, js, durable)
		return info.NumAckPending == 0 && info.NumPending == 0
	})
	return info
}

func acker(h *peertest.Harness) peer.Acker { return h.Peer.(peer.Acker) }

func TestJetStreamConsumesAndAcks(t *testing.T) {
	s, js := jsServer(t)
	h := startJS(t, s, 1, `, "durable": "w", "ack_wait": 300`)
	if sig := h.NextSignal(); sig.Kind != runtime.StreamStart {
		t.Fatalf("signal %+v", sig)
	}
	publishN(t, js, 20)
	for i := 1; i <= 20; i++ {
		d := h.Next()
		if d.Port != "out" || peertest.JS(d.Ev.Value) != fmt.Sprintf(`{"n":%d}`, i) {
			t.Fatalf("event %d: %s %s", i, d.Port, value.Encode(d.Ev.Value))
		}
		want := fmt.Sprintf(`{"delivered":1,"headers":{},"sequence":%d,"stream":"ORDERS","subject":"orders.new"}`, i)
		if got := metaJS(d.Ev, "jetstream"); got != want {
			t.Fatalf("meta %s, want %s", got, want)
		}
		acker(h).Ack(d.Ev)
	}
	info := waitSettled(t, js, "w")
	if info.AckFloor.Stream != 20 || info.Delivered.Consumer != 20 {
		t.Fatalf("ack floor %d, deliveries %d", info.AckFloor.Stream, info.Delivered.Consumer)
	}
	if evs, msgs := h.Peer.(*JetStream).acks.pending(); evs != 0 || msgs != 0 {
		t.Fatalf("%d events of %d messages still tracked", evs, msgs)
	}
	h.Stop()
	// A second instance of the durable sees nothing more, even after ack_wait.
	again := startJS(t, s, 2, `, "durable": "w", "ack_wait": 300`)
	again.None(700 * time.Millisecond)
}

func TestJetStreamFailRedeliversAfterBackoff(t *testing.T) {
	s, js := jsServer(t)
	h := startJS(t, s, 1, `, "durable": "w"`)
	publishN(t, js, 1)
	d := h.Next()
	if metaJS(d.Ev, "jetstream", "delivered") != "1" {
		t.Fatalf("meta %s", value.Encode(d.Ev.Meta))
	}
	acker(h).Fail(d.Ev, fmt.Errorf("sink down"))
	d = h.Next()
	if metaJS(d.Ev, "jetstream", "delivered") != "2" || metaJS(d.Ev, "jetstream", "sequence") != "1" {
		t.Fatalf("redelivery meta %s", value.Encode(d.Ev.Meta))
	}
	acker(h).Ack(d.Ev)
	if info := waitSettled(t, js, "w"); info.Delivered.Consumer != 2 || info.AckFloor.Stream != 1 {
		t.Fatalf("deliveries %d, ack floor %d", info.Delivered.Consumer, info.AckFloor.Stream)
	}
}

func TestJetStreamUnansweredMessageComesBackAfterAckWait(t *testing.T) {
	s, js := jsServer(t)
	h := startJS(t, s, 1, `, "durable": "w", "ack_wait": 200`)
	publishN(t, js, 1)
	first := h.Next()
	d := h.Next() // never answered: the server sends it again
	if metaJS(d.Ev, "jetstream", "delivered") != "2" || d.Ev.ID.Seq == first.Ev.ID.Seq {
		t.Fatalf("redelivery meta %s (seq %d, first %d)", value.Encode(d.Ev.Meta), d.Ev.ID.Seq, first.Ev.ID.Seq)
	}
	// The redelivery replaced the first delivery's entry: nothing leaks for the dropped event.
	if evs, msgs := h.Peer.(*JetStream).acks.pending(); evs != 1 || msgs != 1 {
		t.Fatalf("%d events of %d messages tracked, want 1 of 1", evs, msgs)
	}
	acker(h).Ack(d.Ev)
	acker(h).Ack(first.Ev) // late: the message is settled already, nothing happens
	waitSettled(t, js, "w")
	if evs, msgs := h.Peer.(*JetStream).acks.pending(); evs != 0 || msgs != 0 {
		t.Fatalf("%d events of %d messages still tracked", evs, msgs)
	}
}

// Two processes (harnesses with different uids) sharing the durable consumer split the
// messages: each message reaches exactly one of them and is acked once.
func TestJetStreamScaleOutSharesTheDurable(t *testing.T) {
	s, js := jsServer(t)
	a := startJS(t, s, 1, `, "durable": "w", "batch": 5`)
	b := startJS(t, s, 2, `, "durable": "w", "batch": 5`)
	waitFor(t, "both processes pulling", func() bool { return consumerInfo(t, js, "w").NumWaiting >= 2 })
	publishN(t, js, 100)
	seen := map[string]uint64{}
	per := map[uint64]int{}
	for len(seen) < 100 {
		var d peertest.Delivered
		select {
		case d = <-a.Events:
			acker(a).Ack(d.Ev)
		case d = <-b.Events:
			acker(b).Ack(d.Ev)
		case <-time.After(5 * time.Second):
			t.Fatalf("got %d of 100 messages", len(seen))
		}
		n := peertest.JS(d.Ev.Value)
		if prev, dup := seen[n]; dup {
			t.Fatalf("%s delivered twice (to peers %d and %d)", n, prev, d.Ev.ID.Peer)
		}
		seen[n] = d.Ev.ID.Peer
		per[d.Ev.ID.Peer]++
	}
	if per[1] == 0 || per[2] == 0 {
		t.Fatalf("one process got everything: %v", per)
	}
	info := waitSettled(t, js, "w")
	// 100 deliveries in all (none redelivered), every one acked.
	if info.AckFloor.Stream != 100 || info.Delivered.Consumer != 100 {
		t.Fatalf("ack floor %d, deliveries %d", info.AckFloor.Stream, info.Delivered.Consumer)
	}
	a.None(100 * time.Millisecond)
	b.None(100 * time.Millisecond)
	t.Logf("split: %v", per)
}

// A server restart (same port and store): the breaker follows the connection and consuming
// resumes on the same durable consumer.
func TestJetStreamResumesAfterServerRestart(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, -1, dir)
	port := serverPort(s)
	h := startJS(t, s, 1, `, "durable": "w"`)
	waitCB(t, h, true)
	js, err := jetstream.New(client(t, s))
	if err != nil {
		t.Fatal(err)
	}
	publishN(t, js, 1)
	acker(h).Ack(h.Next().Ev)
	waitSettled(t, js, "w")

	s.Shutdown()
	s.WaitForShutdown()
	waitCB(t, h, false)
	if err := h.Send(peertest.Event(`1`, `{"jetstream": {"publish": {"subject": "orders.new"}}}`)); err == nil {
		t.Fatal("a publish while disconnected succeeded")
	}
	s = startServer(t, port, dir)
	waitCB(t, h, true)
	js, err = jetstream.New(client(t, s))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := js.Publish(ctx, "orders.new", []byte(`{"n": 2}`)); err != nil {
		t.Fatal(err)
	}
	d := h.Next()
	if peertest.JS(d.Ev.Value) != `{"n":2}` || metaJS(d.Ev, "jetstream", "sequence") != "2" {
		t.Fatalf("got %s %s", value.Encode(d.Ev.Value), value.Encode(d.Ev.Meta))
	}
	acker(h).Ack(d.Ev)
	waitSettled(t, js, "w")
}

// An aggregate (a window's output) tracks the ids of the events it holds: acking it acks every
// message behind them.
func TestJetStreamAckOfAnAggregateAcksTrackedMessages(t *testing.T) {
	s, js := jsServer(t)
	h := startJS(t, s, 7, `, "durable": "w"`)
	publishN(t, js, 5)
	agg := &runtime.Event{Value: value.NewInt(5), ID: runtime.EventID{Peer: 99, Stream: 1, Seq: 0}}
	for i := 0; i < 5; i++ {
		agg.Track(h.Next().Ev)
	}
	if info := consumerInfo(t, js, "w"); info.NumAckPending != 5 {
		t.Fatalf("ack pending %d before the ack", info.NumAckPending)
	}
	acker(h).Ack(agg)
	if info := waitSettled(t, js, "w"); info.AckFloor.Stream != 5 {
		t.Fatalf("ack floor %d", info.AckFloor.Stream)
	}
}

// Undecodable data is an err event with the raw bytes, and its message is terminated: it is
// never redelivered.
func TestJetStreamUndecodableMessageIsTerminated(t *testing.T) {
	s, js := jsServer(t)
	h := startJS(t, s, 1, `, "durable": "w", "ack_wait": 200`)
	ctx := context.Background()
	if _, err := js.Publish(ctx, "orders.bad", []byte(`{nope`)); err != nil {
		t.Fatal(err)
	}
	d := h.Next()
	raw, _ := peer.MetaPath(d.Ev.Value, "raw").AsString()
	if b, _ := base64.StdEncoding.DecodeString(raw); d.Port != "err" || string(b) != `{nope` {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}
	if metaJS(d.Ev, "jetstream", "subject") != `"orders.bad"` {
		t.Fatalf("meta %s", value.Encode(d.Ev.Meta))
	}
	waitSettled(t, js, "w")
	h.None(500 * time.Millisecond)
}

func TestJetStreamSinkPublishesAndWaitsForPubAck(t *testing.T) {
	s, js := jsServer(t)
	pub := startJS(t, s, 1, `, "subject": "orders.new"`)
	waitCB(t, pub, true)
	if err := pub.Send(peertest.Event(`{"id": 1}`, `{"correlation": "k1"}`)); err != nil {
		t.Fatal(err)
	}
	ev := peertest.Event(`{"id": 2}`, `{"jetstream": {"publish": {"subject": "orders.rush", "headers": {"X-Prio": "high"}}}}`)
	if err := pub.Send(ev); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := js.Stream(ctx, "ORDERS")
	if err != nil {
		t.Fatal(err)
	}
	m1, err := st.GetMsg(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := st.GetMsg(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if m1.Subject != "orders.new" || string(m1.Data) != `{"id":1}` || m1.Header.Get(correlationHeader) != `"k1"` ||
		m2.Subject != "orders.rush" || m2.Header.Get("X-Prio") != "high" {
		t.Fatalf("stored %s %q %v / %s %q %v", m1.Subject, m1.Data, m1.Header, m2.Subject, m2.Data, m2.Header)
	}
	// A consumer restores the correlation and keeps its headers hop-local.
	sub := startJS(t, s, 2, `, "durable": "w"`)
	d := sub.Next()
	if metaJS(d.Ev, "correlation") != `"k1"` || metaJS(d.Ev, "jetstream", "headers") != `{}` {
		t.Fatalf("meta %s", value.Encode(d.Ev.Meta))
	}
	// No stream holds the subject: no PubAck, the event fails.
	err = pub.Send(peertest.Event(`1`, `{"jetstream": {"publish": {"subject": "nowhere.x"}}}`))
	if err == nil || !strings.Contains(err.Error(), "no stream holds subject \"nowhere.x\"") {
		t.Fatalf("got %v", err)
	}
	if n := pub.Host.Metrics().Send.Load(); n != 3 {
		t.Fatalf("send metric %d", n)
	}
}

// The stream named without subjects must exist: until it does, the peer retries in the
// background (Start does not fail), then consumes.
func TestJetStreamWaitsForAStreamToExist(t *testing.T) {
	s, js := jsServer(t)
	cfg := fmt.Sprintf(`{"url": %q, "stream": "LATER", "durable": "w"}`, s.ClientURL())
	h := peertest.Start(t, JetStreamSpec, cfg, peertest.Options{})
	ctx := context.Background()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "LATER", Subjects: []string{"later"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(ctx, "later", []byte(`"hi"`)); err != nil {
		t.Fatal(err)
	}
	if d := h.Next(); peertest.JS(d.Ev.Value) != `"hi"` {
		t.Fatalf("got %s", value.Encode(d.Ev.Value))
	}
}

// Subjects of an existing stream are kept when the peer adds its own.
func TestJetStreamAddsSubjectsToAnExistingStream(t *testing.T) {
	s, js := jsServer(t)
	ctx := context.Background()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "ORDERS", Subjects: []string{"legacy"}, MaxMsgs: 1000}); err != nil {
		t.Fatal(err)
	}
	startJS(t, s, 1, "")
	st, err := js.Stream(ctx, "ORDERS")
	if err != nil {
		t.Fatal(err)
	}
	cfg := st.CachedInfo().Config
	if strings.Join(cfg.Subjects, ",") != "legacy,orders.>" || cfg.MaxMsgs != 1000 {
		t.Fatalf("stream config: subjects %v, max msgs %d", cfg.Subjects, cfg.MaxMsgs)
	}
}

func TestJetStreamConfigErrors(t *testing.T) {
	for _, c := range []struct{ cfg, want string }{
		{`{"url": "nats://127.0.0.1:4222"}`, "stream"},
		{`{"url": "nats://127.0.0.1:4222", "stream": "A.B"}`, "stream"},
		{`{"url": "nats://127.0.0.1:4222", "stream": "A", "durable": "w*"}`, "durable"},
		{`{"url": "nats://127.0.0.1:4222", "stream": "A", "max_ack_pending": 0}`, "max_ack_pending"},
		{`{"url": "nats://127.0.0.1:4222", "stream": "A", "batch": 0}`, "batch"},
		{`{"url": "nats://127.0.0.1:4222", "stream": "A", "ack_wait": 0}`, "ack_wait"},
		{`{"url": "nats://127.0.0.1:4222", "stream": "A", "filter_subject": "a..b"}`, "filter_subject"},
		{`{"url": "nats://127.0.0.1:4222", "stream": "A", "subject": "a.>"}`, "wildcards"},
	} {
		cfg, err := config.Validate("peer type `jetstream`", value.MustDecodeJSON(c.cfg), JetStreamSpec.Config)
		if err == nil {
			_, err = JetStreamSpec.New(cfg)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error about %s", c.cfg, err, c.want)
		}
	}
	var _ peer.Acker = (*JetStream)(nil)
}

// A process that never answers its events (a pipeline drops them) while another acks: the
// messages move on to the other process and the silent one's table forgets them, so it does
// not grow with the stream.
func TestJetStreamUnansweredEntriesAreForgotten(t *testing.T) {
	s, js := jsServer(t)
	cfg := `, "durable": "w", "ack_wait": 100, "max_ack_pending": 2, "batch": 1`
	silent := startJS(t, s, 1, cfg)
	worker := startJS(t, s, 2, cfg)
	waitFor(t, "both processes pulling", func() bool { return consumerInfo(t, js, "w").NumWaiting >= 2 })
	publishN(t, js, 20)
	dropped := 0
	acked := map[string]bool{}
	for len(acked) < 20 {
		select {
		case <-silent.Events:
			dropped++
		case d := <-worker.Events:
			acker(worker).Ack(d.Ev)
			acked[peertest.JS(d.Ev.Value)] = true
		case <-time.After(5 * time.Second):
			t.Fatalf("acked %d of 20", len(acked))
		}
	}
	waitSettled(t, js, "w")
	_, msgs := silent.Peer.(*JetStream).acks.pending()
	if limit := 2 + 1; msgs > 2*limit {
		t.Fatalf("the silent process still tracks %d messages (it dropped %d events)", msgs, dropped)
	}
	t.Logf("dropped %d, still tracked %d", dropped, msgs)
}
