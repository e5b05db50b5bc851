package codec

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
)

func init() {
	register(&Spec{
		Name: "syslog",
		Doc:  "a frame is one syslog message (RFC 5424 or RFC 3164), decoded as Tremor's syslog record; written as RFC 5424 unless the record says RFC3164",
		New:  func(config.Values) (Codec, error) { return syslogCodec{now: time.Now}, nil },
	})
}

// syslogCodec reads RFC 5424 and RFC 3164 messages and writes RFC 5424 (or RFC 3164, when the
// record says so), in the record shape of Tremor's syslog codec:
//
//	{"severity": "notice", "facility": "local4", "hostname": s, "appname": s, "procid": s,
//	 "msgid": s, "protocol": "RFC5424", "protocol_version": 1,
//	 "structured_data": {"id": [{"key": "value"}, ...]}, "msg": s, "timestamp": ns}
//
// Decoding: the frame must be valid UTF-8 and start with `<PRI>` (0 to 191: facility × 8 +
// severity). A version number and a space after it make it RFC 5424:
// `<PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA[ MSG]`, where a `-` header
// field is null, TIMESTAMP is RFC 3339 (any zone, any number of fraction digits), the structured
// data is `-` (null) or `[id name="value" ...]...` (`\"`, `\\` and `\]` are escapes in values; a
// repeated id appends to the same array) and a UTF-8 BOM at the start of MSG is dropped; a missing
// MSG is "". Otherwise it is RFC 3164: `<PRI>Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG`. RFC 3164
// timestamps carry no year and no zone: the codec takes the current year (of the codec's clock,
// in UTC) and UTC. The hostname may be missing (the word after the timestamp ends with `:` or holds
// `[`), and so may the tag (the text after the hostname does not start with `word:` or
// `word[pid]`: then all of it is the message); a hostname `-` is null. RFC 3164 records have no
// "protocol_version" key, and a null "msgid" and "structured_data". The "timestamp" is nanoseconds
// since the Unix epoch (null for `-`); "procid" is a string.
//
// Encoding takes a record of that shape. "facility" and "severity" are required (names as above,
// or their numbers); "protocol": "RFC3164" writes an RFC 3164 line (it then needs a timestamp, and
// drops the year, the structured data and the msgid), anything else (or none) RFC 5424 with
// "protocol_version" (default 1). Null or absent header fields, and empty strings, are written as
// `-`; header fields cannot hold spaces. The timestamp is written in UTC with 0, 3, 6 or 9 fraction
// digits, as many as it needs. Structured data is a record of ids, each an array of records
// (or one record) whose keys and values (strings, numbers or bools) become params. A message that
// starts with a BOM gets one more, since the reader drops one. In RFC 3164 a null hostname is
// written as `-`, and a null appname writes no tag (nor the procid).
type syslogCodec struct {
	now func() time.Time // the clock for the year of RFC 3164 timestamps
}

var syslogSeverities = [...]string{"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"}

var syslogFacilities = [...]string{"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "authpriv", "ftp", "ntp", "audit", "alert", "clockd",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"}

// syslogBOM is the UTF-8 byte order mark RFC 5424 allows at the start of MSG.
const syslogBOM = "\xEF\xBB\xBF"

// minSyslogTime and maxSyslogTime bound the timestamps whose nanoseconds fit in an int64.
var (
	minSyslogTime = time.Unix(0, -1<<63)
	maxSyslogTime = time.Unix(0, 1<<63-1)
)

// syslogParser walks one message.
type syslogParser struct {
	s string
	i int
}

func (p *syslogParser) errorf(format string, args ...any) error {
	return fmt.Errorf("syslog: "+format, args...)
}

// token reads up to the next space (or the end) and skips the space; what names the field for
// the error when there is nothing to read.
func (p *syslogParser) token(what string) (string, error) {
	if p.i >= len(p.s) {
		return "", p.errorf("expected %s at byte %d, the message ends", what, p.i)
	}
	j := strings.IndexByte(p.s[p.i:], ' ')
	if j < 0 {
		return "", p.errorf("expected a space after %s at byte %d, the message ends", what, len(p.s))
	}
	if j == 0 {
		return "", p.errorf("expected %s at byte %d, found a space", what, p.i)
	}
	t := p.s[p.i : p.i+j]
	p.i += j + 1
	return t, nil
}

