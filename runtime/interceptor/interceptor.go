// Package interceptor holds the byte-level stages between a peer and its codec (peers.md §1):
// splitting a byte stream into frames and joining them back (lines, length-prefixed,
// textual-length-prefixed), (de)compression (gzip, zlib, zstd, snappy, decompress, compress),
// base64, remove-empty and ingest-time stamps (ingest-ns). Names and wire formats are Tremor
// 0.13's pre- and postprocessors.
//
// An interceptor has a read side (Pre: bytes from the outside → frames for the codec) and a write
// side (Post: encoded frames → bytes for the outside). A definition's `interceptors` list is
// two-way: each entry's read side runs in list order on read and its write side in reverse order
// on write, so ["lines", "base64"] reads by splitting lines and decoding each, and writes by
// encoding each frame and appending a newline. `preprocessors` and `postprocessors` are Tremor's
// one-way lists.
//
// Instances are created per stream (one Pre and one Post per stream and direction), so partial
// lines and decompressor state are never shared between connections. A Pre receives chunks as
// the peer reads them, split anywhere (TCP): framing stages carry partial frames between calls.
// The other stages work on whole inputs (compression and base64 take each input as one unit), so
// they come after a framing stage when the peer's transport does not keep message boundaries.
//
// Bad input is an error of the call that got it, never a panic; the instance stays usable and
// later input comes through. Every bound on memory (max_length, max_size) holds for any input.
//
// Every interceptor is declared by a Spec in the file named after it (lines.go, gzip.go, ...);
// Builtin returns a Registry with all of them. ReadChain and WriteChain run a list of stages.
package interceptor

import (
	"fmt"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
)

// Pre is the read side of an interceptor for one stream. Its methods are called by one goroutine
// at a time.
type Pre interface {
	// Process takes the next chunk read from the stream and returns the frames completed by it
	// (none, one or several). *ingestNs is the chunk's ingest time; a stage may change it
	// (ingest-ns). Returned frames (and the returned slice) may alias data and internal buffers:
	// they are valid until the next call of Process or Finish or until the caller reuses data,
	// so the caller consumes them first. Process never modifies data and does not keep it
	// after it returns (what it keeps, it copies). An error concerns this chunk (frames
	// completed by it may be returned with it); the stream goes on.
	Process(data []byte, ingestNs *uint64) ([][]byte, error)
	// Finish is called once at the end of the stream and returns what is left (a last line
	// without a separator, ...).
	Finish(ingestNs *uint64) ([][]byte, error)
}

// Post is the write side of an interceptor for one stream. Its methods are called by one
// goroutine at a time.
type Post interface {
	// Process takes one frame to be written and returns the chunks to write (framing added,
	// compressed, ...). The same aliasing rules as Pre.Process apply.
	Process(data []byte, ingestNs uint64) ([][]byte, error)
	// Finish is called once when the stream is closed and returns what is left to write.
	Finish(ingestNs uint64) ([][]byte, error)
}

// Spec declares an interceptor.
type Spec struct {
	Name    string       // "lines"
	Aliases []string     // other names (Tremor's "separate" for "lines")
	Doc     string       // one sentence for `rill doc interceptors`
	Config  []config.Key // its config keys
	// NewPre returns the read side for one stream; nil when the interceptor only writes.
	NewPre func(cfg config.Values) (Pre, error)
	// NewPost returns the write side for one stream; nil when the interceptor only reads.
	NewPost func(cfg config.Values) (Post, error)
}

var builtins []*Spec

func register(s *Spec) { builtins = append(builtins, s) }

// Registry holds the interceptors a flow may name, each under its name and aliases: Register,
// Lookup (by name or alias), Specs (every interceptor once, sorted by name) and Names (every
// accepted name, aliases included, sorted) come from config.Registry.
type Registry struct {
	*config.Registry[*Spec]
}

// Builtin returns a fresh registry with every interceptor of this package.
func Builtin() *Registry {
	r := &Registry{config.NewRegistry(func(s *Spec) string { return s.Name }, func(s *Spec) []string { return s.Aliases })}
	for _, s := range builtins {
		r.Register(s)
	}
	return r
}

// Ref is an interceptor as a definition names it: `"lines"` or
// `{"name": "lines", "config": {"max_length": 1024}}`.
type Ref = config.Ref

// ParseRefs reads a list of interceptor references.
func ParseRefs(v value.Value) ([]Ref, error) {
	items, ok := v.AsArray()
	if !ok {
		return nil, fmt.Errorf("expected an array of interceptors, not %s", v.TypeName())
	}
	out := make([]Ref, 0, len(items))
	for i, it := range items {
		ref, err := config.ParseRef("an interceptor", it)
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		out = append(out, ref)
	}
	return out, nil
}

// Stage is one validated interceptor of a chain.
type Stage struct {
	Spec   *Spec
	Config config.Values
}

// Compile validates references; dir says which sides are needed ("read", "write" or "both"),
// and a reference whose interceptor lacks a needed side is an error.
func (r *Registry) Compile(refs []Ref, dir string) ([]Stage, error) {
	var out []Stage
	for _, ref := range refs {
		s, ok := r.Lookup(ref.Name)
		if !ok {
			return nil, fmt.Errorf("unknown interceptor `%s`; known interceptors: %v", ref.Name, r.Names())
		}
		if (dir == "read" || dir == "both") && s.NewPre == nil {
			return nil, fmt.Errorf("the interceptor `%s` has no read side: use it in postprocessors", ref.Name)
		}
		if (dir == "write" || dir == "both") && s.NewPost == nil {
			return nil, fmt.Errorf("the interceptor `%s` has no write side: use it in preprocessors", ref.Name)
		}
		cfg, err := config.Validate("interceptor `"+ref.Name+"`", ref.Config, s.Config)
		if err != nil {
			return nil, err
		}
		st := Stage{Spec: s, Config: cfg}
		// Build once so config values the constructors reject are compile errors.
		if s.NewPre != nil && dir != "write" {
			if _, err := s.NewPre(cfg); err != nil {
				return nil, fmt.Errorf("interceptor `%s`: %w", ref.Name, err)
			}
		}
		if s.NewPost != nil && dir != "read" {
			if _, err := s.NewPost(cfg); err != nil {
				return nil, fmt.Errorf("interceptor `%s`: %w", ref.Name, err)
			}
		}
		out = append(out, st)
	}
	return out, nil
}
