package httppeer

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

func validate(spec *peer.Spec, cfg string) (config.Values, error) {
	return config.Validate("peer type `"+spec.Name+"`", value.MustDecodeJSON(cfg), spec.Config)
}

// upstream starts a real HTTP server on 127.0.0.1 that counts its hits.
func upstream(t *testing.T, fn http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fn(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func startClient(t *testing.T, cfg string) *peertest.Harness {
	t.Helper()
	return peertest.Start(t, ClientSpec, cfg, peertest.Options{UID: 2, Alias: "client"})
}

// reqEvent is an event sent to the client, as if from stream 9 of peer 5.
func reqEvent(valueJSON, metaJSON string) *runtime.Event {
	ev := peertest.Event(valueJSON, metaJSON)
	ev.ID = runtime.EventID{Peer: 5, Stream: 9, Seq: 3}
	return ev
}

func correlation(t *testing.T, ev *runtime.Event) string {
	t.Helper()
	rec, _ := ev.Meta.AsRecord()
	if rec == nil {
		t.Fatalf("meta %s", value.Encode(ev.Meta))
	}
	c, ok := rec.Get("correlation")
	if !ok {
		t.Fatalf("no $correlation in %s", value.Encode(ev.Meta))
	}
	return peertest.JS(c)
}

func TestClientResponseCarriesCorrelation(t *testing.T) {
	var gotBody, gotType, gotCorr string
	srv, hits := upstream(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotBody, gotType, gotCorr = string(b), r.Header.Get("Content-Type"), r.Header.Get(correlationHeader)
		w.Header().Set("X-Up", "1")
		w.Header().Set("Content-Type", "application/json") // net/http would sniff text/plain: a string
		fmt.Fprintf(w, `{"echo": %s}`, b)
	})
	h := startClient(t, fmt.Sprintf(`{"url": %q, "headers": {"x-conf": "c"}}`, srv.URL+"/p"))
	if err := h.Send(reqEvent(`{"a": 1}`, `{"correlation": "c1"}`)); err != nil {
		t.Fatal(err)
	}
	d := h.Next()
	if d.Port != "out" || peertest.JS(d.Ev.Value) != `{"echo":{"a":1}}` {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}
	if c := correlation(t, d.Ev); c != `"c1"` {
		t.Fatalf("correlation %s", c)
	}
	if s := d.Ev.Streams(5); len(s) != 1 || s[0] != 9 {
		t.Fatalf("the response does not track the request: %v", d.Ev.Tracked)
	}
	if st, _ := get(t, d.Ev.Meta, "http_client", "response", "status").AsU64(); st != 200 {
		t.Fatalf("meta %s", value.Encode(d.Ev.Meta))
	}
	if up := peertest.JS(get(t, d.Ev.Meta, "http_client", "response", "headers", "x-up")); up != `["1"]` {
		t.Fatalf("response headers %s", up)
	}
	if u := peertest.JS(get(t, d.Ev.Meta, "http_client", "sent", "url")); u != fmt.Sprintf("%q", srv.URL+"/p") {
		t.Fatalf("request url %s", u)
	}
	if gotBody != `{"a":1}` || gotType != "application/json" || gotCorr != `"c1"` || hits.Load() != 1 {
		t.Fatalf("upstream saw body %q type %q correlation %q hits %d", gotBody, gotType, gotCorr, hits.Load())
	}
	// the stream of the request opened and closed
	if s := h.NextSignal(); s.Kind != runtime.StreamStart || s.Stream != d.Ev.ID.Stream {
		t.Fatalf("signal %+v", s)
	}
	if s := h.NextSignal(); s.Kind != runtime.StreamEnd || s.Stream != d.Ev.ID.Stream {
		t.Fatalf("signal %+v", s)
	}
}

func TestClient4xxIsNotRetried(t *testing.T) {
	srv, hits := upstream(t, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no such thing", http.StatusNotFound)
	})
	h := startClient(t, fmt.Sprintf(`{"url": %q, "retry": {"interval_ms": 1}}`, srv.URL))
	err := h.Send(reqEvent(`1`, `{"correlation": 42}`))
	if err == nil || !strings.Contains(err.Error(), "HTTP 404 Not Found") {
		t.Fatalf("send: %v", err)
	}
	d := h.Next()
	if d.Port != "err" || correlation(t, d.Ev) != "42" {
		t.Fatalf("got %s %s %s", d.Port, value.Encode(d.Ev.Value), value.Encode(d.Ev.Meta))
	}
	v := d.Ev.Value
	if e := peertest.JS(get(t, v, "error")); e != `"HTTP 404 Not Found"` {
		t.Fatalf("error %s", e)
	}
	if st, _ := get(t, v, "status").AsU64(); st != 404 {
		t.Fatalf("status in %s", value.Encode(v))
	}
	if b := peertest.JS(get(t, v, "body")); b != `"no such thing\n"` {
		t.Fatalf("body %s", b)
	}
	if p := peertest.JS(get(t, v, "peer")); p != `"client"` {
		t.Fatalf("peer %s", p)
	}
	if hits.Load() != 1 {
		t.Fatalf("%d hits, want 1", hits.Load())
	}
}