// nilable is a header field: `-` is null.
func nilable(s string) value.Value {
	if s == "-" {
		return value.NullValue
	}
	return value.NewString(s)
}

func (c syslogCodec) Decode(data []byte, _ uint64) (value.Value, error) {
	if !utf8.Valid(data) {
		return value.NullValue, fmt.Errorf("syslog: invalid UTF-8 at byte %d", invalidUTF8At(data))
	}
	p := &syslogParser{s: string(data)}
	pri, err := p.pri()
	if err != nil {
		return value.NullValue, err
	}
	rec := value.NewRec(11)
	rec.Set("severity", value.NewString(syslogSeverities[pri%8]))
	rec.Set("facility", value.NewString(syslogFacilities[pri/8]))
	// A version (1-3 digits, no leading zero) and a space: RFC 5424.
	j := p.i
	for j < len(p.s) && j-p.i < 3 && p.s[j] >= '0' && p.s[j] <= '9' {
		j++
	}
	if j > p.i && p.s[p.i] != '0' && j < len(p.s) && p.s[j] == ' ' {
		version, _ := strconv.ParseUint(p.s[p.i:j], 10, 64)
		p.i = j + 1
		if err := p.rfc5424(rec, version); err != nil {
			return value.NullValue, err
		}
	} else if err := p.rfc3164(rec, c.now().UTC().Year()); err != nil {
		return value.NullValue, err
	}
	return value.NewRecordValue(rec), nil
}

// pri reads `<PRI>`.
func (p *syslogParser) pri() (int, error) {
	if !strings.HasPrefix(p.s, "<") {
		return 0, p.errorf("expected `<PRI>` at byte 0 (e.g. <34>)")
	}
	j := 1
	for j < len(p.s) && j < 4 && p.s[j] >= '0' && p.s[j] <= '9' {
		j++
	}
	if j == 1 || j >= len(p.s) || p.s[j] != '>' {
		return 0, p.errorf("expected `<PRI>` with 1 to 3 digits at byte 0 (e.g. <34>)")
	}
	pri, _ := strconv.Atoi(p.s[1:j])
	if pri > 191 {
		return 0, p.errorf("the priority %d is out of range (0 to 191)", pri)
	}
	p.i = j + 1
	return pri, nil
}

// rfc5424 reads what follows `<PRI>VERSION `.
func (p *syslogParser) rfc5424(rec *value.Rec, version uint64) error {
	at := p.i
	ts, err := p.token("TIMESTAMP")
	if err != nil {
		return err
	}
	tsv := value.NullValue
	if ts != "-" {
		t, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			return p.errorf("invalid timestamp %q at byte %d (expected RFC 3339, e.g. 2003-10-11T22:14:15.003Z)", ts, at)
		}
		if t.Before(minSyslogTime) || t.After(maxSyslogTime) {
			return p.errorf("the timestamp %q at byte %d is out of range (1678 to 2262)", ts, at)
		}
		tsv = value.NewInt(t.UnixNano())
	}
	var header [4]string
	for k, what := range [...]string{"HOSTNAME", "APP-NAME", "PROCID", "MSGID"} {
		if header[k], err = p.token(what); err != nil {
			return err
		}
	}
	sd, err := p.structuredData()
	if err != nil {
		return err
	}
	msg := ""
	if p.i < len(p.s) {
		if p.s[p.i] != ' ' {
			return p.errorf("expected a space before MSG at byte %d, found %q", p.i, p.s[p.i])
		}
		msg = strings.TrimPrefix(p.s[p.i+1:], syslogBOM)
	}
	rec.Set("hostname", nilable(header[0]))
	rec.Set("appname", nilable(header[1]))
	rec.Set("procid", nilable(header[2]))
	rec.Set("msgid", nilable(header[3]))
	rec.Set("protocol", value.NewString("RFC5424"))
	rec.Set("protocol_version", value.NewUint(version))
	rec.Set("structured_data", sd)
	rec.Set("msg", value.NewString(msg))
	rec.Set("timestamp", tsv)
	return nil
}

