package stdlib

// aggregateSpecs declares the aggregates aggr::stats::* and aggr::win::*, valid only in the
// target and having clauses of windowed selects. None is Pure: their value depends on the window.
func aggregateSpecs() []FnSpec {
	agg := func(module, name, doc string, min, max int, params ...string) FnSpec {
		return FnSpec{Module: module, Name: name, Params: params, MinArity: min, MaxArity: max, Doc: doc, Aggregate: true}
	}
	return []FnSpec{
		agg("stats", "count", "Counts the events in the window (an integer).", 0, 0),
		agg("stats", "sum", "Sums the numbers, always giving a float.", 1, 1, "number"),
		agg("stats", "min", "Returns the smallest number as a float (0.0 when empty).", 1, 1, "number"),
		agg("stats", "max", "Returns the largest number as a float (0.0 when empty).", 1, 1, "number"),
		agg("stats", "mean", "Returns the arithmetic mean of the numbers (null when empty).", 1, 1, "number"),
		agg("stats", "var", "Returns the sample variance of the numbers.", 1, 1, "number"),
		agg("stats", "stdev", "Returns the sample standard deviation of the numbers.", 1, 1, "number"),
		agg("stats", "hdr", "Summarises non-negative integers with an HDR histogram: count, min, max, mean, stdev, var and percentiles.", 1, 2, "number", "percentiles"),
		agg("stats", "dds", "Summarises non-negative numbers with a DDSketch: count, sum, min, max, mean and percentiles.", 1, 2, "number", "percentiles"),

		agg("win", "first", "Returns the first value of the window (null when empty).", 1, 1, "value"),
		agg("win", "last", "Returns the last value of the window (null when empty).", 1, 1, "value"),
		// Tremor accepts exactly one argument; Rill also accepts none (legacy form) and then
		// collects the whole events.
		agg("win", "collect_flattened", "Collects the values (the whole events when called without argument) into one array.", 0, 1, "value"),
		agg("win", "collect_nested", "Collects the values into an array, keeping each merged window's array as one element.", 1, 1, "value"),
	}
}