func TestClientRetries5xxThenSucceeds(t *testing.T) {
	var n atomic.Int32
	srv, hits := upstream(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `"ok"`)
	})
	h := startClient(t, fmt.Sprintf(`{"url": %q, "retry": {"interval_ms": 5, "max_retries": 3}}`, srv.URL))
	if err := h.Send(reqEvent(`1`, `{"correlation": {"k": "v"}}`)); err != nil {
		t.Fatal(err)
	}
	d := h.Next()
	if d.Port != "out" || peertest.JS(d.Ev.Value) != `"ok"` || correlation(t, d.Ev) != `{"k":"v"}` {
		t.Fatalf("got %s %s %s", d.Port, value.Encode(d.Ev.Value), value.Encode(d.Ev.Meta))
	}
	if hits.Load() != 3 {
		t.Fatalf("%d hits, want 3", hits.Load())
	}
	h.None(20 * time.Millisecond)
}

func TestClient5xxExhaustsRetries(t *testing.T) {
	srv, hits := upstream(t, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusBadGateway)
	})
	h := startClient(t, fmt.Sprintf(`{"url": %q, "retry": {"interval_ms": 1, "max_retries": 2}}`, srv.URL))
	if err := h.Send(reqEvent(`1`, `{"correlation": 1}`)); err == nil {
		t.Fatal("a request that always gets 502 succeeded")
	}
	d := h.Next()
	if d.Port != "err" || correlation(t, d.Ev) != "1" {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}
	if a, _ := get(t, d.Ev.Value, "attempts").AsU64(); a != 3 || hits.Load() != 3 {
		t.Fatalf("attempts %d, hits %d: %s", a, hits.Load(), value.Encode(d.Ev.Value))
	}
	if st, _ := get(t, d.Ev.Value, "status").AsU64(); st != 502 {
		t.Fatalf("status in %s", value.Encode(d.Ev.Value))
	}
}

func TestClientConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	h := startClient(t, fmt.Sprintf(`{"url": %q, "retry": {"interval_ms": 1, "max_retries": 2}}`, addr))
	err = h.Send(reqEvent(`1`, `{"correlation": "lost"}`))
	if err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("send: %v", err)
	}
	d := h.Next()
	if d.Port != "err" || correlation(t, d.Ev) != `"lost"` {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}
	msg := peertest.JS(get(t, d.Ev.Value, "error"))
	if !strings.Contains(msg, "connection refused") || !strings.Contains(msg, "after 3 attempts") {
		t.Fatalf("error %s", msg)
	}
}

func TestClientTimeout(t *testing.T) {
	block := make(chan struct{})
	srv, _ := upstream(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(block) })
	h := startClient(t, fmt.Sprintf(`{"url": %q, "timeout": 50, "retry": {"max_retries": 0}}`, srv.URL))
	if err := h.Send(reqEvent(`1`, "")); err == nil || !strings.Contains(err.Error(), "no response within 50 ms") {
		t.Fatalf("send: %v", err)
	}
	if d := h.Next(); d.Port != "err" {
		t.Fatalf("got %s", d.Port)
	}
}

func TestClientConcurrencyCap(t *testing.T) {
	var cur, most atomic.Int32
	arrived := make(chan struct{}, 10)
	release := make(chan struct{})
	srv, hits := upstream(t, func(w http.ResponseWriter, r *http.Request) {
		n := cur.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		arrived <- struct{}{}
		<-release
		cur.Add(-1)
		io.WriteString(w, "1")
	})
	unblock := sync.OnceFunc(func() { close(release) })
	t.Cleanup(unblock)
	h := startClient(t, fmt.Sprintf(`{"url": %q, "concurrency": 2}`, srv.URL))
	const total = 5
	dones := make(chan error, total)
	go func() {
		for range total {
			ch := h.SendAsync(reqEvent(`1`, "")) // blocks while two are in flight
			go func() { dones <- <-ch }()
		}
	}()
	for range 2 {
		select {
		case <-arrived:
		case <-time.After(5 * time.Second):
			t.Fatal("the requests did not arrive")
		}
	}
	select {
	case <-arrived:
		t.Fatal("a third request is in flight with concurrency 2")
	case <-time.After(50 * time.Millisecond):
	}
	cbs := h.CBs()
	if len(cbs) < 2 || !cbs[0].Open || cbs[len(cbs)-1].Open {
		t.Fatalf("circuit breaker reports %+v, want open at start and closed when saturated", cbs)
	}
	unblock()
	for range total {
		select {
		case err := <-dones:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("requests did not finish")
		}
	}
	for range total {
		if d := h.Next(); d.Port != "out" {
			t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
		}
	}
	if most.Load() > 2 || hits.Load() != total {
		t.Fatalf("%d in flight at most, %d hits", most.Load(), hits.Load())
	}
	if cbs := h.CBs(); !cbs[len(cbs)-1].Open {
		t.Fatalf("circuit breaker left closed: %+v", cbs)
	}
}

