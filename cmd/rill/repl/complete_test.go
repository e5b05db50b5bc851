package repl

import (
	"slices"
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
)

func TestComplete(t *testing.T) {
	r := newREPL(Options{})
	*r.sess.Frame.Event = value.MustDecodeJSON(`{"alpha": {"beta": 1, "bell": 2}, "also": 3, "odd key": 4, "z": [1]}`)
	*r.sess.Frame.Meta = value.MustDecodeJSON(`{"host": {"name": "h"}}`)
	cases := []struct {
		line       string
		head, tail string
		want       []string // exactly these, or (contains) at least these
		contains   bool
	}{
		{line: "string::up", want: []string{"string::uppercase"}},
		{line: "let s = string::tr", head: "let s = ", want: []string{"string::trim", "string::trim_end", "string::trim_start"}},
		{line: "string::", want: []string{"string::bytes", "string::uppercase"}, contains: true},
		{line: "aggr::", want: []string{"aggr::stats::", "aggr::win::"}},
		{line: "aggr::stats::c", want: []string{"aggr::stats::count"}},
		{line: "use std::str", head: "use ", want: []string{"std::string"}},
		{line: "use tremor::", head: "use ", want: []string{"tremor::chash", "tremor::origin", "tremor::system"}},
		{line: "str", want: []string{"stream", "stream_id", "string::"}},
		{line: "sel", want: []string{"select"}},
		{line: "sou", want: []string{"source_id"}},
		{line: "ma", want: []string{"match", "math::"}},
		{line: ":he", want: []string{":help"}},
		{line: ":", want: []string{":doc", ":event", ":feed", ":graph", ":help", ":load", ":meta", ":query", ":quit", ":reset", ":send", ":state", ":tick"}},
		{line: "event.", want: []string{"event.alpha", "event.also", "event.`odd key`", "event.z"}},
		{line: "event.al", want: []string{"event.alpha", "event.also"}},
		{line: "event.alpha.be", want: []string{"event.alpha.beta", "event.alpha.bell"}}, // the record's order
		{line: "event.z.", want: nil},
		{line: "event.nope.", want: nil},
		{line: "1 + $h", head: "1 + ", want: []string{"$host"}},
		{line: "$host.", want: []string{"$host.name"}},
		{line: "state.", want: nil},
		{line: "", want: nil},
	}
	for _, c := range cases {
		head, got, tail := r.complete(c.line, len([]rune(c.line)))
		if head != c.head || tail != c.tail {
			t.Errorf("%q: head %q tail %q", c.line, head, tail)
		}
		if c.contains {
			for _, w := range c.want {
				if !slices.Contains(got, w) {
					t.Errorf("%q: %v lacks %q", c.line, got, w)
				}
			}
		} else if !slices.Equal(got, c.want) {
			t.Errorf("%q: got %v want %v", c.line, got, c.want)
		}
	}
	// The cursor in the middle: the word before it is completed, the rest is the tail.
	line := "string::up(event.al)"
	head, got, tail := r.complete(line, strings.Index(line, "("))
	if head != "" || tail != "(event.al)" || !slices.Equal(got, []string{"string::uppercase"}) {
		t.Errorf("mid-line: %q %v %q", head, got, tail)
	}
}

// TestCompleteSessionNames: let bindings, functions and consts of the session complete too.
func TestCompleteSessionNames(t *testing.T) {
	r := newREPL(Options{})
	for _, src := range []string{"let total_ms = 1", "fn to_seconds(x) with x / 1000 end", "const TOP = 3"} {
		if _, err := r.sess.Eval(src); err != nil {
			t.Fatal(err)
		}
	}
	if _, got, _ := r.complete("tot", 3); strings.Join(got, ",") != "total_ms" {
		t.Errorf("tot: %v", got)
	}
	if _, got, _ := r.complete("1 + to_s", 8); strings.Join(got, ",") != "to_seconds" {
		t.Errorf("to_s: %v", got)
	}
	if _, got, _ := r.complete("TO", 2); strings.Join(got, ",") != "TOP" {
		t.Errorf("TO: %v", got)
	}
}
