package lang

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// lexTestShow renders tokens (without the final EOF) as "Kind value" strings.
func lexTestShow(toks []lexer.Token) []string {
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		if t.Type == EOF {
			continue
		}
		out = append(out, KindName(t.Type)+" "+t.Value)
	}
	return out
}

// lexTestCheckSpans verifies the invariants every successful or partial token list must satisfy:
// Value is the source text at Pos.Offset, offsets increase, Line/Column match the offset.
func lexTestCheckSpans(t *testing.T, src string, toks []lexer.Token) {
	t.Helper()
	prevEnd := 0
	for i, tok := range toks {
		off := tok.Pos.Offset
		if off < prevEnd || off+len(tok.Value) > len(src) || src[off:off+len(tok.Value)] != tok.Value {
			t.Fatalf("token %d %q at offset %d: bad span (prev end %d)", i, tok.Value, off, prevEnd)
		}
		prevEnd = off + len(tok.Value)
		line := strings.Count(src[:off], "\n") + 1
		col := utf8.RuneCountInString(src[strings.LastIndexByte(src[:off], '\n')+1:off]) + 1
		if tok.Pos.Line != line || tok.Pos.Column != col {
			t.Fatalf("token %d %q at offset %d: position %d:%d, want %d:%d", i, tok.Value, off, tok.Pos.Line, tok.Pos.Column, line, col)
		}
		if tok.Pos.Filename != "test.tremor" {
			t.Fatalf("token %d: filename %q", i, tok.Pos.Filename)
		}
	}
}

