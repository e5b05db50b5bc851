package local

import (
	"context"
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
		return &Metronome{ticker{interval: d}}, nil
	},
}

// Metronome is the metronome peer: every interval it emits a tick with h.Emit, its ids counting
// from 0, all on one stream that starts with the first tick and ends on Stop. A tick that falls
// while the previous one is still blocked (a paused source) is skipped, not queued; ids count the
// ticks emitted, so they have no gaps.
type Metronome struct{ ticker }

// Start starts the ticking goroutine.
func (m *Metronome) Start(ctx context.Context, h *peer.Host) error {
	var id uint64
	m.start(ctx, h, func(ctx context.Context, now time.Time, stream func() uint64) error {
		s := stream()
		ns := uint64(now.UnixNano())
		rec := value.NewRec(3)
		rec.Set("onramp", value.NewString("metronome"))
		rec.Set("ingest_ns", value.NewUint(ns))
		rec.Set("id", value.NewUint(id))
		if err := h.Emit(ctx, "out", peer.Incoming{Stream: s, IngestNs: ns}, value.NewRecordValue(rec)); err != nil {
			return err
		}
		id++
		return nil
	})
	return nil
}
