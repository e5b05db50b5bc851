package repl

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runPiped runs a piped session over input and returns its exit status, stdout and stderr.
func runPiped(t *testing.T, input string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(Options{In: strings.NewReader(input), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// TestPipedSession runs a whole scripted session through a pipe: multi-line inputs, persistent
// bindings and functions, :event, a runtime error that does not end the session, a windowed
// query fed with :send, :reset, :doc and an unknown command.
func TestPipedSession(t *testing.T) {
	input := `let x = 1 +
  2
x * 10
fn twice(v) with
  v * 2
end;
twice(x)
:event {"a": {"b": 1}, "c": "s"}
event.a.b + x
let event.d = twice(event.a.b)
event
nope + 1
x
match event of
  case %{ a ~= %{ b == 1 } } => emit "yes" => "hits"
  case _ => drop
end
drop
emit event.a
use std::string;
string::format("{}-{}", x, event.c)
define window two from tumbling
with
  size = 2
end;
select {"n": aggr::stats::count(), "sum": aggr::stats::sum(event.v)}
from in[two] into out;
:send {"v": 1}
:send {"v": 2}
:reset
x
:doc string::format
:frobnicate
1 + 1
`
	code, out, errs := runPiped(t, input)
	wantOut := `3
30
6
4
2
{"a":{"b":1},"c":"s","d":2}
3
hits: "yes"
drop
out: {"b":1}
"3-s"
out: {"n":2,"sum":3.0}
string::format(fmt, args...)
    Formats ` + "`args` into `fmt`, replacing each `{}` in turn (`{{` and `}}` escape braces)." + `
    needs ` + "`use std::string;`" + `
2
`
	if out != wantOut {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, wantOut)
	}
	wantErr := "Error: \n" +
		"    1 | nope + 1\n" +
		"      | ^^^^ Trying to access a non existing local key `nope`\n" +
		"\n" +
		"Error: \n" +
		"    1 | x\n" +
		"      | ^ Trying to access a non existing local key `x`\n" +
		"\n" +
		"error: unknown command `:frobnicate`\n" +
		"  = hint: the commands are :help, :doc, :load, :event, :meta, :state, :send, :tick, :feed, :graph, :query, :reset, :quit (:help explains them)\n"
	if errs != wantErr {
		t.Errorf("stderr:\n%q\nwant:\n%q", errs, wantErr)
	}
	if code != 1 {
		t.Errorf("exit status %d, want 1 after errors", code)
	}
}

func TestPipedCleanSessionExitsZero(t *testing.T) {
	code, out, errs := runPiped(t, "# a comment\n\n1 + 1\n:quit\nnope\n")
	if code != 0 || out != "2\n" || errs != "" {
		t.Errorf("got %d %q %q", code, out, errs)
	}
}

// TestParseErrorShowsCaret checks that a parse error of a script input prints the caret excerpt
// and that a pending multi-line input at the end of input reports what is missing.
func TestParseErrorShowsCaret(t *testing.T) {
	code, out, errs := runPiped(t, "let y = ;\n1\nmatch event of\n  case 1 => 2\n")
	if code != 1 || out != "1\n" {
		t.Errorf("got %d %q", code, out)
	}
	for _, want := range []string{
		":1:9: unexpected `;`, expected an expression\n 1 | let y = ;\n   |         ^\n",
		":2:14: unexpected end of input, expected `case` or `end` to close the match started at line 1\n 2 |   case 1 => 2\n   |              ^\n",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr %q lacks %q", errs, want)
		}
	}
}

// TestMultiLineForms checks inputs that continue: heredocs, string interpolations, JSON command
// arguments, query statements whose body opener ends a line, and blank lines inside.
func TestMultiLineForms(t *testing.T) {
	input := "\"\"\"\n  text\n\"\"\"\n" +
		"\"#{1 +\n2}\"\n" +
		":event {\"a\":\n\n  [1, 2]}\n" +
		"event.a\n" +
		"define script add\nscript\n  let event.added = true;\n\n  event\nend;\n" +
		"create script add;\n" +
		"select event from in into add;\n" +
		"select event from add into out;\n" +
		":send {\"k\": 1}\n" +
		"\"unterminated\n" // a plain string can not span lines: an error at once
	code, out, errs := runPiped(t, input)
	wantOut := "\"  text\\n\"\n\"3\"\n[1,2]\nout: {\"k\":1,\"added\":true}\n"
	if out != wantOut {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, wantOut)
	}
	if code != 1 || !strings.Contains(errs, "forgot to terminate a string") || strings.Count(errs, "\n 1 |") != 1 {
		t.Errorf("got %d, stderr %q", code, errs)
	}
}

