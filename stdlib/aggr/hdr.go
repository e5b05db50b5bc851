package aggr

import (
	"math"
	"math/bits"
	"slices"

	"github.com/rillstream/rill/interp/value"
)

// stats::hdr reproduces the Rust hdrhistogram crate (7.x) as Tremor configures it: lowest
// discernible value 1, 2 significant digits, auto-resize. With those parameters the bucket
// layout does not depend on the highest trackable value (auto-resize only appends buckets), so
// Tremor's 8192-value cache, its initial bounds and its resizing have no effect on any result:
// this implementation keeps the exact counts per equivalence range in a map instead.
//
// Layout: sub_bucket_count 256 (2·10² rounded up to a power of two), unit magnitude 0, so
// values < 256 are exact; a value in [2^(7+b), 2^(8+b)) (b ≥ 1) falls in a range of width 2^b.

const (
	hdrSubBucketHalfCountMag = 7
	hdrSubBucketMask         = 255
	hdrLeadingZeroCountBase  = 64 - 0 - hdrSubBucketHalfCountMag - 1 // 56
)

// hdrBucket returns the bucket index of v.
func hdrBucket(v uint64) int {
	return hdrLeadingZeroCountBase - bits.LeadingZeros64(v|hdrSubBucketMask)
}

// hdrLowest is lowest_equivalent(v).
func hdrLowest(v uint64) uint64 {
	b := hdrBucket(v)
	return (v >> uint(b)) << uint(b)
}

// hdrRange is size_of_equivalent_value_range(v).
func hdrRange(v uint64) uint64 { return 1 << uint(hdrBucket(v)) }

// hdrHighest is highest_equivalent(v) (next_non_equivalent − 1, wrapping at u64::MAX).
func hdrHighest(v uint64) uint64 {
	if v == math.MaxUint64 {
		return math.MaxUint64
	}
	return hdrLowest(v) + hdrRange(v) - 1
}

// hdrMedian is median_equivalent(v).
func hdrMedian(v uint64) uint64 { return hdrLowest(v) + hdrRange(v)>>1 }

type hdr struct {
	pct    percentileList
	counts map[uint64]uint64 // lowest equivalent value → count
	total  uint64
}

func newHdr() *hdr { return &hdr{pct: percentileList{list: defaultPercentiles()}} }

// Accumulate records cast_f64(x) as u64 (fraction truncated, saturating); negatives and
// non-numbers are ignored. The first recorded event fixes the percentile list.
func (a *hdr) Accumulate(args []value.Value) error {
	f, ok := numArg(args)
	if !ok || f < 0 {
		return nil
	}
	if err := a.pct.init("hdr", args); err != nil {
		return err
	}
	a.record(satU64(f), 1)
	return nil
}

func (a *hdr) record(v, n uint64) {
	if a.counts == nil {
		a.counts = make(map[uint64]uint64)
	}
	a.counts[hdrLowest(v)] += n
	a.total += n
}

func (a *hdr) Reset() {
	a.counts = nil
	a.total = 0
}

func (a *hdr) Merge(o Aggregate) {
	b, ok := o.(*hdr)
	if !ok {
		return
	}
	a.pct.merge(&b.pct)
	for k, n := range b.counts {
		a.record(k, n)
	}
}

// sortedKeys returns the recorded (non-zero) ranges in index order.
func (a *hdr) sortedKeys() []uint64 {
	keys := make([]uint64, 0, len(a.counts))
	for k, n := range a.counts {
		if n > 0 {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// valueAtQuantile is the crate's value_at_quantile: the highest equivalent value of the first
// range where the running count reaches ceil(q·total) (at least 1); lowest equivalent for q = 0.
func (a *hdr) valueAtQuantile(keys []uint64, q float64) uint64 {
	if q > 1 {
		q = 1
	}
	want := satU64(math.Ceil(float64(q * float64(a.total))))
	if want == 0 {
		want = 1
	}
	var run uint64
	for _, k := range keys {
		run += a.counts[k]
		if run >= want {
			if q == 0 {
				return k
			}
			return hdrHighest(k)
		}
	}
	return 0
}

func (a *hdr) Emit() value.Value {
	keys := a.sortedKeys()
	p := value.NewRec(len(a.pct.list))
	for _, pc := range a.pct.list {
		// Tremor calls value_at_percentile(p * 100.0), which divides by 100 again.
		q := float64(pc.p*100) / 100
		p.Set(pc.key, value.NewUint(a.valueAtQuantile(keys, q)))
	}
	var minV, maxV uint64
	var mean, sd float64
	if a.total > 0 {
		if a.counts[0] == 0 {
			minV = keys[0] // lowest_equivalent of the smallest non-zero value
		}
		maxV = hdrHighest(keys[len(keys)-1])
		t := float64(a.total)
		for _, k := range keys {
			mean += float64(float64(hdrMedian(k))*float64(a.counts[k])) / t
		}
		var gdt float64
		for _, k := range keys {
			dev := float64(hdrMedian(k)) - mean
			gdt += float64(float64(dev*dev) * float64(a.counts[k]))
		}
		sd = math.Sqrt(gdt / t)
	}
	r := value.NewRec(7)
	r.Set("count", value.NewUint(a.total))
	r.Set("min", value.NewUint(minV))
	r.Set("max", value.NewUint(maxV))
	r.Set("mean", value.NewFloat(mean))
	r.Set("stdev", value.NewFloat(sd))
	r.Set("var", value.NewFloat(float64(sd*sd))) // stdev().powf(2.0), correctly rounded
	r.Set("percentiles", value.NewRecordValue(p))
	return value.NewRecordValue(r)
}
