package local

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
)

// positiveMs reads a duration key that must be above zero.
func positiveMs(cfg config.Values, key, peerType string) (time.Duration, error) {
	n := cfg.Int(key)
	if n <= 0 {
		return 0, fmt.Errorf("config key `%s` of peer type `%s` must be a positive duration in milliseconds, not %d", key, peerType, n)
	}
	return time.Duration(n) * time.Millisecond, nil
}

// ticker runs the value sources (metronome, metrics): a goroutine calls a tick function every
// interval, and what it emits goes on one stream that starts with the first event and ends on
// Stop. A tick that falls while the previous one is still blocked (a paused source) is skipped,
// not queued.
type ticker struct {
	interval time.Duration

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// tickFunc emits the events of the tick at now with Host.Emit; stream returns the id of the
// peer's stream, starting it on the first call. An error (the flow stops) ends the ticking.
type tickFunc func(ctx context.Context, now time.Time, stream func() uint64) error

// start starts the ticking goroutine.
func (t *ticker) start(ctx context.Context, h *peer.Host, tick tickFunc) {
	ctx, t.cancel = context.WithCancel(ctx)
	t.wg.Add(1)
	go t.run(ctx, h, tick)
}

func (t *ticker) run(ctx context.Context, h *peer.Host, tick tickFunc) {
	defer t.wg.Done()
	tk := time.NewTicker(t.interval)
	defer tk.Stop()
	var id uint64
	stream := func() uint64 {
		if id == 0 {
			id = h.StartStream()
		}
		return id
	}
	defer func() {
		if id != 0 {
			h.EndStream(id)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tk.C:
			if tick(ctx, now, stream) != nil {
				return
			}
		}
	}
}

// Stop stops ticking and waits for the goroutine.
func (t *ticker) Stop() error {
	t.cancel()
	t.wg.Wait()
	return nil
}
