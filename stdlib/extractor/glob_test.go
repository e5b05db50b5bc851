package extractor

import (
	"strings"
	"testing"
)

func TestGlob(t *testing.T) {
	runCases(t, []extractCase{
		{"prefix", "glob", "http*", "https://x", "true"},
		{"prefix no match", "glob", "http*", "ftp://x", ""},
		{"prefix exact", "glob", "http*", "http", "true"},
		{"prefix bracket literal", "glob", "a[b*", "a[bc", "true"},
		{"suffix", "glob", "*.json", "a/b.json", "true"},
		{"suffix no match", "glob", "*.json", "a.jsonx", ""},
		{"suffix bracket literal", "glob", "*[x]", "a[x]", "true"},
		{"star spans slash", "glob", "*.eu-west-1.compute.internal", "ip-1.eu-west-1.compute.internal", "true"},
		{"question", "glob", "ip-10-?-*", "ip-10-3-77", "true"},
		{"question needs one char", "glob", "ip-10-?-*", "ip-10--77", ""},
		{"question matches slash", "glob", "a?b", "a/b", "true"},
		{"class", "glob", "/static/*.[jc]ss", "/static/x/app.css", "true"},
		{"class miss", "glob", "/static/*.[jc]ss", "/static/app.scss", ""},
		{"suffix shortcut keeps class literal", "glob", "*.[!t]xt", "a.bxt", ""},
		{"suffix shortcut literal class text", "glob", "*.[!t]xt", "a.[!t]xt", "true"},
		{"prefix shortcut keeps range literal", "glob", "v[0-9].*", "v3.1", ""},
		{"negated class", "glob", "?*.[!t]xt", "a.bxt", "true"},
		{"negated class miss", "glob", "?*.[!t]xt", "a.txt", ""},
		{"range", "glob", "v[0-9].?*", "v3.1", "true"},
		{"range miss", "glob", "v[0-9].?*", "vx.1", ""},
		{"bracket member first", "glob", "a[]]b", "a]b", "true"},
		{"negated bracket member first", "glob", "a[!]]b", "a]b", ""},
		{"dash at end literal", "glob", "a[x-]b", "a-b", "true"},
		{"escape bracket", "glob", "[[]a*b", "[axb", "true"},
		{"star literal via class", "glob", "a[*]?", "a*x", "true"},
		{"no wildcard exact", "glob", "abc", "abc", "true"},
		{"no wildcard mismatch", "glob", "abc", "abcd", ""},
		{"case sensitive", "glob", "ABC?", "abcd", ""},
		{"whole string", "glob", "a*c", "abcd", ""},
		{"two stars", "glob", "*a*b*", "xxaxxbxx", "true"},
		{"many stars backtrack", "glob", "*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", ""},
		{"unicode", "glob", "h?llo*", "hällo wörld", "true"},
		{"empty pattern empty input", "glob", "", "", "true"},
		{"empty pattern", "glob", "", "a", ""},
		{"only star", "glob", "*", "", "true"},
		{"recursive whole", "glob", "**", "a/b/c", "true"},
		{"recursive dir", "glob", "a/**/b", "a/x/y/b", "true"},
		{"recursive dir empty", "glob", "a/**/b", "a/b", "true"},
		{"recursive needs separator", "glob", "a/**/b", "a/xb", ""},
		{"recursive trailing", "glob", "a/**", "a/bc", "true"},
		{"recursive leading", "glob", "**/c", "a/b/c", "true"},
		{"star then question", "glob", "*?", "a", "true"},
		{"star then question empty", "glob", "*?", "", ""},
	})
}

func TestGlobCompileErrors(t *testing.T) {
	runCompileErrors(t, []compileErrorCase{
		{"glob", "a***", "wildcards are either regular `*` or recursive `**`"},
		{"glob", "a**b", "recursive wildcards must form a single path component"},
		{"glob", "a/**b", "recursive wildcards must form a single path component"},
		{"glob", "a[b", "invalid range pattern"},
		{"glob", "a[!]", "invalid range pattern"},
		{"glob", "[]", "invalid range pattern"},
	})
}

func FuzzGlob(f *testing.F) {
	for _, s := range []string{"http*", "*.json", "a[!x]?*", "a/**/b", "[]]*[!]]", "***", "a[b"} {
		f.Add(s, "http://a/b.json")
	}
	f.Fuzz(func(t *testing.T, rule, in string) {
		x, err := compileGlob(rule)
		if err != nil {
			return
		}
		if g, ok := x.(*globPattern); ok {
			g.matches(in)
		}
	})
}

// TestGlobManyWildcardsStayFast guards the memo: without it this takes exponential time.
func TestGlobManyWildcardsStayFast(t *testing.T) {
	g, err := parseGlob("*a*a*a*a*a*a*a*a*a*a*b")
	if err != nil {
		t.Fatal(err)
	}
	if g.matches(strings.Repeat("a", 3000)) {
		t.Error("matched without a b")
	}
	if !g.matches(strings.Repeat("a", 3000) + "b") {
		t.Error("did not match")
	}
}
