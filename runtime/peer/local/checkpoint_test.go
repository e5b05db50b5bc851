package local

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/peer"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

// ckptRun is one run of a file peer reading with a checkpoint, with every event it read.
type ckptRun struct {
	h    *peertest.Harness
	evs  []peertest.Delivered
	file *File
}

// readCkpt starts a file peer over path with checkpoint ckpt (chunk_size chunk, 0: default),
// collects its events up to the end of its stream and checks their values (canonical JSON;
// "err" for an err event).
func readCkpt(t *testing.T, path, ckpt string, chunk int, want ...string) *ckptRun {
	t.Helper()
	cfg := map[string]any{"path": path, "checkpoint": ckpt}
	if chunk > 0 {
		cfg["chunk_size"] = chunk
	}
	b, _ := json.Marshal(cfg)
	h := peertest.Start(t, fileSpec, string(b), peertest.Options{})
	r := &ckptRun{h: h, file: h.Peer.(*File)}
	expectSignal(t, h, runtime.StreamStart, 1)
	var got []string
	for range want {
		d := h.Next()
		r.evs = append(r.evs, d)
		if d.Port == "err" {
			got = append(got, "err")
		} else {
			got = append(got, peertest.JS(d.Ev.Value))
		}
	}
	expectSignal(t, h, runtime.StreamEnd, 1)
	h.None(5 * time.Millisecond)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("read %v, want %v", got, want)
	}
	for i, d := range r.evs {
		if d.Ev.ID.Seq != uint64(i) {
			t.Errorf("event %d has seq %d", i, d.Ev.ID.Seq)
		}
	}
	return r
}

func (r *ckptRun) ack(idx ...int) {
	for _, i := range idx {
		r.file.Ack(r.evs[i].Ev)
	}
}

func (r *ckptRun) fail(idx ...int) {
	for _, i := range idx {
		r.file.Fail(r.evs[i].Ev, errors.New("sink failed"))
	}
}

// committed checks the offset the run has committed so far.
func (r *ckptRun) committed(t *testing.T, want int64) {
	t.Helper()
	if got := r.file.prog.offset(); got != want {
		t.Fatalf("committed offset = %d, want %d", got, want)
	}
}

// stop stops the run and checks the offset in the checkpoint file.
func (r *ckptRun) stop(t *testing.T, ckpt string, want int64) {
	t.Helper()
	r.h.Stop()
	if got := ckptOffset(t, ckpt); got != want {
		t.Fatalf("checkpoint offset after stop = %d, want %d", got, want)
	}
}

// ckptOffset reads the offset from the checkpoint file.
func ckptOffset(t *testing.T, ckpt string) int64 {
	t.Helper()
	b, err := os.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	var c checkpointFile
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("checkpoint %q: %v", b, err)
	}
	return c.Offset
}

func ckptFiles(t *testing.T, content string) (path, ckpt string) {
	t.Helper()
	dir := t.TempDir()
	path, ckpt = filepath.Join(dir, "in.json"), filepath.Join(dir, "in.ckpt")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, ckpt
}

func TestFileCheckpointResumesAfterAckedLines(t *testing.T) {
	path, ckpt := ckptFiles(t, "1\n2\n3\n4\n5\n")
	r := readCkpt(t, path, ckpt, 2, "1", "2", "3", "4", "5") // a line per read
	if got := ckptOffset(t, ckpt); got != 0 {
		t.Fatalf("checkpoint written at start = %d, want 0", got)
	}
	r.ack(1, 2) // out of order: line 1 is not processed yet
	r.committed(t, 0)
	r.ack(0)
	r.committed(t, 6)
	// The checkpointer writes it while the peer runs.
	deadline := time.Now().Add(5 * time.Second)
	for ckptOffset(t, ckpt) != 6 {
		if time.Now().After(deadline) {
			t.Fatal("the checkpoint was not written while running")
		}
		time.Sleep(5 * time.Millisecond)
	}
	r.stop(t, ckpt, 6)

	r = readCkpt(t, path, ckpt, 0, "4", "5")
	r.ack(0, 1)
	r.committed(t, 10)
	if pieces, events := r.file.prog.pending(); pieces != 0 || events != 0 {
		t.Errorf("after every ack %d pieces and %d events are kept", pieces, events)
	}
	r.stop(t, ckpt, 10)

	readCkpt(t, path, ckpt, 0).stop(t, ckpt, 10)
}

func TestFileCheckpointStopsAtFailedEvent(t *testing.T) {
	path, ckpt := ckptFiles(t, "1\n2\n3\n4\n5\n")
	r := readCkpt(t, path, ckpt, 2, "1", "2", "3", "4", "5")
	r.ack(0)
	r.fail(1)
	r.ack(2, 3, 4)
	r.ack(1) // the first answer settles an event
	r.committed(t, 2)
	if pieces, _ := r.file.prog.pending(); pieces != 1 {
		t.Errorf("%d pieces kept after a failure, want 1 (the failed one)", pieces)
	}
	r.stop(t, ckpt, 2)

	r = readCkpt(t, path, ckpt, 0, "2", "3", "4", "5")
	r.ack(0, 1, 2, 3)
	r.stop(t, ckpt, 10)
}

