package interp

import (
	"testing"

	"github.com/rillstream/rill/interp/value"
)

// Assignment (spec §2.5) and script results (spec §2.1).

func TestLet(t *testing.T) {
	in := []string{`{"a":{"b":1},"s":"x","arr":[1]}`}
	runCases(t, []scriptCase{
		{name: "local", src: `let x = 1; let y = x + 1; [x, y]`, in: in, out: []string{"[1,2]"}},
		{name: "overwrite", src: `let x = 1; let x = "a"; x`, in: in, out: []string{`"a"`}},
		{name: "event replace", src: `let event = 5; event`, in: in, out: []string{"5"}},
		{name: "event nested new", src: `let event.a.c.d = 2; event.a`, in: in, out: []string{`{"b":1,"c":{"d":2}}`}},
		{name: "computed key", src: `let event[event.s] = 1; event.x`, in: in, out: []string{"1"}},
		{name: "computed key not string", src: `let event[event.a.b] = 1`, in: in, out: []string{"error: Conflicting types, got integer but expected string"}},
		{name: "literal index", src: `let event.arr[0] = 1`, in: in, out: []string{"error: It is not supported to assign value into an array"}},
		{name: "range", src: `let event.arr[0:1] = 1`, in: in, out: []string{"error: It is not supported to assign value into an array"}},
		{name: "non-record intermediate", src: `let event.s.x = 1`, in: in, out: []string{"error: Conflicting types, got string but expected record"}},
		{name: "null state", src: `let state.x = 1`, in: in, out: []string{"error: Conflicting types, got null but expected record"}},
		{name: "meta", src: `let $a.b = 1; let $c = 2; $`, in: in, out: []string{`{"a":{"b":1},"c":2}`}},
		{name: "meta root", src: `let $ = {}`, in: in, out: []string{"error: You are trying to assign to a value that isn't valid"}},
		{name: "args", src: `let args = 1`, in: in, out: []string{"error: Can't assign to a constant expression"}},
		{name: "args nested", src: `let args.x = 1`, in: in, out: []string{"error: Can't assign to a constant expression"}},
		{name: "group", src: `let group = 1`, in: in, out: []string{"error: Can't assign to a constant expression"}},
		{name: "window", src: `let window.x = 1`, in: in, out: []string{"error: Can't assign to a constant expression"}},
		{name: "const", src: "const C = 1;\nlet C = 2", in: in, out: []string{"error: Can't assign to a constant expression"}},
		{name: "unset local nested", src: `let x.y = 1`, in: in, out: []string{"error: Trying to access a non existing local key `x`"}},
		{name: "rhs first", src: `let event.s.x = event.missing`, in: in, out: []string{"error: Trying to access a non existing event key `missing`"}},
		{name: "value of nested let", src: `let x = {}; let x.a = 5`, in: in, out: []string{"5"}},
		{name: "let in expression position", src: `let x = let y = 3; [x, y]`, in: in, out: []string{"[3,3]"}},
		{name: "event mutation visible in emit", src: `let event.a.b = 2; emit event`, in: in, out: []string{`{"a":{"b":2},"arr":[1],"s":"x"}`}},
		{name: "copy on write", src: `let e = event; let event.a.b = 3; [e.a.b, event.a.b]`, in: in, out: []string{"[1,3]"}},
		{name: "copy of nested read", src: `let inner = event.a; let event.a.x = 1; [inner, event.a]`, in: in, out: []string{`[{"b":1},{"b":1,"x":1}]`}},
		{name: "record literal shared", src: `let r = {"k": event.a}; let event.a.b = 9; r`, in: in, out: []string{`{"k":{"b":1}}`}},
		{name: "repeated assignment", src: `let event.x = 1; let event.y = 2; let event.x = 3; [event.x, event.y]`, in: in, out: []string{"[3,2]"}},
	})
}

// TestLetDoesNotMutateInput checks that the caller's event value is never changed in place.
func TestLetDoesNotMutateInput(t *testing.T) {
	p, err := compileSrc(t, `let event.a.b = 2; let event.c = 3; event`)
	if err != nil {
		t.Fatal(err)
	}
	orig := value.MustDecodeJSON(`{"a":{"b":1}}`)
	ev := orig
	fr := p.NewFrame()
	fr.Event = &ev
	res, err := p.Run(fr)
	if err != nil {
		t.Fatal(err)
	}
	if got := value.EncodeSorted(res.Value); got != `{"a":{"b":2},"c":3}` {
		t.Errorf("result %s", got)
	}
	if got := value.EncodeSorted(orig); got != `{"a":{"b":1}}` {
		t.Errorf("input changed: %s", got)
	}
	// Run again on the same frame with the original input: the frame must not keep ownership.
	ev = orig
	if _, err := p.Run(fr); err != nil {
		t.Fatal(err)
	}
	if got := value.EncodeSorted(orig); got != `{"a":{"b":1}}` {
		t.Errorf("input changed on second run: %s", got)
	}
}

func TestScriptResult(t *testing.T) {
	in := []string{`{"a":1}`}
	runCases(t, []scriptCase{
		{name: "last value", src: `1; 2`, in: in, out: []string{"2"}},
		{name: "bare event", src: `let event.b = 2; event`, in: in, out: []string{`{"a":1,"b":2}`}},
		{name: "non-final pure skipped", src: `event.nope; 1 / event.a; "ok"`, in: in, out: []string{`"ok"`}},
		{name: "non-final let runs", src: `let x = event.nope; "ok"`, in: in, out: []string{"error: Trying to access a non existing event key `nope`"}},
		{name: "final let", src: `let x = 7`, in: in, out: []string{"7"}},
		{name: "only fns and uses", src: "use std::string;\nfn f() with 1 end", in: in, out: []string{`{"a":1}`}},
		{name: "const final", src: `const A = [1]`, in: in, out: []string{"[1]"}},
		{name: "emit value", src: `emit 1; 2`, in: in, out: []string{"1"}},
		{name: "emit port", src: `emit "x" => "errs"`, in: in, out: []string{`errs "x"`}},
		{name: "emit event port", src: `emit => "p"`, in: in, out: []string{`p {"a":1}`}},
		{name: "emit interpolated port", src: `emit event => "p#{event.a}"`, in: in, out: []string{`p1 {"a":1}`}},
		{name: "drop", src: `drop; 1`, in: in, out: nil},
		{name: "emit in match", src: `match event of case %{a == 1} => emit "one" case _ => null end; "after"`, in: in, out: []string{`"one"`}},
		{name: "drop in for", src: `for [1, 2] of case (i, v) => drop end; 1`, in: in, out: nil},
		{name: "non-final match body skipped", src: `match event of case _ => event.nope end; 1`, in: in, out: []string{"1"}},
		{name: "non-final match body let runs", src: `match event of case _ => let x = 5 end; x`, in: in, out: []string{"5"}},
		{name: "final match value", src: `match event of case _ => 1; 2 end`, in: in, out: []string{"2"}},
	})
}

func TestState(t *testing.T) {
	runCases(t, []scriptCase{
		{name: "accumulate", src: "let state = match state of case null => [event] case _ => state + [event] end;\nstate",
			in: []string{"1", "2", "3"}, out: []string{"[1]", "[1,2]", "[1,2,3]"}},
		{name: "nested", src: "let state = match state of case null => {\"n\": 0} case _ => state end;\nlet state.n = state.n + 1;\nstate.n",
			in: []string{"{}", "{}"}, out: []string{"1", "2"}},
		{name: "locals reset per run", src: "let r = present x;\nlet x = 1;\nr", in: []string{"{}", "{}"}, out: []string{"false", "false"}},
	})
}
