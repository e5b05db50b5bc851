package extractor

import (
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
)

// extractCase is one extraction: kind|rule| on in, the expected result as sorted JSON ("" = no
// match).
type extractCase struct {
	name string
	kind string
	rule string
	in   string
	want string
}

// ingestNs is the ingest time the tests pass to Extract.
const ingestNs = 42

func runCases(t *testing.T, cases []extractCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, err := Compile(c.kind, c.rule)
			if err != nil {
				t.Fatalf("Compile(%q, %q): %v", c.kind, c.rule, err)
			}
			out, ok := x.Extract(value.NewString(c.in), true, ingestNs)
			got := ""
			if ok {
				got = value.EncodeSorted(out)
			}
			if got != c.want {
				t.Errorf("%s|%s| on %q:\n got  %s\n want %s", c.kind, c.rule, c.in, orNoMatch(got), orNoMatch(c.want))
			}
			// The cheap test must agree with the bound extraction (rerg aside: bound, it always matches).
			_, tested := x.Extract(value.NewString(c.in), false, ingestNs)
			if tested != ok && strings.ToLower(c.kind) != "rerg" {
				t.Errorf("%s|%s| on %q: test-only match %v, bound match %v", c.kind, c.rule, c.in, tested, ok)
			}
		})
	}
}

func orNoMatch(s string) string {
	if s == "" {
		return "<no match>"
	}
	return s
}

// compileErrorCase expects Compile to fail with a message containing want.
type compileErrorCase struct {
	kind, rule, want string
}

func runCompileErrors(t *testing.T, cases []compileErrorCase) {
	t.Helper()
	for _, c := range cases {
		_, err := Compile(c.kind, c.rule)
		if err == nil {
			t.Errorf("Compile(%q, %q): no error, want one containing %q", c.kind, c.rule, c.want)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("Compile(%q, %q): error %q, want one containing %q", c.kind, c.rule, err, c.want)
		}
	}
}

func TestCompileUnsupportedKind(t *testing.T) {
	runCompileErrors(t, []compileErrorCase{
		{"regex", "a", "Unsupported extractor regex"},
		{"", "a", "Unsupported extractor "},
	})
}

func TestKindIsCaseInsensitive(t *testing.T) {
	runCases(t, []extractCase{
		{"GLOB", "GLOB", "a*", "abc", "true"},
		{"Re", "Re", "(?P<x>b)", "abc", `{"x":"b"}`},
	})
}

func TestKinds(t *testing.T) {
	want := "re rerg glob json base64 kv dissect grok cidr influx datetime"
	if got := strings.Join(Kinds(), " "); got != want {
		t.Errorf("Kinds() = %q, want %q", got, want)
	}
	for _, k := range Kinds() {
		if _, err := Compile(k, ""); err != nil && k != "grok" {
			t.Errorf("Compile(%q, \"\"): %v", k, err)
		}
	}
}

func TestNonStringNeverMatches(t *testing.T) {
	inputs := []value.Value{value.NullValue, value.NewInt(1), value.NewBool(true), value.NewFloat(1.5),
		value.NewArray([]value.Value{value.NewString("a")}), value.NewRecordValue(nil), value.NewBytes([]byte("abc"))}
	rules := map[string]string{"glob": "*", "re": "", "rerg": "", "json": "", "base64": "", "kv": "",
		"dissect": "%{a}", "grok": "%{GREEDYDATA:a}", "cidr": "", "influx": "", "datetime": "%s"}
	for kind, rule := range rules {
		x, err := Compile(kind, rule)
		if err != nil {
			t.Fatalf("Compile(%q, %q): %v", kind, rule, err)
		}
		for _, in := range inputs {
			for _, result := range []bool{false, true} {
				if _, ok := x.Extract(in, result, 0); ok {
					t.Errorf("%s|%s| matched %s (result=%v)", kind, rule, value.Encode(in), result)
				}
			}
		}
	}
}

func strValue(s string) value.Value { return value.NewString(s) }
