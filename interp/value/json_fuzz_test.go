package value

import (
	"errors"
	"math"
	"testing"
)

// FuzzDecodeJSON decodes arbitrary bytes. Nothing may panic; errors must be *SyntaxError with an
// offset inside the input; whatever decodes must re-encode (in insertion and in sorted order) to
// JSON that decodes to an equal value, and the canonical form must be a fixed point.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		smallEvent, mediumEvent, `null`, `true`, `-0`, `-0.0`, `1e-7`, `18446744073709551616`,
		`-9223372036854775809`, `1.7976931348623157e308`, `5e-324`, `"\u00e9\ud83d\ude00\n\"\\"`,
		`{"a":1,"a":2,"b":[],"c":{}}`, `[[[[]]]]`, `{"k\u0061":1,"ka":2}`, "\"\x7f/\"", `[1,]`, `{"a" 1}`,
		`"\ud800"`, "\"\xff\"", `01`, `1e400`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := DecodeJSON(data)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset < 0 || se.Offset > len(data) {
				t.Fatalf("error %v (%T) for %q", err, err, data)
			}
			if _, err2 := DecodeJSONString(string(data)); err2 == nil || err2.Error() != err.Error() {
				t.Fatalf("DecodeJSONString disagrees: %v vs %v", err2, err)
			}
			return
		}
		compact := Encode(v)
		w, err := DecodeJSONString(compact)
		if err != nil {
			t.Fatalf("re-decoding %q (from %q): %v", compact, data, err)
		}
		// val_eq of two infinities is false (|inf - inf| is NaN), so only finite documents are compared
		// as values; the text comparisons below cover the rest.
		if finite(v) && (!Equal(v, w) || !PartialEqual(v, w) || Compare(v, w) != 0) {
			t.Fatalf("round trip changed the value: %q -> %q -> %q", data, compact, Encode(w))
		}
		if Encode(w) != compact {
			t.Fatalf("Encode not stable: %q vs %q", compact, Encode(w))
		}
		sorted := EncodeSorted(v)
		u, err := DecodeJSONString(sorted)
		if err != nil || (finite(v) && !PartialEqual(v, u)) || EncodeSorted(u) != sorted {
			t.Fatalf("canonical form %q does not round-trip (%v)", sorted, err)
		}
		if p, err := DecodeJSONString(EncodePretty(v)); err != nil || !PartialEqual(v, p) {
			t.Fatalf("pretty form of %q does not round-trip (%v)", data, err)
		}
		if c := v.Clone(); !PartialEqual(v, c) || Encode(c) != compact {
			t.Fatalf("Clone differs for %q", data)
		}
	})
}

// finite reports whether v holds no infinite float (JSON cannot hold NaN).
func finite(v Value) bool {
	switch v.Kind() {
	case Float:
		f, _ := v.AsF64()
		return !math.IsInf(f, 0)
	case Array:
		items, _ := v.AsArray()
		for _, it := range items {
			if !finite(it) {
				return false
			}
		}
	case Record:
		r, _ := v.AsRecord()
		ok := true
		r.Range(func(_ string, it Value) bool { ok = finite(it); return ok })
		return ok
	}
	return true
}
