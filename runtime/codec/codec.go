// Package codec turns frames of bytes into values and values into bytes (peers.md §1). A peer's
// codec is named in its definition (`codec = "json"` or `codec = {"name": "csv", "config": {...}}`);
// the host creates one Codec per stream, so a codec may keep per-stream state.
//
// Every codec is declared by a Spec (name, doc, config keys) in the file named after it
// (json.go, msgpack.go, ...); Builtin returns a Registry holding all of them.
package codec

import (
	"fmt"

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

// Registry holds the codecs a flow may name: Register, Lookup, Specs (sorted by name) and Names
// (sorted) come from config.Registry.
type Registry struct {
	*config.Registry[*Spec]
}

// Builtin returns a fresh registry with every codec of this package.
func Builtin() *Registry {
	r := &Registry{config.NewRegistry(func(s *Spec) string { return s.Name }, nil)}
	for _, s := range builtins {
		r.Register(s)
	}
	return r
}

// Ref is a codec as a definition names it: `"json"` or `{"name": "json", "config": {...}}`.
type Ref = config.Ref

// ParseRef reads a codec reference.
func ParseRef(v value.Value) (Ref, error) { return config.ParseRef("a codec", v) }

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
