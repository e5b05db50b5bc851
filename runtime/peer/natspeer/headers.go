package natspeer

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nats-io/nats.go"

	"github.com/rillstream/rill/interp/value"
)

// correlationHeader carries an event's `$correlation` as JSON text between Rill instances
// (peers.md §6); it is reserved: a received message's copy becomes `$correlation`, not a header.
const correlationHeader = "Rill-Correlation"

// headersValue turns a message's headers into a record of name → array of values, names sorted
// and kept as the sender wrote them (NATS header names are case-sensitive). With skipCorrelation
// the reserved Rill-Correlation header is left out (it became `$correlation`).
func headersValue(h nats.Header, skipCorrelation bool) value.Value {
	names := make([]string, 0, len(h))
	for k := range h {
		if skipCorrelation && strings.EqualFold(k, correlationHeader) {
			continue
		}
		names = append(names, k)
	}
	sort.Strings(names)
	rec := value.NewRec(len(names))
	for _, k := range names {
		vs := h[k]
		items := make([]value.Value, len(vs))
		for i, s := range vs {
			items[i] = value.NewString(s)
		}
		rec.Set(k, value.NewArray(items))
	}
	return value.NewRecordValue(rec)
}

// parseHeaders reads a record of header name → string or array of strings (what, e.g.
// "$nats.publish.headers", names it in errors) into dst, replacing the values of each name it
// sets. Names are used as written.
func parseHeaders(what string, v value.Value, dst nats.Header) error {
	if v.IsNull() {
		return nil
	}
	rec, ok := v.AsRecord()
	if !ok {
		return fmt.Errorf("%s must be a record of header name to string or array of strings, not %s", what, v.TypeName())
	}
	for i := 0; i < rec.Len(); i++ {
		name, x := rec.At(i)
		if name == "" || strings.ContainsAny(name, " \t\r\n:") {
			return fmt.Errorf("%s holds the header name %q; expected a name without spaces or colons", what, name)
		}
		if s, ok := x.AsString(); ok {
			dst[name] = []string{s}
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
		dst[name] = vals
	}
	return nil
}

// receivedCorrelation returns the `$correlation` a received message carries in its
// Rill-Correlation header, or null (no header, or one that is not JSON: it is then ignored).
func receivedCorrelation(h nats.Header) value.Value {
	for k, vs := range h {
		if !strings.EqualFold(k, correlationHeader) || len(vs) == 0 {
			continue
		}
		if v, err := value.DecodeJSONString(vs[0]); err == nil {
			return v
		}
	}
	return value.NullValue
}

// eventCorrelation returns the event meta's `$correlation` as JSON text, or "" when it has none.
func eventCorrelation(meta value.Value) string {
	c := metaPath(meta, "correlation")
	if c.IsNull() {
		return ""
	}
	return value.Encode(c)
}

// metaPath returns the value at meta.a.b... (null when any step is missing or not a record).
func metaPath(meta value.Value, path ...string) value.Value {
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

// withCorrelation sets `$correlation` on the event meta rec when c is not null.
func withCorrelation(rec *value.Rec, c value.Value) {
	if !c.IsNull() {
		rec.Set("correlation", c)
	}
}
