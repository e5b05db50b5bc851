package value

import (
	"math"
	"testing"
)

// Variables, so that 0.1 + 0.2 is computed in float64 and not folded exactly.
var pointOne, pointTwo = 0.1, 0.2

func TestEqual(t *testing.T) {
	j := MustDecodeJSON
	tests := []struct {
		a, b Value
		want bool
	}{
		{NullValue, NullValue, true},
		{NullValue, NewBool(false), false},
		{NewBool(true), NewBool(true), true},
		{NewBool(true), NewBool(false), false},
		{NewBool(true), NewUint(1), false},
		// Numbers: u64, then i64, then |l-r| < EPSILON.
		{NewUint(1), NewInt(1), true},
		{NewInt(-1), NewInt(-1), true},
		{NewInt(-1), NewUint(math.MaxUint64), false},
		{NewUint(1), NewFloat(1.0), true}, // 1 == 1.0
		{NewInt(-1), NewFloat(-1.0), true},
		{NewUint(1), NewFloat(1.5), false},
		{NewFloat(pointOne + pointTwo), NewFloat(0.3), true},      // 0.30000000000000004
		{NewFloat(1), NewFloat(1 + 2.220446049250313e-16), false}, // exactly EPSILON apart: not <
		{NewFloat(math.Copysign(0, -1)), NewFloat(0), true},
		{NewFloat(math.Copysign(0, -1)), NewUint(0), true},
		{NewFloat(NaN()), NewFloat(NaN()), false},
		{NewUint(math.MaxUint64), NewUint(math.MaxUint64), true},
		{NewUint(math.MaxUint64), NewFloat(18446744073709551615.0), true}, // via f64
		{NewUint(math.MaxUint64), NewInt(-1), false},
		{NewUint(1 << 53), NewUint(1<<53 + 1), false},
		{NewUint(1<<53 + 1), NewFloat(1 << 53), true}, // the float cast rounds
		{NewFloat(math.Inf(1)), NewFloat(math.Inf(1)), false},
		// Strings and bytes.
		{NewString("a"), NewString("a"), true},
		{NewString("a"), NewString("b"), false},
		{NewString("a"), NewBytes([]byte("a")), true},
		{NewBytes([]byte("a")), NewString("a"), true},
		{NewBytes([]byte{1}), NewBytes([]byte{1}), true},
		{NewString("1"), NewUint(1), false},
		// Arrays and records.
		{j(`[1,2]`), j(`[1.0,2]`), true},
		{j(`[1,2]`), j(`[2,1]`), false},
		{j(`[1,2]`), j(`[1,2,3]`), false},
		{j(`[]`), j(`{}`), false},
		{j(`{"a":1}`), j(`{"a":1.0}`), true},
		{j(`{"a":1,"b":2}`), j(`{"b":2,"a":1}`), true},
		{j(`{"a":1,"b":2}`), j(`{"a":1}`), false},
		{j(`{"a":1}`), j(`{"b":1}`), false},
		{j(`{"a":{"b":[1,"x"]}}`), j(`{"a":{"b":[1.0,"x"]}}`), true},
		{j(`{"a":null}`), j(`{}`), false},
	}
	for _, tt := range tests {
		if got := Equal(tt.a, tt.b); got != tt.want {
			t.Errorf("Equal(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := Equal(tt.b, tt.a); got != tt.want {
			t.Errorf("Equal(%v, %v) = %v, want %v (reversed)", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestPartialEqual(t *testing.T) {
	j := MustDecodeJSON
	next := func(f float64, n int) float64 {
		for range n {
			f = math.Nextafter(f, math.Inf(1))
		}
		return f
	}
	tests := []struct {
		a, b Value
		want bool
	}{
		{NullValue, NullValue, true},
		{NewBool(false), NewBool(false), true},
		{NewUint(1), NewInt(1), true},
		{NewUint(0), NewInt(0), true},
		{NewUint(math.MaxUint64), NewInt(-1), false},
		{NewInt(-1), NewInt(-1), true},
		{NewUint(1), NewFloat(1), false}, // int vs float: never
		{NewInt(-1), NewFloat(-1), false},
		{NewFloat(1), NewFloat(1), true},
		{NewFloat(1), NewFloat(next(1, 4)), true}, // within 4 ulps
		{NewFloat(1), NewFloat(next(1, 5)), false},
		{NewFloat(1e300), NewFloat(next(1e300, 3)), true},
		{NewFloat(0), NewFloat(1e-17), true}, // within EPSILON
		{NewFloat(0), NewFloat(math.Copysign(0, -1)), true},
		{NewFloat(NaN()), NewFloat(NaN()), true}, // same bits: 0 ulps apart
		{NewFloat(NaN()), NewFloat(NegNaN()), false},
		{NewFloat(pointOne + pointTwo), NewFloat(0.3), true}, // 0.30000000000000004
		{NewString("a"), NewBytes([]byte("a")), false},       // string vs bytes: never
		{NewString("a"), NewString("a"), true},
		{NewBytes([]byte("a")), NewBytes([]byte("a")), true},
		{j(`{"a":1,"b":[2]}`), j(`{"b":[2],"a":1}`), true}, // order-insensitive
		{j(`{"a":1}`), j(`{"a":1.0}`), false},
		{j(`[1,-1]`), j(`[1,-1]`), true},
		{j(`[1]`), j(`[1,1]`), false},
		{j(`{"a":1}`), j(`{"a":1,"b":1}`), false},
		{j(`{"a":1}`), j(`{"c":1}`), false},
		{j(`[]`), j(`{}`), false},
	}
	for _, tt := range tests {
		if got := PartialEqual(tt.a, tt.b); got != tt.want {
			t.Errorf("PartialEqual(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := PartialEqual(tt.b, tt.a); got != tt.want {
			t.Errorf("PartialEqual(%v, %v) = %v, want %v (reversed)", tt.b, tt.a, got, tt.want)
		}
	}
}
