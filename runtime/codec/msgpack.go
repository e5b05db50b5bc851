package codec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"unicode/utf8"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

func init() {
	register(&Spec{
		Name: "msgpack",
		Doc:  "one MessagePack value per frame; integers stay integers, record key order is kept, bin is bytes",
		New:  func(config.Values) (Codec, error) { return newMsgpackCodec(), nil },
	})
}

// msgpackCodec reads and writes MessagePack with the low-level API of vmihailenco/msgpack, so that
// map key order survives (decoding into map[string]any would lose it).
//
// Decoding maps nil → null, bool → bool, an integer that fits in an i64 → Int, a uint 64 beyond
// the i64 range → Uint, float 32 and float 64 → Float, str → String (it must be valid UTF-8),
// bin → Bytes, array → Array, map → Record (every key must be a str; a repeated key keeps its
// first position and takes the later value). Extension types, the never-used code 0xc1, nesting
// deeper than value.MaxDepth and bytes after the value are errors. Encoding is the reverse: Int and
// Uint in the smallest integer format, Float as float 64, Bytes as bin.
type msgpackCodec struct {
	r   bytes.Reader
	dec *msgpack.Decoder
	w   sliceWriter
	enc *msgpack.Encoder
}

func newMsgpackCodec() *msgpackCodec {
	c := &msgpackCodec{}
	c.dec = msgpack.NewDecoder(&c.r)
	c.enc = msgpack.NewEncoder(&c.w)
	return c
}

// sliceWriter appends to a byte slice; it is the io.Writer (and io.ByteWriter, so msgpack adds no
// buffering) the encoder writes into.
type sliceWriter struct{ b []byte }

func (w *sliceWriter) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }

func (w *sliceWriter) WriteByte(c byte) error { w.b = append(w.b, c); return nil }

func (w *sliceWriter) WriteString(s string) (int, error) { w.b = append(w.b, s...); return len(s), nil }

// msgpackDecoder is the state of one Decode call. The bytes.Reader is an io.ByteScanner, so the
// msgpack decoder reads from it without buffering and the offset is always len(data) - r.Len().
type msgpackDecoder struct {
	data []byte
	r    *bytes.Reader
	dec  *msgpack.Decoder
}

func (c *msgpackCodec) Decode(data []byte, _ uint64) (value.Value, error) {
	c.r.Reset(data)
	c.dec.Reset(&c.r)
	d := msgpackDecoder{data: data, r: &c.r, dec: c.dec}
	if len(data) == 0 {
		return value.NullValue, errors.New("msgpack: empty frame (expected one value)")
	}
	v, err := d.value(0)
	if err != nil {
		return value.NullValue, err
	}
	if n := c.r.Len(); n > 0 {
		return value.NullValue, fmt.Errorf("msgpack: %d bytes of trailing data after the value at byte %d", n, d.pos())
	}
	return v, nil
}

// pos is the offset of the next unread byte.
func (d *msgpackDecoder) pos() int { return len(d.data) - d.r.Len() }

// fail wraps an error of the msgpack library: running out of data says where.
func (d *msgpackDecoder) fail(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("msgpack: unexpected end of data at byte %d", len(d.data))
	}
	return fmt.Errorf("msgpack: %v at byte %d", err, d.pos())
}

