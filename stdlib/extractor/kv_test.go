package extractor

import "testing"

func TestKV(t *testing.T) {
	runCases(t, []extractCase{
		{"defaults", "kv", "", "a:1 b:2", `{"a":"1","b":"2"}`},
		{"fields without a pair ignored", "kv", "", "a:1 b:2 c", `{"a":"1","b":"2"}`},
		{"three parts ignored", "kv", "", "a:1:2 b:3", `{"b":"3"}`},
		{"empty fields ignored", "kv", "", "a:1   b:2", `{"a":"1","b":"2"}`},
		{"later duplicate overwrites", "kv", "", "a:1 a:2", `{"a":"2"}`},
		{"empty value", "kv", "", "a: b:2", `{"a":"","b":"2"}`},
		{"values stay strings", "kv", "", "n:1.5 b:true", `{"b":"true","n":"1.5"}`},
		{"no pair", "kv", "", "hello world", ""},
		{"empty input", "kv", "", "", ""},
		{"custom separators", "kv", "%{key}=%{val}&", "a=1&b=2", `{"a":"1","b":"2"}`},
		{"custom keeps default key sep out", "kv", "%{key}=%{val}&", "a:1&b=2", `{"b":"2"}`},
		{"query string", "kv", "%{key}=%{val}&", "q=rill&page=2&x", `{"page":"2","q":"rill"}`},
		{"field sep only", "kv", "&", "a:1&b:2", `{"a":"1","b":"2"}`},
		{"key sep only", "kv", "%{key}=%{val}", "a=1 b=2", `{"a":"1","b":"2"}`},
		{"several key seps", "kv", "%{key}=%{val}&%{key}:%{val}", "a=1&b:2", `{"a":"1","b":"2"}`},
		{"several field seps", "kv", "%{key}=%{val}&%{key}=%{val};", "a=1&b=2;c=3", `{"a":"1","b":"2","c":"3"}`},
		{"escaped separator", "kv", `%{key}=%{val}\t`, "a=1\tb=2", `{"a":"1","b":"2"}`},
		{"multi-char separators", "kv", "%{key}=>%{val}, ", "a=>1, b=>2", `{"a":"1","b":"2"}`},
	})
}

func TestKVCompileErrors(t *testing.T) {
	runCompileErrors(t, []compileErrorCase{
		{"kv", "%{key}=", "`%{key}` without a following `%{val}`"},
		{"kv", "%{key}=%{val}==", "overlap"},
		{"kv", "%{key}:%{val} :", "overlap"},
		{"kv", `%{key}=%{val}\x`, "invalid escape"},
		{"kv", `%{key}=%{val}\`, "unterminated escape"},
	})
}

func FuzzKV(f *testing.F) {
	for _, s := range []string{"", "%{key}=%{val}&", "%{key}=%{val}\\t%{key}:%{val};", "%{key}", "&"} {
		f.Add(s, "a=1&b:2;c=3\td")
	}
	f.Fuzz(func(t *testing.T, rule, in string) {
		x, err := compileKV(rule)
		if err != nil {
			return
		}
		x.Extract(strValue(in), true, 0)
	})
}
