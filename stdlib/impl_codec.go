package stdlib

import (
	"strconv"
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// base64Impls implements std::base64: the standard alphabet, padded on encode; decode accepts
// canonical padding or none (Tremor's engine uses DecodePaddingMode::Indifferent) and rejects
// non-zero trailing bits, like the base64 crate.
func base64Impls() map[string]Fn {
	return map[string]Fn{
		"encode": func(_ Context, args []value.Value) (value.Value, error) {
			b, ok := args[0].AsBytes()
			if !ok {
				return badType()
			}
			return value.NewString(base64Encode(b)), nil
		},
		"decode": fnStr(func(s string) (value.Value, error) {
			b, err := base64Decode(s)
			if err != nil {
				return fail(err.Error())
			}
			return value.NewBytes(b), nil
		}),
	}
}

const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// base64Encode encodes s with the standard alphabet and `=` padding.
func base64Encode(s string) string {
	var b strings.Builder
	b.Grow((len(s) + 2) / 3 * 4)
	for i := 0; i < len(s); i += 3 {
		var n uint32
		rem := len(s) - i
		n = uint32(s[i]) << 16
		if rem > 1 {
			n |= uint32(s[i+1]) << 8
		}
		if rem > 2 {
			n |= uint32(s[i+2])
		}
		b.WriteByte(base64Alphabet[n>>18&63])
		b.WriteByte(base64Alphabet[n>>12&63])
		if rem > 1 {
			b.WriteByte(base64Alphabet[n>>6&63])
		} else {
			b.WriteByte('=')
		}
		if rem > 2 {
			b.WriteByte(base64Alphabet[n&63])
		} else {
			b.WriteByte('=')
		}
	}
	return b.String()
}

// base64Error mirrors the base64 crate's DecodeError texts (0.21; unverified against Tremor).
type base64Error string

func (e base64Error) Error() string { return string(e) }

// base64Decode decodes standard base64 with optional canonical padding.
func base64Decode(s string) ([]byte, error) {
	body := s
	pad := 0
	for pad < 2 && strings.HasSuffix(body, "=") {
		body = body[:len(body)-1]
		pad++
	}
	for i := 0; i < len(body); i++ {
		if strings.IndexByte(base64Alphabet, body[i]) < 0 {
			if body[i] == '=' {
				return nil, base64Error("Invalid padding")
			}
			return nil, base64Error("Invalid symbol " + strconv.Itoa(int(body[i])) + ", offset " + strconv.Itoa(i) + ".")
		}
	}
	if len(body)%4 == 1 {
		return nil, base64Error("Invalid input length")
	}
	if pad > 0 && (len(body)+pad)%4 != 0 {
		return nil, base64Error("Invalid padding")
	}
	out := make([]byte, 0, len(body)*3/4)
	for i := 0; i < len(body); i += 4 {
		chunk := body[i:min(i+4, len(body))]
		var n uint32
		for j := 0; j < 4; j++ {
			n <<= 6
			if j < len(chunk) {
				n |= uint32(strings.IndexByte(base64Alphabet, chunk[j]))
			}
		}
		switch len(chunk) {
		case 4:
			out = append(out, byte(n>>16), byte(n>>8), byte(n))
		case 3:
			if n&0xFF != 0 {
				return nil, base64Error("Invalid last symbol " + strconv.Itoa(int(chunk[2])) + ", offset " + strconv.Itoa(i+2) + ".")
			}
			out = append(out, byte(n>>16), byte(n>>8))
		case 2:
			if n&0xFFFF != 0 {
				return nil, base64Error("Invalid last symbol " + strconv.Itoa(int(chunk[1])) + ", offset " + strconv.Itoa(i+1) + ".")
			}
			out = append(out, byte(n>>16))
		}
	}
	return out, nil
}

// binaryImpls implements std::binary.
func binaryImpls() map[string]Fn {
	return map[string]Fn{
		"len": func(_ Context, args []value.Value) (value.Value, error) {
			b, ok := args[0].AsBytes()
			if !ok {
				return badType()
			}
			return value.NewUint(uint64(len(b))), nil
		},
		"from_bytes": fnArr(func(a []value.Value) (value.Value, error) {
			out := make([]byte, len(a))
			for i, x := range a {
				n, ok := x.AsU64()
				if !ok || n > 255 {
					return fail("array contains non bytes")
				}
				out[i] = byte(n)
			}
			return value.NewBytes(out), nil
		}),
		// into_bytes takes any value and fails at run time on a non-binary (message unverified).
		"into_bytes": fn1(func(v value.Value) (value.Value, error) {
			b, ok := v.AsBytes()
			if !ok {
				return fail("Expected binary but got " + v.TypeName())
			}
			out := make([]value.Value, len(b))
			for i := 0; i < len(b); i++ {
				out[i] = value.NewUint(uint64(b[i]))
			}
			return value.NewArray(out), nil
		}),
	}
}

// jsonImpls implements std::json over the value package's decoder and encoders.
func jsonImpls() map[string]Fn {
	return map[string]Fn{
		// decode's error text is our decoder's, not simd-json's.
		"decode": fnStr(func(s string) (value.Value, error) {
			v, err := value.DecodeJSONString(s)
			if err != nil {
				return fail(err.Error())
			}
			return v, nil
		}),
		"encode": fn1(func(v value.Value) (value.Value, error) {
			return value.NewString(value.Encode(v)), nil
		}),
		"encode_pretty": fn1(func(v value.Value) (value.Value, error) {
			return value.NewString(value.EncodePretty(v)), nil
		}),
	}
}

// urlImpls implements std::url.
func urlImpls() map[string]Fn {
	return map[string]Fn{
		// encode percent-encodes every byte except ASCII letters and digits (so `-` → %2D).
		"encode": fnStr(func(s string) (value.Value, error) {
			const hex = "0123456789ABCDEF"
			var b strings.Builder
			b.Grow(len(s))
			for i := 0; i < len(s); i++ {
				c := s[i]
				if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
					b.WriteByte(c)
				} else {
					b.WriteByte('%')
					b.WriteByte(hex[c>>4])
					b.WriteByte(hex[c&15])
				}
			}
			return value.NewString(b.String()), nil
		}),
		// decode turns each `%XX` into its byte; malformed escapes and `+` stay as they are
		// (urlencoding's decode). Bytes that are not UTF-8 fail with Rust's FromUtf8Error text.
		"decode": fnStr(func(s string) (value.Value, error) {
			if strings.IndexByte(s, '%') < 0 {
				return value.NewString(s), nil
			}
			out := make([]byte, 0, len(s))
			for i := 0; i < len(s); i++ {
				if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
					out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
					i += 2
					continue
				}
				out = append(out, s[i])
			}
			if msg := rustUTF8Error(out); msg != "" {
				return fail("Could not urldecode value: " + msg)
			}
			return value.NewString(string(out)), nil
		}),
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// rustUTF8Error returns Rust's Utf8Error text for b ("invalid utf-8 sequence of 1 bytes from
// index 3", "incomplete utf-8 byte sequence from index 3"), or "" when b is valid UTF-8. The
// error length follows core::str::from_utf8: the number of bytes of the longest valid prefix of
// a sequence (at least 1), or none when the input ends inside a valid prefix.
func rustUTF8Error(b []byte) string {
	i := 0
	for i < len(b) {
		c := b[i]
		if c < 0x80 {
			i++
			continue
		}
		var width int
		var lo, hi byte = 0x80, 0xBF // bounds of the second byte
		switch {
		case c >= 0xC2 && c <= 0xDF:
			width = 2
		case c == 0xE0:
			width, lo = 3, 0xA0
		case c >= 0xE1 && c <= 0xEC, c == 0xEE, c == 0xEF:
			width = 3
		case c == 0xED:
			width, hi = 3, 0x9F
		case c == 0xF0:
			width, lo = 4, 0x90
		case c >= 0xF1 && c <= 0xF3:
			width = 4
		case c == 0xF4:
			width, hi = 4, 0x8F
		default:
			return "invalid utf-8 sequence of 1 bytes from index " + strconv.Itoa(i)
		}
		n := 1 // bytes of the sequence that are valid so far
		for n < width {
			if i+n >= len(b) {
				return "incomplete utf-8 byte sequence from index " + strconv.Itoa(i)
			}
			x := b[i+n]
			if n == 1 && (x < lo || x > hi) || n > 1 && (x < 0x80 || x > 0xBF) {
				return "invalid utf-8 sequence of " + strconv.Itoa(n) + " bytes from index " + strconv.Itoa(i)
			}
			n++
		}
		i += width
	}
	return ""
}
