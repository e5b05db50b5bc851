package codec

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
)

func init() {
	register(&Spec{
		Name: "statsd",
		Doc:  "a frame is one StatsD metric `name:value|type[|@rate]`, decoded as {type, metric, value, ...}",
		New:  func(config.Values) (Codec, error) { return statsdCodec{}, nil },
	})
}

// statsdCodec reads and writes StatsD metrics as Tremor's statsd codec does.
//
// Decoding `name:value|type[|@rate]` (valid UTF-8; name non-empty and up to the first `:`; type
// one of c, g, ms, h, s) gives {"type": t, "metric": name, "value": v} in that key order, plus
// "sample_rate": float after "value" when `|@rate` is given. The value is an integer when it
// parses as one (an i64, or a u64 beyond it) and otherwise a finite float in decimal or exponent
// notation. A gauge whose value is signed (`+3`, `-3`) is relative: it gets "action": "add" or
// "sub" (before "value") and the value without its sign; other types keep the sign in the value.
// Anything else (a missing part, an unknown type, a bad number, more sections) is an error.
//
// Encoding is the reverse: "metric" a string without `:`, `|` or line breaks, "type" one of the
// five, "value" a number (floats in their shortest round-trip form), optional "action" ("add"
// or "sub", gauges only, with a non-negative value) and optional "sample_rate" (a number). A
// gauge cannot be set to a negative value without an action, since `-3|g` means "subtract 3".
type statsdCodec struct{}

var statsdTypes = [...]string{"c", "g", "ms", "h", "s"}

func isStatsdType(t string) bool {
	for _, x := range statsdTypes {
		if x == t {
			return true
		}
	}
	return false
}

func (statsdCodec) Decode(data []byte, _ uint64) (value.Value, error) {
	if !utf8.Valid(data) {
		return value.NullValue, fmt.Errorf("statsd: invalid UTF-8 at byte %d", invalidUTF8At(data))
	}
	s := string(data)
	colon := strings.IndexByte(s, ':')
	if colon < 0 {
		return value.NullValue, errors.New("statsd: expected `name:value|type`, there is no `:`")
	}
	if colon == 0 {
		return value.NullValue, errors.New("statsd: the metric name before `:` is empty")
	}
	name := s[:colon]
	rest := s[colon+1:]
	bar := strings.IndexByte(rest, '|')
	if bar < 0 {
		return value.NullValue, errors.New("statsd: expected `|type` after the value")
	}
	num, rest := rest[:bar], rest[bar+1:]
	typ, rate, hasRate := rest, "", false
	if bar := strings.IndexByte(rest, '|'); bar >= 0 {
		typ, rate, hasRate = rest[:bar], rest[bar+1:], true
	}
	if !isStatsdType(typ) {
		return value.NullValue, fmt.Errorf("statsd: unknown metric type %q (expected c, g, ms, h or s)", typ)
	}
	action := ""
	if typ == "g" && num != "" && (num[0] == '+' || num[0] == '-') {
		action = "add"
		if num[0] == '-' {
			action = "sub"
		}
		num = num[1:]
	}
	v, ok := parseStatsdNumber(num)
	if !ok {
		return value.NullValue, fmt.Errorf("statsd: the value %q is not a number", num)
	}
	rec := value.NewRec(5)
	rec.Set("type", value.NewString(typ))
	rec.Set("metric", value.NewString(name))
	if action != "" {
		rec.Set("action", value.NewString(action))
	}
	rec.Set("value", v)
	if hasRate {
		r, ok := strings.CutPrefix(rate, "@")
		if !ok {
			return value.NullValue, fmt.Errorf("statsd: expected `@rate` after the type, found %q", rate)
		}
		f, ok := parseStatsdFloat(r)
		if !ok {
			return value.NullValue, fmt.Errorf("statsd: the sample rate %q is not a number", r)
		}
		rec.Set("sample_rate", value.NewFloat(f))
	}
	return value.NewRecordValue(rec), nil
}

