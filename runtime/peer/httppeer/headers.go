package httppeer

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// correlationHeader carries an event's `$correlation` as JSON text between Rill instances.
const correlationHeader = "x-rill-correlation"

// contentType is the default Content-Type of a body written with the named codec.
func contentType(codec string) string {
	switch codec {
	case "json":
		return "application/json"
	case "string":
		return "text/plain; charset=utf-8"
	case "yaml":
		return "application/yaml"
	case "msgpack":
		return "application/msgpack"
	case "csv":
		return "text/csv"
	}
	return "application/octet-stream"
}

// headersValue turns protocol headers into a record of lower-case name → array of values, names
// sorted, for `$http_server.request.headers` and `$http_client.response.headers`.
func headersValue(h http.Header) value.Value {
	names := make([]string, 0, len(h))
	for k := range h {
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
		rec.Set(strings.ToLower(k), value.NewArray(items))
	}
	return value.NewRecordValue(rec)
}

// parseHeaders reads a record of header name → string or array of strings (what, e.g.
// "$http_server.response.headers", names it in errors) into dst, replacing the values of each
// name it sets.
func parseHeaders(what string, v value.Value, dst http.Header) error {
	if v.IsNull() {
		return nil
	}
	rec, ok := v.AsRecord()
	if !ok {
		return fmt.Errorf("%s must be a record of header name to string or array of strings, not %s", what, v.TypeName())
	}
	for i := 0; i < rec.Len(); i++ {
		name, x := rec.At(i)
		if name == "" {
			return fmt.Errorf("%s holds an empty header name", what)
		}
		if s, ok := x.AsString(); ok {
			dst[http.CanonicalHeaderKey(name)] = []string{s}
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
		dst[http.CanonicalHeaderKey(name)] = vals
	}
	return nil
}
