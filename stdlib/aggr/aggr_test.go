package aggr

import (
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
)

// step is one operation on an aggregate: accumulate the JSON argument list acc, or merge a
// fresh aggregate of the same function fed with the argument lists in merge.
type step struct {
	acc   string   // JSON array of arguments, e.g. `[1]`
	merge []string // argument lists of the merged frame (nil: no merge)
	reset bool
}

type aggrCase struct {
	name    string
	fn      string // "stats::sum"
	steps   []step
	want    string // EncodeSorted of Emit
	wantErr string // error of the last accumulate (must match exactly)
}

func acc(vals ...string) []step {
	out := make([]step, len(vals))
	for i, v := range vals {
		out[i] = step{acc: v}
	}
	return out
}

func mustNew(t *testing.T, fn string) Aggregate {
	t.Helper()
	mod, name, _ := strings.Cut(fn, "::")
	a, ok := New(mod, name)
	if !ok {
		t.Fatalf("New(%q, %q) found nothing", mod, name)
	}
	return a
}

func args(t *testing.T, s string) []value.Value {
	t.Helper()
	v, err := value.DecodeJSONString(s)
	if err != nil {
		t.Fatalf("bad args %s: %v", s, err)
	}
	a, ok := v.AsArray()
	if !ok {
		t.Fatalf("args %s not an array", s)
	}
	return a
}

func runCases(t *testing.T, cases []aggrCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.fn+"/"+c.name, func(t *testing.T) {
			a := mustNew(t, c.fn)
			var lastErr error
			for _, s := range c.steps {
				switch {
				case s.reset:
					a.Reset()
				case s.merge != nil:
					b := mustNew(t, c.fn)
					for _, m := range s.merge {
						if err := b.Accumulate(args(t, m)); err != nil {
							t.Fatalf("merge source accumulate %s: %v", m, err)
						}
					}
					a.Merge(b)
				default:
					lastErr = a.Accumulate(args(t, s.acc))
				}
			}
			if c.wantErr != "" {
				if lastErr == nil || lastErr.Error() != c.wantErr {
					t.Fatalf("error = %v, want %q", lastErr, c.wantErr)
				}
				return
			}
			if lastErr != nil {
				t.Fatalf("unexpected error %v", lastErr)
			}
			if got := value.EncodeSorted(a.Emit()); got != c.want {
				t.Errorf("emit = %s\nwant   %s", got, c.want)
			}
		})
	}
}

func TestNew(t *testing.T) {
	for _, fn := range []string{"stats::count", "stats::sum", "stats::min", "stats::max", "stats::mean",
		"stats::var", "stats::stdev", "stats::hdr", "stats::dds", "win::first", "win::last",
		"win::collect_flattened", "win::collect_nested"} {
		mustNew(t, fn)
	}
	for _, p := range [][2]string{{"stats", "median"}, {"win", "count"}, {"std", "sum"}, {"", "count"}} {
		if _, ok := New(p[0], p[1]); ok {
			t.Errorf("New(%q, %q) should not exist", p[0], p[1])
		}
	}
}

