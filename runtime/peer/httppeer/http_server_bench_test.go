package httppeer

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rillstream/rill/runtime/peer/peertest"
)

// BenchmarkHTTPServerEcho measures request latency through http_server: concurrent keep-alive
// clients POST a small JSON body, a goroutine sends every delivered event straight back to the
// sink (an echo pipeline without the pipeline), and the benchmark reports p50/p99 latency and
// requests per second.
func BenchmarkHTTPServerEcho(b *testing.B) {
	h := peertest.Start(b, ServerSpec, `{"url": "http://127.0.0.1:0"}`, peertest.Options{})
	srv := h.Peer.(*Server)
	url := "http://" + srv.Addr().String() + "/echo"
	stop := make(chan struct{})
	var bg sync.WaitGroup
	bg.Add(2)
	go func() { // echo
		defer bg.Done()
		for {
			select {
			case d := <-h.Events:
				srv.Send("in", d.Ev, func(error) {})
			case <-stop:
				return
			}
		}
	}()
	go func() { // the harness buffers stream signals; drain them
		defer bg.Done()
		for {
			select {
			case <-h.Sigs:
			case <-stop:
				return
			}
		}
	}()

	const clients = 8
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	lat := make([][]time.Duration, clients)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				t0 := time.Now()
				res, err := client.Post(url, "application/json", strings.NewReader(`{"n": 1, "s": "hello"}`))
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Errorf("status %d", res.StatusCode)
					return
				}
				lat[i] = append(lat[i], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	close(stop)
	bg.Wait()

	all := slices.Concat(lat...)
	if len(all) == 0 {
		return
	}
	slices.Sort(all)
	pct := func(p float64) float64 { return float64(all[int(p*float64(len(all)-1))].Nanoseconds()) / 1e3 }
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
}
