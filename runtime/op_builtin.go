package runtime

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang/ast"
)

// portOverflow is where qos operators and grouper::bucket send what they refuse (spec §4.9).
const portOverflow = "overflow"

// opSpec is a compiled built-in operator (spec §4.9): its kind and validated config. Immutable.
type opSpec struct {
	name    string // node name
	kind    string // module::kind, deprecated names resolved
	count   int    // generic::batch
	timeout uint64 // generic::batch (0: none), qos::*
	outputs []string
	hop     string // debug::history op
	hname   string // debug::history meta key
}

// newOperator returns a fresh running instance of s.
func newOperator(s *opSpec) operator {
	switch s.kind {
	case "generic::counter":
		return &counterOp{}
	case "generic::batch":
		return &batchOp{spec: s, byStream: map[uint64]*batchBuf{}}
	case "qos::roundrobin":
		return &roundrobinOp{spec: s}
	case "debug::history":
		return &historyOp{spec: s}
	case "grouper::bucket":
		return &bucketOp{classes: map[string]*bucketClass{}}
	}
	return passthrough{} // qos::backpressure, qos::percentile: no contraflow here
}

// configReader validates a config record strictly.
type configReader struct {
	node string
	rec  *value.Rec
	used map[string]bool
	err  error
}

func (r *configReader) fail(msg string) {
	if r.err == nil {
		r.err = fmt.Errorf("Invalid config for operator %s: %s", r.node, msg)
	}
}

func (r *configReader) get(key string) (value.Value, bool) {
	r.used[key] = true
	return r.rec.Get(key)
}

func (r *configReader) u64(key string, required bool) (uint64, bool) {
	v, ok := r.get(key)
	if !ok {
		if required {
			r.fail("missing field `" + key + "`")
		}
		return 0, false
	}
	u, ok := v.AsU64()
	if !ok {
		r.fail("invalid type for field `" + key + "`: expected an unsigned integer")
	}
	return u, ok
}

func (r *configReader) f64(key string) {
	if v, ok := r.get(key); ok {
		if _, ok := v.CastF64(); !ok {
			r.fail("invalid type for field `" + key + "`: expected a float")
		}
	}
}

func (r *configReader) str(key string, required bool) string {
	v, ok := r.get(key)
	if !ok {
		if required {
			r.fail("missing field `" + key + "`")
		}
		return ""
	}
	s, ok := v.AsString()
	if !ok {
		r.fail("invalid type for field `" + key + "`: expected a string")
	}
	return s
}

func (r *configReader) strs(key string) ([]string, bool) {
	v, ok := r.get(key)
	if !ok {
		return nil, false
	}
	arr, ok := v.AsArray()
	if !ok {
		r.fail("invalid type for field `" + key + "`: expected a sequence")
		return nil, true
	}
	out := make([]string, 0, len(arr))
	for _, it := range arr {
		s, ok := it.AsString()
		if !ok {
			r.fail("invalid type in field `" + key + "`: expected a string")
		}
		out = append(out, s)
	}
	return out, true
}

func (r *configReader) done() error {
	if r.err != nil {
		return r.err
	}
	for _, k := range r.rec.Keys() {
		if !r.used[k] {
			return fmt.Errorf("Invalid config for operator %s: unknown field `%s`", r.node, k)
		}
	}
	return nil
}

