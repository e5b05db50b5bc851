package interp

import (
	"sort"

	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/lang/ast"
)

// Error is a compile-time or runtime error of a script, located the way Tremor locates it (spec §5):
// a context span (the source lines printed) and an inner span (the part underlined), both byte
// ranges of the source of File, plus the message and an optional hint. Error() renders Tremor's exact
// text with lang.RenderTremor; Message() is the bare message.
type Error struct {
	File string  // the file the spans point into ("script.tremor", "std:std/string.tremor")
	Pos  ast.Pos // where the underlined part starts (line and column for programmatic use)
	Msg  string  // "The binary operation `+` is not defined for the type `integer` and `string`"
	Hint string  // "Did you mean to use `key`?", or ""

	src                  string
	ctxStart, ctxEnd     int
	innerStart, innerEnd int
}

// Error renders the error as Tremor does (spec §5), e.g.
// "Error: \n    3 |   let x = a + \"s\";\n      |           ^^^^^^^ The binary operation …\n\n".
func (e *Error) Error() string {
	return lang.RenderTremor(e.src, lang.TremorError{
		CtxStart: e.ctxStart, CtxEnd: e.ctxEnd, InnerStart: e.innerStart, InnerEnd: e.innerEnd,
		Msg: e.Msg, Hint: e.Hint,
	})
}

// Message returns the bare message, without location or source excerpt.
func (e *Error) Message() string { return e.Msg }

// Source returns the source text the spans point into ("" for message-only errors).
func (e *Error) Source() string { return e.src }

// source is one source file of a compilation: a script, a query or a module.
type source struct {
	file string
	text string
}

// span is a byte range [start, end) of a source.
type span struct{ start, end int }

func spanOf(p ast.Pos) span { return span{p.Offset, p.End} }

// site is a precomputed error location: built at compile time, turned into an *Error only when
// something fails, so the success path never allocates.
type site struct {
	src   *source
	ctx   span
	inner span
	pos   ast.Pos // start of the inner span
}

// errAt builds the error of a site.
func (s *site) err(msg, hint string) *Error {
	e := &Error{Msg: msg, Hint: hint, Pos: s.pos}
	if s.src != nil {
		e.File = s.src.file
		e.src = s.src.text
	}
	e.ctxStart, e.ctxEnd = s.ctx.start, s.ctx.end
	e.innerStart, e.innerEnd = s.inner.start, s.inner.end
	return e
}

// lineStarts returns the byte offset of the start of every line of src.
func lineStarts(src string) []int {
	starts := []int{0}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// widen returns the span covering the lines of s extended by n lines before and after (clamped to
// the source): the "± 2 lines" contexts of spec §5.
func widen(src string, s span, n int) span {
	starts := lineStarts(src)
	line := func(off int) int { // 0-based line of off
		return sort.Search(len(starts), func(i int) bool { return starts[i] > off }) - 1
	}
	a := max(line(s.start)-n, 0)
	b := line(max(s.end, s.start)) + n
	out := span{start: starts[a]}
	if b >= len(starts) {
		out.end = len(src)
	} else {
		out.end = starts[b]
	}
	return out
}

// ---- hints ----

// damerauLevenshtein is the unrestricted Damerau–Levenshtein distance over characters (strsim's
// damerau_levenshtein, which Tremor's hints use).
func damerauLevenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	la, lb := len(ra), len(rb)
	if la == 0 {
		return lb
	}
	if lb == 0 {
		return la
	}
	maxDist := la + lb
	last := map[rune]int{}
	w := lb + 2
	d := make([]int, (la+2)*w)
	at := func(i, j int) *int { return &d[i*w+j] }
	*at(0, 0) = maxDist
	for i := 0; i <= la; i++ {
		*at(i+1, 0) = maxDist
		*at(i+1, 1) = i
	}
	for j := 0; j <= lb; j++ {
		*at(0, j+1) = maxDist
		*at(1, j+1) = j
	}
	for i := 1; i <= la; i++ {
		db := 0
		for j := 1; j <= lb; j++ {
			i1 := last[rb[j-1]]
			j1 := db
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
				db = j
			}
			v := min(*at(i, j)+cost, *at(i+1, j)+1, *at(i, j+1)+1)
			v = min(v, *at(i1, j1)+(i-i1-1)+1+(j-j1-1))
			*at(i+1, j+1) = v
		}
		last[ra[i-1]] = i
	}
	return *at(la+1, lb+1)
}

// bestHint returns the option closest to given within distance 2 (ties: the smallest string), as
// "Did you mean to use `k`?", or "".
func bestHint(given string, options []string) string {
	best, bestD := "", 3
	for _, o := range options {
		d := damerauLevenshtein(given, o)
		if d < bestD || d == bestD && o < best {
			best, bestD = o, d
		}
	}
	if bestD > 2 {
		return ""
	}
	return "Did you mean to use `" + best + "`?"
}

// localHint is the hint of a missing local key: "Did you mean null?" for nil, else the closest of
// the record's keys and `event true false null`.
func localHint(key string, keys []string) string {
	if key == "nil" {
		return "Did you mean null?"
	}
	return bestHint(key, append(keys, "event", "true", "false", "null"))
}
