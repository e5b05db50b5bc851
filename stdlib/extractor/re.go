package extractor

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// re and rerg use Go's regexp (RE2), whose syntax and leftmost-first match semantics are those of
// Rust's regex crate for everything but a few corners:
//
//   - Rust's `\d`, `\s`, `\w` are Unicode-aware by default, Go's are ASCII: rustifyRegex rewrites
//     them (outside and inside classes) to the Unicode classes Rust means. `\D`, `\S`, `\W` are
//     rewritten outside classes only, and `\b`/`\B` stay ASCII word boundaries (approximation).
//   - Go has no `u` flag: it is dropped from flag groups (`(?-u:…)` → `(?:…)`), and a rule that
//     turns Unicode off anywhere keeps Go's ASCII classes throughout (approximation).
//   - Rust-only syntax (`(?x)` verbose mode, class set operations `&&`/`--`/`~~`, nested classes,
//     `\<`/`\>`, repetitions above 1000) is a compile error here.

type reExtractor struct {
	re    *regexp.Regexp
	names []string // named groups: name, index = position in SubexpNames
	idx   []int
	all   bool // rerg
}

func compileRe(rule string, all bool) (Extractor, error) {
	kind := "re"
	if all {
		kind = "rerg"
	}
	re, err := CompileRustRegex(rule)
	if err != nil {
		return nil, regexError(kind, err)
	}
	x := &reExtractor{re: re, all: all}
	for i, n := range re.SubexpNames() {
		if n != "" {
			if slices.Contains(x.names, n) {
				// Rust's regex refuses what Go's accepts.
				return nil, fmt.Errorf("invalid regex in the `%s` extractor: duplicate capture group name: `%s`", kind, n)
			}
			x.names = append(x.names, n)
			x.idx = append(x.idx, i)
		}
	}
	return x, nil
}

// CompileRustRegex compiles a regex written in Rust's regex-crate syntax with Go's regexp: the Perl
// classes are rewritten to their Unicode meaning first (see rustifyRegex). std::re uses it too, so
// functions and extractors read a rule the same way.
func CompileRustRegex(rule string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(rustifyRegex(rule))
	if err != nil {
		// Report errors against the rule as written when the rewrite is not to blame.
		if _, err2 := regexp.Compile(rule); err2 != nil {
			err = err2
		}
	}
	return re, err
}

// regexError words a regexp compile error for kind.
func regexError(kind string, err error) error {
	var se *syntax.Error
	if errors.As(err, &se) {
		return fmt.Errorf("invalid regex in the `%s` extractor: %s: `%s`", kind, se.Code, se.Expr)
	}
	return fmt.Errorf("invalid regex in the `%s` extractor: %s", kind, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
}

func (x *reExtractor) Extract(v value.Value, result bool, _ uint64) (value.Value, bool) {
	s, ok := v.AsString()
	if !ok {
		return value.Value{}, false
	}
	if !result {
		if x.re.MatchString(s) {
			return matchTrue, true
		}
		return value.Value{}, false
	}
	if !x.all {
		m := x.re.FindStringSubmatchIndex(s)
		if m == nil {
			return value.Value{}, false
		}
		rec := value.NewRec(len(x.names))
		for k, name := range x.names {
			if i := x.idx[k]; m[2*i] >= 0 {
				rec.Set(name, value.NewString(s[m[2*i]:m[2*i+1]]))
			}
		}
		return value.NewRecordValue(rec), true
	}
	// rerg: every non-overlapping match; a bound rerg matches any string.
	groups := make([][]value.Value, len(x.names))
	order := make([]int, 0, len(x.names)) // first-insertion order of the groups
	for _, m := range x.re.FindAllStringSubmatchIndex(s, -1) {
		for k := range x.names {
			if i := x.idx[k]; m[2*i] >= 0 {
				if groups[k] == nil {
					order = append(order, k)
				}
				groups[k] = append(groups[k], value.NewString(s[m[2*i]:m[2*i+1]]))
			}
		}
	}
	rec := value.NewRec(len(order))
	for _, k := range order {
		rec.Set(x.names[k], value.NewArray(groups[k]))
	}
	return value.NewRecordValue(rec), true
}

// Unicode classes of Rust's regex crate (Unicode mode), as Go class contents.
const (
	rustDigit = `\p{Nd}`
	rustSpace = `\t\n\v\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}`
	rustWord  = `\p{L}\p{M}\p{Nd}\p{Nl}\p{Pc}\x{200C}\x{200D}`
)

// asciiFlag finds a flag group that turns Unicode off (`(?-u)`, `(?i-u:`).
var asciiFlag = regexp.MustCompile(`\(\?[imsUux]*-[imsUux]*u[imsUux]*[:)]`)

// rustifyRegex rewrites the Perl classes of a Rust regex to their Unicode meaning in Go syntax.
// Anything it does not understand is copied through unchanged.
func rustifyRegex(rule string) string {
	if !strings.ContainsRune(rule, '\\') && !strings.Contains(rule, "u") {
		return rule
	}
	unicode := !asciiFlag.MatchString(rule)
	var b strings.Builder
	b.Grow(len(rule) + 16)
	inClass := false
	for i := 0; i < len(rule); i++ {
		c := rule[i]
		switch {
		case c == '\\' && i+1 < len(rule):
			e := rule[i+1]
			i++
			var in, out string
			switch {
			case !unicode:
			case e == 'd':
				in, out = rustDigit, "["+rustDigit+"]"
			case e == 's':
				in, out = rustSpace, "["+rustSpace+"]"
			case e == 'w':
				in, out = rustWord, "["+rustWord+"]"
			case e == 'D':
				out = "[^" + rustDigit + "]"
			case e == 'S':
				out = "[^" + rustSpace + "]"
			case e == 'W':
				out = "[^" + rustWord + "]"
			}
			switch {
			case inClass && in != "":
				b.WriteString(in)
			case !inClass && out != "":
				b.WriteString(out)
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
			}
		case c == '(' && !inClass && strings.HasPrefix(rule[i:], "(?"):
			// A flag group: drop Rust's `u` flag, which Go does not know.
			j := i + 2
			for j < len(rule) && strings.IndexByte("imsUux-", rule[j]) >= 0 {
				j++
			}
			if j == i+2 || j >= len(rule) || (rule[j] != ':' && rule[j] != ')') {
				b.WriteByte(c)
				continue
			}
			flags := strings.ReplaceAll(rule[i+2:j], "u", "")
			flags = strings.TrimSuffix(flags, "-")
			switch {
			case flags != "":
				b.WriteString("(?" + flags + string(rule[j]))
			case rule[j] == ':':
				b.WriteString("(?:")
			}
			i = j
		case c == '[' && !inClass:
			inClass = true
			b.WriteByte(c)
			// A `]` (after an optional `^`) right after the opening bracket is a member.
			if i+1 < len(rule) && rule[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(rule) && rule[i+1] == ']' {
				b.WriteByte(']')
				i++
			}
		case c == '[' && inClass && i+1 < len(rule) && rule[i+1] == ':':
			// POSIX class [:name:] inside a class.
			end := strings.Index(rule[i:], ":]")
			if end < 0 {
				b.WriteByte(c)
				continue
			}
			b.WriteString(rule[i : i+end+2])
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
