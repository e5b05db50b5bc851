package codec

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/stdlib/extractor"
)

func init() {
	register(&Spec{
		Name: "influx",
		Doc:  "a frame is one line of the InfluxDB line protocol, decoded as {measurement, tags, fields, timestamp}",
		New:  func(config.Values) (Codec, error) { return influxCodec{}, nil },
	})
}

// influxCodec reads and writes the InfluxDB line protocol as Tremor's influx codec does.
//
// Decoding is the influx extractor's parser (extractor.DecodeInflux): the frame must be valid
// UTF-8 and becomes {"measurement": s, "tags": {k: s}, "fields": {k: v}, "timestamp": int}, with
// the frame's ingest time as the timestamp of a line that has none.
//
// Encoding takes a record of that shape: "measurement" a non-empty string that does not start
// with `#` (a comment) or with whitespace other than a space (the reader trims it), "tags" a
// record of strings (absent or null: no tags), "fields" a non-empty record, "timestamp" a
// non-negative integer (absent or null: none written). Tags and fields are written sorted by key,
// as Tremor does. Escapes: `,` and space in the measurement; `,`, `=` and space in tag keys, tag
// values and field keys; a backslash is doubled where the reader would otherwise take it for an
// escape (before an escapable byte or a backslash, and at the end). Field values: a string in `"`
// with `"` and `\` escaped, an integer (at most the i64 maximum) with the `i` suffix, a float in
// its shortest round-trip form that reads back as a float (1.0, 1e20; NaN and infinities are
// errors), a bool as true/false; any other type is an error.
type influxCodec struct{}

func (influxCodec) Decode(data []byte, ingestNs uint64) (value.Value, error) {
	if !utf8.Valid(data) {
		return value.NullValue, fmt.Errorf("influx: invalid UTF-8 at byte %d", invalidUTF8At(data))
	}
	line := string(data)
	v, err := extractor.DecodeInflux(line, ingestNs)
	if err != nil {
		switch t := strings.TrimSpace(line); {
		case t == "":
			return value.NullValue, errors.New("influx: empty line (expected `measurement[,tag=value...] field=value[,field=value...] [timestamp]`)")
		case t[0] == '#':
			return value.NullValue, errors.New("influx: the line is a comment, not a point")
		}
		return value.NullValue, errors.New("influx: malformed line (expected `measurement[,tag=value...] field=value[,field=value...] [timestamp]`)")
	}
	return v, nil
}

func (influxCodec) Encode(dst []byte, v value.Value) ([]byte, error) {
	rec, ok := v.AsRecord()
	if !ok {
		return nil, fmt.Errorf("influx: expected a record {measurement, tags, fields, timestamp}, not %s", v.TypeName())
	}
	mv, _ := rec.Get("measurement")
	m, ok := mv.AsString()
	if !ok {
		return nil, fmt.Errorf("influx: `measurement` must be a string, not %s", mv.TypeName())
	}
	switch r, _ := utf8.DecodeRuneInString(m); {
	case m == "":
		return nil, errors.New("influx: the measurement is empty")
	case r == '#':
		return nil, errors.New("influx: the measurement cannot start with `#` (the line would be a comment)")
	case r != ' ' && unicode.IsSpace(r):
		return nil, fmt.Errorf("influx: the measurement cannot start with %q (the reader trims it)", r)
	}
	dst = appendInfluxEscaped(dst, m, ", ")
	if tv, ok := rec.Get("tags"); ok && !tv.IsNull() {
		tags, ok := tv.AsRecord()
		if !ok {
			return nil, fmt.Errorf("influx: `tags` must be a record, not %s", tv.TypeName())
		}
		for _, i := range sortedIndex(tags) {
			k, x := tags.At(i)
			s, ok := x.AsString()
			if !ok {
				return nil, fmt.Errorf("influx: tag `%s` must be a string, not %s", k, x.TypeName())
			}
			dst = append(dst, ',')
			dst = appendInfluxEscaped(dst, k, ",= ")
			dst = append(dst, '=')
			dst = appendInfluxEscaped(dst, s, ",= ")
		}
	}
	fv, _ := rec.Get("fields")
	fields, ok := fv.AsRecord()
	if !ok {
		return nil, fmt.Errorf("influx: `fields` must be a record, not %s", fv.TypeName())
	}
	if fields.Len() == 0 {
		return nil, errors.New("influx: a line needs at least one field, `fields` is empty")
	}
	for n, i := range sortedIndex(fields) {
		k, x := fields.At(i)
		if n == 0 {
			dst = append(dst, ' ')
		} else {
			dst = append(dst, ',')
		}
		dst = appendInfluxEscaped(dst, k, ",= ")
		dst = append(dst, '=')
		switch x.Kind() {
		case value.String:
			s, _ := x.AsString()
			dst = append(dst, '"')
			for j := 0; j < len(s); j++ {
				if s[j] == '"' || s[j] == '\\' {
					dst = append(dst, '\\')
				}
				dst = append(dst, s[j])
			}
			dst = append(dst, '"')
		case value.Int:
			i, _ := x.AsI64()
			dst = strconv.AppendInt(dst, i, 10)
			dst = append(dst, 'i')
		case value.Uint:
			u, _ := x.AsU64()
			if u > math.MaxInt64 {
				return nil, fmt.Errorf("influx: field `%s` (%d) is too large for a line protocol integer (at most %d)", k, u, int64(math.MaxInt64))
			}
			dst = strconv.AppendUint(dst, u, 10)
			dst = append(dst, 'i')
		case value.Float:
			f, _ := x.AsF64()
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, fmt.Errorf("influx: field `%s` is %v, the line protocol has no NaN or infinity", k, f)
			}
			dst = value.AppendFloat(dst, f)
		case value.Bool:
			b, _ := x.AsBool()
			dst = strconv.AppendBool(dst, b)
		default:
			return nil, fmt.Errorf("influx: field `%s` must be a string, number or bool, not %s", k, x.TypeName())
		}
	}
	if tv, ok := rec.Get("timestamp"); ok && !tv.IsNull() {
		ts, ok := tv.AsU64()
		if !ok || !tv.IsInteger() {
			return nil, fmt.Errorf("influx: `timestamp` must be a non-negative integer (nanoseconds), not %s", tv.String())
		}
		dst = append(dst, ' ')
		dst = strconv.AppendUint(dst, ts, 10)
	}
	return dst, nil
}

// appendInfluxEscaped appends s with a backslash before each byte of special, and before each
// backslash the reader would otherwise take for the start of an escape: one followed by a byte of
// special or a backslash, or one at the end of s.
func appendInfluxEscaped(dst []byte, s, special string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case strings.IndexByte(special, c) >= 0:
			dst = append(dst, '\\')
		case c == '\\' && (i+1 == len(s) || s[i+1] == '\\' || strings.IndexByte(special, s[i+1]) >= 0):
			dst = append(dst, '\\')
		}
		dst = append(dst, c)
	}
	return dst
}

// sortedIndex returns the positions of r's entries in the byte order of their keys.
func sortedIndex(r *value.Rec) []int {
	idx := make([]int, r.Len())
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool {
		ka, _ := r.At(idx[a])
		kb, _ := r.At(idx[b])
		return ka < kb
	})
	return idx
}
