package interp

import (
	"math"
	"strconv"
	"strings"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang/ast"
)

// Binary literals `<< part, part >>` (spec §2.6): parts are packed MSB-first; integers take their
// low `bits` bits (8 by default), binaries their first `bits` bytes (all by default).

type bytesType uint8

const (
	btUnsignedBig bytesType = iota
	btSignedBig
	btUnsignedLittle
	btSignedLittle
	btBinary
)

var bytesTypes = map[string]bytesType{
	"": btUnsignedBig, "integer": btUnsignedBig, "big": btUnsignedBig, "unsigned": btUnsignedBig,
	"unsigned_integer": btUnsignedBig, "big_integer": btUnsignedBig, "big_unsigned_integer": btUnsignedBig,
	"signed_integer": btSignedBig, "big_signed_integer": btSignedBig,
	"little": btUnsignedLittle, "little_integer": btUnsignedLittle, "little_unsigned_integer": btUnsignedLittle,
	"little_signed_integer": btSignedLittle,
	"binary":                btBinary,
}

type bytesPart struct {
	val  evalFn
	typ  bytesType
	bits uint // 0 for a whole binary
	site *site
}

func (c *compiler) bytes(n *ast.Bytes) cnode {
	parts := make([]bytesPart, 0, len(n.Parts))
	nodes := make([]cnode, 0, len(n.Parts))
	for _, p := range n.Parts {
		if p == nil {
			continue
		}
		typ, ok := bytesTypes[strings.Join(p.Type, "_")]
		if !ok {
			c.fail(p.Pos, "", "Not a valid data type: '%s'", strings.Join(p.Type, "-"))
		}
		var bits uint64
		if typ != btBinary {
			bits = 8
		}
		if p.Bits != nil {
			lit, ok := p.Bits.(*ast.Literal)
			if !ok || lit.Kind != ast.IntLit {
				c.fail(p.Bits.Position(), "", "the size of a binary part must be an integer literal")
			}
			if lit.Int == 0 || lit.Int > 64 {
				c.fail(p.Pos, "", "negative bits or bits > 64 are are not allowed: %s", strconv.FormatUint(lit.Int, 10))
			}
			bits = lit.Int
		}
		x := c.expr(p.Value)
		nodes = append(nodes, x)
		parts = append(parts, bytesPart{val: x.fn, typ: typ, bits: uint(bits), site: c.siteAt(n.Pos, p.Pos)})
	}
	fn := func(f *Frame) (value.Value, error) {
		var w bitWriter
		for i := range parts {
			p := &parts[i]
			v, err := p.val(f)
			if err != nil {
				return value.NullValue, err
			}
			switch p.typ {
			case btBinary:
				var b string
				switch v.Kind() {
				case value.Bytes, value.String:
					b = strOf(v)
				default:
					return value.NullValue, p.site.err("Not a binary: "+value.Encode(v), "")
				}
				if p.bits > 0 {
					if uint(len(b)) < p.bits {
						return value.NullValue, p.site.err("Not a long enough binary: "+value.Encode(v), "")
					}
					b = b[:p.bits]
				}
				w.writeBytes(b)
			case btUnsignedBig, btUnsignedLittle:
				u, ok := v.AsU64()
				if !ok {
					return value.NullValue, p.site.err("Not an unsigned integer: "+value.Encode(v), "")
				}
				w.write(p.typ == btUnsignedLittle, p.bits, u)
			case btSignedBig, btSignedLittle:
				i, ok := v.AsI64()
				if !ok {
					return value.NullValue, p.site.err("Not an signed integer: "+value.Encode(v), "")
				}
				w.write(p.typ == btSignedLittle, p.bits, uint64(i))
			}
		}
		return value.NewBytes(w.finish()), nil
	}
	return c.fold(cnode{fn: fn, dyn: dynOf(nodes...)}, nodes...)
}

// bitWriter packs bits MSB-first as Tremor's write_bits does.
type bitWriter struct {
	out  []byte
	buf  byte // pending bits, left-aligned
	used uint // number of pending bits
}

// write writes the low bits of v; little-endian parts wider than a byte have their bytes swapped
// first.
func (w *bitWriter) write(little bool, bits uint, v uint64) {
	if little && bits > 8 {
		v &= mask(bits)
		switch {
		case bits <= 16:
			v = uint64(swap16(uint16(v)))
		case bits <= 32:
			v = uint64(swap32(uint32(v)))
		default:
			v = swap64(v)
		}
	}
	w.writeBE(bits, v)
}

// mask keeps bits+1 low bits (Tremor's mask is one bit wider than the part, spec §2.6 ⚠).
func mask(bits uint) uint64 {
	if bits+1 >= 64 {
		return math.MaxUint64
	}
	return 1<<(bits+1) - 1
}

func (w *bitWriter) writeBE(bits uint, v uint64) {
	v &= mask(bits)
	if bits+w.used < 8 {
		w.buf |= byte(v) << (8 - w.used - bits)
		w.used += bits
		return
	}
	flush := 8 - w.used
	rest := bits - flush
	w.buf |= byte(v >> rest)
	w.out = append(w.out, w.buf)
	for rest >= 8 {
		rest -= 8
		w.out = append(w.out, byte(v>>rest))
	}
	if rest > 0 {
		w.buf = byte(v) << (8 - rest)
	} else {
		w.buf = 0
	}
	w.used = rest
}

func (w *bitWriter) writeBytes(b string) {
	if w.used == 0 {
		w.out = append(w.out, b...)
		return
	}
	for i := 0; i < len(b); i++ {
		w.writeBE(8, uint64(b[i]))
	}
}

func (w *bitWriter) finish() []byte {
	if w.used > 0 {
		w.out = append(w.out, w.buf>>(8-w.used))
	}
	if w.out == nil {
		return []byte{}
	}
	return w.out
}

func swap16(v uint16) uint16 { return v<<8 | v>>8 }
func swap32(v uint32) uint32 {
	return v<<24 | (v<<8)&0x00ff0000 | (v>>8)&0x0000ff00 | v>>24
}
func swap64(v uint64) uint64 {
	return uint64(swap32(uint32(v)))<<32 | uint64(swap32(uint32(v>>32)))
}