// structuredData reads `-` or one or more `[id name="value" ...]`.
func (p *syslogParser) structuredData() (value.Value, error) {
	if p.i >= len(p.s) {
		return value.NullValue, p.errorf("expected STRUCTURED-DATA (`-` or `[id ...]`) at byte %d, the message ends", p.i)
	}
	if p.s[p.i] == '-' {
		p.i++
		return value.NullValue, nil
	}
	if p.s[p.i] != '[' {
		return value.NullValue, p.errorf("expected STRUCTURED-DATA (`-` or `[id ...]`) at byte %d, found %q", p.i, p.s[p.i])
	}
	var ids []string
	params := map[string][]value.Value{}
	for p.i < len(p.s) && p.s[p.i] == '[' {
		p.i++
		id := p.sdName()
		if id == "" {
			return value.NullValue, p.errorf("expected an SD-ID after `[` at byte %d", p.i)
		}
		if _, seen := params[id]; !seen {
			ids = append(ids, id)
			params[id] = []value.Value{}
		}
		for {
			if p.i >= len(p.s) {
				return value.NullValue, p.errorf("the structured data element %q is not closed with `]`", id)
			}
			if p.s[p.i] == ']' {
				p.i++
				break
			}
			if p.s[p.i] != ' ' {
				return value.NullValue, p.errorf("expected a space or `]` at byte %d in the structured data element %q, found %q", p.i, id, p.s[p.i])
			}
			p.i++
			name := p.sdName()
			if name == "" {
				return value.NullValue, p.errorf("expected a PARAM-NAME at byte %d in the structured data element %q", p.i, id)
			}
			if !strings.HasPrefix(p.s[p.i:], `="`) {
				return value.NullValue, p.errorf("expected `=\"` after the PARAM-NAME %q at byte %d", name, p.i)
			}
			p.i += 2
			val, err := p.sdValue()
			if err != nil {
				return value.NullValue, err
			}
			param := value.NewRec(1)
			param.Set(name, value.NewString(val))
			params[id] = append(params[id], value.NewRecordValue(param))
		}
	}
	sd := value.NewRec(len(ids))
	for _, id := range ids {
		sd.Set(id, value.NewArray(params[id]))
	}
	return value.NewRecordValue(sd), nil
}

// sdName reads an SD-ID or PARAM-NAME: up to a space, `=`, `]` or `"`.
func (p *syslogParser) sdName() string {
	j := p.i
	for j < len(p.s) && p.s[j] != ' ' && p.s[j] != '=' && p.s[j] != ']' && p.s[j] != '"' {
		j++
	}
	name := p.s[p.i:j]
	p.i = j
	return name
}

// sdValue reads a PARAM-VALUE after its opening quote, through its closing quote.
func (p *syslogParser) sdValue() (string, error) {
	start := p.i - 1
	var b []byte
	for j := p.i; j < len(p.s); j++ {
		switch c := p.s[j]; {
		case c == '\\' && j+1 < len(p.s) && (p.s[j+1] == '"' || p.s[j+1] == '\\' || p.s[j+1] == ']'):
			if b == nil {
				b = append([]byte{}, p.s[p.i:j]...)
			}
			b = append(b, p.s[j+1])
			j++
		case c == '"':
			v := p.s[p.i:j]
			if b != nil {
				v = string(b)
			}
			p.i = j + 1
			return v, nil
		default:
			if b != nil {
				b = append(b, c)
			}
		}
	}
	return "", p.errorf("the PARAM-VALUE opened at byte %d has no closing `\"`", start)
}

