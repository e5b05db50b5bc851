package httppeer

import (
	"errors"
	"net/http"
	"strings"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/peer"
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
func headersValue(h http.Header) value.Value { return peer.HeadersValue(h, strings.ToLower) }

// parseHeaders reads a record of header name → string or array of strings (what, e.g.
// "$http_server.response.headers", names it in errors) into dst, replacing the values of each
// name it sets.
func parseHeaders(what string, v value.Value, dst http.Header) error {
	return peer.ParseHeaders(what, v, func(name string) error {
		if name == "" {
			return errors.New("an empty header name")
		}
		return nil
	}, func(name string, vals []string) { dst[http.CanonicalHeaderKey(name)] = vals })
}
