package lang

import (
	"math"
	"path/filepath"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/rillstream/rill/lang/ast"
)

// Diagnostics is a list of diagnostics returned as one error; the parser recovers at statement
// boundaries so one run reports several independent mistakes.
type Diagnostics []*Diagnostic

func (ds Diagnostics) Error() string {
	var b strings.Builder
	for i, d := range ds {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Error())
	}
	return b.String()
}

// maxDiagnostics bounds how many parse errors one file reports.
const maxDiagnostics = 10

// Kind says how a source file is read.
type Kind int

const (
	KindQuery  Kind = iota // a .trickle (or .troy) file: statements
	KindScript             // a .tremor script or module: script items (and `define`s in modules)
)

// KindOf picks the kind from a file name: .tremor is a script, anything else a query.
func KindOf(filename string) Kind {
	if strings.EqualFold(filepath.Ext(filename), ".tremor") {
		return KindScript
	}
	return KindQuery
}

// Parse parses src as the kind its file name says (see KindOf).
func Parse(filename, src string) (*ast.File, error) {
	if KindOf(filename) == KindScript {
		return ParseScript(filename, src)
	}
	return ParseQuery(filename, src)
}

// sliceLexer replays lexed tokens to participle, then a synthetic EOF token.
type sliceLexer struct {
	toks []lexer.Token
	eof  lexer.Token
	i    int
}

func (l *sliceLexer) Next() (lexer.Token, error) {
	if l.i < len(l.toks) {
		l.i++
		return l.toks[l.i-1], nil
	}
	return l.eof, nil
}

// chunkStart reports whether toks[i] begins a new chunk: it follows a `;` and stands in column 1
// (but is not an `end`, which closes a block, nor a comment).
func chunkStart(toks []lexer.Token, i int) bool {
	if i == 0 || i >= len(toks) {
		return false
	}
	p, n := &toks[i-1], &toks[i]
	return p.Type == Punct && p.Value == ";" && n.Pos.Column == 1 && n.Type != EOF && n.Type != Comment && !isTok(n, "end")
}

// commentBody is the text of a `##`/`###` comment after its marker, without trailing blanks.
func commentBody(v, marker string) string {
	return strings.TrimRight(strings.TrimPrefix(v, marker), " \t\r")
}

// newComment keeps a comment token for the formatter, without trailing blanks.
func newComment(t *lexer.Token) *ast.Comment {
	c := &ast.Comment{Pos: tokPos(t), Text: strings.TrimRight(t.Value, " \t\r")}
	c.Pos.End = c.Pos.Offset + len(c.Text)
	return c
}

// maxMerges bounds how often a chunk is joined with the next one before the rest of the file is
// parsed as one chunk.
const maxMerges = 8

// parseChunks lexes src incrementally and runs parse over consecutive chunks: runs of top-level
// statements split where a statement most likely begins (see chunkStart). Lexing and parsing a chunk
// at a time keeps the token buffer (and participle's PeekingLexer, which copies its tokens) small,
// instead of holding 64 bytes per token of the whole file. parse reads one chunk to its end and reports
// whether it failed at the chunk's synthetic end of input; the chunk is then extended to the next
// boundary and parsed again (parse must discard what it collected). It returns the comments of the
// file and the first lexical error, if any (tokens after it are not parsed).
func parseChunks(filename, src string, parse func(pl *lexer.PeekingLexer, first, last bool) (needMore bool)) ([]*ast.Comment, *Diagnostic) {
	l := newSegmentLexer(filename, src)
	var comments []*ast.Comment
	done := false
	var lexErr *Diagnostic
	first := true
	scan := 1   // where to look for the next chunk boundary
	merges := 0 // times the current chunk was joined with the next one
	for {
		// Find the end of the chunk: a boundary, or the end of input.
		end := -1
		for end < 0 {
			for ; scan < len(l.toks); scan++ {
				if chunkStart(l.toks, scan) {
					end = scan
					break
				}
			}
			if end >= 0 || done {
				break
			}
			var err error
			done, err = l.segment()
			if err != nil {
				lexErr = asDiag(err)
			}
		}
		toks := l.toks
		last := end < 0
		if last {
			end = len(toks)
		}
		if lexErr != nil && last {
			// The statement the lexer stopped in is not parsed: its lexical error is the diagnostic.
			break
		}
		var eof lexer.Token
		if last {
			eof = toks[end-1] // the EOF token
			end--
		} else {
			eof = lexer.Token{Type: EOF, Pos: toks[end].Pos}
		}
		pl, _ := lexer.Upgrade(&sliceLexer{toks: toks[:end], eof: eof}, Comment)
		if parse(pl, first, last) && !last {
			scan = end + 1
			if merges++; merges >= maxMerges {
				// A block that never closes: stop re-parsing a growing chunk (quadratic) and take
				// everything that is left as one chunk.
				scan = math.MaxInt
			}
			continue
		}
		merges = 0
		for i := range toks[:end] {
			if toks[i].Type == Comment {
				comments = append(comments, newComment(&toks[i]))
			}
		}
		if last {
			break
		}
		// Drop the parsed chunk and keep the lexed rest.
		n := copy(l.toks, toks[end:])
		l.toks = l.toks[:n]
		scan = 1
		first = false
	}
	if lexErr != nil {
		for i := range l.toks {
			if l.toks[i].Type == Comment {
				comments = append(comments, newComment(&l.toks[i]))
			}
		}
	}
	return comments, lexErr
}

