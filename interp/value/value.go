package value

import (
	"math"
	"unsafe"
)

// Kind is the type of a Value. Int and Uint are both "integer" to users (spec §0): the JSON decoder
// picks Int for negative numbers and Uint otherwise, script integer literals are Uint, and arithmetic
// treats them as one type except at the limits.
type Kind uint8

const (
	Null   Kind = iota // null
	Bool               // true, false
	Int                // signed 64-bit integer (I64)
	Uint               // unsigned 64-bit integer (U64)
	Float              // 64-bit float
	String             // UTF-8 text
	Bytes              // binary
	Array              // ordered list of values
	Record             // insertion-ordered map of string keys to values
)

// Value is one value of the model, passed by value. Scalars live inline (no allocation); strings and
// bytes share their backing string; arrays and records are references: copying a Value that holds
// an array or record does not copy the elements (use Clone for an independent copy). The zero Value
// is null.
//
// A Value is two machine words (see the package documentation). Values cannot be compared with ==:
// use Equal (val_eq), PartialEqual or Compare, or the accessors.
type Value struct {
	_ [0]func()      // not comparable: == would compare string pointers, not contents
	p unsafe.Pointer // Bool, Int, Uint, Float: scalarTag(kind); String, Bytes: the first byte; Array: the first element; Record: the *Rec; Null: nil
	n uint64         // Bool (0/1), Int (int64 bits), Uint, Float (math.Float64bits): the payload; String, Bytes, Array: kind<<56 | length; Record: kind<<56; Null: 0
}

// The encoding of the kind. Scalars need all 64 bits of n, so their kind is told by p pointing into
// scalarTags; the other kinds have a real pointer (or nil) in p and their kind in the top byte of n.
const (
	kindShift = 56
	lenMask   = 1<<kindShift - 1
)

// scalarTags gives each scalar kind an address; a scalar Value's p is &scalarTags[kind].
var scalarTags [Float + 1]byte

// scalarTag returns the p of a scalar of kind k (Bool, Int, Uint or Float).
func scalarTag(k Kind) unsafe.Pointer { return unsafe.Pointer(&scalarTags[k]) }

// scalar returns a scalar Value.
func scalar(k Kind, payload uint64) Value { return Value{p: scalarTag(k), n: payload} }

// Kind returns the value's kind.
func (v Value) Kind() Kind {
	if d := uintptr(v.p) - uintptr(unsafe.Pointer(&scalarTags)); d < uintptr(len(scalarTags)) {
		return Kind(d)
	}
	return Kind(v.n >> kindShift)
}

// Internal views of the payload. Each is valid only for the kinds named.

// text returns the string of a String or Bytes value (and "" for any other kind).
func (v Value) text() string {
	if k := v.Kind(); k != String && k != Bytes {
		return ""
	}
	return unsafe.String((*byte)(v.p), int(v.n&lenMask))
}

// key returns the text of a String value without checking the kind (record keys, hot loops).
func (v *Value) key() string { return unsafe.String((*byte)(v.p), int(v.n&lenMask)) }

// items returns the elements of an Array value without checking the kind.
func (v Value) items() []Value { return unsafe.Slice((*Value)(v.p), int(v.n&lenMask)) }

// rec returns the record of a Record value without checking the kind.
func (v Value) rec() *Rec { return (*Rec)(v.p) }

// float returns the float of a Float value without checking the kind.
func (v Value) float() float64 { return math.Float64frombits(v.n) }

// textValue returns a String or Bytes value over s.
func textValue(k Kind, s string) Value {
	return Value{p: unsafe.Pointer(unsafe.StringData(s)), n: uint64(k)<<kindShift | uint64(len(s))}
}

// In-place setters for the decoder, which fills zeroed slots.

func (v *Value) setText(k Kind, s string) {
	v.p, v.n = unsafe.Pointer(unsafe.StringData(s)), uint64(k)<<kindShift|uint64(len(s))
}

