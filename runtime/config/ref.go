package config

import (
	"fmt"

	"github.com/rillstream/rill/interp/value"
)

// Ref is a codec or interceptor as a definition names it: `"json"` or
// `{"name": "json", "config": {...}}`.
type Ref struct {
	Name   string
	Config value.Value // null when not given
}

// ParseRef reads a reference; what names the kind with its article ("a codec", "an
// interceptor") for error messages.
func ParseRef(what string, v value.Value) (Ref, error) {
	if s, ok := v.AsString(); ok {
		return Ref{Name: s}, nil
	}
	rec, ok := v.AsRecord()
	if !ok {
		return Ref{}, fmt.Errorf("%s is a name or a record {\"name\": ..., \"config\": {...}}, not %s", what, v.TypeName())
	}
	var ref Ref
	for i := 0; i < rec.Len(); i++ {
		k, x := rec.At(i)
		switch k {
		case "name":
			s, ok := x.AsString()
			if !ok {
				return Ref{}, fmt.Errorf("the name of %s must be a string, not %s", what, x.TypeName())
			}
			ref.Name = s
		case "config":
			ref.Config = x
		default:
			return Ref{}, fmt.Errorf("unknown key `%s` in %s record: it takes `name` and `config`", k, what)
		}
	}
	if ref.Name == "" {
		return Ref{}, fmt.Errorf("%s record needs a `name`", what)
	}
	return ref, nil
}
