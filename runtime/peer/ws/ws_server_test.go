package ws

import (
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

// startServer runs a ws_server on an ephemeral port and returns it with its ws:// URL.
func startServer(t *testing.T, extra string) (*peertest.Harness, string) {
	t.Helper()
	h := peertest.Start(t, ServerSpec, `{"url": "ws://127.0.0.1:0"`+extra+`}`, peertest.Options{})
	return h, "ws://" + h.Peer.(*Server).Addr().String()
}

// connect dials the server and returns the client with the stream id the server gave it.
func connect(t *testing.T, h *peertest.Harness, url string) (*websocket.Conn, uint64) {
	t.Helper()
	c := dial(t, url)
	s := h.NextSignal()
	if s.Kind != runtime.StreamStart || s.Peer != 1 || s.PeerName != "test" {
		t.Fatalf("got signal %+v, want a StartStream of peer 1", s)
	}
	return c, s.Stream
}

// peerOf returns the `$ws_server.peer` record of an event's meta.
func peerOf(t *testing.T, ev *runtime.Event) (string, int64) {
	t.Helper()
	m, _ := ev.Meta.AsRecord()
	ns, _ := m.Get("ws_server")
	nsr, _ := ns.AsRecord()
	p, _ := nsr.Get("peer")
	pr, ok := p.AsRecord()
	if !ok {
		t.Fatalf("meta %s has no ws_server.peer record", value.Encode(ev.Meta))
	}
	hv, _ := pr.Get("host")
	pv, _ := pr.Get("port")
	host, _ := hv.AsString()
	port, _ := pv.AsI64()
	return host, port
}

func TestServerMessagesAreEventsPerConnection(t *testing.T) {
	h, url := startServer(t, "")
	a, sa := connect(t, h, url+"/any/path")
	b, sb := connect(t, h, url)
	if sa == sb {
		t.Fatalf("both connections got stream %d", sa)
	}
	write(t, a, `{"a":1}`)
	write(t, a, `{"a":2}`)
	evA1, evA2 := next(t, h), next(t, h)
	write(t, b, `{"b":1}`)
	evB := next(t, h)
	for i, c := range []struct {
		ev     *runtime.Event
		val    string
		stream uint64
		seq    uint64
	}{{evA1, `{"a":1}`, sa, 0}, {evA2, `{"a":2}`, sa, 1}, {evB, `{"b":1}`, sb, 0}} {
		if got := peertest.JS(c.ev.Value); got != c.val {
			t.Errorf("event %d: value %s, want %s", i, got, c.val)
		}
		if c.ev.ID != (runtime.EventID{Peer: 1, Stream: c.stream, Seq: c.seq}) {
			t.Errorf("event %d: id %+v, want stream %d seq %d", i, c.ev.ID, c.stream, c.seq)
		}
	}
	hostA, portA := peerOf(t, evA1)
	hostB, portB := peerOf(t, evB)
	if hostA != "127.0.0.1" || hostB != "127.0.0.1" || portA <= 0 || portB <= 0 || portA == portB {
		t.Errorf("peers %s:%d and %s:%d, want two distinct loopback ports", hostA, portA, hostB, portB)
	}

	// Closing a connection ends its stream.
	a.Close(websocket.StatusNormalClosure, "")
	if s := h.NextSignal(); s.Kind != runtime.StreamEnd || s.Stream != sa {
		t.Fatalf("got signal %+v, want EndStream of stream %d", s, sa)
	}
}

func TestServerRoutesAnswersToTheirConnections(t *testing.T) {
	h, url := startServer(t, "")
	a, sa := connect(t, h, url)
	b, sb := connect(t, h, url)
	answer := func(val string, streams ...uint64) *runtime.Event {
		ev := peertest.Event(val, "")
		if len(streams) == 1 {
			ev.ID = runtime.EventID{Peer: 1, Stream: streams[0], Seq: 3}
			return ev
		}
		ev.ID = runtime.EventID{Peer: 50, Stream: 1, Seq: 1} // an aggregate made by a pipeline
		for _, s := range streams {
			ev.Track(&runtime.Event{ID: runtime.EventID{Peer: 1, Stream: s}})
		}
		return ev
	}
	if err := h.Send(answer(`"toA"`, sa)); err != nil {
		t.Fatal(err)
	}
	if err := h.Send(answer(`"toB"`, sb)); err != nil {
		t.Fatal(err)
	}
	if err := h.Send(answer(`"both"`, sa, sb)); err != nil {
		t.Fatal(err)
	}
	// Each client sees only its own answer, then the aggregate.
	for _, c := range []struct {
		conn *websocket.Conn
		want []string
	}{{a, []string{`"toA"`, `"both"`}}, {b, []string{`"toB"`, `"both"`}}} {
		for _, w := range c.want {
			if got := readText(t, c.conn); got != w {
				t.Fatalf("client got %s, want %s", got, w)
			}
		}
	}

	// `$ws_server.peer` names a connection explicitly: an event from nowhere goes to B, and an
	// answer to A redirected to B goes to B only.
	write(t, b, `"hello"`)
	metaB := value.Encode(next(t, h).Meta)
	if err := h.Send(peertest.Event(`"named"`, metaB)); err != nil {
		t.Fatal(err)
	}
	redirected := answer(`"redirected"`, sa)
	redirected.Meta = value.MustDecodeJSON(metaB)
	if err := h.Send(redirected); err != nil {
		t.Fatal(err)
	}
	if err := h.Send(answer(`"marker"`, sa)); err != nil {
		t.Fatal(err)
	}
	if got := readText(t, b); got != `"named"` {
		t.Fatalf("B got %s, want \"named\"", got)
	}
	if got := readText(t, b); got != `"redirected"` {
		t.Fatalf("B got %s, want \"redirected\"", got)
	}
	if got := readText(t, a); got != `"marker"` {
		t.Fatalf("A got %s, want the marker (the redirected answer went to B only)", got)
	}

	// No target, or a closed one: the event fails.
	if err := h.Send(peertest.Event(`"lost"`, "")); err == nil || !strings.Contains(err.Error(), "no connection") {
		t.Errorf("event without origin: got %v, want a 'no connection' failure", err)
	}
	if err := h.Send(peertest.Event(`1`, `{"ws_server": {"peer": "nope"}}`)); err == nil || !strings.Contains(err.Error(), "$ws_server.peer must be") {
		t.Errorf("malformed $ws_server.peer: got %v", err)
	}
	b.Close(websocket.StatusNormalClosure, "")
	waitSignal(t, h, runtime.StreamEnd, sb)
	if err := h.Send(answer(`"late"`, sb)); err == nil || !strings.Contains(err.Error(), "no open connection") {
		t.Errorf("answer to a closed connection: got %v, want a 'no open connection' failure", err)
	}
	if err := h.Send(peertest.Event(`"late"`, metaB)); err == nil || !strings.Contains(err.Error(), "no open connection") {
		t.Errorf("event naming a closed connection: got %v", err)
	}
	// An aggregate with one connection still open reaches it.
	if err := h.Send(answer(`"half"`, sa, sb)); err != nil {
		t.Fatal(err)
	}
	if got := readText(t, a); got != `"half"` {
		t.Fatalf("A got %s", got)
	}
	if n := h.Host.Metrics().Send.Load(); n != 8 {
		t.Errorf("send metric %d, want 8", n)
	}
}

func TestServerBadJSONIsAnErrorEventAndTheConnectionGoesOn(t *testing.T) {
	h, url := startServer(t, "")
	a, sa := connect(t, h, url)
	write(t, a, "not json")
	d := h.Next()
	if d.Port != "err" || d.Ev.ID.Stream != sa {
		t.Fatalf("got %s event %s on stream %d, want an err event of stream %d", d.Port, peertest.JS(d.Ev.Value), d.Ev.ID.Stream, sa)
	}
	rec, _ := d.Ev.Value.AsRecord()
	raw, _ := rec.Get("raw")
	if s, _ := raw.AsString(); s != "bm90IGpzb24=" {
		t.Errorf("err event %s lacks the raw bytes", peertest.JS(d.Ev.Value))
	}
	if err := a.Write(t.Context(), websocket.MessageBinary, []byte(`{"ok":1}`)); err != nil {
		t.Fatal(err)
	}
	if ev := next(t, h); peertest.JS(ev.Value) != `{"ok":1}` || ev.ID.Stream != sa {
		t.Fatalf("got %s on stream %d after the bad message", peertest.JS(ev.Value), ev.ID.Stream)
	}
}

func TestServerMaxMessageClosesTheConnection(t *testing.T) {
	h, url := startServer(t, `, "max_message": 16`)
	a, sa := connect(t, h, url)
	write(t, a, `"0123456789abcd"`) // 16 bytes: allowed
	if ev := next(t, h); peertest.JS(ev.Value) != `"0123456789abcd"` {
		t.Fatalf("got %s", peertest.JS(ev.Value))
	}
	write(t, a, `"0123456789abcde"`) // 17 bytes
	d := h.Next()
	if d.Port != "err" || !strings.Contains(peertest.JS(d.Ev.Value), "max_message") {
		t.Fatalf("got %s event %s, want an err event about max_message", d.Port, peertest.JS(d.Ev.Value))
	}
	if st := closeStatus(t, a); st != websocket.StatusMessageTooBig {
		t.Errorf("close status %v, want %v", st, websocket.StatusMessageTooBig)
	}
	waitSignal(t, h, runtime.StreamEnd, sa)
}

func TestServerBinaryAnswers(t *testing.T) {
	h, url := startServer(t, `, "binary": true`)
	a, sa := connect(t, h, url)
	ev := peertest.Event(`{"x":1}`, "")
	ev.ID = runtime.EventID{Peer: 1, Stream: sa}
	if err := h.Send(ev); err != nil {
		t.Fatal(err)
	}
	if typ, s := read(t, a); typ != websocket.MessageBinary || s != `{"x":1}` {
		t.Fatalf("got a %v message %q, want binary {\"x\":1}", typ, s)
	}
}

func TestServerStopClosesConnectionsGoingAway(t *testing.T) {
	h, url := startServer(t, "")
	a, sa := connect(t, h, url)
	done := make(chan websocket.StatusCode, 1)
	go func() {
		for {
			if _, _, err := readErr(a); err != nil {
				done <- websocket.CloseStatus(err)
				return
			}
		}
	}()
	h.Stop()
	if st := <-done; st != websocket.StatusGoingAway {
		t.Errorf("close status %v, want %v", st, websocket.StatusGoingAway)
	}
	waitSignal(t, h, runtime.StreamEnd, sa)
}

func TestServerConfigErrors(t *testing.T) {
	for _, c := range []struct{ cfg, want string }{
		{`{"url": "ws://127.0.0.1"}`, "`url`"},
		{`{"url": "wss://127.0.0.1:8080"}`, "needs config key `tls`"},
		{`{"url": "ftp://127.0.0.1:8080"}`, "scheme"},
		{`{"url": "127.0.0.1:http"}`, "port"},
		{`{"url": "nonsense"}`, "`url`"},
		{`{"url": "127.0.0.1:0", "max_message": 0}`, "`max_message`"},
	} {
		cfg, err := config.Validate("ws_server", value.MustDecodeJSON(c.cfg), ServerSpec.Config)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ServerSpec.New(cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error about %s", c.cfg, err, c.want)
		}
	}
	for _, u := range []string{"127.0.0.1:0", "ws://127.0.0.1:0/some/path", "http://localhost:8080"} {
		cfg, _ := config.Validate("ws_server", value.MustDecodeJSON(`{"url": "`+u+`"}`), ServerSpec.Config)
		if _, err := ServerSpec.New(cfg); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
}
