package extractor

import (
	"strings"
	"time"
)

// A compact port of chrono's strftime parsing (format/strftime.rs items, format/parse.rs,
// format/parsed.rs resolution) for the datetime extractor. Private to this package.

type dtKind uint8

const (
	dtLiteral      dtKind = iota // exact text (chrono's Literal and Space items)
	dtNumeric                    // a numeric field
	dtShortMonth                 // %b %h
	dtLongMonth                  // %B
	dtShortWeekday               // %a
	dtLongWeekday                // %A
	dtAmPm                       // %p %P
	dtNanoDot                    // %.f %.3f %.6f %.9f
	dtNanoFixed                  // %3f %6f %9f
	dtTZName                     // %Z
	dtTZOffset                   // %z %:z %::z %:::z
	dtTZOffsetZ                  // %#z (permissive: Z, missing minutes)
	dtRFC3339                    // %+
)

// dtField names the Parsed field a numeric item sets.
type dtField uint8

const (
	fYear dtField = iota
	fYearDiv100
	fYearMod100
	fIsoYear
	fIsoYearMod100
	fMonth
	fDay
	fWeekFromSun
	fWeekFromMon
	fIsoWeek
	fNumDaysFromSun
	fWeekdayFromMon
	fOrdinal
	fHour
	fHour12
	fMinute
	fSecond
	fNanosecond
	fTimestamp
)

type dtItem struct {
	kind  dtKind
	lit   string
	field dtField
	n     int // digits of dtNanoFixed
}

func num(f dtField) dtItem { return dtItem{kind: dtNumeric, field: f} }
func lit(s string) dtItem  { return dtItem{kind: dtLiteral, lit: s} }

// dtSpecs maps the single-letter specifiers to their items.
var dtSpecs = map[byte][]dtItem{
	'Y': {num(fYear)}, 'C': {num(fYearDiv100)}, 'y': {num(fYearMod100)},
	'G': {num(fIsoYear)}, 'g': {num(fIsoYearMod100)},
	'm': {num(fMonth)}, 'b': {{kind: dtShortMonth}}, 'h': {{kind: dtShortMonth}}, 'B': {{kind: dtLongMonth}},
	'd': {num(fDay)}, 'e': {num(fDay)},
	'a': {{kind: dtShortWeekday}}, 'A': {{kind: dtLongWeekday}},
	'w': {num(fNumDaysFromSun)}, 'u': {num(fWeekdayFromMon)},
	'U': {num(fWeekFromSun)}, 'W': {num(fWeekFromMon)}, 'V': {num(fIsoWeek)}, 'j': {num(fOrdinal)},
	'D': {num(fMonth), lit("/"), num(fDay), lit("/"), num(fYearMod100)},
	'x': {num(fMonth), lit("/"), num(fDay), lit("/"), num(fYearMod100)},
	'F': {num(fYear), lit("-"), num(fMonth), lit("-"), num(fDay)},
	'v': {num(fDay), lit("-"), {kind: dtShortMonth}, lit("-"), num(fYear)},
	'H': {num(fHour)}, 'k': {num(fHour)}, 'I': {num(fHour12)}, 'l': {num(fHour12)},
	'P': {{kind: dtAmPm}}, 'p': {{kind: dtAmPm}},
	'M': {num(fMinute)}, 'S': {num(fSecond)}, 'f': {num(fNanosecond)},
	'R': {num(fHour), lit(":"), num(fMinute)},
	'T': {num(fHour), lit(":"), num(fMinute), lit(":"), num(fSecond)},
	'X': {num(fHour), lit(":"), num(fMinute), lit(":"), num(fSecond)},
	'r': {num(fHour12), lit(":"), num(fMinute), lit(":"), num(fSecond), lit(" "), {kind: dtAmPm}},
	'c': {{kind: dtShortWeekday}, lit(" "), {kind: dtShortMonth}, lit(" "), num(fDay), lit(" "),
		num(fHour), lit(":"), num(fMinute), lit(":"), num(fSecond), lit(" "), num(fYear)},
	'Z': {{kind: dtTZName}}, 'z': {{kind: dtTZOffset}}, '+': {{kind: dtRFC3339}},
	's': {num(fTimestamp)}, 't': {lit("\t")}, 'n': {lit("\n")}, '%': {lit("%")},
}