var syslogMonths = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// rfc3164 reads what follows `<PRI>` in an RFC 3164 message.
func (p *syslogParser) rfc3164(rec *value.Rec, year int) error {
	ts, err := p.bsdTimestamp(year)
	if err != nil {
		return err
	}
	hostname, appname, procid := value.NullValue, value.NullValue, value.NullValue
	rest := ""
	if p.i < len(p.s) {
		if p.s[p.i] != ' ' {
			return p.errorf("expected a space after the timestamp at byte %d, found %q", p.i, p.s[p.i])
		}
		rest = p.s[p.i+1:]
	}
	// The hostname, unless the first word is already the tag.
	word := rest
	if j := strings.IndexByte(rest, ' '); j >= 0 {
		word = rest[:j]
	}
	if word != "" && !strings.HasSuffix(word, ":") && !strings.Contains(word, "[") {
		hostname = nilable(word)
		rest = strings.TrimPrefix(rest[len(word):], " ")
	}
	// TAG[PID]: or TAG: (a word followed by neither is part of the message).
	if j := strings.IndexAny(rest, "[: "); j > 0 && rest[j] != ' ' {
		tag, after, pid := rest[:j], rest[j:], ""
		isTag := after[0] == ':'
		if after[0] == '[' {
			if k := strings.IndexByte(after, ']'); k > 0 {
				pid, after, isTag = after[1:k], after[k+1:], true
			}
		}
		if isTag {
			appname = value.NewString(tag)
			if pid != "" {
				procid = value.NewString(pid)
			}
			rest = strings.TrimPrefix(strings.TrimPrefix(after, ":"), " ")
		}
	}
	rec.Set("hostname", hostname)
	rec.Set("appname", appname)
	rec.Set("procid", procid)
	rec.Set("msgid", value.NullValue)
	rec.Set("protocol", value.NewString("RFC3164"))
	rec.Set("structured_data", value.NullValue)
	rec.Set("msg", value.NewString(rest))
	rec.Set("timestamp", ts)
	return nil
}

// bsdTimestamp reads `Mmm dd hh:mm:ss` (the day space-padded, zero-padded or one digit).
func (p *syslogParser) bsdTimestamp(year int) (value.Value, error) {
	at := p.i
	bad := func() (value.Value, error) {
		return value.NullValue, p.errorf("expected an RFC 5424 version or an RFC 3164 timestamp `Mmm dd hh:mm:ss` at byte %d", at)
	}
	s := p.s[p.i:]
	if len(s) < 3 {
		return bad()
	}
	month := 0
	for k, m := range syslogMonths {
		if s[:3] == m {
			month = k + 1
		}
	}
	if month == 0 {
		return bad()
	}
	s = s[3:]
	if !strings.HasPrefix(s, " ") {
		return bad()
	}
	s = strings.TrimPrefix(s[1:], " ") // a one-digit day is padded with a second space
	day, n := 0, 0
	for n < len(s) && n < 2 && s[n] >= '0' && s[n] <= '9' {
		day = day*10 + int(s[n]-'0')
		n++
	}
	if n == 0 || len(s) < n+9 || s[n] != ' ' {
		return bad()
	}
	clock := s[n+1 : n+9]
	if clock[2] != ':' || clock[5] != ':' {
		return bad()
	}
	var hms [3]int
	for k := range hms {
		d := clock[3*k : 3*k+2]
		if d[0] < '0' || d[0] > '9' || d[1] < '0' || d[1] > '9' {
			return bad()
		}
		hms[k] = int(d[0]-'0')*10 + int(d[1]-'0')
	}
	if day < 1 || hms[0] > 23 || hms[1] > 59 || hms[2] > 60 {
		return value.NullValue, p.errorf("the timestamp at byte %d is out of range", at)
	}
	t := time.Date(year, time.Month(month), day, hms[0], hms[1], hms[2], 0, time.UTC)
	if t.Day() != day {
		return value.NullValue, p.errorf("the timestamp at byte %d names day %d of %s, which %d does not have", at, day, syslogMonths[month-1], year)
	}
	p.i = len(p.s) - len(s) + n + 9
	return value.NewInt(t.UnixNano()), nil
}

// Encoding.

