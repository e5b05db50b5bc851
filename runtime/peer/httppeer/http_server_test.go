package httppeer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/peer"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

// reply is what a test client got back.
type reply struct {
	status int
	header http.Header
	body   string
	err    error
}

// testClient has no pooled state shared with other tests.
func testClient() *http.Client {
	return &http.Client{Transport: &http.Transport{Proxy: nil}, Timeout: 10 * time.Second}
}

// do sends a request in the background and returns where its reply arrives.
func do(t *testing.T, method, url, body string, header map[string]string) <-chan reply {
	t.Helper()
	out := make(chan reply, 1)
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	c := testClient()
	go func() {
		defer c.CloseIdleConnections()
		res, err := c.Do(req)
		if err != nil {
			out <- reply{err: err}
			return
		}
		data, err := io.ReadAll(res.Body)
		res.Body.Close()
		out <- reply{status: res.StatusCode, header: res.Header, body: string(data), err: err}
	}()
	return out
}

func wait(t *testing.T, ch <-chan reply) reply {
	t.Helper()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatalf("request failed: %v", r.err)
		}
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("timed out waiting for the HTTP reply")
	}
	return reply{}
}

func startServer(t *testing.T, cfg string) (*peertest.Harness, string) {
	t.Helper()
	if cfg == "" {
		cfg = `{"url": "http://127.0.0.1:0"}`
	}
	h := peertest.Start(t, ServerSpec, cfg, peertest.Options{})
	return h, "http://" + h.Peer.(*Server).Addr().String()
}

// answerTo builds an event answering the delivered event d with a JSON value and meta.
func answerTo(d peertest.Delivered, valueJSON, metaJSON string) *runtime.Event {
	ev := peertest.Event(valueJSON, metaJSON)
	ev.ID = d.Ev.ID
	return ev
}

// waitEnd waits for the StreamEnd signal of stream.
func waitEnd(t *testing.T, h *peertest.Harness, stream uint64) {
	t.Helper()
	for {
		s := h.NextSignal()
		if s.Kind == runtime.StreamEnd && s.Stream == stream {
			return
		}
	}
}

func get(t *testing.T, v value.Value, path ...string) value.Value {
	t.Helper()
	x := peer.MetaPath(v, path...)
	if x.IsNull() {
		t.Fatalf("%s has no %v", value.Encode(v), path)
	}
	return x
}

func TestServerRequestBecomesEventAndAnswer(t *testing.T) {
	h, base := startServer(t, "")
	res := do(t, "POST", base+"/things/1?x=1&y=2", `{"a": [1, 2]}`, map[string]string{
		"X-Foo": "bar", "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"})
	d := h.Next()
	if d.Port != "out" || peertest.JS(d.Ev.Value) != `{"a":[1,2]}` {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}
	start := h.NextSignal()
	if start.Kind != runtime.StreamStart || start.Stream != d.Ev.ID.Stream {
		t.Fatalf("signal %+v for event %+v", start, d.Ev.ID)
	}
	m := d.Ev.Meta
	if id, _ := get(t, m, "http_server", "request_id").AsU64(); id != d.Ev.ID.Stream {
		t.Fatalf("request_id %d, stream %d", id, d.Ev.ID.Stream)
	}
	r := get(t, m, "http_server", "request")
	for k, want := range map[string]string{"method": `"POST"`, "path": `"/things/1"`, "query": `"x=1&y=2"`,
		"url": fmt.Sprintf("%q", base+"/things/1?x=1&y=2"), "protocol": `"HTTP/1.1"`} {
		if got := peertest.JS(get(t, r, k)); got != want {
			t.Errorf("request.%s = %s, want %s", k, got, want)
		}
	}
	if got := peertest.JS(get(t, r, "headers", "x-foo")); got != `["bar"]` {
		t.Errorf("x-foo header %s", got)
	}
	if got := peertest.JS(get(t, r, "headers", "traceparent")); !strings.Contains(got, "0af7651916cd43dd8448eb211c80319c") {
		t.Errorf("traceparent header %s", got)
	}
	if got := peertest.JS(get(t, r, "remote", "host")); got != `"127.0.0.1"` {
		t.Errorf("remote host %s", got)
	}
	if p, _ := get(t, r, "remote", "port").AsU64(); p == 0 {
		t.Errorf("remote port missing")
	}
	if rec, _ := m.AsRecord(); rec != nil {
		if _, has := rec.Get("correlation"); has {
			t.Errorf("no correlation header, yet meta has one: %s", value.Encode(m))
		}
	}

	ans := answerTo(d, `{"ok": true}`, `{"http_server": {"response": {"status": 201, "headers": {"x-answer": "yes", "x-multi": ["a", "b"]}}}}`)
	if err := h.Send(ans); err != nil {
		t.Fatalf("answer failed: %v", err)
	}
	got := wait(t, res)
	if got.status != 201 || got.body != `{"ok":true}` || got.header.Get("X-Answer") != "yes" ||
		strings.Join(got.header.Values("X-Multi"), ",") != "a,b" || got.header.Get("Content-Type") != "application/json" {
		t.Fatalf("reply %d %v %q", got.status, got.header, got.body)
	}
	waitEnd(t, h, d.Ev.ID.Stream)
	if err := h.Send(ans); err == nil || !strings.Contains(err.Error(), "already answered") {
		t.Fatalf("a second answer: %v", err)
	}
	if n := h.Host.Metrics().Send.Load(); n != 1 {
		t.Fatalf("send metric %d", n)
	}
}

