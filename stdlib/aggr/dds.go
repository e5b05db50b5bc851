package aggr

import (
	"errors"
	"math"
	"slices"

	"github.com/rillstream/rill/interp/value"
)

// stats::dds reproduces sketches-ddsketch 0.3 (Rust) with Config::defaults() — relative
// accuracy α = 0.01, at most 2048 bins (the lowest bins collapse beyond that), values ≤ 1e-9
// counted as zeros — and Tremor's wrapper: the first 8192 values are cached and fed to the sketch
// in order when the cache fills up or the frame is emitted; merges add sketches (min, max, sum
// and bins) or replay the other frame's cache.

const (
	ddsAlpha    = 0.01
	ddsMaxBins  = 2048
	ddsMinValue = 1.0e-9
	histCache   = 8192
)

var (
	ddsGamma   = 1 + (2*ddsAlpha)/(1-ddsAlpha)
	ddsGammaLn = math.Log1p(2 * ddsAlpha / (1 - ddsAlpha))
)

func ddsKey(v float64) int64 { return int64(math.Ceil(math.Log(v) / ddsGammaLn)) }

func ddsValue(key int64) float64 {
	return math.Exp(float64(float64(key)*ddsGammaLn)) * (2 / (1 + ddsGamma))
}

// ddsStore is the crate's Store seen logically: counts per key; the key range spans at most
// ddsMaxBins keys, lower keys are folded into the lowest one ("collapsed").
type ddsStore struct {
	bins             map[int64]uint64
	count            uint64
	minKey, maxKey   int64
	collapsed, valid bool // valid: minKey/maxKey are set (the store saw a key)
}

// extend widens the key range to [lo, hi], collapsing the lowest bins when it would exceed
// ddsMaxBins keys.
func (s *ddsStore) extend(lo, hi int64) {
	if s.bins == nil {
		s.bins = make(map[int64]uint64)
	}
	if !s.valid {
		s.minKey, s.maxKey, s.valid = lo, hi, true
	} else {
		s.minKey, s.maxKey = min(s.minKey, lo), max(s.maxKey, hi)
	}
	if s.maxKey-s.minKey+1 > ddsMaxBins {
		low := s.maxKey - ddsMaxBins + 1
		var folded uint64
		for k, n := range s.bins {
			if k < low {
				folded += n
				delete(s.bins, k)
			}
		}
		if folded > 0 {
			s.bins[low] += folded
		}
		s.minKey, s.collapsed = low, true
	}
}

func (s *ddsStore) add(key int64, n uint64) {
	s.extend(key, key)
	s.bins[max(key, s.minKey)] += n
	s.count += n
}

func (s *ddsStore) merge(o *ddsStore) {
	if o.count == 0 {
		return
	}
	if s.count == 0 {
		s.bins = make(map[int64]uint64, len(o.bins))
		for k, n := range o.bins {
			s.bins[k] = n
		}
		s.count, s.minKey, s.maxKey, s.collapsed, s.valid = o.count, o.minKey, o.maxKey, o.collapsed, o.valid
		return
	}
	s.extend(o.minKey, o.maxKey)
	for k, n := range o.bins {
		s.bins[max(k, s.minKey)] += n
	}
	s.count += o.count
}

