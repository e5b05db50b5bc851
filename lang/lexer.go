package lang

import (
	"io"
	"strconv"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/rillstream/rill/lang/ast"
)

// The lexer (spec §1). It works on the source string by byte index and decodes runes only for
// non-ASCII bytes. Every token's Value is a substring of the source (its raw text), so lexing
// allocates nothing but the token slice. Strings are not one token: a string is StrOpen, then
// StrText runs and interpolations (InterpOpen, the tokens of the embedded expression, InterpClose),
// then StrClose; heredocs are the same between HereOpen and HereClose. Nesting (a string inside an
// interpolation inside a string ...) is tracked with an explicit stack, so no input can exhaust the
// goroutine stack.

// Lex tokenizes src (from file `filename`). It returns every token in order, including Comment,
// DocComment, ModComment and Config tokens, and ending with one EOF token. Whitespace and newlines
// produce no tokens. On the first lexical error it stops and returns the tokens so far and a
// *Diagnostic.
func Lex(filename, src string) ([]lexer.Token, error) {
	l := lexState{
		src:   src,
		file:  filename,
		toks:  make([]lexer.Token, 0, len(src)/4+16), // realistic source has about 4 bytes per token
		pLine: 1,
		pCol:  1,
		stack: make([]frame, 0, 8),
	}
	if err := l.run(); err != nil {
		return l.toks, err
	}
	return l.toks, nil
}

// Definition implements participle's lexer.Definition (and lexer.StringDefinition,
// lexer.BytesDefinition) over Lex, so the participle grammar can use this lexer.
type Definition struct{}

var (
	_ lexer.Definition       = Definition{}
	_ lexer.StringDefinition = Definition{}
	_ lexer.BytesDefinition  = Definition{}
)

// Symbols returns the token kinds by grammar name (tokenNames).
func (Definition) Symbols() map[string]lexer.TokenType { return tokenNames }

// Lex reads all of r and lexes it.
func (d Definition) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return d.LexString(filename, string(b))
}

// LexString lexes src. A lexical error is returned (as a *Diagnostic) by Next after the tokens
// that precede it.
func (Definition) LexString(filename, src string) (lexer.Lexer, error) {
	toks, err := Lex(filename, src)
	return &tokenStream{toks: toks, err: err}, nil
}

// LexBytes lexes a copy of src.
func (d Definition) LexBytes(filename string, src []byte) (lexer.Lexer, error) {
	return d.LexString(filename, string(src))
}

// tokenStream replays lexed tokens; after the last one it returns the lexing error, if any, or
// keeps returning the EOF token.
type tokenStream struct {
	toks []lexer.Token
	i    int
	err  error
}

func (s *tokenStream) Next() (lexer.Token, error) {
	if s.i < len(s.toks) {
		t := s.toks[s.i]
		if t.Type != EOF || s.i+1 < len(s.toks) {
			s.i++
		}
		return t, nil
	}
	if s.err != nil {
		return lexer.Token{}, s.err
	}
	return lexer.Token{Type: EOF}, nil
}

// Frame kinds of the nesting stack.
const (
	frameString = iota // inside "..."
	frameHere          // inside """..."""
	frameInterp        // inside #{...} of the string below it on the stack
)

type frame struct {
	kind  int
	open  int // offset of the opening delimiter (`"`, `"""` or `#{`)
	depth int // frameInterp: number of unclosed `{` inside the interpolation
}

type lexState struct {
	src  string
	file string
	toks []lexer.Token

	// Incremental lexing (see segment): with pauseAtSemi, run returns errPause right after emitting a
	// `;` outside any string, and resumes at offset next on the following call.
	pauseAtSemi bool
	next        int

	// Position cursor: line and column of byte offset pOff. Tokens are emitted in increasing
	// offset order, so advancing the cursor to each token start is linear overall.
	pOff, pLine, pCol int

	stack []frame
}

