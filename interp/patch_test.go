package interp

import "testing"

// patch and merge (spec §2.9), for comprehensions (spec §2.11).

func TestPatch(t *testing.T) {
	in := []string{`{"a":1,"b":{"x":1},"c":3}`}
	runCases(t, []scriptCase{
		{name: "returns a copy", src: `let p = patch event of upsert "a" => 2 end; [p.a, event.a]`, in: in, out: []string{"[2,1]"}},
		{name: "phase one sees the old state", src: `patch event of erase "a"; insert "z" => event.a end`, in: in, out: []string{`{"b":{"x":1},"c":3,"z":1}`}},
		{name: "insert exists", src: `patch event of insert "a" => 1 end`, in: in, out: []string{"error: The key that is supposed to be written to already exists: a"}},
		{name: "update missing", src: `patch event of update "q" => 1 end`, in: in, out: []string{"error: The key that is supposed to be updated does not exists: q"}},
		{name: "erase missing ok", src: `patch event of erase "q" end`, in: in, out: []string{`{"a":1,"b":{"x":1},"c":3}`}},
		{name: "move onto existing", src: `patch event of move "a" => "c" end`, in: in, out: []string{"error: The key that is supposed to be written to already exists: c"}},
		{name: "copy missing no-op", src: `patch event of copy "q" => "r" end`, in: in, out: []string{`{"a":1,"b":{"x":1},"c":3}`}},
		{name: "merge key record", src: `patch event of merge "b" => {"y": 2} end`, in: in, out: []string{`{"a":1,"b":{"x":1,"y":2},"c":3}`}},
		{name: "merge missing key scalar", src: `patch event of merge "n" => 5 end`, in: in, out: []string{`{"a":1,"b":{"x":1},"c":3,"n":5}`}},
		{name: "merge non record key", src: `patch event of merge "a" => {"y": 2} end`, in: in,
			out: []string{"error: Merge can only be performed on keys that either do not exist or are records but the key 'a' has the type integer"}},
		{name: "merge record with scalar", src: `patch event of merge "b" => 1 end`, in: in,
			out: []string{"error: Merge can only be performed on keys that either do not exist or are records but the key 'b' has the type record"}},
		{name: "merge target", src: `patch event of merge => {"b": {"z": 0}, "a": null} end`, in: in, out: []string{`{"a":null,"b":{"x":1,"z":0},"c":3}`}},
		{name: "merge target not record", src: `patch event of merge => [1] end`, in: in,
			out: []string{"error: Merge can only be performed on keys that either do not exist or are records but the key '<target>' has the type array"}},
		{name: "default key lazy", src: `patch event of default "a" => event.missing; default "d" => 4 end`, in: in, out: []string{`{"a":1,"b":{"x":1},"c":3,"d":4}`}},
		{name: "default all", src: `patch event of default => {"a": 9, "b": {"x": 9, "y": 9}, "e": 5} end`, in: in, out: []string{`{"a":1,"b":{"x":1,"y":9},"c":3,"e":5}`}},
		{name: "interpolated keys", src: `patch event of insert "k#{event.a}" => true end`, in: in, out: []string{`{"a":1,"b":{"x":1},"c":3,"k1":true}`}},
		{name: "target not record", src: `patch [1] of erase "a" end`, in: in, out: []string{"error: Conflicting types, got array but expected record"}},
		{name: "upsert keeps position", src: "use std::record;\nrecord::keys(patch event of upsert \"a\" => 5; insert \"z\" => 1 end)", in: in, out: []string{`["a","b","c","z"]`}},
		{name: "move swap removes", src: "use std::record;\nrecord::keys(patch event of move \"a\" => \"m\" end)", in: in, out: []string{`["c","b","m"]`}},
	})
}

func TestMerge(t *testing.T) {
	in := []string{`{"a":{"b":1,"c":{"d":1}},"n":1}`}
	runCases(t, []scriptCase{
		{name: "deep", src: `merge event of {"a": {"c": {"e": 2}}, "x": 1} end`, in: in, out: []string{`{"a":{"b":1,"c":{"d":1,"e":2}},"n":1,"x":1}`}},
		{name: "null sets null", src: `merge event of {"a": null} end`, in: in, out: []string{`{"a":null,"n":1}`}},
		{name: "replace non record", src: `merge event of {"n": {"k": 1}} end`, in: in, out: []string{`{"a":{"b":1,"c":{"d":1}},"n":{"k":1}}`}},
		{name: "target not record", src: `merge event.n of {} end`, in: in, out: []string{"error: Conflicting types, got integer but expected record"}},
		{name: "value not record", src: `merge event of 5 end`, in: in, out: []string{"error: Conflicting types, got integer but expected record"}},
		{name: "input unchanged", src: `let m = merge event of {"a": {"b": 2}} end; [m.a.b, event.a.b]`, in: in, out: []string{"[2,1]"}},
	})
}