// buildOpSpec validates the config of a `create operator` node (spec §4.9); config nil means none.
func buildOpSpec(pos ast.Pos, node, module, kind string, config *value.Rec) (*opSpec, error) {
	full := module + "::" + kind
	if full == "generic::backpressure" {
		full = "qos::backpressure"
	}
	s := &opSpec{name: node, kind: full}
	missing := &compileError{pos, "Operator config for " + node + " is missing"}
	wrap := func(err error) error {
		if err == nil {
			return nil
		}
		return &compileError{pos, err.Error()}
	}
	var r *configReader
	if config != nil {
		r = &configReader{node: node, rec: config, used: map[string]bool{}}
	}
	switch full {
	case "generic::counter":
		return s, nil
	case "grouper::bucket":
		if config != nil {
			return nil, &compileError{pos, "Operator " + node + " has a config but can't be configured"}
		}
		return s, nil
	case "generic::batch":
		if r == nil {
			return nil, missing
		}
		c, _ := r.u64("count", true)
		s.count = int(c)
		s.timeout, _ = r.u64("timeout", false)
		return s, wrap(r.done())
	case "qos::backpressure":
		if r == nil {
			return nil, missing
		}
		s.timeout, _ = r.u64("timeout", true)
		if v, ok := r.get("steps"); ok {
			arr, ok := v.AsArray()
			if !ok {
				r.fail("invalid type for field `steps`: expected a sequence")
			}
			for _, it := range arr {
				if _, ok := it.AsU64(); !ok {
					r.fail("invalid type in field `steps`: expected an unsigned integer")
				}
			}
		}
		if m, ok := r.rec.Get("method"); ok {
			r.used["method"] = true
			if ms, ok := m.AsString(); !ok || (ms != "discard" && ms != "pause") {
				r.fail("unknown variant for field `method`, expected `discard` or `pause`")
			}
		}
		return s, wrap(r.done())
	case "qos::percentile":
		if r == nil {
			return nil, missing
		}
		s.timeout, _ = r.u64("timeout", true)
		r.f64("step_down")
		r.f64("step_up")
		return s, wrap(r.done())
	case "qos::roundrobin":
		if r == nil {
			return nil, missing
		}
		outs, ok := r.strs("outputs")
		if !ok {
			r.fail("missing field `outputs`")
		}
		if err := r.done(); err != nil {
			return nil, wrap(err)
		}
		if len(outs) == 0 {
			return nil, missing
		}
		s.outputs = outs
		return s, nil
	case "debug::history":
		if r == nil {
			return nil, missing
		}
		s.hop = r.str("op", true)
		s.hname = r.str("name", true)
		return s, wrap(r.done())
	}
	return nil, &compileError{pos, "Unknown operator: " + module + "::" + kind}
}

// counterOp is generic::counter.
type counterOp struct{ n uint64 }

func (op *counterOp) onEvent(_ string, ev *Event, out []emitted) ([]emitted, error) {
	op.n++
	rec := value.NewRec(2)
	rec.Set("count", value.NewUint(op.n))
	rec.Set("event", ev.Value)
	o := *ev
	o.Value = value.NewRecordValue(rec)
	return append(out, emitted{port: portOut, ev: &o}), nil
}

// batchBuf is the pending batch of one stream.
type batchBuf struct {
	items   []value.Value
	firstNs uint64
	first   *Event
	tracked []IDRange // ids of the batched events
}

// batchOp is generic::batch, one batch per stream (peers.md §3).
type batchOp struct {
	spec     *opSpec
	byStream map[uint64]*batchBuf
	nextID   uint64 // sequence number of the next flushed event
}

func (op *batchOp) onEvent(_ string, ev *Event, out []emitted) ([]emitted, error) {
	b := op.byStream[ev.ID.Stream]
	if b == nil {
		b = &batchBuf{}
		op.byStream[ev.ID.Stream] = b
	}
	if len(b.items) == 0 {
		b.firstNs, b.first = ev.IngestNs, ev
	}
	data := value.NewRec(5)
	data.Set("value", ev.Value)
	data.Set("meta", ev.Meta)
	data.Set("ingest_ns", value.NewUint(ev.IngestNs))
	data.Set("kind", value.NullValue)
	data.Set("is_batch", value.NewBool(ev.IsBatch))
	item := value.NewRec(1)
	item.Set("data", value.NewRecordValue(data))
	b.items = append(b.items, value.NewRecordValue(item))
	b.tracked = trackRanges(trackID(b.tracked, ev.ID), ev.Tracked)
	flush := false
	if op.spec.timeout > 0 && ev.IngestNs-b.firstNs > op.spec.timeout {
		flush = true
	} else if len(b.items) == op.spec.count {
		flush = true
	}
	if !flush {
		return out, nil
	}
	return append(out, emitted{port: portOut, ev: op.flush(b)}), nil
}

// flush empties a non-empty batch into its event (spec §4.9): a fresh id from the operator's
// generator (the first event's peer, stream 0, counting from 0, as windowed selects do) that
// tracks the batched events, ingest_ns of the first event, meta {}.
func (op *batchOp) flush(b *batchBuf) *Event {
	o := NewEvent(value.NewArray(b.items), b.firstNs)
	o.ID = EventID{Peer: b.first.ID.Peer, Seq: op.nextID}
	op.nextID++
	o.Tracked = b.tracked
	o.Origin = b.first.Origin
	o.PeerName = b.first.PeerName
	o.IsBatch = true
	b.items, b.first, b.tracked = nil, nil, nil
	return o
}

// onTick flushes every non-empty batch whose timeout has passed (ns - first_ns > timeout), in
// stream order (spec §4.9); without a timeout ticks do nothing.
func (op *batchOp) onTick(ns uint64, out []emitted) ([]emitted, error) {
	if op.spec.timeout == 0 {
		return out, nil
	}
	streams := make([]uint64, 0, len(op.byStream))
	for s, b := range op.byStream {
		if len(b.items) > 0 && ns > b.firstNs && ns-b.firstNs > op.spec.timeout {
			streams = append(streams, s)
		}
	}
	slices.Sort(streams)
	for _, s := range streams {
		out = append(out, emitted{port: portOut, ev: op.flush(op.byStream[s])})
	}
	return out, nil
}

