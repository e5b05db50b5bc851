package stdlib

// datetimeSpecs declares std::datetime. A datetime argument is an integer nanosecond timestamp
// (UTC) or a record `{"timestamp": ns, "tz": tz}`; see std::datetime::timezones.
func datetimeSpecs() []FnSpec {
	const m = "datetime"
	specs := []FnSpec{
		pure(m, "parse", "Parses a string with a strftime-style format into nanoseconds since the epoch (UTC unless the format has an offset).", "input", "fmt"),
		pure(m, "format", "Formats a datetime with a strftime-style format string.", "datetime", "fmt"),
		pure(m, "rfc3339", "Formats a datetime as RFC 3339, e.g. `1970-01-01T00:00:00+00:00`.", "datetime"),
		pure(m, "rfc2822", "Formats a datetime as RFC 2822, e.g. `Thu, 01 Jan 1970 00:00:00 +0000`.", "datetime"),
		pure(m, "with_timezone", "Attaches a timezone to a timestamp, giving `{\"timestamp\": ns, \"tz\": tz}`.", "datetime", "tz"),
		pure(m, "year", "Returns the year of a datetime in its timezone.", "datetime"),
		pure(m, "month", "Returns the month (1-12) of a datetime in its timezone.", "datetime"),
		pure(m, "iso_week", "Returns the ISO 8601 week number (1-53) of a datetime in its timezone.", "datetime"),
		pure(m, "day_of_month", "Returns the day of the month (1-31) of a datetime in its timezone.", "datetime"),
		pure(m, "day_of_year", "Returns the day of the year (1-366) of a datetime in its timezone.", "datetime"),
		pure(m, "hour", "Returns the hour (0-23) of a datetime in its timezone.", "datetime"),
		pure(m, "minute", "Returns the minute (0-59) of a datetime in its timezone.", "datetime"),
		pure(m, "second", "Returns the second (0-59) of a datetime in its timezone.", "datetime"),
		pure(m, "subsecond_millis", "Returns the milliseconds of a datetime past its whole second.", "datetime"),
		pure(m, "subsecond_micros", "Returns the microseconds of a datetime past its whole second.", "datetime"),
		pure(m, "subsecond_nanos", "Returns the nanoseconds of a datetime past its whole second.", "datetime"),
	}
	// Legacy nanosecond helpers from Tremor's older docs (now std::time::nanos::from_*):
	// n × unit, resolved without a `use`.
	for _, u := range []struct{ name, unit string }{
		{"with_nanoseconds", "nanoseconds"},
		{"with_microseconds", "microseconds"},
		{"with_milliseconds", "milliseconds"},
		{"with_seconds", "seconds"},
		{"with_minutes", "minutes"},
		{"with_hours", "hours"},
		{"with_days", "days"},
	} {
		s := pure(m, u.name, "Legacy: returns `n` "+u.unit+" in nanoseconds (use std::time::nanos instead).", "n")
		s.Legacy = true
		specs = append(specs, s)
	}
	return specs
}
