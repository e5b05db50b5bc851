package codec

import "github.com/rillstream/rill/interp/value"

var jsonCases = codecCases{
	name: "json",
	roundTrip: []value.Value{
		j(`{"z":1,"a":[-1,18446744073709551615,1.5,1.0,"x",null,true,{}],"m":{"k":"v"}}`),
		j(`-9223372036854775808`),
		j(`"\u00e9\n\""`),
		j(`[]`),
	},
	decode: []decodeCase{
		{`{"b":1,"a":2.0}`, value.NewRecordValue(recOf("b", value.NewUint(1), "a", value.NewFloat(2)))},
		{" [1, -2] \n", value.NewArray([]value.Value{value.NewUint(1), value.NewInt(-2)})},
	},
	encode: []encodeCase{
		{j(`{"b":[1,2.5],"a":null}`), `{"b":[1,2.5],"a":null}`},
	},
	decodeErr: []decodeErrCase{
		{"", "unexpected end of input"},
		{"   ", "unexpected end of input"},
		{"\n", "unexpected end of input"},
		{"{", "unexpected end of input"},
		{"[1,]", "invalid JSON at byte 3"},
		{"1 2", "invalid JSON at byte 2"},
	},
}

// recOf builds a record from alternating keys and values, in that order.
func recOf(kv ...any) *value.Rec {
	r := value.NewRec(len(kv) / 2)
	for i := 0; i < len(kv); i += 2 {
		r.Set(kv[i].(string), kv[i+1].(value.Value))
	}
	return r
}
