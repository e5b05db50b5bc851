package lang

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tremor-compatible error strings (spec §5): the text Tremor's `Dumb::error_to_string` produces for an
// error, which script-operator error events carry and error test suites compare byte for byte.

// TremorError describes an error in Tremor's terms (spec §5): the context span selects the source lines
// printed, the inner span is underlined. Spans are byte offsets [start, end) into the source.
type TremorError struct {
	CtxStart, CtxEnd     int
	InnerStart, InnerEnd int
	Msg                  string
	Hint                 string // optional NOTE line
}

// RenderTremor renders e against src exactly as Tremor's highlighter (Dumb::error_to_string) does.
// With src == "" (no source) it returns "Error: " + msg.
func RenderTremor(src string, e TremorError) string {
	if src == "" {
		return "Error: " + e.Msg
	}
	lines := newTremorLines(src)
	ctxStart, ctxEnd := lines.pos(e.CtxStart), lines.pos(e.CtxEnd)
	innerStart, innerEnd := lines.pos(e.InnerStart), lines.pos(e.InnerEnd)

	toks := tremorTokens(src, lines)
	// drop while tok.end.line < ctx.start.line, then take while tok.end.line <= ctx.end.line
	i := 0
	for i < len(toks) && toks[i].end.line < ctxStart.line {
		i++
	}
	j := i
	for j < len(toks) && toks[j].end.line <= ctxEnd.line {
		j++
	}
	toks = toks[i:j]

	var col, n int
	if innerStart.line == innerEnd.line {
		col, n = innerStart.col, max(1, innerEnd.col-innerStart.col)
	} else {
		// Multi-line: underline the last line of the span, from column 1.
		col, n = 1, max(0, innerEnd.col-1)
	}

	var out strings.Builder
	out.WriteString("Error: \n")
	callout := func() {
		if s := out.String(); !strings.HasSuffix(s, "\n") {
			out.WriteByte('\n')
		}
		out.WriteString("      | ")
		out.WriteString(strings.Repeat(" ", max(0, col-1)))
		out.WriteString(strings.Repeat("^", n))
		out.WriteString(" ")
		out.WriteString(e.Msg)
		out.WriteString("\n")
		if e.Hint != "" {
			out.WriteString("      | ")
			out.WriteString(strings.Repeat(" ", max(0, col+n)))
			out.WriteString("NOTE: ")
			out.WriteString(e.Hint)
			out.WriteString("\n")
		}
	}
	line, printed := 0, false
	for _, t := range toks {
		if t.start.line != line {
			line = t.start.line
			if !printed && innerEnd.line == line-1 {
				printed = true
				callout()
			}
			num := strconv.Itoa(line)
			if len(num) < 5 {
				out.WriteString(strings.Repeat(" ", 5-len(num)))
			}
			out.WriteString(num)
			out.WriteString(" | ")
		}
		out.WriteString(t.text)
	}
	if !printed || innerStart.line == line {
		callout()
	}
	out.WriteString("\n")
	return out.String()
}

// tremorLoc is a 1-based (line, column) location; columns count Unicode characters.
type tremorLoc struct{ line, col int }

// tremorLines maps byte offsets of a source to locations.
type tremorLines struct {
	src    string
	starts []int // byte offset of the start of each line
}

func newTremorLines(src string) tremorLines {
	starts := []int{0}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return tremorLines{src: src, starts: starts}
}

// pos returns the location of byte offset off (clamped to the source).
func (l tremorLines) pos(off int) tremorLoc {
	off = min(max(off, 0), len(l.src))
	k := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off }) - 1
	return tremorLoc{line: k + 1, col: 1 + utf8.RuneCountInString(l.src[l.starts[k]:off])}
}

// tremorTok is a token of Tremor's highlighter token stream: its span and its re-rendered text.
type tremorTok struct {
	start, end tremorLoc
	text       string
}

