package lang

// The formatter of `rill fmt`: the canonical printer of lang/ast plus the comments and blank lines of the
// source.
//
// Comments are attached by position to *items*, the elements of every list the printer prints one per
// line (see ast.Decorator): statements and config directives of the file, pipeline and flow bodies;
// script items; fn body expressions; match, fn and for cases and the expressions of their bodies; patch
// ops; record fields and list elements; `args` declarations and `with` arguments.
//   - a comment on its own line before an item is printed before it, at its indentation;
//   - a comment on the line where an item ends is printed after it (and its `;` or `,`), one space apart;
//   - a comment inside an item is placed, recursively, among the items of the lists inside it (a record,
//     a match, a script body ...); one that belongs to no such list (in the middle of a select clause, a
//     call's arguments, a pattern, a string interpolation) moves to just before the innermost item;
//   - a comment after the last item of a list, still inside the list's node, stays after that item.
//
// A node holding comments is printed in its multi-line layout (a record with a commented field is never
// put on one line). One blank line is kept where the source had at least one between two items or
// comments. No comment is ever dropped: one the printer found no place for is appended at the end.

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

// Separators of a list.
type sepKind int

const (
	sepNone    sepKind = iota // match clauses, for cases
	sepBetween                // `;` or `,` between items
	sepAll                    // `;` after every statement (query files, pipeline and flow bodies)
)

// body is one list of items, printed one per line by the printer (see ast.Decorator).
type body struct {
	owner ast.Node // the node that holds the list; nil for the file
	items []ast.Node
	sep   sepKind
	open  bool // any comment of the enclosing item may belong to it (file and script bodies)
}

// entry is an item of the lists of one level.
type entry struct {
	n    ast.Node
	list int // index of its body
	prev int // index (in the entries) of the previous item of the same body, or -1
	last bool
	semi int // 1 when a `;` or `,` follows the item in canonical source
}

// layout decides where each comment goes; it is the ast.Decorator of the printer.
type layout struct {
	src      []byte
	comments []*ast.Comment // sorted by position
	spans    map[ast.Node]span
	lead     map[ast.Node][]*ast.Comment // a nil entry is a blank line
	trail    map[ast.Node]*ast.Comment
	close    map[ast.Node][]*ast.Comment
	has      map[ast.Node]bool
	used     map[*ast.Comment]bool
}

func newLayout(f *ast.File, src []byte) *layout {
	l := &layout{
		src:   src,
		spans: map[ast.Node]span{},
		lead:  map[ast.Node][]*ast.Comment{},
		trail: map[ast.Node]*ast.Comment{},
		close: map[ast.Node][]*ast.Comment{},
		has:   map[ast.Node]bool{},
		used:  map[*ast.Comment]bool{},
	}
	for _, c := range f.Comments {
		if c != nil {
			l.comments = append(l.comments, c)
		}
	}
	sort.SliceStable(l.comments, func(i, j int) bool { return posLess(l.comments[i].Pos, l.comments[j].Pos) })
	items := append(nodes(f.Config), nodes(f.Stmts)...)
	// As the printer does: in a query every statement ends with `;`, in a script the last has none.
	sep := sepBetween
	for _, s := range f.Stmts {
		switch s.(type) {
		case *ast.DefineWindow, *ast.DefineScript, *ast.DefineOperator, *ast.DefinePipeline, *ast.CreateStream,
			*ast.Create, *ast.Select, *ast.DefinePeer, *ast.DefineFlow, *ast.Connect, *ast.Deploy:
			sep = sepAll
		}
	}
	l.place([]body{{items: items, sep: sep, open: true}}, l.comments, false)
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

// Has implements ast.Decorator.
func (l *layout) Has(n ast.Node) bool { return l.has[n] }

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

// ownLists returns the lists that node n holds itself, as the printer prints them one item per line.
func ownLists(n ast.Node) []body {
	var out []body
	add := func(items []ast.Node, sep sepKind) {
		if len(items) > 0 {
			out = append(out, body{owner: n, items: items, sep: sep})
		}
	}
	switch n := n.(type) {
	case *ast.Script:
		if len(n.Items) > 0 {
			out = append(out, body{owner: n, items: nodes(n.Items), sep: sepBetween, open: true})
		}
	case *ast.FnDef:
		if len(n.Cases) > 0 {
			add(nodes(n.Cases), sepNone)
		} else {
			add(nodes(n.Body), sepBetween)
		}
	case *ast.Match:
		add(nodes(n.Clauses), sepNone)
	case *ast.For:
		add(nodes(n.Cases), sepNone)
	case *ast.Patch:
		add(nodes(n.Ops), sepBetween)
	case *ast.Clause:
		add(nodes(n.Body), sepBetween)
	case *ast.ForCase:
		add(nodes(n.Body), sepBetween)
	case *ast.Record:
		add(nodes(n.Fields), sepBetween)
	case *ast.List:
		add(nodes(n.Items), sepBetween)
	case *ast.DefineScript:
		add(nodes(n.Args), sepBetween)
	case *ast.DefineWindow:
		add(nodes(n.With), sepBetween)
	case *ast.DefineOperator:
		add(nodes(n.Args), sepBetween)
		add(nodes(n.With), sepBetween)
	case *ast.DefinePeer:
		add(nodes(n.Args), sepBetween)
		add(nodes(n.With), sepBetween)
	case *ast.DefinePipeline:
		add(nodes(n.Args), sepBetween)
		add(append(nodes(n.Config), nodes(n.Body)...), sepAll)
	case *ast.DefineFlow:
		add(nodes(n.Args), sepBetween)
		add(nodes(n.Body), sepAll)
	case *ast.Create:
		add(nodes(n.With), sepBetween)
	case *ast.Deploy:
		add(nodes(n.With), sepBetween)
	}
	return out
}

func nodes[T ast.Node](xs []T) []ast.Node {
	out := make([]ast.Node, 0, len(xs))
	for _, x := range xs {
		if v := reflect.ValueOf(x); v.IsValid() && !v.IsNil() {
			out = append(out, x)
		}
	}
	return out
}

var nodeType = reflect.TypeFor[ast.Node]()

// bodies returns the lists nearest below item n: its own lists and those of the nodes inside it that
// are not items of these lists. Strings (interpolations) and config values are printed flat, so the
// lists inside them do not count: their comments move before the enclosing item.
func bodies(n ast.Node) []body {
	switch n.(type) {
	case *ast.String, *ast.Config:
		return nil
	}
	out := ownLists(n)
	skip := map[ast.Node]bool{}
	for _, b := range out {
		for _, it := range b.items {
			skip[it] = true
		}
	}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Interface, reflect.Pointer:
			if v.IsNil() {
				return
			}
			if v.Type().Implements(nodeType) {
				if c := v.Interface().(ast.Node); !skip[c] {
					out = append(out, bodies(c)...)
				}
				return
			}
			walk(v.Elem())
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Struct:
			if v.Type() == posType {
				return
			}
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		}
	}
	v := reflect.ValueOf(n)
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		walk(v.Elem())
	}
	return out
}

