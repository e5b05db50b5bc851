package ws

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

// startClient runs a ws_client with the given config.
func startClient(t *testing.T, cfg string) *peertest.Harness {
	t.Helper()
	return peertest.Start(t, ClientSpec, cfg, peertest.Options{UID: 2, Alias: "up"})
}

// cb is a circuit breaker report.
func cb(open bool, peer, stream uint64) peertest.CB {
	return peertest.CB{Open: open, Peer: peer, Stream: stream}
}

func TestClientEchoes(t *testing.T) {
	e := startEcho(t, "127.0.0.1:0")
	h := startClient(t, `{"url": "`+e.url()+`"}`)
	s := waitSignal(t, h, runtime.StreamStart, 0)
	waitCB(t, h, cb(true, 0, 0), 1)
	for _, v := range []string{`{"x":1}`, `[1,"two"]`} {
		if err := h.Send(peertest.Event(v, `{"correlation": "c"}`)); err != nil {
			t.Fatal(err)
		}
		ev := next(t, h)
		if peertest.JS(ev.Value) != v || ev.ID.Peer != 2 || ev.ID.Stream != s.Stream {
			t.Fatalf("got %s with id %+v, want %s on stream %d", peertest.JS(ev.Value), ev.ID, v, s.Stream)
		}
		if peertest.JS(ev.Meta) != `{}` {
			t.Errorf("outside request_mode the echo has meta %s, want {}", peertest.JS(ev.Meta))
		}
	}
	if n := h.Host.Metrics().Send.Load(); n != 2 {
		t.Errorf("send metric %d, want 2", n)
	}
}

func TestClientConnectsOnceTheServerIsUp(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	h := startClient(t, `{"url": "`+addr+`"}`) // the host:port form
	if cbs := h.CBs(); len(cbs) == 0 || cbs[0] != cb(false, 0, 0) {
		t.Fatalf("circuit breaker reports %+v, want a closed breaker first", cbs)
	}
	if err := h.Send(peertest.Event(`1`, "")); err == nil || !strings.Contains(err.Error(), "not connected") {
		t.Fatalf("send while the server is down: got %v, want a 'not connected' failure", err)
	}
	e := startEcho(t, addr)
	waitCB(t, h, cb(true, 0, 0), 1)
	if err := h.Send(peertest.Event(`2`, "")); err != nil {
		t.Fatal(err)
	}
	if ev := next(t, h); peertest.JS(ev.Value) != `2` {
		t.Fatalf("got %s", peertest.JS(ev.Value))
	}
	if e.connections() != 1 {
		t.Errorf("the server saw %d connections, want 1", e.connections())
	}
}

func TestClientReconnectsAfterTheServerRestarts(t *testing.T) {
	e := startEcho(t, "127.0.0.1:0")
	h := startClient(t, `{"url": "`+e.url()+`"}`)
	first := waitSignal(t, h, runtime.StreamStart, 0)
	waitCB(t, h, cb(true, 0, 0), 1)
	e.restart()
	waitSignal(t, h, runtime.StreamEnd, first.Stream)
	second := waitSignal(t, h, runtime.StreamStart, 0)
	if second.Stream == first.Stream {
		t.Fatalf("the new connection reuses stream %d", first.Stream)
	}
	waitCB(t, h, cb(true, 0, 0), 2)
	if err := h.Send(peertest.Event(`"again"`, "")); err != nil {
		t.Fatal(err)
	}
	if ev := next(t, h); peertest.JS(ev.Value) != `"again"` || ev.ID.Stream != second.Stream {
		t.Fatalf("got %s on stream %d, want \"again\" on stream %d", peertest.JS(ev.Value), ev.ID.Stream, second.Stream)
	}
	cbs := h.CBs()
	if len(cbs) < 3 || cbs[len(cbs)-2] != cb(false, 0, 0) {
		t.Errorf("circuit breaker reports %+v, want it closed while disconnected", cbs)
	}
}

