package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRunFlowStdioToExit: a flow reads stdin through the stdio peer, answers on stdout and stops
// with the exit peer's code once it sees "stop".
func TestRunFlowStdioToExit(t *testing.T) {
	dir := writeFiles(t, map[string]string{"app.troy": `
define flow main
flow
  define peer console from stdio;
  define peer quit from exit;
  define pipeline p
  into out, stop
  pipeline
    select {"got": event, "stream": stream_id(), "id": event_id()} from in where event != "stop" into out;
    select {"exit": 3} from in where event == "stop" into stop;
  end;
  create peer console; create peer quit; create pipeline p;
  connect /peer/console to /pipeline/p;
  connect /pipeline/p/out to /peer/console;
  connect /pipeline/p/stop to /peer/quit;
end;
deploy flow main;
`})
	stdout, stderr, code := runCmd(t, "1\n{\"a\": 2}\n\"stop\"\n", "run", filepath.Join(dir, "app.troy"))
	if code != 3 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if want := "{\"got\":1,\"stream\":1,\"id\":0}\n{\"got\":{\"a\":2},\"stream\":1,\"id\":1}\n"; stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
}

// TestCheckFlowConfig: rill check reports bad peer configuration with its location.
func TestCheckFlowConfig(t *testing.T) {
	dir := writeFiles(t, map[string]string{"bad.troy": `define flow f
flow
  define peer api from http_server with config = {"url": "http://127.0.0.1:0", "response_timout": 5} end;
  create peer api;
end;
deploy flow f;
`})
	_, stderr, code := runCmd(t, "", "check", filepath.Join(dir, "bad.troy"))
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	want := "bad.troy:3:80: unknown config key `response_timout` for peer type `http_server`; did you mean `response_timeout`?\n" +
		` 3 |   define peer api from http_server with config = {"url": "http://127.0.0.1:0", "response_timout": 5} end;` + "\n" +
		"   |                                                                                ^^^^^^^^^^^^^^^^^^^^\n" +
		"   = hint: `rill doc peers http_server` lists its config keys\n"
	if !strings.HasSuffix(stderr, want) {
		t.Errorf("got:\n%s\nwant suffix:\n%s", stderr, want)
	}
}

func TestCheckExamples(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "examples", "*.troy"))
	if len(files) < 3 {
		t.Fatalf("examples: %v", files)
	}
	_, stderr, code := runCmd(t, "", append([]string{"check"}, files...)...)
	if code != 0 {
		t.Fatalf("examples do not check: %s", stderr)
	}
}

func TestDocPeers(t *testing.T) {
	out, _, code := runCmd(t, "", "doc", "peers")
	for _, typ := range []string{"stdio", "file", "tcp_server", "tcp_client", "udp_server", "udp_client", "http_server", "http_client", "ws_server", "ws_client", "metronome", "null", "exit", "metrics"} {
		if !strings.Contains(out, "  "+typ+" ") {
			t.Errorf("rill doc peers lacks %s", typ)
		}
	}
	if code != 0 {
		t.Fatal(code)
	}
	out, _, _ = runCmd(t, "", "doc", "peers", "http_server")
	for _, want := range []string{"peer type http_server", "response_timeout", "default codec: json", "sink (ports in)"} {
		if !strings.Contains(out, want) {
			t.Errorf("rill doc peers http_server lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = runCmd(t, "", "doc", "codecs")
	for _, c := range []string{"json", "string", "binary"} {
		if !strings.Contains(out, "  "+c+" ") {
			t.Errorf("rill doc codecs lacks %s", c)
		}
	}
	out, _, _ = runCmd(t, "", "doc", "interceptors")
	if !strings.Contains(out, "lines (separate)") {
		t.Errorf("rill doc interceptors:\n%s", out)
	}
	if _, errOut, code := runCmd(t, "", "doc", "peers", "nope"); code != 1 || !strings.Contains(errOut, "no peer type") {
		t.Errorf("%d %s", code, errOut)
	}
}

// TestRunFlowMetricsAndSignal: --metrics serves Prometheus counters while the flow runs, and
// SIGTERM drains and stops it with status 0.
func TestRunFlowMetricsAndSignal(t *testing.T) {
	dir := writeFiles(t, map[string]string{"m.troy": `
define flow f
flow
  define peer tick from metronome with config = {"interval": 5} end;
  define peer sink from null;
  define pipeline p pipeline select event from in into out; end;
  create peer tick; create peer sink; create pipeline p;
  connect /peer/tick to /pipeline/p;
  connect /pipeline/p to /peer/sink;
end;
deploy flow f;
`})
	sigs := make(chan os.Signal, 1)
	old := stopSignals
	stopSignals = func() (<-chan os.Signal, func()) { return sigs, func() {} }
	defer func() { stopSignals = old }()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"run", "--metrics", "127.0.0.1:0", filepath.Join(dir, "m.troy")}, io.Discard, pw)
		pw.Close()
	}()
	// The log says where the metrics are served.
	var url string
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if i := strings.Index(sc.Text(), "url=http://"); i >= 0 {
			url = strings.Fields(sc.Text()[i+4:])[0]
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if url == "" {
		t.Fatal("no metrics url logged")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if strings.Contains(string(b), `rill_peer_events_total{flow="f",kind="in",peer="sink",type="null"}`) &&
			!strings.Contains(string(b), `rill_peer_events_total{flow="f",kind="in",peer="sink",type="null"} 0`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("metrics never counted the sink's events:\n%s", b)
		}
		time.Sleep(20 * time.Millisecond)
	}
	sigs <- syscall.SIGTERM
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the flow did not stop on SIGTERM")
	}
}
