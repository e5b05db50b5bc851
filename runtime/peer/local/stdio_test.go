package local

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/rillstream/rill/internal/testutil"
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

type syncBuffer = testutil.SyncBuffer

// expectSignal asserts the next stream signal.
func expectSignal(t *testing.T, h *peertest.Harness, kind runtime.SignalKind, stream uint64) {
	t.Helper()
	s := h.NextSignal()
	if s.Kind != kind || s.Stream != stream {
		t.Fatalf("got signal %s of stream %d, want %s of stream %d", s.Kind, s.Stream, kind, stream)
	}
}

// expectOut asserts that the next event is on port out with the given value (canonical JSON).
func expectOut(t *testing.T, h *peertest.Harness, want string) *runtime.Event {
	t.Helper()
	d := h.Next()
	if d.Port != "out" || peertest.JS(d.Ev.Value) != want {
		t.Fatalf("got %s %s, want out %s", d.Port, value.Encode(d.Ev.Value), want)
	}
	return d.Ev
}

func TestStdioReadsStdinAsOneStream(t *testing.T) {
	pr, pw := io.Pipe()
	defer pr.Close()
	h := peertest.Start(t, StdioSpec(pr, nil, nil), "", peertest.Options{})
	go func() {
		pw.Write([]byte(`{"a":1}` + "\n" + `{"b"`))
		pw.Write([]byte(":2}\nnot json\n"))
		pw.Write([]byte(`{"c":3}`)) // no newline: flushed at EOF
		pw.Close()
	}()
	expectSignal(t, h, runtime.StreamStart, 1)
	expectOut(t, h, `{"a":1}`)
	ev := expectOut(t, h, `{"b":2}`)
	if ev.ID.Stream != 1 || ev.ID.Seq != 1 {
		t.Errorf("second event id = %+v, want stream 1 seq 1", ev.ID)
	}
	d := h.Next()
	if d.Port != "err" {
		t.Fatalf("bad line: got %s %s, want an err event", d.Port, value.Encode(d.Ev.Value))
	}
	rec, _ := d.Ev.Value.AsRecord()
	if raw, _ := rec.Get("raw"); peertest.JS(raw) != `"bm90IGpzb24="` {
		t.Errorf("err event raw = %s, want the bad line in base64", value.Encode(raw))
	}
	expectOut(t, h, `{"c":3}`)
	expectSignal(t, h, runtime.StreamEnd, 1)
	h.None(20 * time.Millisecond)
}

func TestStdioWithoutInputEmitsNothing(t *testing.T) {
	h := peertest.Start(t, StdioSpec(strings.NewReader(""), nil, nil), "", peertest.Options{})
	h.None(20 * time.Millisecond)
	h.Stop()
	if len(h.Sigs) != 0 {
		t.Errorf("an empty input started a stream")
	}
}

func TestStdioStopWhileReadBlocks(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close() // ends the blocked read after the test
	h := peertest.Start(t, StdioSpec(pr, nil, nil), "", peertest.Options{})
	pw.Write([]byte(`{"a":1}` + "\n" + `{"partial":`))
	expectSignal(t, h, runtime.StreamStart, 1)
	expectOut(t, h, `{"a":1}`)
	h.Stop() // returns although a read is blocked; ends the stream
	expectSignal(t, h, runtime.StreamEnd, 1)
}

func TestStdioWritesStdoutAndStderr(t *testing.T) {
	var out, errw syncBuffer
	h := peertest.Start(t, StdioSpec(nil, &out, &errw), "", peertest.Options{})
	for _, c := range []struct{ port, ev string }{
		{"in", `{"x":1}`}, {"stderr", `{"e":"bad"}`}, {"stdout", `[1,2]`}, {"stderr", `"two"`},
	} {
		if err := h.SendPort(c.port, peertest.Event(c.ev, "")); err != nil {
			t.Fatalf("send to %s: %v", c.port, err)
		}
	}
	// An ack means the bytes were written.
	if got, want := out.String(), "{\"x\":1}\n[1,2]\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	if got, want := errw.String(), "{\"e\":\"bad\"}\n\"two\"\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
	if err := h.SendPort("other", peertest.Event(`1`, "")); err == nil || !strings.Contains(err.Error(), "no input port `other`") {
		t.Errorf("send to an unknown port: %v", err)
	}
	if n := h.Host.Metrics().Send.Load(); n != 4 {
		t.Errorf("send metric = %d, want 4", n)
	}
}

func TestStdioKeepsOrderUnderLoad(t *testing.T) {
	var out syncBuffer
	h := peertest.Start(t, StdioSpec(nil, &out, nil), "", peertest.Options{})
	const n = 2000
	dones := make([]<-chan error, n)
	for i := range n {
		dones[i] = h.SendAsync(runtime.NewEvent(value.NewInt(int64(i)), 0))
	}
	for i, d := range dones {
		if err := <-d; err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != n {
		t.Fatalf("%d lines written, want %d", len(lines), n)
	}
	for i, l := range lines {
		if want := value.Encode(value.NewInt(int64(i))); l != want {
			t.Fatalf("line %d = %q, want %q", i, l, want)
		}
	}
}

func TestStdioSendAfterStopFails(t *testing.T) {
	h := peertest.Start(t, StdioSpec(nil, nil, nil), "", peertest.Options{})
	h.Stop()
	if err := h.Send(peertest.Event(`1`, "")); err == nil {
		t.Fatal("a send after Stop was acked")
	}
}

func TestStdioRejectsBadBufSize(t *testing.T) {
	spec := StdioSpec(nil, nil, nil)
	cfg, err := config.Validate("peer type `stdio`", value.MustDecodeJSON(`{"buf_size": 0}`), spec.Config)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := spec.New(cfg); err == nil || !strings.Contains(err.Error(), "buf_size") {
		t.Errorf("buf_size 0: %v", err)
	}
}

// startBare starts a peer of spec with cfgJSON on a bare host (no harness), for Start errors.
func startBare(t *testing.T, spec *peer.Spec, cfgJSON string) (peer.Peer, error) {
	t.Helper()
	cfg, err := config.Validate("peer type `"+spec.Name+"`", value.MustDecodeJSON(cfgJSON), spec.Config)
	if err != nil {
		t.Fatal(err)
	}
	p, err := spec.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p, p.Start(context.Background(), peer.NewHost(peer.HostConfig{UID: 1, Alias: "bare"}))
}

func mustValidate(t *testing.T, keys []config.Key, cfgJSON string) config.Values {
	t.Helper()
	cfg, err := config.Validate("test", value.MustDecodeJSON(cfgJSON), keys)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestStdioWritesClosingBytesOnStop(t *testing.T) {
	var out, errw syncBuffer
	p, _ := startWithTrailer(t, StdioSpec(nil, &out, &errw), "{}")
	send(t, p, "in", `1`)
	send(t, p, "stderr", `"e"`)
	send(t, p, "stdout", `2`)
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "1;2;END" {
		t.Errorf("stdout = %q", got)
	}
	if got := errw.String(); got != `"e";END` {
		t.Errorf("stderr = %q", got)
	}
}
