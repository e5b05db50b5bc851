package stdlib

import (
	"testing"

	"github.com/rillstream/rill/interp/value"
)

func TestBase64AndBinary(t *testing.T) {
	runCases(t, nil, []fnCase{
		{fn: "base64::encode", argv: []value.Value{bytesV("hello")}, want: `"aGVsbG8="`},
		{fn: "base64::encode", argv: []value.Value{bytesV("")}, want: `""`},
		{fn: "base64::encode", argv: []value.Value{bytesV("\xff\xfe")}, want: `"//4="`},
		{fn: "base64::encode", args: `["hello"]`, want: "error: Bad type passed to function base64::encode/1"},
		{fn: "base64::decode", args: `["aGVsbG8="]`, want: `"aGVsbG8="`}, // bytes serialize as base64
		{fn: "base64::decode", args: `["aGVsbG8"]`, want: `"aGVsbG8="`},
		{fn: "base64::decode", args: `["aGk="]`, want: `"aGk="`},
		{fn: "base64::decode", args: `["aGk"]`, want: `"aGk="`},
		{fn: "base64::decode", args: `[""]`, want: `""`},
		{fn: "base64::decode", args: `["a!b="]`, want: "error: Runtime error in function base64::decode/1: Invalid symbol 33, offset 1."},
		{fn: "base64::decode", args: `["aGk=="]`, want: "error: Runtime error in function base64::decode/1: Invalid padding"},
		{fn: "base64::decode", args: `["a"]`, want: "error: Runtime error in function base64::decode/1: Invalid input length"},
		{fn: "base64::decode", args: `["aGl="]`, want: "error: Runtime error in function base64::decode/1: Invalid last symbol 108, offset 2."},
		{fn: "binary::len", argv: []value.Value{bytesV("abc")}, want: "3"},
		{fn: "binary::len", args: `["abc"]`, want: "error: Bad type passed to function binary::len/1"},
		{fn: "binary::from_bytes", args: `[[1, 2, 255]]`, want: `"AQL/"`},
		{fn: "binary::from_bytes", args: `[[256]]`, want: "error: Runtime error in function binary::from_bytes/1: array contains non bytes"},
		{fn: "binary::from_bytes", args: `[[1.0]]`, want: "error: Runtime error in function binary::from_bytes/1: array contains non bytes"},
		{fn: "binary::from_bytes", args: `["x"]`, want: "error: Bad type passed to function binary::from_bytes/1"},
		{fn: "binary::into_bytes", argv: []value.Value{bytesV("\x01\x02\xff")}, want: "[1,2,255]"},
		{fn: "binary::into_bytes", args: `["x"]`, want: "error: Runtime error in function binary::into_bytes/1: Expected binary but got string"},
	})
}

func TestJSONFunctions(t *testing.T) {
	runCases(t, nil, []fnCase{
		{fn: "json::decode", args: `["{\"b\": 1, \"a\": [1.0, -2]}"]`, want: `{"b":1,"a":[1.0,-2]}`, ordered: true},
		{fn: "json::decode", args: `["[1,"]`, want: "error: Runtime error in function json::decode/1: invalid JSON at byte 3: unexpected end of input"},
		{fn: "json::decode", args: `[1]`, want: "error: Bad type passed to function json::decode/1"},
		{fn: "json::encode", args: `[{"b": 1, "a": [1.0, "x", null]}]`, want: `"{\"b\":1,\"a\":[1.0,\"x\",null]}"`},
		{fn: "json::encode", args: `["x"]`, want: `"\"x\""`},
		{fn: "json::encode_pretty", args: `[{"b": 1, "a": [1]}]`, want: `"{\n  \"b\": 1,\n  \"a\": [\n    1\n  ]\n}"`},
	})
}

func TestURLFunctions(t *testing.T) {
	runCases(t, nil, []fnCase{
		{fn: "url::encode", args: `["a b-"]`, want: `"a%20b%2D"`},
		{fn: "url::encode", args: `["aZ09._~/?é"]`, want: `"aZ09%2E%5F%7E%2F%3F%C3%A9"`},
		{fn: "url::decode", args: `["a%20b+%2D%2d"]`, want: `"a b+--"`},
		{fn: "url::decode", args: `["%C3%A9"]`, want: `"é"`},
		{fn: "url::decode", args: `["%zz%4"]`, want: `"%zz%4"`},
		{fn: "url::decode", args: `["a%ff"]`, want: "error: Runtime error in function url::decode/1: Could not urldecode value: invalid utf-8 sequence of 1 bytes from index 1"},
		{fn: "url::decode", args: `["%E2%82"]`, want: "error: Runtime error in function url::decode/1: Could not urldecode value: incomplete utf-8 byte sequence from index 0"},
		{fn: "url::decode", args: `["%E2%82A"]`, want: "error: Runtime error in function url::decode/1: Could not urldecode value: invalid utf-8 sequence of 2 bytes from index 0"},
		{fn: "url::encode", args: `[1]`, want: "error: Bad type passed to function url::encode/1"},
	})
}
