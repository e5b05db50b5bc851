package tcp

import (
	"bufio"
	"net"
	"testing"

	"github.com/rillstream/rill/runtime"
)

// BenchmarkTCPServerLines measures how many events a tcp_server delivers (read, split into lines,
// JSON-decoded, numbered) from one client writing JSON lines as fast as it can.
func BenchmarkTCPServerLines(b *testing.B) {
	h, addr := startServer(b, "")
	line := []byte(`{"id":12345,"name":"rill","tags":["a","b"],"value":3.25,"ok":true,"nested":{"x":1,"y":[1,2,3]}}` + "\n")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if s := h.NextSignal(); s.Kind != runtime.StreamStart {
		b.Fatalf("got %+v", s)
	}
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	b.ResetTimer()
	werr := make(chan error, 1)
	go func() {
		w := bufio.NewWriterSize(c, 64<<10)
		for i := 0; i < b.N; i++ {
			if _, err := w.Write(line); err != nil {
				werr <- err
				return
			}
		}
		werr <- w.Flush()
	}()
	for got := 0; got < b.N; {
		select {
		case d := <-h.Events:
			if d.Port != "out" {
				b.Fatalf("%s event at %d", d.Port, got)
			}
			got++
		case err := <-werr:
			if err != nil {
				b.Fatal(err)
			}
			werr = nil
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