func TestClientRequestOverrideFromMeta(t *testing.T) {
	type seen struct{ method, path, conf, over, typ string }
	got := make(chan seen, 2)
	srv, _ := upstream(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.URL.Path, r.Header.Get("X-Conf"), r.Header.Get("X-Over"), r.Header.Get("Content-Type") + "|" + string(b)}
		w.WriteHeader(http.StatusNoContent)
	})
	h := startClient(t, fmt.Sprintf(`{"url": %q, "method": "post", "headers": {"x-conf": "c", "x-over": "config"}}`, srv.URL+"/default"))
	meta := fmt.Sprintf(`{"http_client": {"request": {"method": "PUT", "url": %q, "headers": {"x-over": ["meta"]}}}}`, srv.URL+"/other")
	if err := h.Send(reqEvent(`[1]`, meta)); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != (seen{"PUT", "/other", "c", "meta", "application/json|[1]"}) {
		t.Fatalf("upstream saw %+v", s)
	}
	if d := h.Next(); d.Port != "out" || !d.Ev.Value.IsNull() {
		t.Fatalf("an empty response: %s %s", d.Port, value.Encode(d.Ev.Value))
	}
	// GET with a null value sends no body
	if err := h.Send(reqEvent(`null`, `{"http_client": {"request": {"method": "GET"}}}`)); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != (seen{"GET", "/default", "c", "config", "|"}) {
		t.Fatalf("upstream saw %+v", s)
	}
	h.Next()
	// a bad override fails the event and reports it on err
	err := h.Send(reqEvent(`1`, `{"http_client": {"request": {"url": "ftp://x"}}}`))
	if err == nil || !strings.Contains(err.Error(), "$http_client.request.url") {
		t.Fatalf("bad url override: %v", err)
	}
	if d := h.Next(); d.Port != "err" {
		t.Fatalf("got %s", d.Port)
	}
}

// http_client → http_server: the correlation travels in x-rill-correlation and the server
// restores it; the answer comes back to the client with it too.
func TestClientServerCorrelationRoundTrip(t *testing.T) {
	sh, base := startServer(t, "")
	ch := startClient(t, fmt.Sprintf(`{"url": %q}`, base+"/rpc"))
	done := ch.SendAsync(reqEvent(`{"q": 1}`, `{"correlation": {"trace": [1, 2]}}`))
	d := sh.Next()
	if c := correlation(t, d.Ev); c != `{"trace":[1,2]}` {
		t.Fatalf("the server restored %s", c)
	}
	if err := sh.Send(answerTo(d, `{"a": 2}`, "")); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	r := ch.Next()
	if r.Port != "out" || peertest.JS(r.Ev.Value) != `{"a":2}` || correlation(t, r.Ev) != `{"trace":[1,2]}` {
		t.Fatalf("client got %s %s %s", r.Port, value.Encode(r.Ev.Value), value.Encode(r.Ev.Meta))
	}
}

func TestClientStopAbandonsRetries(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	h := startClient(t, fmt.Sprintf(`{"url": %q, "retry": {"interval_ms": 60000, "max_retries": 5}}`, addr))
	done := h.SendAsync(reqEvent(`1`, ""))
	h.Stop()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "stopped") {
			t.Fatalf("send: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Stop left a request retrying")
	}
}

func TestClientConfigErrors(t *testing.T) {
	for cfg, want := range map[string]string{
		`{"url": "ftp://x"}`:                                   "http:// or https://",
		`{"url": "http://"}`:                                   "must name a host",
		`{"url": "127.0.0.1:1", "method": "GE T"}`:             "HTTP method",
		`{"url": "127.0.0.1:1", "concurrency": 0}`:             "concurrency",
		`{"url": "127.0.0.1:1", "timeout": 0}`:                 "timeout",
		`{"url": "127.0.0.1:1", "retry": {"tries": 1}}`:        "unknown key `tries`",
		`{"url": "127.0.0.1:1", "retry": {"max_retries": -1}}`: "non-negative",
		`{"url": "127.0.0.1:1", "headers": {"a": 1}}`:          "string or an array of strings",
	} {
		cv, err := validate(ClientSpec, cfg)
		if err == nil {
			_, err = ClientSpec.New(cv)
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", cfg, err, want)
		}
	}
}
