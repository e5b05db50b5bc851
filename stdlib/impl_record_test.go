package stdlib

import "testing"

func TestRecordFunctions(t *testing.T) {
	runCases(t, nil, []fnCase{
		{fn: "record::len", args: `[{"a": 1, "b": 2}]`, want: "2"},
		{fn: "record::len", args: `[[1]]`, want: "error: Bad type passed to function record::len/1"},
		{fn: "record::is_empty", args: `[{}]`, want: "true"},
		{fn: "record::contains", args: `[{"a": null}, "a"]`, want: "true"},
		{fn: "record::contains", args: `[{"a": 1}, "b"]`, want: "false"},
		{fn: "record::contains", args: `[{"a": 1}, 1]`, want: "error: Bad type passed to function record::contains/2"},
		// insertion order
		{fn: "record::keys", args: `[{"b": 1, "a": 2, "c": 3}]`, want: `["b","a","c"]`},
		{fn: "record::values", args: `[{"b": 1, "a": 2.0}]`, want: "[1,2.0]"},
		{fn: "record::to_array", args: `[{"b": 1, "a": [2]}]`, want: `[["b",1],["a",[2]]]`},
		{fn: "record::from_array", args: `[[["b", 1], ["a", 2], ["b", 3]]]`, want: `{"b":3,"a":2}`, ordered: true},
		{fn: "record::from_array", args: `[[["a"]]]`, want: `error: Runtime error in function record::from_array/1: Onlay arrays that consist of tuples (arrays of two elements) can be turned into records but this array contained: ["a"]`},
		// extract keeps the record's order, not the keys'
		{fn: "record::extract", args: `[{"a": 1, "b": 2, "c": 3}, ["c", "a", "x", 1]]`, want: `{"a":1,"c":3}`, ordered: true},
		// combine keeps left's positions, right wins, right's new keys follow
		{fn: "record::combine", args: `[{"a": 1, "b": 2}, {"c": 3, "a": 4.0}]`, want: `{"a":4.0,"b":2,"c":3}`, ordered: true},
		{fn: "record::combine", args: `[{"a": 1}, [1]]`, want: "error: Bad type passed to function record::combine/2"},
		// rename: swap_remove then append; non-string targets ignored
		{fn: "record::rename", args: `[{"a": 1, "b": 2, "c": 3}, {"a": "x", "b": 5}]`, want: `{"c":3,"b":2,"x":1}`, ordered: true},
		{fn: "record::rename", args: `[{"a": 1, "b": 2}, {"zz": "y", "a": "b"}]`, want: `{"b":1}`, ordered: true},
	})
}
