package stdlib

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// A port of chrono 0.4's strftime formatting and parsing (format/strftime.rs, format/parse.rs,
// format/parsed.rs), which Tremor's datetime functions use.
//
// Specifiers: %Y %C %y %G %g %V %m %b %h %B %d %e %a %A %w %u %U %W %j %D %x %F %v %H %k %I %l
// %P %p %M %S %f %.f %.3f %.6f %.9f %3f %6f %9f %R %T %X %r %c %Z %z %:z %::z %:::z %#z %+ %s
// %t %n %%, with the padding modifiers %-x (none), %_x (spaces) and %0x (zeros) on numeric
// items. Anything else (an unknown letter, a trailing `%`, a modifier on a non-numeric item) is
// an error item: formatting fails, parsing fails with BadFormat.
//
// Parsing follows chrono: numeric fields skip leading whitespace and take 1 to width digits
// (a signed %Y or %G takes any number of digits after an explicit sign); whitespace in the
// format skips any whitespace in the input; literals must match exactly; month and weekday
// names are case-insensitive, long names optional after the short form; %Z skips a word. Fields
// are range-checked when set (as chrono ≥ 0.4.31 does) and must agree when given twice. %.f,
// %.3f, %.6f and %.9f all parse an optional point and 1-9+ digits; %3f/%6f/%9f exactly that
// many digits; %f reads up to 9 digits as a plain nanosecond count (not scaled).
// Corners not reproduced: chrono's leap-second handling beyond accepting second 60; %Z formats
// the zone's abbreviation from Go's tz database, which matches chrono-tz for current rules.

// itemKind classifies a strftime item.
type itemKind uint8

const (
	itemLiteral itemKind = iota // text that must match exactly
	itemSpace                   // whitespace: skips any whitespace when parsing
	itemNumeric                 // a number field
	itemFixed                   // a non-numeric field (names, fractions, offsets)
	itemError                   // an invalid specifier
)

// numField is a numeric strftime field.
type numField uint8

const (
	numYear numField = iota
	numYearDiv100
	numYearMod100
	numIsoYear
	numIsoYearDiv100
	numIsoYearMod100
	numMonth
	numDay
	numWeekFromSun
	numWeekFromMon
	numIsoWeek
	numDaysFromSun
	numWeekdayFromMon
	numOrdinal
	numHour
	numHour12
	numMinute
	numSecond
	numNanosecond
	numTimestamp
)

// numWidth is each numeric field's default width (for padding and for the digits parsed).
var numWidth = [...]int{4, 2, 2, 4, 2, 2, 2, 2, 2, 2, 2, 1, 1, 3, 2, 2, 2, 2, 9, 1}

// fixedField is a non-numeric strftime field.
type fixedField uint8

const (
	fixShortMonth fixedField = iota
	fixLongMonth
	fixShortWeekday
	fixLongWeekday
	fixLowerAmPm
	fixUpperAmPm
	fixNanoAuto // %.f
	fixNano3    // %.3f
	fixNano6    // %.6f
	fixNano9    // %.9f
	fixNano3NoDot
	fixNano6NoDot
	fixNano9NoDot
	fixTzName          // %Z
	fixTzOffset        // %z
	fixTzOffsetColon   // %:z
	fixTzOffset2Colon  // %::z
	fixTzOffset3Colon  // %:::z
	fixTzOffsetPermiss // %#z
	fixRFC3339         // %+
)

// padKind is a numeric item's padding.
type padKind uint8

const (
	padNone padKind = iota
	padZero
	padSpace
)

// strftimeItem is one parsed piece of a format string.
type strftimeItem struct {
	kind  itemKind
	text  string // itemLiteral, itemSpace
	num   numField
	pad   padKind
	fixed fixedField
}

func lit(s string) strftimeItem { return strftimeItem{kind: itemLiteral, text: s} }
func space(s string) strftimeItem {
	return strftimeItem{kind: itemSpace, text: s}
}
func num(f numField, p padKind) strftimeItem {
	return strftimeItem{kind: itemNumeric, num: f, pad: p}
}
func fix(f fixedField) strftimeItem { return strftimeItem{kind: itemFixed, fixed: f} }