// TestQueryErrorsKeepQuery checks that a statement that fails to parse, check or compile is
// reported against the accumulated source and is not added.
func TestQueryErrorsKeepQuery(t *testing.T) {
	input := "select event from in into out;\n" +
		"select nope from in into out;\n" +
		"select event from nowhere into out;\n" +
		":query\n" +
		":send 5\n"
	code, out, errs := runPiped(t, input)
	if code != 1 {
		t.Errorf("exit status %d", code)
	}
	if out != "select event from in into out;\nout: 5\n" {
		t.Errorf("stdout %q", out)
	}
	if !strings.Contains(errs, "<query>:2:") || !strings.Contains(errs, " 2 | select event from nowhere into out;") ||
		!strings.Contains(errs, " 2 | select nope from in into out;") {
		t.Errorf("stderr %q", errs)
	}
}

// TestQueryWithoutSemicolon checks that a statement entered without `;` is terminated in the
// accumulated source, so the next statement can follow it.
func TestQueryWithoutSemicolon(t *testing.T) {
	code, out, errs := runPiped(t, "select event from in into out # first\nselect event + 1 from in into out\n:query\n:send 1\n")
	want := "select event from in into out; # first\nselect event + 1 from in into out;\nout: 1\nout: 2\n"
	if code != 0 || out != want || errs != "" {
		t.Errorf("got %d\n%s\nwant\n%s\nstderr %q", code, out, want, errs)
	}
}

func TestUseAppliesToScriptsAndQuery(t *testing.T) {
	input := "use std::string;\n" +
		"string::uppercase(\"a\")\n" +
		"select string::uppercase(event) from in into out;\n" +
		":send \"b\"\n" +
		":query\n"
	code, out, errs := runPiped(t, input)
	want := "\"A\"\nout: \"B\"\nuse std::string;\nselect string::uppercase(event) from in into out;\n"
	if code != 0 || out != want || errs != "" {
		t.Errorf("got %d\n%s\nwant\n%s\nstderr %q", code, out, want, errs)
	}
}

func TestUndefinedFunctionHint(t *testing.T) {
	_, _, errs := runPiped(t, "string::uppercase(\"a\")\n")
	if !strings.Contains(errs, "Call to undefined function string::uppercase") ||
		!strings.Contains(errs, "= hint: `string::uppercase` is in the standard library: run `use std::string;` first") {
		t.Errorf("stderr %q", errs)
	}
}

func TestMetaStateAndSendDefaults(t *testing.T) {
	input := ":meta {\"m\": 1}\n$m\n:state [1]\nstate\nlet state = state + [2]\n:state\n:event {\"e\": true}\n" +
		"select {\"e\": event.e, \"m\": $m} from in into out;\n:send\n:meta\n:event\n"
	code, out, errs := runPiped(t, input)
	want := "1\n[1]\n[1,2]\n[1,2]\nout: {\"e\":true,\"m\":1}\n{\"m\":1}\n{\"e\":true}\n"
	if code != 0 || out != want || errs != "" {
		t.Errorf("got %d\n%s\nwant\n%s\nstderr %q", code, out, want, errs)
	}
}

func TestResetClearsEverything(t *testing.T) {
	input := ":event {\"a\": 1}\n:meta {\"m\": 1}\n:state 3\nlet x = 1\nselect event from in into out;\n" +
		":reset\n:event\n:meta\n:state\n:query\n:send 1\n:graph\n"
	code, out, errs := runPiped(t, input)
	if out != "1\nnull\n{}\nnull\n" {
		t.Errorf("stdout %q", out)
	}
	if code != 1 || strings.Count(errs, "there is no query") != 2 {
		t.Errorf("got %d, stderr %q", code, errs)
	}
}