func TestStats(t *testing.T) {
	runCases(t, []aggrCase{
		{name: "empty", fn: "stats::count", want: `0`},
		{name: "ignores args", fn: "stats::count", steps: acc(`[]`, `["x"]`, `[null]`), want: `3`},
		{name: "merge adds", fn: "stats::count", steps: append(acc(`[]`), step{merge: []string{`[]`, `[]`}}), want: `3`},
		{name: "reset", fn: "stats::count", steps: append(acc(`[]`, `[]`), step{reset: true}, step{acc: `[]`}), want: `1`},

		{name: "empty", fn: "stats::sum", want: `0.0`},
		{name: "ints give float", fn: "stats::sum", steps: acc(`[1]`, `[2]`), want: `3.0`},
		{name: "mixed", fn: "stats::sum", steps: acc(`[1]`, `[0.5]`, `[-3]`), want: `-1.5`},
		{name: "merge", fn: "stats::sum", steps: append(acc(`[1]`), step{merge: []string{`[2]`, `[3.5]`}}), want: `6.5`},
		{name: "bad type", fn: "stats::sum", steps: acc(`["1"]`), wantErr: "Bad type passed to function stats::sum/1"},

		{name: "empty", fn: "stats::min", want: `0.0`},
		{name: "values", fn: "stats::min", steps: acc(`[3]`, `[1]`, `[2]`), want: `1.0`},
		{name: "negative", fn: "stats::min", steps: acc(`[3]`, `[-1.5]`), want: `-1.5`},
		{name: "merge smaller", fn: "stats::min", steps: append(acc(`[3]`), step{merge: []string{`[1]`}}), want: `1.0`},
		{name: "merge larger", fn: "stats::min", steps: append(acc(`[3]`), step{merge: []string{`[5]`}}), want: `3.0`},
		// ⚠ Tremor quirk: `other < None` is false, so a frame that starts empty stays None.
		{name: "merge into empty frame stays empty", fn: "stats::min", steps: []step{{merge: []string{`[1]`}}, {merge: []string{`[-7]`}}}, want: `0.0`},
		{name: "empty other overwrites", fn: "stats::min", steps: append(acc(`[3]`), step{merge: []string{}}), want: `0.0`},
		{name: "bad type", fn: "stats::min", steps: acc(`[null]`), wantErr: "Bad type passed to function stats::min/1"},

		{name: "empty", fn: "stats::max", want: `0.0`},
		{name: "values", fn: "stats::max", steps: acc(`[3]`, `[7]`, `[2]`), want: `7.0`},
		{name: "all negative", fn: "stats::max", steps: acc(`[-3]`, `[-7]`), want: `-3.0`},
		{name: "merge into empty frame", fn: "stats::max", steps: []step{{merge: []string{`[1]`, `[4]`}}, {merge: []string{`[2]`}}}, want: `4.0`},
		{name: "empty other ignored", fn: "stats::max", steps: append(acc(`[3]`), step{merge: []string{}}), want: `3.0`},
		{name: "bad type", fn: "stats::max", steps: acc(`[[1]]`), wantErr: "Bad type passed to function stats::max/1"},

		{name: "empty is null", fn: "stats::mean", want: `null`},
		{name: "values", fn: "stats::mean", steps: acc(`[1]`, `[2]`), want: `1.5`},
		{name: "ints", fn: "stats::mean", steps: acc(`[2]`, `[4]`), want: `3.0`},
		{name: "merge", fn: "stats::mean", steps: append(acc(`[1]`), step{merge: []string{`[2]`, `[6]`}}), want: `3.0`},
		{name: "merge into empty", fn: "stats::mean", steps: []step{{merge: []string{`[2]`, `[6]`}}}, want: `4.0`},
		{name: "bad type", fn: "stats::mean", steps: acc(`[true]`), wantErr: "Bad type passed to function stats::mean/1"},

		{name: "empty", fn: "stats::var", want: `0.0`},
		{name: "one value is negative NaN", fn: "stats::var", steps: acc(`[1]`), want: `-2.696539702293474e308`},
		{name: "sample variance", fn: "stats::var", steps: acc(`[1]`, `[2]`, `[3]`, `[4]`), want: `1.6666666666666667`},
		{name: "sample variance 8", fn: "stats::var", steps: acc(`[2]`, `[4]`, `[4]`, `[4]`, `[5]`, `[5]`, `[7]`, `[9]`), want: `4.571428571428571`},
		{name: "constant", fn: "stats::var", steps: acc(`[5]`, `[5]`, `[5]`), want: `0.0`},
		// merge sums n, k, Σ, Σ²: frames [1,2] (k=1: Σ=1, Σ²=1) and [10,12] (k=10: Σ=2, Σ²=4)
		// give n=4, Σ=3, Σ²=5 → (5 − 9/4)/3.
		{name: "merge", fn: "stats::var", steps: append(acc(`[1]`, `[2]`), step{merge: []string{`[10]`, `[12]`}}), want: `0.9166666666666666`},
		{name: "merge into empty", fn: "stats::var", steps: []step{{merge: []string{`[1]`, `[2]`, `[3]`, `[4]`}}}, want: `1.6666666666666667`},
		{name: "bad type", fn: "stats::var", steps: acc(`["x"]`), wantErr: "Bad type passed to function stats::var/1"},

		{name: "empty", fn: "stats::stdev", want: `0.0`},
		{name: "one value is negative NaN", fn: "stats::stdev", steps: acc(`[3.5]`), want: `-2.696539702293474e308`},
		{name: "sample stdev", fn: "stats::stdev", steps: acc(`[2]`, `[4]`, `[4]`, `[4]`, `[5]`, `[5]`, `[7]`, `[9]`), want: `2.138089935299395`},
		{name: "merge", fn: "stats::stdev", steps: append(acc(`[2]`, `[4]`, `[4]`, `[4]`), step{merge: []string{`[2]`, `[4]`, `[4]`, `[4]`}}), want: `0.9258200997725514`},
		{name: "bad type reports var", fn: "stats::stdev", steps: acc(`[null]`), wantErr: "Bad type passed to function stats::var/1"},
	})
}

