// Package config declares and validates the configuration records of peers, codecs and
// interceptors (peers.md §1): each declares its keys with a Key list, Validate checks a user's
// record against them and fills defaults, and the same declarations render `rill doc peers`.
package config

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// Type is the expected type of a config value.
type Type uint8

const (
	Any      Type = iota // any value
	String               // a string
	Int                  // an integer (i64 or u64)
	Number               // an integer or a float
	Bool                 // true or false
	Record               // a record
	Array                // an array
	Strings              // an array of strings
	Duration             // a duration in milliseconds: a non-negative integer (keys are named *_ms or documented so)
)

var typeNames = [...]string{Any: "any value", String: "a string", Int: "an integer", Number: "a number",
	Bool: "a boolean", Record: "a record", Array: "an array", Strings: "an array of strings",
	Duration: "a duration in milliseconds"}

// String names the type as error messages say it ("a string").
func (t Type) String() string { return typeNames[t] }

// Key declares one config key.
type Key struct {
	Name     string      // "url"
	Type     Type        // String
	Required bool        // the user must set it
	Default  value.Value // used when the key is absent (null: no default)
	Enum     []string    // allowed values of a String key (nil: any)
	Doc      string      // one sentence for `rill doc peers`
}

// Error is a config error; Key names the offending key ("" for the whole record) so a compiler can
// point at it in the source.
type Error struct {
	Key string
	Msg string
}

func (e *Error) Error() string { return e.Msg }

// Values is a validated config: every declared key is present (given or default) or null.
type Values struct {
	rec *value.Rec
}

// Validate checks v (a record, or null for "nothing given") against keys: unknown keys, missing
// required keys and mistyped values are errors, naming what (the peer type, codec, ...) they
// configure. It returns the values with defaults filled in.
func Validate(what string, v value.Value, keys []Key) (Values, error) {
	out := value.NewRec(len(keys))
	if v.IsNull() {
		v = value.NewRecordValue(value.NewRec(0))
	}
	rec, ok := v.AsRecord()
	if !ok {
		return Values{}, &Error{Msg: fmt.Sprintf("the config of %s must be a record, not %s", what, v.TypeName())}
	}
	known := map[string]*Key{}
	for i := range keys {
		known[keys[i].Name] = &keys[i]
	}
	for i := 0; i < rec.Len(); i++ {
		name, val := rec.At(i)
		k, ok := known[name]
		if !ok {
			return Values{}, &Error{Key: name, Msg: fmt.Sprintf("unknown config key `%s` for %s%s", name, what, suggest(name, keys))}
		}
		if err := check(what, k, val); err != nil {
			return Values{}, err
		}
		out.Set(name, val)
	}
	for i := range keys {
		k := &keys[i]
		if _, ok := out.Get(k.Name); ok {
			continue
		}
		if k.Required {
			return Values{}, &Error{Msg: fmt.Sprintf("missing config key `%s` for %s: %s", k.Name, what, k.Type)}
		}
		out.Set(k.Name, k.Default)
	}
	return Values{rec: out}, nil
}

// check tests one value against its key.
func check(what string, k *Key, v value.Value) error {
	bad := func() error {
		return &Error{Key: k.Name, Msg: fmt.Sprintf("config key `%s` of %s must be %s, not %s", k.Name, what, k.Type, v.TypeName())}
	}
	switch k.Type {
	case String:
		s, ok := v.AsString()
		if !ok {
			return bad()
		}
		if k.Enum != nil && !slices.Contains(k.Enum, s) {
			return &Error{Key: k.Name, Msg: fmt.Sprintf("config key `%s` of %s must be one of %s, not %q", k.Name, what, quoteAll(k.Enum), s)}
		}
	case Int:
		if !v.IsInteger() {
			return bad()
		}
	case Number:
		if !v.IsNumber() {
			return bad()
		}
	case Bool:
		if _, ok := v.AsBool(); !ok {
			return bad()
		}
	case Record:
		if _, ok := v.AsRecord(); !ok {
			return bad()
		}
	case Array:
		if _, ok := v.AsArray(); !ok {
			return bad()
		}
	case Strings:
		items, ok := v.AsArray()
		if !ok {
			return bad()
		}
		for _, it := range items {
			if _, ok := it.AsString(); !ok {
				return &Error{Key: k.Name, Msg: fmt.Sprintf("config key `%s` of %s must be an array of strings, it holds %s", k.Name, what, it.TypeName())}
			}
		}
	case Duration:
		if n, ok := v.AsI64(); !ok || n < 0 {
			if _, ok := v.AsU64(); !ok {
				return bad()
			}
		}
	}
	return nil
}

func quoteAll(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// suggest returns "; did you mean `x`?" for the closest declared key, or "; known keys: ...".
func suggest(name string, keys []Key) string {
	if len(keys) == 0 {
		return "; it takes no config"
	}
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.Name
	}
	if best := Closest(name, names); best != "" {
		return fmt.Sprintf("; did you mean `%s`?", best)
	}
	sort.Strings(names)
	return "; known keys: " + strings.Join(names, ", ")
}

// Closest returns the name in names nearest to name (Levenshtein distance at most 2), or "" when
// none is that close: the source of "did you mean" hints about keys and names.
func Closest(name string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := distance(name, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// distance is the Levenshtein distance of two short strings.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Value returns the value of key name (null when absent without default).
func (c Values) Value(name string) value.Value {
	if c.rec == nil {
		return value.NullValue
	}
	v, _ := c.rec.Get(name)
	return v
}

// Has reports whether key name has a non-null value.
func (c Values) Has(name string) bool { return !c.Value(name).IsNull() }

// String returns a string key ("" when null).
func (c Values) String(name string) string { s, _ := c.Value(name).AsString(); return s }

// Int returns an integer key (0 when null).
func (c Values) Int(name string) int64 {
	v := c.Value(name)
	if i, ok := v.AsI64(); ok {
		return i
	}
	if u, ok := v.AsU64(); ok {
		return int64(min(u, 1<<63-1))
	}
	return 0
}

// Float returns a number key as a float (0 when null).
func (c Values) Float(name string) float64 { f, _ := c.Value(name).CastF64(); return f }

// Bool returns a boolean key (false when null).
func (c Values) Bool(name string) bool { b, _ := c.Value(name).AsBool(); return b }

// Strings returns an array-of-strings key (nil when null).
func (c Values) Strings(name string) []string {
	items, _ := c.Value(name).AsArray()
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, _ := it.AsString()
		out = append(out, s)
	}
	return out
}

// Record returns the whole validated config as a record value.
func (c Values) Record() value.Value {
	if c.rec == nil {
		return value.NewRecordValue(value.NewRec(0))
	}
	return value.NewRecordValue(c.rec)
}

// Doc renders keys as indented lines for `rill doc`: "name  type  (default x) doc".
func Doc(keys []Key) string {
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "  %-20s %s", k.Name, k.Type)
		if k.Required {
			b.WriteString(", required")
		} else if !k.Default.IsNull() {
			fmt.Fprintf(&b, ", default %s", value.Encode(k.Default))
		}
		if k.Enum != nil {
			fmt.Fprintf(&b, ", one of %s", quoteAll(k.Enum))
		}
		if k.Doc != "" {
			fmt.Fprintf(&b, ": %s", k.Doc)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
