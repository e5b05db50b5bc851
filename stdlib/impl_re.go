package stdlib

import (
	"regexp"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/stdlib/extractor"
)

// reImpls implements std::re with Go's regexp (RE2). Rules are read as Rust regexes the same way the
// re extractor reads them (extractor.CompileRustRegex rewrites the Perl classes Rust makes
// Unicode-aware). Remaining differences from Rust's regex: `\b`/`\B` are ASCII word boundaries and
// the texts of invalid-regex errors are Go's. The replacement syntax is the same in both: `$1`, `$name`,
// `${name}`, `$$`, with `$1a` naming the group "1a".
func reImpls() map[string]Fn {
	compile := func(args []value.Value) (*regexp.Regexp, string, error) {
		pattern, input, ok := strings2(args)
		if !ok {
			return nil, "", errBadType
		}
		re, err := extractor.CompileRustRegex(pattern)
		if err != nil {
			return nil, "", runtimeErr(err.Error())
		}
		return re, input, nil
	}
	replace := func(all bool) Fn {
		return func(_ Context, args []value.Value) (value.Value, error) {
			to, ok := args[2].AsString()
			if !ok {
				return badType()
			}
			re, input, err := compile(args)
			if err != nil {
				return value.NullValue, err
			}
			if all {
				return value.NewString(re.ReplaceAllString(input, to)), nil
			}
			m := re.FindStringSubmatchIndex(input)
			if m == nil {
				return value.NewString(input), nil
			}
			out := []byte(input[:m[0]])
			out = re.ExpandString(out, to, input, m)
			return value.NewString(string(out) + input[m[1]:]), nil
		}
	}
	return map[string]Fn{
		"replace":     replace(false),
		"replace_all": replace(true),
		"is_match": func(_ Context, args []value.Value) (value.Value, error) {
			re, input, err := compile(args)
			if err != nil {
				return value.NullValue, err
			}
			return value.NewBool(re.MatchString(input)), nil
		},
		// split is Rust's Regex::split: the text before each match, then the rest (so a match
		// at either end gives an empty first or last piece).
		"split": func(_ Context, args []value.Value) (value.Value, error) {
			re, input, err := compile(args)
			if err != nil {
				return value.NullValue, err
			}
			var out []value.Value
			last := 0
			for _, m := range re.FindAllStringIndex(input, -1) {
				out = append(out, value.NewString(input[last:m[0]]))
				last = m[1]
			}
			return value.NewArray(append(out, value.NewString(input[last:]))), nil
		},
	}
}
