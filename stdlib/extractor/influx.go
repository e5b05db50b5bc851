package extractor

import (
	"errors"
	"strconv"
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// influxExtractor decodes one line of the InfluxDB line protocol as tremor-influx does:
//
//	measurement[,tag=value...] field=value[,field=value...] [timestamp]
//
// into {"measurement": s, "tags": {k: s}, "fields": {k: v}, "timestamp": int}. Field values: `1i`
// integer, other numbers float, `"…"` string (escapes `\"` and `\\`), t/T/true/True/TRUE and
// f/F/false/False/FALSE booleans. In the measurement `\,` and `\ ` are escapes, in tag keys, tag
// values and field keys `\,`, `\=` and `\ `; `\\` is a backslash everywhere; any other backslash is
// literal. A missing timestamp is the event's ingest time. The line is trimmed of surrounding
// whitespace first; an empty line, a `#` comment or a malformed line is no match.
type influxExtractor struct{}

func (influxExtractor) Extract(v value.Value, result bool, ingestNs uint64) (value.Value, bool) {
	s, ok := v.AsString()
	if !ok {
		return value.Value{}, false
	}
	out, err := DecodeInflux(s, ingestNs)
	if err != nil {
		return value.Value{}, false
	}
	if !result {
		return matchTrue, true
	}
	return out, true
}

var errInflux = errors.New("invalid influx line")

// DecodeInflux parses one line of the InfluxDB line protocol into the record influxExtractor
// describes ({"measurement", "tags", "fields", "timestamp"}); a line without a timestamp gets
// ingestNs. Strings of the result may be substrings of line. A malformed, empty or comment line is
// an error (always the same one: the parser does not say where it failed). The influx codec
// (runtime/codec) decodes with it too.
func DecodeInflux(line string, ingestNs uint64) (value.Value, error) {
	data := strings.TrimSpace(line)
	if data == "" || data[0] == '#' {
		return value.Value{}, errInflux
	}
	measurement, n, ok := influxToken(data, ", ", ", ")
	if !ok {
		return value.Value{}, errInflux
	}
	data = data[n:]
	tags := value.NewRec(4)
	if strings.HasPrefix(data, ",") {
		data = data[1:]
		for {
			key, n, ok := influxToken(data, "=", ",= ")
			if !ok {
				return value.Value{}, errInflux
			}
			data = data[n+1:]
			val, n, ok := influxToken(data, ", ", ",= ")
			if !ok {
				return value.Value{}, errInflux
			}
			tags.Set(key, value.NewString(val))
			data = data[n:]
			if data == "" || data[0] == ' ' {
				break
			}
			data = data[1:] // ','
		}
	}
	if !strings.HasPrefix(data, " ") {
		return value.Value{}, errInflux
	}
	data = data[1:]
	fields := value.NewRec(4)
	for {
		key, n, ok := influxToken(data, "=", ",= ")
		if !ok {
			return value.Value{}, errInflux
		}
		data = data[n+1:]
		val, n, err := influxFieldValue(data)
		if err != nil {
			return value.Value{}, err
		}
		fields.Set(key, val)
		data = data[n:]
		if data == "" || data[0] == ' ' {
			break
		}
		if data[0] != ',' {
			return value.Value{}, errInflux
		}
		data = data[1:]
	}
	ts := ingestNs
	if data != "" {
		t, err := strconv.ParseUint(data[1:], 10, 64)
		if err != nil {
			return value.Value{}, errInflux
		}
		ts = t
	}
	rec := value.NewRec(4)
	rec.Set("measurement", value.NewString(measurement))
	rec.Set("tags", value.NewRecordValue(tags))
	rec.Set("fields", value.NewRecordValue(fields))
	rec.Set("timestamp", value.NewUint(ts))
	return value.NewRecordValue(rec), nil
}

// influxToken reads an escaped token up to the first unescaped byte of ends, returning the
// unescaped token and the number of bytes read (the end byte is not consumed). escapable lists the
// bytes a backslash escapes (besides the backslash itself). A token that runs to the end of the
// input is malformed (every token of a line is followed by something).
func influxToken(s, ends, escapable string) (string, int, bool) {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && (s[i+1] == '\\' || strings.IndexByte(escapable, s[i+1]) >= 0) {
			if b == nil {
				b = append(make([]byte, 0, len(s)), s[:i]...)
			}
			b = append(b, s[i+1])
			i++
			continue
		}
		if strings.IndexByte(ends, c) >= 0 {
			if b == nil {
				return s[:i], i, true
			}
			return string(b), i, true
		}
		if b != nil {
			b = append(b, c)
		}
	}
	return "", 0, false
}

// influxFieldValue reads one field value, returning it and the bytes read.
func influxFieldValue(s string) (value.Value, int, error) {
	if strings.HasPrefix(s, `"`) {
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			switch c := s[i]; {
			case c == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\'):
				b.WriteByte(s[i+1])
				i++
			case c == '"':
				return value.NewString(b.String()), i + 1, nil
			default:
				b.WriteByte(c)
			}
		}
		return value.Value{}, 0, errInflux
	}
	n := strings.IndexAny(s, ", ")
	if n < 0 {
		n = len(s)
	}
	tok := s[:n]
	switch tok {
	case "t", "T", "true", "True", "TRUE":
		return value.NewBool(true), n, nil
	case "f", "F", "false", "False", "FALSE":
		return value.NewBool(false), n, nil
	}
	if digits, ok := strings.CutSuffix(tok, "i"); ok {
		i, err := strconv.ParseInt(digits, 10, 64)
		if err != nil {
			return value.Value{}, 0, errInflux
		}
		return value.NewInt(i), n, nil
	}
	f, ok := parseRustFloat(tok)
	if !ok {
		return value.Value{}, 0, errInflux
	}
	return value.NewFloat(f), n, nil
}