// tremorTokens lexes src into Tremor's token stream, including whitespace, newline and comment tokens,
// each with its re-rendered text (spec §5 "Token re-rendering"). Lexing stops at the first lexical
// error: a string or heredoc that is not complete before the error is dropped entirely (Tremor lexes a
// string as one unit), while the whitespace before the offending text is kept.
func tremorTokens(src string, lines tremorLines) []tremorTok {
	lexed, err := Lex("", src)
	if err != nil {
		// Cut at the outermost string still open at the error.
		depth, cut := 0, len(lexed)
		for k, t := range lexed {
			switch t.Type {
			case StrOpen, HereOpen:
				if depth == 0 {
					cut = k
				}
				depth++
			case StrClose, HereClose:
				depth--
			}
		}
		if depth == 0 {
			cut = len(lexed)
		}
		lexed = lexed[:cut]
	}

	var toks []tremorTok
	add := func(a, b int, text string) {
		toks = append(toks, tremorTok{start: lines.pos(a), end: lines.pos(b), text: text})
	}
	// newline adds the newline token of the '\n' at offset a: it belongs to the line it ends.
	newline := func(a int) {
		p := lines.pos(a)
		toks = append(toks, tremorTok{start: p, end: p, text: "\n"})
	}
	// gap adds the whitespace and newline tokens of the text between tokens, [a, b).
	gap := func(a, b int) {
		for a < b {
			if src[a] == '\n' {
				newline(a)
				a++
				continue
			}
			k := a
			for k < b && src[k] != '\n' {
				k++
			}
			add(a, k, src[a:k])
			a = k
		}
	}

	// String frames, to tell string content from heredoc content.
	const (
		inString = iota
		inHere
		inInterp
	)
	var stack []int
	prev := 0
	for _, t := range lexed {
		if t.Type == EOF {
			break
		}
		a, b := t.Pos.Offset, t.Pos.Offset+len(t.Value)
		gap(prev, a)
		prev = b
		switch t.Type {
		case Int:
			add(a, b, tremorIntText(t.Value))
		case Float:
			add(a, b, strings.ReplaceAll(t.Value, "_", ""))
		case Comment:
			add(a, b, "# "+strings.TrimLeft(t.Value, "#"))
		case DocComment:
			add(a, b, "## "+t.Value[2:])
		case ModComment:
			add(a, b, "### "+t.Value[3:])
		case StrOpen:
			stack = append(stack, inString)
			add(a, b, `"`)
		case HereOpen:
			stack = append(stack, inHere)
			add(a, a+3, `"""`)
			newline(a + 3)
		case StrClose, HereClose:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			add(a, b, t.Value)
		case InterpOpen:
			stack = append(stack, inInterp)
			add(a, b, "#{")
		case InterpClose:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			add(a, b, "}")
		case StrText:
			here := len(stack) > 0 && stack[len(stack)-1] == inHere
			tremorStrText(src, a, b, here, add, newline)
		case Extractor:
			add(a, b, tremorExtractorText(t.Value[1:len(t.Value)-1]))
		default:
			// Identifiers (backtick identifiers keep their backticks), keywords, operators, `#!config `.
			add(a, b, t.Value)
		}
	}
	// The whitespace before the text that failed to lex (or before the end of input).
	end := prev
	for end < len(src) {
		r, size := utf8.DecodeRuneInString(src[end:])
		if r == utf8.RuneError && size <= 1 || !isTremorSpace(r) {
			break
		}
		end += size
	}
	gap(prev, end)
	return toks
}

// isTremorSpace reports whether the lexer skips r as whitespace.
func isTremorSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return charClass[byte(r)]&cSpace != 0
	}
	return unicode.IsSpace(r)
}

// tremorStrText adds the tokens of the raw string content src[a:b]: `\#` escapes are tokens of their own
// (printed `\#`); the other content is decoded and, in a string, re-escaped with the JSON string
// escaper, while heredoc content is printed as decoded, line by line with newline tokens in between.
func tremorStrText(src string, a, b int, here bool, add func(a, b int, text string), newline func(a int)) {
	seg := a
	flush := func(k int) {
		if k > seg {
			v := tremorUnescape(src[seg:k])
			if !here {
				v = tremorJSONEscape(v)
			}
			add(seg, k, v)
		}
	}
	for k := a; k < b; {
		switch src[k] {
		case '\\':
			if k+1 < b && src[k+1] == '#' {
				flush(k)
				add(k, k+2, `\#`)
				k += 2
				seg = k
				continue
			}
			k += 2
		case '\n':
			// Only in heredocs: strings cannot contain raw newlines.
			flush(k)
			newline(k)
			k++
			seg = k
		default:
			k++
		}
	}
	flush(b)
}

// tremorIntText renders an integer literal as its decimal value (`0xff` → `255`, `1_000` → `1000`).
func tremorIntText(raw string) string {
	s := strings.ReplaceAll(raw, "_", "")
	var v uint64
	var err error
	if strings.HasPrefix(s, "0x") {
		v, err = strconv.ParseUint(s[2:], 16, 64)
	} else {
		v, err = strconv.ParseUint(s, 10, 64)
	}
	if err != nil {
		return s // unreachable: the lexer only emits literals that fit u64
	}
	return strconv.FormatUint(v, 10)
}

// tremorUnescape decodes the escapes of raw string content (validated by the lexer).
func tremorUnescape(v string) string {
	var b strings.Builder
	unescapeString(v, &b)
	return b.String()
}

// tremorJSONEscape escapes string content as the JSON string escaper of spec §0 does (without quotes).
func tremorJSONEscape(s string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if c < 0x20 {
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&15])
			} else {
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

// tremorExtractorText renders an extractor literal from its raw rule (between the pipes) the way
// Tremor's `TestLiteral` Display does: `|` + the decoded rule with `\` → `\\` and `|` → `\|` + `|`.
// A rule continued over several lines (backslash-newline) is kept as Tremor keeps it, as its segments
// with the common indentation cut; they are printed joined by `\`, a newline and that many spaces.
func tremorExtractorText(raw string) string {
	segs, indent := extractorSegments(raw)
	esc := strings.NewReplacer(`\`, `\\`, `|`, `\|`)
	var b strings.Builder
	b.WriteByte('|')
	for k, s := range segs {
		if k > 0 {
			b.WriteString("\\\n")
			b.WriteString(strings.Repeat(" ", indent))
		}
		b.WriteString(esc.Replace(s))
	}
	b.WriteByte('|')
	return b.String()
}