// strftimeItems splits a format string into items, as chrono's StrftimeItems does.
func strftimeItems(f string) []strftimeItem {
	var items []strftimeItem
	for len(f) > 0 {
		c, n := utf8.DecodeRuneInString(f)
		if c != '%' {
			isSpace := unicode.IsSpace(c)
			end := strings.IndexFunc(f, func(r rune) bool {
				if isSpace {
					return !unicode.IsSpace(r)
				}
				return unicode.IsSpace(r) || r == '%'
			})
			if end < 0 {
				end = len(f)
			}
			if isSpace {
				items = append(items, space(f[:end]))
			} else {
				items = append(items, lit(f[:end]))
			}
			f = f[end:]
			continue
		}
		f = f[n:]
		next := func() (rune, bool) {
			if f == "" {
				return 0, false
			}
			r, n := utf8.DecodeRuneInString(f)
			f = f[n:]
			return r, true
		}
		spec, ok := next()
		if !ok {
			return append(items, strftimeItem{kind: itemError})
		}
		padOverride, hasPad := padNone, false
		switch spec {
		case '-':
			padOverride, hasPad = padNone, true
		case '0':
			padOverride, hasPad = padZero, true
		case '_':
			padOverride, hasPad = padSpace, true
		}
		alternate := spec == '#'
		if hasPad || alternate {
			if spec, ok = next(); !ok {
				return append(items, strftimeItem{kind: itemError})
			}
		}
		if alternate && spec != 'z' {
			items = append(items, strftimeItem{kind: itemError})
			continue
		}
		var group []strftimeItem
		switch spec {
		case 'A':
			group = []strftimeItem{fix(fixLongWeekday)}
		case 'B':
			group = []strftimeItem{fix(fixLongMonth)}
		case 'C':
			group = []strftimeItem{num(numYearDiv100, padZero)}
		case 'D', 'x':
			group = []strftimeItem{num(numMonth, padZero), lit("/"), num(numDay, padZero), lit("/"), num(numYearMod100, padZero)}
		case 'F':
			group = []strftimeItem{num(numYear, padZero), lit("-"), num(numMonth, padZero), lit("-"), num(numDay, padZero)}
		case 'G':
			group = []strftimeItem{num(numIsoYear, padZero)}
		case 'H':
			group = []strftimeItem{num(numHour, padZero)}
		case 'I':
			group = []strftimeItem{num(numHour12, padZero)}
		case 'M':
			group = []strftimeItem{num(numMinute, padZero)}
		case 'P':
			group = []strftimeItem{fix(fixLowerAmPm)}
		case 'R':
			group = []strftimeItem{num(numHour, padZero), lit(":"), num(numMinute, padZero)}
		case 'S':
			group = []strftimeItem{num(numSecond, padZero)}
		case 'T', 'X':
			group = []strftimeItem{num(numHour, padZero), lit(":"), num(numMinute, padZero), lit(":"), num(numSecond, padZero)}
		case 'U':
			group = []strftimeItem{num(numWeekFromSun, padZero)}
		case 'V':
			group = []strftimeItem{num(numIsoWeek, padZero)}
		case 'W':
			group = []strftimeItem{num(numWeekFromMon, padZero)}
		case 'Y':
			group = []strftimeItem{num(numYear, padZero)}
		case 'Z':
			group = []strftimeItem{fix(fixTzName)}
		case 'a':
			group = []strftimeItem{fix(fixShortWeekday)}
		case 'b', 'h':
			group = []strftimeItem{fix(fixShortMonth)}
		case 'c':
			group = []strftimeItem{fix(fixShortWeekday), space(" "), fix(fixShortMonth), space(" "), num(numDay, padSpace), space(" "),
				num(numHour, padZero), lit(":"), num(numMinute, padZero), lit(":"), num(numSecond, padZero), space(" "), num(numYear, padZero)}
		case 'd':
			group = []strftimeItem{num(numDay, padZero)}
		case 'e':
			group = []strftimeItem{num(numDay, padSpace)}
		case 'f':
			group = []strftimeItem{num(numNanosecond, padZero)}
		case 'g':
			group = []strftimeItem{num(numIsoYearMod100, padZero)}
		case 'j':
			group = []strftimeItem{num(numOrdinal, padZero)}
		case 'k':
			group = []strftimeItem{num(numHour, padSpace)}
		case 'l':
			group = []strftimeItem{num(numHour12, padSpace)}
		case 'm':
			group = []strftimeItem{num(numMonth, padZero)}
		case 'n':
			group = []strftimeItem{space("\n")}
		case 'p':
			group = []strftimeItem{fix(fixUpperAmPm)}
		case 'r':
			group = []strftimeItem{num(numHour12, padZero), lit(":"), num(numMinute, padZero), lit(":"), num(numSecond, padZero), space(" "), fix(fixUpperAmPm)}
		case 's':
			group = []strftimeItem{num(numTimestamp, padNone)}
		case 't':
			group = []strftimeItem{space("\t")}
		case 'u':
			group = []strftimeItem{num(numWeekdayFromMon, padNone)}
		case 'v':
			group = []strftimeItem{num(numDay, padSpace), lit("-"), fix(fixShortMonth), lit("-"), num(numYear, padZero)}
		case 'w':
			group = []strftimeItem{num(numDaysFromSun, padNone)}
		case 'y':
			group = []strftimeItem{num(numYearMod100, padZero)}
		case 'z':
			if alternate {
				group = []strftimeItem{fix(fixTzOffsetPermiss)}
			} else {
				group = []strftimeItem{fix(fixTzOffset)}
			}
		case '+':
			group = []strftimeItem{fix(fixRFC3339)}
		case ':':
			switch {
			case strings.HasPrefix(f, "::z"):
				f = f[3:]
				group = []strftimeItem{fix(fixTzOffset3Colon)}
			case strings.HasPrefix(f, ":z"):
				f = f[2:]
				group = []strftimeItem{fix(fixTzOffset2Colon)}
			case strings.HasPrefix(f, "z"):
				f = f[1:]
				group = []strftimeItem{fix(fixTzOffsetColon)}
			}
		case '.':
			r1, ok1 := next()
			switch {
			case ok1 && r1 == 'f':
				group = []strftimeItem{fix(fixNanoAuto)}
			case ok1 && (r1 == '3' || r1 == '6' || r1 == '9'):
				if r2, ok2 := next(); ok2 && r2 == 'f' {
					group = []strftimeItem{fix(map[rune]fixedField{'3': fixNano3, '6': fixNano6, '9': fixNano9}[r1])}
				}
			}
		case '3', '6', '9':
			if r1, ok1 := next(); ok1 && r1 == 'f' {
				group = []strftimeItem{fix(map[rune]fixedField{'3': fixNano3NoDot, '6': fixNano6NoDot, '9': fixNano9NoDot}[spec])}
			}
		case '%':
			group = []strftimeItem{lit("%")}
		}
		switch {
		case group == nil:
			items = append(items, strftimeItem{kind: itemError})
		case hasPad:
			if len(group) == 1 && group[0].kind == itemNumeric {
				group[0].pad = padOverride
				items = append(items, group[0])
			} else {
				items = append(items, strftimeItem{kind: itemError})
			}
		default:
			items = append(items, group...)
		}
	}
	return items
}

