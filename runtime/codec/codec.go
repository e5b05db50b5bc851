// Package codec turns frames of bytes into values and values into bytes (peers.md §1). A peer's
// codec is named in its definition (`codec = "json"` or `codec = {"name": "csv", "config": {...}}`);
// the host creates one Codec per stream, so a codec may keep per-stream state.
//
// Every codec is declared by a Spec (name, doc, config keys) in the file named after it
// (json.go, msgpack.go, ...); Builtin returns a Registry holding all of them.
package codec

import (
	"fmt"
	"sort"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
)

// Codec decodes one frame into one value and encodes one value into one frame. A Codec is used
// by one goroutine at a time (one per stream).
type Codec interface {
	// Decode turns one frame into a value. The value must not alias data: the caller reuses the
	// buffer. ingestNs is the frame's ingest time (for codecs that stamp it).
	Decode(data []byte, ingestNs uint64) (value.Value, error)
	// Encode appends the encoding of v to dst and returns it.
	Encode(dst []byte, v value.Value) ([]byte, error)
}

// Spec declares a codec.
type Spec struct {
	Name   string       // "json"
	Doc    string       // one sentence for `rill doc codecs`
	Config []config.Key // its config keys (nil: it takes none)
	// New returns a codec for one stream from its validated config.
	New func(cfg config.Values) (Codec, error)
}

// builtins is filled by the init functions of the codec files.
var builtins []*Spec

func register(s *Spec) { builtins = append(builtins, s) }

// Registry holds the codecs a flow may name.
type Registry struct {
	specs map[string]*Spec
}

// Builtin returns a fresh registry with every codec of this package.
func Builtin() *Registry {
	r := &Registry{specs: map[string]*Spec{}}
	for _, s := range builtins {
		r.Register(s)
	}
	return r
}

// Register adds (or replaces) a codec.
func (r *Registry) Register(s *Spec) { r.specs[s.Name] = s }

// Lookup finds a codec by name.
func (r *Registry) Lookup(name string) (*Spec, bool) {
	s, ok := r.specs[name]
	return s, ok
}

// Specs returns every codec sorted by name.
func (r *Registry) Specs() []*Spec {
	out := make([]*Spec, 0, len(r.specs))
	for _, s := range r.specs {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names returns the codec names, sorted.
func (r *Registry) Names() []string {
	var out []string
	for _, s := range r.Specs() {
		out = append(out, s.Name)
	}
	return out
}

// Ref is a codec as a definition names it: `"json"` or `{"name": "json", "config": {...}}`.
type Ref struct {
	Name   string
	Config value.Value // null when not given
}

// ParseRef reads a codec reference.
func ParseRef(v value.Value) (Ref, error) {
	return parseRef("codec", v)
}

func parseRef(what string, v value.Value) (Ref, error) {
	if s, ok := v.AsString(); ok {
		return Ref{Name: s}, nil
	}
	rec, ok := v.AsRecord()
	if !ok {
		return Ref{}, fmt.Errorf("a %s is a name or a record {\"name\": ..., \"config\": {...}}, not %s", what, v.TypeName())
	}
	var ref Ref
	for i := 0; i < rec.Len(); i++ {
		k, x := rec.At(i)
		switch k {
		case "name":
			s, ok := x.AsString()
			if !ok {
				return Ref{}, fmt.Errorf("the name of a %s must be a string, not %s", what, x.TypeName())
			}
			ref.Name = s
		case "config":
			ref.Config = x
		default:
			return Ref{}, fmt.Errorf("unknown key `%s` in a %s record: it takes `name` and `config`", k, what)
		}
	}
	if ref.Name == "" {
		return Ref{}, fmt.Errorf("a %s record needs a `name`", what)
	}
	return ref, nil
}

// Compiled is a validated codec reference: it makes codecs for streams.
type Compiled struct {
	Spec   *Spec
	Config config.Values
}

// New returns a codec for one stream.
func (c *Compiled) New() (Codec, error) { return c.Spec.New(c.Config) }

// Compile validates a reference against the registry.
func (r *Registry) Compile(ref Ref) (*Compiled, error) {
	s, ok := r.Lookup(ref.Name)
	if !ok {
		return nil, fmt.Errorf("unknown codec `%s`; known codecs: %v", ref.Name, r.Names())
	}
	cfg, err := config.Validate("codec `"+s.Name+"`", ref.Config, s.Config)
	if err != nil {
		return nil, err
	}
	c := &Compiled{Spec: s, Config: cfg}
	if _, err := c.New(); err != nil { // config values the spec rejects (a bad separator, ...)
		return nil, err
	}
	return c, nil
}
