package runtime

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sort"

	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/interp/value"
)

// Tick delivers a tick signal with time ns to every windowed select and generic::batch operator of
// the pipeline, in node order (spec §4.6 "Ticks", §4.9): time windows without a script close when
// their interval has passed, state windows run their `script from tick`, count windows ignore
// ticks, batches with a timeout flush when ns - first_ns > timeout. What a select emits
// flows downstream like an event, depth-first (see Enqueue). An operator's error stops its outputs
// (they are returned in raw push order, as Enqueue does) but not the ticks of the other operators;
// the errors are joined.
//
// The query harness never ticks (spec §7); live runs tick on a clock.
func (p *Pipeline) Tick(ns uint64) (outs []Output, err error) {
	return p.signalOps(func(op operator, buf []emitted) ([]emitted, bool, error) {
		t, ok := op.(ticker)
		if !ok {
			return buf, false, nil
		}
		emits, err := t.onTick(ns, buf)
		return emits, true, err
	})
}

// signalOps delivers a signal (a tick, a stream end) to every operator, in node order: on
// returns what the operator emits and whether it handles the signal at all. What an operator
// emits flows downstream depth-first, like an event's outputs. An operator's error stops its
// outputs (returned in raw push order, as Enqueue does) but not the other operators; the errors
// are joined.
func (p *Pipeline) signalOps(on func(op operator, buf []emitted) ([]emitted, bool, error)) (outs []Output, err error) {
	defer func() {
		if r := recover(); r != nil {
			p.stack = p.stack[:0]
			err = fmt.Errorf("internal error in the pipeline: %v\n%s", r, debug.Stack())
		}
	}()
	var errs []error
	for i, n := range p.g.nodes {
		emits, handled, oerr := on(p.ops[i], p.buf[:0])
		if !handled {
			continue
		}
		p.buf = emits
		p.stack = p.stack[:0]
		for _, e := range emits {
			for _, to := range n.edges[e.port] {
				p.stack = append(p.stack, task{node: to.to, port: to.port, ev: e.ev})
			}
		}
		if oerr != nil {
			// Like an event's error: the operator's own outputs are lost.
			p.stack = p.stack[:0]
			errs = append(errs, oerr)
			continue
		}
		var derr error
		if outs, derr = p.drain(outs); derr != nil {
			errs = append(errs, derr)
		}
	}
	return outs, errors.Join(errs...)
}

// ticker is an operator that reacts to ticks: windowed selects and generic::batch.
type ticker interface {
	onTick(ns uint64, out []emitted) ([]emitted, error)
}

// onTick is the select's on_signal for a tick (spec §4.6): every stored group's first frame sees
// the tick; groups are visited in key order so runs are reproducible. Selects without windows
// ignore ticks.
func (op *selectOp) onTick(ns uint64, out []emitted) ([]emitted, error) {
	w := op.win
	if w == nil || len(w.stored) == 0 {
		return out, nil
	}
	ev := &Event{Value: value.NullValue, Meta: value.NewRecordValue(value.NewRec(0)), IngestNs: ns}
	op.ctx.ev = ev
	keys := make([]string, 0, len(w.stored))
	for k := range w.stored {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		g := w.stored[key]
		op.ctx.card = uint64(len(w.stored))
		emit, err := op.tickAction(&g.frames[0].win, ns)
		if err != nil {
			return out, err
		}
		if !emit {
			continue
		}
		f := &g.frames[0]
		if f.hasData {
			if out, err = op.emitTickFrame(f, g, ev, out); err != nil {
				return out, err
			}
		}
		removable := true
		if len(g.frames) > 1 {
			var r bool
			if out, r, err = op.frameEvent(g, 1, ev, out); err != nil {
				return out, err
			}
			removable = r
		}
		for _, a := range f.aggs {
			a.Reset()
		}
		f.hasData = false
		f.ids = f.ids[:0]
		if removable {
			delete(w.stored, key)
		}
	}
	return out, nil
}

// emitTickFrame is emitFrame for a tick: event null, meta {}, no origin; the fresh id tracks the
// frame's events only.
func (op *selectOp) emitTickFrame(f *frame, g *groupWin, ev *Event, out []emitted) ([]emitted, error) {
	n := len(out)
	out, err := op.emitFrame(f, g, 0, ev, out)
	if err != nil || len(out) == n {
		return out, err
	}
	o := out[n].ev
	o.ID = EventID{Seq: o.ID.Seq}
	o.Tracked = append([]IDRange(nil), f.ids...)
	return out, nil
}

// tickAction is the first frame's window on_tick: whether it emits (spec §4.6, §4.7).
func (op *selectOp) tickAction(wr *winRun, ns uint64) (bool, error) {
	w := op.win
	ws := w.spec.windows[0]
	switch {
	case ws.isState:
		if ws.tick == nil {
			return false, nil
		}
		if w.ticks == nil {
			w.ticks = make([]*interp.Frame, len(w.spec.windows))
		}
		fr := w.ticks[0]
		if fr == nil {
			fr = ws.tick.NewFrame()
			fr.Ctx = &op.ctx
			w.ticks[0] = fr
		}
		w.event, w.meta = value.NullValue, value.NullValue
		fr.Event, fr.Meta, fr.State = &w.event, &w.meta, &wr.state
		fr.Group, fr.Window = value.NullValue, value.NullValue
		res, err := ws.tick.Run(fr)
		if err != nil {
			return false, err
		}
		// A tick has no event to include: only the emit half of the reply counts.
		_, emit, err := stateReply(res, w.event)
		return emit, err
	case ws.isTime && ws.script == nil && ws.scriptErr == "":
		if !wr.started || wr.next > ns {
			return false, nil
		}
		wr.next = ns + ws.interval
		if ws.isCount {
			wr.count = 0 // legacy count + interval: the new window starts empty
		}
		return true, nil
	}
	return false, nil
}
