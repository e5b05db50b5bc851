package ws

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

// echoServer is a real WebSocket server on loopback that writes every message back on its
// connection, counts connections and reports closed ones.
type echoServer struct {
	t      *testing.T
	addr   string
	srv    *http.Server
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  map[*websocket.Conn]bool
	total  int
	closed chan struct{} // one value per connection that ended
	silent atomic.Bool   // read but never answer
	tls    *tls.Config   // serve wss:// with it (nil: ws://)
}

// startEcho starts an echo server on addr ("127.0.0.1:0" for any port) and stops it when the
// test ends.
func startEcho(t *testing.T, addr string) *echoServer {
	t.Helper()
	e := &echoServer{t: t, conns: map[*websocket.Conn]bool{}, closed: make(chan struct{}, 100)}
	e.listen(addr)
	t.Cleanup(e.stop)
	return e
}

func (e *echoServer) listen(addr string) {
	e.t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		e.t.Fatal(err)
	}
	e.addr = ln.Addr().String()
	if e.tls != nil {
		ln = tls.NewListener(ln, e.tls)
	}
	e.srv = &http.Server{Handler: http.HandlerFunc(e.serve)}
	srv := e.srv
	e.wg.Add(1)
	go func() { defer e.wg.Done(); srv.Serve(ln) }()
}

func (e *echoServer) serve(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	e.mu.Lock()
	e.conns[c] = true
	e.total++
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		delete(e.conns, c)
		e.mu.Unlock()
		c.CloseNow()
		e.closed <- struct{}{}
	}()
	for {
		typ, data, err := c.Read(context.Background())
		if err != nil {
			return
		}
		if e.silent.Load() {
			continue
		}
		if err := c.Write(context.Background(), typ, data); err != nil {
			return
		}
	}
}

// url is the server's ws:// URL.
func (e *echoServer) url() string {
	if e.tls != nil {
		return "wss://" + e.addr + "/echo"
	}
	return "ws://" + e.addr + "/echo"
}

// connections is how many connections the server accepted so far.
func (e *echoServer) connections() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.total
}

// stop closes the listener and every connection (going away) and waits for the handlers.
func (e *echoServer) stop() {
	if e.srv == nil {
		return
	}
	e.srv.Close()
	e.mu.Lock()
	var conns []*websocket.Conn
	for c := range e.conns {
		conns = append(conns, c)
	}
	e.mu.Unlock()
	for _, c := range conns {
		c.Close(websocket.StatusGoingAway, "test server stopping")
	}
	e.wg.Wait()
	e.srv = nil
}

// restart stops the server and listens again on the same address.
func (e *echoServer) restart() {
	e.stop()
	e.listen(e.addr)
}

// waitClosed waits until the server saw one more connection end.
func (e *echoServer) waitClosed() {
	e.t.Helper()
	select {
	case <-e.closed:
	case <-time.After(5 * time.Second):
		e.t.Fatal("timed out waiting for the echo server to see a connection close")
	}
}

// dial connects a test client and closes it when the test ends.
func dial(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	t.Cleanup(func() { c.CloseNow() })
	return c
}

// write sends one text message.
func write(t *testing.T, c *websocket.Conn, msg string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
		t.Fatalf("write: %v", err)
	}
}

// read waits for the next message (the connection is closed if none comes within 5 s).
func read(t *testing.T, c *websocket.Conn) (websocket.MessageType, string) {
	t.Helper()
	typ, data, err := readErr(c)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return typ, string(data)
}

func readErr(c *websocket.Conn) (websocket.MessageType, []byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.Read(ctx)
}

// readText is read for text messages.
func readText(t *testing.T, c *websocket.Conn) string {
	t.Helper()
	typ, s := read(t, c)
	if typ != websocket.MessageText {
		t.Fatalf("got a %v message %q, want text", typ, s)
	}
	return s
}

// closeStatus reads until the connection ends and returns the close status the other side sent.
func closeStatus(t *testing.T, c *websocket.Conn) websocket.StatusCode {
	t.Helper()
	for {
		_, _, err := readErr(c)
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatal("timed out waiting for the connection to close")
			}
			return websocket.CloseStatus(err)
		}
	}
}

// waitCB waits until the harness saw at least n circuit breaker reports equal to want.
func waitCB(t *testing.T, h *peertest.Harness, want peertest.CB, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := 0
		for _, cb := range h.CBs() {
			if cb == want {
				got++
			}
		}
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for circuit breaker report %+v (x%d); got %+v", want, n, h.CBs())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitSignal waits for a signal of the given kind (and stream, unless 0), skipping others.
func waitSignal(t *testing.T, h *peertest.Harness, kind runtime.SignalKind, stream uint64) runtime.Signal {
	t.Helper()
	for {
		s := h.NextSignal()
		if s.Kind == kind && (stream == 0 || s.Stream == stream) {
			return s
		}
	}
}

// next waits for the next event on port "out" and fails on an err event.
func next(t *testing.T, h *peertest.Harness) *runtime.Event {
	t.Helper()
	d := h.Next()
	if d.Port != "out" {
		t.Fatalf("got an event on %s: %s", d.Port, peertest.JS(d.Ev.Value))
	}
	return d.Ev
}
