package stdlib

import (
	"testing"
	"time"

	"github.com/rillstream/rill/interp/value"
)

// 1700000000 s = Tue 2023-11-14 22:13:20 UTC; 1690000000 s = Sat 2023-07-22 04:26:40 UTC.
const (
	tsNov = `1700000000000000000`
	tsJul = `1690000000000000000`
)

func TestDatetimeFormat(t *testing.T) {
	const ferr = "error: Runtime error in function datetime::format/2: "
	runCases(t, nil, []fnCase{
		{fn: "datetime::format", args: `[0, "%Y-%m-%d %H:%M:%S"]`, want: `"1970-01-01 00:00:00"`},
		{fn: "datetime::format", args: `[0, "%e|%-d|%_m|%0e|%j|%y|%C|%G|%g|%V|%U|%W|%u|%w"]`, want: `" 1|1| 1|01|001|70|19|1970|70|01|00|00|4|4"`},
		{fn: "datetime::format", args: `[0, "%a %A %b %h %B"]`, want: `"Thu Thursday Jan Jan January"`},
		{fn: "datetime::format", args: `[0, "%p %P %I %l %k %H"]`, want: `"AM am 12 12  0 00"`},
		{fn: "datetime::format", args: `[0, "%D|%x|%F|%v|%R|%T|%X|%r"]`, want: `"01/01/70|01/01/70|1970-01-01| 1-Jan-1970|00:00|00:00:00|00:00:00|12:00:00 AM"`},
		{fn: "datetime::format", args: `[0, "%c"]`, want: `"Thu Jan  1 00:00:00 1970"`},
		{fn: "datetime::format", args: `[0, "%s|%%|%t|%n|%Z|%z|%:z|%::z|%:::z|%#z|%+"]`, want: `"0|%|\t|\n|UTC|+0000|+00:00|+00:00:00|+00|Z|1970-01-01T00:00:00+00:00"`},
		{fn: "datetime::format", args: `[1500000000, "%f|%.f|%.3f|%.6f|%.9f|%3f|%6f|%9f"]`, want: `"500000000|.500|.500|.500000|.500000000|500|500000|500000000"`},
		{fn: "datetime::format", args: `[1000, "%.f"]`, want: `".000001"`},
		{fn: "datetime::format", args: `[1, "%.f"]`, want: `".000000001"`},
		{fn: "datetime::format", args: `[0, "%.f"]`, want: `""`},
		{fn: "datetime::format", args: `[` + tsNov + `, "%Y-%m-%d %H:%M:%S %a %j %U %W %V %s"]`, want: `"2023-11-14 22:13:20 Tue 318 46 46 46 1700000000"`},
		{fn: "datetime::format", args: `[` + tsNov + `, "%I:%M %p %l %P"]`, want: `"10:13 PM 10 pm"`},
		{fn: "datetime::format", args: `[0, "%Q"]`, want: ferr + "Invalid format string: %Q"},
		{fn: "datetime::format", args: `[0, "%"]`, want: ferr + "Invalid format string: %"},
		{fn: "datetime::format", args: `[0, "%-b"]`, want: ferr + "Invalid format string: %-b"},
		{fn: "datetime::format", args: `[0, "%-D"]`, want: ferr + "Invalid format string: %-D"},
		{fn: "datetime::format", args: `[0, "%#Y"]`, want: ferr + "Invalid format string: %#Y"},
		{fn: "datetime::format", args: `[0, 1]`, want: "error: Bad type passed to function datetime::format/2"},
		// timezones: IANA names (with DST) and fixed offsets
		{fn: "datetime::format", args: `[{"timestamp": ` + tsNov + `, "tz": "Europe/Paris"}, "%Y-%m-%d %H:%M:%S %Z %z"]`, want: `"2023-11-14 23:13:20 CET +0100"`},
		{fn: "datetime::format", args: `[{"timestamp": ` + tsJul + `, "tz": "Europe/Paris"}, "%H:%M %Z %:z"]`, want: `"06:26 CEST +02:00"`},
		{fn: "datetime::format", args: `[{"timestamp": ` + tsNov + `, "tz": "America/New_York"}, "%F %T %Z %z"]`, want: `"2023-11-14 17:13:20 EST -0500"`},
		{fn: "datetime::format", args: `[{"timestamp": ` + tsNov + `, "tz": "+05:30"}, "%F %T %Z %z"]`, want: `"2023-11-15 03:43:20 +05:30 +0530"`},
		{fn: "datetime::format", args: `[{"timestamp": ` + tsNov + `, "tz": "-0230"}, "%T %Z"]`, want: `"19:43:20 -02:30"`},
		{fn: "datetime::format", args: `[{"timestamp": ` + tsNov + `, "tz": "+01"}, "%T %:z"]`, want: `"23:13:20 +01:00"`},
		{fn: "datetime::format", args: `[{"timestamp": ` + tsNov + `, "tz": "UTC"}, "%T %Z"]`, want: `"22:13:20 UTC"`},
		{fn: "datetime::format", args: `[{"timestamp": ` + tsNov + `}, "%T"]`, want: `"22:13:20"`},
	})
}

