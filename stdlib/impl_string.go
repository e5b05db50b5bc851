package stdlib

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rillstream/rill/interp/value"
)

// stringImpls implements std::string. A "char" is a Unicode scalar value, as in Rust.
func stringImpls() map[string]Fn {
	str := func(f func(string) value.Value) Fn {
		return fnStr(func(s string) (value.Value, error) { return f(s), nil })
	}
	text := func(f func(string) string) Fn {
		return str(func(s string) value.Value { return value.NewString(f(s)) })
	}
	return map[string]Fn{
		"format":   stringFormat,
		"is_empty": str(func(s string) value.Value { return value.NewBool(s == "") }),
		"len": str(func(s string) value.Value {
			return value.NewUint(uint64(utf8.RuneCountInString(s)))
		}),
		"bytes": str(func(s string) value.Value { return value.NewUint(uint64(len(s))) }),
		"replace": func(_ Context, args []value.Value) (value.Value, error) {
			s, from, ok := strings2(args)
			to, ok3 := args[2].AsString()
			if !ok || !ok3 {
				return badType()
			}
			return value.NewString(strings.ReplaceAll(s, from, to)), nil // "" matches between chars, as in Rust
		},
		"trim":       text(func(s string) string { return strings.TrimFunc(s, unicode.IsSpace) }),
		"trim_start": text(func(s string) string { return strings.TrimLeftFunc(s, unicode.IsSpace) }),
		"trim_end":   text(func(s string) string { return strings.TrimRightFunc(s, unicode.IsSpace) }),
		"lowercase":  text(rustLowercase),
		"uppercase":  text(rustUppercase),
		"capitalize": text(func(s string) string {
			r, n := utf8.DecodeRuneInString(s)
			if n == 0 {
				return s
			}
			return rustUppercase(string(r)) + s[n:]
		}),
		"reverse": text(func(s string) string {
			rs := []rune(s)
			for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
				rs[i], rs[j] = rs[j], rs[i]
			}
			return string(rs)
		}),
		"substr": func(_ Context, args []value.Value) (value.Value, error) {
			s, ok1 := args[0].AsString()
			start, ok2 := args[1].AsU64()
			end, ok3 := args[2].AsU64()
			if !ok1 || !ok2 || !ok3 {
				return badType()
			}
			return value.NewString(substr(s, start, end)), nil
		},
		"split": func(_ Context, args []value.Value) (value.Value, error) {
			s, sep, ok := strings2(args)
			if !ok {
				return badType()
			}
			var parts []string
			if sep == "" {
				parts = splitEmpty(s)
			} else {
				parts = strings.Split(s, sep)
			}
			out := make([]value.Value, len(parts))
			for i, p := range parts {
				out[i] = value.NewString(p)
			}
			return value.NewArray(out), nil
		},
		"contains": func(_ Context, args []value.Value) (value.Value, error) {
			s, sub, ok := strings2(args)
			if !ok {
				return badType()
			}
			return value.NewBool(strings.Contains(s, sub)), nil
		},
		"from_utf8_lossy": func(_ Context, args []value.Value) (value.Value, error) {
			b, ok := args[0].AsBytes()
			if !ok {
				return badType()
			}
			return value.NewString(utf8Lossy(b)), nil
		},
		"into_binary": str(func(s string) value.Value { return value.NewBytesString(s) }),
	}
}

// substr is Tremor's string::substr over char indices: the start char's byte offset, or 0 when
// start is past the end (⚠); the end char's byte offset, or the string's end; and the whole
// string when start ends up after end (⚠).
func substr(s string, start, end uint64) string {
	from, to := 0, len(s)
	foundStart, foundEnd := false, false
	var n uint64
	for i := range s {
		if n == start {
			from, foundStart = i, true
		}
		if n == end {
			to, foundEnd = i, true
		}
		if foundStart && foundEnd {
			break
		}
		n++
	}
	if from > to {
		return s
	}
	return s[from:to]
}

// splitEmpty is Rust's `s.split("")`: an empty piece, every char, an empty piece.
func splitEmpty(s string) []string {
	out := make([]string, 0, utf8.RuneCountInString(s)+2)
	out = append(out, "")
	for i, r := range s {
		out = append(out, s[i:i+utf8.RuneLen(r)])
	}
	return append(out, "")
}

// utf8Lossy is Rust's String::from_utf8_lossy: each maximal invalid subpart (a lone bad byte,
// or the valid start of a sequence cut short) becomes one U+FFFD.
func utf8Lossy(b string) string {
	if utf8.ValidString(b) {
		return b
	}
	var out strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRuneInString(b)
		if r != utf8.RuneError || n > 1 {
			out.WriteString(b[:n])
			b = b[n:]
			continue
		}
		// invalid: skip the longest prefix of a valid sequence (at least one byte)
		n = invalidPrefixLen(b)
		out.WriteRune(utf8.RuneError)
		b = b[n:]
	}
	return out.String()
}

