package stdlib

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // IANA zones without relying on the host's /usr/share/zoneinfo

	"github.com/rillstream/rill/interp/value"
)

// datetimeImpls implements std::datetime and the legacy datetime::with_* helpers.
//
// A datetime argument is an integer nanosecond timestamp (UTC), or a record
// `{"timestamp": ns, "tz": tz}` whose tz is an IANA name ("Europe/Paris", "UTC") or a fixed
// offset `±HH:MM`, `±HHMM`, `±HH`; a missing tz is UTC. Tremor also accepts an integer index
// into chrono-tz's TZ_VARIANTS; that list changes with every tz database release and Rill does
// not reproduce it, so an integer tz is an "Invalid timezone identifier" error (Rill's
// std::datetime::timezones constants are IANA names instead).
func datetimeImpls(zones *zoneCache) map[string]Fn {
	// in returns the datetime argument as a time in its zone.
	in := func(v value.Value) (time.Time, error) {
		ns, tz, err := datetimeArg(v)
		if err != nil {
			return time.Time{}, err
		}
		loc := time.UTC
		if !tz.IsNull() {
			if loc, err = zones.resolve(tz); err != nil {
				return time.Time{}, err
			}
		}
		return time.Unix(0, ns).In(loc), nil
	}
	part := func(f func(t time.Time) int64) Fn {
		return fn1(func(v value.Value) (value.Value, error) {
			t, err := in(v)
			if err != nil {
				return value.NullValue, err
			}
			return intValue(f(t)), nil
		})
	}
	impls := map[string]Fn{
		"parse": func(_ Context, args []value.Value) (value.Value, error) {
			input, f, ok := strings2(args)
			if !ok {
				return badType()
			}
			withOffset := false
			for _, spec := range []string{"%z", "%Z", "%+", "%:z", "%#z"} {
				withOffset = withOffset || strings.Contains(f, spec)
			}
			ns, k := strftimeParse(input, f, withOffset)
			if k != parseOK {
				return fail("Datetime Parse Error: ParseError(" + k.String() + ")")
			}
			return intValue(ns), nil
		},
		// format fails on an invalid specifier; the message is Rill's (chrono cannot format one).
		"format": func(_ Context, args []value.Value) (value.Value, error) {
			f, ok := args[1].AsString()
			if !ok {
				return badType()
			}
			t, err := in(args[0])
			if err != nil {
				return value.NullValue, err
			}
			s, ok := strftimeFormat(t, f)
			if !ok {
				return fail("Invalid format string: " + f)
			}
			return value.NewString(s), nil
		},
		"rfc3339": fn1(func(v value.Value) (value.Value, error) {
			t, err := in(v)
			if err != nil {
				return value.NullValue, err
			}
			return value.NewString(rfc3339(t)), nil
		}),
		"rfc2822": fn1(func(v value.Value) (value.Value, error) {
			t, err := in(v)
			if err != nil {
				return value.NullValue, err
			}
			s, ok := rfc2822(t)
			if !ok {
				return fail("year out of range for RFC 2822")
			}
			return value.NewString(s), nil
		}),
		"with_timezone": func(_ Context, args []value.Value) (value.Value, error) {
			if _, _, err := datetimeArg(args[0]); err != nil {
				return value.NullValue, err
			}
			if _, err := zones.resolve(args[1]); err != nil {
				return value.NullValue, err
			}
			ts := args[0]
			if rec, ok := ts.AsRecord(); ok {
				ts, _ = rec.Get("timestamp")
			}
			r := value.NewRec(2)
			r.Set("timestamp", ts)
			r.Set("tz", args[1])
			return value.NewRecordValue(r), nil
		},
		"year":  part(func(t time.Time) int64 { return int64(t.Year()) }),
		"month": part(func(t time.Time) int64 { return int64(t.Month()) }),
		"iso_week": part(func(t time.Time) int64 {
			_, w := t.ISOWeek()
			return int64(w)
		}),
		"day_of_month":     part(func(t time.Time) int64 { return int64(t.Day()) }),
		"day_of_year":      part(func(t time.Time) int64 { return int64(t.YearDay()) }),
		"hour":             part(func(t time.Time) int64 { return int64(t.Hour()) }),
		"minute":           part(func(t time.Time) int64 { return int64(t.Minute()) }),
		"second":           part(func(t time.Time) int64 { return int64(t.Second()) }),
		"subsecond_millis": part(func(t time.Time) int64 { return int64(t.Nanosecond() / 1_000_000) }),
		"subsecond_micros": part(func(t time.Time) int64 { return int64(t.Nanosecond() / 1_000) }),
		"subsecond_nanos":  part(func(t time.Time) int64 { return int64(t.Nanosecond()) }),
	}
	for name, unit := range map[string]uint64{
		"with_nanoseconds":  1,
		"with_microseconds": 1_000,
		"with_milliseconds": 1_000_000,
		"with_seconds":      1_000_000_000,
		"with_minutes":      60 * 1_000_000_000,
		"with_hours":        3600 * 1_000_000_000,
		"with_days":         86400 * 1_000_000_000,
	} {
		impls[name] = withUnit(unit)
	}
	return impls
}

