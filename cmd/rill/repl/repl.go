// Package repl is Rill's interactive read-eval-print loop, `rill repl`.
//
// One session holds two things side by side:
//
//   - a tremor-script session (interp.Session): expressions and statements run against the current
//     `event`, `$` (meta) and `state`; `let` bindings, functions, consts and `use` aliases persist
//     from one input to the next. Each result prints as JSON (records in insertion order).
//   - a trickle query built up statement by statement: `define`, `create` and `select` statements
//     are appended to an accumulated source that is recompiled (lang.Check, then runtime.Compile)
//     whenever it changes; `:send` and `:feed` push events through its pipeline and print what
//     comes out of each port as `out: {...}`, `err: {...}`. A change starts a new pipeline, so
//     windows and operators start empty again.
//
// What an input is follows from its first keyword (comments skipped): `define`, `create`,
// `select`, `connect`, `deploy`, `flow` and a `#!config` directive start query statements; an
// input of nothing but `use` statements goes to the script session and, once the session accepted
// it, to the query as well (so `use std::string;` serves scripts and selects alike), while one that
// goes on with script statements is a script; anything else is tremor-script; a line starting
// with `:` is a command (see commands.go). Trickle statements print nothing when accepted.
//
// Input is read line by line. An input that fails to parse only because it ends too early
// ("unexpected end of input", an unterminated heredoc or string interpolation; plain strings can
// not span lines) keeps reading lines under the
// continuation prompt "... " and is retried; a complete input runs at once. Empty lines do not end
// or cancel a multi-line input (pasted code has blank lines); Ctrl-C cancels it, and Ctrl-D at the
// continuation prompt runs it as it stands, which reports what is missing.
//
// Errors never end the session: parse and check errors print with their caret excerpt
// (lang.Diagnostic.Render), script errors as Tremor renders them, all on the error writer.
//
// Files: repl.go (API and the input loop), multiline.go (what an input is and whether it is
// complete), eval.go (scripts), query.go (the accumulated query, :send, :feed), graph.go
// (:graph), commands.go (the : commands), docs.go (:doc), complete.go (tab completion),
// render.go (values and errors), terminal.go (liner, history); the checker's view of the
// standard library is internal/checkenv, shared with `rill check`.
package repl

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rillstream/rill/internal/checkenv"
	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/stdlib"
)

// Options configures Run.
type Options struct {
	// In is read line by line when Terminal is false. It is ignored when Terminal is true: liner
	// always reads os.Stdin and draws its prompt on os.Stdout.
	In io.Reader
	// Out receives results (JSON values, port outputs, command output); with Terminal set it
	// should be os.Stdout, where liner draws, so both interleave correctly.
	Out io.Writer
	// Err receives errors and notes.
	Err io.Writer
	// Terminal selects the interactive mode: line editing, history, tab completion, prompts and a
	// greeting, with os.Stdin and os.Stdout a terminal (see DetectTerminal). Without it no prompt
	// is printed and In is read to its end.
	Terminal bool
	// Color writes values in ANSI colours (see DetectColor).
	Color bool
	// HistoryFile is where the interactive mode loads its history from and saves it to; "" keeps
	// no history across sessions (see DefaultHistoryFile).
	HistoryFile string
	// ModulePath lists module search directories (from --path and RILL_PATH), searched after the
	// standard library and before the current directory.
	ModulePath []string
}

// Prompts: the main prompt and the continuation prompt of a multi-line input.
const (
	promptMain = "rill> "
	promptMore = "... "
)

// Run runs a REPL session until the end of input (Ctrl-D at an empty main prompt) or `:quit`.
//
// Exit status: an interactive (Terminal) session returns 0, as its errors were shown as they
// happened (1 only if the terminal could not be used). A piped session returns 0 when every input
// succeeded and 1 when any failed (a parse, check, compile or runtime error, an unknown command,
// a bad JSON argument or line, an unreadable file); it always reads on to the end, or to `:quit`.
func Run(opts Options) int {
	r := newREPL(opts)
	if opts.Terminal {
		return r.runTerminal(opts.HistoryFile)
	}
	r.runPiped(opts.In)
	if r.failed {
		return 1
	}
	return 0
}

