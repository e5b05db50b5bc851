// Package aggr implements Tremor 0.13's aggregate functions (aggr::stats::* and aggr::win::*,
// spec §3.3) for windowed selects: one Aggregate holds the state of one aggregate call in one
// window frame, accumulates the per-event arguments, emits the frame's result and merges into the
// next tilt frame (spec §4.6).
//
// Argument contract: Accumulate receives the call's evaluated arguments in order. The only
// aggregate that accepts a call without arguments besides stats::count is
// win::collect_flattened (Rill's legacy form `aggr::win::collect_flattened()`): for that form the
// caller passes the whole event as the single argument, so Accumulate always sees one argument.
// An empty argument list is tolerated (nothing is collected).
//
// Values are deep-copied when stored and when emitted, so the caller may mutate the events it
// passed in and the values it got back.
package aggr

import (
	"errors"
	"math"

	"github.com/rillstream/rill/interp/value"
)

// Aggregate is the per-frame state of one aggregate call (one per group window frame).
type Aggregate interface {
	// Accumulate folds one event's evaluated arguments into the frame. Errors carry Tremor's
	// text, e.g. "Bad type passed to function stats::sum/1" (stdev reports stats::var/1).
	Accumulate(args []value.Value) error
	// Emit returns the current result (for an empty frame: the spec's empty value). It may
	// be called any number of times.
	Emit() value.Value
	// Merge folds another frame of the same function into this one (tilt frames). An other
	// of a different type is ignored, as Tremor's downcast does.
	Merge(other Aggregate)
	// Reset starts a new window.
	Reset()
}

// EmitErrer is implemented by aggregates whose emission can fail at run time in Tremor
// (stats::dds with a percentile outside [0, 1]). Emit then returns the best-effort value; a
// caller that wants Tremor's runtime error calls EmitErr instead.
type EmitErrer interface {
	EmitErr() (value.Value, error)
}

// New returns a fresh aggregate for aggr::module::name, or false if there is none.
func New(module, name string) (Aggregate, bool) {
	switch module {
	case "stats":
		switch name {
		case "count":
			return &count{}, true
		case "sum":
			return &sum{}, true
		case "min":
			return &minAgg{}, true
		case "max":
			return &maxAgg{}, true
		case "mean":
			return &mean{}, true
		case "var":
			return &variance{}, true
		case "stdev":
			return &stdev{}, true
		case "hdr":
			return newHdr(), true
		case "dds":
			return newDds(), true
		}
	case "win":
		switch name {
		case "first":
			return &first{}, true
		case "last":
			return &last{}, true
		case "collect_flattened":
			return &collectFlattened{}, true
		case "collect_nested":
			return &collectNested{}, true
		}
	}
	return nil, false
}

func badType(fn string) error { return errors.New("Bad type passed to function stats::" + fn + "/1") }

// numArg returns cast_f64 of the first argument.
func numArg(args []value.Value) (float64, bool) {
	if len(args) == 0 {
		return 0, false
	}
	return args[0].CastF64()
}

// ---- stats::count ----

type count struct{ n int64 }

func (a *count) Accumulate([]value.Value) error { a.n++; return nil }
func (a *count) Emit() value.Value              { return value.NewInt(a.n) }
func (a *count) Reset()                         { a.n = 0 }
func (a *count) Merge(o Aggregate) {
	if b, ok := o.(*count); ok {
		a.n += b.n
	}
}

// ---- stats::sum ----

type sum struct{ s float64 }

func (a *sum) Accumulate(args []value.Value) error {
	v, ok := numArg(args)
	if !ok {
		return badType("sum")
	}
	a.s = x86Add(a.s, v)
	return nil
}
func (a *sum) Emit() value.Value { return value.NewFloat(a.s) }
func (a *sum) Reset()            { a.s = 0 }
func (a *sum) Merge(o Aggregate) {
	if b, ok := o.(*sum); ok {
		a.s = x86Add(a.s, b.s)
	}
}

// ---- stats::min / stats::max (Rust Option<f64>: None orders below every Some) ----

type optF64 struct {
	set bool
	v   float64
}

