package repl

import (
	"errors"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/peterh/liner"
	"github.com/rillstream/rill/lang"
)

// greeting is printed when an interactive session starts.
const greeting = "Rill REPL: tremor-script and trickle. :help for help, Ctrl-D to quit.\n"

// runTerminal runs the interactive mode with liner: line editing, Ctrl-R history search, tab
// completion (complete.go), the history loaded from and saved to historyFile ("" for none).
// Liner reads os.Stdin and draws on os.Stdout, whatever Options.In and Out are.
//
// Ctrl-C at a prompt cancels the input being typed (all its lines); an interrupt that arrives
// while an input runs is ignored rather than ending the session. Ctrl-D on an empty line quits at
// the main prompt, and at the continuation prompt runs the input as it stands (reporting what is
// missing). A history file that can not be read or written gets a warning, nothing more.
func (r *repl) runTerminal(historyFile string) int {
	ln := liner.NewLiner()
	defer ln.Close()
	ln.SetCtrlCAborts(true)
	ln.SetTabCompletionStyle(liner.TabPrints)
	ln.SetWordCompleter(r.complete)

	if historyFile != "" {
		if f, err := os.Open(historyFile); err == nil {
			if _, err := ln.ReadHistory(f); err != nil {
				r.errPrintf("warning: reading the history %s: %v\n", historyFile, err)
			}
			f.Close()
		} else if !errors.Is(err, os.ErrNotExist) {
			r.errPrintf("warning: reading the history: %v\n", err)
		}
	}

	interrupts := make(chan os.Signal, 1)
	signal.Notify(interrupts, os.Interrupt)
	defer func() {
		signal.Stop(interrupts)
		close(interrupts)
	}()
	go func() {
		for range interrupts { // drained: an interrupt while an input runs does not end the session
		}
	}()

	io.WriteString(r.out, greeting)
	r.loop(func(prompt string) (string, error) {
		line, err := ln.Prompt(prompt)
		if errors.Is(err, liner.ErrPromptAborted) {
			return "", errAbort
		}
		return line, err
	}, func(input string) {
		for _, item := range historyItems(input) {
			ln.AppendHistory(item)
		}
	})

	if historyFile != "" {
		if err := saveHistory(ln, historyFile); err != nil {
			r.errPrintf("warning: saving the history: %v\n", err)
		}
	}
	return 0
}

// saveHistory writes the history to a file readable by its owner only.
func saveHistory(ln *liner.State, name string) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := ln.WriteHistory(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// historyItems turns an input into history entries, which are single lines. A multi-line input
// becomes one entry, its lines joined by spaces, when that keeps its meaning (it holds no comment,
// whose end is the line's end, and no heredoc); otherwise each non-blank line is an entry of its
// own. `:quit` is not recorded, so that the previous input is the first one Up recalls next time.
func historyItems(input string) []string {
	trimmed := strings.TrimSpace(input)
	if trimmed == "" || findCommandInput(trimmed) == "quit" {
		return nil
	}
	if !strings.Contains(trimmed, "\n") {
		return []string{trimmed}
	}
	lines := strings.Split(trimmed, "\n")
	if joinable(trimmed) {
		parts := make([]string, 0, len(lines))
		for _, l := range lines {
			if l = strings.TrimSpace(l); l != "" {
				parts = append(parts, l)
			}
		}
		return []string{strings.Join(parts, " ")}
	}
	var items []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			items = append(items, l)
		}
	}
	return items
}

// joinable reports whether src means the same with its line breaks replaced by spaces: it lexes
// and has no comment, heredoc or config directive (a command's JSON argument lexes too).
func joinable(src string) bool {
	if strings.HasPrefix(src, ":") {
		return true // JSON has no comments and no line breaks inside strings
	}
	toks, err := lang.Lex("<history>", src)
	if err != nil {
		return false
	}
	for _, t := range toks {
		switch t.Type {
		case lang.Comment, lang.DocComment, lang.ModComment, lang.HereOpen, lang.Config:
			return false
		}
	}
	return true
}

// findCommandInput returns the name of the command a `:name ...` input runs, or "".
func findCommandInput(input string) string {
	if !strings.HasPrefix(input, ":") {
		return ""
	}
	name := strings.Fields(input[1:] + " ")
	if len(name) == 0 {
		return ""
	}
	if c := findCommand(name[0]); c != nil {
		return c.name
	}
	return ""
}
