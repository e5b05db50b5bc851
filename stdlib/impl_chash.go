package stdlib

import (
	"encoding/binary"
	"math"
	"math/bits"

	"github.com/rillstream/rill/interp/value"
)

// Tremor's default jump-hash keys: "tremor\0\0" and "tremor" as little-endian u64s.
const (
	chashK1 = 0x7472656d6f720000
	chashK2 = 0x7472656d6f72
)

// chashImpls implements tremor::chash.
//
// Unconfirmed (spec §9): Tremor uses the `jumphash` crate, whose JumpHasher feeds the key through
// Rust's `Hash` into a SipHash-1-3 hasher keyed (k1, k2). Rill reproduces that as SipHash-1-3
// over the key's UTF-8 bytes followed by 0xFF (what `str::hash` writes), then Google's jump
// consistent hash. The jump step is the published algorithm; the key hashing is our reading of
// the crates, not checked against Tremor's output.
func chashImpls() map[string]Fn {
	return map[string]Fn{
		"jump": func(_ Context, args []value.Value) (value.Value, error) {
			key, ok1 := args[0].AsString()
			slots, ok2 := args[1].AsU64()
			if !ok1 || !ok2 || slots > math.MaxUint32 {
				return badType()
			}
			return value.NewUint(uint64(jumpHash(chashK1, chashK2, key, uint32(slots)))), nil
		},
		"jump_with_keys": func(_ Context, args []value.Value) (value.Value, error) {
			k1, ok1 := args[0].AsU64()
			k2, ok2 := args[1].AsU64()
			key, ok3 := args[2].AsString()
			slots, ok4 := args[3].AsU64()
			if !ok1 || !ok2 || !ok3 || !ok4 || slots > math.MaxUint32 {
				return badType()
			}
			return value.NewUint(uint64(jumpHash(k1, k2, key, uint32(slots)))), nil
		},
		"sorted_serialize": fn1(func(v value.Value) (value.Value, error) {
			return value.NewString(value.EncodeSorted(v)), nil
		}),
	}
}

// jumpHash maps key to a bucket in [0, slots) with Lamping and Veach's jump consistent hash,
// seeded by SipHash-1-3 of the key (see chashImpls). With 0 slots it returns 2^32-1, as the
// crate's `b as u32` of -1 does.
func jumpHash(k1, k2 uint64, key string, slots uint32) uint32 {
	buf := make([]byte, len(key)+1)
	copy(buf, key)
	buf[len(key)] = 0xFF
	h := sipHash13(k1, k2, buf)
	b, j := int64(-1), int64(0)
	for j < int64(slots) {
		b = j
		h = h*2862933555777941757 + 1
		j = int64(float64(b+1) * (float64(int64(1)<<31) / float64((h>>33)+1)))
	}
	return uint32(b)
}

// sipHash13 is SipHash with 1 compression and 3 finalization rounds (Rust's SipHasher13), keyed
// (k0, k1), over msg.
func sipHash13(k0, k1 uint64, msg []byte) uint64 {
	v0 := k0 ^ 0x736f6d6570736575
	v1 := k1 ^ 0x646f72616e646f6d
	v2 := k0 ^ 0x6c7967656e657261
	v3 := k1 ^ 0x7465646279746573
	round := func() {
		v0 += v1
		v1 = bits.RotateLeft64(v1, 13)
		v1 ^= v0
		v0 = bits.RotateLeft64(v0, 32)
		v2 += v3
		v3 = bits.RotateLeft64(v3, 16)
		v3 ^= v2
		v0 += v3
		v3 = bits.RotateLeft64(v3, 21)
		v3 ^= v0
		v2 += v1
		v1 = bits.RotateLeft64(v1, 17)
		v1 ^= v2
		v2 = bits.RotateLeft64(v2, 32)
	}
	n := len(msg)
	for len(msg) >= 8 {
		m := binary.LittleEndian.Uint64(msg)
		v3 ^= m
		round()
		v0 ^= m
		msg = msg[8:]
	}
	last := uint64(n&0xFF) << 56
	for i, c := range msg {
		last |= uint64(c) << (8 * i)
	}
	v3 ^= last
	round()
	v0 ^= last
	v2 ^= 0xFF
	round()
	round()
	round()
	return v0 ^ v1 ^ v2 ^ v3
}