// parseStatsdNumber reads an integer (i64, else u64) or a finite float.
func parseStatsdNumber(s string) (value.Value, bool) {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return value.NewInt(i), true
	}
	if u, err := strconv.ParseUint(strings.TrimPrefix(s, "+"), 10, 64); err == nil {
		return value.NewUint(u), true
	}
	f, ok := parseStatsdFloat(s)
	if !ok {
		return value.NullValue, false
	}
	return value.NewFloat(f), true
}

// parseStatsdFloat reads a finite float in decimal or exponent notation (no NaN, Inf, hex or `_`).
func parseStatsdFloat(s string) (float64, bool) {
	if s == "" || strings.Trim(s, "0123456789+-.eE") != "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

func (statsdCodec) Encode(dst []byte, v value.Value) ([]byte, error) {
	rec, ok := v.AsRecord()
	if !ok {
		return nil, fmt.Errorf("statsd: expected a record {type, metric, value}, not %s", v.TypeName())
	}
	mv, _ := rec.Get("metric")
	metric, ok := mv.AsString()
	if !ok {
		return nil, fmt.Errorf("statsd: `metric` must be a string, not %s", mv.TypeName())
	}
	if metric == "" || strings.ContainsAny(metric, ":|\r\n") {
		return nil, fmt.Errorf("statsd: the metric name %q must be non-empty and hold no `:`, `|` or line break", metric)
	}
	tv, _ := rec.Get("type")
	typ, ok := tv.AsString()
	if !ok || !isStatsdType(typ) {
		return nil, fmt.Errorf("statsd: `type` must be one of \"c\", \"g\", \"ms\", \"h\", \"s\", not %s", tv.String())
	}
	val, _ := rec.Get("value")
	if !val.IsNumber() {
		return nil, fmt.Errorf("statsd: `value` must be a number, not %s", val.TypeName())
	}
	negative := false
	if f, ok := val.AsF64(); ok {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("statsd: `value` must be finite, not %v", f)
		}
		negative = math.Signbit(f)
	} else if i, ok := val.AsI64(); ok {
		negative = i < 0
	}
	dst = append(dst, metric...)
	dst = append(dst, ':')
	if av, ok := rec.Get("action"); ok && !av.IsNull() {
		action, _ := av.AsString()
		if action != "add" && action != "sub" {
			return nil, fmt.Errorf("statsd: `action` must be \"add\" or \"sub\", not %s", av.String())
		}
		if typ != "g" {
			return nil, fmt.Errorf("statsd: `action` applies to gauges (type \"g\") only, not to type %q", typ)
		}
		if negative {
			return nil, errors.New("statsd: a gauge with an `action` needs a non-negative `value`")
		}
		if action == "add" {
			dst = append(dst, '+')
		} else {
			dst = append(dst, '-')
		}
	} else if typ == "g" && negative {
		return nil, errors.New("statsd: a gauge cannot be set to a negative value (`-n|g` subtracts n); use \"action\": \"sub\"")
	}
	dst = appendStatsdNumber(dst, val)
	dst = append(dst, '|')
	dst = append(dst, typ...)
	if rv, ok := rec.Get("sample_rate"); ok && !rv.IsNull() {
		if !rv.IsNumber() {
			return nil, fmt.Errorf("statsd: `sample_rate` must be a number, not %s", rv.TypeName())
		}
		if f, ok := rv.AsF64(); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
			return nil, fmt.Errorf("statsd: `sample_rate` must be finite, not %v", f)
		}
		dst = append(dst, "|@"...)
		dst = appendStatsdNumber(dst, rv)
	}
	return dst, nil
}

// appendStatsdNumber writes an integer in decimal and a float in its shortest round-trip form.
func appendStatsdNumber(dst []byte, v value.Value) []byte {
	if f, ok := v.AsF64(); ok {
		return value.AppendFloat(dst, f)
	}
	if i, ok := v.AsI64(); ok {
		return strconv.AppendInt(dst, i, 10)
	}
	u, _ := v.AsU64()
	return strconv.AppendUint(dst, u, 10)
}