func TestDatetimeRFC(t *testing.T) {
	runCases(t, nil, []fnCase{
		{fn: "datetime::rfc3339", args: `[0]`, want: `"1970-01-01T00:00:00+00:00"`},
		{fn: "datetime::rfc3339", args: `[1500000000]`, want: `"1970-01-01T00:00:01.500+00:00"`},
		{fn: "datetime::rfc3339", args: `[1000]`, want: `"1970-01-01T00:00:00.000001+00:00"`},
		{fn: "datetime::rfc3339", args: `[1000001]`, want: `"1970-01-01T00:00:00.001000001+00:00"`},
		{fn: "datetime::rfc3339", args: `[{"timestamp": ` + tsJul + `, "tz": "Europe/Paris"}]`, want: `"2023-07-22T06:26:40+02:00"`},
		{fn: "datetime::rfc3339", args: `[{"timestamp": ` + tsNov + `, "tz": "America/New_York"}]`, want: `"2023-11-14T17:13:20-05:00"`},
		{fn: "datetime::rfc2822", args: `[0]`, want: `"Thu, 01 Jan 1970 00:00:00 +0000"`},
		{fn: "datetime::rfc2822", args: `[{"timestamp": ` + tsNov + `, "tz": "+05:30"}]`, want: `"Wed, 15 Nov 2023 03:43:20 +0530"`},
	})
}

