package aggr

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// percentile is one requested percentile: the key as given and its parsed value.
type percentile struct {
	key string
	p   float64
}

// defaultPercentiles are hdr's and dds's keys when no list is given.
func defaultPercentiles() []percentile {
	keys := []string{"0.5", "0.9", "0.95", "0.99", "0.999", "0.9999", "0.99999"}
	out := make([]percentile, len(keys))
	for i, k := range keys {
		out[i].key = k
		out[i].p, _ = strconv.ParseFloat(k, 64)
	}
	return out
}

// percentileList holds the percentile list of hdr / dds: the defaults until the first
// accumulated event that passes an array as second argument fixes it (it then survives resets).
type percentileList struct {
	list []percentile
	set  bool
}

// init parses args[1] when it is an array: its strings (other elements are skipped) parsed as
// Rust f64. fn is "hdr" or "dds" for the error text.
func (l *percentileList) init(fn string, args []value.Value) error {
	if l.set || len(args) < 2 {
		return nil
	}
	items, ok := args[1].AsArray()
	if !ok {
		return nil
	}
	list := make([]percentile, 0, len(items))
	for _, it := range items {
		s, ok := it.AsString()
		if !ok {
			continue
		}
		p, err := parseRustF64(s)
		if err != nil {
			return errors.New("Runtime error in function stats::" + fn + "/2: Provided percentile '" + s + "' isn't a float: " + err.Error())
		}
		list = append(list, percentile{s, p})
	}
	l.list, l.set = list, true
	return nil
}

// merge adopts other's list when this one is not fixed yet.
func (l *percentileList) merge(o *percentileList) {
	if !l.set {
		l.list, l.set = o.list, true
	}
}

// parseRustF64 parses like Rust's `str::parse::<f64>`: decimal with optional sign, fraction and
// exponent, or inf / infinity / nan (any case); no hex, no underscores, no surrounding space.
func parseRustF64(s string) (float64, error) {
	if s == "" {
		return 0, errors.New("cannot parse float from empty string")
	}
	invalid := errors.New("invalid float literal")
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 {
		return 0, invalid
	}
	switch strings.ToLower(body) {
	case "inf", "infinity":
		if s[0] == '-' {
			return math.Inf(-1), nil
		}
		return math.Inf(1), nil
	case "nan":
		return value.NaN(), nil
	}
	digits := false
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c >= '0' && c <= '9':
			digits = true
		case c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-':
		default:
			return 0, invalid
		}
	}
	if !digits {
		return 0, invalid
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return f, nil // Rust rounds to ±inf / 0 as well
		}
		return 0, invalid
	}
	return f, nil
}

// satU64 is Rust's saturating `f as u64` (NaN → 0).
func satU64(f float64) uint64 {
	switch {
	case f != f || f <= 0:
		return 0
	case f >= 18446744073709551616.0:
		return math.MaxUint64
	}
	return uint64(f)
}
