package local

import (
	"context"
	"sync"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
)

var metricsSpec = &peer.Spec{
	Name: "metrics",
	Doc: "emits the flow's metrics every `interval` milliseconds, one event per measurement: " +
		"{\"measurement\": \"rill_peer_events\", \"tags\": {...}, \"fields\": {\"count\": n}, \"timestamp\": <ns>}",
	Source: true,
	Config: []config.Key{
		{Name: "interval", Type: config.Duration, Default: value.NewInt(1000), Doc: "the time between two reports, in milliseconds"},
	},
	New: func(cfg config.Values) (peer.Peer, error) {
		d, err := positiveMs(cfg, "interval", "metrics")
		if err != nil {
			return nil, err
		}
		return &Metrics{interval: d}, nil
	},
}

// Metrics is the metrics peer: every interval it emits each value of Host.Snapshot (built by the
// flow) as one event, unchanged, all on one stream that starts with the first report and ends on
// Stop. A report due while the previous one is still blocked (a paused source) is skipped.
type Metrics struct {
	interval time.Duration

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Start starts the reporting goroutine.
func (m *Metrics) Start(ctx context.Context, h *peer.Host) error {
	ctx, m.cancel = context.WithCancel(ctx)
	m.wg.Add(1)
	go m.run(ctx, h)
	return nil
}

func (m *Metrics) run(ctx context.Context, h *peer.Host) {
	defer m.wg.Done()
	t := time.NewTicker(m.interval)
	defer t.Stop()
	var stream uint64
	defer func() {
		if stream != 0 {
			h.EndStream(stream)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			vals := h.Snapshot()
			if len(vals) > 0 && stream == 0 {
				stream = h.StartStream()
			}
			for _, v := range vals {
				if h.Emit(ctx, "out", peer.Incoming{Stream: stream}, v) != nil {
					return
				}
			}
		}
	}
}

// Stop stops reporting and waits for the goroutine.
func (m *Metrics) Stop() error {
	m.cancel()
	m.wg.Wait()
	return nil
}