// parseStrftime turns a format into items; false when it has an invalid specifier.
func parseStrftime(f string) ([]dtItem, bool) {
	var items []dtItem
	for len(f) > 0 {
		i := strings.IndexByte(f, '%')
		if i != 0 {
			if i < 0 {
				i = len(f)
			}
			items = append(items, lit(f[:i]))
			f = f[i:]
			continue
		}
		f = f[1:]
		if f != "" && (f[0] == '-' || f[0] == '_' || f[0] == '0') {
			f = f[1:] // padding modifiers change formatting only
		}
		if f == "" {
			return items, false
		}
		switch {
		case strings.HasPrefix(f, ".f"):
			items, f = append(items, dtItem{kind: dtNanoDot}), f[2:]
		case strings.HasPrefix(f, ".3f"), strings.HasPrefix(f, ".6f"), strings.HasPrefix(f, ".9f"):
			items, f = append(items, dtItem{kind: dtNanoDot}), f[3:]
		case strings.HasPrefix(f, "3f"), strings.HasPrefix(f, "6f"), strings.HasPrefix(f, "9f"):
			items, f = append(items, dtItem{kind: dtNanoFixed, n: int(f[0] - '0')}), f[2:]
		case strings.HasPrefix(f, ":z"):
			items, f = append(items, dtItem{kind: dtTZOffset}), f[2:]
		case strings.HasPrefix(f, "::z"):
			items, f = append(items, dtItem{kind: dtTZOffset}), f[3:]
		case strings.HasPrefix(f, ":::z"):
			items, f = append(items, dtItem{kind: dtTZOffset}), f[4:]
		case strings.HasPrefix(f, "#z"):
			items, f = append(items, dtItem{kind: dtTZOffsetZ}), f[2:]
		default:
			spec, ok := dtSpecs[f[0]]
			if !ok {
				return items, false
			}
			items, f = append(items, spec...), f[1:]
		}
	}
	return items, true
}

// opt is an optional parsed field.
type opt struct {
	v  int64
	ok bool
}

// dtParsed collects parsed fields (chrono's Parsed).
type dtParsed struct {
	year, yearDiv100, yearMod100, isoYear, isoYearDiv100, isoYearMod100 opt
	month, weekFromSun, weekFromMon, isoWeek, weekday, ordinal, day     opt
	hourDiv12, hourMod12, minute, second, nanosecond, timestamp, offset opt
}

// set sets a field, failing when it already holds another value.
func (o *opt) set(v int64) bool {
	if o.ok {
		return o.v == v
	}
	o.v, o.ok = v, true
	return true
}

func (o *opt) setIn(v, lo, hi int64) bool { return v >= lo && v <= hi && o.set(v) }

func (p *dtParsed) setNumeric(f dtField, v int64) bool {
	switch f {
	case fYear:
		return p.year.setIn(v, -1<<31, 1<<31-1)
	case fYearDiv100:
		return p.yearDiv100.setIn(v, 0, 1<<31-1)
	case fYearMod100:
		return p.yearMod100.setIn(v, 0, 99)
	case fIsoYear:
		return p.isoYear.setIn(v, -1<<31, 1<<31-1)
	case fIsoYearMod100:
		return p.isoYearMod100.setIn(v, 0, 99)
	case fMonth:
		return p.month.setIn(v, 1, 12)
	case fDay:
		return p.day.setIn(v, 1, 31)
	case fWeekFromSun:
		return p.weekFromSun.setIn(v, 0, 53)
	case fWeekFromMon:
		return p.weekFromMon.setIn(v, 0, 53)
	case fIsoWeek:
		return p.isoWeek.setIn(v, 1, 53)
	case fNumDaysFromSun:
		return v >= 0 && v <= 6 && p.weekday.set(v) // weekday is kept as days from Sunday
	case fWeekdayFromMon:
		return v >= 1 && v <= 7 && p.weekday.set(v%7)
	case fOrdinal:
		return p.ordinal.setIn(v, 1, 366)
	case fHour:
		return v >= 0 && v <= 23 && p.hourDiv12.set(v/12) && p.hourMod12.set(v%12)
	case fHour12:
		return v >= 1 && v <= 12 && p.hourMod12.set(v%12)
	case fMinute:
		return p.minute.setIn(v, 0, 59)
	case fSecond:
		return p.second.setIn(v, 0, 60)
	case fNanosecond:
		return p.nanosecond.setIn(v, 0, 999_999_999)
	case fTimestamp:
		return p.timestamp.set(v)
	}
	return false
}