func TestLexTokens(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"empty", "", nil},
		{"whitespace only", " \t\r\n\v\f\u00a0\u2003\u2028\n", nil},

		// Identifiers and keywords.
		{"ident", "abc", []string{"Ident abc"}},
		{"ident digits underscore", "a1_b2 x_", []string{"Ident a1_b2", "Ident x_"}},
		{"leading underscore", "_a", []string{"Punct _", "Ident a"}},
		{"double underscore", "__", []string{"Punct _", "Punct _"}},
		{"dont care", "case _ =>", []string{"Keyword case", "Punct _", "Punct =>"}},
		{"keywords", "let match end fn null event state select define window mod recur flow deploy",
			[]string{"Keyword let", "Keyword match", "Keyword end", "Keyword fn", "Keyword null", "Keyword event",
				"Keyword state", "Keyword select", "Keyword define", "Keyword window", "Keyword mod", "Keyword recur",
				"Keyword flow", "Keyword deploy"}},
		{"not keywords", "nil peer Let matches ends", []string{"Ident nil", "Ident peer", "Ident Let", "Ident matches", "Ident ends"}},
		{"unicode ident", "héllo 名前 ñ1 Ωmega", []string{"Ident héllo", "Ident 名前", "Ident ñ1", "Ident Ωmega"}},
		{"combining marks", "नमस्ते", []string{"Ident नमस्ते"}},
		{"backtick ident", "event.`event` `any text 1`", []string{"Keyword event", "Punct .", "Ident `event`", "Ident `any text 1`"}},
		{"backtick empty", "``", []string{"Ident ``"}},
		{"backtick keyword window", "define window `20ns`", []string{"Keyword define", "Keyword window", "Ident `20ns`"}},
		{"path", "event.a.b[1].c", []string{"Keyword event", "Punct .", "Ident a", "Punct .", "Ident b", "Punct [", "Int 1", "Punct ]", "Punct .", "Ident c"}},
		{"module path", "std::string::len(x)", []string{"Ident std", "Punct ::", "Ident string", "Punct ::", "Ident len", "Punct (", "Ident x", "Punct )"}},

		// Numbers.
		{"ints", "0 1 42 1_000 18446744073709551615", []string{"Int 0", "Int 1", "Int 42", "Int 1_000", "Int 18446744073709551615"}},
		{"int trailing underscore", "1_ 1__2", []string{"Int 1_", "Int 1__2"}},
		{"leading zeros", "007", []string{"Int 007"}},
		{"hex", "0x0 0xff 0xDEAD_beef 0xffffffffffffffff 0x0000000000000000001", []string{"Int 0x0", "Int 0xff", "Int 0xDEAD_beef", "Int 0xffffffffffffffff", "Int 0x0000000000000000001"}},
		{"floats", "1.5 0.0 1. 1.e3 1.5e3 1.5e+3 1.5e-3 1_0.2_5 2.e-1_0", []string{"Float 1.5", "Float 0.0", "Float 1.", "Float 1.e3", "Float 1.5e3", "Float 1.5e+3", "Float 1.5e-3", "Float 1_0.2_5", "Float 2.e-1_0"}},
		{"int dot ident", "1.a", []string{"Int 1", "Punct .", "Ident a"}},
		{"int dot keyword", "1.end", []string{"Int 1", "Punct .", "Keyword end"}},
		{"int dot e", "1.e", []string{"Int 1", "Punct .", "Ident e"}},
		{"float then dot", "1..2", []string{"Float 1.", "Punct .", "Int 2"}},
		{"float then dots", "1.5.2", []string{"Float 1.5", "Punct .", "Int 2"}},
		{"float then paren", "[1.]", []string{"Punct [", "Float 1.", "Punct ]"}},
		{"hex then dot", "0x1.a", []string{"Int 0x1", "Punct .", "Ident a"}},
		{"negative", "-1 - -2.5", []string{"Punct -", "Int 1", "Punct -", "Punct -", "Float 2.5"}},
		{"number then punct", "1+2*3/4%5", []string{"Int 1", "Punct +", "Int 2", "Punct *", "Int 3", "Punct /", "Int 4", "Punct %", "Int 5"}},

		// Punctuation.
		{"multi-char punct", "== != >= <= >> >>> << => :: ~= %{ %[ %(",
			[]string{"Punct ==", "Punct !=", "Punct >=", "Punct <=", "Punct >>", "Punct >>>", "Punct <<", "Punct =>", "Punct ::", "Punct ~=", "Punct %{", "Punct %[", "Punct %("}},
		{"single punct", "( ) [ ] { } , ; : . + - * / % = < > ! ~ ^ & $ _ \\",
			[]string{"Punct (", "Punct )", "Punct [", "Punct ]", "Punct {", "Punct }", "Punct ,", "Punct ;", "Punct :", "Punct .",
				"Punct +", "Punct -", "Punct *", "Punct /", "Punct %", "Punct =", "Punct <", "Punct >", "Punct !", "Punct ~",
				"Punct ^", "Punct &", "Punct $", "Punct _", "Punct \\"}},
		{"greedy", "a>>>=b<<=c", []string{"Ident a", "Punct >>>", "Punct =", "Ident b", "Punct <<", "Punct =", "Ident c"}},
		{"pattern opener always", "a %(b) a%{ a%[", []string{"Ident a", "Punct %(", "Ident b", "Punct )", "Ident a", "Punct %{", "Ident a", "Punct %["}},
		{"percent space", "a % (b)", []string{"Ident a", "Punct %", "Punct (", "Ident b", "Punct )"}},
		{"ellipsis", "...", []string{"Punct .", "Punct .", "Punct ."}},
		{"bang not eq", "!a ! =", []string{"Punct !", "Ident a", "Punct !", "Punct ="}},
		{"binary literal", "<< 1:8, x/binary >>", []string{"Punct <<", "Int 1", "Punct :", "Int 8", "Punct ,", "Ident x", "Punct /", "Ident binary", "Punct >>"}},
		{"gt lt not last", "a > b < c >>", []string{"Ident a", "Punct >", "Ident b", "Punct <", "Ident c", "Punct >>"}},
		{"meta", "$a", []string{"Punct $", "Ident a"}},
		{"double colon then colon sep", ":: :", []string{"Punct ::", "Punct :"}},

		// Comments and config.
		{"comment", "a # hi\nb", []string{"Ident a", "Comment # hi", "Ident b"}},
		{"comment crlf", "# hi\r\nb", []string{"Comment # hi", "Ident b"}},
		{"comment eof", "#", []string{"Comment #"}},
		{"doc comment", "## doc\ndefine", []string{"DocComment ## doc", "Keyword define"}},
		{"mod comment", "### mod\n#### more", []string{"ModComment ### mod", "ModComment #### more"}},
		{"comment with hash brace", "# #{x} \"", []string{"Comment # #{x} \""}},
		{"config", "#!config metrics_interval_s = 3\nselect", []string{"Config #!config ", "Ident metrics_interval_s", "Punct =", "Int 3", "Keyword select"}},

		// Strings.
		{"empty string", `""`, []string{`StrOpen "`, `StrClose "`}},
		{"string", `"abc"`, []string{`StrOpen "`, "StrText abc", `StrClose "`}},
		{"string escapes kept raw", `"a\"b\\c\#{d}\b\f\n\r\t\u00e9\uD7FF"`, []string{`StrOpen "`, `StrText a\"b\\c\#{d}\b\f\n\r\t\u00e9\uD7FF`, `StrClose "`}},
		{"string hash content", `"a # b #x #"`, []string{`StrOpen "`, "StrText a # b #x #", `StrClose "`}},
		{"string unicode", `"héllo → 世界"`, []string{`StrOpen "`, "StrText héllo → 世界", `StrClose "`}},
		{"string then string", `"a" "b"`, []string{`StrOpen "`, "StrText a", `StrClose "`, `StrOpen "`, "StrText b", `StrClose "`}},
		{"interpolation", `"a#{b}c"`, []string{`StrOpen "`, "StrText a", "InterpOpen #{", "Ident b", "InterpClose }", "StrText c", `StrClose "`}},
		{"interpolation only", `"#{b}"`, []string{`StrOpen "`, "InterpOpen #{", "Ident b", "InterpClose }", `StrClose "`}},
		{"interpolation adjacent", `"#{a}#{b}"`, []string{`StrOpen "`, "InterpOpen #{", "Ident a", "InterpClose }", "InterpOpen #{", "Ident b", "InterpClose }", `StrClose "`}},
		{"interpolation whitespace", `"#{ }"`, []string{`StrOpen "`, "InterpOpen #{", "InterpClose }", `StrClose "`}},
		{"interpolation record", `"#{ {"b": [1]} }"`, []string{`StrOpen "`, "InterpOpen #{", "Punct {", `StrOpen "`, "StrText b", `StrClose "`, "Punct :", "Punct [", "Int 1", "Punct ]", "Punct }", "InterpClose }", `StrClose "`}},
		{"nested strings", `"a#{ "b#{c}" }d"`, []string{`StrOpen "`, "StrText a", "InterpOpen #{", `StrOpen "`, "StrText b", "InterpOpen #{", "Ident c", "InterpClose }", `StrClose "`, "InterpClose }", "StrText d", `StrClose "`}},
		{"interp nested braces", `"#{ {} }"`, []string{`StrOpen "`, "InterpOpen #{", "Punct {", "Punct }", "InterpClose }", `StrClose "`}},
		// ⚠ `%{` is not counted as an opener, so its `}` closes the interpolation.
		{"interp pattern brace not counted", `"#{ %{ a } }"`, []string{`StrOpen "`, "InterpOpen #{", "Punct %{", "Ident a", "InterpClose }", "StrText  }", `StrClose "`}},
		{"brace outside string", "}", []string{"Punct }"}},
		{"interp then code", `"#{a}" }`, []string{`StrOpen "`, "InterpOpen #{", "Ident a", "InterpClose }", `StrClose "`, "Punct }"}},
		{"interp with string in record", `{"k": "#{x}"}`, []string{"Punct {", `StrOpen "`, "StrText k", `StrClose "`, "Punct :", `StrOpen "`, "InterpOpen #{", "Ident x", "InterpClose }", `StrClose "`, "Punct }"}},

		// Heredocs.
		{"heredoc", "\"\"\"\n  ab\n c\"\"\"", []string{"HereOpen \"\"\"\n", "StrText   ab\n c", `HereClose """`}},
		{"heredoc close on own line", "\"\"\"\nx\n\"\"\"", []string{"HereOpen \"\"\"\n", "StrText x\n", `HereClose """`}},
		{"heredoc empty", "\"\"\"\n\"\"\"", []string{"HereOpen \"\"\"\n", `HereClose """`}},
		{"heredoc quotes inside", "\"\"\"\na\"b\"\"c\"\"\"", []string{"HereOpen \"\"\"\n", `StrText a"b""c`, `HereClose """`}},
		{"heredoc four quotes", "\"\"\"\na\"\"\"\"\"", []string{"HereOpen \"\"\"\n", "StrText a", `HereClose """`, `StrOpen "`, `StrClose "`}},
		{"heredoc escapes", "\"\"\"\n\\\"\"\"\\n\"\"\"", []string{"HereOpen \"\"\"\n", `StrText \"""\n`, `HereClose """`}},
		{"heredoc crlf content", "\"\"\"\na\r\nb\"\"\"", []string{"HereOpen \"\"\"\n", "StrText a\r\nb", `HereClose """`}},
		{"heredoc interpolation", "\"\"\"\nhi #{ event.name # c\n } ok\n\"\"\"", []string{"HereOpen \"\"\"\n", "StrText hi ", "InterpOpen #{",
			"Keyword event", "Punct .", "Ident name", "Comment # c", "InterpClose }", "StrText  ok\n", `HereClose """`}},
		{"heredoc in interpolation", "\"#{\"\"\"\nx\"\"\"}\"", []string{`StrOpen "`, "InterpOpen #{", "HereOpen \"\"\"\n", "StrText x", `HereClose """`, "InterpClose }", `StrClose "`}},

		// Extractors.
		{"extractor", `re|^(?P<a>\\d+)$|`, []string{"Ident re", `Extractor |^(?P<a>\\d+)$|`}},
		{"extractor spaced", "glob |*a*|", []string{"Ident glob", "Extractor |*a*|"}},
		{"extractor escapes", `re|a\|b\\|`, []string{"Ident re", `Extractor |a\|b\\|`}},
		{"extractor empty", "||", []string{"Extractor ||"}},
		{"extractor continuation", "dissect|%{a}\\\n   %{b}| x", []string{"Ident dissect", "Extractor |%{a}\\\n   %{b}|", "Ident x"}},
		{"extractor in interp", `"#{re|a|}"`, []string{`StrOpen "`, "InterpOpen #{", "Ident re", "Extractor |a|", "InterpClose }", `StrClose "`}},
		{"extractor quotes", `kv|a="b"|`, []string{"Ident kv", `Extractor |a="b"|`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			toks, err := Lex("test.tremor", tc.src)
			if err != nil {
				t.Fatalf("Lex(%q): %v", tc.src, err)
			}
			lexTestCheckSpans(t, tc.src, toks)
			if len(toks) == 0 || toks[len(toks)-1].Type != EOF {
				t.Fatalf("no final EOF")
			}
			eof := toks[len(toks)-1]
			if eof.Value != "" || eof.Pos.Offset != len(tc.src) {
				t.Fatalf("EOF token %#v", eof)
			}
			for _, tok := range toks[:len(toks)-1] {
				if tok.Type == EOF {
					t.Fatalf("EOF before the end")
				}
			}
			got := lexTestShow(toks)
			if strings.Join(got, "\x00") != strings.Join(tc.want, "\x00") {
				t.Errorf("Lex(%q):\n got %q\nwant %q", tc.src, got, tc.want)
			}
		})
	}
}

