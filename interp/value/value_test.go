package value

import (
	"math"
	"testing"
	"unsafe"
)

func TestValueSize(t *testing.T) {
	if got := unsafe.Sizeof(Value{}); got != 16 {
		t.Errorf("sizeof(Value) = %d, want 16", got)
	}
}

func TestTypeNames(t *testing.T) {
	tests := []struct {
		v          Value
		name, vt   string
		kind       Kind
		num, integ bool
	}{
		{NullValue, "null", "null", Null, false, false},
		{NewBool(true), "bool", "bool", Bool, false, false},
		{NewInt(-1), "integer", "i64", Int, true, true},
		{NewUint(1), "integer", "u64", Uint, true, true},
		{NewFloat(1), "float", "f64", Float, true, false},
		{NewString("s"), "string", "string", String, false, false},
		{NewBytes([]byte{1}), "bytes", "bytes", Bytes, false, false},
		{NewArray(nil), "array", "array", Array, false, false},
		{NewRecordValue(nil), "record", "object", Record, false, false},
	}
	for _, tt := range tests {
		if tt.v.TypeName() != tt.name || tt.v.ValueTraitName() != tt.vt || tt.v.Kind() != tt.kind ||
			tt.v.Kind().String() != tt.name || tt.v.IsNumber() != tt.num || tt.v.IsInteger() != tt.integ ||
			tt.v.IsNull() != (tt.kind == Null) {
			t.Errorf("%v: TypeName %q ValueTraitName %q Kind %v IsNumber %v IsInteger %v", tt.v,
				tt.v.TypeName(), tt.v.ValueTraitName(), tt.v.Kind(), tt.v.IsNumber(), tt.v.IsInteger())
		}
	}
}

func TestNumericConversions(t *testing.T) {
	tests := []struct {
		v     Value
		u     uint64
		uok   bool
		i     int64
		iok   bool
		f     float64
		fok   bool // AsF64
		castF float64
		cok   bool
	}{
		{NewUint(5), 5, true, 5, true, 0, false, 5, true},
		{NewInt(5), 5, true, 5, true, 0, false, 5, true},
		{NewInt(0), 0, true, 0, true, 0, false, 0, true},
		{NewInt(-5), 0, false, -5, true, 0, false, -5, true},
		{NewInt(math.MinInt64), 0, false, math.MinInt64, true, 0, false, -9223372036854775808, true},
		{NewUint(math.MaxInt64), math.MaxInt64, true, math.MaxInt64, true, 0, false, 9223372036854775807, true},
		{NewUint(math.MaxInt64 + 1), math.MaxInt64 + 1, true, 0, false, 0, false, 9223372036854775808, true},
		{NewUint(math.MaxUint64), math.MaxUint64, true, 0, false, 0, false, 18446744073709551615, true},
		{NewFloat(2.5), 0, false, 0, false, 2.5, true, 2.5, true},
		{NewFloat(2), 0, false, 0, false, 2, true, 2, true},
		{NewString("1"), 0, false, 0, false, 0, false, 0, false},
		{NewBool(true), 0, false, 0, false, 0, false, 0, false},
		{NullValue, 0, false, 0, false, 0, false, 0, false},
	}
	for _, tt := range tests {
		u, uok := tt.v.AsU64()
		i, iok := tt.v.AsI64()
		f, fok := tt.v.AsF64()
		c, cok := tt.v.CastF64()
		if u != tt.u || uok != tt.uok || i != tt.i || iok != tt.iok || f != tt.f || fok != tt.fok || c != tt.castF || cok != tt.cok {
			t.Errorf("%v: AsU64 %v,%v AsI64 %v,%v AsF64 %v,%v CastF64 %v,%v", tt.v, u, uok, i, iok, f, fok, c, cok)
		}
	}
}

func TestAccessors(t *testing.T) {
	if b, ok := NewBool(true).AsBool(); !b || !ok {
		t.Error("AsBool(true)")
	}
	if b, ok := NewUint(1).AsBool(); b || ok {
		t.Error("AsBool(1) succeeded")
	}
	if s, ok := NewString("héllo").AsString(); s != "héllo" || !ok {
		t.Error("AsString")
	}
	if s, ok := NewBytes([]byte("x")).AsString(); s != "" || ok {
		t.Error("AsString on bytes succeeded")
	}
	if s, ok := NewBytes([]byte("x")).AsBytes(); s != "x" || !ok {
		t.Error("AsBytes")
	}
	if s, ok := NewString("x").AsBytes(); s != "" || ok {
		t.Error("AsBytes on string succeeded")
	}
	if s, ok := NewString("").AsString(); s != "" || !ok {
		t.Error("AsString of empty")
	}
	if a, ok := NewArray([]Value{NewUint(1)}).AsArray(); len(a) != 1 || cap(a) != 1 || !ok {
		t.Error("AsArray")
	}
	if a, ok := NewArray(make([]Value, 0, 4)).AsArray(); len(a) != 0 || !ok {
		t.Error("AsArray of empty")
	}
	if _, ok := NewUint(1).AsArray(); ok {
		t.Error("AsArray on a number succeeded")
	}
	if r, ok := NewRecordValue(nil).AsRecord(); r == nil || r.Len() != 0 || !ok {
		t.Error("AsRecord of an empty record")
	}
	if r, ok := NewArray(nil).AsRecord(); r != nil || ok {
		t.Error("AsRecord on an array succeeded")
	}
	// NewBytes copies.
	b := []byte("ab")
	v := NewBytes(b)
	b[0] = 'x'
	if s, _ := v.AsBytes(); s != "ab" {
		t.Errorf("NewBytes shares the slice: %q", s)
	}
	// Arrays share their slice.
	items := []Value{NewUint(1), NewUint(2)}
	arr := NewArray(items)
	items[0] = NewUint(9)
	if Encode(arr) != "[9,2]" {
		t.Errorf("NewArray copied: %v", arr)
	}
}