func (syslogCodec) Encode(dst []byte, v value.Value) ([]byte, error) {
	rec, ok := v.AsRecord()
	if !ok {
		return nil, fmt.Errorf("syslog: expected a record {facility, severity, hostname, ...}, not %s", v.TypeName())
	}
	facility, err := syslogCode(rec, "facility", syslogFacilities[:])
	if err != nil {
		return nil, err
	}
	severity, err := syslogCode(rec, "severity", syslogSeverities[:])
	if err != nil {
		return nil, err
	}
	dst = append(dst, '<')
	dst = strconv.AppendInt(dst, int64(facility*8+severity), 10)
	dst = append(dst, '>')
	if pv, _ := rec.Get("protocol"); isString(pv, "RFC3164") {
		return encodeRFC3164(dst, rec)
	}
	version := uint64(1)
	if vv, ok := rec.Get("protocol_version"); ok && !vv.IsNull() {
		n, ok := vv.AsU64()
		if !ok || n < 1 || n > 999 {
			return nil, fmt.Errorf("syslog: `protocol_version` must be an integer from 1 to 999, not %s", vv.String())
		}
		version = n
	}
	dst = strconv.AppendUint(dst, version, 10)
	dst = append(dst, ' ')
	tv, _ := rec.Get("timestamp")
	if tv.IsNull() {
		dst = append(dst, '-')
	} else {
		ns, ok := syslogNanos(tv)
		if !ok {
			return nil, fmt.Errorf("syslog: `timestamp` must be an integer (nanoseconds since the epoch), not %s", tv.String())
		}
		dst = appendRFC3339(dst, ns)
	}
	for _, key := range [...]string{"hostname", "appname", "procid", "msgid"} {
		dst = append(dst, ' ')
		if dst, err = appendSyslogHeader(dst, rec, key); err != nil {
			return nil, err
		}
	}
	dst = append(dst, ' ')
	if dst, err = appendStructuredData(dst, rec); err != nil {
		return nil, err
	}
	mv, _ := rec.Get("msg")
	switch msg, ok := mv.AsString(); {
	case ok && msg != "":
		dst = append(dst, ' ')
		if strings.HasPrefix(msg, syslogBOM) { // the reader drops one BOM
			dst = append(dst, syslogBOM...)
		}
		dst = append(dst, msg...)
	case !ok && !mv.IsNull():
		return nil, fmt.Errorf("syslog: `msg` must be a string, not %s", mv.TypeName())
	}
	return dst, nil
}

// isString reports whether v is the string s.
func isString(v value.Value, s string) bool {
	x, ok := v.AsString()
	return ok && x == s
}

// syslogCode reads a facility or severity: a name from names or its number.
func syslogCode(rec *value.Rec, key string, names []string) (int, error) {
	v, _ := rec.Get(key)
	if s, ok := v.AsString(); ok {
		for i, n := range names {
			if n == s {
				return i, nil
			}
		}
	}
	if n, ok := v.AsU64(); ok && n < uint64(len(names)) {
		return int(n), nil
	}
	return 0, fmt.Errorf("syslog: `%s` must be a %s name (%s, %s, ..., %s) or its number 0 to %d, not %s",
		key, key, names[0], names[1], names[len(names)-1], len(names)-1, v.String())
}

// syslogNanos reads a timestamp in nanoseconds.
func syslogNanos(v value.Value) (int64, bool) {
	if !v.IsInteger() {
		return 0, false
	}
	return v.AsI64()
}

// appendRFC3339 writes ns as an RFC 3339 UTC time with 0, 3, 6 or 9 fraction digits.
func appendRFC3339(dst []byte, ns int64) []byte {
	t := time.Unix(0, ns).UTC()
	dst = t.AppendFormat(dst, "2006-01-02T15:04:05")
	switch frac := t.Nanosecond(); {
	case frac == 0:
	case frac%1_000_000 == 0:
		dst = t.AppendFormat(dst, ".000")
	case frac%1_000 == 0:
		dst = t.AppendFormat(dst, ".000000")
	default:
		dst = t.AppendFormat(dst, ".000000000")
	}
	return append(dst, 'Z')
}

// appendSyslogHeader writes one header field: `-` for null, absent or empty.
func appendSyslogHeader(dst []byte, rec *value.Rec, key string) ([]byte, error) {
	v, _ := rec.Get(key)
	var s string
	switch v.Kind() {
	case value.Null:
	case value.String:
		s, _ = v.AsString()
	case value.Int, value.Uint:
		s = v.String()
	default:
		return nil, fmt.Errorf("syslog: `%s` must be a string or null, not %s", key, v.TypeName())
	}
	if s == "" {
		return append(dst, '-'), nil
	}
	if strings.IndexByte(s, ' ') >= 0 {
		return nil, fmt.Errorf("syslog: `%s` cannot hold a space: %q", key, s)
	}
	return append(dst, s...), nil
}

