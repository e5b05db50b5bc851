package codec

import (
	"math"

	"github.com/rillstream/rill/interp/value"
)

var statsdCases = codecCases{
	name: "statsd",
	roundTrip: []value.Value{
		j(`{"type":"c","metric":"gorets","value":1}`),
		j(`{"type":"c","metric":"a.b-c_d","value":-3,"sample_rate":0.1}`),
		j(`{"type":"g","metric":"gaugor","value":333}`),
		j(`{"type":"g","metric":"gaugor","action":"add","value":4.5}`),
		j(`{"type":"g","metric":"gaugor","action":"sub","value":10}`),
		j(`{"type":"ms","metric":"glork","value":320.25,"sample_rate":1.0}`),
		j(`{"type":"h","metric":"hist","value":18446744073709551615}`),
		j(`{"type":"s","metric":"uniques","value":765}`),
		j(`{"type":"c","metric":"tiny","value":1e-7}`),
	},
	// The inputs follow the StatsD metric types documentation.
	decode: []decodeCase{
		{"gorets:1|c", j(`{"type":"c","metric":"gorets","value":1}`)},
		{"gorets:1|c|@0.1", j(`{"type":"c","metric":"gorets","value":1,"sample_rate":0.1}`)},
		{"gorets:1|c|@1", j(`{"type":"c","metric":"gorets","value":1,"sample_rate":1.0}`)},
		{"glork:320|ms|@0.1", j(`{"type":"ms","metric":"glork","value":320,"sample_rate":0.1}`)},
		{"gaugor:333|g", j(`{"type":"g","metric":"gaugor","value":333}`)},
		{"gaugor:-10|g", j(`{"type":"g","metric":"gaugor","action":"sub","value":10}`)},
		{"gaugor:+4|g", j(`{"type":"g","metric":"gaugor","action":"add","value":4}`)},
		{"gaugor:+4.5|g", j(`{"type":"g","metric":"gaugor","action":"add","value":4.5}`)},
		{"uniques:765|s", j(`{"type":"s","metric":"uniques","value":765}`)},
		{"hist:1.5|h", j(`{"type":"h","metric":"hist","value":1.5}`)},
		{"c:-3|c", j(`{"type":"c","metric":"c","value":-3}`)},
		{"c:1e3|c", j(`{"type":"c","metric":"c","value":1000.0}`)},
		{"big:18446744073709551615|c", value.NewRecordValue(recOf("type", value.NewString("c"), "metric", value.NewString("big"), "value", value.NewUint(math.MaxUint64)))},
	},
	encode: []encodeCase{
		{j(`{"type":"g","metric":"m","action":"sub","value":3}`), "m:-3|g"},
		{j(`{"type":"g","metric":"m","action":"add","value":3}`), "m:+3|g"},
		{j(`{"metric":"a.b","type":"c","value":1.5,"sample_rate":0.5}`), "a.b:1.5|c|@0.5"},
		{j(`{"metric":"t","type":"ms","value":2.0}`), "t:2.0|ms"},
		{j(`{"metric":"t","type":"c","value":-1}`), "t:-1|c"},
	},
	decodeErr: []decodeErrCase{
		{"", "statsd: expected `name:value|type`, there is no `:`"},
		{"gorets", "there is no `:`"},
		{"gorets:1", "statsd: expected `|type` after the value"},
		{":1|c", "statsd: the metric name before `:` is empty"},
		{"g:1|x", `statsd: unknown metric type "x" (expected c, g, ms, h or s)`},
		{"g:1|", `statsd: unknown metric type ""`},
		{"g:abc|c", `statsd: the value "abc" is not a number`},
		{"g:|c", `statsd: the value "" is not a number`},
		{"g:NaN|c", `the value "NaN" is not a number`},
		{"g:inf|c", `the value "inf" is not a number`},
		{"g:1e999|c", `the value "1e999" is not a number`},
		{"g:0x10|c", `the value "0x10" is not a number`},
		{"g:+|g", `the value "" is not a number`},
		{"g:1|c|0.1", "statsd: expected `@rate` after the type, found \"0.1\""},
		{"g:1|c|@x", `statsd: the sample rate "x" is not a number`},
		{"g:1|c|@0.5|#tag", `the sample rate "0.5|#tag" is not a number`},
		{"g:1|c\xff", "statsd: invalid UTF-8 at byte 5"},
	},
	encodeErr: []encodeErrCase{
		{j(`1`), "statsd: expected a record"},
		{j(`{"type":"c","value":1}`), "statsd: `metric` must be a string, not null"},
		{j(`{"type":"c","metric":"a:b","value":1}`), "must be non-empty and hold no `:`"},
		{j(`{"type":"c","metric":"","value":1}`), "must be non-empty"},
		{j(`{"type":"x","metric":"m","value":1}`), "statsd: `type` must be one of"},
		{j(`{"type":"c","metric":"m","value":"1"}`), "statsd: `value` must be a number, not string"},
		{j(`{"type":"c","metric":"m","action":"add","value":1}`), "gauges (type \"g\") only"},
		{j(`{"type":"g","metric":"m","action":"mul","value":1}`), "`action` must be \"add\" or \"sub\""},
		{j(`{"type":"g","metric":"m","action":"add","value":-1}`), "needs a non-negative `value`"},
		{j(`{"type":"g","metric":"m","value":-1}`), "a gauge cannot be set to a negative value"},
		{j(`{"type":"c","metric":"m","value":1,"sample_rate":"x"}`), "`sample_rate` must be a number"},
		{value.NewRecordValue(recOf("type", value.NewString("c"), "metric", value.NewString("m"), "value", value.NewFloat(math.Inf(1)))), "`value` must be finite"},
	},
}