// place assigns the comments cs (sorted, all inside the item that holds the lists bs, or anywhere for
// the file) to the items of bs and decides the blank lines between them, recursing into the lists
// below every item. It returns the comments that belong to none of the lists (they lie outside every
// list's owner; the caller moves them before its item).
//
// In a nested list, the comments before its first item are printed without blank lines: between them
// the source may have had the header of the enclosing definition.
func (l *layout) place(bs []body, cs []*ast.Comment, nested bool) []*ast.Comment {
	var es []entry
	for bi, b := range bs {
		for i, it := range b.items {
			e := entry{n: it, list: bi, last: i == len(b.items)-1}
			_, cfg := it.(*ast.Config)
			if (b.sep == sepAll && !cfg) || (b.sep == sepBetween && !e.last) {
				e.semi = 1
			}
			es = append(es, e)
		}
	}
	if len(es) == 0 {
		return cs
	}
	sort.SliceStable(es, func(i, j int) bool { return posLess(l.span(es[i].n).start, l.span(es[j].n).start) })
	lastOf := map[int]int{}
	for k := range es {
		es[k].prev = -1
		if p, ok := lastOf[es[k].list]; ok {
			es[k].prev = p
		}
		lastOf[es[k].list] = k
	}
	inner := make([][]*ast.Comment, len(es))
	pre := make([][]*ast.Comment, len(es))
	post := map[int][]*ast.Comment{} // by list
	var unplaced []*ast.Comment
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
		case k < len(es) && l.inRegion(c, bs[es[k].list]):
			pre[k] = append(pre[k], c)
		case k > 0 && lastOf[es[k-1].list] == k-1 && l.inRegion(c, bs[es[k-1].list]):
			post[es[k-1].list] = append(post[es[k-1].list], c)
		default:
			unplaced = append(unplaced, c)
		}
	}
	held := map[int]bool{} // lists that print a comment
	for k, e := range es {
		var lines []*ast.Comment
		var prevLine, prevOff int
		has := e.prev >= 0 // something precedes in the list, from which a blank line may separate
		if has {
			anchor := l.span(e.n).start
			if len(pre[k]) > 0 {
				anchor = pre[k][0].Pos
			}
			prevLine, prevOff = l.itemEnd(es[e.prev], anchor)
		}
		blanks := has || !nested
		for _, c := range pre[k] {
			if has && blanks && l.gap(prevLine, prevOff, c.Pos) {
				lines = append(lines, nil)
			}
			lines = append(lines, c)
			prevLine, prevOff, has = c.Pos.Line, commentEnd(c), true
		}
		if has && blanks && l.gap(prevLine, prevOff, l.span(e.n).start) {
			lines = append(lines, nil)
		}
		// Recurse always: the lists of an item have blank lines to keep even without comments.
		moved := l.place(bodies(e.n), inner[k], true)
		if len(moved) < len(inner[k]) {
			l.has[e.n] = true
		}
		lines = append(lines, moved...)
		if len(lines) > 0 {
			l.lead[e.n] = lines
		}
		if len(pre[k]) > 0 || len(inner[k]) > 0 || l.trail[e.n] != nil {
			held[e.list] = true
		}
	}
	for list, cs := range post {
		last := es[lastOf[list]]
		prevLine, prevOff := l.itemEnd(last, cs[0].Pos)
		var lines []*ast.Comment
		for _, c := range cs {
			if l.gap(prevLine, prevOff, c.Pos) {
				lines = append(lines, nil)
			}
			lines = append(lines, c)
			prevLine, prevOff = c.Pos.Line, commentEnd(c)
		}
		l.close[last.n] = lines
		held[list] = true
	}
	for list := range held {
		if o := bs[list].owner; o != nil {
			l.has[o] = true
		}
	}
	return unplaced
}

// inRegion reports whether comment c lies within the node that holds list b.
func (l *layout) inRegion(c *ast.Comment, b body) bool {
	return b.open || b.owner == nil || l.inside(c, b.owner)
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

// gap reports whether a blank line separates something that ended at (line, off) from next. (The
// position of an item with doc comments starts at its first `##` line.)
func (l *layout) gap(line, off int, next ast.Pos) bool {
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
	return next.Line-line >= 2
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
