package repl

import (
	"strings"

	"github.com/rillstream/rill/lang"
)

// inputKind says how an input runs.
type inputKind uint8

const (
	inputBlank   inputKind = iota // only whitespace and comments: nothing to do
	inputCommand                  // `:name args`
	inputScript                   // tremor-script statements
	inputQuery                    // trickle statements
	inputUse                      // starts with `use`: for the script session and, if only `use`s, the query
)

// queryKeywords are the first keywords of query (and deployment) statements. `use` is not among
// them: it belongs to both languages (see inputUse).
var queryKeywords = map[string]bool{
	"define": true, "create": true, "select": true, "connect": true, "deploy": true, "flow": true,
}

// classify tells what an input is from its first token, comments skipped: `:` starts a command,
// a query keyword or a `#!config` directive a query statement, `use` a use, anything else a
// script. An input that does not lex (an unterminated string) is a script, so that it gets the
// script's continuation or error.
func classify(src string) inputKind {
	if strings.HasPrefix(strings.TrimLeft(src, " \t\r\n"), ":") {
		return inputCommand
	}
	toks, err := lang.Lex("<input>", src)
	for _, t := range toks {
		switch t.Type {
		case lang.Comment, lang.DocComment, lang.ModComment:
			continue
		case lang.EOF:
			return inputBlank
		case lang.Config:
			return inputQuery
		case lang.Keyword:
			if queryKeywords[t.Value] {
				return inputQuery
			}
			if t.Value == "use" {
				return inputUse
			}
		}
		return inputScript
	}
	if err != nil {
		return inputScript
	}
	return inputBlank
}

// incomplete reports whether a parse error says only that the input ended too early, so that more
// lines may complete it: every diagnostic is an "unexpected end of input", an unterminated heredoc
// or an unterminated string interpolation (see endsEarly).
//
// For query statements it also accepts one diagnostic that points at the input's last token when
// that token is a keyword opening a block (`script`, `with`, `args`, `pipeline`): the query parser
// reports `define script s script` followed by nothing as "unexpected keyword `script`, expected
// `script`", and `define operator o from m::k with` as "expected `;`", rather than as an end of
// input. A real mistake of that shape shows once the next line is entered.
func incomplete(err error, src string, query bool) bool {
	ds := diagnostics(err)
	if len(ds) == 0 {
		return false
	}
	atEnd := true
	for _, d := range ds {
		if !endsEarly(d.Msg) {
			atEnd = false
		}
	}
	if atEnd {
		return true
	}
	if !query || len(ds) != 1 {
		return false
	}
	last, ok := lastToken(src)
	return ok && last.kw && blockOpeners[last.text] && ds[0].Pos.Offset == last.offset
}

// endsEarly reports whether a diagnostic message says that the input stopped before something
// that may follow on the next line: the end of a statement, a heredoc or a string interpolation
// (both may span lines). An unterminated plain string is an error at once: strings can not span
// lines.
func endsEarly(msg string) bool {
	return strings.Contains(msg, "unexpected end of input") ||
		strings.Contains(msg, "forgot to terminate a here doc") ||
		strings.Contains(msg, "forgot to terminate a string interpolation")
}

// blockOpeners are the query keywords after which a statement's body follows.
var blockOpeners = map[string]bool{"script": true, "with": true, "args": true, "pipeline": true}

// token is what the REPL needs of a lexed token.
type token struct {
	text   string
	offset int  // byte offset of its first byte
	kw     bool // a keyword
}

// lastToken returns the last token of src that is not a comment (ok=false when there is none or
// src does not lex).
func lastToken(src string) (t token, ok bool) {
	toks, err := lang.Lex("<input>", src)
	if err != nil {
		return token{}, false
	}
	for _, tk := range toks {
		switch tk.Type {
		case lang.Comment, lang.DocComment, lang.ModComment, lang.EOF:
			continue
		}
		t, ok = token{text: tk.Value, offset: tk.Pos.Offset, kw: tk.Type == lang.Keyword}, true
	}
	return t, ok
}

// terminate returns a query input whose last statement ends with `;`, so that the next input can
// follow it in the accumulated source: a `;` goes right after the last token when that token is
// not already one (comments after it stay where they are).
func terminate(src string) string {
	t, ok := lastToken(src)
	if !ok || t.text == ";" {
		return src
	}
	end := t.offset + len(t.text)
	return src[:end] + ";" + src[end:]
}

// diagnostics returns the diagnostics an error holds (nil when it is of another kind).
func diagnostics(err error) lang.Diagnostics {
	switch e := err.(type) {
	case lang.Diagnostics:
		return e
	case *lang.Diagnostic:
		return lang.Diagnostics{e}
	}
	return nil
}
