package extractor

import "testing"

const apacheLine = `127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326`

func TestDissect(t *testing.T) {
	runCases(t, []extractCase{
		{"apache", "dissect", `%{client} %{ident} %{user} [%{timestamp}] "%{method} %{path} %{proto}" %{status:int} %{bytes:int}`, apacheLine,
			`{"bytes":2326,"client":"127.0.0.1","ident":"-","method":"GET","path":"/apache_pb.gif","proto":"HTTP/1.0","status":200,"timestamp":"10/Oct/2000:13:55:36 -0700","user":"frank"}`},
		{"simple", "dissect", "%{a} %{b}", "hello world", `{"a":"hello","b":"world"}`},
		{"last field takes the rest", "dissect", "%{a} %{b}", "hello big world", `{"a":"hello","b":"big world"}`},
		{"last field may be empty", "dissect", "%{a} %{b}", "hello ", `{"a":"hello","b":""}`},
		{"leading delimiter", "dissect", "[%{a}]", "[x]", `{"a":"x"}`},
		{"leading delimiter missing", "dissect", "[%{a}]", "x]", ""},
		{"delimiter not found", "dissect", "%{a}|%{b}", "a b", ""},
		{"leftover input", "dissect", "%{a} x", "1 xy", ""},
		{"only delimiters", "dissect", "abc", "abc", `{}`},
		{"int", "dissect", "%{n:int}", "-42", `{"n":-42}`},
		{"int with plus", "dissect", "%{n:int}", "+42", `{"n":42}`},
		{"int invalid", "dissect", "%{n:int}", "42x", ""},
		{"float", "dissect", "%{f:float}", "1.5", `{"f":1.5}`},
		{"float from integer text", "dissect", "%{f:float}", "3", `{"f":3.0}`},
		{"float invalid", "dissect", "%{f:float}", "abc", ""},
		{"float hex refused", "dissect", "%{f:float}", "0x1p3", ""},
		{"string conversion", "dissect", "%{s:string}", "42", `{"s":"42"}`},
		{"skip empty name", "dissect", "%{} %{b}", "x y", `{"b":"y"}`},
		{"skip named", "dissect", "%{?a} %{b}", "x y", `{"b":"y"}`},
		{"reference", "dissect", "%{?key}=%{&key} %{msg} %{+msg}", "host=db1 hello world",
			`{"host":"db1","msg":"hello world"}`},
		{"reference unknown", "dissect", "%{&key} %{a}", "x y", ""},
		{"append default padding", "dissect", "%{a} %{+a} %{+a}", "foo bar baz", `{"a":"foo bar baz"}`},
		{"append creates", "dissect", "%{+a} %{b}", "x y", `{"a":"x","b":"y"}`},
		{"append to non-string", "dissect", "%{a:int} %{+a}", "1 2", ""},
		{"padding", "dissect", "%{a}%{_}%{b}", "foo     bar", `{"a":"foo","b":"bar"}`},
		{"padding required", "dissect", "%{a}%{_}%{b}", "foobar", ""},
		{"custom padding", "dissect", "%{a}%{_(-)}%{b}", "foo---bar", `{"a":"foo","b":"bar"}`},
		{"padding then delimiter", "dissect", "%{a}%{_(-)} %{b}", "foo--- bar", `{"a":"foo","b":"bar"}`},
		{"padding eats the delimiter", "dissect", "%{a}%{_} %{b}", "foo    bar", ""},
		{"padding at the end", "dissect", "%{a}%{_}", "foo   ", `{"a":"foo"}`},
		{"padding before field", "dissect", "%{_}%{a}", "   foo", `{"a":"foo"}`},
		{"append with custom padding", "dissect", "%{a}%{_(-)}%{+a}", "x---y", `{"a":"x-y"}`},
		{"multi-char padding", "dissect", "%{a}%{_(ab)}%{b}", "1ababab2", `{"a":"1","b":"2"}`},
		{"repeated name overwrites", "dissect", "%{a} %{a}", "1 2", `{"a":"2"}`},
		{"unicode delimiters", "dissect", "%{a}→%{b}", "x→y", `{"a":"x","b":"y"}`},
	})
}

func TestDissectCompileErrors(t *testing.T) {
	runCompileErrors(t, []compileErrorCase{
		{"dissect", "%{a}%{b}", "two fields with no delimiter between"},
		{"dissect", "x %{a}%{+b} y", "two fields with no delimiter between"},
		{"dissect", "%{}%{a}", "two fields with no delimiter between"},
		{"dissect", "%{a:bool}", "invalid type `bool`"},
		{"dissect", "%{_x}", "invalid padding"},
		{"dissect", "%{a", "unterminated field"},
	})
	// Padding separates fields.
	if _, err := Compile("dissect", "%{a}%{_}%{b}"); err != nil {
		t.Errorf("padding between fields: %v", err)
	}
}

func FuzzDissectCompile(f *testing.F) {
	for _, s := range []string{"%{a} %{b}", "%{?k}=%{&k}", "%{a}%{_(-)}%{+a}", "%{a:int}", "%{", "%{_(}", "%{}%{}"} {
		f.Add(s, "x y=z  w")
	}
	f.Fuzz(func(t *testing.T, rule, in string) {
		x, err := compileDissect(rule)
		if err != nil {
			return
		}
		x.Extract(strValue(in), true, 0)
	})
}
