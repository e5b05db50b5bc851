package codec

import (
	"math"

	"github.com/rillstream/rill/interp/value"
)

// point builds an influx record; tags and fields are alternating keys and values.
func point(m string, tags []any, fields []any, ts value.Value) value.Value {
	r := value.NewRec(4)
	r.Set("measurement", value.NewString(m))
	r.Set("tags", value.NewRecordValue(recOf(tags...)))
	r.Set("fields", value.NewRecordValue(recOf(fields...)))
	r.Set("timestamp", ts)
	return value.NewRecordValue(r)
}

var influxCases = codecCases{
	name: "influx",
	// Tags and fields are written sorted by key, so these are sorted to survive unchanged.
	roundTrip: []value.Value{
		point("cpu", []any{"host", value.NewString("a"), "region", value.NewString("eu")},
			[]any{"b", value.NewBool(true), "f", value.NewFloat(1), "i", value.NewInt(-3), "s", value.NewString("x")},
			value.NewUint(1465839830100400200)),
		point(`m e,as\ure\`, []any{`\\`, value.NewString(`\\x`), `k=e y,\`, value.NewString(`v a,l=ue\`)},
			[]any{`f k=,`, value.NewString(`q"uo\te\`), "g", value.NewFloat(1e20), "h", value.NewFloat(1.5e-7),
				"n", value.NewFloat(math.Copysign(0, -1)), "u", value.NewInt(math.MaxInt64)},
			value.NewUint(0)),
		point("no_tags", nil, []any{"v", value.NewFloat(0.1)}, value.NewUint(testIngestNs)),
		point("empty_tag_value", []any{"t", value.NewString("")}, []any{"v", value.NewString("")}, value.NewUint(5)),
	},
	// The inputs follow the InfluxDB line protocol reference.
	decode: []decodeCase{
		{"weather,location=us-midwest temperature=82 1465839830100400200",
			point("weather", []any{"location", value.NewString("us-midwest")}, []any{"temperature", value.NewFloat(82)}, value.NewUint(1465839830100400200))},
		{`my\ m\,x,t\ k=a\,b\=c f="x \"y\" \\",i=-5i,b=t,B=FALSE`,
			point("my m,x", []any{"t k", value.NewString("a,b=c")},
				[]any{"f", value.NewString(`x "y" \`), "i", value.NewInt(-5), "b", value.NewBool(true), "B", value.NewBool(false)},
				value.NewUint(testIngestNs))},
		{"  m v=1.5e3 10  ", point("m", nil, []any{"v", value.NewFloat(1500)}, value.NewUint(10))},
	},
	encode: []encodeCase{
		{point("my m,x", []any{"z", value.NewString("1"), "a", value.NewString("b=c")},
			[]any{"s", value.NewString(`a"b\`), "i", value.NewInt(3), "f", value.NewFloat(2), "b", value.NewBool(false)},
			value.NewUint(10)),
			`my\ m\,x,a=b\=c,z=1 b=false,f=2.0,i=3i,s="a\"b\\" 10`},
		{j(`{"measurement":"m","fields":{"v":1}}`), "m v=1i"},
		{j(`{"measurement":"m","tags":null,"fields":{"v":0.5},"timestamp":null}`), "m v=0.5"},
	},
	decodeErr: []decodeErrCase{
		{"", "influx: empty line"},
		{"  ", "influx: empty line"},
		{"# a comment", "influx: the line is a comment"},
		{"cpu", "influx: malformed line"},
		{"m f=", "influx: malformed line"},
		{`m f="x`, "influx: malformed line"},
		{"m f=1 x", "influx: malformed line"},
		{"m f=1x", "influx: malformed line"},
		{"m,t f=1", "influx: malformed line"},
		{"m f=1\xff", "influx: invalid UTF-8 at byte 5"},
	},
	encodeErr: []encodeErrCase{
		{j(`[1]`), "influx: expected a record"},
		{j(`{"fields":{"v":1}}`), "influx: `measurement` must be a string, not null"},
		{j(`{"measurement":"","fields":{"v":1}}`), "influx: the measurement is empty"},
		{j(`{"measurement":"#m","fields":{"v":1}}`), "cannot start with `#`"},
		{j(`{"measurement":"m"}`), "influx: `fields` must be a record, not null"},
		{j(`{"measurement":"m","fields":{}}`), "at least one field"},
		{j(`{"measurement":"m","fields":{"v":[1]}}`), "influx: field `v` must be a string, number or bool, not array"},
		{j(`{"measurement":"m","fields":{"v":null}}`), "not null"},
		{j(`{"measurement":"m","tags":{"t":1},"fields":{"v":1}}`), "influx: tag `t` must be a string, not int"},
		{j(`{"measurement":"m","tags":[],"fields":{"v":1}}`), "influx: `tags` must be a record"},
		{j(`{"measurement":"m","fields":{"v":1},"timestamp":-1}`), "influx: `timestamp` must be a non-negative integer"},
		{j(`{"measurement":"m","fields":{"v":1},"timestamp":1.5}`), "non-negative integer"},
		{j(`{"measurement":"m","fields":{"v":18446744073709551615}}`), "too large"},
		{point("m", nil, []any{"v", value.NewFloat(math.NaN())}, value.NullValue), "the line protocol has no NaN or infinity"},
	},
}