// invalidPrefixLen returns how many bytes of b Rust replaces by one U+FFFD: the bytes of a
// truncated but so far valid sequence, or 1.
func invalidPrefixLen(b string) int {
	msg := rustUTF8Error([]byte(b[:min(len(b), 4)]))
	// msg is "invalid utf-8 sequence of N bytes from index 0" or "incomplete ... from index 0"
	if strings.HasPrefix(msg, "invalid utf-8 sequence of ") {
		n, _ := strconv.Atoi(strings.Fields(msg)[4])
		return n
	}
	if strings.HasPrefix(msg, "incomplete") {
		return min(len(b), 4)
	}
	return 1
}

// stringFormat is string::format (spec §3.2): `{}` takes the next argument (strings raw, other
// values as compact JSON), `{{` and `}}` are braces, `\{` and `\}` too, `\c` stays `\c`.
// Positions in errors are 0-based char indices of the offending `{`, `}` or `\`.
func stringFormat(_ Context, args []value.Value) (value.Value, error) {
	f, ok := args[0].AsString()
	if !ok {
		return fail("expected 1st parameter to format to be a format specifier e.g. to print a number use `string::format(\"{}\", 1)`")
	}
	rest := args[1:]
	var out strings.Builder
	out.Grow(len(f))
	rs := []rune(f)
	for i := 0; i < len(rs); i++ {
		switch c := rs[i]; c {
		case '\\':
			if i+1 >= len(rs) {
				return fail("bad escape sequence at " + strconv.Itoa(i))
			}
			i++
			if rs[i] != '{' && rs[i] != '}' {
				out.WriteByte('\\')
			}
			out.WriteRune(rs[i])
		case '{':
			switch {
			case i+1 < len(rs) && rs[i+1] == '}':
				if len(rest) == 0 {
					return fail("the arguments passed to the format function are less than the `{}` specifiers in the format string. The placeholder at " + strconv.Itoa(i) + " can not be filled")
				}
				if s, ok := rest[0].AsString(); ok {
					out.WriteString(s)
				} else {
					out.WriteString(value.Encode(rest[0]))
				}
				rest = rest[1:]
			case i+1 < len(rs) && rs[i+1] == '{':
				out.WriteByte('{')
			default:
				return fail("the format specifier at " + strconv.Itoa(i) + " is invalid. If you want to use `{` as a literal in the string, you need to escape it with `{{`")
			}
			i++
		case '}':
			if i+1 >= len(rs) || rs[i+1] != '}' {
				return fail("the format specifier at " + strconv.Itoa(i) + " is invalid. You have to terminate `}` with another `}` to escape it")
			}
			out.WriteByte('}')
			i++
		default:
			out.WriteRune(c)
		}
	}
	if len(rest) > 0 {
		return fail("too many parameters passed. Ensure that you have the same number of {} in your format string")
	}
	return value.NewString(out.String()), nil
}

// rustUppercase is Rust's str::to_uppercase: Unicode's simple mappings (Go's unicode.ToUpper)
// plus the unconditional multi-char mappings of SpecialCasing.txt (ß → SS, ŉ → ʼN, ﬁ → FI ...).
func rustUppercase(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if m, ok := specialUpper[r]; ok {
			b.WriteString(m)
		} else {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// rustLowercase is Rust's str::to_lowercase: simple mappings, İ → i̇, and Σ → ς at the end of a
// word (Final_Sigma: preceded by a cased letter and not followed by one, skipping
// case-ignorable characters), else σ.
func rustLowercase(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch r {
		case 'İ':
			b.WriteString("i\u0307")
		case 'Σ':
			if casedBefore(s[:i]) && !casedAfter(s[i+len("Σ"):]) {
				b.WriteRune('ς')
			} else {
				b.WriteRune('σ')
			}
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// casedBefore reports whether the last non-case-ignorable char of s is cased.
func casedBefore(s string) bool {
	for len(s) > 0 {
		r, n := utf8.DecodeLastRuneInString(s)
		if !caseIgnorable(r) {
			return cased(r)
		}
		s = s[:len(s)-n]
	}
	return false
}

// casedAfter reports whether the first non-case-ignorable char of s is cased.
func casedAfter(s string) bool {
	for _, r := range s {
		if !caseIgnorable(r) {
			return cased(r)
		}
	}
	return false
}

// cased is Unicode's Cased property: Lowercase, Uppercase or Lt.
func cased(r rune) bool {
	return unicode.In(r, unicode.Ll, unicode.Lu, unicode.Lt, unicode.Other_Lowercase, unicode.Other_Uppercase)
}

// caseIgnorable is Unicode's Case_Ignorable property: Mn, Me, Cf, Lm, Sk, and the Word_Break
// classes MidLetter, MidNumLet and Single_Quote.
func caseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', '\u00B7', '\u0387', '\u055F', '\u05F4', '\u2018', '\u2019', '\u2024', '\u2027',
		'\uFE13', '\uFE52', '\uFE55', '\uFF07', '\uFF0E', '\uFF1A':
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}
