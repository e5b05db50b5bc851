package value

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestCompare(t *testing.T) {
	j := MustDecodeJSON
	tests := []struct {
		a, b Value
		want int
	}{
		// Across kinds: records < arrays < strings/bytes < numbers < bools < null.
		{j(`{}`), j(`[]`), -1},
		{j(`[]`), NewString(""), -1},
		{NewString("z"), NewUint(0), -1},
		{NewBytes([]byte("z")), NewFloat(-1e300), -1},
		{NewUint(math.MaxUint64), NewBool(false), -1},
		{NewBool(true), NullValue, -1},
		{j(`{"a":[1]}`), NullValue, -1},
		// Within kinds.
		{NullValue, NullValue, 0},
		{NewBool(false), NewBool(true), -1},
		{NewInt(-1), NewUint(0), -1},
		{NewInt(-5), NewInt(-4), -1},
		{NewUint(5), NewInt(5), 0},
		{NewUint(math.MaxUint64), NewInt(math.MaxInt64), 1},
		{NewUint(1), NewFloat(1.5), 0}, // the float truncated
		{NewUint(2), NewFloat(1.5), 1},
		{NewInt(-1), NewFloat(-1.9), 0},
		{NewInt(-2), NewFloat(-1.9), -1},
		{NewUint(0), NewFloat(-0.5), 0},
		{NewUint(0), NewFloat(-1.5), 1},
		{NewInt(math.MaxInt64), NewFloat(1e300), -1},
		{NewInt(math.MinInt64), NewFloat(-1e300), 1},
		{NewUint(math.MaxUint64), NewFloat(1e300), -1},
		{NewUint(0), NewFloat(NaN()), 0},
		{NewFloat(1.5), NewFloat(2.5), -1},
		{NewFloat(2.5), NewFloat(2.5), 0},
		{NewFloat(NaN()), NewFloat(2.5), 0},
		{NewString("a"), NewString("b"), -1},
		{NewString("a"), NewString("ab"), -1},
		{NewString("b"), NewBytes([]byte("a")), 1},
		{NewString("a"), NewBytes([]byte("a")), 0},
		{NewString("é"), NewString("z"), 1}, // bytewise
		{j(`[1,2]`), j(`[1,3]`), -1},
		{j(`[1,2]`), j(`[1]`), 1},
		{j(`[1,2]`), j(`[1,2.0]`), 0},
		{j(`["a"]`), j(`[1]`), -1},
		// Records: size, then sorted keys, then values in key order.
		{j(`{"z":1}`), j(`{"a":1,"b":1}`), -1},
		{j(`{"b":1,"a":1}`), j(`{"a":1,"c":0}`), -1},
		{j(`{"b":0,"a":2}`), j(`{"a":1,"b":5}`), 1},
		{j(`{"b":1,"a":1}`), j(`{"a":1,"b":1}`), 0},
	}
	for _, tt := range tests {
		if got := Compare(tt.a, tt.b); got != tt.want {
			t.Errorf("Compare(%v, %v) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Compare(tt.b, tt.a); got != -tt.want {
			t.Errorf("Compare(%v, %v) = %d, want %d (reversed)", tt.b, tt.a, got, -tt.want)
		}
	}
}

// array::sort is a stable sort with Compare (spec §3.2).
func TestCompareSort(t *testing.T) {
	v := MustDecodeJSON(`[null, true, 2, 1.5, 1, "b", "a", [1], {"a": 1}, false, -3, {}, []]`)
	items, _ := v.AsArray()
	sorted := slices.Clone(items)
	slices.SortStableFunc(sorted, Compare)
	var parts []string
	for _, x := range sorted {
		parts = append(parts, Encode(x))
	}
	if got, want := strings.Join(parts, " "), `{} {"a":1} [] [1] "a" "b" -3 1.5 1 2 false true null`; got != want {
		t.Errorf("sorted: %s\nwant    %s", got, want)
	}
}
