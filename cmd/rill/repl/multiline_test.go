package repl

import (
	"slices"
	"testing"

	"github.com/rillstream/rill/lang"
)

func TestClassify(t *testing.T) {
	cases := map[string]inputKind{
		"":                                 inputBlank,
		"  # only a comment":               inputBlank,
		":help":                            inputCommand,
		"  :send {}":                       inputCommand,
		"1 + 1":                            inputScript,
		"let x = 1":                        inputScript,
		"## doc\nfn f() with 1 end":        inputScript,
		"\"unterminated":                   inputScript,
		"define window w from tumbling":    inputQuery,
		"# c\nselect event from in":        inputQuery,
		"create stream s":                  inputQuery,
		"#!config from = \"in\"\nselect 1": inputQuery,
		"use std::string;":                 inputUse,
	}
	for src, want := range cases {
		if got := classify(src); got != want {
			t.Errorf("classify(%q) = %d, want %d", src, got, want)
		}
	}
}

func TestIncomplete(t *testing.T) {
	cases := []struct {
		src   string
		query bool
		want  bool
	}{
		{"let x = ", false, true},
		{"match event of", false, true},
		{"[1, 2", false, true},
		{"\"\"\"\nheredoc", false, true},
		{"\"#{1 +", false, true},
		{"\"plain", false, false},
		{"let y = ;", false, false},
		{"x = 1", false, false},
		{"1 +; let x =", false, false},
		{"select event from in", true, true},
		{"define script s", true, true},
		{"define script s\nscript", true, true},
		{"define operator o from generic::batch\nwith", true, true},
		{"define script s\nscript\nevent", true, true},
		{"select event from in into out with", true, true},           // the shape of a body opener: shown once more follows
		{"select event from in into out with\n1", true, false},       // ... like this
		{"select event from in into out into", true, false},          // not a body opener
		{"define script s\nscript\nevent\nend\nwith 1", true, false}, // the error is not at the end
	}
	for _, c := range cases {
		var err error
		if c.query {
			_, err = lang.ParseQuery("<input>", c.src)
		} else {
			_, err = lang.ParseScript("<input>", c.src)
		}
		if err == nil {
			t.Errorf("%q parsed", c.src)
			continue
		}
		if got := incomplete(err, c.src, c.query); got != c.want {
			t.Errorf("incomplete(%q) = %v, want %v (error %v)", c.src, got, c.want, err)
		}
	}
}

func TestTerminate(t *testing.T) {
	cases := map[string]string{
		"select event from in into out":                        "select event from in into out;",
		"select event from in into out;":                       "select event from in into out;",
		"select event from in into out # note":                 "select event from in into out; # note",
		"select event from in into out; # c":                   "select event from in into out; # c",
		"define window w from tumbling\nwith\n  size = 2\nend": "define window w from tumbling\nwith\n  size = 2\nend;",
	}
	for src, want := range cases {
		if got := terminate(src); got != want {
			t.Errorf("terminate(%q) = %q, want %q", src, got, want)
		}
	}
}

func TestHistoryItems(t *testing.T) {
	cases := []struct {
		input string
		want  []string
	}{
		{"1 + 1", []string{"1 + 1"}},
		{"  ", nil},
		{":quit", nil},
		{":q", nil},
		{"match event of\n  case 1 => 2\nend", []string{"match event of case 1 => 2 end"}},
		{":event {\"a\":\n  1}", []string{":event {\"a\": 1}"}},
		{"let x = 1 # one\n+ 2", []string{"let x = 1 # one", "+ 2"}},
		{"\"\"\"\n  text\n\n\"\"\"", []string{"\"\"\"", "  text", "\"\"\""}},
	}
	for _, c := range cases {
		if got := historyItems(c.input); !slices.Equal(got, c.want) {
			t.Errorf("historyItems(%q) = %q, want %q", c.input, got, c.want)
		}
	}
}
