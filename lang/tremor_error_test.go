package lang

import (
	"strings"
	"testing"
)

// tremorSel selects a span of a test source: the nth (0-based) occurrence of sub, or, with sub == "",
// the whole of lines [from, to] (1-based, without the final newline).
type tremorSel struct {
	sub      string
	nth      int
	from, to int
}

func (s tremorSel) span(t *testing.T, src string) (int, int) {
	t.Helper()
	if s.sub != "" {
		off := 0
		for k := 0; ; k++ {
			i := strings.Index(src[off:], s.sub)
			if i < 0 {
				t.Fatalf("selector %q #%d not found", s.sub, s.nth)
			}
			if k == s.nth {
				return off + i, off + i + len(s.sub)
			}
			off += i + 1
		}
	}
	lines := strings.SplitAfter(src, "\n")
	start := 0
	for i := 0; i < s.from-1; i++ {
		start += len(lines[i])
	}
	end := start
	for i := s.from - 1; i < s.to && i < len(lines); i++ {
		end += len(lines[i])
	}
	if strings.HasSuffix(src[:end], "\n") {
		end--
	}
	return start, end
}

func sub(s string) tremorSel          { return tremorSel{sub: s} }
func subN(s string, n int) tremorSel  { return tremorSel{sub: s, nth: n} }
func lineRange(a, b int) tremorSel    { return tremorSel{from: a, to: b} }
func numbered(n int, s string) string { return strings.Repeat("null;\n", n) + s }

const (
	msgBinPlus   = "The binary operation `+` is not defined for the type `integer` and `string`"
	msgNoClause  = "A match expression executed but no clause matched"
	hintNoClause = "Consider adding a `case _ => null` clause at the end of your match or validate full coverage beforehand."
)