func TestDatetimeParse(t *testing.T) {
	const perr = "error: Runtime error in function datetime::parse/1: Datetime Parse Error: ParseError("
	runCases(t, nil, []fnCase{
		{fn: "datetime::parse", args: `["2023-11-14 22:13:20", "%Y-%m-%d %H:%M:%S"]`, want: tsNov},
		{fn: "datetime::parse", args: `["2023-11-14T23:13:20+01:00", "%Y-%m-%dT%H:%M:%S%:z"]`, want: tsNov},
		{fn: "datetime::parse", args: `["2023-11-14T17:13:20-0500", "%Y-%m-%dT%H:%M:%S%z"]`, want: tsNov},
		{fn: "datetime::parse", args: `["2023-11-14T22:13:20.5Z", "%+"]`, want: "1700000000500000000"},
		{fn: "datetime::parse", args: `["2023-11-14T23:13:20.123456789+01:00", "%+"]`, want: "1700000000123456789"},
		{fn: "datetime::parse", args: `["Tue, 14 Nov 2023 22:13:20 +0000", "%a, %d %b %Y %H:%M:%S %z"]`, want: tsNov},
		{fn: "datetime::parse", args: `["tuesday, 14 november 2023 22:13:20 +0000", "%A, %d %B %Y %H:%M:%S %z"]`, want: tsNov},
		{fn: "datetime::parse", args: `["14/Nov/2023:22:13:20 +0000", "%d/%b/%Y:%H:%M:%S %z"]`, want: tsNov},
		{fn: "datetime::parse", args: `["1700000000", "%s"]`, want: tsNov},
		{fn: "datetime::parse", args: `["2023-11-14 22:13:20.25", "%Y-%m-%d %H:%M:%S%.f"]`, want: "1700000000250000000"},
		{fn: "datetime::parse", args: `["2023-11-14 22:13:20", "%Y-%m-%d %H:%M:%S%.f"]`, want: tsNov},
		{fn: "datetime::parse", args: `["2023-11-14 22:13:20.250", "%Y-%m-%d %H:%M:%S.%3f"]`, want: "1700000000250000000"},
		{fn: "datetime::parse", args: `["12:30:00 PM 2023-11-14", "%I:%M:%S %p %Y-%m-%d"]`, want: "1699965000000000000"},
		{fn: "datetime::parse", args: `["12:30:00 am 2023-11-14", "%I:%M:%S %p %Y-%m-%d"]`, want: "1699921800000000000"},
		{fn: "datetime::parse", args: `["2023-318 22:13:20", "%Y-%j %H:%M:%S"]`, want: tsNov},
		{fn: "datetime::parse", args: `["2023-W46-2 22:13", "%G-W%V-%u %H:%M"]`, want: "1699999980000000000"},
		{fn: "datetime::parse", args: `["23-11-14 22:13:20", "%y-%m-%d %H:%M:%S"]`, want: tsNov},
		{fn: "datetime::parse", args: `["  2023-11-14   22:13:20", " %Y-%m-%d %H:%M:%S"]`, want: tsNov},
		{fn: "datetime::parse", args: `["1969-12-31 23:59:59", "%Y-%m-%d %H:%M:%S"]`, want: "-1000000000"},
		{fn: "datetime::parse", args: `["2023-11-14", "%Y-%m-%d"]`, want: perr + "NotEnough)"},
		{fn: "datetime::parse", args: `["2023-11-14 22:13:20", "%Y-%m-%d %H:%M:%S %z"]`, want: perr + "TooShort)"},
		{fn: "datetime::parse", args: `["2023-11-14 22:13:20 CET", "%Y-%m-%d %H:%M:%S %Z"]`, want: perr + "NotEnough)"},
		{fn: "datetime::parse", args: `["x", "%Y"]`, want: perr + "Invalid)"},
		{fn: "datetime::parse", args: `["2023-11-14 22:13:20 extra", "%Y-%m-%d %H:%M:%S"]`, want: perr + "TooLong)"},
		{fn: "datetime::parse", args: `["2023-11-1", "%Y-%m-%d %H"]`, want: perr + "TooShort)"},
		{fn: "datetime::parse", args: `["2023-13-01 00:00", "%Y-%m-%d %H:%M"]`, want: perr + "OutOfRange)"},
		{fn: "datetime::parse", args: `["2023-02-30 00:00", "%Y-%m-%d %H:%M"]`, want: perr + "OutOfRange)"},
		{fn: "datetime::parse", args: `["Wed, 14 Nov 2023 22:13:20 +0000", "%a, %d %b %Y %H:%M:%S %z"]`, want: perr + "Impossible)"},
		{fn: "datetime::parse", args: `["2023", "%Q"]`, want: perr + "BadFormat)"},
		{fn: "datetime::parse", args: `["1700000001 2023-11-14 22:13:20", "%s %Y-%m-%d %H:%M:%S"]`, want: perr + "Impossible)"},
	})
}

