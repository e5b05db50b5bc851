package value

import "math"

// Equal reports whether a and b are equal under Tremor's val_eq (spec §0), the equality of `==`,
// `!=`, match `case` and test::assert. It never fails:
//   - records: same size and every key of a present in b with an Equal value (order is irrelevant);
//   - arrays: same length and Equal element-wise;
//   - strings and bytes: equal if they hold the same bytes, across the two kinds too;
//   - numbers: both as u64 equal, else both as i64 equal, else |a-b| < f64::EPSILON after casting
//     both to float (so 1 == 1.0 and NaN != NaN);
//   - null == null, bool == bool of the same value;
//   - anything else across kinds is false.
func Equal(a, b Value) bool {
	kb := b.Kind()
	switch a.Kind() {
	case Null:
		return kb == Null
	case Bool:
		return kb == Bool && a.n == b.n
	case String, Bytes:
		return (kb == String || kb == Bytes) && a.text() == b.text()
	case Array, Record:
		return containersEqual(a, b, Equal)
	case Int, Uint, Float:
		if !b.IsNumber() {
			return false
		}
		if x, ok := a.AsU64(); ok {
			if y, ok := b.AsU64(); ok {
				return x == y
			}
		}
		if x, ok := a.AsI64(); ok {
			if y, ok := b.AsI64(); ok {
				return x == y
			}
		}
		x, _ := a.CastF64()
		y, _ := b.CastF64()
		return math.Abs(x-y) < epsilon
	}
	return false
}

// containersEqual compares an array or record a with b element by element with eq: arrays in
// order, records by key whatever their order (both the same size). Other kinds of b are unequal.
func containersEqual(a, b Value, eq func(Value, Value) bool) bool {
	if a.Kind() != b.Kind() {
		return false
	}
	if a.Kind() == Array {
		l, r := a.items(), b.items()
		if len(l) != len(r) {
			return false
		}
		for i := range l {
			if !eq(l[i], r[i]) {
				return false
			}
		}
		return true
	}
	l, r := a.rec(), b.rec()
	if l.Len() != r.Len() {
		return false
	}
	for i := 0; i < len(l.kv); i += 2 {
		rv, ok := r.Get(l.kv[i].key())
		if !ok || !eq(l.kv[i+1], rv) {
			return false
		}
	}
	return true
}

// epsilon is Rust's f64::EPSILON (2^-52).
const epsilon = 2.220446049250313e-16

// PartialEqual reports whether a and b are equal under tremor-value's Rust PartialEq, which
// `array::contains` uses (spec §3.2) — stricter than Equal across kinds:
//   - Int and Uint compare as integers (-1 never equals a Uint);
//   - an integer never equals a float;
//   - floats compare approximately (float-cmp's approx_eq with its default margin: equal, or
//     |a-b| ≤ f64::EPSILON, or at most 4 ulps apart; so a NaN equals a NaN with the same bits);
//   - a string never equals bytes;
//   - records: same size and every key equal (order-insensitive); arrays element-wise.
func PartialEqual(a, b Value) bool {
	ka, kb := a.Kind(), b.Kind()
	switch ka {
	case Null:
		return kb == Null
	case Bool:
		return kb == Bool && a.n == b.n
	case String, Bytes:
		return kb == ka && a.text() == b.text()
	case Int, Uint:
		switch kb {
		case Int, Uint:
			if ka == kb {
				return a.n == b.n
			}
			// One is signed: equal only when it is not negative and the bits match.
			if ka == Int && int64(a.n) < 0 || kb == Int && int64(b.n) < 0 {
				return false
			}
			return a.n == b.n
		}
		return false
	case Float:
		return kb == Float && approxEqual(a.float(), b.float())
	case Array, Record:
		return containersEqual(a, b, PartialEqual)
	}
	return false
}

// approxEqual is float-cmp 0.9's `approx_eq!(f64, a, b)` with the default margin (epsilon =
// f64::EPSILON, ulps = 4).
func approxEqual(a, b float64) bool {
	if a == b || math.Abs(a-b) <= epsilon {
		return true
	}
	diff := int64(math.Float64bits(a)) - int64(math.Float64bits(b)) // wrapping, as in Rust
	if diff == math.MinInt64 {
		return false // saturating_abs gives i64::MAX
	}
	if diff < 0 {
		diff = -diff
	}
	return diff <= 4
}
