package runtime

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/rillstream/rill/interp/value"
)

// eventLines builds n JSON lines of about 90 bytes, as a file of events would hold them.
func eventLines(n int) []byte {
	hosts := []string{"web-01", "web-02", "db-01", "cache-07"}
	levels := []string{"info", "warn", "error"}
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `{"host":"%s","level":"%s","ms":%d,"path":"/api/v1/items/%d","ok":%t}`+"\n",
			hosts[i%len(hosts)], levels[i%len(levels)], i%250, i%10000, i%7 != 0)
	}
	return b.Bytes()
}

// runThroughput streams the lines through the query as `rill run` does — decode a line, enqueue it
// into `in`, encode every output — into io.Discard, and reports events/s and MB/s of input. One
// goroutine: the numbers are per core.
func runThroughput(b *testing.B, query string, n int) {
	g, err := compileQuery(b, "bench.trickle", query)
	if err != nil {
		b.Fatal(err)
	}
	data := eventLines(n)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		p := NewPipeline(g)
		sc := bufio.NewScanner(bytes.NewReader(data))
		out := bufio.NewWriter(io.Discard)
		var buf []byte
		var ns uint64
		for sc.Scan() {
			v, err := value.DecodeJSON(sc.Bytes())
			if err != nil {
				b.Fatal(err)
			}
			outs, err := p.Enqueue("in", NewEvent(v, ns))
			if err != nil {
				b.Fatal(err)
			}
			for _, o := range outs {
				buf = value.AppendEncode(buf[:0], o.Event.Value)
				buf = append(buf, '\n')
				out.Write(buf)
			}
			ns++
		}
		out.Flush()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkFilter1M: 1,000,000 events of ~90 bytes through a where-filter select (target:
// ≥ 500,000 events/s on one core). Run: go test ./runtime -run x -bench Filter1M -benchtime 1x
func BenchmarkFilter1M(b *testing.B) {
	runThroughput(b, `select {"host": event.host, "ms": event.ms, "path": event.path}
from in where event.ms > 100 and event.level != "info" into out;`, 1_000_000)
}

// BenchmarkWindow1M: the same events through a 1,000-event tumbling window grouped by host with
// three aggregates. Run: go test ./runtime -run x -bench Window1M -benchtime 1x
func BenchmarkWindow1M(b *testing.B) {
	runThroughput(b, `define window w from tumbling with size = 1000 end;
select {"host": group[0], "n": aggr::stats::count(), "mean": aggr::stats::mean(event.ms), "max": aggr::stats::max(event.ms)}
from in[w] group by event.host into out;`, 1_000_000)
}
