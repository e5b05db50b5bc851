// Package extractor implements the extractors of the script language (spec §2.8): the
// `kind|rule|` literals that match patterns test strings with and, when the match is bound to a
// name, turn them into structured values.
//
// Compile turns a kind and its rule into an Extractor once, at script compile time; the compiled
// value is immutable and shared by every goroutine that runs the script. Extract never fails: a
// value that is not a string, or a string the rule does not match, is simply "no match" (a failing
// extractor is a non-match in a match pattern). Only an invalid rule is an error, reported by
// Compile.
//
// Each kind follows the Rust crate Tremor 0.13 uses for it (glob 0.3, regex 1.11, base64, simd-json,
// tremor-kv, dissect 0.7.3, grok with Oniguruma, cidr-utils, tremor-influx, chrono); the file of each
// kind says where Go's tools differ and how the difference is bridged. The package depends only on
// the standard library and interp/value.
package extractor

import (
	"fmt"
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// Extractor is a compiled extractor rule (immutable, safe for concurrent use).
type Extractor interface {
	// Extract runs the extractor on v. matched=false when v is not a string or the rule does not
	// match (never an error for that). With result=false only the match test runs (cheaper); with
	// result=true the returned value is the extraction result (spec §2.8 table). ingestNs is the
	// event's ingest time (influx without a timestamp uses it).
	Extract(v value.Value, result bool, ingestNs uint64) (out value.Value, matched bool)
}

// kinds lists the supported kinds in the order `rill doc` and diagnostics show them.
var kinds = []string{"re", "rerg", "glob", "json", "base64", "kv", "dissect", "grok", "cidr", "influx", "datetime"}

// Kinds lists the supported kinds (for `rill doc` and "unsupported extractor" hints).
func Kinds() []string { return append([]string(nil), kinds...) }

// Compile compiles kind|rule| (kind is case-insensitive). An unknown kind is the error
// "Unsupported extractor X"; an invalid rule is an error whose message says what is wrong with it
// (for re and rerg: "invalid regex in the `re` extractor: <what the regexp parser said>").
func Compile(kind, rule string) (Extractor, error) {
	switch strings.ToLower(kind) {
	case "glob":
		return compileGlob(rule)
	case "re":
		return compileRe(rule, false)
	case "rerg":
		return compileRe(rule, true)
	case "base64":
		return base64Extractor{}, nil
	case "json":
		return jsonExtractor{}, nil
	case "kv":
		return compileKV(rule)
	case "dissect":
		return compileDissect(rule)
	case "grok":
		return compileGrok(rule)
	case "cidr":
		return compileCIDR(rule)
	case "influx":
		return influxExtractor{}, nil
	case "datetime":
		return compileDatetime(rule), nil
	}
	return nil, fmt.Errorf("Unsupported extractor %s", kind)
}

// matchTrue is the result of extractors that only test (glob, and cidr/json/base64 when unbound):
// Tremor's MatchNull, which a binding sees as true.
var matchTrue = value.NewBool(true)

// ruleError builds the compile error for an invalid rule of kind.
func ruleError(kind, what string, args ...any) error {
	return fmt.Errorf("invalid rule in the `%s` extractor: %s", kind, fmt.Sprintf(what, args...))
}