func TestServerEmptyBodyIsNullEvent(t *testing.T) {
	h, base := startServer(t, "")
	res := do(t, "GET", base+"/", "", nil)
	d := h.Next()
	if d.Port != "out" || !d.Ev.Value.IsNull() {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}
	if err := h.Send(answerTo(d, `"hi"`, "")); err != nil {
		t.Fatal(err)
	}
	if got := wait(t, res); got.status != 200 || got.body != `"hi"` {
		t.Fatalf("reply %d %q", got.status, got.body)
	}
}

func TestServerFailedEventAnswers500(t *testing.T) {
	h, base := startServer(t, "")
	res := do(t, "POST", base, `1`, nil)
	d := h.Next()
	ans := answerTo(d, `{"error": "boom"}`, "")
	ans.Failed = true
	if err := h.Send(ans); err != nil {
		t.Fatal(err)
	}
	if got := wait(t, res); got.status != 500 || got.body != `{"error":"boom"}` {
		t.Fatalf("reply %d %q", got.status, got.body)
	}
}

func TestServerAnswersOutOfOrder(t *testing.T) {
	h, base := startServer(t, "")
	r1 := do(t, "POST", base, `{"n": 1}`, nil)
	r2 := do(t, "POST", base, `{"n": 2}`, nil)
	byN := map[string]peertest.Delivered{}
	for range 2 {
		d := h.Next()
		byN[peertest.JS(d.Ev.Value)] = d
	}
	if err := h.Send(answerTo(byN[`{"n":2}`], `{"answer": 2}`, "")); err != nil {
		t.Fatal(err)
	}
	if got := wait(t, r2); got.body != `{"answer":2}` {
		t.Fatalf("second request got %q", got.body)
	}
	if err := h.Send(answerTo(byN[`{"n":1}`], `{"answer": 1}`, "")); err != nil {
		t.Fatal(err)
	}
	if got := wait(t, r1); got.body != `{"answer":1}` {
		t.Fatalf("first request got %q", got.body)
	}
}

func TestServerAggregateAnswersEveryTrackedRequest(t *testing.T) {
	h, base := startServer(t, "")
	r1 := do(t, "POST", base, `1`, nil)
	r2 := do(t, "POST", base, `2`, nil)
	d1, d2 := h.Next(), h.Next()
	agg := peertest.Event(`[1, 2]`, "")
	agg.ID = runtime.EventID{Peer: 77, Stream: 3, Seq: 9} // a window's own id
	agg.Track(d1.Ev)
	agg.Track(d2.Ev)
	if err := h.Send(agg); err != nil {
		t.Fatal(err)
	}
	for _, r := range []<-chan reply{r1, r2} {
		if got := wait(t, r); got.status != 200 || got.body != `[1,2]` {
			t.Fatalf("reply %d %q", got.status, got.body)
		}
	}
}

func TestServerRequestIDInMeta(t *testing.T) {
	h, base := startServer(t, "")
	res := do(t, "POST", base, `1`, nil)
	d := h.Next()
	ev := peertest.Event(`"by id"`, fmt.Sprintf(`{"http_server": {"request_id": %d, "response": {"headers": {"content-type": "text/x-rill"}}}}`, d.Ev.ID.Stream))
	if err := h.Send(ev); err != nil {
		t.Fatal(err)
	}
	if got := wait(t, res); got.body != `"by id"` || got.header.Get("Content-Type") != "text/x-rill" {
		t.Fatalf("reply %q %v", got.body, got.header)
	}
	if err := h.Send(peertest.Event(`1`, "")); err == nil || !strings.Contains(err.Error(), "answers no request") {
		t.Fatalf("an event without a target: %v", err)
	}
	if err := h.Send(peertest.Event(`1`, `{"http_server": {"request_id": "3"}}`)); err == nil || !strings.Contains(err.Error(), "request_id must be") {
		t.Fatalf("a malformed request_id: %v", err)
	}
}