// less is Rust's `a < b` on Option<f64> (partial order: comparisons with NaN are false).
func (a optF64) less(b optF64) bool {
	switch {
	case !a.set:
		return b.set
	case !b.set:
		return false
	}
	return a.v < b.v
}

func (a optF64) emit() value.Value {
	if !a.set {
		return value.NewFloat(0)
	}
	return value.NewFloat(a.v)
}

type minAgg struct{ o optF64 }

func (a *minAgg) Accumulate(args []value.Value) error {
	v, ok := numArg(args)
	if !ok {
		return badType("min")
	}
	if nv := (optF64{true, v}); !a.o.set || nv.less(a.o) {
		a.o = nv
	}
	return nil
}
func (a *minAgg) Emit() value.Value { return a.o.emit() }
func (a *minAgg) Reset()            { a.o = optF64{} }

// Merge reproduces Tremor's `if other < self { self = other }`: a frame that is still None
// stays None (nothing is less than None), and a None other would overwrite a Some.
func (a *minAgg) Merge(o Aggregate) {
	if b, ok := o.(*minAgg); ok && b.o.less(a.o) {
		a.o = b.o
	}
}

type maxAgg struct{ o optF64 }

func (a *maxAgg) Accumulate(args []value.Value) error {
	v, ok := numArg(args)
	if !ok {
		return badType("max")
	}
	if nv := (optF64{true, v}); !a.o.set || a.o.less(nv) {
		a.o = nv
	}
	return nil
}
func (a *maxAgg) Emit() value.Value { return a.o.emit() }
func (a *maxAgg) Reset()            { a.o = optF64{} }

// Merge: `if other > self { self = other }`.
func (a *maxAgg) Merge(o Aggregate) {
	if b, ok := o.(*maxAgg); ok && a.o.less(b.o) {
		a.o = b.o
	}
}

// ---- stats::mean ----

type mean struct {
	n int64
	s float64
}

func (a *mean) Accumulate(args []value.Value) error {
	v, ok := numArg(args)
	if !ok {
		return badType("mean")
	}
	a.n++
	a.s = x86Add(a.s, v)
	return nil
}
func (a *mean) Emit() value.Value {
	if a.n == 0 {
		return value.NullValue
	}
	return value.NewFloat(x86Div(a.s, float64(a.n)))
}
func (a *mean) Reset() { *a = mean{} }
func (a *mean) Merge(o Aggregate) {
	if b, ok := o.(*mean); ok {
		a.n += b.n
		a.s = x86Add(a.s, b.s)
	}
}

// ---- stats::var / stats::stdev (shifted data algorithm) ----

type variance struct {
	n          uint64
	k, ex, ex2 float64
}

func (a *variance) Accumulate(args []value.Value) error {
	v, ok := numArg(args)
	if !ok {
		return badType("var")
	}
	if a.n == 0 {
		a.k = v
	}
	a.n++
	d := x86Sub(v, a.k)
	a.ex = x86Add(a.ex, d)
	a.ex2 = x86Add(a.ex2, x86Mul(d, d))
	return nil
}

func (a *variance) value() float64 {
	if a.n == 0 {
		return 0
	}
	n := float64(a.n)
	return x86Div(x86Sub(a.ex2, x86Div(x86Mul(a.ex, a.ex), n)), n-1)
}
func (a *variance) Emit() value.Value { return value.NewFloat(a.value()) }
func (a *variance) Reset()            { *a = variance{} }
func (a *variance) merge(b *variance) {
	a.n += b.n
	a.k = x86Add(a.k, b.k) // Tremor sums the shifts too (approximate after a merge)
	a.ex = x86Add(a.ex, b.ex)
	a.ex2 = x86Add(a.ex2, b.ex2)
}
func (a *variance) Merge(o Aggregate) {
	if b, ok := o.(*variance); ok {
		a.merge(b)
	}
}

type stdev struct{ v variance }

func (a *stdev) Accumulate(args []value.Value) error { return a.v.Accumulate(args) }
func (a *stdev) Emit() value.Value                   { return value.NewFloat(x86Sqrt(a.v.value())) }
func (a *stdev) Reset()                              { a.v.Reset() }
func (a *stdev) Merge(o Aggregate) {
	if b, ok := o.(*stdev); ok {
		a.v.merge(&b.v)
	}
}