func TestClientRequestModeCorrelates(t *testing.T) {
	e := startEcho(t, "127.0.0.1:0")
	h := startClient(t, `{"url": "`+e.url()+`", "request_mode": true}`)
	waitCB(t, h, cb(true, 0, 0), 1)
	var reqs []*runtime.Event
	var dones []<-chan error
	for i, c := range []string{`"a"`, `"b"`, `{"k":3}`} {
		ev := peertest.Event(`{"req":`+string(rune('0'+i))+`}`, `{"correlation": `+c+`, "other": 1}`)
		ev.ID = runtime.EventID{Peer: 7, Stream: uint64(i + 1), Seq: 5}
		reqs = append(reqs, ev)
		dones = append(dones, h.SendAsync(ev))
	}
	for _, d := range dones {
		if err := <-d; err != nil {
			t.Fatal(err)
		}
	}
	for i, want := range []string{`"a"`, `"b"`, `{"k":3}`} {
		ev := next(t, h)
		if got := peertest.JS(ev.Meta); got != `{"correlation":`+want+`}` {
			t.Errorf("answer %d: meta %s, want correlation %s", i, got, want)
		}
		if peertest.JS(ev.Value) != peertest.JS(reqs[i].Value) {
			t.Errorf("answer %d: %s", i, peertest.JS(ev.Value))
		}
		if s := ev.Streams(7); len(s) != 1 || s[0] != uint64(i+1) {
			t.Errorf("answer %d tracks streams %v of peer 7, want [%d]", i, s, i+1)
		}
	}
}

func TestClientPerStreamOpensOneConnectionPerOrigin(t *testing.T) {
	e := startEcho(t, "127.0.0.1:0")
	h := startClient(t, `{"url": "`+e.url()+`", "per_stream": true}`)
	waitCB(t, h, cb(true, 0, 0), 1)
	h.Signal(runtime.Signal{Kind: runtime.StreamStart, Peer: 9, PeerName: "front", Stream: 1})
	h.Signal(runtime.Signal{Kind: runtime.StreamStart, Peer: 9, PeerName: "front", Stream: 2})
	waitCB(t, h, cb(true, 9, 1), 1)
	waitCB(t, h, cb(true, 9, 2), 1)
	send := func(val string, stream uint64) {
		t.Helper()
		ev := peertest.Event(val, "")
		ev.ID = runtime.EventID{Peer: 9, Stream: stream}
		if err := h.Send(ev); err != nil {
			t.Fatal(err)
		}
	}
	send(`"a1"`, 1)
	evA := next(t, h)
	send(`"b1"`, 2)
	evB := next(t, h)
	if peertest.JS(evA.Value) != `"a1"` || peertest.JS(evB.Value) != `"b1"` {
		t.Fatalf("got %s and %s", peertest.JS(evA.Value), peertest.JS(evB.Value))
	}
	if s := evA.Streams(9); len(s) != 1 || s[0] != 1 {
		t.Errorf("the answer to stream 1 tracks %v", s)
	}
	if s := evB.Streams(9); len(s) != 1 || s[0] != 2 {
		t.Errorf("the answer to stream 2 tracks %v", s)
	}
	if evA.ID.Stream == evB.ID.Stream {
		t.Errorf("both answers came on the client's stream %d", evA.ID.Stream)
	}
	if n := e.connections(); n != 2 {
		t.Errorf("the server saw %d connections, want 2", n)
	}
	send(`"a2"`, 1)
	if ev := next(t, h); peertest.JS(ev.Value) != `"a2"` || ev.ID.Stream != evA.ID.Stream {
		t.Errorf("got %s on stream %d, want \"a2\" on the connection of stream 1", peertest.JS(ev.Value), ev.ID.Stream)
	}

	// The end of origin stream 1 closes its upstream connection (and the client's stream).
	h.Signal(runtime.Signal{Kind: runtime.StreamEnd, Peer: 9, PeerName: "front", Stream: 1})
	e.waitClosed()
	waitSignal(t, h, runtime.StreamEnd, evA.ID.Stream)
	send(`"b2"`, 2)
	if ev := next(t, h); peertest.JS(ev.Value) != `"b2"` {
		t.Errorf("stream 2 stopped working: %s", peertest.JS(ev.Value))
	}

	// An event from a stream never announced connects on demand.
	send(`"c1"`, 3)
	if ev := next(t, h); peertest.JS(ev.Value) != `"c1"` || ev.Streams(9)[0] != 3 {
		t.Errorf("got %s tracking %v", peertest.JS(ev.Value), ev.Streams(9))
	}
	if n := e.connections(); n != 3 {
		t.Errorf("the server saw %d connections, want 3", n)
	}
	waitCB(t, h, cb(false, 9, 3), 1)
	waitCB(t, h, cb(true, 9, 3), 1)
}

