package lang

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/rillstream/rill/lang/ast"
)

// Diagnostic is the one error type of the front end: a located message with an optional hint.
// The caret excerpt is rendered only when printed (see Render), from the source it came from.
type Diagnostic struct {
	Pos  ast.Pos // where: Pos.Offset..Pos.End is underlined
	Msg  string  // what went wrong, one line, no trailing period needed
	Hint string  // an optional suggestion ("use backticks: `end`")
}

// Error renders the diagnostic as file:line:col: message.
func (d *Diagnostic) Error() string {
	return d.Pos.String() + ": " + d.Msg
}

// Render formats the diagnostic for a terminal: the `file:line:col: message` line, the source line
// with its number, a caret line under the span (to the end of the line for spans that continue), and
// the hint. src is the whole source of d.Pos.File; without it only the first line is printed.
func (d *Diagnostic) Render(src string) string {
	var b strings.Builder
	b.WriteString(d.Error())
	b.WriteByte('\n')
	if line, ok := sourceLine(src, d.Pos.Line); ok {
		num := strconv.Itoa(d.Pos.Line)
		pad := strings.Repeat(" ", len(num))
		b.WriteString(" " + num + " | " + line + "\n")
		b.WriteString(" " + pad + " | ")
		// Width: the span's characters on this line, at least one caret.
		startCol := d.Pos.Col
		width := 1
		if d.Pos.End > d.Pos.Offset && d.Pos.Offset <= len(src) {
			end := d.Pos.End
			if end > len(src) {
				end = len(src)
			}
			seg := src[d.Pos.Offset:end]
			if i := strings.IndexByte(seg, '\n'); i >= 0 {
				seg = seg[:i]
			}
			if n := utf8.RuneCountInString(seg); n > 0 {
				width = n
			}
		}
		// Keep tabs so the caret lines up under tab-indented source.
		col := 1
		for _, r := range line {
			if col >= startCol {
				break
			}
			if r == '\t' {
				b.WriteByte('\t')
			} else {
				b.WriteByte(' ')
			}
			col++
		}
		for col < startCol {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(strings.Repeat("^", width))
		b.WriteByte('\n')
		if d.Hint != "" {
			b.WriteString(" " + pad + " = hint: " + d.Hint + "\n")
		}
	} else if d.Hint != "" {
		b.WriteString("  = hint: " + d.Hint + "\n")
	}
	return b.String()
}

// sourceLine returns the 1-based line n of src without its line break.
func sourceLine(src string, n int) (string, bool) {
	if n < 1 || src == "" {
		return "", false
	}
	for i := 1; i < n; i++ {
		j := strings.IndexByte(src, '\n')
		if j < 0 {
			return "", false
		}
		src = src[j+1:]
	}
	if j := strings.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return strings.TrimSuffix(src, "\r"), true
}

// Message and Position make a Diagnostic a participle.Error, so participle ranks it by depth.
func (d *Diagnostic) Message() string { return d.Msg }

// Position is the diagnostic's start as a participle position.
func (d *Diagnostic) Position() lexer.Position {
	return lexer.Position{Filename: d.Pos.File, Offset: d.Pos.Offset, Line: d.Pos.Line, Column: d.Pos.Col}
}
