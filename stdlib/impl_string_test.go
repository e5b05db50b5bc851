package stdlib

import (
	"testing"

	"github.com/rillstream/rill/interp/value"
)

func TestStringFormat(t *testing.T) {
	const pre = "error: Runtime error in function string::format/"
	runCases(t, nil, []fnCase{
		{fn: "string::format", args: `["{} + {} = {}", 1, 2.0, "3"]`, want: `"1 + 2.0 = 3"`},
		{fn: "string::format", args: `["{}", [1, "a", {"b": null}]]`, want: `"[1,\"a\",{\"b\":null}]"`},
		{fn: "string::format", args: `["{}", {"b": 1, "a": 2}]`, want: `"{\"b\":1,\"a\":2}"`}, // insertion order
		{fn: "string::format", args: `["{{}} {{ }}"]`, want: `"{} { }"`},
		{fn: "string::format", args: `["\\{\\} \\n \\\\"]`, want: `"{} \\n \\\\"`},
		{fn: "string::format", args: `["no placeholders"]`, want: `"no placeholders"`},
		{fn: "string::format", args: `["a\\"]`, want: pre + "1: bad escape sequence at 1"},
		{fn: "string::format", args: `["{x}"]`, want: pre + "1: the format specifier at 0 is invalid. If you want to use `{` as a literal in the string, you need to escape it with `{{`"},
		{fn: "string::format", args: `["héllo {"]`, want: pre + "1: the format specifier at 6 is invalid. If you want to use `{` as a literal in the string, you need to escape it with `{{`"},
		{fn: "string::format", args: `["ab}c"]`, want: pre + "1: the format specifier at 2 is invalid. You have to terminate `}` with another `}` to escape it"},
		{fn: "string::format", args: `["é}"]`, want: pre + "1: the format specifier at 1 is invalid. You have to terminate `}` with another `}` to escape it"},
		{fn: "string::format", args: `["{} {}", 1]`, want: pre + "2: the arguments passed to the format function are less than the `{}` specifiers in the format string. The placeholder at 3 can not be filled"},
		{fn: "string::format", args: `["{}", 1, 2]`, want: pre + "3: too many parameters passed. Ensure that you have the same number of {} in your format string"},
		{fn: "string::format", args: `[null]`, want: pre + "1: expected 1st parameter to format to be a format specifier e.g. to print a number use `string::format(\"{}\", 1)`"},
	})
}

func TestStringFunctions(t *testing.T) {
	runCases(t, nil, []fnCase{
		{fn: "string::is_empty", args: `[""]`, want: "true"},
		{fn: "string::is_empty", args: `[" "]`, want: "false"},
		{fn: "string::len", args: `["héllo"]`, want: "5"},
		{fn: "string::len", args: `["😀"]`, want: "1"},
		{fn: "string::bytes", args: `["héllo"]`, want: "6"},
		{fn: "string::replace", args: `["a-b-c", "-", "+"]`, want: `"a+b+c"`},
		{fn: "string::replace", args: `["abc", "", "x"]`, want: `"xaxbxcx"`},
		{fn: "string::replace", args: `["abc", 1, "x"]`, want: "error: Bad type passed to function string::replace/3"},
		{fn: "string::trim", args: `["\u00a0\u2003 x y \t\n\u000b"]`, want: `"x y"`},
		{fn: "string::trim_start", args: `["  x  "]`, want: `"x  "`},
		{fn: "string::trim_end", args: `["  x  "]`, want: `"  x"`},
		{fn: "string::uppercase", args: `["straße ﬁ ǆ é"]`, want: `"STRASSE FI Ǆ É"`},
		{fn: "string::lowercase", args: `["ΌΣΟΣ İ ΣΑ Σ AΣ'Σ ÉCOLE"]`, want: `"όσος i̇ σα σ aσ'ς école"`},
		{fn: "string::capitalize", args: `["élan vital"]`, want: `"Élan vital"`},
		{fn: "string::capitalize", args: `["ßa"]`, want: `"SSa"`},
		{fn: "string::capitalize", args: `[""]`, want: `""`},
		{fn: "string::reverse", args: `["héllo wörld"]`, want: `"dlröw olléh"`},
		{fn: "string::substr", args: `["hello", 1, 3]`, want: `"el"`},
		{fn: "string::substr", args: `["héllo", 1, 3]`, want: `"él"`},
		{fn: "string::substr", args: `["abc", 1, 10]`, want: `"bc"`},
		{fn: "string::substr", args: `["abc", 0, 0]`, want: `""`},
		{fn: "string::substr", args: `["abc", 5, 6]`, want: `"abc"`}, // ⚠ start ≥ len → start 0
		{fn: "string::substr", args: `["abc", 3, 3]`, want: `"abc"`}, // ⚠ start = len → start 0
		{fn: "string::substr", args: `["abc", 5, 1]`, want: `"a"`},   // start → 0, end 1
		{fn: "string::substr", args: `["abc", 2, 1]`, want: `"abc"`}, // ⚠ start > end → whole string
		{fn: "string::substr", args: `["abc", -1, 2]`, want: "error: Bad type passed to function string::substr/3"},
		{fn: "string::substr", args: `["abc", 1.0, 2]`, want: "error: Bad type passed to function string::substr/3"},
		{fn: "string::split", args: `["abc", ""]`, want: `["","a","b","c",""]`},
		{fn: "string::split", args: `["", ""]`, want: `["",""]`},
		{fn: "string::split", args: `["", ","]`, want: `[""]`},
		{fn: "string::split", args: `["a,b,", ","]`, want: `["a","b",""]`},
		{fn: "string::split", args: `["héllo", ""]`, want: `["","h","é","l","l","o",""]`},
		{fn: "string::split", args: `["a::b", "::"]`, want: `["a","b"]`},
		{fn: "string::contains", args: `["hello", "ell"]`, want: "true"},
		{fn: "string::contains", args: `["hello", "x"]`, want: "false"},
		{fn: "string::into_binary", args: `["ab"]`, want: `"YWI="`},
		{fn: "string::from_utf8_lossy", argv: []value.Value{bytesV("héllo")}, want: `"héllo"`},
		{fn: "string::from_utf8_lossy", argv: []value.Value{bytesV("a\xe2\x82b\xf0\x9f\x98\xff\xed\xa0\x80z\xe2")}, want: `"a�b�����z�"`},
		{fn: "string::from_utf8_lossy", args: `["text"]`, want: "error: Bad type passed to function string::from_utf8_lossy/1"},
		{fn: "string::len", args: `[1]`, want: "error: Bad type passed to function string::len/1"},
	})
}
