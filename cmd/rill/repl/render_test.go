package repl

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
)

var ansiEscape = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestColoredValue(t *testing.T) {
	v := value.MustDecodeJSON(`{"s": "a\"b", "n": -1, "u": 2, "f": 1.5, "t": true, "z": null, "arr": [1, "x", {}], "e": [], "r": {"k": false}}`)
	got := string(appendColored(nil, v))
	if plain := ansiEscape.ReplaceAllString(got, ""); plain != value.Encode(v) {
		t.Errorf("without escapes %s, want %s", plain, value.Encode(v))
	}
	for _, want := range []string{
		ansiKey + `"s"` + ansiReset + ":" + ansiString + `"a\"b"` + ansiReset,
		ansiNumber + "-1" + ansiReset,
		ansiNumber + "1.5" + ansiReset,
		ansiLiteral + "true" + ansiReset,
		ansiLiteral + "null" + ansiReset,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
}

// TestColorSession checks that a coloured session colours values and port labels, and that an
// uncoloured one writes no escape sequences.
func TestColorSession(t *testing.T) {
	input := "{\"a\": 1}\nselect event from in into out;\n:send \"x\"\n"
	for _, color := range []bool{false, true} {
		var out bytes.Buffer
		Run(Options{In: strings.NewReader(input), Out: &out, Err: &out, Color: color})
		got := out.String()
		if !color && got != "{\"a\":1}\nout: \"x\"\n" {
			t.Errorf("plain: %q", got)
		}
		if color {
			want := "{" + ansiKey + `"a"` + ansiReset + ":" + ansiNumber + "1" + ansiReset + "}\n" +
				ansiBold + "out:" + ansiReset + " " + ansiString + `"x"` + ansiReset + "\n"
			if got != want {
				t.Errorf("colour: %q, want %q", got, want)
			}
		}
	}
}
