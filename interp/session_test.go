package interp

import (
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
)

func TestSession(t *testing.T) {
	s := NewSession(testEnv)
	ev := value.MustDecodeJSON(`{"a":1}`)
	s.Frame.Event = &ev
	steps := []struct{ src, want string }{
		{"use std::string;", `{"a":1}`},
		{"let x = event.a + 1", "2"},
		{"fn twice(v) with v * 2 end;\ntwice(x)", "4"},
		{"const K = 10; K + x", "12"},
		{"let event.b = string::uppercase(\"q\")", `"Q"`},
		{"event", `{"a":1,"b":"Q"}`},
		{"let state = [x]; state", "[2]"},
		{"state + [twice(K)]", "[2,20]"},
	}
	for _, st := range steps {
		res, err := s.Eval(st.src)
		if err != nil {
			t.Fatalf("%s: %v", st.src, err)
		}
		if got := value.EncodeSorted(res.Value); got != st.want {
			t.Errorf("%s: got %s want %s", st.src, got, st.want)
		}
	}
	if _, err := s.Eval("nope"); err == nil || err.Error() != "Error: \n    1 | nope\n      | ^^^^ Trying to access a non existing local key `nope`\n\n" {
		t.Errorf("error: %q", err)
	}
	if res, err := s.Eval("x"); err != nil || value.EncodeSorted(res.Value) != "2" {
		t.Errorf("after error: %v %v", res, err)
	}
}

func TestSessionNames(t *testing.T) {
	s := NewSession(nil)
	for _, src := range []string{"let total = 1", "fn twice(x) with x * 2 end", "const LIMIT = 3", "use std::string"} {
		if _, err := s.Eval(src); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
	}
	if got := strings.Join(s.Names(), ","); got != "LIMIT,string,total,twice" {
		t.Fatalf("names %s", got)
	}
}
