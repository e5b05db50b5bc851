package stdlib

import "testing"

func TestArrayFunctions(t *testing.T) {
	runCases(t, nil, []fnCase{
		{fn: "array::len", args: `[[1, 2, 3]]`, want: "3"},
		{fn: "array::len", args: `["abc"]`, want: "error: Bad type passed to function array::len/1"},
		{fn: "array::is_empty", args: `[[]]`, want: "true"},
		{fn: "array::is_empty", args: `[[null]]`, want: "false"},
		// contains is PartialEq: int and float never equal, records order-insensitive
		{fn: "array::contains", args: `[[1, 2], 1.0]`, want: "false"},
		{fn: "array::contains", args: `[[1.0, 2], 1.0]`, want: "true"},
		{fn: "array::contains", args: `[[-1, 2], -1]`, want: "true"},
		{fn: "array::contains", args: `[[{"a": 1, "b": 2}], {"b": 2, "a": 1}]`, want: "true"},
		{fn: "array::contains", args: `[["a"], "b"]`, want: "false"},
		{fn: "array::push", args: `[[1], 2.0]`, want: "[1,2.0]"},
		{fn: "array::push", args: `[1, 2]`, want: "error: Bad type passed to function array::push/2"},
		{fn: "array::zip", args: `[[1, 2], ["a", "b"]]`, want: `[[1,"a"],[2,"b"]]`},
		{fn: "array::zip", args: `[[1, 2], [3]]`, want: "error: Runtime error in function array::zip/2: Zipping two arrays requires them to have the same length, but the first array provided has 2 elements while the second one has 1 elements"},
		{fn: "array::unzip", args: `[[[1, "a"], [2, "b"]]]`, want: `[[1,2],["a","b"]]`},
		{fn: "array::unzip", args: `[[]]`, want: `[[],[]]`},
		{fn: "array::unzip", args: `[[[1, 2, 3]]]`, want: "error: Runtime error in function array::unzip/1: Onlay arrays that consist of tuples (arrays of two elements) can be unzipped but this array contained 3 elements"},
		{fn: "array::flatten", args: `[[1, [2, [3, [4.0]]], [], "x"]]`, want: `[1,2,3,4.0,"x"]`},
		{fn: "array::flatten", args: `[1]`, want: "[1]"},
		{fn: "array::flatten", args: `[{"a": [1]}]`, want: `[{"a":[1]}]`},
		{fn: "array::coalesce", args: `[[null, 1, null, "a", null]]`, want: `[1,"a"]`},
		{fn: "array::join", args: `[[1, "a", 1.0, 0.1, 1.5, true, null, -3], "-"]`, want: `"1-a-1-0.1-1.5-true-null--3"`},
		{fn: "array::join", args: `[[1e20], ""]`, want: `"100000000000000000000"`},
		{fn: "array::join", args: `[[], ","]`, want: `""`},
		{fn: "array::join", args: `[[1], 1]`, want: "error: Bad type passed to function array::join/2"},
		{fn: "array::concatenate", args: `[[1, 2], [3.0]]`, want: "[1,2,3.0]"},
		{fn: "array::reverse", args: `[[1, 2, 3]]`, want: "[3,2,1]"},
		// sort: records < arrays < strings < numbers < bools < null
		{fn: "array::sort", args: `[[null, true, false, 2, 1.5, "b", "a", [1], {"a": 1}, -7]]`, want: `[{"a":1},[1],"a","b",-7,1.5,2,false,true,null]`},
		// int vs float compares the float truncated: 1.5 sorts equal to 1, and the sort is stable
		{fn: "array::sort", args: `[[1.5, 1, 0.5]]`, want: "[0.5,1.5,1]"},
		{fn: "array::sort", args: `[[1, 1.5]]`, want: "[1,1.5]"},
		{fn: "array::sort", args: `[["b", "B", "a", "ä"]]`, want: `["B","a","b","ä"]`},
	})
}
