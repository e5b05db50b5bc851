package lang

import (
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

// lexFile lexes src and collects its comments; toks ends with the EOF token.
func lexFile(filename, src string) ([]lexer.Token, []*ast.Comment, error) {
	toks, err := Lex(filename, src)
	if err != nil {
		return nil, nil, Diagnostics{asDiag(err)}
	}
	var comments []*ast.Comment
	for i := range toks {
		if toks[i].Type == Comment {
			comments = append(comments, &ast.Comment{Pos: tokPos(&toks[i]), Text: toks[i].Value})
		}
	}
	return toks, comments, nil
}

// chunkStarts returns the token indices where top-level statements most likely begin: after a `;`,
// at a token in column 1 (but not `end`, which closes a block). Parsing works chunk by chunk, so
// participle's PeekingLexer, which copies its tokens one by one, stays small; a statement that runs
// past its chunk's end is retried with the next chunk joined (see parseChunks).
func chunkStarts(toks []lexer.Token) []int {
	starts := []int{0}
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].Type != Punct || toks[i].Value != ";" {
			continue
		}
		n := &toks[i+1]
		if n.Pos.Column == 1 && n.Type != EOF && n.Type != Comment && !isTok(n, "end") {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// parseChunks runs parse over consecutive chunks of toks. parse reads one chunk's PeekingLexer to its
// end and reports whether it failed at the chunk's synthetic end of input, in which case the chunk is
// joined with the next one and parsed again (parse must then discard what it collected).
func parseChunks(toks []lexer.Token, parse func(pl *lexer.PeekingLexer, first, last bool) (needMore bool)) {
	starts := chunkStarts(toks)
	eofIdx := len(toks) - 1
	for ci := 0; ci < len(starts); {
		next := ci + 1
		for {
			end := eofIdx
			if next < len(starts) {
				end = starts[next]
			}
			eof := toks[eofIdx]
			if end < eofIdx {
				eof = lexer.Token{Type: EOF, Pos: toks[end].Pos}
			}
			pl, _ := lexer.Upgrade(&sliceLexer{toks: toks[starts[ci]:end], eof: eof}, Comment)
			if parse(pl, ci == 0, end == eofIdx) && end < eofIdx {
				next++
				continue
			}
			break
		}
		ci = next
	}
}

// atChunkEnd reports whether a parse failed because it ran into the synthetic end of a chunk that is
// not the last one: the statement may continue in the next chunk.
func atChunkEnd(d *Diagnostic, pl *lexer.PeekingLexer, last bool) bool {
	return !last && (pl.Peek().Type == EOF || strings.Contains(d.Msg, "end of input"))
}

// ParseQuery parses a trickle query or troy deployment file.
func ParseQuery(filename, src string) (*ast.File, error) {
	toks, comments, err := lexFile(filename, src)
	if err != nil {
		return nil, err
	}
	f := &ast.File{Name: filename, Comments: comments, Pos: ast.Pos{File: filename, Line: 1, Col: 1, End: len(src)}}
	var diags Diagnostics
	empty := false
	parseChunks(toks, func(pl *lexer.PeekingLexer, first, last bool) bool {
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
				empty = true
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
	if empty {
		return nil, Diagnostics{{Pos: tokPos(&toks[len(toks)-1]), Msg: "the program is empty: expected a statement", Hint: "a query needs at least one statement, like `select event from in into out;`"}}
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
	toks, comments, err := lexFile(filename, src)
	if err != nil {
		return nil, err
	}
	f := &ast.File{Name: filename, Comments: comments, Pos: ast.Pos{File: filename, Line: 1, Col: 1, End: len(src)}}
	var diags Diagnostics
	empty := false
	parseChunks(toks, func(pl *lexer.PeekingLexer, first, last bool) bool {
		if first {
			f.ModDoc = nil
			for pl.Peek().Type == ModComment {
				f.ModDoc = append(f.ModDoc, pl.Next().Value[3:])
			}
			if pl.Peek().Type == EOF && last {
				empty = true
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
	if empty {
		return nil, Diagnostics{{Pos: tokPos(&toks[len(toks)-1]), Msg: "the script is empty: expected a statement", Hint: "a script needs at least one statement, like `event`"}}
	}
	if len(diags) > 0 {
		return f, diags
	}
	return f, nil
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