func TestRenderTremor(t *testing.T) {
	cases := []struct {
		name       string
		src        string
		ctx, inner tremorSel
		msg, hint  string
		want       string
	}{
		{
			name:  "spec example",
			src:   "let a = 1;\nlet b = 2;\n  let x = a + \"s\";\nx\n",
			ctx:   sub(`a + "s"`),
			inner: sub(`a + "s"`),
			msg:   msgBinPlus,
			want:  "Error: \n    3 |   let x = a + \"s\";\n      |           ^^^^^^^ " + msgBinPlus + "\n\n",
		},
		{
			name:  "message only",
			src:   "",
			msg:   "Stream used in `from` or `into` is not defined: foo/out",
			want:  "Error: Stream used in `from` or `into` is not defined: foo/out",
			ctx:   lineRange(1, 1),
			inner: lineRange(1, 1),
		},
		{
			name:  "no trailing newline in source",
			src:   `1 + "a"`,
			ctx:   sub(`1 + "a"`),
			inner: sub(`1 + "a"`),
			msg:   msgBinPlus,
			want:  "Error: \n    1 | 1 + \"a\"\n      | ^^^^^^^ " + msgBinPlus + "\n\n",
		},
		{
			name: "multi-line match: carets under end, callout before later ctx lines, hint",
			src: "let a = 1;\nlet b = 2;\nmatch event of\n  case 1 => \"one\"\n  case 2 => \"two\"\nend;\n" +
				"let c = 3;\nlet d = 4;\nlet e = 5;\n",
			ctx:   lineRange(1, 8),
			inner: tremorSel{sub: "match event of\n  case 1 => \"one\"\n  case 2 => \"two\"\nend"},
			msg:   msgNoClause,
			hint:  hintNoClause,
			want: "Error: \n" +
				"    1 | let a = 1;\n" +
				"    2 | let b = 2;\n" +
				"    3 | match event of\n" +
				"    4 |   case 1 => \"one\"\n" +
				"    5 |   case 2 => \"two\"\n" +
				"    6 | end;\n" +
				"      | ^^^ " + msgNoClause + "\n" +
				"      |     NOTE: " + hintNoClause + "\n" +
				"    7 | let c = 3;\n" +
				"    8 | let d = 4;\n\n",
		},
		{
			name: "multi-line inner ending on the last ctx line",
			src:  "let x = patch event of\n  insert \"a\" => 1\nend + 1;\n",
			ctx:  lineRange(1, 3),
			inner: tremorSel{
				sub: "patch event of\n  insert \"a\" => 1\nend + 1",
			},
			msg: "The binary operation `+` is not defined for the type `record` and `integer`",
			want: "Error: \n" +
				"    1 | let x = patch event of\n" +
				"    2 |   insert \"a\" => 1\n" +
				"    3 | end + 1;\n" +
				"      | ^^^^^^^ The binary operation `+` is not defined for the type `record` and `integer`\n\n",
		},
		{
			name:  "single-line inner with hint",
			src:   "event.hots\n",
			ctx:   sub("event.hots"),
			inner: sub("hots"),
			msg:   "Trying to access a non existing event key `hots`",
			hint:  "Did you mean to use `host`?",
			want: "Error: \n    1 | event.hots\n" +
				"      |       ^^^^ Trying to access a non existing event key `hots`\n" +
				"      |            NOTE: Did you mean to use `host`?\n\n",
		},
		{
			name:  "empty source lines inside the context",
			src:   "let a = 1;\n\n\nlet b = a + \"s\";\n",
			ctx:   lineRange(1, 4),
			inner: sub(`a + "s"`),
			msg:   msgBinPlus,
			want: "Error: \n    1 | let a = 1;\n    2 | \n    3 | \n    4 | let b = a + \"s\";\n" +
				"      |         ^^^^^^^ " + msgBinPlus + "\n\n",
		},
		{
			name:  "whitespace-only line keeps its whitespace",
			src:   "let a = 1;\n   \nlet b = a + \"s\";\n",
			ctx:   lineRange(1, 3),
			inner: sub(`a + "s"`),
			msg:   msgBinPlus,
			want: "Error: \n    1 | let a = 1;\n    2 |    \n    3 | let b = a + \"s\";\n" +
				"      |         ^^^^^^^ " + msgBinPlus + "\n\n",
		},
		{
			name:  "two-digit line numbers, context of ± 2 lines",
			src:   numbered(9, "math::floor(\"x\");\nnull;\nnull;\nnull;\n"),
			ctx:   lineRange(8, 12),
			inner: sub(`math::floor("x")`),
			msg:   "Bad type passed to function math::floor/1",
			want: "Error: \n    8 | null;\n    9 | null;\n   10 | math::floor(\"x\");\n" +
				"      | ^^^^^^^^^^^^^^^^ Bad type passed to function math::floor/1\n" +
				"   11 | null;\n   12 | null;\n\n",
		},
		{
			name:  "three-digit line numbers",
			src:   numbered(99, "1 + \"a\";\n"),
			ctx:   lineRange(98, 102),
			inner: sub(`1 + "a"`),
			msg:   msgBinPlus,
			want: "Error: \n   98 | null;\n   99 | null;\n  100 | 1 + \"a\";\n" +
				"      | ^^^^^^^ " + msgBinPlus + "\n\n",
		},
		{
			name:  "context clamped at line 1 and lines outside it are not printed",
			src:   "let a = 1;\nstring::len(a);\nlet b = 2;\nlet c = 3;\nlet d = 4;\nlet e = 5;\n",
			ctx:   lineRange(1, 4),
			inner: sub("string::len(a)"),
			msg:   "Bad type passed to function string::len/1",
			want: "Error: \n    1 | let a = 1;\n    2 | string::len(a);\n" +
				"      | ^^^^^^^^^^^^^^ Bad type passed to function string::len/1\n" +
				"    3 | let b = 2;\n    4 | let c = 3;\n\n",
		},
		{
			name:  "context starting mid-file",
			src:   "let a = 1;\nlet b = 2;\nlet c = 3;\nlet d = c / 0;\nlet e = 5;\n",
			ctx:   sub("c / 0"),
			inner: sub("c / 0"),
			msg:   "The binary operation `/` must have a non zero RHS",
			want: "Error: \n    4 | let d = c / 0;\n" +
				"      |         ^^^^^ The binary operation `/` must have a non zero RHS\n\n",
		},
		{
			name:  "integer literals re-rendered as decimal, floats without _",
			src:   "let x = 0xff + 1_000 + 1_0.5_0 + \"s\";\n",
			ctx:   lineRange(1, 1),
			inner: sub(`0xff + 1_000 + 1_0.5_0 + "s"`),
			msg:   "The binary operation `+` is not defined for the type `float` and `string`",
			want: "Error: \n    1 | let x = 255 + 1000 + 10.50 + \"s\";\n" +
				"      |         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ The binary operation `+` is not defined for the type `float` and `string`\n\n",
		},
		{
			name:  "string content re-escaping",
			src:   `"\u0041" + "a\tb\u0001\u00e9\"\\" + 1` + "\n",
			ctx:   lineRange(1, 1),
			inner: sub(`"\u0041"`),
			msg:   "m",
			want: "Error: \n    1 | \"A\" + \"a\\tb\\u0001é\\\"\\\\\" + 1\n" +
				"      | ^^^^^^^^ m\n\n",
		},
		{
			name:  "interpolation and escaped hash tokens print as themselves",
			src:   `let s = "a #{ event.x + 1 } \#{no} #b";` + "\n",
			ctx:   lineRange(1, 1),
			inner: sub("event.x + 1"),
			msg:   "m",
			want: "Error: \n    1 | let s = \"a #{ event.x + 1 } \\#{no} #b\";\n" +
				"      |               ^^^^^^^^^^^ m\n\n",
		},
		{
			name:  "comments re-rendered",
			src:   "#x\n# x\n## d\n### m\n####x\nlet a = 1 + \"s\"; # trailing\n",
			ctx:   lineRange(1, 6),
			inner: sub(`1 + "s"`),
			msg:   msgBinPlus,
			want: "Error: \n    1 | # x\n    2 | #  x\n    3 | ##  d\n    4 | ###  m\n    5 | ### #x\n" +
				"    6 | let a = 1 + \"s\"; #  trailing\n" +
				"      |         ^^^^^^^ " + msgBinPlus + "\n\n",
		},
		{
			name:  "heredoc with interpolation",
			src:   "let s = \"\"\"\n  hello #{event.name}\n  bye\n  \"\"\";\ns + 1;\n",
			ctx:   lineRange(1, 5),
			inner: sub("s + 1"),
			msg:   "The binary operation `+` is not defined for the type `string` and `integer`",
			want: "Error: \n    1 | let s = \"\"\"\n    2 |   hello #{event.name}\n    3 |   bye\n    4 |   \"\"\";\n" +
				"    5 | s + 1;\n" +
				"      | ^^^^^ The binary operation `+` is not defined for the type `string` and `integer`\n\n",
		},
		{
			name:  "heredoc content printed decoded, escaped hash kept",
			src:   "let s = \"\"\"\n  say \\\"hi\\\" \\\\ \\#{x}\n  \"\"\" + 1;\n",
			ctx:   lineRange(1, 3),
			inner: tremorSel{sub: "\"\"\"\n  say \\\"hi\\\" \\\\ \\#{x}\n  \"\"\" + 1"},
			msg:   "m",
			want: "Error: \n    1 | let s = \"\"\"\n    2 |   say \"hi\" \\ \\#{x}\n    3 |   \"\"\" + 1;\n" +
				"      | ^^^^^^^^^ m\n\n",
		},
		{
			name:  "extractor with escaped pipe and backslash",
			src:   "match event of case r = re|a\\|b\\\\d+| => r end\n",
			ctx:   lineRange(1, 1),
			inner: sub("match event of case r = re|a\\|b\\\\d+| => r end"),
			msg:   msgNoClause,
			want: "Error: \n    1 | match event of case r = re|a\\|b\\\\d+| => r end\n" +
				"      | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ " + msgNoClause + "\n\n",
		},
		{
			name:  "extractor continued over lines keeps Tremor's segments",
			src:   "let x = glob|\\\n    ab\\\n      cd| + 1;\n",
			ctx:   lineRange(1, 3),
			inner: sub("+ 1"),
			msg:   "m",
			want: "Error: \n    1 | let x = glob|\\\n    ab\\\n      cd|    3 |  + 1;\n" +
				"      |           ^^^ m\n\n",
		},
		{
			name:  "backtick identifiers re-wrapped",
			src:   "let `end` = event.`select` + \"s\";\n",
			ctx:   lineRange(1, 1),
			inner: sub("event.`select` + \"s\""),
			msg:   msgBinPlus,
			want: "Error: \n    1 | let `end` = event.`select` + \"s\";\n" +
				"      |             ^^^^^^^^^^^^^^^^^^^^ " + msgBinPlus + "\n\n",
		},
		{
			name:  "tabs kept in source, caret indent in spaces",
			src:   "\tlet x = a + \"s\";\n",
			ctx:   lineRange(1, 1),
			inner: sub(`a + "s"`),
			msg:   msgBinPlus,
			want:  "Error: \n    1 | \tlet x = a + \"s\";\n      |          ^^^^^^^ " + msgBinPlus + "\n\n",
		},
		{
			name:  "columns count characters",
			src:   "let é = \"ü\" + 1;\n",
			ctx:   lineRange(1, 1),
			inner: sub(`"ü" + 1`),
			msg:   "m",
			want:  "Error: \n    1 | let é = \"ü\" + 1;\n      |         ^^^^^^^ m\n\n",
		},
		{
			name:  "one-character inner span",
			src:   "let a = ;\n",
			ctx:   lineRange(1, 1),
			inner: tremorSel{sub: ";", nth: 0},
			msg:   "m",
			want:  "Error: \n    1 | let a = ;\n      |         ^ m\n\n",
		},
		{
			name:  "CRLF line endings",
			src:   "let a = 1;\r\nlet b = a + \"s\";\r\n",
			ctx:   lineRange(1, 2),
			inner: sub(`a + "s"`),
			msg:   msgBinPlus,
			want:  "Error: \n    1 | let a = 1;\r\n    2 | let b = a + \"s\";\r\n      |         ^^^^^^^ " + msgBinPlus + "\n\n",
		},
		{
			name:  "config directive",
			src:   "#!config metrics_interval_s = 1\nselect event + 1 from in into out;\n",
			ctx:   lineRange(1, 2),
			inner: sub("event + 1"),
			msg:   "m",
			want: "Error: \n    1 | #!config metrics_interval_s = 1\n    2 | select event + 1 from in into out;\n" +
				"      |        ^^^^^^^^^ m\n\n",
		},
		{
			name:  "lexer error: unterminated string drops the string",
			src:   "let a = 1;\nlet b = \"abc\nlet c = 2;\n",
			ctx:   lineRange(1, 3),
			inner: subN(`"`, 0),
			msg:   "It looks like you forgot to terminate a string with a closing '\"'",
			want: "Error: \n    1 | let a = 1;\n    2 | let b = \n" +
				"      |         ^ It looks like you forgot to terminate a string with a closing '\"'\n\n",
		},
		{
			name:  "lexer error inside an interpolation drops the whole string",
			src:   "let a = 1;\nlet s = \"x#{ 1x }\";\n",
			ctx:   lineRange(1, 2),
			inner: sub("x }"),
			msg:   "An unexpected character 'x' was found",
			want: "Error: \n    1 | let a = 1;\n    2 | let s = \n" +
				"      |               ^^^ An unexpected character 'x' was found\n\n",
		},
		{
			name:  "lexer error at a number",
			src:   "let a = 1x;\n",
			ctx:   lineRange(1, 1),
			inner: sub("x"),
			msg:   "An unexpected character 'x' was found",
			want:  "Error: \n    1 | let a = \n      |          ^ An unexpected character 'x' was found\n\n",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := TremorError{Msg: c.msg, Hint: c.hint}
			if c.src != "" {
				e.CtxStart, e.CtxEnd = c.ctx.span(t, c.src)
				e.InnerStart, e.InnerEnd = c.inner.span(t, c.src)
			}
			if got := RenderTremor(c.src, e); got != c.want {
				t.Errorf("RenderTremor\n got: %q\nwant: %q", got, c.want)
			}
		})
	}
}

// TestRenderTremorZeroWidthInner checks that an empty inner span still gets one caret.
func TestRenderTremorZeroWidthInner(t *testing.T) {
	src := "let a = ;\n"
	off := strings.Index(src, ";")
	got := RenderTremor(src, TremorError{CtxStart: 0, CtxEnd: len(src) - 1, InnerStart: off, InnerEnd: off, Msg: "m"})
	want := "Error: \n    1 | let a = ;\n      |         ^ m\n\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