func TestFor(t *testing.T) {
	runCases(t, []scriptCase{
		{name: "array", src: `for event of case (i, v) => [i, v] end`, in: []string{`["a","b"]`}, out: []string{`[[0,"a"],[1,"b"]]`}},
		{name: "record order", src: `for event of case (k, v) => k end`, in: []string{`{"b":1,"a":2}`}, out: []string{`["b","a"]`}},
		{name: "scalar target", src: `for event of case (k, v) => k end`, in: []string{`"str"`}, out: []string{`[]`}},
		{name: "filter and cases", src: `for event of case (i, v) when v > 2 => "big" case (i, v) when v == 1 => "one" end`,
			in: []string{`[1,2,3]`}, out: []string{`["one","big"]`}},
		{name: "guard not bool", src: `for event of case (i, v) when v => 1 end`, in: []string{`[1]`}, out: []string{"error: Conflicting types, got integer but expected bool"}},
		{name: "into array", src: `for event of case (i, v) => v into [0] end`, in: []string{`[1,2]`}, out: []string{`[0,1,2]`}},
		{name: "into record", src: `for event of case (i, v) => {"#{v}": i} into {"z": 0} end`, in: []string{`["a","b"]`}, out: []string{`{"a":0,"b":1,"z":0}`}},
		{name: "into record not record", src: `for event of case (i, v) => v into {} end`, in: []string{`[1]`}, out: []string{"error: Type error: Expected object, found u64"}},
		{name: "into record negative", src: `for event of case (i, v) => v into {} end`, in: []string{`[-1]`}, out: []string{"error: Type error: Expected object, found i64"}},
		{name: "sum", src: `for event of case (i, v) => v into 0 use + end`, in: []string{`[1,2,3]`}, out: []string{"6"}},
		{name: "product float", src: `for event of case (i, v) => v into 1.0 use * end`, in: []string{`[2,3]`}, out: []string{"6.0"}},
		{name: "division", src: `for event of case (i, v) => v into 100 use / end`, in: []string{`[2,5]`}, out: []string{"10.0"}},
		{name: "string fold unsupported", src: `for event of case (i, v) => v into "" use + end`, in: []string{`["a"]`},
			out: []string{"error: The binary operation `+` is not defined for the type `string` and `string`"}},
		{name: "or fold", src: `for event of case (i, v) => v into false use or end`, in: []string{`[false,true,"x"]`, `[false]`}, out: []string{"true", "false"}},
		{name: "xor fold", src: `for event of case (i, v) => v into false use xor end`, in: []string{`[true,true,true]`}, out: []string{"true"}},
		{name: "and fold type", src: `for event of case (i, v) => v into true use and end`, in: []string{`[1]`},
			out: []string{"error: The binary operation `and` is not defined for the type `bool` and `integer`"}},
		{name: "and fold acc type", src: `for event of case (i, v) => v into 1 use and end`, in: []string{`[true]`},
			out: []string{"error: The binary operation `and` is not defined for the type `integer` and `<not executed>`"}},
		{name: "invalid fold on array", src: `for event of case (i, v) => v into [] use - end`, in: []string{`[1]`}, out: []string{"error: Invalid fold operation -"}},
		{name: "empty target gives initial", src: `for event of case (i, v) => v into [] use - end`, in: []string{`[]`}, out: []string{"[]"}},
		{name: "bindings scoped", src: "let k = \"outer\";\nfor event of case (k, v) => k end;\nk", in: []string{`[1]`}, out: []string{`"outer"`}},
		{name: "let inside is script wide", src: "for event of case (k, v) => let last = v end;\nlast", in: []string{`[1,2]`}, out: []string{"2"}},
		{name: "iterates a snapshot", src: "for event of case (k, v) => let event.x = 1 end;\nevent", in: []string{`{"a":1}`}, out: []string{`{"a":1,"x":1}`}},
	})
}
