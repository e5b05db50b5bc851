package lang

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/rillstream/rill/lang/ast"
)

// parser is the hand-written recursive-descent half of the front end. It reads participle's
// PeekingLexer, so the participle grammar (grammar.go) can hand it script bodies and expressions and
// take the stream back where it stopped. Errors are raised by panicking with a *Diagnostic and recovered
// at the entry points (see catch).
type parser struct {
	lex     *lexer.PeekingLexer
	lastEnd int          // byte offset just past the last consumed token
	last    *lexer.Token // the last consumed token
	// defineHook parses a `define` statement inside a module file (set by the grammar driver).
	defineHook func(p *parser, doc []string) ast.Stmt
}

func newParser(lex *lexer.PeekingLexer) *parser {
	return &parser{lex: lex}
}

// catch turns a bailout panic into an error; other panics propagate (they are bugs).
func catch(err *error) {
	if r := recover(); r != nil {
		if d, ok := r.(*Diagnostic); ok {
			*err = d
			return
		}
		panic(r)
	}
}

func (p *parser) peek() *lexer.Token { return p.lex.Peek() }

// peek2 returns the token after the next one.
func (p *parser) peek2() *lexer.Token {
	cp := p.lex.MakeCheckpoint()
	p.lex.Next()
	t := p.lex.Peek()
	p.lex.LoadCheckpoint(cp)
	return t
}

func (p *parser) next() *lexer.Token {
	t := p.lex.Next()
	if t.Type != EOF {
		p.lastEnd = t.Pos.Offset + len(t.Value)
		p.last = t
	}
	return t
}

// is reports whether the next token is the punct or keyword v.
func (p *parser) is(v string) bool {
	t := p.lex.Peek()
	return (t.Type == Punct || t.Type == Keyword) && t.Value == v
}

func isTok(t *lexer.Token, v string) bool {
	return (t.Type == Punct || t.Type == Keyword) && t.Value == v
}

// accept consumes the next token if it is the punct or keyword v.
func (p *parser) accept(v string) bool {
	if p.is(v) {
		p.next()
		return true
	}
	return false
}

// expect consumes the punct or keyword v or fails with "expected v".
func (p *parser) expect(v string, what string) *lexer.Token {
	if !p.is(v) {
		p.failExpected("`"+v+"`", what)
	}
	return p.next()
}

// commaList parses `item (, item)* ,?` up to the punct close (not consumed): item is called for each
// element; a trailing comma is allowed, as everywhere in the language.
func (p *parser) commaList(close string, item func()) {
	for !p.is(close) {
		item()
		if !p.accept(",") {
			return
		}
	}
}

// tokPos is the position of a token.
func tokPos(t *lexer.Token) ast.Pos {
	return ast.Pos{File: t.Pos.Filename, Line: t.Pos.Line, Col: t.Pos.Column, Offset: t.Pos.Offset, End: t.Pos.Offset + len(t.Value)}
}

// pos is the position of the next token.
func (p *parser) pos() ast.Pos { return tokPos(p.peek()) }

// span returns start extended to the end of the last consumed token.
func (p *parser) span(start ast.Pos) ast.Pos {
	if p.lastEnd > start.End {
		start.End = p.lastEnd
	}
	return start
}

// fail raises a diagnostic at token t.
func (p *parser) fail(t *lexer.Token, msg, hint string) {
	panic(&Diagnostic{Pos: tokPos(t), Msg: msg, Hint: hint})
}

func (p *parser) failAt(pos ast.Pos, msg, hint string) {
	panic(&Diagnostic{Pos: pos, Msg: msg, Hint: hint})
}

// afterLast is the position just past the last consumed token (where a missing token belongs), or
// the position of t when nothing was consumed or the last token spans lines.
func (p *parser) afterLast(t *lexer.Token) ast.Pos {
	l := p.last
	if l == nil || strings.IndexByte(l.Value, '\n') >= 0 {
		return tokPos(t)
	}
	end := l.Pos.Offset + len(l.Value)
	return ast.Pos{File: l.Pos.Filename, Line: l.Pos.Line, Col: l.Pos.Column + utf8.RuneCountInString(l.Value), Offset: end, End: end}
}

// describe names a token for messages: `end`, "a string", end of input.
func describe(t *lexer.Token) string {
	switch t.Type {
	case EOF:
		return "end of input"
	case Ident:
		return "name `" + t.Value + "`"
	case Keyword:
		return "keyword `" + t.Value + "`"
	case Int, Float:
		return "number " + t.Value
	case StrOpen:
		return "string"
	case HereOpen:
		return "heredoc"
	case Extractor:
		return "extractor " + t.Value
	case DocComment:
		return "doc comment `##`"
	case ModComment:
		return "module comment `###`"
	case Config:
		return "`#!config`"
	}
	return "`" + t.Value + "`"
}

// failExpected raises "unexpected X, expected WANT [in WHAT]" with hints for common mistakes.
func (p *parser) failExpected(want, what string) {
	t := p.peek()
	msg := "unexpected " + describe(t) + ", expected " + want
	if what != "" {
		msg += " " + what
	}
	if t.Type == EOF {
		msg = "unexpected end of input, expected " + want
		if what != "" {
			msg += " " + what
		}
		p.failAt(p.afterLast(t), msg, hintFor(t, want))
	}
	p.fail(t, msg, hintFor(t, want))
}

// hintFor suggests a fix for common mistakes.
func hintFor(t *lexer.Token, want string) string {
	switch {
	case t.Type == Keyword && strings.Contains(want, "name"):
		return fmt.Sprintf("`%s` is a keyword; to use it as a name, write it in backticks: `%s`", t.Value, t.Value)
	case t.Type == Punct && t.Value == "=" && want != "`=`":
		return "to compare values use `==`; `=` only assigns in `let`"
	case t.Type == Punct && t.Value == "%(":
		return "`%(` opens a tuple pattern; for the remainder operator write `% (` with a space"
	case t.Type == DocComment:
		return "`##` doc comments may only stand directly before `define`, `fn`, `const` or `intrinsic`; use `#` for a plain comment"
	case t.Type == ModComment:
		return "`###` module comments may only stand at the very start of a script or module file; use `#` for a plain comment"
	case t.Type == Keyword && t.Pos.Column == 1 && blockStarters[t.Value]:
		return "is an `end` missing above? Every match, for, patch, merge, fn and define block is closed with `end`"
	}
	return ""
}

// blockStarters are keywords that begin a statement; one in column 1 where an expression or operation
// was expected usually means a block above was not closed.
var blockStarters = map[string]bool{
	"let": true, "fn": true, "define": true, "create": true, "select": true, "use": true, "const": true,
	"intrinsic": true, "emit": true, "drop": true, "deploy": true, "connect": true,
}

// ident consumes an identifier; keywords get a hint to use backticks.
func (p *parser) ident(what string) *ast.Ident {
	t := p.peek()
	if t.Type != Ident {
		p.failExpected("a name", what)
	}
	p.next()
	return &ast.Ident{Pos: tokPos(t), Name: decodeIdent(t.Value)}
}

// decodeIdent decodes an identifier token: backticks are removed.
func decodeIdent(v string) string {
	if len(v) >= 2 && v[0] == '`' {
		return v[1 : len(v)-1]
	}
	return v
}

// isIdent reports whether t is an identifier with the given raw text.
func isIdentTok(t *lexer.Token, v string) bool { return t.Type == Ident && t.Value == v }
