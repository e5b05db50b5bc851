package tcp

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

// testConn is a test's end of a TCP connection.
type testConn struct {
	t testing.TB
	net.Conn
	r *bufio.Reader
}

func dial(t testing.TB, addr string) *testConn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &testConn{t: t, Conn: c, r: bufio.NewReader(c)}
}

func (c *testConn) send(s string) {
	c.t.Helper()
	if _, err := c.Write([]byte(s)); err != nil {
		c.t.Fatal(err)
	}
}

// line reads one line (without its newline), failing after 5 s.
func (c *testConn) line() string {
	c.t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	l, err := c.r.ReadString('\n')
	if err != nil {
		c.t.Fatalf("reading a line: %v (got %q)", err, l)
	}
	return strings.TrimSuffix(l, "\n")
}

// nothing asserts that nothing arrives within d.
func (c *testConn) nothing(d time.Duration) {
	c.t.Helper()
	c.SetReadDeadline(time.Now().Add(d))
	l, err := c.r.ReadString('\n')
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		c.t.Fatalf("expected nothing, read %q (%v)", l, err)
	}
}

// eof asserts that the other end closes the connection.
func (c *testConn) eof() {
	c.t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	l, err := c.r.ReadString('\n')
	if err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		c.t.Fatalf("expected the connection to close, read %q (%v)", l, err)
	}
}

func (c *testConn) port() int { return c.LocalAddr().(*net.TCPAddr).Port }

func startServer(t testing.TB, cfg string) (*peertest.Harness, string) {
	t.Helper()
	if cfg == "" {
		cfg = `{"url": "127.0.0.1:0"}`
	}
	h := peertest.Start(t, serverSpec, cfg, peertest.Options{})
	return h, h.Peer.(*Server).Addr().String()
}

func signal(t *testing.T, h *peertest.Harness, kind runtime.SignalKind) uint64 {
	t.Helper()
	s := h.NextSignal()
	if s.Kind != kind || s.Peer != 1 {
		t.Fatalf("expected %s of peer 1, got %+v", kind, s)
	}
	return s.Stream
}

func TestTCPServerStreamsPerConnection(t *testing.T) {
	h, addr := startServer(t, "")
	a := dial(t, addr)
	sa := signal(t, h, runtime.StreamStart)
	b := dial(t, addr)
	sb := signal(t, h, runtime.StreamStart)
	if sa == sb {
		t.Fatalf("both connections got stream %d", sa)
	}
	for i := range 3 {
		a.send(fmt.Sprintf("{\"c\":\"a\",\"i\":%d}\n", i))
		b.send(fmt.Sprintf("{\"c\":\"b\",\"i\":%d}\n", i))
	}
	next := map[uint64]uint64{}
	for range 6 {
		d := h.Next()
		if d.Port != "out" {
			t.Fatalf("%s event %s", d.Port, value.Encode(d.Ev.Value))
		}
		id := d.Ev.ID
		who, port := "a", a.port()
		if id.Stream == sb {
			who, port = "b", b.port()
		} else if id.Stream != sa {
			t.Fatalf("event of unknown stream %d", id.Stream)
		}
		want := fmt.Sprintf(`{"c":"%s","i":%d}`, who, next[id.Stream])
		if got := value.Encode(d.Ev.Value); got != want || id.Seq != next[id.Stream] || id.Peer != 1 {
			t.Fatalf("got %s with id %+v, want %s seq %d", got, id, want, next[id.Stream])
		}
		wantMeta := fmt.Sprintf(`{"tcp_server":{"peer":{"host":"127.0.0.1","port":%d}}}`, port)
		if got := peertest.JS(d.Ev.Meta); got != wantMeta {
			t.Fatalf("meta %s, want %s", got, wantMeta)
		}
		next[id.Stream]++
	}
	a.Close()
	if got := signal(t, h, runtime.StreamEnd); got != sa {
		t.Fatalf("EndStream of %d, want %d", got, sa)
	}
	b.send(`{"still":"here"}` + "\n")
	if d := h.Next(); d.Ev.ID.Stream != sb || value.Encode(d.Ev.Value) != `{"still":"here"}` {
		t.Fatalf("got %s on stream %d", value.Encode(d.Ev.Value), d.Ev.ID.Stream)
	}
}

