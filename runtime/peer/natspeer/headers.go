package natspeer

import (
	"fmt"
	"strings"

	"github.com/nats-io/nats.go"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/peer"
)

// correlationHeader carries an event's `$correlation` as JSON text between Rill instances
// (peers.md §6); it is reserved: a received message's copy becomes `$correlation`, not a header.
const correlationHeader = "Rill-Correlation"

// headersValue turns a message's headers into a record of name → array of values, names sorted
// and kept as the sender wrote them (NATS header names are case-sensitive). With skipCorrelation
// the reserved Rill-Correlation header is left out (it became `$correlation`).
func headersValue(h nats.Header, skipCorrelation bool) value.Value {
	return peer.HeadersValue(h, func(k string) string {
		if skipCorrelation && strings.EqualFold(k, correlationHeader) {
			return ""
		}
		return k
	})
}

// parseHeaders reads a record of header name → string or array of strings (what, e.g.
// "$nats.publish.headers", names it in errors) into dst, replacing the values of each name it
// sets. Names are used as written.
func parseHeaders(what string, v value.Value, dst nats.Header) error {
	return peer.ParseHeaders(what, v, func(name string) error {
		if name == "" || strings.ContainsAny(name, " \t\r\n:") {
			return fmt.Errorf("the header name %q; expected a name without spaces or colons", name)
		}
		return nil
	}, func(name string, vals []string) { dst[name] = vals })
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
	c := peer.MetaPath(meta, "correlation")
	if c.IsNull() {
		return ""
	}
	return value.Encode(c)
}

// withCorrelation sets `$correlation` on the event meta rec when c is not null.
func withCorrelation(rec *value.Rec, c value.Value) {
	if !c.IsNull() {
		rec.Set("correlation", c)
	}
}