// DetectTerminal reports whether f is a terminal (a character device), which is what the
// interactive mode needs on both stdin and stdout.
func DetectTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// DetectColor reports whether output to f should be coloured: f is a terminal and the NO_COLOR
// environment variable is unset or empty (https://no-color.org).
func DetectColor(f *os.File) bool {
	return DetectTerminal(f) && os.Getenv("NO_COLOR") == ""
}

// DefaultHistoryFile is the history file of interactive sessions: $RILL_HISTORY when set,
// otherwise ~/.rill_history; "" when neither can be found.
func DefaultHistoryFile() string {
	if f := os.Getenv("RILL_HISTORY"); f != "" {
		return f
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".rill_history")
}

// repl is the state of one session. It belongs to one goroutine.
type repl struct {
	out, errw   io.Writer
	color       bool
	interactive bool
	paths       []string
	reg         *stdlib.Registry
	env         *interp.Env // shared by the script session and the query's compiler
	check       checkenv.Env
	sess        *interp.Session // event, meta and state live in its Frame
	q           query
	failed      bool // an input failed: the exit status of a piped session
	quit        bool // :quit was entered
}

func newREPL(opts Options) *repl {
	out, errw := opts.Out, opts.Err
	if out == nil {
		out = io.Discard
	}
	if errw == nil {
		errw = io.Discard
	}
	reg := stdlib.NewRegistry()
	r := &repl{
		out: out, errw: errw, color: opts.Color, interactive: opts.Terminal, paths: opts.ModulePath,
		reg: reg, env: &interp.Env{Registry: reg, Path: opts.ModulePath},
		check: checkenv.NewWith(reg),
	}
	r.reset()
	return r
}

// reset starts afresh: a new script session (no locals, functions or uses), event null, meta {},
// state null, and no query.
func (r *repl) reset() {
	r.sess = interp.NewSession(r.env)
	r.q = query{}
}

// event, meta and state read the values the script session runs against.
func (r *repl) event() value.Value { return *r.sess.Frame.Event }
func (r *repl) meta() value.Value  { return *r.sess.Frame.Meta }
func (r *repl) state() value.Value { return *r.sess.Frame.State }

// errAbort is what a lineReader returns when the user cancels the current input (Ctrl-C).
var errAbort = errors.New("input cancelled")

// lineReader reads one line of input without its line break, showing prompt if it shows any. It
// returns errAbort when the current input is cancelled and io.EOF at the end of the input.
type lineReader func(prompt string) (string, error)

// loop reads inputs until the end of input or :quit. Lines gather into one input while it is
// incomplete; record, if not nil, is told of every input that ran (for the history).
func (r *repl) loop(read lineReader, record func(input string)) {
	var pending []string
	for !r.quit {
		prompt := promptMain
		if len(pending) > 0 {
			prompt = promptMore
		}
		line, err := read(prompt)
		switch {
		case errors.Is(err, errAbort):
			pending = nil
			continue
		case errors.Is(err, io.EOF):
			if len(pending) == 0 {
				return
			}
			// End of input inside a multi-line input: run it as it stands, which reports what is
			// missing. Interactively (Ctrl-D at "... ") the session goes on.
			input := strings.Join(pending, "\n")
			pending = nil
			r.run(input, true)
			if record != nil {
				record(input)
			}
			if !r.interactive {
				return
			}
			continue
		case err != nil:
			r.errorf("reading input: %v", err)
			return
		}
		pending = append(pending, line)
		input := strings.Join(pending, "\n")
		if r.run(input, false) {
			continue
		}
		pending = nil
		if record != nil {
			record(input)
		}
	}
}

// runPiped reads inputs from in to its end, with no prompts.
func (r *repl) runPiped(in io.Reader) {
	if in == nil {
		return
	}
	br := bufio.NewReader(in)
	r.loop(func(string) (string, error) {
		line, err := br.ReadString('\n')
		if line == "" && err != nil {
			return "", err
		}
		line = strings.TrimSuffix(line, "\n")
		return strings.TrimSuffix(line, "\r"), nil
	}, nil)
}

// run runs one input and reports whether it needs more lines (it is incomplete and final is
// false). A final input runs whatever it holds.
func (r *repl) run(input string, final bool) (more bool) {
	switch classify(input) {
	case inputBlank:
		return false
	case inputCommand:
		return r.command(input, final)
	case inputQuery:
		return r.queryInput(input, final)
	case inputUse:
		return r.useInput(input, final)
	default:
		return r.scriptInput(input, final)
	}
}