// roundrobinOp is qos::roundrobin: without contraflow every output stays open.
type roundrobinOp struct {
	spec *opSpec
	next int
}

func (op *roundrobinOp) onEvent(_ string, ev *Event, out []emitted) ([]emitted, error) {
	port := op.spec.outputs[op.next%len(op.spec.outputs)]
	op.next = (op.next + 1) % len(op.spec.outputs)
	return append(out, emitted{port: port, ev: ev}), nil
}

// historyOp is debug::history.
type historyOp struct{ spec *opSpec }

// eventIDString renders an id as Tremor's `source:stream:event:pull` (the pull id is the seq).
func eventIDString(id EventID) string {
	return fmt.Sprintf("%d:%d:%d:%d", id.Peer, id.Stream, id.Seq, id.Seq)
}

// historyID is how debug::history shows an event's id (spec §4.9): eventIDString, then for an
// event that tracks others (window outputs, batches) " " and the tracked ranges joined ", ",
// each as `source:stream:min:max` (the same four fields, min and max standing for event and pull).
func historyID(ev *Event) string {
	s := eventIDString(ev.ID)
	if len(ev.Tracked) == 0 {
		return s
	}
	parts := make([]string, len(ev.Tracked))
	for i, r := range ev.Tracked {
		parts[i] = fmt.Sprintf("%d:%d:%d:%d", r.Peer, r.Stream, r.Min, r.Max)
	}
	return s + " " + strings.Join(parts, ", ")
}

func (op *historyOp) onEvent(_ string, ev *Event, out []emitted) ([]emitted, error) {
	entry := value.NewString("evt: " + op.spec.hop + "(" + historyID(ev) + ")")
	var meta *value.Rec
	if r, ok := ev.Meta.AsRecord(); ok {
		meta = r.Clone()
	} else {
		meta = value.NewRec(1)
	}
	if old, ok := meta.Get(op.spec.hname); ok {
		if arr, ok := old.AsArray(); ok {
			meta.Set(op.spec.hname, value.NewArray(append(append([]value.Value(nil), arr...), entry)))
		} else {
			meta.Set(op.spec.hname, value.NewArray([]value.Value{entry}))
		}
	} else {
		meta.Set(op.spec.hname, value.NewArray([]value.Value{entry}))
	}
	o := *ev
	o.Meta = value.NewRecordValue(meta)
	return append(out, emitted{port: portOut, ev: &o}), nil
}

// OutputValues is what an output event contributes to results (spec §7): its value, or for a
// generic::batch event each inner `data.value` (recursively for batches of batches).
func OutputValues(ev *Event) []value.Value {
	if !ev.IsBatch {
		return []value.Value{ev.Value}
	}
	var out []value.Value
	batchElements(ev.Value, func(v value.Value, _ *value.Rec) { out = append(out, v) })
	return out
}

// BatchMetas returns the metadata of each element of a generic::batch event, in the order of
// OutputValues (recursively for batches of batches); for another event, its own meta.
func BatchMetas(ev *Event) []value.Value {
	if !ev.IsBatch {
		return []value.Value{ev.Meta}
	}
	var out []value.Value
	batchElements(ev.Value, func(_ value.Value, data *value.Rec) {
		m := value.NullValue
		if data != nil {
			m, _ = data.Get("meta")
		}
		out = append(out, m)
	})
	return out
}

// batchElements walks the value of a generic::batch event: each element's `data` record
// ({"value", "meta", "is_batch"}) goes to elem with its value, and a nested batch (is_batch
// true) is walked in turn. Elements without a `data` record are skipped; a value that is not an
// array is one element of its own, without a record (data nil).
func batchElements(v value.Value, elem func(v value.Value, data *value.Rec)) {
	arr, ok := v.AsArray()
	if !ok {
		elem(v, nil)
		return
	}
	for _, it := range arr {
		rec, ok := it.AsRecord()
		if !ok {
			continue
		}
		dv, _ := rec.Get("data")
		data, ok := dv.AsRecord()
		if !ok {
			continue
		}
		inner, _ := data.Get("value")
		if b, _ := data.Get("is_batch"); b.Kind() == value.Bool {
			if isb, ok := b.AsBool(); ok && isb {
				batchElements(inner, elem)
				continue
			}
		}
		elem(inner, data)
	}
}
