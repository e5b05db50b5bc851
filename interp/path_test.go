package interp

import "testing"

// Paths and present (spec §2.4).

func TestPaths(t *testing.T) {
	in := []string{`{"a":{"b":[10,20,30]},"k":"b","i":1,"f":1.0,"s":"str"}`}
	runCases(t, []scriptCase{
		{name: "keys and index", src: `[event.a.b[2], event["a"]["b"][0], event.a[event.k][event.i]]`, in: in, out: []string{"[30,10,20]"}},
		{name: "range chain", src: `[event.a.b[0:2], event.a.b[1:3][1], event.a.b[3:3]]`, in: in, out: []string{"[[10,20],30,[]]"}},
		{name: "expression paths", src: `[[1, 2][1], {"x": {"y": 3}}.x.y, (event.a).b[0], ("a" + "b")]`, in: in, out: []string{`[2,3,10,"ab"]`}},
		{name: "meta", src: `let $x = {"y": 1}; [$x.y, $, $["x"]]`, in: in, out: []string{`[1,{"x":{"y":1}},{"y":1}]`}},
		{name: "state null", src: `state`, in: in, out: []string{"null"}},
		{name: "missing event key", src: `event.zz`, in: in, out: []string{"error: Trying to access a non existing event key `zz`"}},
		{name: "missing meta key", src: `$zz`, in: in, out: []string{"error: Trying to access a non existing global key `zz`"}},
		{name: "missing state key", src: `let state = {}; state.zz`, in: in, out: []string{"error: Trying to access a non existing state key `zz`"}},
		{name: "missing local key", src: `let x = {}; x.zz`, in: in, out: []string{"error: Trying to access a non existing local key `zz`"}},
		{name: "unset local", src: `x`, in: in, out: []string{"error: Trying to access a non existing local key `x`"}},
		{name: "missing key via index", src: `event["zz"]`, in: in, out: []string{"error: Trying to access a non existing event key `zz`"}},
		{name: "key on non-record", src: `event.s.x`, in: in, out: []string{"error: Conflicting types, got string but expected record"}},
		{name: "literal index on record", src: `event.a[0]`, in: in, out: []string{"error: Conflicting types, got record but expected array"}},
		{name: "int index on record", src: `event.a[event.i]`, in: in, out: []string{"error: Conflicting types, got integer but expected string"}},
		{name: "string index on array", src: `event.a.b[event.k]`, in: in, out: []string{"error: Conflicting types, got string but expected integer"}},
		{name: "literal string index is a key", src: `event.a.b["x"]`, in: in, out: []string{"error: Conflicting types, got array but expected record"}},
		{name: "float index on array", src: `event.a.b[event.f]`, in: in, out: []string{"error: Conflicting types, got float but expected integer"}},
		{name: "string index on string", src: `event.s["x"]`, in: in, out: []string{"error: Conflicting types, got string but expected record"}},
		{name: "int index on string", src: `event.s[0]`, in: in, out: []string{"error: Conflicting types, got string but expected array"}},
		{name: "folded index", src: `event.a.b[1 + 1]`, in: in, out: []string{"30"}},
		{name: "negative index", src: `event.a.b[-1]`, in: in, out: []string{"error: Bad array index, got `-1` but expected an index in the range 0:3"}},
		{name: "index out of bounds", src: `event.a.b[3]`, in: in, out: []string{"error: Array index out of bounds, got index 3 but expected an index in the range 0:3"}},
		{name: "range out of bounds", src: `event.a.b[1:4]`, in: in, out: []string{"error: Array index out of bounds, got index range 1:4 but expected a subrange of 0:3"}},
		{name: "decreasing range", src: `event.a.b[2:1]`, in: in, out: []string{"error: A range's end cannot be smaller than its start, 2:1 is invalid"}},
		{name: "range on record", src: `event.a[0:1]`, in: in, out: []string{"error: Conflicting types, got record but expected array"}},
		{name: "group and window null", src: `[group, window]`, in: in, out: []string{"[null,null]"}},
		{name: "args empty record", src: `args`, in: in, out: []string{"{}"}},
	})
}

func TestPresent(t *testing.T) {
	in := []string{`{"a":{"b":[1]},"n":null}`}
	runCases(t, []scriptCase{
		{name: "present", src: `[present event.a, present event.a.b[0], present event.n, present $, present state]`, in: in, out: []string{"[true,true,true,true,true]"}},
		{name: "missing", src: `[present event.x, present event.a.b[1], present event.a.b.c, present event.n.x, present x]`, in: in, out: []string{"[false,false,false,false,false]"}},
		{name: "absent", src: `[absent event.x, absent event.a]`, in: in, out: []string{"[true,false]"}},
		{name: "const", src: "const C = {\"k\": 1};\n[present C, present C.k, present C.z]", in: in, out: []string{"[true,true,false]"}},
		{name: "local set later", src: `let r = present y; let y = 1; [r, present y]`, in: in, out: []string{"[false,true]"}},
		{name: "bad index type", src: `present event.a[event.a.b[0]]`, in: in, out: []string{"error: Conflicting types, got integer but expected string"}},
		{name: "literal index on record", src: `present event.a[1]`, in: in, out: []string{"false"}},
		{name: "decreasing range", src: `present event.a.b[1:0]`, in: in, out: []string{"error: A range's end cannot be smaller than its start, 1:0 is invalid"}},
	})
}

func TestHints(t *testing.T) {
	cases := []struct{ src, in, hint string }{
		{"event.nmae", `{"name":1,"nome":2}`, "Did you mean to use `name`?"},
		{"event.abcdef", `{"x":1}`, ""},
		{"$kye", `{}`, ""},
		{"let x = {\"value\": 1}; x.valeu", `{}`, "Did you mean to use `value`?"},
		{"nil", `{}`, "Did you mean null?"},
		{"evnet", `{}`, "Did you mean to use `event`?"},
		{"ture", `{}`, "Did you mean to use `true`?"},
		{"let state = {\"count\": 1}; state.cuont", `{}`, ""},
		{"event.ab", `{"ac":1,"aa":2}`, "Did you mean to use `aa`?"},
	}
	for _, tc := range cases {
		p, err := compileSrc(t, tc.src)
		if err != nil {
			t.Fatal(err)
		}
		got := runErrValue(t, p, tc.in)
		if got == nil {
			t.Errorf("%s: no error", tc.src)
			continue
		}
		if got.Hint != tc.hint {
			t.Errorf("%s: hint %q, want %q", tc.src, got.Hint, tc.hint)
		}
	}
}

func TestDamerauLevenshtein(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		d    int
	}{
		{"", "", 0}, {"a", "", 1}, {"abc", "abc", 0}, {"ab", "ba", 1}, {"nmae", "name", 1},
		{"ca", "abc", 2}, {"kitten", "sitting", 3}, {"héllo", "hello", 1},
	} {
		if d := damerauLevenshtein(tc.a, tc.b); d != tc.d {
			t.Errorf("dl(%q, %q) = %d, want %d", tc.a, tc.b, d, tc.d)
		}
	}
}
