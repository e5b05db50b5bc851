package stdlib

import (
	"math"
	"math/bits"
	"strconv"

	"github.com/rillstream/rill/interp/value"
)

// randomImpls implements std::random. Like Tremor, every call builds a fresh generator seeded
// from the event's ingest time, so the same call in the same event returns the same value.
//
// The generator is a port of rand 0.8's SmallRng on 64-bit targets: Xoshiro256++ seeded by
// `seed_from_u64` (SplitMix64), and of rand 0.8's samplers: `gen::<bool>` (sign of next_u32),
// `gen::<i64>`, `gen::<f64>` (53 high bits), `gen_range` for integers (widening multiply with
// the "leading zeros" rejection zone of sample_single_inclusive) and floats (UniformFloat's
// sample_single), and the Alphanumeric distribution (6 high bits of next_u32, rejecting 62 and
// 63). All of it is written from the crates' algorithms and not verified against Tremor's
// output; the error texts for bad bounds are unverified too.
func randomImpls() map[string]Fn {
	rng := func(ctx Context) *xoshiro256pp {
		var seed uint64
		if ctx != nil {
			seed = ctx.IngestNs()
		}
		return newSmallRng(seed)
	}
	return map[string]Fn{
		"bool": func(ctx Context, _ []value.Value) (value.Value, error) {
			return value.NewBool(int32(rng(ctx).nextU32()) < 0), nil
		},
		"string": func(ctx Context, args []value.Value) (value.Value, error) {
			n, ok := args[0].AsU64()
			if !ok {
				return badType()
			}
			const charset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
			r := rng(ctx)
			out := make([]byte, 0, min(n, 1<<20))
			for uint64(len(out)) < n {
				if v := r.nextU32() >> (32 - 6); v < uint32(len(charset)) {
					out = append(out, charset[v])
				}
			}
			return value.NewString(string(out)), nil
		},
		"integer": func(ctx Context, args []value.Value) (value.Value, error) {
			r := rng(ctx)
			switch len(args) {
			case 0:
				return value.NewInt(int64(r.nextU64())), nil
			case 1:
				n, ok := args[0].AsU64()
				if !ok {
					return badType()
				}
				if n == 0 {
					return fail("Invalid argument. Must be greater than 0. Got " + strconv.FormatUint(n, 10))
				}
				return value.NewUint(r.uniformU64(0, n-1)), nil
			}
			lo, ok1 := args[0].AsI64()
			hi, ok2 := args[1].AsI64()
			if !ok1 || !ok2 {
				return badType()
			}
			if lo >= hi {
				return fail("Invalid arguments. First argument must be lower than second argument. Got " +
					strconv.FormatInt(lo, 10) + " and " + strconv.FormatInt(hi, 10))
			}
			return intValue(lo + int64(r.uniformU64(0, uint64(hi)-uint64(lo)-1))), nil
		},
		"float": func(ctx Context, args []value.Value) (value.Value, error) {
			r := rng(ctx)
			switch len(args) {
			case 0:
				return value.NewFloat(float64(r.nextU64()>>11) * (1.0 / (1 << 53))), nil
			case 1:
				x, ok := args[0].CastF64()
				if !ok {
					return badType()
				}
				if !(x > 0) || math.IsInf(x, 0) {
					return fail("Invalid argument. Must be greater than 0. Got " + value.FormatFloat(x))
				}
				return value.NewFloat(r.uniformF64(0, x)), nil
			}
			lo, ok1 := args[0].CastF64()
			hi, ok2 := args[1].CastF64()
			if !ok1 || !ok2 {
				return badType()
			}
			if !(lo < hi) || math.IsInf(hi-lo, 0) {
				return fail("Invalid arguments. First argument must be lower than second argument. Got " +
					value.FormatFloat(lo) + " and " + value.FormatFloat(hi))
			}
			return value.NewFloat(r.uniformF64(lo, hi)), nil
		},
	}
}

// xoshiro256pp is the Xoshiro256++ generator (rand 0.8's SmallRng on 64-bit targets).
type xoshiro256pp struct{ s [4]uint64 }

// newSmallRng is rand 0.8's `SmallRng::seed_from_u64(seed)`: four SplitMix64 outputs.
func newSmallRng(seed uint64) *xoshiro256pp {
	var r xoshiro256pp
	for i := range r.s {
		seed += 0x9e3779b97f4a7c15
		z := seed
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		r.s[i] = z ^ (z >> 31)
	}
	return &r
}

func (r *xoshiro256pp) nextU64() uint64 {
	s := &r.s
	result := bits.RotateLeft64(s[0]+s[3], 23) + s[0]
	t := s[1] << 17
	s[2] ^= s[0]
	s[3] ^= s[1]
	s[1] ^= s[2]
	s[0] ^= s[3]
	s[2] ^= t
	s[3] = bits.RotateLeft64(s[3], 45)
	return result
}

// nextU32 takes the high half of next_u64, as rand_xoshiro does.
func (r *xoshiro256pp) nextU32() uint32 { return uint32(r.nextU64() >> 32) }

// uniformU64 is rand 0.8's UniformInt::<u64>::sample_single_inclusive(low, high): the result
// is low plus an offset in [0, high-low].
func (r *xoshiro256pp) uniformU64(low, high uint64) uint64 {
	rng := high - low + 1
	if rng == 0 { // the full range
		return r.nextU64()
	}
	zone := (rng << bits.LeadingZeros64(rng)) - 1
	for {
		hi, lo := bits.Mul64(r.nextU64(), rng)
		if lo <= zone {
			return low + hi
		}
	}
}

// uniformF64 is rand 0.8's UniformFloat::<f64>::sample_single(low, high).
func (r *xoshiro256pp) uniformF64(low, high float64) float64 {
	scale := high - low
	for {
		v := math.Float64frombits(r.nextU64()>>12|1023<<52) - 1.0 // [0, 1)
		// float64(...) forbids a fused multiply-add: Rust rounds the product first
		res := float64(v*scale) + low
		if res < high {
			return res
		}
		scale = math.Nextafter(scale, 0) // rounding reached high: shrink the scale and retry
	}
}
