package natspeer

import (
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
)

// flusher acknowledges core NATS publishes once the server has them: published events wait
// here, and one goroutine repeatedly takes every waiting event, flushes the connection (a
// PING/PONG round trip, so the server has read everything written before it) and completes
// them all with the outcome. Under load a round trip covers many events, so an ack costs far
// less than a flush per event.
type flusher struct {
	nc      *nats.Conn
	timeout time.Duration
	what    string // "nats `alias`", for errors

	mu      sync.Mutex
	pending []func(error)
	kick    chan struct{} // has a value when pending may be non-empty
	stop    chan struct{}
	done    chan struct{}
}

func newFlusher(nc *nats.Conn, timeout time.Duration, what string) *flusher {
	f := &flusher{nc: nc, timeout: timeout, what: what, kick: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{})}
	go f.run()
	return f
}

// add queues the completion of an event that was published.
func (f *flusher) add(done func(error)) {
	f.mu.Lock()
	f.pending = append(f.pending, done)
	f.mu.Unlock()
	select {
	case f.kick <- struct{}{}:
	default:
	}
}

func (f *flusher) run() {
	defer close(f.done)
	for {
		select {
		case <-f.kick:
			f.flush()
		case <-f.stop:
			f.flush()
			return
		}
	}
}

// flush completes every waiting event with the outcome of one flush.
func (f *flusher) flush() {
	f.mu.Lock()
	batch := f.pending
	f.pending = nil
	f.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	err := f.nc.FlushTimeout(f.timeout)
	if err != nil {
		err = fmt.Errorf("%s: the server did not confirm the publish within %d ms: %w", f.what, f.timeout.Milliseconds(), err)
	}
	for _, done := range batch {
		done(err)
	}
}

// close completes what is waiting and stops the goroutine; no add may follow.
func (f *flusher) close() {
	close(f.stop)
	<-f.done
}
