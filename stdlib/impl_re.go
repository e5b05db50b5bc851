package stdlib

import (
	"regexp"
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// reImpls implements std::re with Go's regexp (RE2), after translating the Perl classes that
// Rust's regex crate makes Unicode-aware (see rustRegex). Remaining differences from Rust's
// regex: `\b`/`\B` are ASCII word boundaries; `\S` and `\W` inside a bracket class keep Go's
// ASCII meaning; the texts of invalid-regex errors are Go's; flags such as `(?-u)` are not
// honoured by the translation. The replacement syntax is the same in both: `$1`, `$name`,
// `${name}`, `$$`, with `$1a` naming the group "1a".
func reImpls() map[string]Fn {
	compile := func(args []value.Value) (*regexp.Regexp, string, error) {
		pattern, input, ok := strings2(args)
		if !ok {
			return nil, "", errBadType
		}
		re, err := regexp.Compile(rustRegex(pattern))
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

// Unicode versions of the Perl classes, as Rust's regex defines them by default.
const (
	reDigit = `\p{Nd}`
	reSpace = `\s\v\x{85}\p{Z}`
	reWord  = `\p{L}\p{M}\p{Nd}\p{Pc}\p{Nl}\x{200C}\x{200D}`
)

// rustRegex rewrites the Unicode-aware Perl classes of a Rust regex for Go: `\d`, `\s`, `\w`
// everywhere, and `\D`, `\S`, `\W` outside bracket classes. Everything else passes through.
func rustRegex(p string) string {
	if !strings.Contains(p, `\`) {
		return p
	}
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			next := p[i+1]
			i++
			var repl string
			switch next {
			case 'd':
				repl = reDigit
			case 's':
				repl = reSpace
			case 'w':
				repl = reWord
			case 'D':
				if !inClass {
					repl = `\P{Nd}`
				}
			case 'S':
				if !inClass {
					repl = `[^` + reSpace + `]`
				}
			case 'W':
				if !inClass {
					repl = `[^` + reWord + `]`
				}
			}
			switch {
			case repl == "":
				b.WriteByte('\\')
				b.WriteByte(next)
			case inClass || next == 'D' || repl == reDigit:
				b.WriteString(repl)
			case next == 's' || next == 'w':
				b.WriteString("[" + repl + "]")
			default:
				b.WriteString(repl)
			}
		case c == '[' && !inClass:
			inClass = true
			b.WriteByte(c)
			// a `]` right after `[` or `[^` is a literal
			if i+1 < len(p) && p[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' {
				b.WriteByte(']')
				i++
			}
		case c == '[' && inClass && i+1 < len(p) && p[i+1] == ':':
			// POSIX class [:alpha:] inside a bracket class
			end := strings.Index(p[i:], ":]")
			if end < 0 {
				b.WriteByte(c)
				continue
			}
			b.WriteString(p[i : i+end+2])
			i += end + 1
		case c == ']' && inClass:
			inClass = false
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
