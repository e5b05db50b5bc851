package ast

import "fmt"

// Pos locates a node or token in its source: the file name, the 1-based line and column (columns
// count Unicode characters) of its first character, and its byte span [Offset, End).
type Pos struct {
	File   string // "query.trickle"
	Line   int    // 1-based line of the first character
	Col    int    // 1-based column (in characters) of the first character
	Offset int    // byte offset of the first byte
	End    int    // byte offset just past the last byte
}

// String renders the position as file:line:col.
func (p Pos) String() string {
	if p.File == "" {
		return fmt.Sprintf("%d:%d", p.Line, p.Col)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// IsValid reports whether the position was set by the parser.
func (p Pos) IsValid() bool { return p.Line > 0 }

// To returns the span from p to the end of q.
func (p Pos) To(q Pos) Pos {
	if q.End > p.End {
		p.End = q.End
	}
	return p
}
