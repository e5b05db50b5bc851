// Package stdlib declares Rill's standard library: the registry of built-in functions
// (module, name, parameters, arity, one-line doc) and the embedded module sources under lib/
// that `use std::...;`, `use tremor::...;` and `use http::...;` load.
//
// The registry is declarative. Every function is an FnSpec value; NewRegistry builds a fresh
// Registry holding the full set, so there is no package-level mutable state and each
// environment (a CLI run, a test, a REPL session) owns its registry. The compiler uses the specs
// for static checks (unknown function, arity, const folding of Pure functions, aggregates only in
// windowed selects) and `rill doc` renders them. NewRegistry attaches the implementations
// (impl_*.go) through FnSpec.Impl; FnSpec.Call checks the arity and renders Tremor's error texts.
// Extractors live in stdlib/extractor.
//
// The module sources mirror Tremor 0.13's tremor-script/lib: each registry function of a
// module is bound by exactly one `intrinsic fn NAME(params) as MODULE::NAME;` line, preceded by
// a `##` doc line equal to the spec's Doc. Helpers that Tremor writes in the language itself
// (std::range::contains, std::size, std::time::nanos, ...) are ordinary `fn`s there and are not
// registry functions. The package imports only interp/value (and its own extractor package).
package stdlib