// value decodes the value at the current offset; depth is the number of enclosing containers.
func (d *msgpackDecoder) value(depth int) (value.Value, error) {
	at := d.pos()
	c, err := d.dec.PeekCode()
	if err != nil {
		return value.NullValue, d.fail(err)
	}
	switch {
	case c == msgpcode.Nil:
		if err := d.dec.DecodeNil(); err != nil {
			return value.NullValue, d.fail(err)
		}
		return value.NullValue, nil
	case c == msgpcode.True || c == msgpcode.False:
		b, err := d.dec.DecodeBool()
		if err != nil {
			return value.NullValue, d.fail(err)
		}
		return value.NewBool(b), nil
	case c == msgpcode.Float:
		f, err := d.dec.DecodeFloat32()
		if err != nil {
			return value.NullValue, d.fail(err)
		}
		return value.NewFloat(float64(f)), nil
	case c == msgpcode.Double:
		f, err := d.dec.DecodeFloat64()
		if err != nil {
			return value.NullValue, d.fail(err)
		}
		return value.NewFloat(f), nil
	case c == msgpcode.Uint64:
		u, err := d.dec.DecodeUint64()
		if err != nil {
			return value.NullValue, d.fail(err)
		}
		if u > math.MaxInt64 {
			return value.NewUint(u), nil
		}
		return value.NewInt(int64(u)), nil
	case isMsgpackInt(c):
		i, err := d.dec.DecodeInt64()
		if err != nil {
			return value.NullValue, d.fail(err)
		}
		return value.NewInt(i), nil
	case msgpcode.IsString(c):
		s, err := d.utf8Text("string")
		if err != nil {
			return value.NullValue, err
		}
		return value.NewString(s), nil
	case msgpcode.IsBin(c):
		s, err := d.text()
		if err != nil {
			return value.NullValue, err
		}
		return value.NewBytesString(s), nil
	case isMsgpackArray(c):
		n, err := d.containerLen(at, depth, d.dec.DecodeArrayLen, 1, "array", "elements")
		if err != nil {
			return value.NullValue, err
		}
		items := make([]value.Value, n)
		for i := range items {
			if items[i], err = d.value(depth + 1); err != nil {
				return value.NullValue, err
			}
		}
		return value.NewArray(items), nil
	case isMsgpackMap(c):
		n, err := d.containerLen(at, depth, d.dec.DecodeMapLen, 2, "map", "entries")
		if err != nil {
			return value.NullValue, err
		}
		rec := value.NewRec(n)
		for i := 0; i < n; i++ {
			kat := d.pos()
			kc, err := d.dec.PeekCode()
			if err != nil {
				return value.NullValue, d.fail(err)
			}
			if !msgpcode.IsString(kc) {
				return value.NullValue, fmt.Errorf("msgpack: the map key at byte %d is %s, expected a string", kat, msgpackCodeName(kc))
			}
			k, err := d.utf8Text("map key")
			if err != nil {
				return value.NullValue, err
			}
			v, err := d.value(depth + 1)
			if err != nil {
				return value.NullValue, err
			}
			rec.Set(k, v)
		}
		return value.NewRecordValue(rec), nil
	case msgpcode.IsExt(c):
		return value.NullValue, fmt.Errorf("msgpack: extension types are not supported (type code 0x%02x at byte %d)", c, at)
	}
	return value.NullValue, fmt.Errorf("msgpack: invalid type code 0x%02x at byte %d", c, at)
}

// containerLen checks the nesting depth of the array or map (kind) that starts at byte at and
// reads its length with readLen. Its items take at least itemBytes bytes each, so a length the
// data left cannot hold is an error before anything is allocated.
func (d *msgpackDecoder) containerLen(at, depth int, readLen func() (int, error), itemBytes int, kind, items string) (int, error) {
	if depth >= value.MaxDepth {
		return 0, fmt.Errorf("msgpack: nesting deeper than %d at byte %d", value.MaxDepth, at)
	}
	n, err := readLen()
	if err != nil {
		return 0, d.fail(err)
	}
	if n > d.r.Len()/itemBytes {
		return 0, fmt.Errorf("msgpack: unexpected end of data at byte %d (the %s at byte %d has %d %s)", len(d.data), kind, at, n, items)
	}
	return n, nil
}

// utf8Text reads a str (see text) that must be valid UTF-8; what names it in the error.
func (d *msgpackDecoder) utf8Text(what string) (string, error) {
	at := d.pos()
	s, err := d.text()
	if err != nil {
		return "", err
	}
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("msgpack: the %s at byte %d is not valid UTF-8", what, at)
	}
	return s, nil
}

