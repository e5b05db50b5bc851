package config

import "sort"

// Registry holds the specs a flow may name (peer types, codecs, interceptors), each under its
// name and its aliases. S is the spec type, a pointer (*codec.Spec, ...); a spec's name is read
// with the function given to NewRegistry, so the spec types need no methods of their own.
type Registry[S comparable] struct {
	specs   map[string]S
	name    func(S) string
	aliases func(S) []string // nil: specs have no aliases
}

// NewRegistry returns an empty registry of specs whose name is name(s) and whose other names are
// aliases(s) (aliases may be nil: no spec has any).
func NewRegistry[S comparable](name func(S) string, aliases func(S) []string) *Registry[S] {
	return &Registry[S]{specs: map[string]S{}, name: name, aliases: aliases}
}

// Register adds (or replaces) a spec under its name and aliases.
func (r *Registry[S]) Register(s S) {
	r.specs[r.name(s)] = s
	if r.aliases != nil {
		for _, a := range r.aliases(s) {
			r.specs[a] = s
		}
	}
}

// Lookup finds a spec by name or alias.
func (r *Registry[S]) Lookup(name string) (S, bool) {
	s, ok := r.specs[name]
	return s, ok
}

// Specs returns every spec once, sorted by name.
func (r *Registry[S]) Specs() []S {
	seen := make(map[S]bool, len(r.specs))
	out := make([]S, 0, len(r.specs))
	for _, s := range r.specs {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return r.name(out[i]) < r.name(out[j]) })
	return out
}

// Names returns every accepted name (aliases included), sorted.
func (r *Registry[S]) Names() []string {
	var out []string
	for n := range r.specs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
