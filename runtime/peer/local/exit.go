package local

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
)

var exitSpec = &peer.Spec{
	Name: "exit",
	Doc: "stops the flow when an event arrives: {\"exit\": <code>, \"delay\": <ms>} exits with code " +
		"(default 0) after delay milliseconds (default none), as Tremor's exit connector; the first " +
		"event decides, later ones are acked and ignored",
	Sink: true,
	New:  func(config.Values) (peer.Peer, error) { return &Exit{}, nil },
}

// Exit is the exit peer. The first event sent to it makes the flow stop (Host.Exit) with the code
// in its "exit" key after the milliseconds in its "delay" key; the event is acked at once and the
// delay runs on a goroutine that Stop cancels. An event that is not a record or has no "exit" key
// exits with code 0. A mistyped key (an "exit" that is not an integer in the int32 range, a
// "delay" that is not a non-negative integer) is ignored with a logged warning: the flow still
// exits, with code 0 or without delay. Events after the first are acked and ignored.
type Exit struct {
	h         *peer.Host
	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	mu        sync.Mutex
	triggered bool
}

// Start reports the sink ready.
func (e *Exit) Start(ctx context.Context, h *peer.Host) error {
	e.h = h
	e.ctx, e.cancel = context.WithCancel(ctx)
	h.CircuitBreaker(true, 0, 0)
	return nil
}

// Send acks ev and, for the first event, requests the exit (after its delay).
func (e *Exit) Send(_ string, ev *runtime.Event, done func(error)) {
	defer done(nil)
	e.mu.Lock()
	first := !e.triggered
	e.triggered = true
	e.mu.Unlock()
	if !first {
		return
	}
	code, delay := e.parse(ev.Value)
	if delay <= 0 {
		e.h.Exit(code)
		return
	}
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
			e.h.Exit(code)
		case <-e.ctx.Done():
		}
	}()
}

// parse reads the exit code and delay of v, warning about mistyped keys.
func (e *Exit) parse(v value.Value) (int, time.Duration) {
	rec, ok := v.AsRecord()
	if !ok {
		return 0, 0
	}
	code := 0
	if x, ok := rec.Get("exit"); ok {
		if n, isInt := x.AsI64(); isInt && n >= math.MinInt32 && n <= math.MaxInt32 {
			code = int(n)
		} else {
			e.h.Log().Warn("the exit peer's `exit` key must be an integer exit code; exiting with 0", "exit", value.Encode(x))
		}
	}
	var delay time.Duration
	if x, ok := rec.Get("delay"); ok {
		if n, isInt := x.AsI64(); isInt && n >= 0 {
			delay = time.Duration(n) * time.Millisecond
		} else {
			e.h.Log().Warn("the exit peer's `delay` key must be a non-negative integer of milliseconds; exiting now", "delay", value.Encode(x))
		}
	}
	return code, delay
}

// Stop cancels a pending delayed exit and waits for it.
func (e *Exit) Stop() error {
	e.cancel()
	e.wg.Wait()
	return nil
}
