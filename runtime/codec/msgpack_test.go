package codec

import (
	"math"
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// A value with every kind msgpack carries, nested, with keys out of sorted order.
func msgpackSample() value.Value {
	inner := recOf("z", value.NewBytes([]byte{0, 1, 0xff}), "a", value.NewFloat(math.Inf(-1)))
	return value.NewRecordValue(recOf(
		"nil", value.NullValue,
		"t", value.NewBool(true),
		"f", value.NewBool(false),
		"small", value.NewInt(5),
		"neg", value.NewInt(-33),
		"i64min", value.NewInt(math.MinInt64),
		"i64max", value.NewInt(math.MaxInt64),
		"u64max", value.NewUint(math.MaxUint64),
		"float", value.NewFloat(1.5),
		"whole", value.NewFloat(2),
		"nan", value.NewFloat(math.NaN()),
		"negzero", value.NewFloat(math.Copysign(0, -1)),
		"str", value.NewString("héllo \x00 world"),
		"empty", value.NewString(""),
		"arr", value.NewArray([]value.Value{value.NewInt(1), value.NewArray(nil), value.NewRecordValue(value.NewRec(0))}),
		"inner", value.NewRecordValue(inner),
	))
}

var msgpackCases = codecCases{
	name: "msgpack",
	roundTrip: []value.Value{
		msgpackSample(),
		value.NullValue,
		value.NewString(strings.Repeat("x", 70000)), // str32
		value.NewBytes([]byte(strings.Repeat("y", 300))),
		value.NewArray(make([]value.Value, 20)), // array16
		j(`[-128,-129,-32768,-32769,-2147483648,-2147483649,127,128,255,256,65535,65536,4294967295,4294967296]`),
	},
	// The inputs are written byte by byte from the MessagePack specification.
	decode: []decodeCase{
		{"\xc0", value.NullValue},
		{"\xc2", value.NewBool(false)},
		{"\x93\x01\xa1a\xc3", value.NewArray([]value.Value{value.NewInt(1), value.NewString("a"), value.NewBool(true)})},
		{"\x82\xa1b\x01\xa1a\xcb\x3f\xf8\x00\x00\x00\x00\x00\x00", value.NewRecordValue(recOf("b", value.NewInt(1), "a", value.NewFloat(1.5)))},
		{"\xcf\xff\xff\xff\xff\xff\xff\xff\xff", value.NewUint(math.MaxUint64)},
		{"\xcf\x00\x00\x00\x00\x00\x00\x00\x07", value.NewInt(7)},
		{"\xd3\x80\x00\x00\x00\x00\x00\x00\x00", value.NewInt(math.MinInt64)},
		{"\xca\x3f\xc0\x00\x00", value.NewFloat(1.5)},
		{"\xcb\x7f\xf0\x00\x00\x00\x00\x00\x00", value.NewFloat(math.Inf(1))},
		{"\xc4\x03\x01\x02\x03", value.NewBytes([]byte{1, 2, 3})},
		{"\xcc\xff", value.NewInt(255)},
		{"\xd0\xff", value.NewInt(-1)},
		{"\xe0", value.NewInt(-32)},
		{"\x7f", value.NewInt(127)},
		{"\xd9\x05hello", value.NewString("hello")},
		{"\xdc\x00\x02\x01\x02", value.NewArray([]value.Value{value.NewInt(1), value.NewInt(2)})},
		{"\xde\x00\x01\xa1k\xc0", value.NewRecordValue(recOf("k", value.NullValue))},
		{"\x82\xa1k\x01\xa1k\x02", value.NewRecordValue(recOf("k", value.NewInt(2)))}, // a repeated key
	},
	encode: []encodeCase{
		{j(`{"b":1,"a":[-1,true,null]}`), "\x82\xa1b\x01\xa1a\x93\xff\xc3\xc0"},
		{value.NewFloat(1.5), "\xcb\x3f\xf8\x00\x00\x00\x00\x00\x00"},
		{value.NewUint(math.MaxUint64), "\xcf\xff\xff\xff\xff\xff\xff\xff\xff"},
		{value.NewInt(-200), "\xd1\xff\x38"},
		{value.NewBytes([]byte{9}), "\xc4\x01\x09"},
	},
	decodeErr: []decodeErrCase{
		{"", "msgpack: empty frame"},
		{"\x92\x01", "msgpack: unexpected end of data at byte 2"},
		{"\xa3ab", "msgpack: unexpected end of data at byte 3"},
		{"\xcd\x01", "msgpack: unexpected end of data at byte 2"},
		{"\xcb\x00", "msgpack: unexpected end of data at byte 2"},
		{"\x81\xa1k", "msgpack: unexpected end of data at byte 3"},
		{"\xdd\xff\xff\xff\xff\x01", "msgpack: unexpected end of data at byte 6 (the array at byte 0 has 4294967295 elements)"},
		{"\xdf\xff\xff\xff\xff", "msgpack: unexpected end of data"},
		{"\xdb\xff\xff\xff\xffab", "msgpack: unexpected end of data"},
		{"\xc1", "msgpack: invalid type code 0xc1 at byte 0"},
		{"\x91\xd4\x01\x02", "msgpack: extension types are not supported (type code 0xd4 at byte 1)"},
		{"\xc7\x01\x05\x00", "extension types are not supported"},
		{"\x81\x01\x02", "msgpack: the map key at byte 1 is an integer, expected a string"},
		{"\x81\xc4\x01k\x02", "msgpack: the map key at byte 1 is bin, expected a string"},
		{"\x01\x02", "msgpack: 1 bytes of trailing data after the value at byte 1"},
		{"\xa2\xff\xfe", "msgpack: the string at byte 0 is not valid UTF-8"},
		{strings.Repeat("\x91", 2000) + "\xc0", "msgpack: nesting deeper than 1024 at byte 1024"},
	},
}
