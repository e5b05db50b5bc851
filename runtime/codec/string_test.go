package codec

import "github.com/rillstream/rill/interp/value"

var stringCases = codecCases{
	name:      "string",
	roundTrip: []value.Value{value.NewString("héllo"), value.NewString(""), value.NewString("a\nb")},
	decode:    []decodeCase{{"abc d", value.NewString("abc d")}},
	encode: []encodeCase{
		{value.NewString("raw \"text\""), `raw "text"`},
		{value.NewBytes([]byte("raw")), "raw"},
		{j(`{"a":1}`), `{"a":1}`},
	},
	decodeErr: []decodeErrCase{{"ok\xffno", "string: invalid UTF-8 at byte 2"}},
}
