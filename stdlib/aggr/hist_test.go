package aggr

import (
	"fmt"
	"math"
	"testing"

	"github.com/rillstream/rill/interp/value"
)

func ints(from, to int, extra string) []step {
	var out []step
	for i := from; i <= to; i++ {
		out = append(out, step{acc: fmt.Sprintf("[%d%s]", i, extra)})
	}
	return out
}

func intArgs(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("[%d]", i))
	}
	return out
}

const hdrEmpty = `{"count":0,"max":0,"mean":0.0,"min":0,"percentiles":{"0.5":0,"0.9":0,"0.95":0,"0.99":0,"0.999":0,"0.9999":0,"0.99999":0},"stdev":0.0,"var":0.0}`

func TestHdr(t *testing.T) {
	runCases(t, []aggrCase{
		{name: "empty is all zeros", fn: "stats::hdr", want: hdrEmpty},
		{name: "only ignored values", fn: "stats::hdr", steps: acc(`[-1]`, `["7"]`, `[null]`), want: hdrEmpty},
		// Values < 256 are exact: percentiles are the ceil(p·n)-th value; mean and the
		// population stdev/var of 1..100 are 50.5 and (100²−1)/12.
		{name: "1..100 default percentiles", fn: "stats::hdr", steps: ints(1, 100, ""),
			want: `{"count":100,"max":100,"mean":50.5,"min":1,"percentiles":{"0.5":50,"0.9":90,"0.95":95,"0.99":99,"0.999":100,"0.9999":100,"0.99999":100},"stdev":28.86607004772212,"var":833.25}`},
		{name: "custom percentiles", fn: "stats::hdr", steps: ints(1, 100, `,["0.25","0.75","1","0","2",5]`),
			want: `{"count":100,"max":100,"mean":50.5,"min":1,"percentiles":{"0":1,"0.25":25,"0.75":75,"1":100,"2":100},"stdev":28.86607004772212,"var":833.25}`},
		{name: "first event fixes the percentiles", fn: "stats::hdr", steps: acc(`[1,["0.5"]]`, `[3,["0.9"]]`),
			want: `{"count":2,"max":3,"mean":2.0,"min":1,"percentiles":{"0.5":1},"stdev":1.0,"var":1.0}`},
		{name: "percentiles survive a reset", fn: "stats::hdr", steps: append(acc(`[1,["0.5"]]`), step{reset: true}, step{acc: `[3,["0.9"]]`}),
			want: `{"count":1,"max":3,"mean":3.0,"min":3,"percentiles":{"0.5":3},"stdev":0.0,"var":0.0}`},
		{name: "cast to u64", fn: "stats::hdr", steps: acc(`[1.9]`, `[-5]`, `["x"]`, `[2]`, `[-0.5]`),
			want: `{"count":2,"max":2,"mean":1.5,"min":1,"percentiles":{"0.5":1,"0.9":2,"0.95":2,"0.99":2,"0.999":2,"0.9999":2,"0.99999":2},"stdev":0.5,"var":0.25}`},
		// mean sums median·count/n per range in index order: 0·2/3 + 5·1/3.
		{name: "zero is the min", fn: "stats::hdr", steps: acc(`[5]`, `[0]`, `[0.3]`),
			want: `{"count":3,"max":5,"mean":1.6666666666666667,"min":0,"percentiles":{"0.5":0,"0.9":5,"0.95":5,"0.99":5,"0.999":5,"0.9999":5,"0.99999":5},"stdev":2.357022603955158,"var":5.555555555555554}`},
		// 300 and 301 share the range [300, 301]; 1000 is in [1000, 1003] (median 1002); 1e6 in
		// [999424, 1003519] (median 1001472). Percentiles report the highest equivalent value,
		// min the lowest, max the highest, mean/stdev use the medians.
		{name: "equivalence ranges above 255", fn: "stats::hdr", steps: acc(`[300]`, `[301]`, `[1000]`, `[1000000.0]`),
			want: `{"count":4,"max":1003519,"mean":250769.0,"min":300,"percentiles":{"0.5":301,"0.9":1003519,"0.95":1003519,"0.99":1003519,"0.999":1003519,"0.9999":1003519,"0.99999":1003519},"stdev":433418.67361305514,"var":187851746636.50003}`},
		// 1e300 saturates to u64::MAX, in the range [255·2^56, u64::MAX] (median 255·2^56 + 2^55).
		{name: "huge saturates", fn: "stats::hdr", steps: acc(`[1e300]`),
			want: `{"count":1,"max":18446744073709551615,"mean":1.8410715276690588e19,"min":18374686479671623680,"percentiles":{"0.5":18446744073709551615,"0.9":18446744073709551615,"0.95":18446744073709551615,"0.99":18446744073709551615,"0.999":18446744073709551615,"0.9999":18446744073709551615,"0.99999":18446744073709551615},"stdev":0.0,"var":0.0}`},
		{name: "bad percentile", fn: "stats::hdr", steps: acc(`[1,["0.5","abc"]]`),
			wantErr: "Runtime error in function stats::hdr/2: Provided percentile 'abc' isn't a float: invalid float literal"},
		{name: "empty percentile", fn: "stats::hdr", steps: acc(`[1,[""]]`),
			wantErr: "Runtime error in function stats::hdr/2: Provided percentile '' isn't a float: cannot parse float from empty string"},
		{name: "merge", fn: "stats::hdr", steps: append(acc(`[1]`, `[2]`), step{merge: []string{`[3]`, `[4]`}}),
			want: `{"count":4,"max":4,"mean":2.5,"min":1,"percentiles":{"0.5":2,"0.9":4,"0.95":4,"0.99":4,"0.999":4,"0.9999":4,"0.99999":4},"stdev":1.118033988749895,"var":1.2500000000000002}`},
		{name: "merge into empty adopts percentiles", fn: "stats::hdr", steps: []step{{merge: []string{`[3,["0.1"]]`, `[4]`}}},
			want: `{"count":2,"max":4,"mean":3.5,"min":3,"percentiles":{"0.1":3},"stdev":0.5,"var":0.25}`},
		// 5000 lies in [4992, 5023] (width 32), 9900 in [9856, 9919] and 10000 in [9984, 10047]
		// (width 64); the mean uses range medians, hence not 5000.5.
		{name: "beyond the cache", fn: "stats::hdr", steps: ints(1, 10000, `,["0.5","0.99"]`),
			want: `{"count":10000,"max":10047,"mean":5001.027200000002,"min":1,"percentiles":{"0.5":5023,"0.99":9919},"stdev":2886.8245864375203,"var":8333756.19286016}`},
	})
}

