package httppeer

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/codec"
	"github.com/rillstream/rill/runtime/config"
)

// anyType is the mime_mapping key naming the fallback codec.
const anyType = "*/*"

// defaultMimeMapping is Tremor's content type → codec table; a user's mime_mapping replaces the
// entries it names and keeps the others.
var defaultMimeMapping = map[string]string{
	"application/json":         "json",
	"application/yaml":         "yaml",
	"application/x-yaml":       "yaml",
	"text/yaml":                "yaml",
	"text/csv":                 "csv",
	"text/plain":               "string",
	"text/html":                "string",
	"application/msgpack":      "msgpack",
	"application/x-msgpack":    "msgpack",
	"application/octet-stream": "binary",
}

// mimeKey declares the mime_mapping config key of peer type peerType.
func mimeKey(peerType, use string) config.Key {
	names := make([]string, 0, len(defaultMimeMapping))
	for k := range defaultMimeMapping {
		names = append(names, k)
	}
	sort.Strings(names)
	rec := value.NewRec(len(names))
	for _, k := range names {
		rec.Set(k, value.NewString(defaultMimeMapping[k]))
	}
	return config.Key{Name: "mime_mapping", Type: config.Record, Default: value.NewRecordValue(rec),
		Doc: "a record of content type to codec name (a codec other than the peer's own gets its default config): " + use +
			"; entries given replace those of the default shown and keep the others; a key \"type/*\" matches every subtype, " +
			"and \"*/*\" names the fallback for a missing or unmapped content type (default: the " + peerType + "'s codec); " +
			"parameters (\"; charset=utf-8\") and case are ignored"}
}

// mimeMapping picks a codec by content type.
type mimeMapping struct {
	codecs   map[string]string // media type ("text/plain", "text/*") → codec name
	fallback string            // the "*/*" codec; "" → the peer's codec
}

// parseMimeMapping merges the mime_mapping record v over the default mapping and checks that
// every codec it names exists (what names the key in errors).
func parseMimeMapping(what string, v value.Value) (*mimeMapping, error) {
	m := &mimeMapping{codecs: make(map[string]string, len(defaultMimeMapping))}
	for k, c := range defaultMimeMapping {
		m.codecs[k] = c
	}
	rec, ok := v.AsRecord()
	if !ok {
		return m, nil
	}
	reg := codec.Builtin()
	for i := 0; i < rec.Len(); i++ {
		key, x := rec.At(i)
		name, ok := x.AsString()
		if !ok {
			return nil, fmt.Errorf("%s: %q must map to a codec name (a string), not %s", what, key, x.TypeName())
		}
		mt := mediaType(key)
		if typ, sub, ok := strings.Cut(mt, "/"); !ok || typ == "" || sub == "" || strings.ContainsAny(mt, " \t") ||
			(typ == "*" && sub != "*") {
			return nil, fmt.Errorf("%s: %q is not a content type like \"text/plain\", \"text/*\" or \"*/*\"", what, key)
		}
		if _, err := reg.Compile(codec.Ref{Name: name}); err != nil {
			return nil, fmt.Errorf("%s: %q: %w", what, key, err)
		}
		if mt == anyType {
			m.fallback = name
		} else {
			m.codecs[mt] = name
		}
	}
	return m, nil
}

// mediaType is the lower-case media type of a Content-Type value, without parameters
// ("Text/Plain; charset=utf-8" → "text/plain"); "" for none.
func mediaType(ct string) string {
	ct, _, _ = strings.Cut(ct, ";")
	return strings.ToLower(strings.TrimSpace(ct))
}

// lookup returns the codec a Content-Type value maps to: its media type's entry, else its
// "type/*" entry. It reports false when neither exists (the fallback is not consulted).
func (m *mimeMapping) lookup(ct string) (string, bool) {
	mt := mediaType(ct)
	if mt == "" {
		return "", false
	}
	if c, ok := m.codecs[mt]; ok {
		return c, true
	}
	if typ, _, ok := strings.Cut(mt, "/"); ok {
		if c, ok := m.codecs[typ+"/*"]; ok {
			return c, true
		}
	}
	return "", false
}

// decoder returns the codec to decode a body of Content-Type ct with: the one it maps to, else
// the "*/*" fallback, else own (the peer's codec).
func (m *mimeMapping) decoder(ct, own string) string {
	if c, ok := m.lookup(ct); ok {
		return c
	}
	if m.fallback != "" {
		return m.fallback
	}
	return own
}
