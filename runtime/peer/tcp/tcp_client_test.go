package tcp

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

// testServer is a plain TCP server on loopback whose connections a test takes one by one.
type testServer struct {
	t     *testing.T
	ln    net.Listener
	conns chan *testConn
}

func listen(t *testing.T, addr string) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return serveOn(t, ln)
}

// serveOn accepts the connections of ln (plain or TLS) until the test ends.
func serveOn(t *testing.T, ln net.Listener) *testServer {
	t.Helper()
	s := &testServer{t: t, ln: ln, conns: make(chan *testConn, 16)}
	accepted := make(chan struct{})
	t.Cleanup(func() {
		ln.Close()
		<-accepted
		close(s.conns)
		for c := range s.conns {
			c.Close()
		}
	})
	go func() {
		defer close(accepted)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.conns <- &testConn{t: t, Conn: c, r: bufio.NewReader(c)}
		}
	}()
	return s
}

func (s *testServer) addr() string { return s.ln.Addr().String() }

func (s *testServer) accept() *testConn {
	s.t.Helper()
	select {
	case c := <-s.conns:
		s.t.Cleanup(func() { c.Close() })
		return c
	case <-time.After(5 * time.Second):
		s.t.Fatal("timed out waiting for the client to connect")
	}
	return nil
}