const ddsEmpty = `{"count":0,"max":0.0,"mean":0.0,"min":0.0,"percentiles":{"0.5":0.0,"0.9":0.0,"0.95":0.0,"0.99":0.0,"0.999":0.0,"0.9999":0.0,"0.99999":0.0},"sum":0.0}`

func TestDds(t *testing.T) {
	runCases(t, []aggrCase{
		{name: "empty", fn: "stats::dds", want: ddsEmpty},
		{name: "only ignored values", fn: "stats::dds", steps: acc(`[-1]`, `["7"]`), want: ddsEmpty},
		// quantile(q) = γ-bucket value of the floor(q·(n−1))-th value, within 1 %, rounded up to
		// one decimal: 50 → 50.0, 90 → 89.2 (key 225), 99 → 98.6 (key 230).
		{name: "1..100", fn: "stats::dds", steps: ints(1, 100, ""),
			want: `{"count":100,"max":100.0,"mean":50.5,"min":1.0,"percentiles":{"0.5":50.0,"0.9":89.2,"0.95":94.7,"0.99":98.6,"0.999":98.6,"0.9999":98.6,"0.99999":98.6},"sum":5050.0}`},
		{name: "0 and 1 are min and max", fn: "stats::dds", steps: acc(`[1.5,["0","1","0.5"]]`, `[7.25]`, `[3]`),
			want: `{"count":3,"max":7.25,"mean":3.9166666666666665,"min":1.5,"percentiles":{"0":1.5,"0.5":3.0,"1":7.3},"sum":11.75}`},
		// 1e-10 ≤ 1e-9 counts as a zero but still adds to the sum.
		{name: "zeros", fn: "stats::dds", steps: acc(`[0,["0.5","0.9"]]`, `[0]`, `[5]`, `[1e-10]`),
			want: `{"count":4,"max":5.0,"mean":1.250000000025,"min":0.0,"percentiles":{"0.5":0.0,"0.9":0.0},"sum":5.0000000001}`},
		{name: "merge", fn: "stats::dds", steps: append(acc(`[1,["0.5"]]`, `[2]`), step{merge: []string{`[3]`, `[4]`}}),
			want: `{"count":4,"max":4.0,"mean":2.5,"min":1.0,"percentiles":{"0.5":2.0},"sum":10.0}`},
		{name: "merge into empty", fn: "stats::dds", steps: []step{{merge: []string{`[3,["0.5"]]`, `[4]`}}},
			want: `{"count":2,"max":4.0,"mean":3.5,"min":3.0,"percentiles":{"0.5":3.0},"sum":7.0}`},
		// the 5000th value has key ceil(ln 5000 / ln γ) = 426: e^(426·ln γ)·0.99 = 4965.3… → 4965.4
		{name: "beyond the cache, merged", fn: "stats::dds", steps: append(ints(1, 9000, `,["0.5"]`), step{merge: intArgs(9001, 10000)}),
			want: `{"count":10000,"max":10000.0,"mean":5000.5,"min":1.0,"percentiles":{"0.5":4965.4},"sum":50005000.0}`},
		{name: "bad percentile", fn: "stats::dds", steps: acc(`[1,["x1"]]`),
			wantErr: "Runtime error in function stats::dds/2: Provided percentile 'x1' isn't a float: invalid float literal"},
	})
}