// keyAtRank is the key of the first bin (ascending) whose running count exceeds rank.
func (s *ddsStore) keyAtRank(rank uint64) int64 {
	keys := make([]int64, 0, len(s.bins))
	for k := range s.bins {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var n uint64
	for _, k := range keys {
		n += s.bins[k]
		if n > rank {
			return k
		}
	}
	return s.maxKey
}

type ddSketch struct {
	store          ddsStore
	zeros          uint64
	minV, maxV, sm float64
}

func newSketch() *ddSketch { return &ddSketch{minV: math.Inf(1), maxV: math.Inf(-1)} }

func (d *ddSketch) add(v float64) {
	if v > ddsMinValue {
		d.store.add(ddsKey(v), 1)
	} else {
		d.zeros++ // Tremor never passes negatives
	}
	if v < d.minV {
		d.minV = v
	}
	if d.maxV < v {
		d.maxV = v
	}
	d.sm = x86Add(d.sm, v)
}

func (d *ddSketch) count() uint64 { return d.store.count + d.zeros }

func (d *ddSketch) merge(o *ddSketch) {
	wasEmpty := d.store.count == 0
	d.store.merge(&o.store)
	d.zeros += o.zeros
	if wasEmpty {
		d.minV, d.maxV = o.minV, o.maxV
	} else {
		if o.minV < d.minV {
			d.minV = o.minV
		}
		if o.maxV > d.maxV {
			d.maxV = o.maxV
		}
	}
	d.sm = x86Add(d.sm, o.sm)
}

// quantile is DDSketch::quantile for a non-empty sketch; ok is false for q outside [0, 1].
func (d *ddSketch) quantile(q float64) (float64, bool) {
	if q < 0 || q > 1 {
		return 0, false
	}
	switch q {
	case 0:
		return d.minV, true
	case 1:
		return d.maxV, true
	}
	rank := satU64(float64(q * float64(d.count()-1)))
	if rank < d.zeros {
		return 0, true
	}
	return ddsValue(d.store.keyAtRank(rank - d.zeros)), true
}

type dds struct {
	pct   percentileList
	cache []float64
	sk    *ddSketch
}

func newDds() *dds { return &dds{pct: percentileList{list: defaultPercentiles()}} }

// Accumulate adds cast_f64(x); negatives and non-numbers are ignored. The first added event
// fixes the percentile list.
func (a *dds) Accumulate(args []value.Value) error {
	f, ok := numArg(args)
	if !ok || f < 0 {
		return nil
	}
	if err := a.pct.init("dds", args); err != nil {
		return err
	}
	if a.sk != nil {
		a.sk.add(f)
		return nil
	}
	a.cache = append(a.cache, f)
	if len(a.cache) >= histCache {
		a.flush()
	}
	return nil
}

// flush moves the cache into the sketch (creating it).
func (a *dds) flush() {
	if a.sk == nil {
		a.sk = newSketch()
	}
	for _, v := range a.cache {
		a.sk.add(v)
	}
	a.cache = a.cache[:0]
}

func (a *dds) Reset() {
	a.cache = nil
	a.sk = nil
}

func (a *dds) Merge(o Aggregate) {
	b, ok := o.(*dds)
	if !ok {
		return
	}
	a.pct.merge(&b.pct)
	switch {
	case a.sk != nil && b.sk != nil:
		a.sk.merge(b.sk)
	case a.sk != nil:
		for _, v := range b.cache {
			a.sk.add(v)
		}
	case b.sk != nil:
		a.flush()
		a.sk.merge(b.sk)
	default:
		a.cache = append(a.cache, b.cache...)
		if len(a.cache) >= histCache {
			a.flush()
		}
	}
}

func (a *dds) Emit() value.Value {
	v, _ := a.EmitErr()
	return v
}

// EmitErr is Emit with Tremor's runtime error for a percentile outside [0, 1] on a non-empty
// frame (Emit then returns the result with 0.0 for such percentiles).
func (a *dds) EmitErr() (value.Value, error) {
	a.flush() // Tremor's emit turns the cache into the sketch
	sk := a.sk
	n := sk.count()
	var err error
	p := value.NewRec(len(a.pct.list))
	var mn, mx, sm, mean float64
	if n > 0 {
		for _, pc := range a.pct.list {
			q, ok := sk.quantile(pc.p)
			if !ok {
				if err == nil {
					err = errors.New("Runtime error in function stats::dds/2: Failed to calculate quantile")
				}
				p.Set(pc.key, value.NewFloat(0))
				continue
			}
			p.Set(pc.key, value.NewFloat(math.Ceil(float64(q*10))/10))
		}
		mn, mx, sm = sk.minV, sk.maxV, sk.sm
		mean = x86Div(sm, float64(n))
	} else {
		for _, pc := range a.pct.list {
			p.Set(pc.key, value.NewFloat(0))
		}
	}
	r := value.NewRec(6)
	r.Set("count", value.NewUint(n))
	r.Set("sum", value.NewFloat(sm))
	r.Set("min", value.NewFloat(mn))
	r.Set("max", value.NewFloat(mx))
	r.Set("mean", value.NewFloat(mean))
	r.Set("percentiles", value.NewRecordValue(p))
	return value.NewRecordValue(r), err
}
