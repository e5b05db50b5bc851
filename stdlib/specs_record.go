package stdlib

// recordSpecs declares std::record; results keep the record's insertion order.
func recordSpecs() []FnSpec {
	const m = "record"
	return []FnSpec{
		pure(m, "len", "Returns the number of fields in the record.", "record"),
		pure(m, "is_empty", "Returns true if the record has no fields.", "record"),
		pure(m, "contains", "Returns true if the record has the field `key`.", "record", "key"),
		pure(m, "keys", "Returns the record's keys as an array of strings.", "record"),
		pure(m, "values", "Returns the record's values as an array.", "record"),
		pure(m, "to_array", "Returns the record's fields as an array of `[key, value]` pairs.", "record"),
		pure(m, "from_array", "Builds a record from an array of `[key, value]` pairs.", "array"),
		pure(m, "extract", "Returns a record with only the fields named in `keys`.", "record", "keys"),
		pure(m, "combine", "Merges two records shallowly, fields of `right` winning.", "left", "right"),
		pure(m, "rename", "Renames fields after a record `{old: new}`.", "record", "changes"),
	}
}