func (v *Value) setArray(items []Value) {
	v.p, v.n = unsafe.Pointer(unsafe.SliceData(items)), uint64(Array)<<kindShift|uint64(len(items))
}

func (v *Value) setRecord(r *Rec) { v.p, v.n = unsafe.Pointer(r), uint64(Record)<<kindShift }

func (v *Value) setScalar(k Kind, payload uint64) { v.p, v.n = scalarTag(k), payload }

// borrowString returns the bytes of b as a string without copying. The caller must not retain the
// string (or substrings of it) beyond b's lifetime, nor let b change while it is in use.
func borrowString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// Constructors.

// NullValue is the null value (the zero Value).
var NullValue = Value{}

// NewBool returns a bool value.
func NewBool(b bool) Value {
	if b {
		return scalar(Bool, 1)
	}
	return scalar(Bool, 0)
}

// NewInt returns a signed integer value.
func NewInt(i int64) Value { return scalar(Int, uint64(i)) }

// NewUint returns an unsigned integer value.
func NewUint(u uint64) Value { return scalar(Uint, u) }

// NewFloat returns a float value.
func NewFloat(f float64) Value { return scalar(Float, math.Float64bits(f)) }

// NewString returns a string value.
func NewString(s string) Value { return textValue(String, s) }

// NewBytes returns a bytes value holding a copy of b.
func NewBytes(b []byte) Value { return textValue(Bytes, string(b)) }

// NewBytesString returns a bytes value over the bytes of s (no copy).
func NewBytesString(s string) Value { return textValue(Bytes, s) }

// NewArray returns an array value over items (no copy and no allocation: the array owns the slice
// from now on). The array's length is fixed: AsArray returns a slice whose capacity is its length.
func NewArray(items []Value) Value {
	if len(items) == 0 {
		return Value{n: uint64(Array) << kindShift}
	}
	return Value{p: unsafe.Pointer(unsafe.SliceData(items)), n: uint64(Array)<<kindShift | uint64(len(items))}
}

// NewRecordValue returns a record value over r (shared, not copied). A nil r is an empty record.
func NewRecordValue(r *Rec) Value {
	if r == nil {
		r = &Rec{}
	}
	return Value{p: unsafe.Pointer(r), n: uint64(Record) << kindShift}
}

// Accessors. Each As* reports false when the kind does not match; they never convert between kinds
// except where the spec says (AsU64, AsI64, CastF64).

// IsNull reports whether v is null.
func (v Value) IsNull() bool { return v.p == nil && v.n == 0 }

// AsBool returns the bool of a Bool value.
func (v Value) AsBool() (bool, bool) {
	if v.p != scalarTag(Bool) {
		return false, false
	}
	return v.n != 0, true
}

// AsU64 succeeds for Uint, and for Int ≥ 0 (spec §0).
func (v Value) AsU64() (uint64, bool) {
	switch v.p {
	case scalarTag(Uint):
		return v.n, true
	case scalarTag(Int):
		if int64(v.n) >= 0 {
			return v.n, true
		}
	}
	return 0, false
}

// AsI64 succeeds for Int, and for Uint ≤ math.MaxInt64 (spec §0).
func (v Value) AsI64() (int64, bool) {
	switch v.p {
	case scalarTag(Int):
		return int64(v.n), true
	case scalarTag(Uint):
		if v.n <= math.MaxInt64 {
			return int64(v.n), true
		}
	}
	return 0, false
}

// AsF64 succeeds for Float only.
func (v Value) AsF64() (float64, bool) {
	if v.p == scalarTag(Float) {
		return math.Float64frombits(v.n), true
	}
	return 0, false
}

// CastF64 converts any number to float64 (spec §0 cast_f64): Int and Uint are rounded to the
// nearest float.
func (v Value) CastF64() (float64, bool) {
	switch v.p {
	case scalarTag(Float):
		return math.Float64frombits(v.n), true
	case scalarTag(Int):
		return float64(int64(v.n)), true
	case scalarTag(Uint):
		return float64(v.n), true
	}
	return 0, false
}