// TestDatetimeRoundTrip formats timestamps in several zones and parses them back.
func TestDatetimeRoundTrip(t *testing.T) {
	r := NewRegistry()
	format, _ := r.Lookup("datetime", "format")
	parse, _ := r.Lookup("datetime", "parse")
	for _, ns := range []uint64{0, 1700000000123456789, 1690000000000000000, 951782400000000000 /* 2000-02-29 */} {
		for _, tz := range []string{"UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "+05:30", "-11:00"} {
			for _, f := range []string{"%Y-%m-%dT%H:%M:%S%.f%:z", "%+", "%a, %d %b %Y %H:%M:%S.%9f %z", "%s.%f %z"} {
				rec := value.NewRec(2)
				rec.Set("timestamp", value.NewUint(ns))
				rec.Set("tz", value.NewString(tz))
				s, err := format.Call(nil, []value.Value{value.NewRecordValue(rec), value.NewString(f)})
				if err != nil {
					t.Fatalf("format %d %s %q: %v", ns, tz, f, err)
				}
				back, err := parse.Call(nil, []value.Value{s, value.NewString(f)})
				if err != nil {
					t.Errorf("parse %s with %q: %v", s, f, err)
					continue
				}
				if got, _ := back.AsU64(); got != ns {
					t.Errorf("round trip %d %s %q: %s → %d", ns, tz, f, s, got)
				}
			}
		}
	}
	// Go's time package agrees with the formatter on a dense sample of the calendar.
	for ns := int64(0); ns < 4e18; ns += 86_399_123_456_789 * 37 {
		for _, zone := range []string{"UTC", "Australia/Lord_Howe"} {
			loc, _ := time.LoadLocation(zone)
			tm := time.Unix(0, ns).In(loc)
			got, _ := strftimeFormat(tm, "%Y-%m-%d %H:%M:%S %z %a %j")
			if want := tm.Format("2006-01-02 15:04:05 -0700 Mon 002"); got != want {
				t.Fatalf("strftime %d %s = %q, want %q", ns, zone, got, want)
			}
		}
	}
}

func TestDatetimeParts(t *testing.T) {
	paris := `{"timestamp": ` + tsNov + `, "tz": "Europe/Paris"}`
	const pre = "error: Runtime error in function datetime::"
	runCases(t, nil, []fnCase{
		{fn: "datetime::year", args: `[` + tsNov + `]`, want: "2023"},
		{fn: "datetime::month", args: `[` + tsNov + `]`, want: "11"},
		{fn: "datetime::day_of_month", args: `[` + tsNov + `]`, want: "14"},
		{fn: "datetime::day_of_year", args: `[` + tsNov + `]`, want: "318"},
		{fn: "datetime::iso_week", args: `[` + tsNov + `]`, want: "46"},
		{fn: "datetime::hour", args: `[` + tsNov + `]`, want: "22"},
		{fn: "datetime::hour", args: `[` + paris + `]`, want: "23"},
		{fn: "datetime::minute", args: `[` + tsNov + `]`, want: "13"},
		{fn: "datetime::second", args: `[` + tsNov + `]`, want: "20"},
		{fn: "datetime::day_of_month", args: `[{"timestamp": ` + tsNov + `, "tz": "+05:30"}]`, want: "15"},
		{fn: "datetime::subsecond_millis", args: `[1700000000123456789]`, want: "123"},
		{fn: "datetime::subsecond_micros", args: `[1700000000123456789]`, want: "123456"},
		{fn: "datetime::subsecond_nanos", args: `[1700000000123456789]`, want: "123456789"},
		{fn: "datetime::iso_week", args: `[0]`, want: "1"},
		{fn: "datetime::year", args: `[1.5]`, want: pre + "year/1: Invalid datetime input of type f64"},
		{fn: "datetime::year", args: `[-1]`, want: pre + "year/1: Invalid datetime input of type i64"},
		{fn: "datetime::year", args: `["2023"]`, want: pre + "year/1: Invalid datetime input of type string"},
		{fn: "datetime::year", args: `[{"tz": "UTC"}]`, want: pre + `year/1: Missing or invalid "timestamp" field`},
		{fn: "datetime::year", args: `[{"timestamp": 1.0}]`, want: pre + `year/1: Missing or invalid "timestamp" field`},
		{fn: "datetime::year", args: `[{"timestamp": 0, "tz": "Mars/Base"}]`, want: pre + "year/1: Invalid timezone identifier Mars/Base"},
		{fn: "datetime::year", args: `[{"timestamp": 0, "tz": "Local"}]`, want: pre + "year/1: Invalid timezone identifier Local"},
		{fn: "datetime::year", args: `[{"timestamp": 0, "tz": "+25:00"}]`, want: pre + "year/1: Invalid timezone identifier +25:00"},
		{fn: "datetime::year", args: `[{"timestamp": 0, "tz": 42}]`, want: pre + "year/1: Invalid timezone identifier 42"},
	})
}