func TestLexErrors(t *testing.T) {
	const (
		unexpected = "An unexpected character '%s' was found"
	)
	uc := func(ch string) string { return strings.Replace(unexpected, "%s", ch, 1) }
	tests := []struct {
		name      string
		src       string
		msg       string
		line, col int
		off, end  int
	}{
		// Bad characters.
		{"question", "a ? b", uc("?"), 1, 3, 2, 3},
		{"at", "@", uc("@"), 1, 1, 0, 1},
		{"single quote", "'a'", uc("'"), 1, 1, 0, 1},
		{"non-ascii symbol", "a → b", uc("→"), 1, 3, 2, 5},
		{"control char", "a\x00", uc(`\x00`), 1, 2, 1, 2},
		{"invalid utf8", "a \xff", `The source is not valid UTF-8: invalid byte "\xff"`, 1, 3, 2, 3},
		{"invalid utf8 in a string", "\"a\xffb\"", `The source is not valid UTF-8: invalid byte "\xff"`, 1, 3, 2, 3},
		{"invalid utf8 in a comment", "# \xc3\n1", `The source is not valid UTF-8: invalid byte "\xc3"`, 1, 3, 2, 3},
		{"bom", "\ufeffa", uc(`\ufeff`), 1, 1, 0, 3},
		{"pipe-less bar", "a |", "It looks like you forgot to terminate an extractor with a closing '|'", 1, 3, 2, 3},
		{"bad hash bang", "#!foo", uc("!"), 1, 2, 1, 2},
		{"config without space", "#!config\n", uc("!"), 1, 2, 1, 2},
		{"triple colon", "a:::b", uc(":"), 1, 2, 1, 4},
		{"gt last", "a >", uc(">"), 1, 3, 2, 3},
		{"lt last", "a <", uc("<"), 1, 3, 2, 3},
		{"percent last", "a %", "An unexpected end of stream was found", 1, 3, 2, 3},
		{"bang last", "!", "An unexpected end of stream was found", 1, 1, 0, 1},
		{"tilde last", "a ~", "An unexpected end of stream was found", 1, 3, 2, 3},

		// Numbers.
		{"int overflow", "18446744073709551616", "An invalid integer literal", 1, 1, 0, 20},
		{"int overflow underscores", "x = 99_999_999_999_999_999_999", "An invalid integer literal", 1, 5, 4, 30},
		{"int then letter", "1a", uc("a"), 1, 2, 1, 2},
		{"int then unicode letter", "1é", uc("é"), 1, 2, 1, 3},
		{"exponent without dot", "1e5", uc("e"), 1, 2, 1, 2},
		{"upper exponent", "1.5E3", uc("E"), 1, 4, 3, 4},
		{"float then letter", "1.5x", uc("x"), 1, 4, 3, 4},
		{"empty frac exp then letter", "1.e3x", uc("x"), 1, 5, 4, 5},
		{"float exp then letter", "1.5e3a", uc("a"), 1, 6, 5, 6},
		{"float missing exponent", "1.5e", "An invalid float literal", 1, 1, 0, 4},
		{"float missing exponent sign", "1.5e+ ", "An invalid float literal", 1, 1, 0, 5},
		{"float empty frac exp sign", "1.e+", "An invalid float literal", 1, 1, 0, 4},
		{"float empty frac exp letter", "1.e-x", "An invalid float literal", 1, 1, 0, 4},
		{"hex no digits", "0x", "An invalid hexadecimal", 1, 1, 0, 2},
		{"hex only underscore", "0x_", "An invalid hexadecimal", 1, 1, 0, 3},
		{"hex double zero", "00x1", "An invalid hexadecimal", 1, 1, 0, 3},
		{"hex after one", "1x", "An invalid hexadecimal", 1, 1, 0, 2},
		{"hex overflow", "0x1_0000_0000_0000_0000", "An invalid hexadecimal", 1, 1, 0, 23},
		{"hex upper X", "0X1", uc("X"), 1, 2, 1, 2},
		{"hex then letter", "0xfg", uc("g"), 1, 4, 3, 4},

		// Strings.
		{"unterminated string", `a = "abc`, "It looks like you forgot to terminate a string with a closing '\"'", 1, 5, 4, 5},
		{"string newline", "a = \"ab\nc\"", "It looks like you forgot to terminate a string with a closing '\"'", 1, 5, 4, 5},
		{"string backslash eof", `"a\`, "It looks like you forgot to terminate a string with a closing '\"'", 1, 1, 0, 1},
		{"string after interp newline", "\"#{a}b\n\"", "It looks like you forgot to terminate a string with a closing '\"'", 1, 1, 0, 1},
		{"bad escape", `"a\qb"`, "An unexpected escape code 'q' was found", 1, 3, 2, 4},
		{"bad escape slash", `"\/"`, "An unexpected escape code '/' was found", 1, 2, 1, 3},
		{"bad escape unicode", `"\é"`, "An unexpected escape code 'é' was found", 1, 2, 1, 4},
		{"backslash newline", "\"a\\\nb\"", `An unexpected escape code '\n' was found`, 1, 3, 2, 4},
		{"bad u hex", `"\u12g4"`, "An invalid UTF8 escape sequence was found", 1, 2, 1, 6},
		{"short u", `"\u12"`, "An invalid UTF8 escape sequence was found", 1, 2, 1, 6},
		{"u surrogate", `"\uD800"`, "An invalid UTF8 escape sequence was found", 1, 2, 1, 7},
		{"u surrogate low", `"\udfff"`, "An invalid UTF8 escape sequence was found", 1, 2, 1, 7},
		{"u eof", `"\u12`, "It looks like you forgot to terminate a string with a closing '\"'", 1, 1, 0, 1},
		{"empty interpolation", `"a#{}b"`, "You have an interpolation without content.", 1, 3, 2, 5},
		{"unterminated interpolation", `"a#{ b`, "It looks like you forgot to terminate a string interpolation with a closing '}'", 1, 3, 2, 4},
		{"unterminated interpolation comment", `"a#{ b # }"`, "It looks like you forgot to terminate a string interpolation with a closing '}'", 1, 3, 2, 4},
		{"unterminated nested interpolation", `"a#{ "b#{ {c} `, "It looks like you forgot to terminate a string interpolation with a closing '}'", 1, 8, 7, 9},
		{"unterminated inner string", `"a#{ "b`, "It looks like you forgot to terminate a string with a closing '\"'", 1, 6, 5, 6},
		{"error inside interpolation", `"a#{ ? }"`, uc("?"), 1, 6, 5, 6},

		// Heredocs.
		{"heredoc tailing", `""" x`, "It looks like you have characters tailing the here doc opening, it needs to be followed by a newline", 1, 1, 0, 3},
		{"heredoc crlf", "\"\"\"\r\nx\"\"\"", "It looks like you have characters tailing the here doc opening, it needs to be followed by a newline", 1, 1, 0, 3},
		{"heredoc four quotes open", "\"\"\"\"\n", "It looks like you have characters tailing the here doc opening, it needs to be followed by a newline", 1, 1, 0, 3},
		{"heredoc eof after open", `a = """`, "It looks like you forgot to terminate a here doc with with a closing '\"\"\"'", 1, 5, 4, 7},
		{"heredoc unterminated", "x\n  \"\"\"\nabc\n\"\"", "It looks like you forgot to terminate a here doc with with a closing '\"\"\"'", 2, 3, 4, 7},
		{"heredoc bad escape", "\"\"\"\nab\\x\"\"\"", "An unexpected escape code 'x' was found", 2, 3, 6, 8},
		{"heredoc backslash newline", "\"\"\"\nab\\\n\"\"\"", `An unexpected escape code '\n' was found`, 2, 3, 6, 8},
		{"heredoc empty interpolation", "\"\"\"\n\n  #{}\"\"\"", "You have an interpolation without content.", 3, 3, 7, 10},

		// Extractors.
		{"extractor unterminated", "re|abc", "It looks like you forgot to terminate an extractor with a closing '|'", 1, 3, 2, 3},
		{"extractor newline", "re|abc\n|", "It looks like you forgot to terminate an extractor with a closing '|'", 1, 3, 2, 3},
		{"extractor backslash eof", "re|abc\\", "It looks like you forgot to terminate an extractor with a closing '|'", 1, 3, 2, 3},
		{"extractor bad escape", `re|\d+|`, "An unexpected escape code 'd' was found", 1, 4, 3, 5},
		{"extractor backslash cr", "re|a\\\r\nb|", `An unexpected escape code '\r' was found`, 1, 5, 4, 6},

		// Backtick identifiers.
		{"backtick unterminated", "a `bc", "It looks like you forgot to terminate an ident with a closing '`'", 1, 3, 2, 3},
		{"backtick newline", "`a\nb`", "It looks like you forgot to terminate an ident with a closing '`'", 1, 1, 0, 1},

		// Positions on later lines and after non-ASCII text.
		{"position multiline", "let a = 1;\n\n  let b = ?", uc("?"), 3, 11, 22, 23},
		{"position after unicode", "\"日本語\" é ?", uc("?"), 1, 9, 15, 16},
		{"position tabs", "\t\ta ?", uc("?"), 1, 5, 4, 5},
		{"position after heredoc", "\"\"\"\nä\nö\"\"\" ?", uc("?"), 3, 6, 13, 14},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			toks, err := Lex("test.tremor", tc.src)
			if err == nil {
				t.Fatalf("Lex(%q): no error, tokens %q", tc.src, lexTestShow(toks))
			}
			var d *Diagnostic
			if !errors.As(err, &d) {
				t.Fatalf("Lex(%q): error %T, want *Diagnostic", tc.src, err)
			}
			if d.Msg != tc.msg {
				t.Errorf("Lex(%q): message %q, want %q", tc.src, d.Msg, tc.msg)
			}
			if d.Pos.Line != tc.line || d.Pos.Col != tc.col || d.Pos.Offset != tc.off || d.Pos.End != tc.end {
				t.Errorf("Lex(%q): at %d:%d [%d,%d), want %d:%d [%d,%d)", tc.src, d.Pos.Line, d.Pos.Col, d.Pos.Offset, d.Pos.End,
					tc.line, tc.col, tc.off, tc.end)
			}
			if d.Pos.File != "test.tremor" {
				t.Errorf("file %q", d.Pos.File)
			}
			if want := "test.tremor:"; !strings.HasPrefix(d.Error(), want) {
				t.Errorf("Error() = %q", d.Error())
			}
			lexTestCheckSpans(t, tc.src, toks)
			for _, tok := range toks {
				if tok.Type == EOF {
					t.Fatalf("EOF token in a failed lex")
				}
			}
		})
	}
}