var (
	shortMonths   = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	longMonths    = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	shortWeekdays = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	longWeekdays  = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

// strftimeFormat formats t (in its location) with the strftime format f. It fails on an
// invalid specifier (chrono's Item::Error).
func strftimeFormat(t time.Time, f string) (string, bool) {
	var b strings.Builder
	for _, it := range strftimeItems(f) {
		switch it.kind {
		case itemLiteral, itemSpace:
			b.WriteString(it.text)
		case itemNumeric:
			formatNumeric(&b, t, it)
		case itemFixed:
			formatFixed(&b, t, it.fixed)
		default:
			return "", false
		}
	}
	return b.String(), true
}

// numericValue returns the value of a numeric field of t.
func numericValue(t time.Time, f numField) int64 {
	isoYear, isoWeek := t.ISOWeek()
	wdSun := int64(t.Weekday())   // Sunday = 0
	wdMon := (wdSun+6)%7 + 1      // Monday = 1 … Sunday = 7
	ordinal := int64(t.YearDay()) // 1-based
	switch f {
	case numYear:
		return int64(t.Year())
	case numYearDiv100:
		return floorDiv(int64(t.Year()), 100)
	case numYearMod100:
		return floorMod(int64(t.Year()), 100)
	case numIsoYear:
		return int64(isoYear)
	case numIsoYearDiv100:
		return floorDiv(int64(isoYear), 100)
	case numIsoYearMod100:
		return floorMod(int64(isoYear), 100)
	case numMonth:
		return int64(t.Month())
	case numDay:
		return int64(t.Day())
	case numWeekFromSun:
		return (ordinal - wdSun + 6) / 7
	case numWeekFromMon:
		return (ordinal - (wdMon - 1) + 6) / 7
	case numIsoWeek:
		return int64(isoWeek)
	case numDaysFromSun:
		return wdSun
	case numWeekdayFromMon:
		return wdMon
	case numOrdinal:
		return ordinal
	case numHour:
		return int64(t.Hour())
	case numHour12:
		h := int64(t.Hour()) % 12
		if h == 0 {
			h = 12
		}
		return h
	case numMinute:
		return int64(t.Minute())
	case numSecond:
		return int64(t.Second())
	case numNanosecond:
		return int64(t.Nanosecond())
	case numTimestamp:
		return t.Unix()
	}
	return 0
}

// formatNumeric writes a numeric field with its padding, as chrono does: years outside
// 0..=9999 get an explicit sign and one more digit of width.
func formatNumeric(b *strings.Builder, t time.Time, it strftimeItem) {
	v := numericValue(t, it.num)
	width := numWidth[it.num]
	s := strconv.FormatInt(v, 10)
	if (it.num == numYear || it.num == numIsoYear) && (v < 0 || v > 9999) {
		if v >= 0 {
			s = "+" + s
		}
		width++
		if it.pad == padNone {
			b.WriteString(s)
			return
		}
	}
	switch it.pad {
	case padZero:
		sign := ""
		if s[0] == '-' || s[0] == '+' {
			sign, s = s[:1], s[1:]
		}
		b.WriteString(sign)
		for i := len(sign) + len(s); i < width; i++ {
			b.WriteByte('0')
		}
	case padSpace:
		for i := len(s); i < width; i++ {
			b.WriteByte(' ')
		}
	}
	b.WriteString(s)
}

// formatFixed writes a non-numeric field.
func formatFixed(b *strings.Builder, t time.Time, f fixedField) {
	nano := t.Nanosecond()
	name, off := t.Zone()
	switch f {
	case fixShortMonth:
		b.WriteString(shortMonths[t.Month()-1])
	case fixLongMonth:
		b.WriteString(longMonths[t.Month()-1])
	case fixShortWeekday:
		b.WriteString(shortWeekdays[t.Weekday()])
	case fixLongWeekday:
		b.WriteString(longWeekdays[t.Weekday()])
	case fixLowerAmPm:
		b.WriteString(ampm(t, "am", "pm"))
	case fixUpperAmPm:
		b.WriteString(ampm(t, "AM", "PM"))
	case fixNanoAuto:
		writeAutoFraction(b, nano)
	case fixNano3:
		b.WriteByte('.')
		writePadded(b, nano/1_000_000, 3)
	case fixNano6:
		b.WriteByte('.')
		writePadded(b, nano/1_000, 6)
	case fixNano9:
		b.WriteByte('.')
		writePadded(b, nano, 9)
	case fixNano3NoDot:
		writePadded(b, nano/1_000_000, 3)
	case fixNano6NoDot:
		writePadded(b, nano/1_000, 6)
	case fixNano9NoDot:
		writePadded(b, nano, 9)
	case fixTzName:
		b.WriteString(name)
	case fixTzOffset:
		writeOffset(b, off, false, 1)
	case fixTzOffsetColon:
		writeOffset(b, off, false, 2)
	case fixTzOffset2Colon:
		writeOffset(b, off, false, 3)
	case fixTzOffset3Colon:
		writeOffset(b, off, false, 0)
	case fixTzOffsetPermiss:
		writeOffset(b, off, true, 2)
	case fixRFC3339:
		b.WriteString(rfc3339(t))
	}
}

// ampm picks am before noon, pm after.
func ampm(t time.Time, am, pm string) string {
	if t.Hour() < 12 {
		return am
	}
	return pm
}

// writeAutoFraction writes chrono's %.f: nothing for a whole second, else a point and the
// shortest of 3, 6 or 9 digits that holds the fraction exactly.
func writeAutoFraction(b *strings.Builder, nano int) {
	switch {
	case nano == 0:
	case nano%1_000_000 == 0:
		b.WriteByte('.')
		writePadded(b, nano/1_000_000, 3)
	case nano%1_000 == 0:
		b.WriteByte('.')
		writePadded(b, nano/1_000, 6)
	default:
		b.WriteByte('.')
		writePadded(b, nano, 9)
	}
}

func writePadded(b *strings.Builder, v, width int) {
	s := strconv.Itoa(v)
	for i := len(s); i < width; i++ {
		b.WriteByte('0')
	}
	b.WriteString(s)
}

// writeOffset writes a UTC offset in seconds: sign and hours, then with parts 1 `mm`, 2 `:mm`,
// 3 `:mm:ss`, 0 nothing more. zulu writes "Z" for a zero offset (chrono's %#z).
func writeOffset(b *strings.Builder, off int, zulu bool, parts int) {
	if zulu && off == 0 {
		b.WriteByte('Z')
		return
	}
	if off < 0 {
		b.WriteByte('-')
		off = -off
	} else {
		b.WriteByte('+')
	}
	writePadded(b, off/3600, 2)
	switch parts {
	case 1:
		writePadded(b, off/60%60, 2)
	case 2:
		b.WriteByte(':')
		writePadded(b, off/60%60, 2)
	case 3:
		b.WriteByte(':')
		writePadded(b, off/60%60, 2)
		b.WriteByte(':')
		writePadded(b, off%60, 2)
	}
}

// rfc3339 is chrono's to_rfc3339 (SecondsFormat::AutoSi, "+00:00" rather than "Z"):
// 1970-01-01T00:00:00+00:00, 2024-05-01T12:30:00.500+02:00.
func rfc3339(t time.Time) string {
	var b strings.Builder
	for _, it := range []strftimeItem{
		num(numYear, padZero), lit("-"), num(numMonth, padZero), lit("-"), num(numDay, padZero), lit("T"),
		num(numHour, padZero), lit(":"), num(numMinute, padZero), lit(":"), num(numSecond, padZero),
	} {
		if it.kind == itemLiteral {
			b.WriteString(it.text)
		} else {
			formatNumeric(&b, t, it)
		}
	}
	writeAutoFraction(&b, t.Nanosecond())
	_, off := t.Zone()
	writeOffset(&b, off, false, 2)
	return b.String()
}

// rfc2822 is chrono's to_rfc2822: Thu, 01 Jan 1970 00:00:00 +0000. chrono refuses years
// outside 0..=9999.
func rfc2822(t time.Time) (string, bool) {
	if t.Year() < 0 || t.Year() > 9999 {
		return "", false
	}
	s, _ := strftimeFormat(t, "%a, %d %b %Y %H:%M:%S %z")
	return s, true
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// parseErrorKind is chrono's ParseErrorKind; its name is what Tremor's message shows
// ("Datetime Parse Error: ParseError(Invalid)").
type parseErrorKind uint8

const (
	parseOK parseErrorKind = iota
	parseOutOfRange
	parseImpossible
	parseNotEnough
	parseInvalid
	parseTooShort
	parseTooLong
	parseBadFormat
)

func (k parseErrorKind) String() string {
	return [...]string{"OK", "OutOfRange", "Impossible", "NotEnough", "Invalid", "TooShort", "TooLong", "BadFormat"}[k]
}

// parsedField indexes the fields of a parsedTime (chrono's Parsed).
type parsedField uint8

const (
	pYear parsedField = iota
	pYearDiv100
	pYearMod100
	pIsoYear
	pIsoYearDiv100
	pIsoYearMod100
	pMonth
	pWeekFromSun
	pWeekFromMon
	pIsoWeek
	pWeekday // 0 = Sunday
	pOrdinal
	pDay
	pHourDiv12
	pHourMod12
	pMinute
	pSecond
	pNanosecond
	pTimestamp
	pOffset
	pCount
)

// parsedTime collects the fields met while parsing; a field set twice must not change.
type parsedTime struct {
	v   [pCount]int64
	set [pCount]bool
}

func (p *parsedTime) get(f parsedField) (int64, bool) { return p.v[f], p.set[f] }

// put sets f to v, failing with Impossible when f already holds another value.
func (p *parsedTime) put(f parsedField, v int64) parseErrorKind {
	if p.set[f] && p.v[f] != v {
		return parseImpossible
	}
	p.v[f], p.set[f] = v, true
	return parseOK
}

// putRange sets f to v after checking lo ≤ v ≤ hi (OutOfRange otherwise).
func (p *parsedTime) putRange(f parsedField, v, lo, hi int64) parseErrorKind {
	if v < lo || v > hi {
		return parseOutOfRange
	}
	return p.put(f, v)
}

// setNumeric stores a parsed numeric field through chrono's setters.
func (p *parsedTime) setNumeric(f numField, v int64) parseErrorKind {
	const i32max, i32min = 1<<31 - 1, -1 << 31
	switch f {
	case numYear:
		return p.putRange(pYear, v, i32min, i32max)
	case numYearDiv100:
		return p.putRange(pYearDiv100, v, 0, i32max)
	case numYearMod100:
		return p.putRange(pYearMod100, v, 0, 99)
	case numIsoYear:
		return p.putRange(pIsoYear, v, i32min, i32max)
	case numIsoYearDiv100:
		return p.putRange(pIsoYearDiv100, v, 0, i32max)
	case numIsoYearMod100:
		return p.putRange(pIsoYearMod100, v, 0, 99)
	case numMonth:
		return p.putRange(pMonth, v, 1, 12)
	case numDay:
		return p.putRange(pDay, v, 1, 31)
	case numWeekFromSun:
		return p.putRange(pWeekFromSun, v, 0, 53)
	case numWeekFromMon:
		return p.putRange(pWeekFromMon, v, 0, 53)
	case numIsoWeek:
		return p.putRange(pIsoWeek, v, 1, 53)
	case numDaysFromSun:
		return p.putRange(pWeekday, v, 0, 6)
	case numWeekdayFromMon:
		if v < 1 || v > 7 {
			return parseOutOfRange
		}
		return p.put(pWeekday, v%7)
	case numOrdinal:
		return p.putRange(pOrdinal, v, 1, 366)
	case numHour:
		if v < 0 || v > 23 {
			return parseOutOfRange
		}
		if k := p.put(pHourDiv12, v/12); k != parseOK {
			return k
		}
		return p.put(pHourMod12, v%12)
	case numHour12:
		if v < 1 || v > 12 {
			return parseOutOfRange
		}
		return p.put(pHourMod12, v%12)
	case numMinute:
		return p.putRange(pMinute, v, 0, 59)
	case numSecond:
		return p.putRange(pSecond, v, 0, 60)
	case numNanosecond:
		return p.putRange(pNanosecond, v, 0, 999_999_999)
	case numTimestamp:
		return p.put(pTimestamp, v)
	}
	return parseBadFormat
}

// scanNumber is chrono's scan::number: between min and max ASCII digits.
func scanNumber(s string, min, max int) (string, int64, parseErrorKind) {
	if len(s) < min {
		return s, 0, parseTooShort
	}
	var n int64
	i := 0
	for ; i < len(s) && i < max; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			if i < min {
				return s, 0, parseInvalid
			}
			return s[i:], n, parseOK
		}
		if n > (1<<63-1-int64(c-'0'))/10 {
			return s, 0, parseOutOfRange
		}
		n = n*10 + int64(c-'0')
	}
	return s[i:], n, parseOK
}

