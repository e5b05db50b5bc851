package main

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rillstream/rill/internal/testutil"
)

type syncBuffer = testutil.SyncBuffer

// startLive runs `rill run args...` reading a pipe; it returns the pipe's writer, the outputs and
// a channel delivering the exit status.
func startLive(t *testing.T, args ...string) (*io.PipeWriter, *syncBuffer, *syncBuffer, <-chan int) {
	t.Helper()
	pr, pw := io.Pipe()
	old := stdin
	stdin = pr
	t.Cleanup(func() { stdin = old; pw.Close() })
	out, errb := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() { done <- run(append([]string{"run"}, args...), out, errb) }()
	return pw, out, errb, done
}

func waitExit(t *testing.T, done <-chan int) int {
	t.Helper()
	select {
	case code := <-done:
		return code
	case <-time.After(3 * time.Second):
		t.Fatal("rill run did not exit after the end of its input")
		return -1
	}
}

// TestRunQueryLiveTick: live, a quiet input still closes an interval window: the window's output
// arrives on a tick while the input stays open.
func TestRunQueryLiveTick(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"q.trickle": "define window w from tumbling with interval = 200000000 end;\n" + // 200 ms
			"select aggr::win::collect_flattened(event) from in[w] into out;\n",
	})
	pw, out, errb, done := startLive(t, "--tick", "20ms", filepath.Join(dir, "q.trickle"))
	if _, err := io.WriteString(pw, "1\n2\n3\n"); err != nil { // one write: one window
		t.Fatal(err)
	}
	want := "[1,2,3]\n"
	deadline := time.Now().Add(3 * time.Second)
	for out.String() != want {
		if time.Now().After(deadline) {
			t.Fatalf("no window output before the input ended; stdout %q, stderr %q", out.String(), errb.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	pw.Close()
	if code := waitExit(t, done); code != 0 || out.String() != want || errb.String() != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}

// TestRunQueryLiveEndDropsOpenWindows: at the end of the input the run exits cleanly and a window
// still open is not flushed.
func TestRunQueryLiveEndDropsOpenWindows(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"q.trickle": "define window w from tumbling with interval = 60000000000 end;\n" + // 1 min
			"select aggr::stats::count() from in[w] into out;\n" +
			"select event from in into out;\n",
	})
	for _, tick := range []string{"10ms", "0"} {
		pw, out, errb, done := startLive(t, "--tick", tick, filepath.Join(dir, "q.trickle"))
		if _, err := io.WriteString(pw, "1\n2\n"); err != nil {
			t.Fatal(err)
		}
		pw.Close()
		if code := waitExit(t, done); code != 0 || out.String() != "1\n2\n" || errb.String() != "" {
			t.Errorf("--tick %s: exit %d, stdout %q, stderr %q", tick, code, out.String(), errb.String())
		}
	}
}

func TestRunTickFlag(t *testing.T) {
	_, errs, code := runCmd(t, "", "run", "--tick", "-1s", "q.trickle")
	if code != 2 || !strings.Contains(errs, "--tick must not be negative") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}