func TestLexPositions(t *testing.T) {
	src := "select \"é#{a}\"\n  from\tin\r\n# ü\n\"\"\"\nx #{ b }\n\"\"\" 名 |x\\\ny| z"
	toks, err := Lex("test.tremor", src)
	if err != nil {
		t.Fatal(err)
	}
	lexTestCheckSpans(t, src, toks)
	type lc struct {
		val       string
		line, col int
	}
	want := []lc{
		{"select", 1, 1}, {`"`, 1, 8}, {"é", 1, 9}, {"#{", 1, 10}, {"a", 1, 12}, {"}", 1, 13}, {`"`, 1, 14},
		{"from", 2, 3}, {"in", 2, 8}, {"# ü", 3, 1}, {"\"\"\"\n", 4, 1}, {"x ", 5, 1}, {"#{", 5, 3}, {"b", 5, 6},
		{"}", 5, 8}, {"\n", 5, 9}, {`"""`, 6, 1}, {"名", 6, 5}, {"|x\\\ny|", 6, 7}, {"z", 7, 4}, {"", 7, 5},
	}
	if len(toks) != len(want) {
		t.Fatalf("got %d tokens %q, want %d", len(toks), lexTestShow(toks), len(want))
	}
	for i, w := range want {
		got := toks[i]
		if got.Value != w.val || got.Pos.Line != w.line || got.Pos.Column != w.col {
			t.Errorf("token %d: %q at %d:%d, want %q at %d:%d", i, got.Value, got.Pos.Line, got.Pos.Column, w.val, w.line, w.col)
		}
	}
}