// text reads a str or bin (its header through the library, its payload from data) and returns a
// copy of the payload.
func (d *msgpackDecoder) text() (string, error) {
	at := d.pos()
	n, err := d.dec.DecodeBytesLen()
	if err != nil {
		return "", d.fail(err)
	}
	if n > d.r.Len() {
		return "", fmt.Errorf("msgpack: unexpected end of data at byte %d (the string at byte %d has %d bytes)", len(d.data), at, n)
	}
	p := d.pos()
	s := string(d.data[p : p+n])
	if _, err := d.r.Seek(int64(n), io.SeekCurrent); err != nil {
		return "", d.fail(err)
	}
	return s, nil
}

// msgpackCodeName names the type a code starts, for error messages.
func msgpackCodeName(c byte) string {
	switch {
	case c == msgpcode.Nil:
		return "nil"
	case c == msgpcode.True || c == msgpcode.False:
		return "a bool"
	case c == msgpcode.Float || c == msgpcode.Double:
		return "a float"
	case isMsgpackInt(c):
		return "an integer"
	case msgpcode.IsBin(c):
		return "bin"
	case isMsgpackArray(c):
		return "an array"
	case isMsgpackMap(c):
		return "a map"
	case msgpcode.IsExt(c):
		return "an extension type"
	}
	return fmt.Sprintf("the invalid code 0x%02x", c)
}

// isMsgpackInt reports whether c starts an integer: a fixnum, uint 8 to 64 or int 8 to 64.
func isMsgpackInt(c byte) bool {
	return msgpcode.IsFixedNum(c) || c >= msgpcode.Uint8 && c <= msgpcode.Int64
}

// isMsgpackArray reports whether c starts an array.
func isMsgpackArray(c byte) bool {
	return msgpcode.IsFixedArray(c) || c == msgpcode.Array16 || c == msgpcode.Array32
}

// isMsgpackMap reports whether c starts a map.
func isMsgpackMap(c byte) bool {
	return msgpcode.IsFixedMap(c) || c == msgpcode.Map16 || c == msgpcode.Map32
}

func (c *msgpackCodec) Encode(dst []byte, v value.Value) ([]byte, error) {
	c.w.b = dst
	err := c.encode(v)
	out := c.w.b
	c.w.b = nil
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *msgpackCodec) encode(v value.Value) error {
	e := c.enc
	switch v.Kind() {
	case value.Null:
		return e.EncodeNil()
	case value.Bool:
		b, _ := v.AsBool()
		return e.EncodeBool(b)
	case value.Int:
		i, _ := v.AsI64()
		return e.EncodeInt(i)
	case value.Uint:
		u, _ := v.AsU64()
		return e.EncodeUint(u)
	case value.Float:
		f, _ := v.AsF64()
		return e.EncodeFloat64(f)
	case value.String:
		s, _ := v.AsString()
		return e.EncodeString(s)
	case value.Bytes:
		s, _ := v.AsBytes()
		if err := e.EncodeBytesLen(len(s)); err != nil {
			return err
		}
		c.w.b = append(c.w.b, s...)
		return nil
	case value.Array:
		items, _ := v.AsArray()
		if err := e.EncodeArrayLen(len(items)); err != nil {
			return err
		}
		for _, it := range items {
			if err := c.encode(it); err != nil {
				return err
			}
		}
		return nil
	case value.Record:
		rec, _ := v.AsRecord()
		if err := e.EncodeMapLen(rec.Len()); err != nil {
			return err
		}
		for i := 0; i < rec.Len(); i++ {
			k, x := rec.At(i)
			if err := e.EncodeString(k); err != nil {
				return err
			}
			if err := c.encode(x); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("msgpack: cannot encode %s", v.TypeName())
}