func TestWin(t *testing.T) {
	runCases(t, []aggrCase{
		{name: "empty", fn: "win::first", want: `null`},
		{name: "first", fn: "win::first", steps: acc(`[{"a":1}]`, `[2]`), want: `{"a":1}`},
		{name: "null counts as set", fn: "win::first", steps: append(acc(`[null]`), step{merge: []string{`[3]`}}), want: `null`},
		{name: "merge keeps own", fn: "win::first", steps: append(acc(`[1]`), step{merge: []string{`[3]`}}), want: `1`},
		{name: "merge into empty takes other", fn: "win::first", steps: []step{{merge: []string{`[3]`, `[4]`}}, {merge: []string{`[5]`}}}, want: `3`},

		{name: "empty", fn: "win::last", want: `null`},
		{name: "last", fn: "win::last", steps: acc(`[1]`, `["b"]`), want: `"b"`},
		{name: "merge takes other", fn: "win::last", steps: append(acc(`[1]`), step{merge: []string{`[3]`, `[4]`}}), want: `4`},
		{name: "merge empty other keeps", fn: "win::last", steps: append(acc(`[1]`), step{merge: []string{}}), want: `1`},

		{name: "empty", fn: "win::collect_flattened", want: `[]`},
		{name: "push", fn: "win::collect_flattened", steps: acc(`[1]`, `[[2,3]]`, `[{"b":1,"a":2}]`), want: `[1,[2,3],{"a":2,"b":1}]`},
		{name: "no argument collects nothing", fn: "win::collect_flattened", steps: acc(`[]`, `[1]`), want: `[1]`},
		// spec §4.6 example: frame 2 merges [0,1], [2,3], [4,5]
		{name: "tilt merge appends", fn: "win::collect_flattened", steps: []step{
			{merge: []string{`[0]`, `[1]`}}, {merge: []string{`[2]`, `[3]`}}, {merge: []string{`[4]`, `[5]`}}}, want: `[0,1,2,3,4,5]`},

		{name: "empty", fn: "win::collect_nested", want: `[]`},
		{name: "push", fn: "win::collect_nested", steps: acc(`[1]`, `[[2]]`), want: `[1,[2]]`},
		{name: "tilt merge nests", fn: "win::collect_nested", steps: []step{
			{merge: []string{`[0]`, `[1]`}}, {merge: []string{`[2]`, `[3]`}}, {merge: []string{}}}, want: `[[0,1],[2,3],[]]`},
	})
}

func TestStoredValuesAreCopies(t *testing.T) {
	a := mustNew(t, "win::collect_flattened")
	ev := value.MustDecodeJSON(`{"a":1}`)
	_ = a.Accumulate([]value.Value{ev})
	r, _ := ev.AsRecord()
	r.Set("a", value.NewInt(2))
	out := a.Emit()
	if got := value.EncodeSorted(out); got != `[{"a":1}]` {
		t.Fatalf("stored value changed with the event: %s", got)
	}
	items, _ := out.AsArray()
	r2, _ := items[0].AsRecord()
	r2.Set("a", value.NewInt(3))
	if got := value.EncodeSorted(a.Emit()); got != `[{"a":1}]` {
		t.Fatalf("state changed with the emitted value: %s", got)
	}
	// Reset must not let a new window write into an emitted array.
	a.Reset()
	_ = a.Accumulate([]value.Value{value.NewInt(9)})
	if got := value.EncodeSorted(out); got != `[{"a":3}]` {
		t.Fatalf("emitted array changed after reset: %s", got)
	}
}

func TestX86NaN(t *testing.T) {
	neg := value.NegNaN()
	pos := value.NaN()
	bits := func(f float64) uint64 { return uint64(float64bits(f)) }
	if bits(x86Div(0, 0)) != bits(neg) {
		t.Error("0/0 must be the negative default NaN")
	}
	if bits(x86Sub(pos, neg)) != bits(pos) || bits(x86Add(1, pos)) != bits(pos) {
		t.Error("a NaN operand must propagate (first one wins)")
	}
	if bits(x86Sqrt(-1)) != bits(neg) || x86Sqrt(4) != 2 {
		t.Error("sqrt")
	}
}