// Messages (spec §1; the texts of Tremor's lexer errors).
const (
	msgUnterminatedString = "It looks like you forgot to terminate a string with a closing '\"'"
	msgUnterminatedHere   = "It looks like you forgot to terminate a here doc with with a closing '\"\"\"'"
	msgHereTailing        = "It looks like you have characters tailing the here doc opening, it needs to be followed by a newline"
	msgUnterminatedExtr   = "It looks like you forgot to terminate an extractor with a closing '|'"
	msgUnterminatedIdent  = "It looks like you forgot to terminate an ident with a closing '`'"
	msgUnterminatedInterp = "It looks like you forgot to terminate a string interpolation with a closing '}'"
	msgEmptyInterp        = "You have an interpolation without content."
	msgInvalidInt         = "An invalid integer literal"
	msgInvalidHex         = "An invalid hexadecimal"
	msgInvalidFloat       = "An invalid float literal"
	msgInvalidUTF8        = "An invalid UTF8 escape sequence was found"
	msgUnexpectedEOS      = "An unexpected end of stream was found"
)

const (
	hintHere          = "the heredoc that opens here never ends: close it with \"\"\" (a quote inside the text is written \\\")"
	hintStringEscapes = "valid escapes are \\\" \\\\ \\# \\b \\f \\n \\r \\t and \\uXXXX"
	hintExtrEscapes   = "in an extractor only \\|, \\\\ and a backslash at the end of a line are escapes; write \\\\ for a literal backslash (re|\\\\d+|)"
)

// ASCII character classes.
const (
	cIdentStart = 1 << iota // a-z A-Z
	cIdentCont              // a-z A-Z 0-9 _
	cDigit                  // 0-9 _ (digit runs may contain _)
	cSpace                  // ASCII whitespace
	cStrSpecial             // bytes that end a run of string content: " \ # \n
)

var charClass = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] |= cIdentStart | cIdentCont
		t[c-'a'+'A'] |= cIdentStart | cIdentCont
	}
	for c := '0'; c <= '9'; c++ {
		t[c] |= cIdentCont | cDigit
	}
	t['_'] |= cIdentCont | cDigit
	for _, c := range " \t\n\r\v\f" {
		t[c] |= cSpace
	}
	for _, c := range "\"\\#\n" {
		t[c] |= cStrSpecial
	}
	return t
}()

// isIdentStartRune reports whether a non-ASCII rune can start an identifier (XID_Start, roughly:
// letters and letter numbers).
func isIdentStartRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.Nl, r)
}

// isIdentContRune reports whether a non-ASCII rune can continue an identifier (XID_Continue,
// roughly: letters, letter numbers, combining marks, decimal digits and connector punctuation).
func isIdentContRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) ||
		unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nl, unicode.Pc)
}

// kwTable is a small hash table over Keywords, faster than a map lookup for the short words that
// identifiers mostly are. It is built on first use, because token.go fills Keywords in an init
// function that may run after this file's initializers.
var (
	kwOnce  sync.Once
	kwTable [256][]string
	kwMap   bool // a keyword does not fit the table: use the Keywords map
)

func kwHash(s string) int {
	return (len(s)*37 + int(s[0])*7 + int(s[len(s)-1])*3 + int(s[len(s)/2])) & 255
}

// isKeyword reports whether the identifier s (non-empty) is a reserved word.
func isKeyword(s string) bool {
	kwOnce.Do(func() {
		for k := range Keywords {
			if len(k) == 0 || len(k) > 16 || k[0] < 'a' || k[0] > 'z' {
				kwMap = true
				return
			}
			h := kwHash(k)
			kwTable[h] = append(kwTable[h], k)
		}
	})
	if kwMap {
		return Keywords[s]
	}
	if len(s) > 16 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, k := range kwTable[kwHash(s)] {
		if k == s {
			return true
		}
	}
	return false
}

// identContAt reports whether the character at byte offset i continues an identifier.
func (l *lexState) identContAt(i int) bool {
	if i >= len(l.src) {
		return false
	}
	c := l.src[i]
	if c < utf8.RuneSelf {
		return charClass[c]&cIdentCont != 0
	}
	r, _ := utf8.DecodeRuneInString(l.src[i:])
	return isIdentContRune(r)
}

