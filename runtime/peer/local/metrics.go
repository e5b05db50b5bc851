package local

import (
	"context"
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
		return &Metrics{ticker{interval: d}}, nil
	},
}

// Metrics is the metrics peer: every interval it emits each value of Host.Snapshot (built by the
// flow) as one event, unchanged, all on one stream that starts with the first report and ends on
// Stop. A report due while the previous one is still blocked (a paused source) is skipped.
type Metrics struct{ ticker }

// Start starts the reporting goroutine.
func (m *Metrics) Start(ctx context.Context, h *peer.Host) error {
	m.start(ctx, h, func(ctx context.Context, _ time.Time, stream func() uint64) error {
		for _, v := range h.Snapshot() {
			if err := h.Emit(ctx, "out", peer.Incoming{Stream: stream()}, v); err != nil {
				return err
			}
		}
		return nil
	})
	return nil
}