// atChunkEnd reports whether a parse failed because it ran into the synthetic end of a chunk that is
// not the last one: the statement may continue in the next chunk.
func atChunkEnd(d *Diagnostic, pl *lexer.PeekingLexer, last bool) bool {
	return !last && (pl.Peek().Type == EOF || strings.Contains(d.Msg, "end of input"))
}

// ParseQuery parses a trickle query or troy deployment file.
func ParseQuery(filename, src string) (*ast.File, error) {
	f := &ast.File{Name: filename, Pos: ast.Pos{File: filename, Line: 1, Col: 1, End: len(src)}}
	var diags Diagnostics
	var empty *lexer.Token
	comments, lexErr := parseChunks(filename, src, func(pl *lexer.PeekingLexer, first, last bool) bool {
		var stmts []ast.Stmt
		var ds Diagnostics
		if first {
			cfg, err := parseConfigs(pl)
			if err != nil {
				if d := asDiag(err); atChunkEnd(d, pl, last) {
					return true
				} else {
					ds = append(ds, d)
				}
			}
			f.Config = cfg
			if pl.Peek().Type == EOF && last {
				empty = pl.Peek()
				return false
			}
		}
		recovering := false
		for pl.Peek().Type != EOF && len(diags)+len(ds) < maxDiagnostics {
			if recovering && isTok(pl.Peek(), "end") {
				// The `end` of a block whose statement failed: already reported.
				pl.Next()
				if isTok(pl.Peek(), ";") {
					pl.Next()
				}
				continue
			}
			st, err := parseStmt(pl)
			if err != nil {
				d := asDiag(err)
				if !recovering && len(ds) == 0 && atChunkEnd(d, pl, last) {
					return true
				}
				ds = append(ds, d)
				recoverStmt(pl)
				recovering = true
				continue
			}
			stmts = append(stmts, st)
			t := pl.Peek()
			switch {
			case isTok(t, ";"):
				pl.Next()
			case t.Type == EOF:
			case t.Type == Keyword && clauseKeywords[t.Value] && lastBeforeEOF(pl):
				// `create script s with` at the end of input: the optional clause the keyword
				// starts did not parse, so the statement ended before it; what is missing is its rest.
				ds = append(ds, &Diagnostic{Pos: tokPos(t), Msg: "unexpected end of input after " + describe(t)})
				pl.Next()
			default:
				msg := "unexpected " + describe(t) + ", expected `;` after the statement"
				hint := hintFor(t, "`;`")
				if hint == "" && stmtStart(t) {
					hint = "statements are separated by `;`"
				}
				ds = append(ds, &Diagnostic{Pos: tokPos(t), Msg: msg, Hint: hint})
				if !stmtStart(t) {
					recoverStmt(pl)
				}
			}
		}
		f.Stmts = append(f.Stmts, stmts...)
		diags = append(diags, ds...)
		return false
	})
	return finish(f, comments, diags, lexErr, empty, "the program is empty: expected a statement",
		"a query needs at least one statement, like `select event from in into out;`")
}