// withUnit is a legacy datetime::with_* helper: n × unit nanoseconds in integer math; a
// non-integer is a Bad type, an overflow a runtime error.
func withUnit(unit uint64) Fn {
	return fn1(func(v value.Value) (value.Value, error) {
		if u, ok := v.AsU64(); ok {
			if u > math.MaxUint64/unit {
				return fail("arithmetic overflow")
			}
			return value.NewUint(u * unit), nil
		}
		i, ok := v.AsI64()
		if !ok {
			return badType()
		}
		if i < math.MinInt64/int64(unit) {
			return fail("arithmetic overflow")
		}
		return value.NewInt(i * int64(unit)), nil
	})
}

// datetimeArg splits a datetime argument into its nanosecond timestamp and its tz value (null
// for a bare timestamp or a record without tz).
func datetimeArg(v value.Value) (int64, value.Value, error) {
	if ns, ok := v.AsU64(); ok {
		return int64(ns), value.NullValue, nil
	}
	r, ok := v.AsRecord()
	if !ok {
		return 0, value.NullValue, runtimeErr("Invalid datetime input of type " + v.ValueTraitName())
	}
	ts, ok := r.Get("timestamp")
	if !ok {
		return 0, value.NullValue, runtimeErr(`Missing or invalid "timestamp" field`)
	}
	ns, ok := ts.AsU64()
	if !ok {
		return 0, value.NullValue, runtimeErr(`Missing or invalid "timestamp" field`)
	}
	tz, _ := r.Get("tz")
	return int64(ns), tz, nil
}

// zoneCache resolves tz values to locations, remembering IANA zones already loaded (loading one
// reads the tz database). It belongs to one Registry and is safe for concurrent use.
type zoneCache struct {
	mu    sync.Mutex
	zones map[string]*time.Location
}

func newZoneCache() *zoneCache { return &zoneCache{zones: map[string]*time.Location{}} }

// resolve returns the location a tz value names: a fixed offset or an IANA zone name.
func (c *zoneCache) resolve(tz value.Value) (*time.Location, error) {
	name, ok := tz.AsString()
	if !ok {
		return nil, invalidTZ(tz)
	}
	if off, ok := parseFixedOffset(name); ok {
		return time.FixedZone(formatOffsetName(off), off), nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if loc, ok := c.zones[name]; ok {
		return loc, nil
	}
	// Go also accepts "" and "Local", which are no IANA names.
	if name == "" || name == "Local" {
		return nil, invalidTZ(tz)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, invalidTZ(tz)
	}
	c.zones[name] = loc
	return loc, nil
}

func invalidTZ(tz value.Value) error {
	s, ok := tz.AsString()
	if !ok {
		s = value.Encode(tz)
	}
	return runtimeErr("Invalid timezone identifier " + s)
}

// parseFixedOffset reads `±HH:MM`, `±HHMM` or `±HH` (a sign is required, as in chrono's
// FixedOffset::from_str) into seconds east of UTC; hours must be below 24, minutes below 60.
func parseFixedOffset(s string) (int, bool) {
	if len(s) < 3 || s[0] != '+' && s[0] != '-' {
		return 0, false
	}
	var digits string
	switch len(s) {
	case 3, 5: // ±HH, ±HHMM
		digits = s[1:]
	case 6: // ±HH:MM
		if s[3] != ':' {
			return 0, false
		}
		digits = s[1:3] + s[4:]
	default:
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if !isDigit(digits[i]) {
			return 0, false
		}
	}
	h, _ := strconv.Atoi(digits[:2])
	m := 0
	if len(digits) == 4 {
		m, _ = strconv.Atoi(digits[2:])
	}
	if h >= 24 || m >= 60 {
		return 0, false
	}
	off := h*3600 + m*60
	if s[0] == '-' {
		off = -off
	}
	return off, true
}

// formatOffsetName is chrono's FixedOffset Display, the zone name %Z shows: "+01:00".
func formatOffsetName(off int) string {
	var b strings.Builder
	writeOffset(&b, off, false, 2)
	return b.String()
}