// emit appends a token of kind t spanning [a, b).
func (l *lexState) emit(t lexer.TokenType, a, b int) {
	s := l.src[l.pOff:a]
	line, col := l.pLine, l.pCol
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\n' {
			line++
			col = 1
		} else if c&0xC0 != 0x80 {
			col++
		}
	}
	l.pOff, l.pLine, l.pCol = a, line, col
	l.toks = append(l.toks, lexer.Token{
		Type:  t,
		Value: l.src[a:b],
		Pos:   lexer.Position{Filename: l.file, Offset: a, Line: line, Column: col},
	})
}

// fail builds the Diagnostic for the span [a, b).
func (l *lexState) fail(a, b int, msg, hint string) *Diagnostic {
	line, col := 1, 1
	for i := 0; i < a && i < len(l.src); i++ {
		c := l.src[i]
		if c == '\n' {
			line++
			col = 1
		} else if c&0xC0 != 0x80 {
			col++
		}
	}
	if b < a {
		b = a
	}
	return &Diagnostic{Pos: ast.Pos{File: l.file, Line: line, Col: col, Offset: a, End: b}, Msg: msg, Hint: hint}
}

// charAt returns a printable rendering of the character at offset i and its size in bytes.
func (l *lexState) charAt(i int) (string, int) {
	r, size := utf8.DecodeRuneInString(l.src[i:])
	if r == utf8.RuneError && size <= 1 {
		const hex = "0123456789abcdef"
		c := l.src[i]
		return `\x` + string(hex[c>>4]) + string(hex[c&15]), 1
	}
	if unicode.IsPrint(r) {
		return l.src[i : i+size], size
	}
	q := strconv.QuoteRune(r)
	return q[1 : len(q)-1], size
}

// unexpected reports the character at offset i as unexpected.
func (l *lexState) unexpected(i int, hint string) *Diagnostic {
	ch, size := l.charAt(i)
	if hint == "" {
		switch ch {
		case "'":
			hint = "strings are written in double quotes: \"text\""
		case "?":
			hint = "there is no `?` operator; use `match ... of ... end` for conditionals"
		}
	}
	return l.fail(i, i+size, "An unexpected character '"+ch+"' was found", hint)
}

// errPause is returned by run when it paused after a top-level `;` (pauseAtSemi).
var errPause = &Diagnostic{Msg: "paused"}

// newSegmentLexer returns a lexer for src that lexes one `;`-terminated segment per segment call.
func newSegmentLexer(filename, src string) *lexState {
	return &lexState{src: src, file: filename, toks: make([]lexer.Token, 0, 256), pLine: 1, pCol: 1,
		stack: make([]frame, 0, 8), pauseAtSemi: true}
}

// segment appends the tokens up to and including the next top-level `;` (or to the end of input,
// including the EOF token) to l.toks. It reports whether the end of input was reached.
func (l *lexState) segment() (done bool, err error) {
	if err := l.run(); err != errPause {
		return true, err
	}
	return false, nil
}

