package flow

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkFlowTCPToTCP measures events/s through tcp_server → pipeline (a filter and a
// projection) → tcp_client on loopback: one client writes b.N JSON lines, a plain TCP server at
// the end counts the lines that arrive.
//
//	go test ./runtime/flow -run x -bench FlowTCPToTCP -benchtime 200000x
func BenchmarkFlowTCPToTCP(b *testing.B) {
	dst, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer dst.Close()
	arrived := make(chan int, 1)
	go func() {
		c, err := dst.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		sc := bufio.NewScanner(c)
		n := 0
		for sc.Scan() {
			n++
			if n == b.N {
				arrived <- n
			}
		}
	}()
	r := deployBench(b, fmt.Sprintf(`
define flow f
flow
  define peer in_tcp from tcp_server with config = {"url": "127.0.0.1:0"} end;
  define peer out_tcp from tcp_client with config = {"url": "%s"} end;
  define pipeline p pipeline
    select {"host": event.host, "ms": event.ms, "slow": event.ms > 100} from in where event.level != "debug" into out;
  end;
  create peer in_tcp; create peer out_tcp; create pipeline p;
  connect /peer/in_tcp to /pipeline/p;
  connect /pipeline/p to /peer/out_tcp;
end;
deploy flow f;`, dst.Addr()))
	// Wait until the client is connected (its circuit breaker lets the source through).
	time.Sleep(100 * time.Millisecond)
	c, err := net.Dial("tcp", r.Addr("f", "in_tcp").String())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	line := `{"host": "web-1", "level": "info", "ms": 123, "path": "/api/v1/items", "status": 200}` + "\n"
	batch := strings.Repeat(line, 256)
	b.SetBytes(int64(len(line)))
	b.ResetTimer()
	start := time.Now()
	w := bufio.NewWriterSize(c, 64<<10)
	for i := 0; i < b.N; i += 256 {
		n := min(256, b.N-i)
		io.WriteString(w, batch[:n*len(line)])
	}
	w.Flush()
	select {
	case <-arrived:
	case <-time.After(60 * time.Second):
		b.Fatal("not every event arrived")
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
}

// BenchmarkFlowHTTPEcho measures the latency of an http_server → pipeline → http_server echo
// with 8 concurrent keep-alive clients; it reports p50 and p99 in microseconds and requests/s.
//
//	go test ./runtime/flow -run x -bench FlowHTTPEcho -benchtime 20000x
func BenchmarkFlowHTTPEcho(b *testing.B) {
	r := deployBench(b, `
define flow f
flow
  define peer api from http_server with config = {"url": "http://127.0.0.1:0"} end;
  define pipeline echo pipeline select {"said": event, "id": event_id()} from in into out; end;
  create peer api; create pipeline echo;
  connect /peer/api to /pipeline/echo;
  connect /pipeline/echo to /peer/api;
end;
deploy flow f;`)
	url := "http://" + r.Addr("f", "api").String() + "/"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	const workers = 8
	lat := make([]time.Duration, b.N)
	var next sync.Mutex
	i := 0
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				next.Lock()
				k := i
				i++
				next.Unlock()
				if k >= b.N {
					return
				}
				t0 := time.Now()
				res, err := client.Post(url, "application/json", strings.NewReader(`{"n": 1, "msg": "hello"}`))
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				lat[k] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	b.StopTimer()
	sort.Slice(lat, func(a, c int) bool { return lat[a] < lat[c] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(b.N)/el.Seconds(), "req/s")
}
