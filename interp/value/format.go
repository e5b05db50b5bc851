package value

import (
	"math"
	"math/big"
	"strconv"
)

// FormatFloat formats f the way Tremor serializes floats (spec §0): ryu 1.0.18's format_finite.
// The digits are the shortest that round-trip; the layout depends on kk, the position of the decimal
// point (10^(kk-1) ≤ |f| < 10^kk):
//
//	±0                      0.0, -0.0
//	integral, |f| < 1e16    digits, zeros, ".0"        6.0, 1000000000000000.0
//	0 < kk ≤ 16             digits with a point        1.5, 123.456
//	1e-5 ≤ |f| < 1          "0." zeros digits          0.5, 0.00001, 0.000123
//	otherwise               exponent, no "+"/padding   1e16, 5e-324, 2.5e16, 1.5e-7
//
// Non-finite values are not special-cased (format_finite does not check): their bits are formatted
// as if the exponent field 2047 were a finite exponent, so +Inf is 1.797693134862316e308, -Inf
// -1.797693134862316e308, the quiet NaN 2.696539702293474e308 and the negative quiet NaN
// -2.696539702293474e308. Never null.
func FormatFloat(f float64) string {
	var buf [32]byte
	return string(appendFloat(buf[:0], f))
}

// AppendFloat appends FormatFloat(f) to dst.
func AppendFloat(dst []byte, f float64) []byte { return appendFloat(dst, f) }

func appendFloat(dst []byte, f float64) []byte {
	bits := math.Float64bits(f)
	neg := bits>>63 != 0
	if bits&(0x7FF<<52) == 0x7FF<<52 {
		digits, kk := nonFiniteDigits(bits)
		return layoutFloat(dst, neg, digits, kk)
	}
	if f == 0 {
		if neg {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	// strconv gives the shortest round-trip digits as [-]d[.ddd]e±xx.
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, 64)
	if neg {
		e = e[1:]
	}
	var digs [17]byte
	n := 0
	i := 0
	for ; i < len(e) && e[i] != 'e'; i++ {
		if e[i] != '.' {
			digs[n] = e[i]
			n++
		}
	}
	i++ // 'e'
	expNeg := e[i] == '-'
	exp := 0
	for i++; i < len(e); i++ {
		exp = exp*10 + int(e[i]-'0')
	}
	if expNeg {
		exp = -exp
	}
	return layoutFloat(dst, neg, digs[:n], exp+1)
}

// layoutFloat writes digits (no leading or trailing zeros) with the decimal point at position kk
// following ryu's pretty format64.
func layoutFloat(dst []byte, neg bool, digits []byte, kk int) []byte {
	if neg {
		dst = append(dst, '-')
	}
	n := len(digits)
	k := kk - n
	switch {
	case 0 <= k && kk <= 16: // 1234e7 -> 12340000000.0
		dst = append(dst, digits...)
		for ; k > 0; k-- {
			dst = append(dst, '0')
		}
		return append(dst, '.', '0')
	case 0 < kk && kk <= 16: // 1234e-2 -> 12.34
		dst = append(dst, digits[:kk]...)
		dst = append(dst, '.')
		return append(dst, digits[kk:]...)
	case -5 < kk && kk <= 0: // 1234e-6 -> 0.001234
		dst = append(dst, '0', '.')
		for i := kk; i < 0; i++ {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	dst = append(dst, digits[0])
	if n > 1 { // 1234e30 -> 1.234e33
		dst = append(dst, '.')
		dst = append(dst, digits[1:]...)
	}
	dst = append(dst, 'e')
	return strconv.AppendInt(dst, int64(kk-1), 10)
}

// nonFiniteDigits runs ryu's d2d on the bits of an infinity or NaN (exponent field 2047) as if it
// were finite. It returns the digits and kk (the decimal point position).
func nonFiniteDigits(bits uint64) ([]byte, int) {
	return ryuBigDigits(bits&(1<<52-1), 2047)
}

// ryuBigDigits is ryu's d2d (ryu 1.0.18, d2s.rs) with exact big-integer arithmetic instead of its
// tables, for exponent fields ≥ 1160, where e2 ≥ 0 and q > 21, so that ryu takes its common path
// without trailing-zero tracking: it divides the interval bounds and the value by 10 while the
// bounds still differ after the division, remembers whether the last removed digit was ≥ 5, and adds
// one when rounding up or when the value sits on the (excluded) lower bound. It returns ryu's output
// digits and kk. Only non-finite values need it; tests check it against strconv on finite ones.
func ryuBigDigits(mantissa uint64, ieeeExponent int) ([]byte, int) {
	e2 := ieeeExponent - 1023 - 52 - 2
	q := (e2*78913)>>18 - 1 // log10_pow2(e2) - (e2 > 3)
	m2 := uint64(1)<<52 | mantissa
	mmShift := uint64(0)
	if mantissa != 0 || ieeeExponent <= 1 {
		mmShift = 1
	}
	pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(q)), nil)
	scaled := func(m uint64) *big.Int { // floor(m * 2^e2 / 10^q)
		x := new(big.Int).Lsh(new(big.Int).SetUint64(m), uint(e2))
		return x.Quo(x, pow)
	}
	vr, vp, vm := scaled(4*m2), scaled(4*m2+2), scaled(4*m2-1-mmShift)
	ten := big.NewInt(10)
	removed := 0
	roundUp := false
	pd, md, rem := new(big.Int), new(big.Int), new(big.Int)
	for {
		pd.Quo(vp, ten)
		md.Quo(vm, ten)
		if pd.Cmp(md) <= 0 {
			break
		}
		vr.QuoRem(vr, ten, rem)
		roundUp = rem.Int64() >= 5
		vp, pd = pd, vp
		vm, md = md, vm
		removed++
	}
	if vr.Cmp(vm) == 0 || roundUp {
		vr.Add(vr, big.NewInt(1))
	}
	s := vr.String() // value = s × 10^(q+removed); like ryu, digits are not trimmed
	return []byte(s), len(s) + q + removed
}

// Display returns tremor-value's Display text of v, which `array::join` uses (spec §3.2): strings
// raw (no quotes), integers in decimal, floats as Rust's `{}` (shortest round-trip digits, never an
// exponent, no ".0": 1.0 → 1, 0.1 → 0.1, 1e16 → 10000000000000000; NaN, inf, -inf), null, true and
// false as words, bytes as Rust's slice Debug ([1, 2, 3]). Arrays and records are compact JSON
// (Encode) — Tremor prints Rust Debug there, which no test should depend on.
func (v Value) Display() string {
	switch v.Kind() {
	case String:
		return v.text()
	case Float:
		return displayFloat(v.float())
	case Bytes:
		s := v.text()
		b := make([]byte, 0, 2+4*len(s))
		b = append(b, '[')
		for i := 0; i < len(s); i++ {
			if i > 0 {
				b = append(b, ',', ' ')
			}
			b = strconv.AppendUint(b, uint64(s[i]), 10)
		}
		return string(append(b, ']'))
	}
	return Encode(v)
}

// displayFloat is Rust's `{}` for f64.
func displayFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
