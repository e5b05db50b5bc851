package ws

import (
	"runtime"
	"strings"
	"testing"
	"time"

	rt "github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

// TestStopLeavesNoGoroutines runs both peers with open connections and checks that stopping
// them ends every goroutine of this package.
func TestStopLeavesNoGoroutines(t *testing.T) {
	t.Run("peers", func(t *testing.T) {
		e := startEcho(t, "127.0.0.1:0")
		srv := peertest.Start(t, ServerSpec, `{"url": "127.0.0.1:0"}`, peertest.Options{UID: 9})
		cl := peertest.Start(t, ClientSpec, `{"url": "`+e.url()+`"}`, peertest.Options{UID: 2})
		ps := peertest.Start(t, ClientSpec, `{"url": "`+e.url()+`", "per_stream": true}`, peertest.Options{UID: 3})
		dial(t, "ws://"+srv.Peer.(*Server).Addr().String())
		srv.NextSignal()
		waitCB(t, cl, cb(true, 0, 0), 1)
		ps.Signal(rt.Signal{Kind: rt.StreamStart, Peer: 9, Stream: 1})
		waitCB(t, ps, cb(true, 9, 1), 1)
	})
	deadline := time.Now().Add(5 * time.Second)
	for {
		buf := make([]byte, 1<<20)
		var left []string
		for i, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
			if i > 0 && (strings.Contains(g, "rill/runtime/peer/ws.") || strings.Contains(g, "coder/websocket")) {
				left = append(left, g)
			}
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("goroutines of the peers are still running:\n%s", strings.Join(left, "\n\n"))
		}
		time.Sleep(10 * time.Millisecond)
	}
}
