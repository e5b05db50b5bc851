package value

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

func TestFormatFloat(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		// Rule 1: zeros.
		{0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		// Rule 2: integral and below 1e16.
		{6, "6.0"},
		{-6, "-6.0"},
		{1e15, "1000000000000000.0"},
		{9007199254740993, "9007199254740992.0"},
		{1234e7, "12340000000.0"},
		{9999999999999998, "9999999999999998.0"},
		// Rule 3: a fraction, kk ≤ 16.
		{1.5, "1.5"},
		{123.456, "123.456"},
		{-123.456, "-123.456"},
		{0.30000000000000004, "0.30000000000000004"},
		{1234567890123456.7, "1234567890123456.8"},
		// Rule 4: 1e-5 ≤ |v| < 1.
		{0.5, "0.5"},
		{0.00001, "0.00001"},
		{0.000123, "0.000123"},
		{-0.000123, "-0.000123"},
		{0.93, "0.93"},
		// Rule 5: exponent form.
		{1e16, "1e16"},
		{5e-324, "5e-324"},
		{1e-6, "1e-6"},
		{2e21, "2e21"},
		{1.2345678901234568e17, "1.2345678901234568e17"},
		{2.5e16, "2.5e16"},
		{1.5e-7, "1.5e-7"},
		{1.7976931348623157e308, "1.7976931348623157e308"},
		{-1.7976931348623157e308, "-1.7976931348623157e308"},
		{9.999999999999999e-6, "9.999999999999999e-6"},
		{1e100, "1e100"},
		{-1e-100, "-1e-100"},
		{2.2250738585072014e-308, "2.2250738585072014e-308"},
		// Non-finite: the raw bits formatted as if finite.
		{math.Inf(1), "1.797693134862316e308"},
		{math.Inf(-1), "-1.797693134862316e308"},
		{NaN(), "2.696539702293474e308"},
		{NegNaN(), "-2.696539702293474e308"},
	}
	for _, tt := range tests {
		if got := FormatFloat(tt.in); got != tt.want {
			t.Errorf("FormatFloat(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The non-finite path emulates ryu with big integers; Go's math.NaN (payload 1) goes through it too.
func TestFormatFloatNaNPayloads(t *testing.T) {
	for _, bits := range []uint64{0x7FF8000000000001, 0x7FF0000000000001, 0x7FFFFFFFFFFFFFFF, 0xFFF0000000000001} {
		s := FormatFloat(math.Float64frombits(bits))
		f, err := strconv.ParseFloat(s, 64)
		if err == nil || !math.IsInf(f, 0) {
			t.Errorf("FormatFloat(bits %#x) = %q, want a number beyond the float range", bits, s)
		}
	}
}

// Every finite float must round-trip through FormatFloat, and the digits must be the shortest
// (the same as strconv's).
func TestFormatFloatRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		f := math.Float64frombits(r.Uint64())
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		s := FormatFloat(f)
		g, err := strconv.ParseFloat(s, 64)
		if err != nil || g != f {
			t.Fatalf("FormatFloat(%v) = %q does not round-trip (%v, %v)", f, s, g, err)
		}
	}
}

// The big-integer ryu emulation used for non-finite values must agree with strconv's shortest
// digits wherever it applies to finite values.
func TestRyuBigDigitsMatchesStrconv(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 3000 {
		mant := r.Uint64() & (1<<52 - 1)
		exp := 1160 + r.IntN(2047-1160)
		f := math.Float64frombits(uint64(exp)<<52 | mant)
		digits, kk := ryuBigDigits(mant, exp)
		want := FormatFloat(f)
		if got := string(layoutFloat(nil, false, digits, kk)); got != want {
			t.Fatalf("ryuBigDigits(%v) = %q, strconv layout %q", f, got, want)
		}
	}
}