func TestDatetimeWithTimezoneAndLegacy(t *testing.T) {
	runCases(t, nil, []fnCase{
		{fn: "datetime::with_timezone", args: `[0, "Europe/Paris"]`, want: `{"timestamp":0,"tz":"Europe/Paris"}`, ordered: true},
		{fn: "datetime::with_timezone", args: `[{"timestamp": 5, "tz": "UTC"}, "-02:00"]`, want: `{"timestamp":5,"tz":"-02:00"}`, ordered: true},
		{fn: "datetime::with_timezone", args: `[0, "Nowhere"]`, want: "error: Runtime error in function datetime::with_timezone/2: Invalid timezone identifier Nowhere"},
		{fn: "datetime::with_timezone", args: `[0, 3]`, want: "error: Runtime error in function datetime::with_timezone/2: Invalid timezone identifier 3"},
		{fn: "datetime::with_nanoseconds", args: `[7]`, want: "7"},
		{fn: "datetime::with_microseconds", args: `[7]`, want: "7000"},
		{fn: "datetime::with_milliseconds", args: `[7]`, want: "7000000"},
		{fn: "datetime::with_seconds", args: `[2]`, want: "2000000000"},
		{fn: "datetime::with_seconds", args: `[-2]`, want: "-2000000000"},
		{fn: "datetime::with_minutes", args: `[1]`, want: "60000000000"},
		{fn: "datetime::with_hours", args: `[1]`, want: "3600000000000"},
		{fn: "datetime::with_days", args: `[1]`, want: "86400000000000"},
		{fn: "datetime::with_seconds", args: `[1.5]`, want: "error: Bad type passed to function datetime::with_seconds/1"},
		{fn: "datetime::with_seconds", args: `["1"]`, want: "error: Bad type passed to function datetime::with_seconds/1"},
		{fn: "datetime::with_days", args: `[18446744073709551615]`, want: "error: Runtime error in function datetime::with_days/1: arithmetic overflow"},
	})
}

// FuzzStrftime checks that formatting and parsing never panic, and that what the formatter
// writes for an offset-aware format parses back to the same instant.
func FuzzStrftime(f *testing.F) {
	for _, s := range []string{"%Y-%m-%d %H:%M:%S%.f%:z", "%+", "%a, %d %b %Y %H:%M:%S %z", "%s %#z", "%G-W%V-%u %T %z", "%-d%_m%0e %%%Z %j %U%W %z", "%", "%.3", "%:::z%z"} {
		f.Add(s, "2023-11-14T23:13:20.5+01:00", int64(1700000000123456789))
	}
	f.Fuzz(func(t *testing.T, format, input string, ns int64) {
		strftimeParse(input, format, true)
		strftimeParse(input, format, false)
		tm := time.Unix(0, ns).In(time.FixedZone("+01:00", 3600))
		out, ok := strftimeFormat(tm, format)
		if !ok {
			return
		}
		// only formats made of %+ and text pin the instant exactly
		rfc := false
		for _, it := range strftimeItems(format) {
			switch {
			case it.kind == itemFixed && it.fixed == fixRFC3339:
				rfc = true
			case it.kind != itemLiteral && it.kind != itemSpace:
				return
			}
		}
		if !rfc {
			return
		}
		if got, k := strftimeParse(out, format, true); k == parseOK && got != ns {
			t.Errorf("format %q: %d → %q → %d", format, ns, out, got)
		}
	})
}