func TestTCPServerReassemblesPartialLines(t *testing.T) {
	h, addr := startServer(t, "")
	c := dial(t, addr)
	c.send(`{"x":[1,`)
	h.None(50 * time.Millisecond)
	c.send("2]}\n{\"y\"")
	if d := h.Next(); value.Encode(d.Ev.Value) != `{"x":[1,2]}` {
		t.Fatalf("got %s", value.Encode(d.Ev.Value))
	}
	c.send(":3}\n")
	if d := h.Next(); value.Encode(d.Ev.Value) != `{"y":3}` || d.Ev.ID.Seq != 1 {
		t.Fatalf("got %s seq %d", value.Encode(d.Ev.Value), d.Ev.ID.Seq)
	}
}

func TestTCPServerBadLineBecomesErrEvent(t *testing.T) {
	h, addr := startServer(t, "")
	c := dial(t, addr)
	c.send("not json\n{\"ok\":1}\n")
	d := h.Next()
	rec, _ := d.Ev.Value.AsRecord()
	raw, _ := rec.Get("raw")
	if d.Port != "err" || raw.String() != `"bm90IGpzb24="` {
		t.Fatalf("got %s event %s", d.Port, value.Encode(d.Ev.Value))
	}
	if d := h.Next(); d.Port != "out" || value.Encode(d.Ev.Value) != `{"ok":1}` {
		t.Fatalf("got %s event %s", d.Port, value.Encode(d.Ev.Value))
	}
}

func TestTCPServerLastLineWithoutNewlineOnClose(t *testing.T) {
	h, addr := startServer(t, "")
	c := dial(t, addr)
	c.send(`{"last":true}`)
	c.Close()
	if d := h.Next(); value.Encode(d.Ev.Value) != `{"last":true}` {
		t.Fatalf("got %s", value.Encode(d.Ev.Value))
	}
}

func TestTCPServerRoutesAnswers(t *testing.T) {
	h, addr := startServer(t, "")
	a := dial(t, addr)
	b := dial(t, addr)
	a.send(`{"from":"a"}` + "\n")
	evA := h.Next().Ev
	b.send(`{"from":"b"}` + "\n")
	evB := h.Next().Ev

	// An answer derived from A's event goes to A only.
	ans := *evA
	ans.Value = value.MustDecodeJSON(`{"to":"a"}`)
	if err := h.Send(&ans); err != nil {
		t.Fatal(err)
	}
	if got := a.line(); got != `{"to":"a"}` {
		t.Fatalf("A read %q", got)
	}
	b.nothing(50 * time.Millisecond)

	// An aggregate tracking both goes to both.
	agg := peertest.Event(`{"to":"both"}`, "")
	agg.ID = runtime.EventID{Peer: 1, Stream: 0, Seq: 7}
	agg.Track(evA)
	agg.Track(evB)
	if err := h.Send(agg); err != nil {
		t.Fatal(err)
	}
	if a.line() != `{"to":"both"}` || b.line() != `{"to":"both"}` {
		t.Fatal("the aggregate did not reach both connections")
	}

	// `$tcp_server.peer` names a connection explicitly.
	named := peertest.Event(`{"to":"b"}`, fmt.Sprintf(`{"tcp_server":{"peer":{"host":"127.0.0.1","port":%d}}}`, b.port()))
	named.ID = runtime.EventID{Peer: 42, Stream: 3}
	if err := h.Send(named); err != nil {
		t.Fatal(err)
	}
	if got := b.line(); got != `{"to":"b"}` {
		t.Fatalf("B read %q", got)
	}
	a.nothing(50 * time.Millisecond)

	// An event from elsewhere has no target.
	other := peertest.Event(`{"to":"nobody"}`, "")
	other.ID = runtime.EventID{Peer: 42, Stream: 3}
	if err := h.Send(other); err == nil || !strings.Contains(err.Error(), "no open connection of peer `test`") {
		t.Fatalf("expected a fail, got %v", err)
	}

	// An answer to a closed connection fails; the aggregate still reaches B.
	a.Close()
	for s := h.NextSignal(); s.Kind != runtime.StreamEnd; s = h.NextSignal() {
	}
	if err := h.Send(&ans); err == nil {
		t.Fatal("an answer to a closed connection was acked")
	}
	if err := h.Send(agg); err != nil {
		t.Fatal(err)
	}
	if got := b.line(); got != `{"to":"both"}` {
		t.Fatalf("B read %q", got)
	}
	if n := h.Host.Metrics().Send.Load(); n != 5 {
		t.Errorf("send metric %d, want 5", n)
	}
}

