package stdlib

import (
	"fmt"
	"slices"
	"strings"
)

// FnSpec declares one registry function: where it lives, how it is called and what it does.
//
// Parameters: Params names every parameter for docs and for the `intrinsic fn` declarations in
// lib/. Parameters at index MinArity and above are optional. A variadic function (MaxArity == -1)
// has exactly MinArity+1 names and the last one ends in "..." ("args..."), standing for zero or
// more further arguments; in a lib file it is written as a bare `...`. So a fixed-arity function
// has len(Params) == MinArity == MaxArity, an optional-argument function len(Params) == MaxArity.
// Parameter names are valid tremor-script identifiers and, except the variadic one (which is
// never written in a lib file), never keywords such as `from`, `to`, `end`, `default`.
type FnSpec struct {
	Module    string   // module path without `std::`/`aggr::`, e.g. "string", "stats"; "" for global functions such as peer_id
	Name      string   // function name, e.g. "format"
	Params    []string // parameter names, e.g. ["fmt", "args..."]; see the type comment
	MinArity  int      // fewest arguments accepted, e.g. 1
	MaxArity  int      // most arguments accepted, e.g. 2; -1 means variadic
	Doc       string   // one-line description in a full sentence, e.g. "Returns the length of the string in characters."
	Aggregate bool     // an aggregate, called as aggr::<Module>::<Name>(...) and only valid in windowed selects
	Pure      bool     // result depends only on the arguments, so calls with literal arguments may be folded at compile time
	// Legacy marks names that resolve without any `use`, kept for compatibility with Tremor's older
	// docs and for Rill's id functions: the bare `peer_id()`, `source_id()`, `stream_id()`,
	// `event_id()` (Module "") and their `tremor::` spellings, and the nanosecond helpers
	// `datetime::with_seconds` and friends. The resolver looks such a name up in the registry by
	// its full path (`tremor::source_id`, `datetime::with_seconds`, bare `peer_id`) when no user
	// definition or used module provides it. Legacy functions are not declared in lib/.
	Legacy bool
	// Impl is the implementation, attached by NewRegistry (never set in the declarative
	// tables); nil means the function is declared only, as aggregates are here. Call it through
	// Call, which checks the arity and renders errors.
	Impl Fn
}

// Path is the function's name as written in a call without `use` aliases: "string::format",
// "peer_id" for a global function, "aggr::stats::sum" for an aggregate.
func (s *FnSpec) Path() string {
	switch {
	case s.Aggregate:
		return "aggr::" + s.Module + "::" + s.Name
	case s.Module == "":
		return s.Name
	default:
		return s.Module + "::" + s.Name
	}
}

// Qualified is the name Tremor uses in error messages: "module::name" (without `aggr::`), or the
// bare name of a global function.
func (s *FnSpec) Qualified() string {
	if s.Module == "" {
		return s.Name
	}
	return s.Module + "::" + s.Name
}

// Variadic reports whether the function accepts any number of trailing arguments.
func (s *FnSpec) Variadic() bool { return s.MaxArity == -1 }

// Accepts reports whether a call with n arguments satisfies the declared arity.
func (s *FnSpec) Accepts(n int) bool {
	return n >= s.MinArity && (s.MaxArity == -1 || n <= s.MaxArity)
}

// Arity renders the accepted argument counts the way Tremor's arity errors do: "1..=1",
// "0..=2"; a variadic function renders as "1.." (no upper bound).
func (s *FnSpec) Arity() string {
	if s.MaxArity == -1 {
		return fmt.Sprintf("%d..", s.MinArity)
	}
	return fmt.Sprintf("%d..=%d", s.MinArity, s.MaxArity)
}

// Signature renders the call shape for docs: "string::format(fmt, args...)",
// "random::integer(min?, max?)", "aggr::stats::count()".
func (s *FnSpec) Signature() string {
	ps := make([]string, len(s.Params))
	for i, p := range s.Params {
		if i >= s.MinArity && !strings.HasSuffix(p, "...") {
			p += "?"
		}
		ps[i] = p
	}
	return s.Path() + "(" + strings.Join(ps, ", ") + ")"
}

// Validate checks the spec's internal consistency: a name, a one-line doc, a sane arity range
// and a parameter list that matches it (see the type comment).
func (s *FnSpec) Validate() error {
	name := s.Path()
	switch {
	case s.Name == "":
		return fmt.Errorf("stdlib: spec in module %q has no name", s.Module)
	case strings.TrimSpace(s.Doc) == "":
		return fmt.Errorf("stdlib: %s has no doc", name)
	case strings.ContainsAny(s.Doc, "\r\n"):
		return fmt.Errorf("stdlib: %s doc is not one line", name)
	case s.MinArity < 0:
		return fmt.Errorf("stdlib: %s has negative MinArity", name)
	case s.MaxArity != -1 && s.MaxArity < s.MinArity:
		return fmt.Errorf("stdlib: %s has MaxArity %d < MinArity %d", name, s.MaxArity, s.MinArity)
	}
	for i, p := range s.Params {
		base := strings.TrimSuffix(p, "...")
		if base == "" || !isIdent(base) {
			return fmt.Errorf("stdlib: %s parameter %d %q is not an identifier", name, i, p)
		}
		if base == p && IsKeyword(base) { // "args..." only names the extras for docs

			return fmt.Errorf("stdlib: %s parameter %q is a keyword", name, p)
		}
		if base != p && (s.MaxArity != -1 || i != len(s.Params)-1) {
			return fmt.Errorf("stdlib: %s parameter %q: only the last parameter of a variadic function ends in ...", name, p)
		}
	}
	want := s.MaxArity
	if s.MaxArity == -1 {
		want = s.MinArity + 1
	}
	if len(s.Params) != want {
		return fmt.Errorf("stdlib: %s declares %d parameters, arity %s needs %d", name, len(s.Params), s.Arity(), want)
	}
	return nil
}

// isIdent reports whether p is a plain ASCII identifier that does not start with `_`.
func isIdent(p string) bool {
	for i, r := range p {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r == '_' || r >= '0' && r <= '9'):
		default:
			return false
		}
	}
	return p != ""
}

// keywordList holds tremor-script's reserved words; a parameter with one of these names could
// not be written in a lib file without backticks.
const keywordList = `intrinsic mod const let match end fn null case of when default patch insert upsert update
erase move copy merge for event state present absent true false and or xor not drop emit select from where
with group by having into create tumbling sliding window stream operator script set each define args use as
recur pipeline connector connect flow to deploy`

// IsKeyword reports whether w is a reserved word of tremor-script/trickle.
func IsKeyword(w string) bool { return slices.Contains(strings.Fields(keywordList), w) }
