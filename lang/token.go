// Package lang turns trickle, troy and tremor-script source into the AST of package lang/ast.
//
// The pipeline is: a hand-written lexer (lexer.go) that produces Tokens and implements participle's
// lexer.Definition; a participle grammar for the statement layer (grammar.go) whose script bodies and
// expressions are parsed by a hand-written recursive-descent parser with precedence climbing
// (parse_expr.go, parse_script.go) plugged into participle as Parseable nodes; a lowering of the grammar
// structs into lang/ast (lower.go); diagnostics with caret excerpts (diag.go); the canonical formatter
// (format.go) and the static checks run by `rill check` (check*.go).
package lang

import "github.com/alecthomas/participle/v2/lexer"

// Token kinds. Every token keeps its raw source text in Value, so a token's span is
// [Pos.Offset, Pos.Offset+len(Value)). Decoding (unescaping strings, stripping backticks, parsing
// numbers) is the parser's job.
const (
	EOF lexer.TokenType = lexer.EOF

	// Ident is an identifier, `name` or a backtick identifier "`any text`" (Value keeps the backticks).
	Ident lexer.TokenType = iota + 1
	// Keyword is a reserved word (see Keywords); Value is the word.
	Keyword
	// Int is a decimal or hexadecimal integer literal, possibly with `_` separators ("1_000", "0xff").
	Int
	// Float is a float literal ("1.5", "1.", "1.5e-3").
	Float
	// Punct is an operator or punctuation ("==", "::", "%{", "<<", ";", ...).
	Punct
	// StrOpen opens a string: `"`. Followed by StrText/InterpOpen... then StrClose.
	StrOpen
	// StrClose closes a string: `"`.
	StrClose
	// HereOpen opens a heredoc: `"""` plus the newline that must follow it.
	HereOpen
	// HereClose closes a heredoc: `"""`.
	HereClose
	// StrText is a run of literal string content, raw (escapes not yet decoded).
	StrText
	// InterpOpen opens an interpolation inside a string: `#{`. The tokens of the expression follow,
	// then InterpClose.
	InterpOpen
	// InterpClose closes an interpolation: `}`.
	InterpClose
	// Extractor is an extractor rule literal including its pipes: "|rule|".
	Extractor
	// DocComment is a `##` comment line (Value includes the `##`, not the newline).
	DocComment
	// ModComment is a `###` comment line.
	ModComment
	// Comment is a plain `#` comment (elided from parsing, kept for the formatter).
	Comment
	// Config is the `#!config ` directive token (with its trailing space).
	Config
)

// tokenNames maps token kinds to the names used in participle grammars and error messages.
var tokenNames = map[string]lexer.TokenType{
	"EOF":         EOF,
	"Ident":       Ident,
	"Keyword":     Keyword,
	"Int":         Int,
	"Float":       Float,
	"Punct":       Punct,
	"StrOpen":     StrOpen,
	"StrClose":    StrClose,
	"HereOpen":    HereOpen,
	"HereClose":   HereClose,
	"StrText":     StrText,
	"InterpOpen":  InterpOpen,
	"InterpClose": InterpClose,
	"Extractor":   Extractor,
	"DocComment":  DocComment,
	"ModComment":  ModComment,
	"Comment":     Comment,
	"Config":      Config,
}

// KindName returns the grammar name of a token kind ("Ident", "Punct", ...).
func KindName(t lexer.TokenType) string {
	for n, k := range tokenNames {
		if k == t {
			return n
		}
	}
	return "?"
}

// Keywords are the reserved words of the language (spec §1): they need backticks to be used as names.
// `peer` is Rill's synonym of `connector` in deployment statements but is not reserved, so existing
// programs that use it as a name keep working.
var Keywords = map[string]bool{}

func init() {
	for _, k := range []string{
		"intrinsic", "mod", "const", "let", "match", "end", "fn", "null", "case", "of", "when", "default",
		"patch", "insert", "upsert", "update", "erase", "move", "copy", "merge", "for", "event", "state",
		"present", "absent", "true", "false", "and", "or", "xor", "not", "drop", "emit", "select", "from",
		"where", "with", "group", "by", "having", "into", "create", "tumbling", "sliding", "window", "stream",
		"operator", "script", "set", "each", "define", "args", "use", "as", "recur", "pipeline", "connector",
		"connect", "flow", "to", "deploy",
	} {
		Keywords[k] = true
	}
}