func TestLexHints(t *testing.T) {
	_, err := Lex("q.trickle", `let a = "abc`)
	d := err.(*Diagnostic)
	if !strings.Contains(d.Hint, "heredoc") {
		t.Errorf("unterminated string hint %q", d.Hint)
	}
	_, err = Lex("q.trickle", `re|\d|`)
	if d := err.(*Diagnostic); d.Hint == "" {
		t.Errorf("extractor escape without a hint")
	}
}

func TestLexPartialTokens(t *testing.T) {
	toks, err := Lex("test.tremor", "let a = 1; ?")
	if err == nil {
		t.Fatal("no error")
	}
	if got, want := strings.Join(lexTestShow(toks), ","), "Keyword let,Ident a,Punct =,Int 1,Punct ;"; got != want {
		t.Errorf("tokens before the error: %s, want %s", got, want)
	}
}

func TestLexDefinition(t *testing.T) {
	var def lexer.Definition = Definition{}
	if def.Symbols()["StrText"] != StrText || def.Symbols()["EOF"] != EOF || len(def.Symbols()) != len(tokenNames) {
		t.Fatalf("Symbols() = %v", def.Symbols())
	}
	src := "select \"a#{b}\" from in into out; # c\n"
	want, err := Lex("q.trickle", src)
	if err != nil {
		t.Fatal(err)
	}
	drain := func(l lexer.Lexer) []lexer.Token {
		var out []lexer.Token
		for range 1000 {
			tok, err := l.Next()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, tok)
			if tok.EOF() {
				// Reading past the end keeps returning EOF.
				again, err := l.Next()
				if err != nil || !again.EOF() {
					t.Fatalf("after EOF: %v %v", again, err)
				}
				return out
			}
		}
		t.Fatal("no EOF")
		return nil
	}
	check := func(name string, l lexer.Lexer, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := drain(l)
		if len(got) != len(want) {
			t.Fatalf("%s: %d tokens, want %d", name, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: token %d = %#v, want %#v", name, i, got[i], want[i])
			}
		}
	}
	l, err := def.Lex("q.trickle", strings.NewReader(src))
	check("Lex", l, err)
	l, err = Definition{}.LexString("q.trickle", src)
	check("LexString", l, err)
	l, err = Definition{}.LexBytes("q.trickle", []byte(src))
	check("LexBytes", l, err)

	// A lexical error comes out of Next, as a *Diagnostic, after the preceding tokens.
	l, err = Definition{}.LexString("q.trickle", "a ?")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := l.Next()
	if err != nil || tok.Value != "a" {
		t.Fatalf("first token %#v %v", tok, err)
	}
	_, err = l.Next()
	var d *Diagnostic
	if !errors.As(err, &d) || d.Msg != "An unexpected character '?' was found" {
		t.Fatalf("error %v", err)
	}
}