// finish completes a parsed file with its comments and turns the diagnostics into the error.
func finish(f *ast.File, comments []*ast.Comment, diags Diagnostics, lexErr *Diagnostic, empty *lexer.Token, emptyMsg, emptyHint string) (*ast.File, error) {
	f.Comments = comments
	if lexErr != nil {
		diags = append(diags, lexErr)
	}
	if empty != nil && lexErr == nil {
		return nil, Diagnostics{{Pos: tokPos(empty), Msg: emptyMsg, Hint: emptyHint}}
	}
	if len(diags) > 0 {
		return f, diags
	}
	return f, nil
}

// ParseModule parses a module file (whatever its extension): `###` module comments, then use, const,
// fn, intrinsic and define statements, as a script (spec §2.12).
func ParseModule(filename, src string) (*ast.File, error) { return ParseScript(filename, src) }

// ParseScript parses a tremor-script script or module file. Module files may hold `define` statements.
func ParseScript(filename, src string) (*ast.File, error) {
	f := &ast.File{Name: filename, Pos: ast.Pos{File: filename, Line: 1, Col: 1, End: len(src)}}
	var diags Diagnostics
	var empty *lexer.Token
	comments, lexErr := parseChunks(filename, src, func(pl *lexer.PeekingLexer, first, last bool) bool {
		if first {
			f.ModDoc = nil
			for pl.Peek().Type == ModComment {
				f.ModDoc = append(f.ModDoc, commentBody(pl.Next().Value, "###"))
			}
			if pl.Peek().Type == EOF && last {
				empty = pl.Peek()
				return false
			}
		}
		var stmts []ast.Stmt
		var ds Diagnostics
		for pl.Peek().Type != EOF && len(diags)+len(ds) < maxDiagnostics {
			err := runParser(pl, func(p *parser) {
				stmts = append(stmts, p.scriptItem(true))
				t := p.peek()
				switch {
				case isTok(t, ";"):
					p.next()
				case t.Type == EOF:
				default:
					p.failExpected("`;`", "between statements")
				}
			})
			if err != nil {
				d := asDiag(err)
				if len(ds) == 0 && atChunkEnd(d, pl, last) {
					return true
				}
				ds = append(ds, d)
				recoverStmt(pl)
			}
		}
		f.Stmts = append(f.Stmts, stmts...)
		diags = append(diags, ds...)
		return false
	})
	return finish(f, comments, diags, lexErr, empty, "the script is empty: expected a statement",
		"a script needs at least one statement, like `event`")
}

func asDiag(err error) *Diagnostic {
	if d, ok := err.(*Diagnostic); ok {
		return d
	}
	return convertError(err).(*Diagnostic)
}

// stmtStart reports whether t begins a query statement.
func stmtStart(t *lexer.Token) bool {
	if t.Type == DocComment || t.Type == Config {
		return true
	}
	if t.Type != Keyword {
		return false
	}
	switch t.Value {
	case "define", "create", "select", "use", "connect", "deploy":
		return true
	}
	return false
}

// clauseKeywords start an optional clause of a statement (`with ... end`, `args ...`, `where`,
// `having`, ...): one of them as the last token means the input stopped inside the statement.
var clauseKeywords = map[string]bool{"with": true, "args": true, "from": true, "where": true, "having": true,
	"group": true, "state": true, "script": true, "pipeline": true, "flow": true}

// lastBeforeEOF reports whether the next token is the last one of the input.
func lastBeforeEOF(pl *lexer.PeekingLexer) bool {
	cp := pl.MakeCheckpoint()
	defer pl.LoadCheckpoint(cp)
	pl.Next()
	return pl.Peek().Type == EOF
}

// recoverStmt skips to a likely statement start after an error: past a `;` that is followed by a
// statement keyword or by a token in column 1, or to the end of input.
func recoverStmt(pl *lexer.PeekingLexer) {
	if pl.Peek().Type != EOF {
		pl.Next()
	}
	for {
		t := pl.Peek()
		if t.Type == EOF {
			return
		}
		if isTok(t, ";") {
			pl.Next()
			n := pl.Peek()
			if n.Type == EOF || stmtStart(n) || (n.Pos.Column == 1 && !isTok(n, "end")) {
				return
			}
			continue
		}
		pl.Next()
	}
}
