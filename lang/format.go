package lang

// The formatter of `rill fmt`: the canonical printer of lang/ast plus the comments and blank lines of the
// source.
//
// Comments are attached to *items* — the config directives and statements of the file, the items of
// script bodies (define script, window scripts), the statements of pipeline and flow bodies, and the
// expressions of fn bodies — by position:
//   - a comment on its own line before an item is printed before it, at its indentation;
//   - a comment on the line where an item ends is printed after it (and its `;`), one space apart;
//   - a comment inside an item that has bodies is placed, recursively, among the items of those bodies;
//     inside an item without bodies (a comment in the middle of an expression) it moves to just before
//     that item;
//   - a comment after the last item of a body stays after it, before the body's `end`.
//
// One blank line is kept where the source had at least one between two items or comments. No comment is
// ever dropped: one the printer found no place for is appended at the end.

import (
	"bytes"
	"reflect"
	"sort"
	"strings"

	"github.com/rillstream/rill/lang/ast"
)

// Format prints f canonically, keeping its comments and (one) blank line between statements where the
// source had blank lines. The output ends with exactly one newline. Format(parse(Format(parse(x)))) ==
// Format(parse(x)).
//
// Without the source, where a statement ends is estimated from the positions of the tree (Pos.End offsets
// and the lines of inner nodes); FormatSource finds it exactly.
func Format(f *ast.File) string {
	return format(f, nil)
}

// FormatSource is Format given the source f was parsed from, which makes blank-line and same-line comment
// detection exact (for instance with trailing spaces or CRLF line ends).
func FormatSource(f *ast.File, src []byte) string {
	return format(f, src)
}

func format(f *ast.File, src []byte) string {
	l := newLayout(f, src)
	var sb strings.Builder
	_ = ast.FprintDecorated(&sb, f, l)
	out := strings.TrimRight(sb.String(), "\n")
	for _, c := range l.comments {
		if !l.used[c] {
			if out != "" {
				out += "\n"
			}
			out += commentText(c)
		}
	}
	return out + "\n"
}

// commentText is the printed text of a comment: trailing blanks removed.
func commentText(c *ast.Comment) string {
	t := strings.TrimRight(c.Text, " \t\r\n")
	if !strings.HasPrefix(t, "#") {
		t = "# " + t
	}
	return t
}

func commentEnd(c *ast.Comment) int {
	if c.Pos.End > c.Pos.Offset {
		return c.Pos.End
	}
	return c.Pos.Offset + len(strings.TrimRight(c.Text, "\r\n"))
}

// span is the extent of a node: where it starts, where it ends (a byte offset, or -1 when the tree does
// not say) and the largest line of any position inside it.
type span struct {
	start   ast.Pos
	end     int
	maxLine int
}

// body is one list of items printed one per line.
type body struct {
	items []ast.Node
	semi  bool // every item is followed by `;` (file, pipeline, flow); else all but the last
}

// entry is an item of a flattened sequence of bodies.
type entry struct {
	n     ast.Node
	first bool // the first item of its body
	semi  int  // 1 when a `;` follows the item in canonical source
	docs  int  // number of `##` doc lines printed before the item
}

// layout decides where each comment goes; it is the ast.Decorator of the printer.
type layout struct {
	src      []byte
	comments []*ast.Comment // sorted by position
	spans    map[ast.Node]span
	lead     map[ast.Node][]*ast.Comment // a nil entry is a blank line
	trail    map[ast.Node]*ast.Comment
	close    map[ast.Node][]*ast.Comment
	used     map[*ast.Comment]bool
}

func newLayout(f *ast.File, src []byte) *layout {
	l := &layout{
		src:   src,
		spans: map[ast.Node]span{},
		lead:  map[ast.Node][]*ast.Comment{},
		trail: map[ast.Node]*ast.Comment{},
		close: map[ast.Node][]*ast.Comment{},
		used:  map[*ast.Comment]bool{},
	}
	for _, c := range f.Comments {
		if c != nil {
			l.comments = append(l.comments, c)
		}
	}
	sort.SliceStable(l.comments, func(i, j int) bool { return posLess(l.comments[i].Pos, l.comments[j].Pos) })
	var items []ast.Node
	for _, c := range f.Config {
		items = append(items, c)
	}
	for _, s := range f.Stmts {
		items = append(items, s)
	}
	// As the printer does: in a query every statement ends with `;`, in a script the last has none.
	query := false
	for _, s := range f.Stmts {
		switch s.(type) {
		case *ast.DefineWindow, *ast.DefineScript, *ast.DefineOperator, *ast.DefinePipeline, *ast.CreateStream,
			*ast.Create, *ast.Select, *ast.DefinePeer, *ast.DefineFlow, *ast.Connect, *ast.Deploy:
			query = true
		}
	}
	l.place([]body{{items: items, semi: query}}, l.comments, false)
	return l
}

