package ws

import (
	"context"
	"crypto/tls"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

// dialTLS connects a test client trusting the test certificate.
func dialTLS(t *testing.T, url string, cfg *tls.Config) (*websocket.Conn, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	tr := &http.Transport{TLSClientConfig: cfg}
	defer tr.CloseIdleConnections()
	c, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPClient: &http.Client{Transport: tr}})
	if err == nil {
		t.Cleanup(func() { c.CloseNow() })
	}
	return c, err
}

func TestServerWSS(t *testing.T) {
	f := peertest.NewTLS(t)
	h := peertest.Start(t, ServerSpec, `{"url": "wss://127.0.0.1:0", "tls": `+f.Config(false)+`}`, peertest.Options{})
	addr := h.Peer.(*Server).Addr().String()
	c, err := dialTLS(t, "wss://"+addr+"/x", f.Client)
	if err != nil {
		t.Fatal(err)
	}
	write(t, c, `{"a":1}`)
	ev := next(t, h)
	if peertest.JS(ev.Value) != `{"a":1}` {
		t.Fatalf("got %s", peertest.JS(ev.Value))
	}
	ans := peertest.Event(`{"b":2}`, "")
	ans.ID = ev.ID
	if err := h.Send(ans); err != nil {
		t.Fatal(err)
	}
	if got := readText(t, c); got != `{"b":2}` {
		t.Fatalf("client read %q", got)
	}

	// A plain ws:// client and a client that does not trust the certificate both fail.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if c, _, err := websocket.Dial(ctx, "ws://"+addr+"/x", nil); err == nil {
		c.CloseNow()
		t.Fatal("a plain client connected to a wss server")
	}
	if _, err := dialTLS(t, "wss://"+addr+"/x", &tls.Config{MinVersion: tls.VersionTLS12}); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("untrusting client: %v", err)
	}
}

func TestClientWSS(t *testing.T) {
	f := peertest.NewTLS(t)
	e := &echoServer{t: t, conns: map[*websocket.Conn]bool{}, closed: make(chan struct{}, 100), tls: f.Server}
	e.listen("127.0.0.1:0")
	t.Cleanup(e.stop)
	h := startClient(t, `{"url": "`+e.url()+`", "tls": {"ca": "`+f.Cert+`"}}`)
	s := waitSignal(t, h, runtime.StreamStart, 0)
	waitCB(t, h, cb(true, 0, 0), 1)
	if err := h.Send(peertest.Event(`{"x":1}`, "")); err != nil {
		t.Fatal(err)
	}
	if ev := next(t, h); peertest.JS(ev.Value) != `{"x":1}` || ev.ID.Stream != s.Stream {
		t.Fatalf("got %s with id %+v", peertest.JS(ev.Value), ev.ID)
	}
}

// Without `tls.ca` the system roots do not know the test certificate: the client never connects.
func TestClientWSSVerifiesServer(t *testing.T) {
	f := peertest.NewTLS(t)
	e := &echoServer{t: t, conns: map[*websocket.Conn]bool{}, closed: make(chan struct{}, 100), tls: f.Server}
	e.listen("127.0.0.1:0")
	t.Cleanup(e.stop)
	h := startClient(t, `{"url": "`+e.url()+`", "timeout": 500}`)
	if err := h.Send(peertest.Event(`1`, "")); err == nil {
		t.Fatal("send to an unverified server succeeded")
	}
	h.None(100 * time.Millisecond)
	if n := e.connections(); n != 0 {
		t.Fatalf("%d connections", n)
	}
}

func TestTLSConfigErrors(t *testing.T) {
	f := peertest.NewTLS(t)
	for _, c := range []struct {
		client    bool
		cfg, want string
	}{
		{false, `{"url": "ws://127.0.0.1:0", "tls": ` + f.Config(false) + `}`, "a wss:// url is expected when config key `tls` is set"},
		{false, `{"url": "wss://127.0.0.1:0", "tls": {"key": "` + f.Key + `"}}`, "config key `tls` of ws_server: `tls.cert` is required"},
		{false, `{"url": "wss://127.0.0.1:0", "tls": {"cert": "` + f.Cert + `", "key": "/nonexistent"}}`, "`tls.key`: cannot read"},
		{true, `{"url": "wss://127.0.0.1:1", "tls": {"ca": 1}}`, "config key `tls` of ws_client: `tls.ca` must be a non-empty string"},
		{true, `{"url": "wss://127.0.0.1:1", "tls": {"sni": "x"}}`, "unknown key `tls.sni`"},
	} {
		spec := ServerSpec
		if c.client {
			spec = ClientSpec
		}
		cfg, err := config.Validate(spec.Name, value.MustDecodeJSON(c.cfg), spec.Config)
		if err == nil {
			_, err = spec.New(cfg)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.cfg, err, c.want)
		}
	}
}
