package stdlib

// arraySpecs declares std::array.
func arraySpecs() []FnSpec {
	const m = "array"
	return []FnSpec{
		pure(m, "len", "Returns the number of elements in the array.", "array"),
		pure(m, "is_empty", "Returns true if the array has no elements.", "array"),
		pure(m, "contains", "Returns true if the array holds an element equal to `element` (ints and floats never equal).", "array", "element"),
		pure(m, "push", "Returns a copy of the array with `element` appended.", "array", "element"),
		pure(m, "zip", "Pairs the elements of two arrays of the same length into `[[l, r], ...]`.", "left", "right"),
		pure(m, "unzip", "Splits an array of pairs `[[a, b], ...]` into `[[a, ...], [b, ...]]`.", "array"),
		pure(m, "flatten", "Recursively flattens nested arrays into one array; a non-array becomes `[value]`.", "array"),
		pure(m, "coalesce", "Returns the array without its null elements.", "array"),
		pure(m, "join", "Joins the elements of the array into a string separated by `separator`.", "array", "separator"),
		pure(m, "concatenate", "Returns the elements of `left` followed by those of `right`.", "left", "right"),
		pure(m, "reverse", "Returns the array in reverse order.", "array"),
		pure(m, "sort", "Returns the array sorted ascending by Tremor's value order (stable).", "array"),
	}
}