// IsNumber reports whether v is an Int, Uint or Float.
func (v Value) IsNumber() bool {
	k := v.Kind()
	return k == Int || k == Uint || k == Float
}

// IsInteger reports whether v is an Int or Uint.
func (v Value) IsInteger() bool { return v.p == scalarTag(Int) || v.p == scalarTag(Uint) }

// AsString returns the text of a String value.
func (v Value) AsString() (string, bool) {
	if v.Kind() != String {
		return "", false
	}
	return v.text(), true
}

// AsBytes returns the bytes of a Bytes value as a string (no copy).
func (v Value) AsBytes() (string, bool) {
	if v.Kind() != Bytes {
		return "", false
	}
	return v.text(), true
}

// AsArray returns the elements of an Array value. The slice is shared: mutate only a value you own.
// Its capacity is its length, so appending to it copies.
func (v Value) AsArray() ([]Value, bool) {
	if v.Kind() != Array {
		return nil, false
	}
	return v.items(), true
}

// AsRecord returns the record of a Record value (shared).
func (v Value) AsRecord() (*Rec, bool) {
	if v.Kind() != Record {
		return nil, false
	}
	return v.rec(), true
}

// Type names.

// String returns the user-facing type name of the kind (spec §0, `type::as_string`): Int and Uint
// are both "integer".
func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "bool"
	case Int, Uint:
		return "integer"
	case Float:
		return "float"
	case String:
		return "string"
	case Bytes:
		return "bytes"
	case Array:
		return "array"
	case Record:
		return "record"
	}
	return "unknown"
}

// TypeName returns the type name used by `type::as_string` and by error messages (spec §0, t2s):
// one of null bool integer float string array record bytes.
func (v Value) TypeName() string { return v.Kind().String() }

// ValueTraitName returns value-trait's name of the value's type, used by a few error messages
// (e.g. "Invalid datetime input of type u64"): one of null bool i64 u64 f64 string array object bytes.
func (v Value) ValueTraitName() string {
	switch k := v.Kind(); k {
	case Int:
		return "i64"
	case Uint:
		return "u64"
	case Float:
		return "f64"
	case Record:
		return "object"
	default:
		return k.String()
	}
}

// Copies.

// Clone returns a deep copy of v: arrays and records are copied recursively; scalars, strings and
// bytes are immutable and shared.
func (v Value) Clone() Value {
	switch v.Kind() {
	case Array:
		return NewArray(cloneValues(v.items()))
	case Record:
		return NewRecordValue(v.rec().Clone())
	}
	return v
}

// cloneValues deep-copies a slice of values (nil stays nil).
func cloneValues(vs []Value) []Value {
	if vs == nil {
		return nil
	}
	out := make([]Value, len(vs))
	for i, x := range vs {
		out[i] = x.Clone()
	}
	return out
}

// String returns the compact JSON of v in insertion order (Encode), so that %v prints values readably.
func (v Value) String() string { return Encode(v) }

// NaN values. Go's math.NaN() has the payload 1 (bits 0x7FF8000000000001), which no Tremor
// computation produces and which serializes differently (FormatFloat formats the raw bits, as ryu
// does); use these instead.

// NaN returns the positive quiet NaN (bits 0x7FF8000000000000), which Rust's `f64::NAN` and
// `float::parse("NaN")` produce. It serializes as 2.696539702293474e308.
func NaN() float64 { return math.Float64frombits(0x7FF8000000000000) }

// NegNaN returns the negative quiet NaN (bits 0xFFF8000000000000), the x86-64 hardware result of
// 0.0/0.0 (e.g. Tremor's `stats::var` of one value). It serializes as -2.696539702293474e308.
func NegNaN() float64 { return math.Float64frombits(0xFFF8000000000000) }
