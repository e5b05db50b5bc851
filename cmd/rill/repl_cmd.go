package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/rillstream/rill/cmd/rill/repl"
)

func init() {
	register(&command{
		name:    "repl",
		summary: "evaluate scripts and build queries interactively",
		usage: `Usage: rill repl [--path DIR:DIR] [--no-history]

An interactive session. Type tremor-script expressions and statements: each
runs against the current event, $ (metadata) and state, and its result is
printed as JSON (coloured on a terminal unless NO_COLOR is set). let bindings
and functions persist for the session. Trickle statements (define window,
define script, create, select) build up a query; :send pushes an event into
its input "in" and prints what comes out of each port.

A statement that is not complete yet (its parse ends with "unexpected end of
input") continues on the next line with a "... " prompt. Ctrl-C abandons the
current input, Ctrl-D at an empty prompt quits. History is kept in
$RILL_HISTORY or ~/.rill_history (Ctrl-R searches it); Tab completes keywords,
:commands, modules and functions ("string::" lists the module) and paths of the
current event. Errors print with the source line and a caret and never end the
session.

Commands (:help lists them): :event JSON, :meta JSON, :state JSON,
:send [INPUT] [JSON], :tick [NS] (time windows have no clock of their own in the
REPL), :feed FILE, :graph, :query, :load FILE, :doc NAME, :reset, :help, :quit.

When standard input is not a terminal, statements are read from it one after
the other (multi-line ones too) without prompts, results go to standard output
and errors to standard error; the exit status is 1 if any input failed.

Examples:
  rill repl
  echo 'let x = 2; x * 21' | rill repl
  printf ':event {"a": 1}\nevent.a + 1\n' | rill repl
  rill repl < session.rill > results.jsonl
`,
		run: runREPL,
	})
}

// stdout is where an interactive session draws (tests replace stdin; liner always uses the
// process's terminal).
func runREPL(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("repl", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("path", "", "module search `dirs`, colon-separated")
	noHistory := fs.Bool("no-history", false, "keep no history file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprint(stderr, "rill repl: takes no arguments (use :load FILE inside)\n")
		return 2
	}
	opts := repl.Options{In: stdin, Out: stdout, Err: stderr, ModulePath: modulePath(*path)}
	if f, ok := stdin.(*os.File); ok && stdout == os.Stdout && repl.DetectTerminal(f) && repl.DetectTerminal(os.Stdout) {
		opts.Terminal = true
		opts.Color = repl.DetectColor(os.Stdout)
		if !*noHistory {
			opts.HistoryFile = repl.DefaultHistoryFile()
		}
	}
	return repl.Run(opts)
}
