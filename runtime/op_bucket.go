package runtime

import (
	"container/list"

	"github.com/rillstream/rill/interp/value"
)

// timeWindow is the rate limiter of one grouper::bucket key (spec §4.9): a ring of n counters of
// slot milliseconds each, allowing at most max events in the ring.
type timeWindow struct {
	slots    []uint64
	cur      int
	slot     uint64
	max      uint64
	lastTick uint64
}

func newTimeWindow(n int, slot, max uint64) *timeWindow {
	if n < 1 {
		n = 1
	}
	return &timeWindow{slots: make([]uint64, n), slot: slot, max: max}
}

// incT counts an event at now (ns); false means the window is full.
func (w *timeWindow) incT(now uint64) bool {
	var delta uint64
	if now > w.lastTick {
		delta = (now - w.lastTick) / 1_000_000
	}
	n := uint64(len(w.slots))
	if delta > w.slot*n {
		clear(w.slots)
		w.lastTick = now
	} else if delta > w.slot {
		for delta > w.slot {
			delta -= w.slot
			w.cur = (w.cur + 1) % len(w.slots)
			w.slots[w.cur] = 0
		}
		w.lastTick = now
	}
	var total uint64
	for _, c := range w.slots {
		total += c
	}
	if total+1 > w.max {
		return false
	}
	w.slots[w.cur]++
	return true
}

// bucketClass is the LRU of windows of one `$class`.
type bucketClass struct {
	cap   int
	order *list.List // of *bucketEntry, most recent first
	keys  map[string]*list.Element
}

type bucketEntry struct {
	key string
	win *timeWindow
}

// bucketOp is grouper::bucket.
type bucketOp struct {
	classes map[string]*bucketClass
}

func (op *bucketOp) onEvent(_ string, ev *Event, out []emitted) ([]emitted, error) {
	meta, _ := ev.Meta.AsRecord()
	get := func(k string) (value.Value, bool) {
		if meta == nil {
			return value.NullValue, false
		}
		return meta.Get(k)
	}
	cv, _ := get("class")
	class, ok := cv.AsString()
	if !ok {
		return append(out, emitted{port: portErr, ev: ev}), nil
	}
	b := op.classes[class]
	if b == nil {
		capacity := 1000
		if c, ok := get("cardinality"); ok {
			if u, ok := c.AsU64(); ok && u > 0 {
				capacity = int(u)
			}
		}
		b = &bucketClass{cap: capacity, order: list.New(), keys: map[string]*list.Element{}}
		op.classes[class] = b
	}
	dims, _ := get("dimensions")
	key := value.Encode(dims)
	var win *timeWindow
	if el, ok := b.keys[key]; ok {
		b.order.MoveToFront(el)
		win = el.Value.(*bucketEntry).win
	} else {
		rv, _ := get("rate")
		rate, ok := rv.AsU64()
		if !ok {
			return append(out, emitted{port: portErr, ev: ev}), nil
		}
		n, tr := uint64(100), uint64(1000)
		if v, ok := get("windows"); ok {
			if u, ok := v.AsU64(); ok {
				n = u
			}
		}
		if v, ok := get("time_range"); ok {
			if u, ok := v.AsU64(); ok {
				tr = u
			}
		}
		var slot uint64
		if n > 0 {
			slot = tr / n
		}
		win = newTimeWindow(int(n), slot, rate)
		if b.order.Len() >= b.cap {
			last := b.order.Back()
			b.order.Remove(last)
			delete(b.keys, last.Value.(*bucketEntry).key)
		}
		b.keys[key] = b.order.PushFront(&bucketEntry{key: key, win: win})
	}
	if win.incT(ev.IngestNs) {
		return append(out, emitted{port: portOut, ev: ev}), nil
	}
	return append(out, emitted{port: portOverflow, ev: ev}), nil
}
