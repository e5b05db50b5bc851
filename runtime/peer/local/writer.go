package local

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/rillstream/rill/runtime/peer"
)

// maxQueued bounds the bytes a writer holds before Send blocks (the sink's backpressure).
const maxQueued = 1 << 20

// errStopped fails events sent to a sink after its Stop.
var errStopped = errors.New("the peer is stopped")

// target is one destination of a writer: standard output, standard error or a file.
type target struct {
	name string // "standard output", "file `/tmp/x`": what error messages call it
	w    io.Writer
}

// segment is a run of consecutive queued bytes for one target, with the acks of the events they
// hold (nil dones are closing trailers that answer no event).
type segment struct {
	dst   int
	data  []byte
	dones []func(error)
}

// writer is the single goroutine that writes a sink's output (group commit): Send queues the
// serialized bytes and returns; the writer writes everything queued so far in one Write per
// target run and then acks those events with the result. So the output is written as soon as
// the writer is idle, and while a Write is in progress the following events are batched into the
// next one. Writes to several targets keep the order in which events were sent.
type writer struct {
	h       *peer.Host
	targets []target

	mu      sync.Mutex
	wake    *sync.Cond // work queued, room freed or closed
	queue   []segment
	spare   []segment // the previous batch, reused for its buffers
	queued  int
	closed  bool
	done    chan struct{}
	errSeen bool // a write error was logged already
}

// newWriter starts the writer goroutine of a sink.
func newWriter(h *peer.Host, targets ...target) *writer {
	w := &writer{h: h, targets: targets, done: make(chan struct{})}
	w.wake = sync.NewCond(&w.mu)
	go w.loop()
	return w
}

// add queues chunks for target dst; done (when not nil) is called once they were written. It
// blocks while more than maxQueued bytes wait. After close it fails done with errStopped.
func (w *writer) add(dst int, chunks [][]byte, done func(error)) {
	w.mu.Lock()
	for w.queued >= maxQueued && !w.closed {
		w.wake.Wait()
	}
	if w.closed {
		w.mu.Unlock()
		if done != nil {
			done(errStopped)
		}
		return
	}
	n := len(w.queue)
	if n == 0 || w.queue[n-1].dst != dst {
		var buf []byte
		if len(w.spare) > 0 {
			buf = w.spare[len(w.spare)-1].data[:0]
			w.spare = w.spare[:len(w.spare)-1]
		}
		w.queue = append(w.queue, segment{dst: dst, data: buf})
		n++
	}
	seg := &w.queue[n-1]
	for _, c := range chunks {
		seg.data = append(seg.data, c...)
		w.queued += len(c)
	}
	if done != nil {
		seg.dones = append(seg.dones, done)
	}
	w.wake.Broadcast()
	w.mu.Unlock()
}

// close writes what is queued, stops the writer goroutine and waits for it.
func (w *writer) close() {
	w.mu.Lock()
	w.closed = true
	w.wake.Broadcast()
	w.mu.Unlock()
	<-w.done
}

func (w *writer) loop() {
	defer close(w.done)
	var batch []segment
	for {
		w.mu.Lock()
		// Give the written batch's buffers back for reuse.
		for i := range batch {
			batch[i].dones = nil
			if len(w.spare) < 4 && cap(batch[i].data) <= maxQueued {
				w.spare = append(w.spare, segment{data: batch[i].data[:0]})
			}
		}
		for len(w.queue) == 0 && !w.closed {
			w.wake.Wait()
		}
		if len(w.queue) == 0 {
			w.mu.Unlock()
			return
		}
		batch, w.queue = w.queue, batch[:0]
		w.queued = 0
		w.wake.Broadcast()
		w.mu.Unlock()
		for _, seg := range batch {
			t := w.targets[seg.dst]
			_, err := t.w.Write(seg.data)
			if err != nil {
				err = errWrite(t.name, err)
				w.logOnce(err)
			} else {
				w.h.Metrics().Send.Add(uint64(len(seg.dones)))
			}
			for _, d := range seg.dones {
				d(err)
			}
		}
	}
}

// logOnce logs the first write error of the sink; later ones only fail their events.
func (w *writer) logOnce(err error) {
	w.mu.Lock()
	seen := w.errSeen
	w.errSeen = true
	w.mu.Unlock()
	if !seen {
		w.h.Log().Warn("write failed; events written to it fail", "error", err)
	}
}

func errWrite(name string, err error) error { return fmt.Errorf("writing to %s: %w", name, err) }
