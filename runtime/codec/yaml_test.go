package codec

import (
	"math"
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
)

var yamlCases = codecCases{
	name: "yaml",
	roundTrip: []value.Value{
		msgpackSample(), // every kind, nested, keys out of order, NaN, -Inf, -0.0, u64 max, bytes
		strs("true", "1", "1.5", "null", "~", "", " lead", "trail ", "a: b", "- x", "#c", "<<", "multi\nline\n",
			"tab\there", "'q'", `"dq"`, "yes", "Yes", "off", "0x10", "0777", "2001-12-14", "é", "\r", "@at", "*star", "&amp", "!bang",
			"%pct", "{b}", "[s]", "\u2028x", "\x01\x7f", "\ufeffbom", strings.Repeat("word  ", 40)),
		value.NewString("top"),
		value.NewInt(-9223372036854775808),
		value.NewFloat(1e20),
		value.NewFloat(5e-324),
		value.NullValue,
		j(`{"":1,"a b":{"c":[]},"<<":2,"true":3,"1":4,"x\ny":5}`),
		j(`[[1,[2,[3]]],{},[]]`),
	},
	// The inputs follow the YAML 1.2 spec and yaml.v3's resolution of plain scalars.
	decode: []decodeCase{
		{"a: 1\nb: [x, 2.5, true, null, ~]\n", j(`{"a":1,"b":["x",2.5,true,null,null]}`)},
		{"z: 1\na: 2", j(`{"z":1,"a":2}`)},
		{"hex: 0x1F\noct: 0o17\nbin: 0b101\nsep: 1_000\nu: 18446744073709551615\nneg: -9223372036854775808\nsci: 1e3\nbig: 99999999999999999999999",
			j(`{"hex":31,"oct":15,"bin":5,"sep":1000,"u":18446744073709551615,"neg":-9223372036854775808,"sci":1000.0,"big":1e23}`)},
		{"f: .inf\nn: -.Inf", value.NewRecordValue(recOf("f", value.NewFloat(math.Inf(1)), "n", value.NewFloat(math.Inf(-1))))},
		{".nan", value.NewFloat(math.NaN())},
		{"b: !!binary aGVsbG8=", value.NewRecordValue(recOf("b", value.NewBytes([]byte("hello"))))},
		{"b: !!binary |\n  aGVs\n  bG8=\n", value.NewRecordValue(recOf("b", value.NewBytes([]byte("hello"))))},
		{"base: &b {x: 1}\nuse: *b", j(`{"base":{"x":1},"use":{"x":1}}`)},
		{"base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n  z: 4", j(`{"base":{"x":1,"y":2},"m":{"x":1,"y":3,"z":4}}`)},
		{"a: &a {x: 1}\nb: &b {x: 2, y: 2}\nm:\n  <<: [*a, *b]", j(`{"a":{"x":1},"b":{"x":2,"y":2},"m":{"x":1,"y":2}}`)},
		{"'123'", j(`"123"`)},
		{`"true"`, j(`"true"`)},
		{"!!str 12", j(`"12"`)},
		{"!!float 12", j(`12.0`)},
		{"!custom tagged", j(`"tagged"`)},
		{"d: 2001-12-14", j(`{"d":"2001-12-14"}`)},
		{"", value.NullValue},
		{"# only a comment\n", value.NullValue},
		{"--- \n- a\n- b\n...\n", j(`["a","b"]`)},
		{"1: one\ntrue: t\n~: n", j(`{"1":"one","true":"t","~":"n"}`)},
		{"k: 1\nk: 2", j(`{"k":2}`)},
		{"text: |\n  line1\n  line2\n", j(`{"text":"line1\nline2\n"}`)},
	},
	encode: []encodeCase{
		{j(`{"b":1,"a":[1.5,"x",null,true]}`), "b: 1\na:\n  - 1.5\n  - x\n  - null\n  - true"},
		{j(`{"e":{},"l":[],"s":"true","n":"12"}`), "e: {}\nl: []\ns: \"true\"\nn: \"12\""},
		{value.NewFloat(2), "2.0"},
		{value.NewFloat(math.Inf(-1)), "-.inf"},
		{value.NewBytes([]byte("hello")), "!!binary aGVsbG8="},
		{j(`"a\nb"`), `"a\nb"`},
	},
	decodeErr: []decodeErrCase{
		{"a: [1, 2", "yaml: line 1: did not find expected ',' or ']'"},
		{"a: 1\n---\nb: 2", "yaml: the frame holds more than one document"},
		{"a: 1\n---\n", "yaml: the frame holds more than one document"},
		{"[1, 2]: x", "yaml: line 1: a mapping key must be a scalar, not a sequence"},
		{"!!int abc", `yaml: line 1: cannot read "abc" as a 64-bit !!int`},
		{"!!int 99999999999999999999999", "cannot read"},
		{"!!float abc", `yaml: line 1: cannot read "abc" as a !!float`},
		{"!!bool maybe", `cannot read "maybe" as a !!bool`},
		{"!!binary '%%%'", "yaml: line 1: invalid base64 in !!binary"},
		{"a: *unknown", "yaml: unknown anchor 'unknown' referenced"},
		{"m:\n  <<: 1", "a `<<` merge needs a mapping or a sequence of mappings, not a scalar"},
		{"m:\n  <<: [1]", "it holds a scalar"},
		{"a: b: c", "yaml: mapping values are not allowed in this context"},
		{"\t- x", "yaml: "},
		{strings.Repeat("[", 2000), "yaml: "},
	},
	encodeErr: nil, // every value has a YAML form
}

// TestYAMLBillionLaughs checks that alias expansion is bounded: the document is small but would
// expand to 10^9 values.
func TestYAMLBillionLaughs(t *testing.T) {
	doc := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		doc += n + ": &" + n + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
		prev = n
	}
	c := newCodec(t, "yaml", "")
	_, err := c.Decode([]byte(doc), 0)
	if err == nil || !strings.Contains(err.Error(), "too many values through aliases") {
		t.Fatalf("want an alias expansion error, got %v", err)
	}
}

// TestYAMLDeepNesting checks that deep nesting is an error, not a stack overflow.
func TestYAMLDeepNesting(t *testing.T) {
	c := newCodec(t, "yaml", "")
	deep := strings.Repeat("- ", 1100) + "x"
	if _, err := c.Decode([]byte(deep), 0); err == nil {
		t.Fatalf("1100 levels of nesting were accepted")
	}
	v := value.NewString("x")
	for i := 0; i < 1100; i++ {
		v = value.NewArray([]value.Value{v})
	}
	if _, err := c.Encode(nil, v); err == nil || !strings.Contains(err.Error(), "nesting deeper than") {
		t.Fatalf("encoding 1100 levels: want a nesting error, got %v", err)
	}
}