func TestClientPerStreamQueuesWhileConnecting(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	h := startClient(t, `{"url": "ws://`+addr+`", "per_stream": true}`)
	h.Signal(runtime.Signal{Kind: runtime.StreamStart, Peer: 9, Stream: 1})
	ev := peertest.Event(`"early"`, "")
	ev.ID = runtime.EventID{Peer: 9, Stream: 1}
	done := h.SendAsync(ev)
	select {
	case err := <-done:
		t.Fatalf("the event was answered (%v) before the upstream connection existed", err)
	case <-time.After(50 * time.Millisecond):
	}
	startEcho(t, addr)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := next(t, h); peertest.JS(got.Value) != `"early"` {
		t.Fatalf("got %s", peertest.JS(got.Value))
	}
	if cbs := h.CBs(); cbs[1] != cb(false, 9, 1) || cbs[len(cbs)-1] != cb(true, 9, 1) {
		t.Errorf("circuit breaker reports %+v", cbs)
	}

	// An origin that ends while its upstream is down fails what it queued.
	e2 := startClient(t, `{"url": "ws://127.0.0.1:1", "per_stream": true}`)
	ev2 := peertest.Event(`"never"`, "")
	ev2.ID = runtime.EventID{Peer: 9, Stream: 5}
	done2 := e2.SendAsync(ev2)
	e2.Signal(runtime.Signal{Kind: runtime.StreamEnd, Peer: 9, Stream: 5})
	select {
	case err := <-done2:
		if err == nil {
			t.Fatal("an event for an upstream that never connected was acked")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the queued event was never failed")
	}
}

func TestClientConfigErrors(t *testing.T) {
	for _, c := range []struct{ cfg, want string }{
		{`{"url": "ftp://127.0.0.1:8080"}`, "scheme"},
		{`{"url": "ws://"}`, "no host"},
		{`{"url": "ws://127.0.0.1:1", "timeout": 0}`, "`timeout`"},
		{`{"url": "ws://127.0.0.1:1", "max_message": -1}`, "`max_message`"},
	} {
		cfg, err := config.Validate("ws_client", value.MustDecodeJSON(c.cfg), ClientSpec.Config)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ClientSpec.New(cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error about %s", c.cfg, err, c.want)
		}
	}
}

func TestClientRequestModeFailsUnansweredRequestsWhenTheConnectionCloses(t *testing.T) {
	e := startEcho(t, "127.0.0.1:0")
	e.silent.Store(true)
	h := startClient(t, `{"url": "`+e.url()+`", "request_mode": true}`)
	waitCB(t, h, cb(true, 0, 0), 1)
	if err := h.Send(peertest.Event(`"q"`, `{"correlation": 17}`)); err != nil {
		t.Fatal(err)
	}
	e.stop()
	d := h.Next()
	if d.Port != "err" || peertest.JS(d.Ev.Meta) != `{"correlation":17}` || !strings.Contains(peertest.JS(d.Ev.Value), "closed before an answer") {
		t.Fatalf("got %s event %s with meta %s", d.Port, peertest.JS(d.Ev.Value), peertest.JS(d.Ev.Meta))
	}
}

func TestClientMaxMessage(t *testing.T) {
	e := startEcho(t, "127.0.0.1:0")
	h := startClient(t, `{"url": "`+e.url()+`", "max_message": 16}`)
	first := waitSignal(t, h, runtime.StreamStart, 0)
	waitCB(t, h, cb(true, 0, 0), 1)
	if err := h.Send(peertest.Event(`"a message longer than 16 bytes"`, "")); err != nil {
		t.Fatal(err)
	}
	d := h.Next()
	if d.Port != "err" || !strings.Contains(peertest.JS(d.Ev.Value), "max_message") {
		t.Fatalf("got %s event %s, want an err event about max_message", d.Port, peertest.JS(d.Ev.Value))
	}
	waitSignal(t, h, runtime.StreamEnd, first.Stream)
	waitSignal(t, h, runtime.StreamStart, 0) // it reconnects
}

func TestClientGivesUpAfterItsRetries(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	h := peertest.Start(t, ClientSpec, `{"url": "ws://`+addr+`"}`, peertest.Options{
		Reconnect: &peer.Backoff{Interval: time.Millisecond, Growth: 1, MaxRetries: 2}})
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := h.Send(peertest.Event(`1`, ""))
		if err != nil && strings.Contains(err.Error(), "no longer tries") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the client still tries to connect (last send: %v)", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