// lexTestCorpus returns the source files of the parse corpus.
func lexTestCorpus(t testing.TB) []string {
	var files []string
	for _, dir := range []string{"../testdata/parse", "../testdata/examples"} {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				switch filepath.Ext(path) {
				case ".tremor", ".trickle", ".troy":
					files = append(files, path)
				}
			}
			return nil
		})
	}
	return files
}

func TestLexCorpus(t *testing.T) {
	files := lexTestCorpus(t)
	if len(files) == 0 {
		t.Fatal("no programs found under ../testdata: the corpus test would check nothing")
	}
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		toks, err := Lex("test.tremor", src)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		lexTestCheckSpans(t, src, toks)
	}
}

func FuzzLex(f *testing.F) {
	for _, s := range []string{
		"", "select event from in into out;", `"a#{ "b#{c}" }d"`, "\"\"\"\nx #{ {} } \\u00e9\n\"\"\"",
		"re|a\\|b\\\n  c|", "1.5e-3 0xff 1_000 1. 1.a", "#!config x = 1\n### m\n## d\n# c\n", "a %{ b } %[ %( ::",
		"`a b` é 名 ?", "\"#{ %{ a } }\"", "<< 1:8 >> >>> <= >= != ~= =>",
	} {
		f.Add(s)
	}
	for _, path := range lexTestCorpus(f) {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		toks, err := Lex("fuzz.tremor", src)
		prevEnd := 0
		for i, tok := range toks {
			off := tok.Pos.Offset
			if off < prevEnd || off+len(tok.Value) > len(src) || src[off:off+len(tok.Value)] != tok.Value {
				t.Fatalf("token %d %q at offset %d: bad span (prev end %d)", i, tok.Value, off, prevEnd)
			}
			if tok.Pos.Line < 1 || tok.Pos.Column < 1 {
				t.Fatalf("token %d: position %d:%d", i, tok.Pos.Line, tok.Pos.Column)
			}
			if len(tok.Value) == 0 && tok.Type != EOF {
				t.Fatalf("token %d: empty %s", i, KindName(tok.Type))
			}
			prevEnd = off + len(tok.Value)
		}
		if err != nil {
			d, ok := err.(*Diagnostic)
			if !ok {
				t.Fatalf("error %T", err)
			}
			if d.Pos.Offset < 0 || d.Pos.Offset > len(src) || d.Pos.End < d.Pos.Offset || d.Pos.End > len(src) || d.Pos.Line < 1 || d.Pos.Col < 1 {
				t.Fatalf("diagnostic position %+v (len %d)", d.Pos, len(src))
			}
			if d.Pos.Offset < len(src) && d.Pos.End == d.Pos.Offset {
				t.Fatalf("empty diagnostic span %+v", d.Pos)
			}
			return
		}
		if len(toks) == 0 || toks[len(toks)-1].Type != EOF || toks[len(toks)-1].Pos.Offset != len(src) {
			t.Fatalf("no final EOF")
		}
	})
}

