package stdlib

// stringSpecs declares std::string; a char is a Unicode scalar value.
func stringSpecs() []FnSpec {
	const m = "string"
	return []FnSpec{
		{Module: m, Name: "format", Params: []string{"fmt", "args..."}, MinArity: 1, MaxArity: -1, Pure: true,
			Doc: "Formats `args` into `fmt`, replacing each `{}` in turn (`{{` and `}}` escape braces)."},
		pure(m, "is_empty", "Returns true if the string is empty.", "input"),
		pure(m, "len", "Returns the length of the string in characters.", "input"),
		pure(m, "bytes", "Returns the length of the string in UTF-8 bytes.", "input"),
		pure(m, "replace", "Replaces every occurrence of `search` in `input` with `replacement`.", "input", "search", "replacement"),
		pure(m, "trim", "Removes leading and trailing whitespace.", "input"),
		pure(m, "trim_start", "Removes leading whitespace.", "input"),
		pure(m, "trim_end", "Removes trailing whitespace.", "input"),
		pure(m, "lowercase", "Converts the string to lowercase.", "input"),
		pure(m, "uppercase", "Converts the string to uppercase.", "input"),
		pure(m, "capitalize", "Uppercases the first character of the string.", "input"),
		pure(m, "reverse", "Reverses the string by character.", "input"),
		pure(m, "substr", "Returns the characters from index `start` up to but excluding `stop`.", "input", "start", "stop"),
		pure(m, "split", "Splits the string at every occurrence of `separator` into an array.", "input", "separator"),
		pure(m, "contains", "Returns true if `input` contains `search`.", "input", "search"),
		pure(m, "from_utf8_lossy", "Decodes bytes as UTF-8, replacing invalid sequences with U+FFFD.", "bytes"),
		pure(m, "into_binary", "Returns the UTF-8 bytes of the string as a binary.", "input"),
	}
}