func TestServerBadStatusAnswers500AndFails(t *testing.T) {
	h, base := startServer(t, "")
	res := do(t, "POST", base, `1`, nil)
	d := h.Next()
	err := h.Send(answerTo(d, `1`, `{"http_server": {"response": {"status": "teapot"}}}`))
	if err == nil || !strings.Contains(err.Error(), "status must be an integer") {
		t.Fatalf("bad status: %v", err)
	}
	if got := wait(t, res); got.status != 500 || !strings.Contains(got.body, "status must be an integer") {
		t.Fatalf("reply %d %q", got.status, got.body)
	}
}

func TestServerTimeoutAnswers504AndLateAnswerFails(t *testing.T) {
	h, base := startServer(t, `{"url": "http://127.0.0.1:0", "response_timeout": 100}`)
	res := do(t, "POST", base, `1`, nil)
	d := h.Next()
	got := wait(t, res)
	if got.status != 504 || got.body != `{"error":"no response within 100 ms"}` {
		t.Fatalf("reply %d %q", got.status, got.body)
	}
	waitEnd(t, h, d.Ev.ID.Stream)
	err := h.Send(answerTo(d, `1`, ""))
	if err == nil || !strings.Contains(err.Error(), "timed out after 100 ms") {
		t.Fatalf("late answer: %v", err)
	}
}

// A body the codec can not decode becomes an err event that carries the request's stream and
// meta, so a pipeline may answer it (a flow marks events from an err port Failed: 500).
func TestServerBadJSONErrEventIsAnswerable(t *testing.T) {
	h, base := startServer(t, "")
	res := do(t, "POST", base, `{nope`, nil)
	d := h.Next()
	if d.Port != "err" {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}
	raw, _ := get(t, d.Ev.Value, "raw").AsString()
	if raw != base64.StdEncoding.EncodeToString([]byte(`{nope`)) {
		t.Fatalf("raw %q", raw)
	}
	if id, _ := get(t, d.Ev.Meta, "http_server", "request_id").AsU64(); id != d.Ev.ID.Stream {
		t.Fatalf("err event meta %s", value.Encode(d.Ev.Meta))
	}
	ans := d.Ev
	ans.Failed = true
	if err := h.Send(ans); err != nil {
		t.Fatal(err)
	}
	if got := wait(t, res); got.status != 500 || !strings.Contains(got.body, "json codec") {
		t.Fatalf("reply %d %q", got.status, got.body)
	}
}

func TestServerMaxBody(t *testing.T) {
	h, base := startServer(t, `{"url": "http://127.0.0.1:0", "max_body": 10}`)
	res := do(t, "POST", base, `"`+strings.Repeat("x", 100)+`"`, nil)
	if got := wait(t, res); got.status != 413 || !strings.Contains(got.body, "max_body") {
		t.Fatalf("reply %d %q", got.status, got.body)
	}
	d := h.Next()
	if d.Port != "err" || !strings.Contains(value.Encode(d.Ev.Value), "larger than max_body (10 bytes)") {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}
	h.None(50 * time.Millisecond)
}

func TestServerClientDisconnectEndsStream(t *testing.T) {
	h, base := startServer(t, "")
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "POST /x HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\n\r\n{}")
	d := h.Next()
	conn.Close()
	waitEnd(t, h, d.Ev.ID.Stream)
	err = h.Send(answerTo(d, `1`, ""))
	if err == nil || !strings.Contains(err.Error(), "client disconnected") {
		t.Fatalf("answer after the client left: %v", err)
	}
}

func TestServerPropagatesCorrelation(t *testing.T) {
	for _, propagate := range []bool{true, false} {
		t.Run(fmt.Sprint(propagate), func(t *testing.T) {
			h, base := startServer(t, fmt.Sprintf(`{"url": "127.0.0.1:0", "propagate": %v}`, propagate))
			res := do(t, "POST", base, `1`, map[string]string{correlationHeader: `{"id": 7}`})
			d := h.Next()
			rec, _ := d.Ev.Meta.AsRecord()
			c, has := rec.Get("correlation")
			if has != propagate || (propagate && peertest.JS(c) != `{"id":7}`) {
				t.Fatalf("meta %s", value.Encode(d.Ev.Meta))
			}
			if err := h.Send(d.Ev); err != nil {
				t.Fatal(err)
			}
			wait(t, res)
		})
	}
}

