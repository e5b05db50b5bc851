package extractor

import (
	"strings"
	"unicode/utf8"

	"github.com/rillstream/rill/interp/value"
)

// glob follows Rust's glob 0.3 Pattern with the default MatchOptions (case-sensitive, `*` and `?`
// match `/`, no leading-dot rule), matching the whole string character by character:
//
//   - `*` any run of characters, `?` one character;
//   - `[abc]`, `[a-z]`, `[!abc]` character classes; a `]` right after `[` or `[!` is a member, a `-`
//     at either end is literal; there is no escape character (`[[]` matches `[`, `[*]` a star);
//   - `**` is legal only as a whole path component (`**`, `a/**`, `**/b`, `a/**/b`) and there matches
//     any run that ends just after a `/` (or nothing); `***` and `a**b` are compile errors;
//   - an unterminated class is a compile error.
//
// As in Tremor, rules of the form `^[^*?]+\*$` become a literal prefix test and `^\*[^*?]+$` a
// literal suffix test (a `[` in those is literal). Every match's result is true.

const (
	errGlobWildcards = "wildcards are either regular `*` or recursive `**`"
	errGlobRecursive = "recursive wildcards must form a single path component"
	errGlobRange     = "invalid range pattern"
)

type globTokenKind uint8

const (
	globChar      globTokenKind = iota // one literal character
	globAnyChar                        // ?
	globAnySeq                         // *
	globRecursive                      // **
	globWithin                         // [..]
	globExcept                         // [!..]
)

// globToken is one element of a compiled glob pattern.
type globToken struct {
	kind   globTokenKind
	c      rune        // globChar
	ranges []runeRange // globWithin, globExcept
}

// runeRange is an inclusive character range; a single character has lo == hi.
type runeRange struct{ lo, hi rune }

// globPattern is a compiled glob.
type globPattern struct {
	tokens []globToken
	memo   bool // two or more wildcards: remember failures to stay polynomial
}

// prefixExtractor and suffixExtractor are the literal shortcuts of glob.
type prefixExtractor string
type suffixExtractor string

func (p prefixExtractor) Extract(v value.Value, _ bool, _ uint64) (value.Value, bool) {
	s, ok := v.AsString()
	if !ok || !strings.HasPrefix(s, string(p)) {
		return value.Value{}, false
	}
	return matchTrue, true
}

func (p suffixExtractor) Extract(v value.Value, _ bool, _ uint64) (value.Value, bool) {
	s, ok := v.AsString()
	if !ok || !strings.HasSuffix(s, string(p)) {
		return value.Value{}, false
	}
	return matchTrue, true
}

func (g *globPattern) Extract(v value.Value, _ bool, _ uint64) (value.Value, bool) {
	s, ok := v.AsString()
	if !ok || !g.matches(s) {
		return value.Value{}, false
	}
	return matchTrue, true
}

// isGlobPrefix reports whether rule matches `^[^*?]+\*$`.
func isGlobPrefix(rule string) bool {
	return len(rule) >= 2 && rule[len(rule)-1] == '*' && !strings.ContainsAny(rule[:len(rule)-1], "*?")
}

// isGlobSuffix reports whether rule matches `^\*[^*?]+$`.
func isGlobSuffix(rule string) bool {
	return len(rule) >= 2 && rule[0] == '*' && !strings.ContainsAny(rule[1:], "*?")
}

func compileGlob(rule string) (Extractor, error) {
	if isGlobPrefix(rule) {
		return prefixExtractor(rule[:len(rule)-1]), nil
	}
	if isGlobSuffix(rule) {
		return suffixExtractor(rule[1:]), nil
	}
	g, err := parseGlob(rule)
	if err != nil {
		return nil, err
	}
	return g, nil
}

// globError is a glob syntax error at a character position, worded as glob 0.3 words it.
func globError(pos int, msg string) error {
	return ruleError("glob", "Pattern syntax error near position %d: %s", pos, msg)
}

// parseGlob compiles a glob rule, following glob 0.3 Pattern::new.
func parseGlob(rule string) (*globPattern, error) {
	chars := []rune(rule)
	var tokens []globToken
	for i := 0; i < len(chars); {
		switch chars[i] {
		case '?':
			tokens = append(tokens, globToken{kind: globAnyChar})
			i++
		case '*':
			old := i
			for i < len(chars) && chars[i] == '*' {
				i++
			}
			switch count := i - old; {
			case count > 2:
				return nil, globError(old+2, errGlobWildcards)
			case count == 2:
				// `**` must be a whole path component.
				if i == 2 || chars[i-count-1] == '/' {
					if i < len(chars) && chars[i] == '/' {
						i++
					} else if i != len(chars) {
						return nil, globError(i, errGlobRecursive)
					}
				} else {
					return nil, globError(old-1, errGlobRecursive)
				}
				if n := len(tokens); !(n > 1 && tokens[n-1].kind == globRecursive) {
					tokens = append(tokens, globToken{kind: globRecursive})
				}
			default:
				tokens = append(tokens, globToken{kind: globAnySeq})
			}
		case '[':
			if i+4 <= len(chars) && chars[i+1] == '!' {
				if j := indexRune(chars[i+3:], ']'); j >= 0 {
					tokens = append(tokens, globToken{kind: globExcept, ranges: globRanges(chars[i+2 : i+3+j])})
					i += j + 4
					continue
				}
			} else if i+3 <= len(chars) && chars[i+1] != '!' {
				if j := indexRune(chars[i+2:], ']'); j >= 0 {
					tokens = append(tokens, globToken{kind: globWithin, ranges: globRanges(chars[i+1 : i+2+j])})
					i += j + 3
					continue
				}
			}
			return nil, globError(i, errGlobRange)
		default:
			tokens = append(tokens, globToken{kind: globChar, c: chars[i]})
			i++
		}
	}
	wildcards := 0
	for _, t := range tokens {
		if t.kind == globAnySeq || t.kind == globRecursive {
			wildcards++
		}
	}
	return &globPattern{tokens: tokens, memo: wildcards > 1}, nil
}