// appendStructuredData writes "structured_data": `-` for null, absent or empty.
func appendStructuredData(dst []byte, rec *value.Rec) ([]byte, error) {
	v, _ := rec.Get("structured_data")
	if v.IsNull() {
		return append(dst, '-'), nil
	}
	sd, ok := v.AsRecord()
	if !ok {
		return nil, fmt.Errorf("syslog: `structured_data` must be a record of ids or null, not %s", v.TypeName())
	}
	if sd.Len() == 0 {
		return append(dst, '-'), nil
	}
	for i := 0; i < sd.Len(); i++ {
		id, pv := sd.At(i)
		if err := checkSDName("SD-ID", id); err != nil {
			return nil, err
		}
		dst = append(dst, '[')
		dst = append(dst, id...)
		params, ok := pv.AsArray()
		if !ok {
			params = []value.Value{pv}
		}
		for _, p := range params {
			pr, ok := p.AsRecord()
			if !ok {
				return nil, fmt.Errorf("syslog: the params of structured data %q must be an array of records, it holds %s", id, p.TypeName())
			}
			for k := 0; k < pr.Len(); k++ {
				name, x := pr.At(k)
				if err := checkSDName("PARAM-NAME", name); err != nil {
					return nil, err
				}
				var s string
				switch x.Kind() {
				case value.String:
					s, _ = x.AsString()
				case value.Int, value.Uint, value.Float, value.Bool:
					s = x.String()
				default:
					return nil, fmt.Errorf("syslog: the param %q of structured data %q must be a string, number or bool, not %s", name, id, x.TypeName())
				}
				dst = append(dst, ' ')
				dst = append(dst, name...)
				dst = append(dst, '=', '"')
				for j := 0; j < len(s); j++ {
					if c := s[j]; c == '"' || c == '\\' || c == ']' {
						dst = append(dst, '\\')
					}
					dst = append(dst, s[j])
				}
				dst = append(dst, '"')
			}
		}
		dst = append(dst, ']')
	}
	return dst, nil
}

// checkSDName checks an SD-ID or PARAM-NAME.
func checkSDName(what, s string) error {
	if s == "" || strings.ContainsAny(s, " =]\"") {
		return fmt.Errorf("syslog: the %s %q must be non-empty and hold no space, `=`, `]` or `\"`", what, s)
	}
	return nil
}

// encodeRFC3164 writes `Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG` after the priority.
func encodeRFC3164(dst []byte, rec *value.Rec) ([]byte, error) {
	tv, _ := rec.Get("timestamp")
	ns, ok := syslogNanos(tv)
	if !ok {
		return nil, fmt.Errorf("syslog: an RFC 3164 message needs a `timestamp` (nanoseconds since the epoch), not %s", tv.String())
	}
	dst = time.Unix(0, ns).UTC().AppendFormat(dst, "Jan _2 15:04:05")
	dst = append(dst, ' ')
	var err error
	if dst, err = appendSyslogHeader(dst, rec, "hostname"); err != nil {
		return nil, err
	}
	av, _ := rec.Get("appname")
	if !av.IsNull() {
		app, ok := av.AsString()
		if !ok || app == "" || strings.ContainsAny(app, "[]: ") {
			return nil, fmt.Errorf("syslog: the RFC 3164 `appname` must be a non-empty string without `[`, `]`, `:` or space, not %s", av.String())
		}
		dst = append(dst, ' ')
		dst = append(dst, app...)
		if pv, _ := rec.Get("procid"); !pv.IsNull() {
			pid := pv.String()
			if s, ok := pv.AsString(); ok {
				pid = s
			} else if !pv.IsInteger() {
				return nil, fmt.Errorf("syslog: `procid` must be a string or null, not %s", pv.TypeName())
			}
			if strings.ContainsAny(pid, "]") || pid == "" {
				return nil, fmt.Errorf("syslog: the RFC 3164 `procid` must be non-empty without `]`: %q", pid)
			}
			dst = append(dst, '[')
			dst = append(dst, pid...)
			dst = append(dst, ']')
		}
		dst = append(dst, ':')
	}
	mv, _ := rec.Get("msg")
	switch msg, ok := mv.AsString(); {
	case ok && msg != "":
		dst = append(dst, ' ')
		dst = append(dst, msg...)
	case !ok && !mv.IsNull():
		return nil, fmt.Errorf("syslog: `msg` must be a string, not %s", mv.TypeName())
	}
	return dst, nil
}
