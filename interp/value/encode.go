package value

import (
	"strconv"
	"sync"
)

// Encode returns the compact JSON of v with records in insertion order: Tremor's Value::encode(),
// used by `#{}` interpolation, string::format, json::encode and error messages. Scalars are written
// as in the canonical form (see EncodeSorted).
func Encode(v Value) string { return encodeString(v, false) }

// AppendEncode appends Encode(v) to dst.
func AppendEncode(dst []byte, v Value) []byte { return appendJSON(dst, v, false) }

// EncodeSorted returns the canonical JSON of v (spec §0, tremor_value::utils::sorted_serialize): no
// whitespace; record keys sorted bytewise at every level; arrays in order; integers in decimal
// (never ".0"); floats by FormatFloat; strings escaped by the rules of AppendString; bytes as a
// string of padded standard base64; null, true, false. Golden tests compare this form.
func EncodeSorted(v Value) string { return encodeString(v, true) }

// AppendEncodeSorted appends EncodeSorted(v) to dst.
func AppendEncodeSorted(dst []byte, v Value) []byte { return appendJSON(dst, v, true) }

// bufPool holds encoding buffers, so that Encode and EncodeSorted allocate only their result.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

func encodeString(v Value, sorted bool) string {
	switch v.Kind() {
	case Array, Record, String, Bytes:
	default:
		var buf [32]byte
		return string(appendScalar(buf[:0], v))
	}
	bp := bufPool.Get().(*[]byte)
	b := appendJSON((*bp)[:0], v, sorted)
	s := string(b)
	if cap(b) <= 1<<16 {
		*bp = b[:0]
		bufPool.Put(bp)
	}
	return s
}

// appendJSON writes v compactly; sorted selects bytewise key order over insertion order.
func appendJSON(dst []byte, v Value, sorted bool) []byte {
	switch k := v.Kind(); k {
	case Array:
		items := v.items()
		if len(items) == 0 {
			return append(dst, '[', ']')
		}
		dst = append(dst, '[')
		for i, x := range items {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSON(dst, x, sorted)
		}
		return append(dst, ']')
	case Record:
		kv := v.rec().kv
		if len(kv) == 0 {
			return append(dst, '{', '}')
		}
		dst = append(dst, '{')
		if sorted && len(kv) > 2 {
			var buf [16]int
			for j, i := range v.rec().sortedOrder(buf[:]) {
				if j > 0 {
					dst = append(dst, ',')
				}
				dst = AppendString(dst, kv[2*i].key())
				dst = append(dst, ':')
				dst = appendJSON(dst, kv[2*i+1], sorted)
			}
		} else {
			for i := 0; i < len(kv); i += 2 {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = AppendString(dst, kv[i].key())
				dst = append(dst, ':')
				dst = appendJSON(dst, kv[i+1], sorted)
			}
		}
		return append(dst, '}')
	default:
		return appendScalarKind(dst, v, k)
	}
}

// appendScalar writes a value that is not an array or record.
func appendScalar(dst []byte, v Value) []byte { return appendScalarKind(dst, v, v.Kind()) }

// appendScalarKind is appendScalar for a v of kind k.
func appendScalarKind(dst []byte, v Value, k Kind) []byte {
	switch k {
	case Bool:
		if v.n != 0 {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case Int:
		return strconv.AppendInt(dst, int64(v.n), 10)
	case Uint:
		return strconv.AppendUint(dst, v.n, 10)
	case Float:
		return appendFloat(dst, v.float())
	case String:
		return AppendString(dst, v.text())
	case Bytes:
		dst = append(dst, '"')
		dst = appendBase64(dst, v.text())
		return append(dst, '"')
	}
	return append(dst, "null"...)
}

// escapes maps each byte to its JSON escape: 0 for "write raw", 'u' for \u00xx, else the character
// after the backslash.
var escapes = func() (t [256]byte) {
	for c := 0; c < 0x20; c++ {
		t[c] = 'u'
	}
	t['\b'], t['\t'], t['\n'], t['\f'], t['\r'] = 'b', 't', 'n', 'f', 'r'
	t['"'], t['\\'] = '"', '\\'
	return t
}()

// AppendString appends s as a JSON string the way Tremor writes strings and keys (spec §0): `"` and
// `\` escaped with a backslash, 0x08 \b, 0x09 \t, 0x0A \n, 0x0C \f, 0x0D \r, other bytes below 0x20
// as \u00xx (lowercase hex); everything else (`/`, 0x7F, non-ASCII) raw.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		e := escapes[s[i]]
		if e == 0 {
			continue
		}
		dst = append(dst, s[start:i]...)
		if e == 'u' {
			const hex = "0123456789abcdef"
			dst = append(dst, '\\', 'u', '0', '0', hex[s[i]>>4], hex[s[i]&15])
		} else {
			dst = append(dst, '\\', e)
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// EncodePretty returns the JSON of v the way `json::encode_pretty` writes it: records in insertion
// order, each element and entry on its own line indented by two spaces per level, `": "` between key
// and value, empty arrays and records as [] and {}.
func EncodePretty(v Value) string { return string(appendPretty(nil, v, 0)) }

func appendPretty(dst []byte, v Value, depth int) []byte {
	switch v.Kind() {
	case Array:
		items := v.items()
		if len(items) == 0 {
			return append(dst, '[', ']')
		}
		dst = append(dst, '[')
		for i, x := range items {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = newline(dst, depth+1)
			dst = appendPretty(dst, x, depth+1)
		}
		dst = newline(dst, depth)
		return append(dst, ']')
	case Record:
		kv := v.rec().kv
		if len(kv) == 0 {
			return append(dst, '{', '}')
		}
		dst = append(dst, '{')
		for i := 0; i < len(kv); i += 2 {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = newline(dst, depth+1)
			dst = AppendString(dst, kv[i].key())
			dst = append(dst, ':', ' ')
			dst = appendPretty(dst, kv[i+1], depth+1)
		}
		dst = newline(dst, depth)
		return append(dst, '}')
	}
	return appendScalar(dst, v)
}

func newline(dst []byte, depth int) []byte {
	dst = append(dst, '\n')
	for ; depth > 0; depth-- {
		dst = append(dst, ' ', ' ')
	}
	return dst
}

// appendBase64 appends s in standard base64 with padding (RFC 4648 §4, as encoding/base64.StdEncoding)
// without converting s to a []byte.
func appendBase64(dst []byte, s string) []byte {
	const enc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	i := 0
	for ; i+3 <= len(s); i += 3 {
		x := uint(s[i])<<16 | uint(s[i+1])<<8 | uint(s[i+2])
		dst = append(dst, enc[x>>18&63], enc[x>>12&63], enc[x>>6&63], enc[x&63])
	}
	switch len(s) - i {
	case 1:
		x := uint(s[i]) << 16
		dst = append(dst, enc[x>>18&63], enc[x>>12&63], '=', '=')
	case 2:
		x := uint(s[i])<<16 | uint(s[i+1])<<8
		dst = append(dst, enc[x>>18&63], enc[x>>12&63], enc[x>>6&63], '=')
	}
	return dst
}