func TestDdsQuantileError(t *testing.T) {
	a := mustNew(t, "stats::dds")
	if err := a.Accumulate(args(t, `[1,["2"]]`)); err != nil {
		t.Fatal(err)
	}
	v, err := a.(EmitErrer).EmitErr()
	if err == nil || err.Error() != "Runtime error in function stats::dds/2: Failed to calculate quantile" {
		t.Fatalf("err = %v", err)
	}
	if got := value.EncodeSorted(v); got != `{"count":1,"max":1.0,"mean":1.0,"min":1.0,"percentiles":{"2":0.0},"sum":1.0}` {
		t.Fatalf("emit = %s", got)
	}
}

func TestDdsCollapse(t *testing.T) {
	// Keys of 1e-8 (-921) and 1e30 (3453) are more than 2048 apart: the low one folds into
	// the lowest kept key, 3453 − 2047.
	a := mustNew(t, "stats::dds")
	for _, v := range []string{`[1e-8,["0.4"]]`, `[1e30]`} {
		if err := a.Accumulate(args(t, v)); err != nil {
			t.Fatal(err)
		}
	}
	a.(*dds).flush()
	st := &a.(*dds).sk.store
	if st.minKey != ddsKey(1e30)-2047 || st.bins[st.minKey] != 1 || st.bins[ddsKey(1e30)] != 1 || len(st.bins) != 2 {
		t.Fatalf("store = %+v", st)
	}
	q, _ := a.(*dds).sk.quantile(0.4)
	if want := ddsValue(ddsKey(1e30) - 2047); q != want || q < 1e10 {
		t.Fatalf("quantile = %v, want %v", q, want)
	}
	// a later low value goes to the lowest kept key as well
	a.(*dds).sk.add(1)
	if st.bins[st.minKey] != 2 {
		t.Fatalf("store = %+v", st)
	}
}

func TestHdrLayout(t *testing.T) {
	for _, c := range []struct{ v, lo, hi uint64 }{
		{0, 0, 0}, {1, 1, 1}, {255, 255, 255}, {256, 256, 257}, {511, 510, 511}, {512, 512, 515},
		{1000, 1000, 1003}, {math.MaxUint64, 255 << 56, math.MaxUint64},
	} {
		if lo, hi := hdrLowest(c.v), hdrHighest(c.v); lo != c.lo || hi != c.hi {
			t.Errorf("%d: [%d, %d], want [%d, %d]", c.v, lo, hi, c.lo, c.hi)
		}
	}
}

func TestParseRustF64(t *testing.T) {
	for s, want := range map[string]float64{"0.5": 0.5, "1": 1, "+.5": 0.5, "5.": 5, "1e-1": 0.1, "inf": math.Inf(1), "-Infinity": math.Inf(-1)} {
		if got, err := parseRustF64(s); err != nil || got != want {
			t.Errorf("%q: %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"0x1p-2", "1_0", " 1", "--1", "e5", ".", "abc", "1,5"} {
		if _, err := parseRustF64(s); err == nil {
			t.Errorf("%q should not parse", s)
		}
	}
	if f, err := parseRustF64("NaN"); err != nil || f == f {
		t.Errorf("NaN: %v %v", f, err)
	}
}