func TestSendErrPortAndEmitPorts(t *testing.T) {
	input := "define script s\nscript\n  let event.n = event.n + 1;\n  event\nend;\n" +
		"create script s;\nselect event from in into s;\nselect event from s into out;\nselect event from s/err into err;\n" +
		":send {\"n\": 1}\n:send {\"n\": \"x\"}\n"
	code, out, errs := runPiped(t, input)
	if code != 0 || errs != "" {
		t.Errorf("got %d, stderr %q", code, errs)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2 || lines[0] != `out: {"n":2}` || !strings.HasPrefix(lines[1], `err: {"error":`) {
		t.Errorf("stdout %q", out)
	}
}

func TestGraph(t *testing.T) {
	input := "select event from in into out;\n:graph\n:graph dot\n:graph svg\n"
	code, out, errs := runPiped(t, input)
	wantText := "nodes:\n  in        input\n  out       output\n  err       output\n  select_0  select\nedges:\n  in -> select_0\n  select_0 -> out\n"
	if !strings.HasPrefix(out, wantText) {
		t.Errorf("stdout %q", out)
	}
	if !strings.Contains(out, "digraph \"repl\" {\n") || !strings.Contains(out, "  \"select_0\" -> \"out\";\n") {
		t.Errorf("no DOT in %q", out)
	}
	if code != 1 || !strings.Contains(errs, ":graph takes no argument or `dot`") {
		t.Errorf("got %d, stderr %q", code, errs)
	}
}

func TestLoadAndFeed(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	script := write("lib.tremor", "fn dbl(x) with x * 2 end;\ndbl(21)\n")
	query := write("q.trickle", "select {\"v\": event.v, \"dbl\": event.v * 2} from in into out;\n")
	events := write("in.json", "{\"v\": 1}\n\nnot json\n{\"v\": 2}\n")
	input := ":load " + script + "\ndbl(2)\n:load " + query + "\n:feed " + events + "\n:load " + filepath.Join(dir, "missing.tremor") + "\n"
	code, out, errs := runPiped(t, input)
	want := "42\n4\nout: {\"v\":1,\"dbl\":2}\nout: {\"v\":2,\"dbl\":4}\n"
	if out != want {
		t.Errorf("stdout\n%s\nwant\n%s", out, want)
	}
	if code != 1 || !strings.Contains(errs, "in.json:3: ") || !strings.Contains(errs, "(skipped)") || !strings.Contains(errs, "missing.tremor") {
		t.Errorf("got %d, stderr %q", code, errs)
	}
}

func TestCommandsHelpDocAndAbbreviations(t *testing.T) {
	code, out, errs := runPiped(t, ":help\n:h send\n:doc\n:doc string\n:doc nope::nope\n:gr\n:q\n1\n")
	for _, want := range []string{
		"Commands (a unique prefix will do, and :q quits):\n",
		"  :send [INPUT] [JSON]",
		":send [INPUT] [JSON]\n    push an event",
		"modules: array, ",
		"string:\n  string::bytes(input)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q", want)
		}
	}
	if strings.HasSuffix(out, "1\n") {
		t.Errorf(":q did not quit: %q", out)
	}
	if code != 1 || !strings.Contains(errs, "no module or function `nope::nope`") || !strings.Contains(errs, "there is no query yet") {
		t.Errorf("got %d, stderr %q", code, errs)
	}
}

// TestTickClosesTimeWindows: interval windows close on :tick (the REPL has no clock of its own).
func TestTickClosesTimeWindows(t *testing.T) {
	input := "define window w from tumbling with interval = 1000000000000 end;\n" +
		"select aggr::stats::count() from in[w] into out;\n:send 1\n:send 2\n:tick 1\n:tick 18446744073709551615\n:tick soon\n"
	code, out, errs := runPiped(t, input)
	if out != "out: 2\n" {
		t.Errorf("stdout %q", out)
	}
	if code != 1 || !strings.Contains(errs, ":tick takes a time in nanoseconds, not \"soon\"") {
		t.Errorf("got %d, stderr %q", code, errs)
	}
}

// TestSendToNamedInput: `:send in/side JSON` goes to that input; an unknown one is an error
// naming the inputs.
func TestSendToNamedInput(t *testing.T) {
	input := "select {\"main\": event} from in into out;\nselect {\"side\": event} from in/side into out;\n" +
		":send in/side 5\n:send 6\n:send in/nope 7\n"
	code, out, errs := runPiped(t, input)
	if out != "out: {\"side\":5}\nout: {\"main\":6}\n" {
		t.Errorf("stdout %q", out)
	}
	if code != 1 || !strings.Contains(errs, "the query has no input `in/nope`") || !strings.Contains(errs, "its inputs are in, in/side") {
		t.Errorf("got %d, stderr %q", code, errs)
	}
}
