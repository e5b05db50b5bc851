package runtime

import (
	"sort"

	"github.com/rillstream/rill/interp/value"
)

// Signal delivers a stream signal to the pipeline at time ns (peers.md §3). On StreamEnd every
// windowed select looks for stored groups whose contributing streams have now all ended and
// applies its first window's on_stream_end: "emit" flushes the group's partial windows (each
// frame that holds data emits, lower frames merged into higher ones first) and evicts it,
// "discard" evicts it silently, "keep" leaves it. Groups are visited in key order; outputs flow
// downstream depth-first like an event's. StreamStart changes nothing inside a pipeline. Errors
// behave as in Tick.
func (p *Pipeline) Signal(sig Signal, ns uint64) (outs []Output, err error) {
	if sig.Kind != StreamEnd {
		return nil, nil
	}
	return p.signalOps(func(op operator, buf []emitted) ([]emitted, bool, error) {
		s, ok := op.(*selectOp)
		if !ok || s.win == nil {
			return buf, false, nil
		}
		emits, err := s.onStreamEnd(sig, ns, buf)
		return emits, true, err
	})
}

// noteStreams records the streams an event of the group came from (its own id and, for an
// aggregate from upstream, the streams it tracks).
func (g *groupWin) noteStreams(ev *Event) {
	add := func(peer, stream uint64) {
		if stream == 0 {
			return
		}
		if g.streams == nil {
			g.streams = map[[2]uint64]struct{}{}
		}
		g.streams[[2]uint64{peer, stream}] = struct{}{}
	}
	add(ev.ID.Peer, ev.ID.Stream)
	for _, r := range ev.Tracked {
		add(r.Peer, r.Stream)
	}
}

// onStreamEnd applies on_stream_end to the groups the ended stream was the last live contributor
// of.
func (op *selectOp) onStreamEnd(sig Signal, ns uint64, out []emitted) ([]emitted, error) {
	w := op.win
	key := [2]uint64{sig.Peer, sig.Stream}
	var ended []string
	for k, g := range w.stored {
		if _, ok := g.streams[key]; !ok {
			continue
		}
		delete(g.streams, key)
		if len(g.streams) == 0 {
			ended = append(ended, k)
		}
	}
	sort.Strings(ended)
	mode := w.spec.windows[0].onStreamEnd
	if mode == "keep" {
		return out, nil
	}
	ev := &Event{Value: value.NullValue, Meta: value.NewRecordValue(value.NewRec(0)), IngestNs: ns}
	op.ctx.ev = ev
	for _, k := range ended {
		g := w.stored[k]
		delete(w.stored, k)
		if mode == "discard" {
			continue
		}
		op.ctx.card = uint64(len(w.stored))
		for i := range g.frames {
			if i > 0 {
				if err := op.include(g, i, ev); err != nil {
					return out, err
				}
			}
			f := &g.frames[i]
			if !f.hasData {
				continue
			}
			n := len(out)
			var err error
			if out, err = op.emitFrame(f, g, i, ev, out); err != nil {
				return out, err
			}
			if len(out) > n {
				o := out[n].ev
				o.ID = EventID{Seq: o.ID.Seq}
				o.Tracked = append([]IDRange(nil), f.ids...)
			}
		}
	}
	return out, nil
}
