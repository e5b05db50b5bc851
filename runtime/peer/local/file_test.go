package local

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

func TestFileReadsLinesAsOneStream(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.json")
	// The last line has no newline; chunk_size 5 splits lines across reads.
	if err := os.WriteFile(path, []byte("{\"a\":1}\n{\"a\":2}\nnope\n{\"a\":3}"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := peertest.Start(t, fileSpec, `{"path": "`+path+`", "chunk_size": 5}`, peertest.Options{})
	expectSignal(t, h, runtime.StreamStart, 1)
	for i, want := range []string{`{"a":1}`, `{"a":2}`} {
		ev := expectOut(t, h, want)
		if got := peertest.JS(ev.Meta); got != `{"file":{"path":"`+path+`"}}` {
			t.Errorf("meta = %s", got)
		}
		if ev.ID.Stream != 1 || ev.ID.Seq != uint64(i) {
			t.Errorf("id = %+v", ev.ID)
		}
	}
	if d := h.Next(); d.Port != "err" {
		t.Fatalf("bad line: got %s event", d.Port)
	}
	expectOut(t, h, `{"a":3}`)
	expectSignal(t, h, runtime.StreamEnd, 1)
	h.None(20 * time.Millisecond)
}

func TestFileReadEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	h := peertest.Start(t, fileSpec, `{"path": "`+path+`"}`, peertest.Options{})
	expectSignal(t, h, runtime.StreamStart, 1)
	expectSignal(t, h, runtime.StreamEnd, 1)
	h.None(10 * time.Millisecond)
}

func TestFileMissingIsAStartError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.json")
	_, err := startBare(t, fileSpec, `{"path": "`+path+`"}`)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("missing file: %v", err)
	}
	_, err = startBare(t, fileSpec, `{"path": "`+filepath.Join(path, "x")+`", "mode": "write"}`)
	if err == nil || !strings.Contains(err.Error(), "can not be opened for writing") {
		t.Fatalf("write into a missing directory: %v", err)
	}
}

func TestFileReadModeFailsEvents(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.json")
	os.WriteFile(path, nil, 0o644)
	h := peertest.Start(t, fileSpec, `{"path": "`+path+`"}`, peertest.Options{})
	if err := h.Send(peertest.Event(`1`, "")); err == nil || !strings.Contains(err.Error(), `mode "read"`) {
		t.Errorf("send to a read-mode file: %v", err)
	}
}

// writeFile runs a file peer in mode over path and sends it events.
func writeFile(t *testing.T, path, mode string, events ...string) {
	t.Helper()
	h := peertest.Start(t, fileSpec, `{"path": "`+path+`", "mode": "`+mode+`"}`, peertest.Options{})
	for i, e := range events {
		if err := h.Send(peertest.Event(e, "")); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			// The ack means the bytes reached the file.
			if b, _ := os.ReadFile(path); !strings.HasSuffix(string(b), e+"\n") {
				t.Errorf("after the first ack the file holds %q", b)
			}
		}
	}
	h.Stop()
	h.None(10 * time.Millisecond) // the source side of a write-mode peer emits nothing
}

func expectFile(t *testing.T, path, want string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != want {
		t.Errorf("file holds %q, want %q", b, want)
	}
}

func TestFileWriteTruncates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.json")
	writeFile(t, path, "write", `{"a":1}`, `"two"`)
	expectFile(t, path, "{\"a\":1}\n\"two\"\n")
	writeFile(t, path, "write", `3`)
	expectFile(t, path, "3\n")
	writeFile(t, path, "truncate", `4`)
	expectFile(t, path, "4\n")
}

func TestFileAppendAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.json")
	writeFile(t, path, "append", `1`, `2`)
	writeFile(t, path, "append", `{"x":[3]}`)
	expectFile(t, path, "1\n2\n{\"x\":[3]}\n")
}

func TestFileWritesClosingBytesOnStop(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.json")
	p, h := startWithTrailer(t, fileSpec, `{"path": "`+path+`", "mode": "write"}`)
	send(t, p, "in", `{"a":1}`)
	send(t, p, "in", `2`)
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	expectFile(t, path, `{"a":1};2;END`)
	if n := h.Metrics().Send.Load(); n != 2 {
		t.Errorf("send metric = %d, want 2", n)
	}
}
