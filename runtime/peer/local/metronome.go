package local

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
)

var metronomeSpec = &peer.Spec{
	Name: "metronome",
	Doc: "emits {\"onramp\": \"metronome\", \"ingest_ns\": <ns>, \"id\": <n from 0>} every `interval` " +
		"milliseconds, on one stream (Tremor 0.13's ticks)",
	Source: true,
	Config: []config.Key{
		{Name: "interval", Type: config.Duration, Required: true, Doc: "the time between two ticks, in milliseconds"},
	},
	New: func(cfg config.Values) (peer.Peer, error) {
		d, err := positiveMs(cfg, "interval", "metronome")
		if err != nil {
			return nil, err
		}
		return &Metronome{interval: d}, nil
	},
}

// positiveMs reads a duration key that must be above zero.
func positiveMs(cfg config.Values, key, peerType string) (time.Duration, error) {
	n := cfg.Int(key)
	if n <= 0 {
		return 0, fmt.Errorf("config key `%s` of peer type `%s` must be a positive duration in milliseconds, not %d", key, peerType, n)
	}
	return time.Duration(n) * time.Millisecond, nil
}

// Metronome is the metronome peer: every interval it emits a tick with h.Emit, its ids counting
// from 0, all on one stream that starts with the first tick and ends on Stop. A tick that falls
// while the previous one is still blocked (a paused source) is skipped, not queued; ids count the
// ticks emitted, so they have no gaps.
type Metronome struct {
	interval time.Duration

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Start starts the ticking goroutine.
func (m *Metronome) Start(ctx context.Context, h *peer.Host) error {
	ctx, m.cancel = context.WithCancel(ctx)
	m.wg.Add(1)
	go m.run(ctx, h)
	return nil
}

func (m *Metronome) run(ctx context.Context, h *peer.Host) {
	defer m.wg.Done()
	t := time.NewTicker(m.interval)
	defer t.Stop()
	var stream, id uint64
	defer func() {
		if stream != 0 {
			h.EndStream(stream)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if stream == 0 {
				stream = h.StartStream()
			}
			ns := uint64(now.UnixNano())
			rec := value.NewRec(3)
			rec.Set("onramp", value.NewString("metronome"))
			rec.Set("ingest_ns", value.NewUint(ns))
			rec.Set("id", value.NewUint(id))
			if h.Emit(ctx, "out", peer.Incoming{Stream: stream, IngestNs: ns}, value.NewRecordValue(rec)) != nil {
				return
			}
			id++
		}
	}
}

// Stop stops ticking and waits for the goroutine.
func (m *Metronome) Stop() error {
	m.cancel()
	m.wg.Wait()
	return nil
}