func TestServerMountPoint(t *testing.T) {
	h, base := startServer(t, `{"url": "http://127.0.0.1:0/api/"}`)
	if got := wait(t, do(t, "GET", base+"/other", "", nil)); got.status != 404 {
		t.Fatalf("outside the mount point: %d %q", got.status, got.body)
	}
	res := do(t, "GET", base+"/api/x", "", nil)
	d := h.Next()
	if p := peertest.JS(get(t, d.Ev.Meta, "http_server", "request", "path")); p != `"/api/x"` {
		t.Fatalf("path %s", p)
	}
	if err := h.Send(d.Ev); err != nil {
		t.Fatal(err)
	}
	wait(t, res)
}

func TestServerStopAnswers503(t *testing.T) {
	h, base := startServer(t, "")
	res := do(t, "POST", base, `1`, nil)
	h.Next()
	h.Stop()
	if got := wait(t, res); got.status != 503 {
		t.Fatalf("reply %d %q", got.status, got.body)
	}
}

func TestServerContentTypeFollowsCodec(t *testing.T) {
	h := peertest.Start(t, ServerSpec, `{"url": "http://127.0.0.1:0"}`, peertest.Options{Codec: "string"})
	res := do(t, "POST", "http://"+h.Peer.(*Server).Addr().String(), "plain words", nil)
	d := h.Next()
	if peertest.JS(d.Ev.Value) != `"plain words"` {
		t.Fatalf("got %s", value.Encode(d.Ev.Value))
	}
	if err := h.Send(answerTo(d, `"back"`, "")); err != nil {
		t.Fatal(err)
	}
	if got := wait(t, res); got.body != "back" || got.header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("reply %q %v", got.body, got.header)
	}
	for codec, want := range map[string]string{"json": "application/json", "yaml": "application/yaml",
		"msgpack": "application/msgpack", "csv": "text/csv", "binary": "application/octet-stream"} {
		if got := contentType(codec); got != want {
			t.Errorf("content type of %s: %q, want %q", codec, got, want)
		}
	}
}

func TestServerConfigErrors(t *testing.T) {
	for cfg, want := range map[string]string{
		`{"url": "https://127.0.0.1:0"}`:                       "needs config key `tls`",
		`{"url": "ftp://127.0.0.1:0"}`:                         "http:// or https://",
		`{"url": "http://127.0.0.1:0", "max_body": 0}`:         "max_body",
		`{"url": "http://127.0.0.1:0", "response_timeout": 0}`: "response_timeout",
	} {
		cv, err := validate(ServerSpec, cfg)
		if err == nil {
			_, err = ServerSpec.New(cv)
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", cfg, err, want)
		}
	}
}

// A raw HTTP/1.1 pipelined exchange proves responses go to the connection's own requests in
// order even when answered in reverse.
func TestServerKeepAliveConnection(t *testing.T) {
	h, base := startServer(t, "")
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	br := bufio.NewReader(conn)
	for i := range 2 {
		fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 1\r\n\r\n%d", i)
		d := h.Next()
		if err := h.Send(d.Ev); err != nil {
			t.Fatal(err)
		}
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		if string(body) != fmt.Sprint(i) {
			t.Fatalf("response %d: %q", i, body)
		}
	}
}

// Interceptors run per request: a gzip body is decompressed, and the answer is compressed whole
// (the write side's trailer included).
func TestServerGzipInterceptor(t *testing.T) {
	h := peertest.Start(t, ServerSpec, `{"url": "http://127.0.0.1:0"}`, peertest.Options{Interceptors: []string{"gzip"}})
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	io.WriteString(zw, `{"z": 1}`)
	zw.Close()
	res := do(t, "POST", "http://"+h.Peer.(*Server).Addr().String(), zipped.String(), nil)
	d := h.Next()
	if d.Port != "out" || peertest.JS(d.Ev.Value) != `{"z":1}` {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}
	if err := h.Send(answerTo(d, `{"unzipped": true}`, "")); err != nil {
		t.Fatal(err)
	}
	got := wait(t, res)
	zr, err := gzip.NewReader(strings.NewReader(got.body))
	if err != nil {
		t.Fatalf("the answer is not gzip: %v (%q)", err, got.body)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || string(plain) != `{"unzipped":true}` {
		t.Fatalf("answer %q, %v", plain, err)
	}
}
