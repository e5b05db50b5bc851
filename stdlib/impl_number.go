package stdlib

import (
	"math"
	"strconv"
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// floatImpls implements std::float.
func floatImpls() map[string]Fn {
	// The predicates take any number; anything else fails at run time (message unverified).
	pred := func(f func(float64) bool) Fn {
		return fn1(func(v value.Value) (value.Value, error) {
			x, ok := v.CastF64()
			if !ok {
				return fail("expected a number but got " + v.TypeName())
			}
			return value.NewBool(f(x)), nil
		})
	}
	return map[string]Fn{
		"parse": fnStr(func(s string) (value.Value, error) {
			f, err := parseRustFloat(s)
			if err != "" {
				return fail(err)
			}
			return value.NewFloat(f), nil
		}),
		"is_finite":   pred(func(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }),
		"is_nan":      pred(math.IsNaN),
		"is_infinite": pred(func(f float64) bool { return math.IsInf(f, 0) }),
	}
}

// parseRustFloat is Rust's `f64::from_str`: an optional sign, then `inf`, `infinity` or `nan`
// (any case), or decimal digits with an optional point and exponent (`1`, `1.`, `.5`, `1e5`,
// `1E-5`). No whitespace, underscores or hex. Overflow gives ±inf, underflow ±0. The error is
// Rust's ParseFloatError text, "" on success.
func parseRustFloat(s string) (float64, string) {
	if s == "" {
		return 0, "cannot parse float from empty string"
	}
	body, neg := s, false
	if body[0] == '+' || body[0] == '-' {
		neg = body[0] == '-'
		body = body[1:]
	}
	switch strings.ToLower(body) {
	case "inf", "infinity":
		if neg {
			return math.Inf(-1), ""
		}
		return math.Inf(1), ""
	case "nan":
		if neg {
			return value.NegNaN(), ""
		}
		return value.NaN(), ""
	}
	i, digits := 0, 0
	for i < len(body) && body[i] >= '0' && body[i] <= '9' {
		i++
		digits++
	}
	if i < len(body) && body[i] == '.' {
		i++
		for i < len(body) && body[i] >= '0' && body[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, "invalid float literal"
	}
	if i < len(body) && (body[i] == 'e' || body[i] == 'E') {
		i++
		if i < len(body) && (body[i] == '+' || body[i] == '-') {
			i++
		}
		exp := 0
		for i < len(body) && body[i] >= '0' && body[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return 0, "invalid float literal"
		}
	}
	if i != len(body) {
		return 0, "invalid float literal"
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !isRangeErr(err) { // out of range: ParseFloat already gives ±Inf or ±0
		return 0, "invalid float literal"
	}
	return f, ""
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// integerImpls implements std::integer.
func integerImpls() map[string]Fn {
	return map[string]Fn{
		"parse": fnStr(func(s string) (value.Value, error) {
			i, err := parseRustI64(s)
			if err != "" {
				return fail(err)
			}
			return intValue(i), nil
		}),
	}
}

// parseRustI64 is Rust's `i64::from_str`: an optional `+` or `-` and decimal digits only. The
// error is Rust's ParseIntError text, "" on success.
func parseRustI64(s string) (int64, string) {
	if s == "" {
		return 0, "cannot parse integer from empty string"
	}
	digits, neg := s, false
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		digits = s[1:]
		if digits == "" {
			return 0, "invalid digit found in string"
		}
	}
	var n uint64 // magnitude; at most 2^63
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, "invalid digit found in string"
		}
		if n > (1<<63)/10 || n*10+uint64(c-'0') > 1<<63 || !neg && n*10+uint64(c-'0') > math.MaxInt64 {
			// Rust checks each character is a digit, then that it fits: the first digit that
			// overflows is reported even when an invalid character follows.
			if neg {
				return 0, "number too small to fit in target type"
			}
			return 0, "number too large to fit in target type"
		}
		n = n*10 + uint64(c-'0')
	}
	if neg {
		return int64(-n), ""
	}
	return int64(n), ""
}

// mathImpls implements std::math.
func mathImpls() map[string]Fn {
	return map[string]Fn{
		"floor": roundFn(math.Floor),
		"ceil":  roundFn(math.Ceil),
		"round": roundFn(math.Round), // half away from zero, as Rust's f64::round
		"trunc": roundFn(math.Trunc),
		"max":   minMaxFn(true),
		"min":   minMaxFn(false),
	}
}

// roundFn returns integers unchanged and rounds floats with f into an integer: I64 when the
// result is negative, U64 otherwise, saturating at the limits; NaN gives 0 (Rust's `as`).
func roundFn(f func(float64) float64) Fn {
	return fn1(func(v value.Value) (value.Value, error) {
		if v.IsInteger() {
			return v, nil
		}
		x, ok := v.AsF64()
		if !ok {
			return badType()
		}
		r := f(x)
		switch {
		case math.IsNaN(r):
			return value.NewUint(0), nil
		case r < 0:
			if r <= math.MinInt64 {
				return value.NewInt(math.MinInt64), nil
			}
			return value.NewInt(int64(r)), nil
		case r >= 1<<64:
			return value.NewUint(math.MaxUint64), nil
		}
		return value.NewUint(uint64(r)), nil
	})
}

// minMaxFn compares two numbers: both as u64, else both as i64, else both as floats (then the
// result is a float, Rust's f64::max/min, which ignore a NaN operand).
func minMaxFn(isMax bool) Fn {
	return func(_ Context, args []value.Value) (value.Value, error) {
		a, b := args[0], args[1]
		if !a.IsNumber() || !b.IsNumber() {
			return badType()
		}
		if x, ok := a.AsU64(); ok {
			if y, ok := b.AsU64(); ok {
				if (x > y) == isMax {
					return value.NewUint(x), nil
				}
				return value.NewUint(y), nil
			}
		}
		if x, ok := a.AsI64(); ok {
			if y, ok := b.AsI64(); ok {
				if (x > y) == isMax {
					return value.NewInt(x), nil
				}
				return value.NewInt(y), nil
			}
		}
		x, _ := a.CastF64()
		y, _ := b.CastF64()
		switch {
		case math.IsNaN(x):
			return value.NewFloat(y), nil
		case math.IsNaN(y):
			return value.NewFloat(x), nil
		case isMax:
			return value.NewFloat(math.Max(x, y)), nil
		}
		return value.NewFloat(math.Min(x, y)), nil
	}
}