// fieldWidth is the maximum digit count of a numeric field and whether it takes a sign.
func fieldWidth(f dtField) (int, bool) {
	switch f {
	case fYear, fIsoYear:
		return 4, true
	case fNumDaysFromSun, fWeekdayFromMon:
		return 1, false
	case fOrdinal:
		return 3, false
	case fNanosecond:
		return 9, false
	case fTimestamp:
		return 1 << 30, false
	}
	return 2, false
}

// scanNumber reads between min and max ASCII digits (chrono's scan::number).
func scanNumber(s string, min, max int) (string, int64, bool) {
	if len(s) < min {
		return s, 0, false
	}
	var n int64
	i := 0
	for ; i < len(s) && i < max; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			break
		}
		if n > (1<<63-1-int64(c-'0'))/10 {
			return s, 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if i < min {
		return s, 0, false
	}
	return s[i:], n, true
}

// scanNanos reads a fraction of 1 to 9 digits (more are skipped) as nanoseconds.
func scanNanos(s string) (string, int64, bool) {
	rest, v, ok := scanNumber(s, 1, 9)
	if !ok {
		return s, 0, false
	}
	for i := len(s) - len(rest); i < 9; i++ {
		v *= 10
	}
	return strings.TrimLeft(rest, "0123456789"), v, true
}

// scanFixedNanos reads exactly n digits as a fraction.
func scanFixedNanos(s string, n int) (string, int64, bool) {
	rest, v, ok := scanNumber(s, n, n)
	if !ok {
		return s, 0, false
	}
	for i := n; i < 9; i++ {
		v *= 10
	}
	return rest, v, true
}

var monthNames = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
var weekdayNames = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// scanName matches a three-letter abbreviation (any case) of one of names, then, when long, the
// rest of the full name if it follows.
func scanName(s string, names []string, long bool) (string, int, bool) {
	if len(s) < 3 {
		return s, 0, false
	}
	for i, n := range names {
		if !strings.EqualFold(s[:3], n[:3]) {
			continue
		}
		s = s[3:]
		if suffix := n[3:]; long && len(s) >= len(suffix) && strings.EqualFold(s[:len(suffix)], suffix) {
			s = s[len(suffix):]
		}
		return s, i, true
	}
	return s, 0, false
}

