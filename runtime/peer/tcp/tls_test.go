package tcp

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

func TestTCPServerTLS(t *testing.T) {
	f := peertest.NewTLS(t)
	h, addr := startServer(t, `{"url": "127.0.0.1:0", "tls": `+f.Config(false)+`}`)

	tc, err := tls.Dial("tcp", addr, f.Client)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tc.Close() })
	c := &testConn{t: t, Conn: tc, r: bufio.NewReader(tc)}
	c.send(`{"a":1}` + "\n")
	d := h.Next()
	if d.Port != "out" || value.Encode(d.Ev.Value) != `{"a":1}` {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}
	ans := peertest.Event(`{"b":2}`, "")
	ans.ID = d.Ev.ID
	if err := h.Send(ans); err != nil {
		t.Fatal(err)
	}
	if got := c.line(); got != `{"b":2}` {
		t.Fatalf("client read %q", got)
	}

	// A plain client fails the handshake: nothing it sends becomes an event and it is hung up on.
	p := dial(t, addr)
	p.send(`{"plain":1}` + "\n")
	p.eof()
	h.None(50 * time.Millisecond)
}

func TestTCPClientTLS(t *testing.T) {
	f := peertest.NewTLS(t)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", f.Server)
	if err != nil {
		t.Fatal(err)
	}
	srv := serveOn(t, ln)
	h := startClient(t, fmt.Sprintf(`{"url": "tcp://%s", "tls": {"ca": %q}}`, srv.addr(), f.Cert))
	c := srv.accept()
	if err := c.Conn.(*tls.Conn).Handshake(); err != nil { // the client waits for it to open its stream
		t.Fatal(err)
	}
	stream := signal(t, h, runtime.StreamStart)
	waitCB(t, h, true, 0, 0)
	if err := h.Send(peertest.Event(`{"a":1}`, "")); err != nil {
		t.Fatal(err)
	}
	if got := c.line(); got != `{"a":1}` {
		t.Fatalf("server read %q", got)
	}
	c.send(`{"b":2}` + "\n")
	if d := h.Next(); d.Port != "out" || value.Encode(d.Ev.Value) != `{"b":2}` || d.Ev.ID.Stream != stream {
		t.Fatalf("got %s %s id %+v", d.Port, value.Encode(d.Ev.Value), d.Ev.ID)
	}
}

// A client that does not trust the server's certificate never connects: its sends fail.
func TestTCPClientTLSVerifiesServer(t *testing.T) {
	f := peertest.NewTLS(t)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", f.Server)
	if err != nil {
		t.Fatal(err)
	}
	srv := serveOn(t, ln)
	h := startClient(t, fmt.Sprintf(`{"url": "tcp://%s", "tls": {"server_name": "localhost"}}`, srv.addr()))
	c := srv.accept()
	c.eof() // the client aborts the handshake
	if err := h.Send(peertest.Event(`1`, "")); err == nil {
		t.Fatal("send over an unverified connection succeeded")
	}
	for _, cb := range h.CBs() {
		if cb.Open {
			t.Fatalf("circuit breaker opened: %+v", h.CBs())
		}
	}
}

func TestTCPTLSConfigErrors(t *testing.T) {
	f := peertest.NewTLS(t)
	for _, tc := range []struct{ spec, cfg, want string }{
		{"tcp_server", `{"url": "127.0.0.1:0", "tls": {"cert": "` + f.Cert + `"}}`, "config key `tls` of tcp_server: `tls.key` is required"},
		{"tcp_server", `{"url": "127.0.0.1:0", "tls": {"cert": "/nonexistent", "key": "` + f.Key + `"}}`, "`tls.cert`: cannot read"},
		{"tcp_client", `{"url": "127.0.0.1:1", "tls": {"insecure": true}}`, "config key `tls` of tcp_client: unknown key `tls.insecure`"},
		{"tcp_client", `{"url": "127.0.0.1:1", "tls": true}`, "config key `tls` of tcp_client must be a record"},
	} {
		spec := serverSpec
		if tc.spec == "tcp_client" {
			spec = clientSpec
		}
		cfg, err := config.Validate(tc.spec, value.MustDecodeJSON(tc.cfg), spec.Config)
		if err == nil {
			_, err = spec.New(cfg)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %s: got %v, want %q", tc.spec, tc.cfg, err, tc.want)
		}
	}
}