// scanNanosecond is chrono's scan::nanosecond: 1 to 9 digits scaled to nanoseconds, further
// digits skipped.
func scanNanosecond(s string) (string, int64, parseErrorKind) {
	rest, v, k := scanNumber(s, 1, 9)
	if k != parseOK {
		return s, 0, k
	}
	for i := len(s) - len(rest); i < 9; i++ {
		v *= 10
	}
	return strings.TrimLeft(rest, "0123456789"), v, parseOK
}

// scanNanoFixed is chrono's scan::nanosecond_fixed: exactly digits digits.
func scanNanoFixed(s string, digits int) (string, int64, parseErrorKind) {
	rest, v, k := scanNumber(s, digits, digits)
	if k != parseOK {
		return s, 0, k
	}
	for i := digits; i < 9; i++ {
		v *= 10
	}
	return rest, v, parseOK
}

// scanOffset is chrono's scan::timezone_offset: a sign, two hour digits, a separator eaten by
// colon, and two minute digits (optional when allowMissingMinutes). zulu accepts "Z"/"z".
func scanOffset(s string, colon func(string) (string, parseErrorKind), allowMissingMinutes, zulu bool) (string, int64, parseErrorKind) {
	if zulu && s != "" && (s[0] == 'Z' || s[0] == 'z') {
		return s[1:], 0, parseOK
	}
	if s == "" {
		return s, 0, parseTooShort
	}
	neg := false
	switch s[0] {
	case '+':
	case '-':
		neg = true
	default:
		return s, 0, parseInvalid
	}
	s = s[1:]
	if len(s) < 2 {
		return s, 0, parseTooShort
	}
	if !isDigit(s[0]) || !isDigit(s[1]) {
		return s, 0, parseInvalid
	}
	hours := int64(s[0]-'0')*10 + int64(s[1]-'0')
	s = s[2:]
	s, k := colon(s)
	if k != parseOK {
		return s, 0, k
	}
	var minutes int64
	switch {
	case len(s) >= 2:
		switch {
		case s[0] >= '0' && s[0] <= '5' && isDigit(s[1]):
			minutes = int64(s[0]-'0')*10 + int64(s[1]-'0')
		case s[0] >= '6' && s[0] <= '9' && isDigit(s[1]):
			return s, 0, parseOutOfRange
		default:
			return s, 0, parseInvalid
		}
		s = s[2:]
	case !allowMissingMinutes:
		return s, 0, parseTooShort
	case len(s) == 1:
		return s, 0, parseTooShort
	}
	off := hours*3600 + minutes*60
	if neg {
		off = -off
	}
	return s, off, parseOK
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// colonOrSpace skips any colons and whitespace (chrono's scan::colon_or_space).
func colonOrSpace(s string) (string, parseErrorKind) {
	return strings.TrimLeftFunc(s, func(r rune) bool { return r == ':' || unicode.IsSpace(r) }), parseOK
}

// scanChar consumes the byte c.
func scanChar(s string, c byte) (string, parseErrorKind) {
	switch {
	case s == "":
		return s, parseTooShort
	case s[0] != c:
		return s, parseInvalid
	}
	return s[1:], parseOK
}

// scanName matches a case-insensitive 3-letter name from names, then optionally the rest of
// the long name (long, when long is set).
func scanName(s string, short []string, long []string, allowLong bool) (string, int, parseErrorKind) {
	if len(s) < 3 {
		return s, 0, parseTooShort
	}
	for i, n := range short {
		if asciiEqualFold(s[:3], n) {
			s = s[3:]
			if allowLong {
				suffix := long[i][3:]
				if len(s) >= len(suffix) && asciiEqualFold(s[:len(suffix)], suffix) {
					s = s[len(suffix):]
				}
			}
			return s, i, parseOK
		}
	}
	return s, 0, parseInvalid
}

// asciiEqualFold compares two byte strings of the same length, ignoring ASCII case only.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// strftimeParse parses s with format f into Unix nanoseconds. With offset, the result is an
// offset-aware datetime (chrono's DateTime::parse_from_str: the input must give an offset);
// without, a naive datetime taken as UTC (NaiveDateTime::parse_from_str).
func strftimeParse(s, f string, offset bool) (int64, parseErrorKind) {
	var p parsedTime
	for _, it := range strftimeItems(f) {
		var k parseErrorKind
		switch it.kind {
		case itemSpace:
			s = strings.TrimLeftFunc(s, unicode.IsSpace)
		case itemLiteral:
			switch {
			case len(s) < len(it.text):
				k = parseTooShort
			case !strings.HasPrefix(s, it.text):
				k = parseInvalid
			default:
				s = s[len(it.text):]
			}
		case itemNumeric:
			s = strings.TrimLeftFunc(s, unicode.IsSpace)
			var v int64
			signed := it.num == numYear || it.num == numIsoYear
			switch {
			case it.num == numTimestamp:
				s, v, k = scanNumber(s, 1, 1<<31)
			case signed && strings.HasPrefix(s, "-"):
				s, v, k = scanNumber(s[1:], 1, 1<<31)
				v = -v
			case signed && strings.HasPrefix(s, "+"):
				s, v, k = scanNumber(s[1:], 1, 1<<31)
			default:
				s, v, k = scanNumber(s, 1, numWidth[it.num])
			}
			if k == parseOK {
				k = p.setNumeric(it.num, v)
			}
		case itemFixed:
			s, k = p.parseFixed(s, it.fixed)
		default:
			k = parseBadFormat
		}
		if k != parseOK {
			return 0, k
		}
	}
	if s != "" {
		return 0, parseTooLong
	}
	off := int64(0)
	if offset {
		o, ok := p.get(pOffset)
		_, hasTS := p.get(pTimestamp)
		switch {
		case ok:
			off = o
		case !hasTS:
			return 0, parseNotEnough
		}
	}
	secs, nano, k := p.toDatetime(off)
	if k != parseOK {
		return 0, k
	}
	secs -= off
	const nsPerSec = 1_000_000_000
	if secs > math.MaxInt64/nsPerSec || secs < math.MinInt64/nsPerSec {
		return 0, parseOutOfRange
	}
	ns := secs*nsPerSec + nano
	if secs > 0 && ns < 0 || secs < 0 && ns > 0 {
		return 0, parseOutOfRange
	}
	return ns, parseOK
}

// parseFixed parses one non-numeric item.
func (p *parsedTime) parseFixed(s string, f fixedField) (string, parseErrorKind) {
	var k parseErrorKind
	switch f {
	case fixShortMonth, fixLongMonth:
		var m int
		if s, m, k = scanName(s, shortMonths[:], longMonths[:], f == fixLongMonth); k == parseOK {
			k = p.put(pMonth, int64(m)+1)
		}
	case fixShortWeekday, fixLongWeekday:
		var d int
		if s, d, k = scanName(s, shortWeekdays[:], longWeekdays[:], f == fixLongWeekday); k == parseOK {
			k = p.put(pWeekday, int64(d))
		}
	case fixLowerAmPm, fixUpperAmPm:
		if len(s) < 2 {
			return s, parseTooShort
		}
		switch {
		case asciiEqualFold(s[:2], "am"):
			k = p.put(pHourDiv12, 0)
		case asciiEqualFold(s[:2], "pm"):
			k = p.put(pHourDiv12, 1)
		default:
			return s, parseInvalid
		}
		s = s[2:]
	case fixNanoAuto, fixNano3, fixNano6, fixNano9:
		if strings.HasPrefix(s, ".") {
			var v int64
			if s, v, k = scanNanosecond(s[1:]); k == parseOK {
				k = p.put(pNanosecond, v)
			}
		}
	case fixNano3NoDot, fixNano6NoDot, fixNano9NoDot:
		digits := map[fixedField]int{fixNano3NoDot: 3, fixNano6NoDot: 6, fixNano9NoDot: 9}[f]
		if len(s) < digits {
			return s, parseTooShort
		}
		var v int64
		if s, v, k = scanNanoFixed(s, digits); k == parseOK {
			k = p.put(pNanosecond, v)
		}
	case fixTzName:
		s = strings.TrimLeftFunc(s, func(r rune) bool { return !unicode.IsSpace(r) })
	case fixTzOffset, fixTzOffsetColon, fixTzOffset2Colon, fixTzOffset3Colon:
		var off int64
		if s, off, k = scanOffset(strings.TrimLeftFunc(s, unicode.IsSpace), colonOrSpace, false, false); k == parseOK {
			k = p.put(pOffset, off)
		}
	case fixTzOffsetPermiss:
		var off int64
		if s, off, k = scanOffset(strings.TrimLeftFunc(s, unicode.IsSpace), colonOrSpace, true, true); k == parseOK {
			k = p.put(pOffset, off)
		}
	case fixRFC3339:
		s, k = p.parseRFC3339(s)
	}
	return s, k
}

// parseRFC3339 is chrono's parse_rfc3339 (for %+): YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM).
func (p *parsedTime) parseRFC3339(s string) (string, parseErrorKind) {
	var v int64
	var k parseErrorKind
	steps := []func() parseErrorKind{
		func() parseErrorKind { s, v, k = scanNumber(s, 4, 4); return k },
		func() parseErrorKind { return p.setNumeric(numYear, v) },
		func() parseErrorKind { s, k = scanChar(s, '-'); return k },
		func() parseErrorKind { s, v, k = scanNumber(s, 2, 2); return k },
		func() parseErrorKind { return p.setNumeric(numMonth, v) },
		func() parseErrorKind { s, k = scanChar(s, '-'); return k },
		func() parseErrorKind { s, v, k = scanNumber(s, 2, 2); return k },
		func() parseErrorKind { return p.setNumeric(numDay, v) },
		func() parseErrorKind {
			switch {
			case s == "":
				return parseTooShort
			case s[0] == 'T' || s[0] == 't':
				s = s[1:]
				return parseOK
			}
			return parseInvalid
		},
		func() parseErrorKind { s, v, k = scanNumber(s, 2, 2); return k },
		func() parseErrorKind { return p.setNumeric(numHour, v) },
		func() parseErrorKind { s, k = scanChar(s, ':'); return k },
		func() parseErrorKind { s, v, k = scanNumber(s, 2, 2); return k },
		func() parseErrorKind { return p.setNumeric(numMinute, v) },
		func() parseErrorKind { s, k = scanChar(s, ':'); return k },
		func() parseErrorKind { s, v, k = scanNumber(s, 2, 2); return k },
		func() parseErrorKind { return p.setNumeric(numSecond, v) },
		func() parseErrorKind {
			if !strings.HasPrefix(s, ".") {
				return parseOK
			}
			if s, v, k = scanNanosecond(s[1:]); k != parseOK {
				return k
			}
			return p.setNumeric(numNanosecond, v)
		},
		func() parseErrorKind {
			colon := func(s string) (string, parseErrorKind) { return scanChar(s, ':') }
			if s, v, k = scanOffset(s, colon, false, true); k != parseOK {
				return k
			}
			if v <= -86_400 || v >= 86_400 {
				return parseOutOfRange
			}
			return p.put(pOffset, v)
		},
	}
	for _, step := range steps {
		if k := step(); k != parseOK {
			return s, k
		}
	}
	return s, parseOK
}

// resolveYear is chrono's resolve_year: a full year, or century and year-of-century, or a
// two-digit year (< 70 → 20xx, else 19xx). present is false when no year field was given.
func resolveYear(p *parsedTime, full, div, mod parsedField) (year int64, present bool, k parseErrorKind) {
	y, hasY := p.get(full)
	q, hasQ := p.get(div)
	r, hasR := p.get(mod)
	switch {
	case !hasQ && !hasR:
		return y, hasY, parseOK
	case hasY && (!hasR || r >= 0 && r <= 99):
		if y < 0 {
			return 0, false, parseOutOfRange
		}
		if hasQ && q != y/100 || hasR && r != y%100 {
			return 0, false, parseImpossible
		}
		return y, true, parseOK
	case !hasY && hasQ && hasR && r >= 0 && r <= 99:
		if q < 0 {
			return 0, false, parseOutOfRange
		}
		return q*100 + r, true, parseOK
	case !hasY && !hasQ && hasR && r >= 0 && r <= 99:
		if r < 70 {
			return r + 2000, true, parseOK
		}
		return r + 1900, true, parseOK
	case !hasY && hasQ && !hasR:
		return 0, false, parseNotEnough
	}
	return 0, false, parseOutOfRange
}

// date builds a UTC midnight, reporting false when the fields do not name a real day.
func date(y, m, d int64) (time.Time, bool) {
	t := time.Date(int(y), time.Month(m), int(d), 0, 0, 0, 0, time.UTC)
	return t, int64(t.Year()) == y && int64(t.Month()) == m && int64(t.Day()) == d
}

// toDate is chrono's Parsed::to_naive_date.
func (p *parsedTime) toDate() (time.Time, parseErrorKind) {
	year, hasYear, k := resolveYear(p, pYear, pYearDiv100, pYearMod100)
	if k != parseOK {
		return time.Time{}, k
	}
	isoYear, hasIsoYear, k := resolveYear(p, pIsoYear, pIsoYearDiv100, pIsoYearMod100)
	if k != parseOK {
		return time.Time{}, k
	}
	month, hasMonth := p.get(pMonth)
	day, hasDay := p.get(pDay)
	ordinal, hasOrdinal := p.get(pOrdinal)
	weekday, hasWeekday := p.get(pWeekday)
	wSun, hasWSun := p.get(pWeekFromSun)
	wMon, hasWMon := p.get(pWeekFromMon)
	isoWeek, hasIsoWeek := p.get(pIsoWeek)

	var t time.Time
	var ok bool
	switch {
	case hasYear && hasMonth && hasDay:
		if t, ok = date(year, month, day); !ok {
			return t, parseOutOfRange
		}
	case hasYear && hasOrdinal:
		t = time.Date(int(year), 1, int(ordinal), 0, 0, 0, 0, time.UTC)
		if int64(t.Year()) != year {
			return t, parseOutOfRange
		}
	case hasYear && hasWSun && hasWeekday, hasYear && hasWMon && hasWeekday:
		newYear := time.Date(int(year), 1, 1, 0, 0, 0, 0, time.UTC)
		wd := int64(newYear.Weekday()) // Sunday = 0
		var ndays int64
		if hasWSun {
			firstWeek := (7 - wd) % 7
			ndays = firstWeek + (wSun-1)*7 + weekday
		} else {
			firstWeek := (8 - wd) % 7
			ndays = firstWeek + (wMon-1)*7 + (weekday+6)%7
		}
		t = newYear.AddDate(0, 0, int(ndays))
		if int64(t.Year()) != year {
			return t, parseOutOfRange
		}
	case hasIsoYear && hasIsoWeek && hasWeekday:
		// the Monday of ISO week 1 is the Monday on or before January 4th
		jan4 := time.Date(int(isoYear), 1, 4, 0, 0, 0, 0, time.UTC)
		monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
		t = monday.AddDate(0, 0, int((isoWeek-1)*7+(weekday+6)%7))
		if y, w := t.ISOWeek(); int64(y) != isoYear || int64(w) != isoWeek {
			return t, parseOutOfRange
		}
	default:
		return time.Time{}, parseNotEnough
	}
	if !p.verifyDate(t) {
		return t, parseImpossible
	}
	return t, parseOK
}

// verifyDate checks every date field given against the date built (chrono's verify_ymd,
// verify_isoweekdate and verify_ordinal).
func (p *parsedTime) verifyDate(t time.Time) bool {
	isoYear, isoWeek := t.ISOWeek()
	y, iy := int64(t.Year()), int64(isoYear)
	ordinal := int64(t.YearDay())
	wdSun := int64(t.Weekday())
	checks := []struct {
		f    parsedField
		want int64
		skip bool
	}{
		{pYear, y, false},
		{pYearDiv100, y / 100, y < 0},
		{pYearMod100, y % 100, y < 0},
		{pMonth, int64(t.Month()), false},
		{pDay, int64(t.Day()), false},
		{pIsoYear, iy, false},
		{pIsoYearDiv100, iy / 100, iy < 0},
		{pIsoYearMod100, iy % 100, iy < 0},
		{pIsoWeek, int64(isoWeek), false},
		{pWeekday, wdSun, false},
		{pOrdinal, ordinal, false},
		{pWeekFromSun, (ordinal - wdSun + 6) / 7, false},
		{pWeekFromMon, (ordinal - (wdSun+6)%7 + 6) / 7, false},
	}
	for _, c := range checks {
		if v, ok := p.get(c.f); ok && (c.skip || v != c.want) {
			return false
		}
	}
	return true
}

// toTime is chrono's Parsed::to_naive_time: seconds of the day and nanoseconds.
func (p *parsedTime) toTime() (secs, nano int64, k parseErrorKind) {
	div, ok1 := p.get(pHourDiv12)
	mod, ok2 := p.get(pHourMod12)
	minute, ok3 := p.get(pMinute)
	if !ok1 || !ok2 || !ok3 {
		return 0, 0, parseNotEnough
	}
	second, hasSecond := p.get(pSecond)
	if second == 60 { // a leap second: 59 plus a whole second of nanoseconds
		second, nano = 59, 1_000_000_000
	}
	if n, ok := p.get(pNanosecond); ok {
		if !hasSecond {
			return 0, 0, parseNotEnough
		}
		nano += n
	}
	return (div*12+mod)*3600 + minute*60 + second, nano, parseOK
}

// toDatetime is chrono's to_naive_datetime_with_offset: the local date and time in Unix seconds
// (not yet shifted by the offset) and nanoseconds, using %s when date or time is missing.
func (p *parsedTime) toDatetime(off int64) (secs, nano int64, k parseErrorKind) {
	d, dk := p.toDate()
	s, n, tk := p.toTime()
	ts, hasTS := p.get(pTimestamp)
	if dk == parseOK && tk == parseOK {
		local := d.Unix() + s
		if hasTS && ts != local-off && !(n >= 1_000_000_000 && ts == local-off+1) {
			return 0, 0, parseImpossible
		}
		return local, n, parseOK
	}
	if !hasTS {
		if dk != parseOK {
			return 0, 0, dk
		}
		return 0, 0, tk
	}
	for _, e := range []parseErrorKind{parseOutOfRange, parseImpossible} {
		if dk == e || tk == e {
			return 0, 0, e
		}
	}
	// rebuild the date and time fields from the timestamp, checking those given; chrono's
	// NaiveDateTime spans the years -262144..=262143
	const minLocal, maxLocal = -8_334_632_851_200, 8_210_298_412_799
	if ts > maxLocal-off || ts < minLocal-off {
		return 0, 0, parseOutOfRange
	}
	t := time.Unix(ts+off, 0).UTC()
	q := *p
	if sec, ok := q.get(pSecond); ok && sec == 60 {
		switch t.Second() {
		case 59:
		case 0:
			t = t.Add(-time.Second)
		default:
			return 0, 0, parseImpossible
		}
	} else if k := q.put(pSecond, int64(t.Second())); k != parseOK {
		return 0, 0, k
	}
	for _, set := range []parseErrorKind{
		q.setNumeric(numYear, int64(t.Year())),
		q.setNumeric(numOrdinal, int64(t.YearDay())),
		q.setNumeric(numHour, int64(t.Hour())),
		q.setNumeric(numMinute, int64(t.Minute())),
	} {
		if set != parseOK {
			return 0, 0, set
		}
	}
	if d, dk = q.toDate(); dk != parseOK {
		return 0, 0, dk
	}
	if s, n, tk = q.toTime(); tk != parseOK {
		return 0, 0, tk
	}
	return d.Unix() + s, n, parseOK
}