// scanOffset reads a UTC offset `±hh[:]mm` in seconds (chrono's scan::timezone_offset with
// colon_or_space separators); allowZ accepts `Z`/`z`, allowNoMinutes `±hh`.
func scanOffset(s string, allowZ, allowNoMinutes bool) (string, int64, bool) {
	if allowZ && s != "" && (s[0] == 'Z' || s[0] == 'z') {
		return s[1:], 0, true
	}
	neg := false
	switch {
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	case strings.HasPrefix(s, "-"):
		s, neg = s[1:], true
	case strings.HasPrefix(s, "\u2212"):
		s, neg = s[len("\u2212"):], true
	default:
		return s, 0, false
	}
	if len(s) < 2 || !isDigit(s[0]) || !isDigit(s[1]) {
		return s, 0, false
	}
	hours := int64(s[0]-'0')*10 + int64(s[1]-'0')
	s = strings.TrimLeftFunc(s[2:], func(r rune) bool { return r == ':' || isSpaceRune(r) })
	var minutes int64
	switch {
	case len(s) >= 2:
		if !isDigit(s[0]) || !isDigit(s[1]) || s[0] > '5' {
			return s, 0, false
		}
		minutes = int64(s[0]-'0')*10 + int64(s[1]-'0')
		s = s[2:]
	case len(s) == 0 && allowNoMinutes:
	default:
		return s, 0, false
	}
	secs := hours*3600 + minutes*60
	if neg {
		secs = -secs
	}
	return s, secs, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isSpaceRune(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

func trimSpace(s string) string { return strings.TrimLeftFunc(s, isSpaceRune) }

// rfc3339Items are the fields of %+ before the offset.
var (
	rfc3339Date = []dtItem{num(fYear), lit("-"), num(fMonth), lit("-"), num(fDay)}
	rfc3339Time = []dtItem{num(fHour), lit(":"), num(fMinute), lit(":"), num(fSecond), {kind: dtNanoDot}}
)

// run parses s with items, returning the unconsumed rest.
func (p *dtParsed) run(s string, items []dtItem) (string, bool) {
	for _, it := range items {
		var ok bool
		switch it.kind {
		case dtLiteral:
			s, ok = strings.CutPrefix(s, it.lit)
		case dtNumeric:
			width, signed := fieldWidth(it.field)
			s = trimSpace(s)
			var v int64
			switch {
			case signed && strings.HasPrefix(s, "-"):
				s, v, ok = scanNumber(s[1:], 1, 1<<30)
				v = -v
			case signed && strings.HasPrefix(s, "+"):
				s, v, ok = scanNumber(s[1:], 1, 1<<30)
			default:
				s, v, ok = scanNumber(s, 1, width)
			}
			ok = ok && p.setNumeric(it.field, v)
		case dtShortMonth, dtLongMonth:
			var m int
			s, m, ok = scanName(s, monthNames, it.kind == dtLongMonth)
			ok = ok && p.month.set(int64(m+1))
		case dtShortWeekday, dtLongWeekday:
			var d int
			s, d, ok = scanName(s, weekdayNames, it.kind == dtLongWeekday)
			ok = ok && p.weekday.set(int64(d))
		case dtAmPm:
			if len(s) >= 2 && (s[1]|32) == 'm' && ((s[0]|32) == 'a' || (s[0]|32) == 'p') {
				pm := int64(0)
				if s[0]|32 == 'p' {
					pm = 1
				}
				ok = p.hourDiv12.set(pm)
				s = s[2:]
			}
		case dtNanoDot:
			ok = true
			if rest, found := strings.CutPrefix(s, "."); found {
				var v int64
				s, v, ok = scanNanos(rest)
				ok = ok && p.nanosecond.set(v)
			}
		case dtNanoFixed:
			var v int64
			s, v, ok = scanFixedNanos(s, it.n)
			ok = ok && p.nanosecond.set(v)
		case dtTZName:
			s = strings.TrimLeftFunc(s, func(r rune) bool { return !isSpaceRune(r) })
			ok = true
		case dtTZOffset, dtTZOffsetZ:
			var off int64
			s, off, ok = scanOffset(trimSpace(s), it.kind == dtTZOffsetZ, it.kind == dtTZOffsetZ)
			ok = ok && p.offset.set(off)
		case dtRFC3339:
			if s, ok = p.run(s, rfc3339Date); !ok {
				return s, false
			}
			if s == "" || (s[0] != 'T' && s[0] != 't' && s[0] != ' ') {
				return s, false
			}
			if s, ok = p.run(s[1:], rfc3339Time); !ok {
				return s, false
			}
			s = trimSpace(s)
			var off int64
			if len(s) >= 3 && strings.EqualFold(s[:3], "UTC") {
				s, ok = s[3:], true
			} else {
				s, off, ok = scanOffset(s, true, false)
			}
			ok = ok && p.offset.set(off)
		}
		if !ok {
			return s, false
		}
	}
	return s, true
}

// resolveYear combines a full year with its century and two-digit forms (chrono's resolve_year).
func resolveYear(y, q, r opt) (opt, bool) {
	switch {
	case !q.ok && !r.ok:
		return y, true
	case y.ok:
		if y.v < 0 || (q.ok && q.v != y.v/100) || (r.ok && r.v != y.v%100) {
			return opt{}, false
		}
		return y, true
	case q.ok && r.ok:
		return opt{q.v*100 + r.v, true}, true
	case r.ok:
		if r.v < 70 {
			return opt{r.v + 2000, true}, true
		}
		return opt{r.v + 1900, true}, true
	}
	return opt{}, false // a century alone is not enough
}

// civil is a proleptic Gregorian date.
type civil struct {
	t time.Time // midnight UTC of the date
}

func ymd(y, m, d int64) (civil, bool) {
	if m < 1 || m > 12 || d < 1 || y < -262143 || y > 262142 {
		return civil{}, false
	}
	t := time.Date(int(y), time.Month(m), int(d), 0, 0, 0, 0, time.UTC)
	if t.Day() != int(d) {
		return civil{}, false
	}
	return civil{t}, true
}

func yo(y, o int64) (civil, bool) {
	if o < 1 || o > 366 || y < -262143 || y > 262142 {
		return civil{}, false
	}
	t := time.Date(int(y), 1, int(o), 0, 0, 0, 0, time.UTC)
	if int64(t.Year()) != y {
		return civil{}, false
	}
	return civil{t}, true
}

func (c civil) weekday() int64 { return int64(c.t.Weekday()) } // days from Sunday
func (c civil) ordinal() int64 { return int64(c.t.YearDay()) }
func (c civil) addDays(n int64) civil {
	return civil{c.t.AddDate(0, 0, int(n))}
}

// weeksFrom is chrono's NaiveDate::weeks_from: the week number with weeks starting on start.
func (c civil) weeksFrom(start int64) int64 {
	daysFrom := (c.weekday() - start + 7) % 7
	return (c.ordinal() - daysFrom + 6) / 7
}

// isoYWD builds a date from an ISO week date.
func isoYWD(y, w, wd int64) (civil, bool) {
	jan4, ok := ymd(y, 1, 4)
	if !ok {
		return civil{}, false
	}
	_, weeks := time.Date(int(y), 12, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	if w < 1 || int64(weeks) < w {
		return civil{}, false
	}
	mondayOfWeek1 := jan4.addDays(-((jan4.weekday() + 6) % 7))
	return mondayOfWeek1.addDays((w-1)*7 + (wd+6)%7), true
}

// toDate resolves the date fields (chrono's Parsed::to_naive_date).
func (p *dtParsed) toDate() (civil, bool) {
	year, ok := resolveYear(p.year, p.yearDiv100, p.yearMod100)
	if !ok {
		return civil{}, false
	}
	isoYear, ok := resolveYear(p.isoYear, p.isoYearDiv100, p.isoYearMod100)
	if !ok {
		return civil{}, false
	}
	var date civil
	switch {
	case year.ok && p.month.ok && p.day.ok:
		date, ok = ymd(year.v, p.month.v, p.day.v)
	case year.ok && p.ordinal.ok:
		date, ok = yo(year.v, p.ordinal.v)
	case year.ok && p.weekFromSun.ok && p.weekday.ok:
		date, ok = weekDate(year.v, p.weekFromSun.v, p.weekday.v, 0)
	case year.ok && p.weekFromMon.ok && p.weekday.ok:
		date, ok = weekDate(year.v, p.weekFromMon.v, p.weekday.v, 1)
	case isoYear.ok && p.isoWeek.ok && p.weekday.ok:
		date, ok = isoYWD(isoYear.v, p.isoWeek.v, p.weekday.v)
	default:
		return civil{}, false
	}
	if !ok {
		return civil{}, false
	}
	// Verify every other given field against the date.
	y := int64(date.t.Year())
	if (p.year.ok && p.year.v != y) || (p.month.ok && p.month.v != int64(date.t.Month())) ||
		(p.day.ok && p.day.v != int64(date.t.Day())) || (p.ordinal.ok && p.ordinal.v != date.ordinal()) ||
		(p.weekday.ok && p.weekday.v != date.weekday()) ||
		(p.weekFromSun.ok && p.weekFromSun.v != date.weeksFrom(0)) ||
		(p.weekFromMon.ok && p.weekFromMon.v != date.weeksFrom(1)) {
		return civil{}, false
	}
	if y >= 0 {
		if (p.yearDiv100.ok && p.yearDiv100.v != y/100) || (p.yearMod100.ok && p.yearMod100.v != y%100) {
			return civil{}, false
		}
	} else if p.yearDiv100.ok || p.yearMod100.ok {
		return civil{}, false
	}
	iy, iw := date.t.ISOWeek()
	if (p.isoWeek.ok && p.isoWeek.v != int64(iw)) || (isoYear.ok && isoYear.v != int64(iy)) {
		return civil{}, false
	}
	return date, true
}

// weekDate builds a date from a year, a week number (weeks starting on Sunday, start=0, or Monday,
// start=1; week 1 starts at the first such day) and a weekday.
func weekDate(year, week, weekday, start int64) (civil, bool) {
	newyear, ok := yo(year, 1)
	if !ok {
		return civil{}, false
	}
	firstweek := (7 - (newyear.weekday() - start) + 7) % 7 // days until the first week start
	ndays := firstweek + (week-1)*7 + (weekday-start+7)%7
	date := newyear.addDays(ndays)
	if int64(date.t.Year()) != year {
		return civil{}, false
	}
	return date, true
}

// toTime resolves the time fields: seconds since midnight and nanoseconds (≥ 1e9 for a leap
// second), as chrono's Parsed::to_naive_time.
func (p *dtParsed) toTime() (int64, int64, bool) {
	if !p.hourDiv12.ok || !p.hourMod12.ok || !p.minute.ok {
		return 0, 0, false
	}
	sec := p.second.v // 0 when absent
	var nano int64
	if sec == 60 {
		sec, nano = 59, 1_000_000_000
	}
	if p.nanosecond.ok {
		if !p.second.ok {
			return 0, 0, false
		}
		nano += p.nanosecond.v
	}
	return (p.hourDiv12.v*12+p.hourMod12.v)*3600 + p.minute.v*60 + sec, nano, true
}

// toDateTime resolves the local date and time (chrono's to_naive_datetime_with_offset) as
// seconds since the epoch of the local time, and nanoseconds.
func (p *dtParsed) toDateTime(offset int64) (int64, int64, bool) {
	date, dok := p.toDate()
	secs, nano, tok := p.toTime()
	if dok && tok {
		local := date.t.Unix() + secs
		if p.timestamp.ok {
			ts := local - offset
			if p.timestamp.v != ts && !(nano >= 1_000_000_000 && p.timestamp.v == ts+1) {
				return 0, 0, false
			}
		}
		return local, nano, true
	}
	if !p.timestamp.ok {
		return 0, 0, false
	}
	// Rebuild the date and time from the timestamp, checking the fields that were given.
	ts := p.timestamp.v + offset
	if ts < -8334601228800 || ts > 8210266876799 { // chrono's NaiveDateTime range
		return 0, 0, false
	}
	t := time.Unix(ts, 0).UTC()
	q := *p
	if q.second.ok && q.second.v == 60 {
		switch t.Second() {
		case 59:
		case 0:
			t = t.Add(-time.Second)
		default:
			return 0, 0, false
		}
	} else if !q.second.set(int64(t.Second())) {
		return 0, 0, false
	}
	if !q.year.set(int64(t.Year())) || !q.ordinal.set(int64(t.YearDay())) ||
		!q.hourDiv12.set(int64(t.Hour()/12)) || !q.hourMod12.set(int64(t.Hour()%12)) || !q.minute.set(int64(t.Minute())) {
		return 0, 0, false
	}
	date, dok = q.toDate()
	secs, nano, tok = q.toTime()
	if !dok || !tok {
		return 0, 0, false
	}
	return date.t.Unix() + secs, nano, true
}
