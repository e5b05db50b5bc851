package extractor

import (
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// datetime parses the input with the rule as a chrono strftime format (chrono's parse_from_str);
// the result is the instant as integer nanoseconds since the Unix epoch. A rule containing `%z`,
// `%Z`, `%+`, `%:z` or `%#z` parses offset-aware (DateTime::parse_from_str: an offset must be
// parsed, `%Z` alone only skips a zone name and so never suffices); any other rule parses a naive
// date and time taken as UTC. Like Tremor, which casts chrono's i64 nanoseconds to u64, instants
// before 1970 wrap around to large unsigned integers; instants outside chrono's nanosecond range
// (years 1677–2262) are no match.
//
// Parsing follows chrono 0.4.3x: literal text and whitespace in the format must appear exactly;
// numeric fields skip leading whitespace, then read up to their width in digits (%Y 4 with an
// optional sign for more, %m %d %H %M %S 2, %j 3, %f 9 read as a count of nanoseconds, %s any);
// %b/%B and %a/%A accept short or long English names in any case; %p/%P am/pm in any case;
// %.f %.3f %.6f %.9f an optional fraction after a dot; %3f %6f %9f exactly that many digits; %z and
// %:z `±hh[:]mm`; %#z also `Z` and `±hh`; %+ RFC 3339; %Z skips a zone name. The whole input must be
// consumed, then the fields must determine the date (year+month+day, year+day of year, year+week
// +weekday, or ISO year+week+weekday) and the time (hour and minute; seconds and fraction
// optional, a fraction only with seconds; %I needs %p), and redundant fields (weekday, %y with %Y,
// a timestamp with a date) must agree. An unknown specifier makes the rule never match (chrono
// reports a bad format at parse time, so Tremor compiles such a rule too).
type datetimeExtractor struct {
	items  []dtItem
	bad    bool // the format has an invalid specifier
	withTZ bool
}

func compileDatetime(rule string) Extractor {
	withTZ := false
	for _, s := range []string{"%z", "%Z", "%+", "%:z", "%#z"} {
		if strings.Contains(rule, s) {
			withTZ = true
		}
	}
	items, ok := parseStrftime(rule)
	return &datetimeExtractor{items: items, bad: !ok, withTZ: withTZ}
}

func (d *datetimeExtractor) Extract(v value.Value, result bool, _ uint64) (value.Value, bool) {
	s, ok := v.AsString()
	if !ok || d.bad {
		return value.Value{}, false
	}
	ns, ok := d.parse(s)
	if !ok {
		return value.Value{}, false
	}
	if !result {
		return matchTrue, true
	}
	return value.NewUint(uint64(ns)), true
}

// parse returns the nanoseconds since the epoch of s.
func (d *datetimeExtractor) parse(s string) (int64, bool) {
	var p dtParsed
	rest, ok := p.run(s, d.items)
	if !ok || rest != "" {
		return 0, false
	}
	var offset int64
	if d.withTZ {
		switch {
		case p.offset.ok:
			offset = p.offset.v
		case p.timestamp.ok:
			offset = 0
		default:
			return 0, false
		}
		if offset <= -86400 || offset >= 86400 {
			return 0, false
		}
	}
	secs, nano, ok := p.toDateTime(offset)
	if !ok {
		return 0, false
	}
	if !d.withTZ {
		offset = 0
	}
	return epochNanos(secs-offset, nano)
}

// epochNanos combines seconds and nanoseconds (which may exceed a second for a leap second) into
// i64 nanoseconds, reporting overflow.
func epochNanos(secs, nano int64) (int64, bool) {
	const maxSecs = (1<<63 - 1) / 1_000_000_000
	if secs > maxSecs+1 || secs < -maxSecs-1 {
		return 0, false
	}
	ns := secs * 1_000_000_000
	if (secs > 0 && ns < 0) || (secs < 0 && ns > 0) {
		return 0, false
	}
	r := ns + nano
	if nano > 0 && r < ns {
		return 0, false
	}
	return r, true
}