// waitCB waits until the latest circuit breaker report for (peer, stream) is open.
func waitCB(t *testing.T, h *peertest.Harness, open bool, p, s uint64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		cbs := h.CBs()
		for i := len(cbs) - 1; i >= 0; i-- {
			if cbs[i].Peer == p && cbs[i].Stream == s {
				if cbs[i].Open == open {
					return
				}
				break
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("circuit breaker of (%d, %d) never became open=%v: %+v", p, s, open, h.CBs())
}

func startClient(t *testing.T, cfg string) *peertest.Harness {
	t.Helper()
	return peertest.Start(t, clientSpec, cfg, peertest.Options{})
}

func TestTCPClientSendsAndReceives(t *testing.T) {
	srv := listen(t, "127.0.0.1:0")
	h := startClient(t, fmt.Sprintf(`{"url": "tcp://%s"}`, srv.addr()))
	c := srv.accept()
	stream := signal(t, h, runtime.StreamStart)
	waitCB(t, h, true, 0, 0)
	if err := h.Send(peertest.Event(`{"a":1}`, "")); err != nil {
		t.Fatal(err)
	}
	if got := c.line(); got != `{"a":1}` {
		t.Fatalf("server read %q", got)
	}
	c.send(`{"b":2}` + "\n" + `{"b":3}` + "\n")
	for i := range 2 {
		d := h.Next()
		if d.Port != "out" || value.Encode(d.Ev.Value) != fmt.Sprintf(`{"b":%d}`, i+2) || d.Ev.ID.Stream != stream || d.Ev.ID.Seq != uint64(i) {
			t.Fatalf("got %s %s id %+v", d.Port, value.Encode(d.Ev.Value), d.Ev.ID)
		}
	}
	if n := h.Host.Metrics().Send.Load(); n != 1 {
		t.Errorf("send metric %d", n)
	}
}

// freeAddr returns a loopback address nothing listens on (for now).
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestTCPClientConnectsOnceServerIsUp(t *testing.T) {
	addr := freeAddr(t)
	h := startClient(t, fmt.Sprintf(`{"url": "%s"}`, addr))
	if err := h.Send(peertest.Event(`{"early":1}`, "")); err == nil || !strings.Contains(err.Error(), "not connected") {
		t.Fatalf("send while disconnected: %v", err)
	}
	if cbs := h.CBs(); len(cbs) == 0 || cbs[0].Open {
		t.Fatalf("the breaker should start closed: %+v", cbs)
	}
	srv := listen(t, addr)
	c := srv.accept()
	waitCB(t, h, true, 0, 0)
	if err := h.Send(peertest.Event(`{"late":1}`, "")); err != nil {
		t.Fatal(err)
	}
	if got := c.line(); got != `{"late":1}` {
		t.Fatalf("server read %q", got)
	}
}

func TestTCPClientReconnectsAsNewStream(t *testing.T) {
	srv := listen(t, "127.0.0.1:0")
	addr := srv.addr()
	h := startClient(t, fmt.Sprintf(`{"url": "%s"}`, addr))
	c := srv.accept()
	first := signal(t, h, runtime.StreamStart)
	waitCB(t, h, true, 0, 0)

	// The server goes away...
	srv.ln.Close()
	c.Close()
	if got := signal(t, h, runtime.StreamEnd); got != first {
		t.Fatalf("EndStream %d, want %d", got, first)
	}
	waitCB(t, h, false, 0, 0)
	// ...and comes back on the same port.
	srv = listen(t, addr)
	c = srv.accept()
	second := signal(t, h, runtime.StreamStart)
	if second == first {
		t.Fatal("the reconnection reused the stream id")
	}
	waitCB(t, h, true, 0, 0)
	c.send(`{"again":true}` + "\n")
	if d := h.Next(); d.Ev.ID.Stream != second || value.Encode(d.Ev.Value) != `{"again":true}` {
		t.Fatalf("got %s on stream %d", value.Encode(d.Ev.Value), d.Ev.ID.Stream)
	}
	if err := h.Send(peertest.Event(`{"to":"new"}`, "")); err != nil {
		t.Fatal(err)
	}
	if got := c.line(); got != `{"to":"new"}` {
		t.Fatalf("server read %q", got)
	}
}

func TestTCPClientRequestMode(t *testing.T) {
	srv := listen(t, "127.0.0.1:0")
	h := startClient(t, fmt.Sprintf(`{"url": "%s", "request_mode": true}`, srv.addr()))
	c := srv.accept()
	waitCB(t, h, true, 0, 0)
	for _, corr := range []string{"a", "b", "c"} {
		if err := h.Send(peertest.Event(`{"q":"`+corr+`"}`, `{"correlation":"`+corr+`","other":1}`)); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		c.line()
	}
	c.send("{\"r\":1}\nbad\n")
	for _, want := range []string{`out {"correlation":"a"}`, `err {"correlation":"b"}`} {
		d := h.Next()
		if got := d.Port + " " + peertest.JS(d.Ev.Meta); got != want {
			t.Fatalf("got %s, want %s", got, want)
		}
	}
	// The server closes without answering "c": its request becomes an err event.
	c.Close()
	d := h.Next()
	if d.Port != "err" || peertest.JS(d.Ev.Meta) != `{"correlation":"c"}` || !strings.Contains(value.Encode(d.Ev.Value), "closed before the response") {
		t.Fatalf("got %s %s meta %s", d.Port, value.Encode(d.Ev.Value), peertest.JS(d.Ev.Meta))
	}
}

func TestTCPClientPerStream(t *testing.T) {
	srv := listen(t, "127.0.0.1:0")
	h := startClient(t, fmt.Sprintf(`{"url": "%s", "per_stream": true}`, srv.addr()))
	waitCB(t, h, true, 0, 0)
	h.Signal(runtime.Signal{Kind: runtime.StreamStart, Peer: 9, Stream: 1})
	h.Signal(runtime.Signal{Kind: runtime.StreamStart, Peer: 9, Stream: 2})
	up := map[uint64]*testConn{} // origin stream → the upstream connection the server accepted
	conns := []*testConn{srv.accept(), srv.accept()}
	for _, s := range []uint64{1, 2} {
		waitCB(t, h, true, 9, s)
		ev := peertest.Event(fmt.Sprintf(`{"origin":%d}`, s), fmt.Sprintf(`{"correlation":%d}`, s))
		ev.ID = runtime.EventID{Peer: 9, Stream: s, Seq: 0}
		if err := h.Send(ev); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range conns {
		var s uint64
		if _, err := fmt.Sscanf(c.line(), `{"origin":%d}`, &s); err != nil {
			t.Fatal(err)
		}
		up[s] = c
	}
	if len(up) != 2 {
		t.Fatalf("the two origins shared a connection: %v", up)
	}
	for _, s := range []uint64{2, 1} {
		up[s].send(fmt.Sprintf(`{"answer":%d}`, s) + "\n")
		d := h.Next()
		got := d.Ev.Streams(9)
		if value.Encode(d.Ev.Value) != fmt.Sprintf(`{"answer":%d}`, s) || len(got) != 1 || got[0] != s || peertest.JS(d.Ev.Meta) != fmt.Sprintf(`{"correlation":%d}`, s) {
			t.Fatalf("answer %s meta %s tracks streams %v of peer 9, want [%d]", value.Encode(d.Ev.Value), peertest.JS(d.Ev.Meta), got, s)
		}
	}
	// StreamEnd of origin 1 writes what is pending and closes its connection only.
	last := peertest.Event(`{"bye":1}`, "")
	last.ID = runtime.EventID{Peer: 9, Stream: 1, Seq: 1}
	done := h.SendAsync(last)
	h.Signal(runtime.Signal{Kind: runtime.StreamEnd, Peer: 9, Stream: 1})
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := up[1].line(); got != `{"bye":1}` {
		t.Fatalf("origin 1's connection read %q", got)
	}
	up[1].eof()
	ev := peertest.Event(`{"still":2}`, "")
	ev.ID = runtime.EventID{Peer: 9, Stream: 2, Seq: 1}
	if err := h.Send(ev); err != nil {
		t.Fatal(err)
	}
	if got := up[2].line(); got != `{"still":2}` {
		t.Fatalf("origin 2's connection read %q", got)
	}
	// An origin without StreamStart connects lazily on its first event.
	lazy := peertest.Event(`{"lazy":3}`, "")
	lazy.ID = runtime.EventID{Peer: 9, Stream: 3}
	if err := h.Send(lazy); err != nil {
		t.Fatal(err)
	}
	if got := srv.accept().line(); got != `{"lazy":3}` {
		t.Fatalf("origin 3's connection read %q", got)
	}
}

func TestTCPClientPerStreamWaitsForItsConnection(t *testing.T) {
	addr := freeAddr(t)
	h := startClient(t, fmt.Sprintf(`{"url": "%s", "per_stream": true, "timeout": 5000}`, addr))
	h.Signal(runtime.Signal{Kind: runtime.StreamStart, Peer: 4, Stream: 1})
	ev := peertest.Event(`{"waits":1}`, "")
	ev.ID = runtime.EventID{Peer: 4, Stream: 1}
	done := h.SendAsync(ev)
	waitCB(t, h, false, 4, 1)
	srv := listen(t, addr)
	if got := srv.accept().line(); got != `{"waits":1}` {
		t.Fatalf("server read %q", got)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestTCPClientPerStreamLateAndOrphanEvents: with per_stream, an event of an ended stream or of
// no single stream is failed instead of opening a connection nothing would close; an aggregate
// of one stream goes to that stream's connection.
func TestTCPClientPerStreamLateAndOrphanEvents(t *testing.T) {
	srv := listen(t, "127.0.0.1:0")
	h := startClient(t, fmt.Sprintf(`{"url": "%s", "per_stream": true}`, srv.addr()))
	h.Signal(runtime.Signal{Kind: runtime.StreamStart, Peer: 9, Stream: 1})
	c := srv.accept()
	waitCB(t, h, true, 9, 1)
	agg := peertest.Event(`"agg"`, "")
	agg.Tracked = []runtime.IDRange{{Peer: 9, Stream: 1, Min: 0, Max: 3}}
	if err := h.Send(agg); err != nil {
		t.Fatal(err)
	}
	if l := c.line(); l != `"agg"` {
		t.Fatalf("upstream got %q", l)
	}
	orphan := peertest.Event(`"orphan"`, "")
	orphan.Tracked = []runtime.IDRange{{Peer: 9, Stream: 1}, {Peer: 9, Stream: 2}}
	if err := h.Send(orphan); err == nil || !strings.Contains(err.Error(), "no single stream") {
		t.Fatalf("an aggregate of two streams: %v", err)
	}
	h.Signal(runtime.Signal{Kind: runtime.StreamEnd, Peer: 9, Stream: 1})
	c.eof()
	late := peertest.Event(`"late"`, "")
	late.ID = runtime.EventID{Peer: 9, Stream: 1, Seq: 4}
	if err := h.Send(late); err == nil || !strings.Contains(err.Error(), "has ended") {
		t.Fatalf("an event of an ended stream: %v", err)
	}
}