func TestClone(t *testing.T) {
	orig := MustDecodeJSON(`{"a":[1,{"b":"c"}],"d":{"e":[]},"f":"g"}`)
	c := orig.Clone()
	if !PartialEqual(orig, c) || Encode(c) != Encode(orig) {
		t.Fatalf("clone differs: %v vs %v", c, orig)
	}
	r, _ := c.AsRecord()
	av, _ := r.Get("a")
	items, _ := av.AsArray()
	inner, _ := items[1].AsRecord()
	inner.Set("b", NewUint(1))
	items[0] = NewString("changed")
	r.Set("new", NullValue)
	if Encode(orig) != `{"a":[1,{"b":"c"}],"d":{"e":[]},"f":"g"}` {
		t.Errorf("mutating the clone changed the original: %v", orig)
	}
	if Encode(c) != `{"a":["changed",{"b":1}],"d":{"e":[]},"f":"g","new":null}` {
		t.Errorf("clone after mutation: %v", c)
	}
	for _, v := range []Value{NullValue, NewUint(1), NewString("s"), NewBytes([]byte{1}), NewArray(nil)} {
		if c := v.Clone(); !PartialEqual(c, v) || c.Kind() != v.Kind() {
			t.Errorf("Clone(%v) = %v", v, c)
		}
	}
}

func TestDisplay(t *testing.T) {
	tests := []struct {
		v    Value
		want string
	}{
		{NewString("raw \"text\""), `raw "text"`},
		{NewUint(18446744073709551615), "18446744073709551615"},
		{NewInt(-3), "-3"},
		{NewFloat(1), "1"},
		{NewFloat(0.1), "0.1"},
		{NewFloat(-2.5), "-2.5"},
		{NewFloat(1e16), "10000000000000000"},
		{NewFloat(1e21), "1000000000000000000000"},
		{NewFloat(1.5e-7), "0.00000015"},
		{NewFloat(math.Copysign(0, -1)), "-0"},
		{NewFloat(math.Inf(1)), "inf"},
		{NewFloat(math.Inf(-1)), "-inf"},
		{NewFloat(NegNaN()), "NaN"},
		{NewBool(true), "true"},
		{NewBool(false), "false"},
		{NullValue, "null"},
		{NewBytes([]byte{1, 2, 255}), "[1, 2, 255]"},
		{NewBytes(nil), "[]"},
		{MustDecodeJSON(`[1,"a",{"b":2.0}]`), `[1,"a",{"b":2.0}]`},
	}
	for _, tt := range tests {
		if got := tt.v.Display(); got != tt.want {
			t.Errorf("Display(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestNaNHelpers(t *testing.T) {
	if math.Float64bits(NaN()) != 0x7FF8000000000000 || !math.IsNaN(NaN()) {
		t.Errorf("NaN bits %#x", math.Float64bits(NaN()))
	}
	if math.Float64bits(NegNaN()) != 0xFFF8000000000000 || !math.IsNaN(NegNaN()) {
		t.Errorf("NegNaN bits %#x", math.Float64bits(NegNaN()))
	}
}

func TestFromGo(t *testing.T) {
	tests := []struct {
		in   any
		want string
		kind Kind
	}{
		{nil, "null", Null},
		{true, "true", Bool},
		{3, "3", Uint},
		{-3, "-3", Int},
		{int64(3), "3", Int},
		{int32(-3), "-3", Int},
		{uint64(3), "3", Uint},
		{uint8(3), "3", Uint},
		{3.0, "3.0", Float},
		{float32(0.5), "0.5", Float},
		{"s", `"s"`, String},
		{[]byte{1, 2, 3}, `"AQID"`, Bytes},
		{[]any{1, "a", nil, []any{}}, `[1,"a",null,[]]`, Array},
		{[]Value{NewUint(1)}, `[1]`, Array},
		{map[string]any{"b": 1, "a": map[string]any{"d": 1.5, "c": -1}}, `{"a":{"c":-1,"d":1.5},"b":1}`, Record},
		{map[string]Value{"z": NewUint(1), "y": NullValue}, `{"y":null,"z":1}`, Record},
		{NewString("v"), `"v"`, String},
		{NewRec(0), `{}`, Record},
	}
	for _, tt := range tests {
		v := FromGo(tt.in)
		if got := Encode(v); got != tt.want || v.Kind() != tt.kind {
			t.Errorf("FromGo(%#v) = %s (%v), want %s (%v)", tt.in, got, v.Kind(), tt.want, tt.kind)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("FromGo(struct{}{}) did not panic")
		}
	}()
	FromGo(struct{}{})
}