func TestTCPServerMaxConnections(t *testing.T) {
	h, addr := startServer(t, `{"url": "tcp://127.0.0.1:0", "max_connections": 1}`)
	a := dial(t, addr)
	signal(t, h, runtime.StreamStart)
	b := dial(t, addr)
	b.eof()
	a.send(`{"a":1}` + "\n")
	if d := h.Next(); value.Encode(d.Ev.Value) != `{"a":1}` {
		t.Fatalf("got %s", value.Encode(d.Ev.Value))
	}
	a.Close()
	signal(t, h, runtime.StreamEnd)
	c := dial(t, addr)
	signal(t, h, runtime.StreamStart)
	c.send(`{"c":1}` + "\n")
	if d := h.Next(); value.Encode(d.Ev.Value) != `{"c":1}` {
		t.Fatalf("got %s", value.Encode(d.Ev.Value))
	}
}

func TestTCPServerStopEndsStreams(t *testing.T) {
	h, addr := startServer(t, "")
	c := dial(t, addr)
	s := signal(t, h, runtime.StreamStart)
	h.Stop()
	if got := signal(t, h, runtime.StreamEnd); got != s {
		t.Fatalf("EndStream of %d, want %d", got, s)
	}
	c.eof()
}

func TestTCPConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		spec string
		cfg  string
		want string
	}{
		{"tcp_server", `{"url": "http://127.0.0.1:1"}`, "scheme"},
		{"tcp_server", `{"url": "127.0.0.1"}`, "host:port"},
		{"tcp_server", `{"url": "127.0.0.1:99999"}`, "port number"},
		{"tcp_server", `{"url": ":1", "buf_size": 0}`, "buf_size"},
		{"tcp_server", `{"url": ":1", "max_connections": -1}`, "max_connections"},
		{"tcp_client", `{"url": ":4242"}`, "host"},
		{"tcp_client", `{"url": "tcp://127.0.0.1:0"}`, "port other than 0"},
	} {
		spec := serverSpec
		if tc.spec == "tcp_client" {
			spec = clientSpec
		}
		cfg, err := config.Validate(tc.spec, value.MustDecodeJSON(tc.cfg), spec.Config)
		if err == nil {
			_, err = spec.New(cfg)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "config key") {
			t.Errorf("%s %s: got %v, want an error about %s", tc.spec, tc.cfg, err, tc.want)
		}
	}
}

// TestTCPServerWriteTimeout: a client that stops reading does not block the sink for longer than
// write_timeout; its connection is closed and the event failed.
func TestTCPServerWriteTimeout(t *testing.T) {
	h, addr := startServer(t, `{"url": "127.0.0.1:0", "write_timeout": 100}`)
	c := dial(t, addr)
	c.send("1\n")
	first := h.Next().Ev
	big := runtime.NewEvent(value.NewString(strings.Repeat("x", 256<<10)), 1)
	big.ID = first.ID
	for i := 0; ; i++ {
		start := time.Now()
		err := h.Send(big)
		if err != nil {
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("the failing write took %s", d)
			}
			break
		}
		if i == 2000 {
			t.Fatal("500 MiB written to a client that does not read: no write timeout")
		}
	}
	if err := h.Send(big); err == nil {
		t.Error("the connection stays usable after its write timed out")
	}
}