// ---- x86-64 SSE NaN semantics ----
//
// Tremor runs on x86-64, where an operation with a NaN operand returns the first NaN operand
// (quieted) and an invalid operation (0/0, ∞−∞, 0·∞, sqrt of a negative) returns the "default
// NaN" with the sign bit set. These helpers reproduce that independently of the Go compiler's
// operand order, constant folding and the host architecture, so that serialized NaNs match
// (§0: -2.696539702293474e308 for the default NaN).

func x86NaN(a, b, r float64) float64 {
	switch {
	case a != a:
		return quiet(a)
	case b != b:
		return quiet(b)
	case r != r:
		return value.NegNaN()
	}
	return r
}

func quiet(f float64) float64 {
	return math.Float64frombits(math.Float64bits(f) | 0x0008000000000000)
}

func x86Add(a, b float64) float64 { return x86NaN(a, b, a+b) }
func x86Sub(a, b float64) float64 { return x86NaN(a, b, a-b) }
func x86Mul(a, b float64) float64 { return x86NaN(a, b, float64(a*b)) } // float64(): no FMA fusion
func x86Div(a, b float64) float64 { return x86NaN(a, b, a/b) }
func x86Sqrt(a float64) float64 {
	if a != a {
		return quiet(a)
	}
	if a < 0 {
		return value.NegNaN()
	}
	return math.Sqrt(a)
}

// ---- win::first / win::last ----

type optValue struct {
	set bool
	v   value.Value
}

func (o optValue) emit() value.Value {
	if !o.set {
		return value.NullValue
	}
	return o.v.Clone()
}

func firstArg(args []value.Value) value.Value {
	if len(args) == 0 {
		return value.NullValue
	}
	return args[0].Clone()
}

type first struct{ o optValue }

func (a *first) Accumulate(args []value.Value) error {
	if !a.o.set {
		a.o = optValue{true, firstArg(args)}
	}
	return nil
}
func (a *first) Emit() value.Value { return a.o.emit() }
func (a *first) Reset()            { a.o = optValue{} }
func (a *first) Merge(o Aggregate) {
	if b, ok := o.(*first); ok && !a.o.set {
		a.o = b.o
	}
}

type last struct{ o optValue }

func (a *last) Accumulate(args []value.Value) error {
	a.o = optValue{true, firstArg(args)}
	return nil
}
func (a *last) Emit() value.Value { return a.o.emit() }
func (a *last) Reset()            { a.o = optValue{} }
func (a *last) Merge(o Aggregate) {
	if b, ok := o.(*last); ok && b.o.set {
		a.o = b.o
	}
}

// ---- win::collect_flattened / win::collect_nested ----

func emitItems(items []value.Value) value.Value {
	out := make([]value.Value, len(items))
	for i, v := range items {
		out[i] = v.Clone()
	}
	return value.NewArray(out)
}

type collectFlattened struct{ items []value.Value }

// Accumulate pushes the argument; the zero-argument form gets the event as its argument from
// the caller (see the package doc).
func (a *collectFlattened) Accumulate(args []value.Value) error {
	if len(args) > 0 {
		a.items = append(a.items, args[0].Clone())
	}
	return nil
}
func (a *collectFlattened) Emit() value.Value { return emitItems(a.items) }
func (a *collectFlattened) Reset()            { a.items = nil }
func (a *collectFlattened) Merge(o Aggregate) {
	if b, ok := o.(*collectFlattened); ok {
		for _, v := range b.items {
			a.items = append(a.items, v.Clone())
		}
	}
}

type collectNested struct{ items []value.Value }

func (a *collectNested) Accumulate(args []value.Value) error {
	a.items = append(a.items, firstArg(args))
	return nil
}
func (a *collectNested) Emit() value.Value { return emitItems(a.items) }
func (a *collectNested) Reset()            { a.items = nil }
func (a *collectNested) Merge(o Aggregate) {
	if b, ok := o.(*collectNested); ok {
		a.items = append(a.items, emitItems(b.items))
	}
}
