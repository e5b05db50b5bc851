package peer

import (
	"fmt"
	"sort"

	"github.com/rillstream/rill/interp/value"
)

// MetaPath returns the value at meta.a.b... (null when any step is missing or not a record):
// how peers read their `$type.key` metadata.
func MetaPath(meta value.Value, path ...string) value.Value {
	v := meta
	for _, k := range path {
		rec, ok := v.AsRecord()
		if !ok {
			return value.NullValue
		}
		if v, ok = rec.Get(k); !ok {
			return value.NullValue
		}
	}
	return v
}

// HeadersValue turns protocol headers into the record metadata carries (peers.md §6): name →
// array of values, names sorted. name maps a header name to its key (strings.ToLower for HTTP,
// whose names are case-insensitive); a name it maps to "" is left out.
func HeadersValue(h map[string][]string, name func(string) string) value.Value {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	rec := value.NewRec(len(names))
	for _, k := range names {
		key := name(k)
		if key == "" {
			continue
		}
		vs := h[k]
		items := make([]value.Value, len(vs))
		for i, s := range vs {
			items[i] = value.NewString(s)
		}
		rec.Set(key, value.NewArray(items))
	}
	return value.NewRecordValue(rec)
}

// ParseHeaders reads headers an event asks for (what, e.g. "$http_server.response.headers", names
// it in errors): a record of header name → string or array of strings, null for none. check
// rejects a name the protocol does not allow (its error completes "WHAT holds ..."); set stores one header, replacing its values.
func ParseHeaders(what string, v value.Value, check func(name string) error, set func(name string, values []string)) error {
	if v.IsNull() {
		return nil
	}
	rec, ok := v.AsRecord()
	if !ok {
		return fmt.Errorf("%s must be a record of header name to string or array of strings, not %s", what, v.TypeName())
	}
	for i := 0; i < rec.Len(); i++ {
		name, x := rec.At(i)
		if err := check(name); err != nil {
			return fmt.Errorf("%s holds %w", what, err)
		}
		if s, ok := x.AsString(); ok {
			set(name, []string{s})
			continue
		}
		items, ok := x.AsArray()
		if !ok {
			return fmt.Errorf("%s.%s must be a string or an array of strings, not %s", what, name, x.TypeName())
		}
		vals := make([]string, 0, len(items))
		for _, it := range items {
			s, ok := it.AsString()
			if !ok {
				return fmt.Errorf("%s.%s must be a string or an array of strings, it holds %s", what, name, it.TypeName())
			}
			vals = append(vals, s)
		}
		set(name, vals)
	}
	return nil
}