func TestFileCheckpointPassesBadLines(t *testing.T) {
	path, ckpt := ckptFiles(t, "1\nnope\n3\n")
	r := readCkpt(t, path, ckpt, 2, "1", "err", "3")
	r.fail(1) // an err event counts as done: its failure does not block either
	r.ack(0)
	r.committed(t, 7)
	r.ack(2)
	r.committed(t, 9)
	r.stop(t, ckpt, 9)
	readCkpt(t, path, ckpt, 0)
}

func TestFileCheckpointAggregateAck(t *testing.T) {
	path, ckpt := ckptFiles(t, "1\n2\n3\n4\n5\n")
	r := readCkpt(t, path, ckpt, 2, "1", "2", "3", "4", "5")
	agg := &runtime.Event{Value: value.NewInt(6), ID: runtime.EventID{Peer: 9, Stream: 1, Seq: 0},
		Tracked: []runtime.IDRange{
			{Peer: 1, Stream: 1, Min: 0, Max: 2}, // this file's lines 1..3
			{Peer: 1, Stream: 2, Min: 3, Max: 4}, // another stream of the peer
			{Peer: 2, Stream: 1, Min: 3, Max: 4}, // another peer
		}}
	r.file.Ack(agg)
	r.committed(t, 6)
	agg = &runtime.Event{ID: runtime.EventID{Peer: 9, Stream: 1, Seq: 1},
		Tracked: []runtime.IDRange{{Peer: 1, Stream: 1, Min: 3, Max: 4}}}
	r.file.Fail(agg, errors.New("window sink failed"))
	r.ack(3, 4)
	r.stop(t, ckpt, 6)
	readCkpt(t, path, ckpt, 0, "4", "5")
}

func TestFileCheckpointOfAChangedFile(t *testing.T) {
	path, ckpt := ckptFiles(t, "1\n2\n3\n4\n5\n")
	r := readCkpt(t, path, ckpt, 2, "1", "2", "3", "4", "5")
	r.ack(0, 1, 2)
	r.stop(t, ckpt, 6)

	// Appended to: reading resumes.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("6\n")
	f.Close()
	r = readCkpt(t, path, ckpt, 0, "4", "5", "6")
	r.ack(0, 1, 2)
	r.stop(t, ckpt, 12)

	// Replaced by a longer file with other content: read from the start.
	os.WriteFile(path, []byte("10\n20\n30\n40\n"), 0o644)
	r = readCkpt(t, path, ckpt, 3, "10", "20", "30", "40")
	r.ack(0)
	r.stop(t, ckpt, 3)

	// Rewritten with the same size and a change before the offset: from the start.
	os.WriteFile(path, []byte("11\n20\n30\n40\n"), 0o644)
	r = readCkpt(t, path, ckpt, 3, "11", "20", "30", "40")
	r.ack(0, 1, 2)
	r.stop(t, ckpt, 9)

	// Truncated below the offset: from the start.
	os.WriteFile(path, []byte("7\n"), 0o644)
	r = readCkpt(t, path, ckpt, 0, "7")
	r.stop(t, ckpt, 0)

	// A checkpoint file that is no checkpoint: from the start.
	os.WriteFile(ckpt, []byte("garbage"), 0o644)
	readCkpt(t, path, ckpt, 0, "7").stop(t, ckpt, 0)
}

func TestFileCheckpointOnLineBoundariesAcrossChunks(t *testing.T) {
	// Lines of 8 bytes read 3 bytes at a time; the last line has no newline.
	content := `{"a":1}` + "\n" + `{"a":2}` + "\n" + `{"a":3}` + "\n" + `{"a":4}`
	path, ckpt := ckptFiles(t, content)
	r := readCkpt(t, path, ckpt, 3, `{"a":1}`, `{"a":2}`, `{"a":3}`, `{"a":4}`)
	r.ack(3, 1, 0)
	r.committed(t, 16)
	r.stop(t, ckpt, 16)

	r = readCkpt(t, path, ckpt, 3, `{"a":3}`, `{"a":4}`)
	r.ack(1)
	r.committed(t, 16)
	r.ack(0)
	r.committed(t, int64(len(content)))
	r.stop(t, ckpt, int64(len(content)))

	readCkpt(t, path, ckpt, 5).stop(t, ckpt, int64(len(content)))
}

func TestFileCheckpointConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "in.json")
	os.WriteFile(path, []byte("1\n"), 0o644)

	cfg := mustValidate(t, fileSpec.Config, `{"path": "`+path+`", "mode": "append", "checkpoint": "x"}`)
	if _, err := fileSpec.New(cfg); err == nil || !strings.Contains(err.Error(), "mode \"read\" only") {
		t.Errorf("checkpoint in append mode: %v", err)
	}

	missing := filepath.Join(dir, "no", "such", "ckpt")
	_, err := startBare(t, fileSpec, `{"path": "`+path+`", "checkpoint": "`+missing+`"}`)
	if err == nil || !strings.Contains(err.Error(), "can not be written") || !strings.Contains(err.Error(), missing) {
		t.Errorf("checkpoint in a missing directory: %v", err)
	}

	_, err = startBare(t, fileSpec, `{"path": "`+dir+`", "checkpoint": "`+filepath.Join(dir, "c")+`"}`)
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("checkpoint of a directory: %v", err)
	}
}

// TestFileWithoutCheckpointIgnoresAnswers: Ack and Fail do nothing without a checkpoint.
func TestFileWithoutCheckpointIgnoresAnswers(t *testing.T) {
	path, _ := ckptFiles(t, "1\n")
	h := peertest.Start(t, fileSpec, `{"path": "`+path+`"}`, peertest.Options{})
	expectSignal(t, h, runtime.StreamStart, 1)
	ev := expectOut(t, h, "1")
	var a peer.Acker = h.Peer.(*File)
	a.Ack(ev)
	a.Fail(ev, errors.New("x"))
	expectSignal(t, h, runtime.StreamEnd, 1)
}

// TestFileCheckpointStopWhilePaused: a piece whose Receive was interrupted by Stop is never
// committed.
func TestFileCheckpointStopWhilePaused(t *testing.T) {
	path, ckpt := ckptFiles(t, "1\n2\n")
	cfg, err := json.Marshal(map[string]any{"path": path, "checkpoint": ckpt})
	if err != nil {
		t.Fatal(err)
	}
	p, err := fileSpec.New(mustValidate(t, fileSpec.Config, string(cfg)))
	if err != nil {
		t.Fatal(err)
	}
	h := peer.NewHost(peer.HostConfig{UID: 1, Alias: "paused"})
	h.Pause(0)
	if err := p.Start(context.Background(), h); err != nil {
		t.Fatal(err)
	}
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	if got := ckptOffset(t, ckpt); got != 0 {
		t.Errorf("checkpoint = %d, want 0", got)
	}
}

// TestProgressRanges drives the bookkeeping directly: pieces of many events (several bitset
// words), empty pieces, ranges across pieces, err events and a late failure.
func TestProgressRanges(t *testing.T) {
	p := newProgress(1, 100)
	p.stream.Store(1)
	seq := uint64(0)
	piece := func(end int64, ports ...string) {
		p.begin(end)
		for _, port := range ports {
			p.delivered(port, &runtime.Event{ID: runtime.EventID{Peer: 1, Stream: 1, Seq: seq}})
			seq++
		}
		p.release()
	}
	outs := func(n int) []string { return strings.Split(strings.Repeat("out ", n-1)+"out", " ") }
	piece(110, outs(130)...)              // seqs 0..129
	piece(110)                            // no event (a chunk inside a long line)
	piece(120, append(outs(3), "err")...) // seqs 130..133, 133 an err event
	piece(130, outs(70)...)               // seqs 134..203
	ack := func(lo, hi uint64) {
		p.answer(&runtime.Event{ID: runtime.EventID{Peer: 5}, Tracked: []runtime.IDRange{{Peer: 1, Stream: 1, Min: lo, Max: hi}}}, false)
	}
	ack(64, 200) // not the first 64
	if got := p.offset(); got != 100 {
		t.Fatalf("offset = %d, want 100", got)
	}
	if pieces, events := p.pending(); pieces != 4 || events != 64+3 {
		t.Fatalf("pending = %d pieces, %d events", pieces, events)
	}
	ack(0, 63)
	if got := p.offset(); got != 120 {
		t.Fatalf("offset = %d, want 120", got)
	}
	if p.answer(&runtime.Event{ID: runtime.EventID{Peer: 1, Stream: 1, Seq: 100}}, true) {
		t.Error("a failure of a settled event froze the progress")
	}
	if !p.answer(&runtime.Event{ID: runtime.EventID{Peer: 1, Stream: 1, Seq: 202}}, true) {
		t.Error("a failure did not freeze the progress")
	}
	piece(140, "out") // not tracked any more
	ack(201, 300)
	if got, lim := p.offset(), p.limit(); got != 120 || lim != 120 {
		t.Fatalf("offset = %d, limit = %d, want 120", got, lim)
	}
	if pieces, events := p.pending(); pieces != 1 || events != 0 {
		t.Fatalf("pending after the failure = %d pieces, %d events", pieces, events)
	}
}
