package codec

import (
	"testing"

	"github.com/rillstream/rill/interp/value"
)

// unorderedRoundTrip names the codecs whose encoder reorders record keys (influx sorts tags and
// fields), so the fuzz round trip compares their records without order.
var unorderedRoundTrip = map[string]bool{"influx": true}

// FuzzDecode feeds arbitrary frames to every codec (the first byte picks the codec): Decode must
// not panic, and when it succeeds, Encode of the result must not panic either; when that succeeds
// too, decoding the encoding must give the same value again (every codec writes what it reads).
func FuzzDecode(f *testing.F) {
	fuzzCodecs := Builtin().Names() // the first byte of an input picks one
	index := map[string]byte{}
	for i, name := range fuzzCodecs {
		index[name] = byte(i)
	}
	for _, cc := range allCases {
		seed := func(in string) { f.Add(append([]byte{index[cc.name]}, in...)) }
		for _, tc := range cc.decode {
			seed(tc.in)
		}
		for _, tc := range cc.decodeErr {
			seed(tc.in)
		}
		seed(benchInputs[cc.name])
	}
	codecs := make([]Codec, len(fuzzCodecs))
	for i, name := range fuzzCodecs {
		codecs[i] = newCodec(f, name, "")
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		i := int(data[0]) % len(codecs)
		name, c := fuzzCodecs[i], codecs[i]
		frame := append([]byte(nil), data[1:]...)
		v, err := c.Decode(frame, 0)
		if err != nil {
			return
		}
		for k := range frame { // the value must not alias the frame
			frame[k] = 0xAA
		}
		enc, err := c.Encode(nil, v)
		if err != nil {
			return
		}
		back, err := c.Decode(enc, 0)
		if err != nil {
			t.Fatalf("%s: decode %q gave %s, whose encoding %q does not decode: %v", name, data[1:], show(v), enc, err)
		}
		same := identical(back, v)
		if unorderedRoundTrip[name] {
			same = sameUnordered(back, v)
		}
		if !same {
			t.Fatalf("%s: decode %q gave %s; its encoding %q decodes to %s", name, data[1:], show(v), enc, show(back))
		}
	})
}

// sameUnordered is identical with records compared regardless of key order.
func sameUnordered(a, b value.Value) bool {
	ra, okA := a.AsRecord()
	rb, okB := b.AsRecord()
	if !okA || !okB {
		if xa, ok := a.AsArray(); ok {
			xb, ok := b.AsArray()
			if !ok || len(xa) != len(xb) {
				return false
			}
			for i := range xa {
				if !sameUnordered(xa[i], xb[i]) {
					return false
				}
			}
			return true
		}
		return identical(a, b)
	}
	if ra.Len() != rb.Len() {
		return false
	}
	for i := 0; i < ra.Len(); i++ {
		k, x := ra.At(i)
		y, ok := rb.Get(k)
		if !ok || !sameUnordered(x, y) {
			return false
		}
	}
	return true
}
