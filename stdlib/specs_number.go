package stdlib

// numberSpecs declares std::float, std::integer and std::math.
func numberSpecs() []FnSpec {
	return []FnSpec{
		pure("float", "parse", "Parses a string into a float (accepts `inf`, `NaN`, exponents).", "input"),
		pure("float", "is_finite", "Returns true if the number is neither infinite nor NaN.", "number"),
		pure("float", "is_nan", "Returns true if the number is NaN.", "number"),
		pure("float", "is_infinite", "Returns true if the number is positive or negative infinity.", "number"),

		pure("integer", "parse", "Parses a decimal string with an optional sign into an integer.", "input"),

		pure("math", "floor", "Rounds a number down to an integer.", "number"),
		pure("math", "ceil", "Rounds a number up to an integer.", "number"),
		pure("math", "round", "Rounds a number to the nearest integer, halves away from zero.", "number"),
		pure("math", "trunc", "Drops the fractional part of a number, giving an integer.", "number"),
		pure("math", "max", "Returns the larger of two numbers (a float if either is a float).", "a", "b"),
		pure("math", "min", "Returns the smaller of two numbers (a float if either is a float).", "a", "b"),
	}
}
