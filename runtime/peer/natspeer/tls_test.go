package natspeer

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

// TestNatsTLS: with `tls` naming the CA, a nats peer subscribes over TLS; a peer without it
// never connects to the TLS-only server; a bad record is a config error.
func TestNatsTLS(t *testing.T) {
	files := peertest.NewTLS(t)
	opts := &server.Options{Host: "127.0.0.1", Port: -1, NoLog: true, NoSigs: true,
		TLS: true, TLSConfig: files.Server, TLSTimeout: 2}
	s, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	go s.Start()
	if !s.ReadyForConnections(5 * time.Second) {
		t.Fatal("nats server not ready")
	}
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	url := fmt.Sprintf("nats://127.0.0.1:%d", serverPort(s))

	h := startNats(t, fmt.Sprintf(`{"url": %q, "subjects": ["tls.in"], "tls": {"ca": %q}}`, url, files.Cert), 1)
	waitInterest(t, s, "tls.in", 1)
	nc, err := nats.Connect(url, nats.Secure(files.Client))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := nc.Publish("tls.in", []byte(`{"secure": true}`)); err != nil {
		t.Fatal(err)
	}
	if d := h.Next(); d.Port != "out" || value.Encode(d.Ev.Value) != `{"secure":true}` {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}

	plain := startNats(t, fmt.Sprintf(`{"url": %q, "subject": "tls.out"}`, url), 2)
	time.Sleep(200 * time.Millisecond)
	for _, cb := range plain.CBs() {
		if cb.Open {
			t.Fatal("a plain peer connected to a TLS-only server")
		}
	}

	cfg, err := config.Validate("peer type `nats`", value.MustDecodeJSON(fmt.Sprintf(`{"url": %q, "tls": {"cert": %q}}`, url, files.Cert)), NatsSpec.Config)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NatsSpec.New(cfg); err == nil ||
		!strings.Contains(err.Error(), "config key `tls` of nats") {
		t.Fatalf("a client certificate without its key: %v", err)
	}
}
