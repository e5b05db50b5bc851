package stdlib

// pathSpecs declares std::path.
func pathSpecs() []FnSpec {
	return []FnSpec{
		pure("path", "try_default", "Walks `segments` into a record or array and returns the value found there, or `fallback` on any miss.", "base", "segments", "fallback"),
	}
}

// randomSpecs declares std::random; every call is seeded from the event's ingest time.
func randomSpecs() []FnSpec {
	const m = "random"
	return []FnSpec{
		impure(m, "bool", "Returns a random boolean."),
		impure(m, "string", "Returns a random string of `length` alphanumeric characters.", "length"),
		{Module: m, Name: "integer", Params: []string{"low", "high"}, MinArity: 0, MaxArity: 2,
			Doc: "Returns a random integer: any i64, in [0, low) with one argument, in [low, high) with two."},
		{Module: m, Name: "float", Params: []string{"low", "high"}, MinArity: 0, MaxArity: 2,
			Doc: "Returns a random float: in [0, 1), in [0, low) with one argument, in [low, high) with two."},
	}
}

// rangeSpecs declares std::range's registry function (contains is written in lib/).
func rangeSpecs() []FnSpec {
	return []FnSpec{
		pure("range", "range", "Returns the integers from `start` up to but excluding `stop`.", "start", "stop"),
	}
}

// reSpecs declares std::re (Rust regex syntax).
func reSpecs() []FnSpec {
	const m = "re"
	return []FnSpec{
		pure(m, "replace", "Replaces the first match of `regex` in `input` with `replacement` (`$1`, `${name}` allowed).", "regex", "input", "replacement"),
		pure(m, "replace_all", "Replaces every match of `regex` in `input` with `replacement` (`$1`, `${name}` allowed).", "regex", "input", "replacement"),
		pure(m, "is_match", "Returns true if `regex` matches somewhere in `input`.", "regex", "input"),
		pure(m, "split", "Splits `input` at every match of `regex` into an array of strings.", "regex", "input"),
	}
}

// testSpecs declares std::test's registry function (suite and test are written in lib/).
func testSpecs() []FnSpec {
	return []FnSpec{
		// Not Pure: on mismatch the result depends on whether the context panics on asserts.
		impure("test", "assert", "Returns true if `got` equals `expected`, else `[expected, got]`.", "desc", "expected", "got"),
	}
}

// typeSpecs declares std::type.
func typeSpecs() []FnSpec {
	const m = "type"
	specs := []FnSpec{
		pure(m, "as_string", "Returns the value's type name: null, bool, integer, float, string, array, record or bytes.", "value"),
	}
	for _, t := range []struct{ name, what string }{
		{"is_null", "null"},
		{"is_bool", "a boolean"},
		{"is_integer", "an integer"},
		{"is_float", "a float"},
		{"is_number", "an integer or a float"},
		{"is_string", "a string"},
		{"is_array", "an array"},
		{"is_record", "a record"},
		{"is_binary", "a binary (bytes)"},
	} {
		specs = append(specs, pure(m, t.name, "Returns true if the value is "+t.what+".", "value"))
	}
	return specs
}

// winSpecs declares std::win's registry function (the win aggregates are in aggregateSpecs).
func winSpecs() []FnSpec {
	return []FnSpec{
		impure("win", "cardinality", "Returns the number of groups the select held before this event (0 outside selects)."),
	}
}