func indexRune(rs []rune, r rune) int {
	for i, c := range rs {
		if c == r {
			return i
		}
	}
	return -1
}

// globRanges parses the members of a character class: `a-z` ranges and single characters.
func globRanges(s []rune) []runeRange {
	var out []runeRange
	for i := 0; i < len(s); {
		if i+3 <= len(s) && s[i+1] == '-' {
			out = append(out, runeRange{s[i], s[i+2]})
			i += 3
		} else {
			out = append(out, runeRange{s[i], s[i]})
			i++
		}
	}
	return out
}

func inRanges(rs []runeRange, c rune) bool {
	for _, r := range rs {
		if r.lo <= c && c <= r.hi {
			return true
		}
	}
	return false
}

// globResult is the outcome of matching the tokens from some position (glob's MatchResult).
type globResult uint8

const (
	globMatch        globResult = iota
	globSubNoMatch              // this way fails; an earlier wildcard may try a longer run
	globWholeNoMatch            // the input ran out: no longer run of an earlier wildcard can help
)

// matches reports whether the whole of s matches the pattern.
func (g *globPattern) matches(s string) bool {
	m := globMatcher{g: g, s: s}
	return m.from(true, 0, 0) == globMatch
}

// globMatcher holds the state of one match: the input and, for patterns with several wildcards, a
// memo of failed (position, token, follows-separator) states, which keeps matching polynomial
// where glob 0.3 can take exponential time. Positions are byte offsets; characters are decoded as
// UTF-8 on the way.
type globMatcher struct {
	g     *globPattern
	s     string
	memo  []globResult // index: (pos*(tokens+1)+ti)*2 + followsSep; 0 = unknown, else result+1
	steps int          // calls before the memo was set up
}

// The memo is set up once a match has taken globMemoAfter steps (most matches never get there),
// and only while it has at most globMemoLimit entries.
const (
	globMemoAfter = 256
	globMemoLimit = 1 << 20
)

// from matches tokens[ti:] against s[pos:]; followsSep tells whether s[pos-1] was a `/` (or pos is
// the start), which `**` needs.
func (m *globMatcher) from(followsSep bool, pos, ti int) globResult {
	stride := len(m.g.tokens) + 1
	if m.memo == nil {
		m.steps++
		n := (len(m.s) + 1) * stride * 2
		if !m.g.memo || m.steps < globMemoAfter || n > globMemoLimit {
			return m.run(followsSep, pos, ti)
		}
		m.memo = make([]globResult, n)
	}
	key := (pos*stride + ti) * 2
	if followsSep {
		key++
	}
	if r := m.memo[key]; r != 0 {
		return r - 1
	}
	r := m.run(followsSep, pos, ti)
	m.memo[key] = r + 1
	return r
}

func (m *globMatcher) run(followsSep bool, pos, ti int) globResult {
	tokens := m.g.tokens
	for ; ti < len(tokens); ti++ {
		t := &tokens[ti]
		switch t.kind {
		case globAnySeq, globRecursive:
			if r := m.from(followsSep, pos, ti+1); r != globSubNoMatch {
				return r
			}
			for pos < len(m.s) {
				c, size := utf8.DecodeRuneInString(m.s[pos:])
				pos += size
				followsSep = c == '/'
				if t.kind == globRecursive && !followsSep {
					continue
				}
				if r := m.from(followsSep, pos, ti+1); r != globSubNoMatch {
					return r
				}
			}
			// The input is exhausted: like glob 0.3, go on with the next token (so a trailing `**`
			// matches a rest without any `/`).
		default:
			if pos >= len(m.s) {
				return globWholeNoMatch
			}
			c, size := utf8.DecodeRuneInString(m.s[pos:])
			pos += size
			var ok bool
			switch t.kind {
			case globAnyChar:
				ok = true
			case globWithin:
				ok = inRanges(t.ranges, c)
			case globExcept:
				ok = !inRanges(t.ranges, c)
			case globChar:
				ok = c == t.c
			}
			if !ok {
				return globSubNoMatch
			}
			followsSep = c == '/'
		}
	}
	if pos == len(m.s) {
		return globMatch
	}
	return globSubNoMatch
}
