package flow

// End-to-end tests: deployments of real peers on loopback, driven by real clients. The examples
// of testdata/examples run here with their ports replaced.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/rillstream/rill/internal/testutil"
	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/stdlib"
)

type syncBuffer = testutil.SyncBuffer

// deploy compiles src with every built-in peer (stdio on stdout) and starts it.
func deploy(t *testing.T, src string, stdout io.Writer) *Runner {
	t.Helper()
	return deployTB(t, src, stdout)
}

func deployBench(b *testing.B, src string) *Runner { return deployTB(b, src, io.Discard) }

func deployTB(t testing.TB, src string, stdout io.Writer) *Runner {
	t.Helper()
	f, err := lang.Parse("flow.troy", src)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	env := DefaultEnv(&interp.Env{Registry: stdlib.NewRegistry()}, ".", nil, stdout, io.Discard)
	d, err := Compile(f, src, env)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	r, err := Start(d, RunOptions{Tick: -1, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Stop(2 * time.Second) })
	return r
}

func example(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// freePort returns a port that was free a moment ago (for flows whose client peers need a
// server's port at compile time).
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func post(t *testing.T, url, body string) (int, string) {
	t.Helper()
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestExampleHTTPEcho(t *testing.T) {
	src := strings.Replace(example(t, "http_echo.troy"), "127.0.0.1:8080", "127.0.0.1:0", 1)
	r := deploy(t, src, io.Discard)
	url := "http://" + r.Addr("echo", "api").String() + "/"
	code, body := post(t, url, `{"hello": "world"}`)
	if code != 200 || body != `{"said":{"hello":"world"},"id":0,"stream":1}` {
		t.Fatalf("%d %s", code, body)
	}
	code, body = post(t, url, `[1, 2]`)
	if code != 200 || body != `{"said":[1,2],"id":0,"stream":2}` {
		t.Fatalf("%d %s", code, body)
	}
}

// TestExampleTCPPerConnection: two concurrent connections aggregate separately, each summary
// returns to its own connection, and a closed connection's partial window is flushed.
func TestExampleTCPPerConnection(t *testing.T) {
	src := strings.Replace(example(t, "tcp_per_connection.troy"), "deploy flow per_connection;", "deploy flow per_connection with port = 0 end;", 1)
	var out syncBuffer
	r := deploy(t, src, &out)
	addr := r.Addr("per_connection", "readings").String()
	a, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	io.WriteString(a, "{\"value\": 1}\n{\"value\": 2}\n")
	io.WriteString(b, "{\"value\": 10}\n{\"value\": 20}\n")
	io.WriteString(a, "{\"value\": 3}\n")
	io.WriteString(b, "{\"value\": 30}\n{\"value\": 40}\n")
	ra, rb := bufio.NewReader(a), bufio.NewReader(b)
	a.SetReadDeadline(time.Now().Add(5 * time.Second))
	b.SetReadDeadline(time.Now().Add(5 * time.Second))
	la, err := ra.ReadString('\n')
	if err != nil || !strings.Contains(la, `"readings":3,"total":6.0,"max":3`) {
		t.Fatalf("connection a got %q %v", la, err)
	}
	lb, err := rb.ReadString('\n')
	if err != nil || !strings.Contains(lb, `"readings":3,"total":60.0,"max":30`) {
		t.Fatalf("connection b got %q %v", lb, err)
	}
	b.Close() // b's partial window (40) is flushed to stdout when its stream ends
	waitFor(t, "the flush of the closed connection", func() bool { return strings.Contains(out.String(), `"readings":1,"total":40.0,"max":40`) })
	if n := strings.Count(out.String(), "\n"); n != 3 {
		t.Errorf("stdout has %d lines, want 3:\n%s", n, out.String())
	}
}

func TestExampleHTTPEnrich(t *testing.T) {
	api, users := freePort(t), freePort(t)
	src := strings.Replace(example(t, "http_enrich.troy"), "deploy flow enrich;",
		fmt.Sprintf("deploy flow enrich with port = %d, users_port = %d end;", api, users), 1)
	deploy(t, src, io.Discard)
	url := fmt.Sprintf("http://127.0.0.1:%d/", api)
	var wg sync.WaitGroup
	for _, u := range []string{"alice", "bob", "carol"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, body := post(t, url, `{"user": "`+u+`", "n": 1}`)
			if code != 200 || !strings.HasPrefix(body, `{"user":"`+u+`","n":1,"tier":`) {
				t.Errorf("%s: %d %s", u, code, body)
			}
		}()
	}
	wg.Wait()
	if code, body := post(t, url, `nope`); code != 400 || !strings.Contains(body, "invalid JSON") {
		t.Errorf("bad body: %d %s", code, body)
	}
}

// TestFlowHTTPClientCorrelationRecovers: the upstream fails twice with 503, then answers; the
// client retries and the answer comes back with the request's $correlation, to the request.
func TestFlowHTTPClientCorrelationRecovers(t *testing.T) {
	var hits atomic.Int32
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if hits.Add(1) <= 2 {
			w.WriteHeader(503)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"upstream_saw": %s}`, b)
	})}
	go srv.Serve(l)
	defer srv.Close()
	src := fmt.Sprintf(`
define flow f
flow
  define peer api from http_server with config = {"url": "http://127.0.0.1:0"} end;
  define peer up from http_client
  with config = {"url": "http://%s/", "retry": {"max_retries": 3, "interval_ms": 10}} end;
  define pipeline out_p
  pipeline
    define script s script let $correlation = {"asked": event}; event end;
    create script s;
    select event from in into s;
    select event from s into out;
  end;
  define pipeline back pipeline
    select {"answer": event, "correlation": $correlation} from in into out;
  end;
  create peer api; create peer up; create pipeline out_p; create pipeline back;
  connect /peer/api to /pipeline/out_p;
  connect /pipeline/out_p to /peer/up;
  connect /peer/up to /pipeline/back;
  connect /peer/up/err to /pipeline/back;
  connect /pipeline/back to /peer/api;
end;
deploy flow f;`, l.Addr())
	r := deploy(t, src, io.Discard)
	code, body := post(t, "http://"+r.Addr("f", "api").String()+"/", `{"q": 1}`)
	if code != 200 || body != `{"answer":{"upstream_saw":{"q":1}},"correlation":{"asked":{"q":1}}}` {
		t.Fatalf("%d %s", code, body)
	}
	if hits.Load() != 3 {
		t.Errorf("upstream hit %d times, want 3", hits.Load())
	}
}

func TestFlowHTTPServerTimeout(t *testing.T) {
	r := deploy(t, `
define flow f
flow
  define peer api from http_server with config = {"url": "http://127.0.0.1:0", "response_timeout": 150} end;
  define pipeline blackhole pipeline select event from in where false into out; end;
  create peer api; create pipeline blackhole;
  connect /peer/api to /pipeline/blackhole;
  connect /pipeline/blackhole to /peer/api;
end;
deploy flow f;`, io.Discard)
	start := time.Now()
	code, body := post(t, "http://"+r.Addr("f", "api").String()+"/", `1`)
	if code != 504 || !strings.Contains(body, "no response within 150 ms") {
		t.Fatalf("%d %s", code, body)
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("the 504 took %s", time.Since(start))
	}
}

// TestFlowWebSocketProxy: ws_server → pipeline → ws_client (per_stream) → upstream echo → back:
// every client connection gets its own upstream connection and exactly its own answers.
func TestFlowWebSocketProxy(t *testing.T) {
	var upstreamConns atomic.Int32
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	echo := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		upstreamConns.Add(1)
		defer c.CloseNow()
		for {
			typ, m, err := c.Read(r.Context())
			if err != nil {
				return
			}
			if err := c.Write(r.Context(), typ, append([]byte(`{"echo":`), append(m, '}')...)); err != nil {
				return
			}
		}
	})}
	go echo.Serve(l)
	defer echo.Close()
	r := deploy(t, fmt.Sprintf(`
define flow proxy
flow
  define peer front from ws_server with config = {"url": "ws://127.0.0.1:0"} end;
  define peer back from ws_client with config = {"url": "ws://%s/", "per_stream": true} end;
  define pipeline fwd pipeline select event from in into out; end;
  define pipeline ret pipeline select event from in into out; end;
  create peer front; create peer back; create pipeline fwd; create pipeline ret;
  connect /peer/front to /pipeline/fwd;
  connect /pipeline/fwd to /peer/back;
  connect /peer/back to /pipeline/ret;
  connect /pipeline/ret to /peer/front;
end;
deploy flow proxy;`, l.Addr()), io.Discard)
	url := "ws://" + r.Addr("proxy", "front").String() + "/"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for _, name := range []string{"a", "b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, _, err := websocket.Dial(ctx, url, nil)
			if err != nil {
				t.Error(err)
				return
			}
			defer c.CloseNow()
			for i := range 5 {
				if err := c.Write(ctx, websocket.MessageText, []byte(fmt.Sprintf(`"%s%d"`, name, i))); err != nil {
					t.Error(err)
					return
				}
			}
			for i := range 5 {
				_, m, err := c.Read(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				if want := fmt.Sprintf(`{"echo":"%s%d"}`, name, i); string(m) != want {
					t.Errorf("client %s got %s, want %s", name, m, want)
				}
			}
			c.Close(websocket.StatusNormalClosure, "")
		}()
	}
	wg.Wait()
	if n := upstreamConns.Load(); n != 2 {
		t.Errorf("%d upstream connections, want 2 (one per client)", n)
	}
}

// TestPlannedPeerTypes: Tremor's scale-out peers check, but starting one says it is missing.
func TestPlannedPeerTypes(t *testing.T) {
	src := `define flow f
flow
  define peer k from kafka_consumer with config = {"brokers": ["127.0.0.1:9092"], "topics": ["t"]} end;
  define pipeline p pipeline select event from in into out; end;
  create peer k; create pipeline p;
  connect /peer/k to /pipeline/p;
end;
deploy flow f;`
	f, err := lang.Parse("flow.troy", src)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Compile(f, src, DefaultEnv(&interp.Env{Registry: stdlib.NewRegistry()}, ".", nil, io.Discard, io.Discard))
	if err != nil {
		t.Fatalf("a kafka_consumer deployment must compile: %v", err)
	}
	if _, err := Start(d, RunOptions{}); err == nil || !strings.Contains(err.Error(), "peer type `kafka_consumer` is not implemented yet") {
		t.Fatalf("start: %v", err)
	}
}

// TestFlowPeerAndPipelineFromModules: `create peer a from m::x` and `create pipeline p from
// m::y` find their definitions through the flow's `use`.
func TestFlowPeerAndPipelineFromModules(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "acme"), 0o755)
	os.WriteFile(filepath.Join(dir, "acme", "peers.troy"), []byte(`define peer http_in from http_server
args port = 0
with config = {"url": "http://127.0.0.1:#{args.port}"} end;
`), 0o644)
	os.WriteFile(filepath.Join(dir, "acme", "ops.trickle"), []byte(`define pipeline upper
pipeline
  use std::string;
  select string::uppercase(event) from in into out;
end;
`), 0o644)
	src := `define flow f
flow
  use acme::peers;
  use acme::ops;
  create peer api from peers::http_in;
  create pipeline up from ops::upper;
  connect /peer/api to /pipeline/up;
  connect /pipeline/up to /peer/api;
end;
deploy flow f;`
	f, err := lang.Parse(filepath.Join(dir, "flow.troy"), src)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Compile(f, src, DefaultEnv(&interp.Env{Registry: stdlib.NewRegistry()}, dir, nil, io.Discard, io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Start(d, RunOptions{Tick: -1, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop(time.Second)
	if code, body := post(t, "http://"+r.Addr("f", "api").String()+"/", `"shout"`); code != 200 || body != `"SHOUT"` {
		t.Fatalf("%d %s", code, body)
	}
}

// TestFlowStopDrainsClientAnswers: stopping a flow while an http_client request is in flight
// waits for its answer and delivers it to the waiting HTTP client (clients' answers are not
// paused like other sources).
func TestFlowStopDrainsClientAnswers(t *testing.T) {
	arrived := make(chan struct{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	upstream := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		time.Sleep(300 * time.Millisecond)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"slow": true}`)
	})}
	go upstream.Serve(l)
	defer upstream.Close()
	d, err := compileFlowSrc(t, fmt.Sprintf(`
define flow f
flow
  define peer api from http_server with config = {"url": "http://127.0.0.1:0"} end;
  define peer up from http_client with config = {"url": "http://%s/"} end;
  define pipeline fwd pipeline select event from in into out; end;
  define pipeline back pipeline select event from in into out; end;
  create peer api; create peer up; create pipeline fwd; create pipeline back;
  connect /peer/api to /pipeline/fwd;
  connect /pipeline/fwd to /peer/up;
  connect /peer/up to /pipeline/back;
  connect /pipeline/back to /peer/api;
end;
deploy flow f;`, l.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Start(d, RunOptions{Tick: -1, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	type answer struct {
		code int
		body string
	}
	got := make(chan answer, 1)
	go func() {
		code, body := post(t, "http://"+r.Addr("f", "api").String()+"/", `{"q": 1}`)
		got <- answer{code, body}
	}()
	<-arrived
	if err := r.Stop(5 * time.Second); err != nil {
		t.Errorf("stop: %v", err)
	}
	a := <-got
	if a.code != 200 || a.body != `{"slow":true}` {
		t.Fatalf("the request in flight got %d %s", a.code, a.body)
	}
}

// compileFlowSrc compiles a flow with every built-in peer.
func compileFlowSrc(t *testing.T, src string) (*Deployment, error) {
	t.Helper()
	f, err := lang.Parse("flow.troy", src)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return Compile(f, src, DefaultEnv(&interp.Env{Registry: stdlib.NewRegistry()}, ".", nil, io.Discard, io.Discard))
}

// TestFlowFileCheckpoint: a file read with a checkpoint through a pipeline that drops some lines
// and writes the rest to another file; every line is acked (the dropped ones by the pipeline,
// the others by the file sink), so a second run of the same flow, after the file grew, reads only
// the new lines.
func TestFlowFileCheckpoint(t *testing.T) {
	dir := t.TempDir()
	in, out, cp := filepath.Join(dir, "in.jsonl"), filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "in.checkpoint")
	if err := os.WriteFile(in, []byte("1\n2\n3\n4\n5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := fmt.Sprintf(`
define flow f
flow
  define peer lines from file with config = {"path": %q, "checkpoint": %q} end;
  define peer kept from file with config = {"path": %q, "mode": "append"} end;
  define pipeline odd pipeline select event from in where event %% 2 == 1 into out; end;
  create peer lines; create peer kept; create pipeline odd;
  connect /peer/lines to /pipeline/odd;
  connect /pipeline/odd to /peer/kept;
end;
deploy flow f;`, in, cp, out)
	for run, end := range []string{`"offset":10`, `"offset":14`} {
		if run == 1 { // the file grew: the second run must read only the new lines
			f, err := os.OpenFile(in, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("6\n7\n")
			f.Close()
		}
		r := deploy(t, src, io.Discard)
		waitFor(t, "the checkpoint at the end of the file", func() bool {
			b, err := os.ReadFile(cp)
			return err == nil && strings.Contains(string(b), end)
		})
		if err := r.Stop(2 * time.Second); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(out)
	if string(b) != "1\n3\n5\n7\n" {
		t.Fatalf("written %q: the second run read the file again", b)
	}
}

// TestFlowCodecAndInterceptorsFromConfig: a tcp_server configured with the msgpack codec and the
// length-prefixed interceptor (and base64 as a pre/postprocessor pair) decodes what a client
// frames that way and answers in the same framing: the definition's settings reach the peer.
func TestFlowCodecAndInterceptorsFromConfig(t *testing.T) {
	r := deploy(t, `
define flow f
flow
  define peer bin from tcp_server
  with
    codec = {"name": "msgpack"},
    interceptors = ["length-prefixed"],
    preprocessors = ["base64"],
    postprocessors = ["base64"],
    config = {"url": "127.0.0.1:0"}
  end;
  define pipeline echo pipeline select {"got": event, "stream": stream_id()} from in into out; end;
  create peer bin; create pipeline echo;
  connect /peer/bin to /pipeline/echo;
  connect /pipeline/echo to /peer/bin;
end;
deploy flow f;`, io.Discard)
	c, err := net.Dial("tcp", r.Addr("f", "bin").String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// {"a": 1} in msgpack, base64-encoded, then framed with a big-endian u64 length.
	payload := []byte(base64.StdEncoding.EncodeToString([]byte{0x81, 0xa1, 'a', 0x01}))
	frame := binary.BigEndian.AppendUint64(nil, uint64(len(payload)))
	if _, err := c.Write(append(frame, payload...)); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	var hdr [8]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		t.Fatal(err)
	}
	body := make([]byte, binary.BigEndian.Uint64(hdr[:]))
	if _, err := io.ReadFull(c, body); err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(string(body))
	if err != nil {
		t.Fatalf("the answer is not base64: %q", body)
	}
	// {"got": {"a": 1}, "stream": 1} in msgpack (keys in insertion order).
	want := []byte{0x82, 0xa3, 'g', 'o', 't', 0x81, 0xa1, 'a', 0x01, 0xa6, 's', 't', 'r', 'e', 'a', 'm', 0x01}
	if !bytes.Equal(raw, want) {
		t.Fatalf("answer % x, want % x", raw, want)
	}
}