// run lexes the source in code context from offset l.next; strings are handed to lexContent.
func (l *lexState) run() error {
	src := l.src
	n := len(src)
	i := l.next
	if i == 0 && !utf8.ValidString(src) {
		// Source text is UTF-8 (spec §1); reject anything else up front rather than carry invalid
		// bytes into strings and comments.
		bad := 0
		for bad < n {
			r, size := utf8.DecodeRuneInString(src[bad:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			bad += size
		}
		return l.fail(bad, bad+1, "The source is not valid UTF-8: invalid byte "+strconv.Quote(src[bad:bad+1]), "save the file as UTF-8")
	}
	for {
		// Skip whitespace.
		for i < n {
			c := src[i]
			if c < utf8.RuneSelf {
				if charClass[c]&cSpace == 0 {
					break
				}
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(src[i:])
			if !unicode.IsSpace(r) {
				break
			}
			i += size
		}
		if i >= n {
			if k := len(l.stack); k > 0 {
				f := l.stack[k-1] // always an interpolation: strings are lexed to their end by lexContent
				return l.fail(f.open, f.open+2, msgUnterminatedInterp, "")
			}
			l.emit(EOF, n, n)
			return nil
		}
		start := i
		c := src[i]
		switch c {
		case '(', ')', '[', ']', ',', ';', '.', '+', '-', '*', '/', '^', '&', '$', '_', '\\':
			i++
			l.emit(Punct, start, i)
			if c == ';' && l.pauseAtSemi && len(l.stack) == 0 {
				l.next = i
				return errPause
			}

		case '{':
			i++
			l.emit(Punct, start, i)
			if k := len(l.stack); k > 0 {
				l.stack[k-1].depth++
			}

		case '}':
			i++
			if k := len(l.stack); k > 0 {
				f := &l.stack[k-1]
				if f.depth == 0 {
					l.emit(InterpClose, start, i)
					l.stack = l.stack[:k-1]
					var err error
					if i, err = l.lexContent(i); err != nil {
						return err
					}
					continue
				}
				f.depth--
			}
			l.emit(Punct, start, i)

		case '=':
			i++
			if i < n && (src[i] == '=' || src[i] == '>') {
				i++
			}
			l.emit(Punct, start, i)

		case '!', '~':
			i++
			if i >= n {
				return l.fail(start, i, msgUnexpectedEOS, "")
			}
			if src[i] == '=' {
				i++
			}
			l.emit(Punct, start, i)

		case '%':
			i++
			if i >= n {
				return l.fail(start, i, msgUnexpectedEOS, "")
			}
			if d := src[i]; d == '{' || d == '[' || d == '(' {
				i++
			}
			l.emit(Punct, start, i)

		case '>':
			i++
			if i >= n {
				return l.unexpected(start, "")
			}
			switch src[i] {
			case '>':
				i++
				if i < n && src[i] == '>' {
					i++
				}
			case '=':
				i++
			}
			l.emit(Punct, start, i)

		case '<':
			i++
			if i >= n {
				return l.unexpected(start, "")
			}
			if d := src[i]; d == '<' || d == '=' {
				i++
			}
			l.emit(Punct, start, i)

		case ':':
			i++
			if i < n && src[i] == ':' {
				i++
				if i < n && src[i] == ':' {
					return l.fail(start, i+1, "An unexpected character ':' was found", "`::` separates module path segments; `:::` is not a token")
				}
			}
			l.emit(Punct, start, i)

		case '"':
			if i+2 < n && src[i+1] == '"' && src[i+2] == '"' {
				// Heredoc: `"""` must be followed directly by a newline.
				i += 3
				if i >= n {
					return l.fail(start, i, msgUnterminatedHere, hintHere)
				}
				if src[i] != '\n' {
					return l.fail(start, i, msgHereTailing, "start the heredoc content on the line after the opening \"\"\"")
				}
				i++
				l.emit(HereOpen, start, i)
				l.stack = append(l.stack, frame{kind: frameHere, open: start})
			} else {
				i++
				l.emit(StrOpen, start, i)
				l.stack = append(l.stack, frame{kind: frameString, open: start})
			}
			var err error
			if i, err = l.lexContent(i); err != nil {
				return err
			}

		case '|':
			var err error
			if i, err = l.lexExtractor(i); err != nil {
				return err
			}

		case '`':
			i++
			for {
				if i >= n || src[i] == '\n' {
					return l.fail(start, start+1, msgUnterminatedIdent, "backtick identifiers end on the same line with a closing '`'")
				}
				if src[i] == '`' {
					break
				}
				i++
			}
			i++
			l.emit(Ident, start, i)

		case '#':
			if i+1 < n && src[i+1] == '!' {
				if len(src)-i >= 9 && src[i:i+9] == "#!config " {
					i += 9
					l.emit(Config, start, i)
					continue
				}
				return l.unexpected(i+1, "the only `#!` directive is `#!config `")
			}
			kind := Comment
			if i+1 < n && src[i+1] == '#' {
				kind = DocComment
				if i+2 < n && src[i+2] == '#' {
					kind = ModComment
				}
			}
			for i < n && src[i] != '\n' {
				i++
			}
			end := i
			if end > start && src[end-1] == '\r' {
				end--
			}
			l.emit(kind, start, end)

		case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			var err error
			if i, err = l.lexNumber(i); err != nil {
				return err
			}

		default:
			if c < utf8.RuneSelf {
				if charClass[c]&cIdentStart == 0 {
					return l.unexpected(i, "")
				}
				i++
			} else {
				r, size := utf8.DecodeRuneInString(src[i:])
				if !isIdentStartRune(r) {
					return l.unexpected(i, "")
				}
				i += size
			}
			// Identifier continuation.
			for i < n {
				c := src[i]
				if c < utf8.RuneSelf {
					if charClass[c]&cIdentCont == 0 {
						break
					}
					i++
					continue
				}
				r, size := utf8.DecodeRuneInString(src[i:])
				if !isIdentContRune(r) {
					break
				}
				i += size
			}
			if isKeyword(src[start:i]) {
				l.emit(Keyword, start, i)
			} else {
				l.emit(Ident, start, i)
			}
		}
	}
}

// lexContent lexes string or heredoc content starting at i, for the string frame on top of the
// stack. It returns after the closing delimiter (popping the frame) or after an interpolation
// opener `#{` (pushing an interpolation frame), with the offset to continue from.
func (l *lexState) lexContent(i int) (int, error) {
	src := l.src
	n := len(src)
	f := l.stack[len(l.stack)-1]
	here := f.kind == frameHere
	unterminated := func() *Diagnostic {
		if here {
			return l.fail(f.open, f.open+3, msgUnterminatedHere, hintHere)
		}
		return l.fail(f.open, f.open+1, msgUnterminatedString, "strings cannot span lines; use a heredoc \"\"\" for multi-line text")
	}
	start := i
	for {
		// Fast skip of plain content.
		for i < n && charClass[src[i]]&cStrSpecial == 0 {
			i++
		}
		if i >= n {
			return i, unterminated()
		}
		switch src[i] {
		case '\n':
			if !here {
				return i, unterminated()
			}
			i++
		case '#':
			if i+1 >= n || src[i+1] != '{' {
				i++
				continue
			}
			if i+2 < n && src[i+2] == '}' {
				return i, l.fail(i, i+3, msgEmptyInterp, "put an expression between the braces, or escape the # as \\#")
			}
			if i > start {
				l.emit(StrText, start, i)
			}
			l.emit(InterpOpen, i, i+2)
			l.stack = append(l.stack, frame{kind: frameInterp, open: i})
			return i + 2, nil
		case '"':
			if !here {
				if i > start {
					l.emit(StrText, start, i)
				}
				l.emit(StrClose, i, i+1)
				l.stack = l.stack[:len(l.stack)-1]
				return i + 1, nil
			}
			if i+2 < n && src[i+1] == '"' && src[i+2] == '"' {
				if i > start {
					l.emit(StrText, start, i)
				}
				l.emit(HereClose, i, i+3)
				l.stack = l.stack[:len(l.stack)-1]
				return i + 3, nil
			}
			i++
		case '\\':
			if i+1 >= n {
				return i, unterminated()
			}
			switch src[i+1] {
			case '"', '\\', '#', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				var v rune
				for k := i + 2; k < i+6; k++ {
					if k >= n {
						return i, unterminated()
					}
					d := hexVal(src[k])
					if d < 0 {
						_, size := utf8.DecodeRuneInString(src[k:])
						return i, l.fail(i, k+size, msgInvalidUTF8, "a \\u escape is followed by exactly 4 hex digits of a Unicode scalar value")
					}
					v = v<<4 | rune(d)
				}
				if v >= 0xD800 && v <= 0xDFFF {
					return i, l.fail(i, i+6, msgInvalidUTF8, "surrogate code points cannot be escaped")
				}
				i += 6
			default:
				ch, size := l.charAt(i + 1)
				return i, l.fail(i, i+1+size, "An unexpected escape code '"+ch+"' was found", hintStringEscapes)
			}
		}
	}
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// lexExtractor lexes the extractor literal `|...|` starting at the `|` at offset start.
func (l *lexState) lexExtractor(start int) (int, error) {
	src := l.src
	n := len(src)
	i := start + 1
	for {
		if i >= n || src[i] == '\n' {
			return i, l.fail(start, start+1, msgUnterminatedExtr, "an extractor ends on the same line with a closing '|'; continue it on the next line with a backslash at the end of the line")
		}
		switch src[i] {
		case '|':
			i++
			l.emit(Extractor, start, i)
			return i, nil
		case '\\':
			if i+1 >= n {
				return i, l.fail(start, start+1, msgUnterminatedExtr, "")
			}
			switch src[i+1] {
			case '|', '\\', '\n':
				i += 2
			default:
				ch, size := l.charAt(i + 1)
				return i, l.fail(i, i+1+size, "An unexpected escape code '"+ch+"' was found", hintExtrEscapes)
			}
		default:
			i++
		}
	}
}

// lexNumber lexes an integer or float literal starting at the digit at offset start (spec §1).
func (l *lexState) lexNumber(start int) (int, error) {
	src := l.src
	n := len(src)
	i := start
	for i < n && charClass[src[i]]&cDigit != 0 {
		i++
	}
	intEnd := i
	if i < n {
		switch src[i] {
		case 'x':
			// Hexadecimal: only after a single `0`.
			if intEnd-start != 1 || src[start] != '0' {
				return i, l.fail(start, i+1, msgInvalidHex, "hexadecimal literals are written 0x followed by hex digits, like 0xff")
			}
			i++
			digits, sig := 0, 0
			for i < n {
				c := src[i]
				if c == '_' {
					i++
					continue
				}
				if hexVal(c) < 0 {
					break
				}
				if sig > 0 || c != '0' {
					sig++
				}
				digits++
				i++
			}
			if digits == 0 || sig > 16 {
				return i, l.fail(start, i, msgInvalidHex, "")
			}
			if l.identContAt(i) {
				return i, l.unexpected(i, "")
			}
			l.emit(Int, start, i)
			return i, nil
		case '.':
			j := i + 1
			switch {
			case j < n && charClass[src[j]]&cDigit != 0:
				for j < n && charClass[src[j]]&cDigit != 0 {
					j++
				}
			case j+1 < n && src[j] == 'e' && (charClass[src[j+1]]&cDigit != 0 || src[j+1] == '+' || src[j+1] == '-'):
				// `1.e3`: empty fraction with an exponent.
			case l.identContAt(j):
				// `1.a`: the integer `1` followed by `.`.
				return l.finishInt(start, intEnd)
			}
			if j < n && src[j] == 'e' {
				j++
				if j < n && (src[j] == '+' || src[j] == '-') {
					j++
				}
				digits := 0
				for j < n && charClass[src[j]]&cDigit != 0 {
					if src[j] != '_' {
						digits++
					}
					j++
				}
				if digits == 0 {
					return j, l.fail(start, j, msgInvalidFloat, "an exponent needs digits, like 1.5e3 or 1.5e-3")
				}
			}
			if l.identContAt(j) {
				return j, l.unexpected(j, "")
			}
			l.emit(Float, start, j)
			return j, nil
		}
	}
	return l.finishInt(start, intEnd)
}

// finishInt checks and emits the decimal integer literal [start, end).
func (l *lexState) finishInt(start, end int) (int, error) {
	if l.identContAt(end) {
		hint := ""
		if l.src[end] == 'e' || l.src[end] == 'E' {
			hint = "an exponent is only allowed after a decimal point and in lower case: 1.0e5"
		}
		return end, l.unexpected(end, hint)
	}
	var v uint64
	for k := start; k < end; k++ {
		c := l.src[k]
		if c == '_' {
			continue
		}
		d := uint64(c - '0')
		if v > (1<<64-1-d)/10 {
			return end, l.fail(start, end, msgInvalidInt, "integers must fit in 64 bits (at most 18446744073709551615); use a float for larger numbers")
		}
		v = v*10 + d
	}
	l.emit(Int, start, end)
	return end, nil
}
