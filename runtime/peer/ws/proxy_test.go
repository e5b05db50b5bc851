package ws

import (
	"fmt"
	"sync"
	"testing"

	"github.com/coder/websocket"

	"github.com/rillstream/rill/runtime/peer/peertest"
)

// TestProxyAnswersReturnToTheirClients wires a ws_server to a per_stream ws_client by hand (what
// a flow with an identity pipeline each way does): every client of the server gets its own
// upstream connection to an echo server, and gets back exactly its own messages.
func TestProxyAnswersReturnToTheirClients(t *testing.T) {
	e := startEcho(t, "127.0.0.1:0")
	front := peertest.Start(t, ServerSpec, `{"url": "127.0.0.1:0"}`, peertest.Options{UID: 9, Alias: "front"})
	up := peertest.Start(t, ClientSpec, `{"url": "`+e.url()+`", "per_stream": true}`, peertest.Options{UID: 2, Alias: "up"})

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case d := <-front.Events:
				if d.Port == "out" {
					up.SendAsync(d.Ev) // the event keeps its id: its origin is (9, stream)
				}
			case sig := <-front.Sigs:
				up.Signal(sig)
			case d := <-up.Events:
				if d.Port == "out" {
					front.SendAsync(d.Ev)
				}
			case <-stop:
				return
			}
		}
	}()
	t.Cleanup(func() { close(stop); wg.Wait() }) // runs before the harnesses stop

	url := "ws://" + front.Peer.(*Server).Addr().String()
	a, b := dial(t, url), dial(t, url)
	const n = 5
	for i := range n {
		write(t, a, fmt.Sprintf(`{"from":"a","n":%d}`, i))
		write(t, b, fmt.Sprintf(`{"from":"b","n":%d}`, i))
	}
	for _, c := range []struct {
		name string
		conn *websocket.Conn
	}{{"a", a}, {"b", b}} {
		for i := range n {
			want := fmt.Sprintf(`{"from":"%s","n":%d}`, c.name, i)
			if got := readText(t, c.conn); got != want {
				t.Fatalf("client %s got %s, want %s", c.name, got, want)
			}
		}
	}
	if got := e.connections(); got != 2 {
		t.Errorf("the echo server saw %d upstream connections, want 2", got)
	}

	// A client that leaves closes its upstream connection; the other goes on.
	a.Close(websocket.StatusNormalClosure, "")
	e.waitClosed()
	write(t, b, `"still here"`)
	if got := readText(t, b); got != `"still here"` {
		t.Fatalf("client b got %s", got)
	}
}
