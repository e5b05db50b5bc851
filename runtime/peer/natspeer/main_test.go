package natspeer

import (
	"net"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/rillstream/rill/runtime/peer/peertest"
)

// TestMain fails the package when a goroutine running this package's code outlives the tests:
// Stop must wait for every reader, request and confirmation of its peer.
func TestMain(m *testing.M) { peertest.MainCheckingLeaks(m, "runtime/peer/natspeer") }

// startServer runs an in-process NATS server on 127.0.0.1 (port -1: a free one; JetStream
// stored in dir when dir is not "") until the test ends.
func startServer(t testing.TB, port int, dir string) *server.Server {
	t.Helper()
	opts := &server.Options{Host: "127.0.0.1", Port: port, NoLog: true, NoSigs: true}
	if dir != "" {
		opts.JetStream = true
		opts.StoreDir = dir
	}
	s, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	go s.Start()
	if !s.ReadyForConnections(5 * time.Second) {
		t.Fatal("nats server not ready")
	}
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	return s
}

// serverPort is the port a started server listens on.
func serverPort(s *server.Server) int { return s.Addr().(*net.TCPAddr).Port }

// client connects a plain nats.go client, closed when the test ends.
func client(t testing.TB, s *server.Server) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(s.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// waitInterest waits until the server has n subscriptions matching subject (the peer's
// subscriptions are sent asynchronously).
func waitInterest(t testing.TB, s *server.Server, subject string, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for s.GlobalAccount().Interest(subject) < n {
		if time.Now().After(deadline) {
			t.Fatalf("no subscription on %q after 5 s", subject)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitCB waits until the last circuit breaker report of h is open (or closed).
func waitCB(t testing.TB, h *peertest.Harness, open bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		cbs := h.CBs()
		if len(cbs) > 0 && cbs[len(cbs)-1].Open == open {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("circuit breaker not open=%v after 10 s: %v", open, cbs)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitFor polls cond until it holds (failing after 10 s, saying what).
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
