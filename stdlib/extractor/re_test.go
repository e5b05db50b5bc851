package extractor

import "testing"

func TestRe(t *testing.T) {
	runCases(t, []extractCase{
		{"named groups", "re", `^(?P<method>[A-Z]+) (?P<path>\S+) HTTP/(?P<version>\d\.\d)$`, "GET /a HTTP/1.1",
			`{"method":"GET","path":"/a","version":"1.1"}`},
		{"angle named groups", "re", `(?<k>\w+)=(?<v>\w+)`, "x a=b c=d", `{"k":"a","v":"b"}`},
		{"no named groups", "re", `a(b)c`, "xabcx", `{}`},
		{"unnamed groups ignored", "re", `(a)(?P<n>b)(c)`, "abc", `{"n":"b"}`},
		{"unanchored search", "re", `(?P<n>\d+)`, "abc 123 456", `{"n":"123"}`},
		{"no match", "re", `^(?P<n>\d+)$`, "abc", ""},
		{"group not participating", "re", `(?P<a>x)|(?P<b>y)`, "y", `{"b":"y"}`},
		{"empty group participates", "re", `a(?P<e>)b`, "ab", `{"e":""}`},
		{"alternation", "re", `\b(?P<level>INFO|WARN|ERROR)\b`, "2020 WARN disk", `{"level":"WARN"}`},
		{"unicode digit", "re", `(?P<d>\d+)`, "x٣٤y", `{"d":"٣٤"}`},
		{"unicode word", "re", `(?P<w>\w+)`, "  héllo!", `{"w":"héllo"}`},
		{"unicode space", "re", `a\sb`, "a\u00a0b", `{}`},
		{"vertical tab is space", "re", `a\sb`, "a\vb", `{}`},
		{"digit class inside brackets", "re", `(?P<d>[\d.]+)`, "v٣.1", `{"d":"٣.1"}`},
		{"non digit", "re", `(?P<n>\D+)`, "٣abc", `{"n":"abc"}`},
		{"literal -u keeps unicode", "re", `-u(?P<d>\d+)`, "x-u٣", `{"d":"٣"}`},
		{"ascii mode", "re", `(?-u:(?P<d>\d+))`, "٣12", `{"d":"12"}`},
		{"escaped backslash then d", "re", `(?P<x>\\d)`, `a\d`, `{"x":"\\d"}`},
		{"case insensitive", "re", `(?i)(?P<x>abc)`, "xABC", `{"x":"ABC"}`},
	})
}

func TestRerg(t *testing.T) {
	runCases(t, []extractCase{
		{"all matches", "rerg", `#(?P<tag>\w+)`, "a #go and #rust #zig", `{"tag":["go","rust","zig"]}`},
		{"several groups", "rerg", `(?P<k>\w+)=(?P<v>\w+)`, "a=1 b=2", `{"k":["a","b"],"v":["1","2"]}`},
		{"group absent from some matches", "rerg", `(?P<a>x)|(?P<b>y)`, "xyx", `{"a":["x","x"],"b":["y"]}`},
		{"zero matches still matches", "rerg", `(?P<n>\d+)`, "abc", `{}`},
		{"no named groups", "rerg", `\d`, "a1b2", `{}`},
	})
	// Unbound, rerg tests like re.
	x, err := Compile("rerg", `\d`)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := x.Extract(strValue("abc"), false, 0); ok {
		t.Error("unbound rerg matched a string without a match")
	}
	if _, ok := x.Extract(strValue("a1"), false, 0); !ok {
		t.Error("unbound rerg did not match")
	}
}

func TestReCompileErrors(t *testing.T) {
	runCompileErrors(t, []compileErrorCase{
		{"re", `status=(?P<code>[0-9+`, "invalid regex in the `re` extractor: missing closing ]: `[0-9+`"},
		{"rerg", `(a`, "invalid regex in the `rerg` extractor: missing closing ): `(a`"},
		{"re", `a{2,1}`, "invalid regex in the `re` extractor"},
		{"re", `(?<=a)b`, "invalid regex in the `re` extractor"},
		{"re", `(?P<a>x)(?P<a>y)`, "duplicate capture group name: `a`"},
	})
}