// Leading implements ast.Decorator.
func (l *layout) Leading(n ast.Node) []string { return l.lines(l.lead[n]) }

// Closing implements ast.Decorator.
func (l *layout) Closing(n ast.Node) []string { return l.lines(l.close[n]) }

// Trailing implements ast.Decorator.
func (l *layout) Trailing(n ast.Node) string {
	c := l.trail[n]
	if c == nil {
		return ""
	}
	l.used[c] = true
	return commentText(c)
}

func (l *layout) lines(cs []*ast.Comment) []string {
	if len(cs) == 0 {
		return nil
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		if c != nil {
			out[i] = commentText(c)
			l.used[c] = true
		}
	}
	return out
}

// bodies returns the item lists of a node, in source order, as the printer prints them.
func bodies(n ast.Node) []body {
	script := func(s *ast.Script) []body {
		if s == nil || len(s.Items) == 0 {
			return nil
		}
		items := make([]ast.Node, len(s.Items))
		for i, it := range s.Items {
			items[i] = it
		}
		return []body{{items: items}}
	}
	var out []body
	switch n := n.(type) {
	case *ast.DefineScript:
		for _, ps := range n.Ports {
			if ps != nil {
				out = append(out, script(ps.Script)...)
			}
		}
		out = append(out, script(n.Script)...)
	case *ast.DefineWindow:
		out = append(out, script(n.Tick)...)
		out = append(out, script(n.Script)...)
	case *ast.DefinePipeline:
		var items []ast.Node
		for _, c := range n.Config {
			items = append(items, c)
		}
		for _, s := range n.Body {
			items = append(items, s)
		}
		if len(items) > 0 {
			out = append(out, body{items: items, semi: true})
		}
	case *ast.DefineFlow:
		var items []ast.Node
		for _, s := range n.Body {
			items = append(items, s)
		}
		if len(items) > 0 {
			out = append(out, body{items: items, semi: true})
		}
	case *ast.FnDef:
		if len(n.Cases) == 0 && len(n.Body) > 0 {
			items := make([]ast.Node, len(n.Body))
			for i, e := range n.Body {
				items[i] = e
			}
			out = append(out, body{items: items})
		}
	}
	return out
}

// docLines is the number of `##` lines printed before a node.
func docLines(n ast.Node) int {
	switch n := n.(type) {
	case *ast.Const:
		return len(n.Doc)
	case *ast.FnDef:
		return len(n.Doc)
	case *ast.Intrinsic:
		return len(n.Doc)
	case *ast.DefineWindow:
		return len(n.Doc)
	case *ast.DefineScript:
		return len(n.Doc)
	case *ast.DefineOperator:
		return len(n.Doc)
	case *ast.DefinePipeline:
		return len(n.Doc)
	case *ast.DefinePeer:
		return len(n.Doc)
	case *ast.DefineFlow:
		return len(n.Doc)
	case *ast.Deploy:
		return len(n.Doc)
	}
	return 0
}

// place assigns the comments cs (sorted, all within the region of bs) to the items of bs and decides the
// blank lines between them, recursing into the bodies of every item. It returns the comments it could not
// place (when bs has no items).
//
// In a nested body, the comments before its first item are printed without blank lines: between them
// the source may have had the header of the enclosing definition.
func (l *layout) place(bs []body, cs []*ast.Comment, nested bool) []*ast.Comment {
	var es []entry
	for _, b := range bs {
		for i, it := range b.items {
			if it == nil {
				continue
			}
			e := entry{n: it, first: i == 0, docs: docLines(it)}
			if _, cfg := it.(*ast.Config); !cfg && (b.semi || i < len(b.items)-1) {
				e.semi = 1
			}
			es = append(es, e)
		}
	}
	if len(es) == 0 {
		return cs
	}
	inner := make([][]*ast.Comment, len(es))
	pre := make([][]*ast.Comment, len(es))
	var post []*ast.Comment
	for _, c := range cs {
		k := 0
		for k < len(es) && !l.before(c, es[k].n) && !l.inside(c, es[k].n) {
			k++
		}
		switch {
		case k < len(es) && l.inside(c, es[k].n):
			inner[k] = append(inner[k], c)
		case k > 0 && l.trail[es[k-1].n] == nil && l.sameLine(c, es[k-1].n):
			l.trail[es[k-1].n] = c
		case k < len(es):
			pre[k] = append(pre[k], c)
		default:
			post = append(post, c)
		}
	}
	// Blank lines and leading comments, in source order.
	for k, e := range es {
		var lines []*ast.Comment
		var prevLine, prevOff int
		has := false // something precedes, from which a blank line may separate
		if !e.first {
			anchor := l.span(e.n).start
			if len(pre[k]) > 0 {
				anchor = pre[k][0].Pos
			}
			prevLine, prevOff = l.itemEnd(es[k-1], anchor)
			has = true
		}
		blanks := !e.first || !nested
		for _, c := range pre[k] {
			if has && blanks && l.gap(prevLine, prevOff, c.Pos, 0) {
				lines = append(lines, nil)
			}
			lines = append(lines, c)
			prevLine, prevOff, has = c.Pos.Line, commentEnd(c), true
		}
		if has && blanks && l.gap(prevLine, prevOff, l.span(e.n).start, e.docs) {
			lines = append(lines, nil)
		}
		// Recurse always: the bodies of an item have blank lines to keep even without comments.
		lines = append(lines, l.place(bodies(e.n), inner[k], true)...)
		if len(lines) > 0 {
			l.lead[e.n] = lines
		}
	}
	if len(post) > 0 {
		last := es[len(es)-1]
		prevLine, prevOff := l.itemEnd(last, post[0].Pos)
		var lines []*ast.Comment
		for _, c := range post {
			if l.gap(prevLine, prevOff, c.Pos, 0) {
				lines = append(lines, nil)
			}
			lines = append(lines, c)
			prevLine, prevOff = c.Pos.Line, commentEnd(c)
		}
		l.close[last.n] = lines
	}
	return nil
}