func TestLexKeywordTable(t *testing.T) {
	for k := range Keywords {
		if !isKeyword(k) {
			t.Errorf("%q is not recognised as a keyword", k)
		}
		for _, v := range []string{k + "x", k[:len(k)-1] + "Z", strings.ToUpper(k[:1]) + k[1:], "x" + k} {
			if isKeyword(v) != Keywords[v] {
				t.Errorf("isKeyword(%q) = %v", v, isKeyword(v))
			}
		}
	}
}

// lexTestGrammar is a tiny participle grammar over Definition: `name = value;` pairs.
type lexTestGrammar struct {
	Pairs []struct {
		Name  string `parser:"@Ident '='"`
		Value string `parser:"( @Int | @Float | StrOpen @StrText? StrClose ) ';'"`
	} `parser:"@@*"`
}

func TestLexParticiple(t *testing.T) {
	p, err := participle.Build[lexTestGrammar](participle.Lexer(Definition{}), participle.Elide("Comment"))
	if err != nil {
		t.Fatal(err)
	}
	g, err := p.ParseString("q.trickle", "a = 1; # note\nb = \"x y\";\nc = 2.5;")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, pr := range g.Pairs {
		got = append(got, pr.Name+"="+pr.Value)
	}
	if strings.Join(got, ",") != "a=1,b=x y,c=2.5" {
		t.Errorf("parsed %q", got)
	}
	_, err = p.ParseString("q.trickle", "a = 1;\nb = 'x';")
	var d *Diagnostic
	if !errors.As(err, &d) || d.Pos.Line != 2 || d.Pos.Col != 5 {
		t.Errorf("lexical error through participle: %#v", err)
	}
}