// posLess orders positions by line and column.
func posLess(a, b ast.Pos) bool {
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Col < b.Col
}

// before reports whether comment c starts before node n.
func (l *layout) before(c *ast.Comment, n ast.Node) bool {
	s := l.span(n).start
	return s.IsValid() && posLess(c.Pos, s)
}

// inside reports whether comment c lies within node n.
func (l *layout) inside(c *ast.Comment, n ast.Node) bool {
	sp := l.span(n)
	if !sp.start.IsValid() || posLess(c.Pos, sp.start) {
		return false
	}
	if sp.end >= 0 {
		return c.Pos.Offset < sp.end
	}
	return c.Pos.Line < sp.maxLine
}

// sameLine reports whether comment c (which follows node n) is on the line where n ends.
func (l *layout) sameLine(c *ast.Comment, n ast.Node) bool {
	sp := l.span(n)
	if !sp.start.IsValid() {
		return false
	}
	if sp.end >= 0 && c.Pos.Offset >= sp.end {
		if l.src != nil && c.Pos.Offset <= len(l.src) {
			return !bytes.Contains(l.src[sp.end:c.Pos.Offset], []byte("\n"))
		}
		if c.Pos.Col >= 1 {
			return c.Pos.Offset-(c.Pos.Col-1) < sp.end // the comment's line starts before n ends
		}
	}
	return c.Pos.Line == sp.maxLine
}

// itemEnd returns the line and offset where item e ends (its trailing comment included); next is the
// position of what follows it.
func (l *layout) itemEnd(e entry, next ast.Pos) (line, off int) {
	if c := l.trail[e.n]; c != nil {
		return c.Pos.Line, commentEnd(c)
	}
	sp := l.span(e.n)
	line, off = sp.maxLine, sp.end
	if sp.end >= 0 && next.IsValid() && next.Col >= 1 {
		// The bytes between the end of the item and the start of next's line are its `;`, then newlines.
		if g := next.Offset - (next.Col - 1) - sp.end - e.semi; g >= 1 && next.Line-g > line {
			line = next.Line - g
		}
	}
	return line, off
}

// gap reports whether a blank line separates something that ended at (line, off) from next. docs is
// the number of doc-comment lines of next, which may lie between the two without being blank.
func (l *layout) gap(line, off int, next ast.Pos, docs int) bool {
	if l.src != nil && off >= 0 && off <= next.Offset && next.Offset <= len(l.src) {
		parts := bytes.Split(l.src[off:next.Offset], []byte("\n"))
		if len(parts) < 3 {
			return false
		}
		for _, p := range parts[1 : len(parts)-1] {
			if len(bytes.TrimSpace(p)) == 0 {
				return true
			}
		}
		return false
	}
	return next.Line-docs-line >= 2
}

var posType = reflect.TypeFor[ast.Pos]()

// span computes (once) the extent of n by walking every position inside it.
func (l *layout) span(n ast.Node) span {
	if sp, ok := l.spans[n]; ok {
		return sp
	}
	sp := span{start: n.Position(), end: -1}
	maxEnd := 0
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Struct:
			if v.Type() == posType {
				p := v.Interface().(ast.Pos)
				if p.Line > sp.maxLine {
					sp.maxLine = p.Line
				}
				if p.End > maxEnd {
					maxEnd = p.End
				}
				return
			}
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		}
	}
	walk(reflect.ValueOf(n))
	if maxEnd > sp.start.Offset {
		sp.end = maxEnd
	}
	l.spans[n] = sp
	return sp
}
