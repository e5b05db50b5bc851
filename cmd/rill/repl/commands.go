package repl

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
)

// command is one `:name` command of the REPL.
type command struct {
	name    string
	args    string // the argument synopsis: "[JSON]", "FILE"
	summary string // one line for :help
	// run runs the command with its argument (the rest of the input, trimmed; it may span lines)
	// and reports whether the input needs more lines (a JSON argument that is not finished yet).
	// final is set when no more lines will come.
	run func(r *repl, arg string, final bool) (more bool)
}

// inputName matches what names a query input in `:send in/side {...}`: a name or name/port.
var inputName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(/[A-Za-z_][A-Za-z0-9_]*)?$`)

// commands lists the commands in the order :help shows them.
var commands []*command

func init() {
	commands = []*command{
		{"help", "[COMMAND]", "show this help, or one command's", (*repl).cmdHelp},
		{"doc", "[MODULE | MODULE::FUNCTION]", "document a standard library module or function (string, string::format)", (*repl).cmdDoc},
		{"load", "FILE", "run a .tremor script file, or add the statements of a query file (.trickle) to the query", (*repl).cmdLoad},
		{"event", "[JSON]", "set the event scripts run against (`event`); without JSON, print it", jsonCommand((*repl).event, func(r *repl, v value.Value) { *r.sess.Frame.Event = v })},
		{"meta", "[JSON]", "set the metadata (`$`) of scripts and of sent events; without JSON, print it", jsonCommand((*repl).meta, func(r *repl, v value.Value) { *r.sess.Frame.Meta = v })},
		{"state", "[JSON]", "set the script state (`state`); without JSON, print it", jsonCommand((*repl).state, func(r *repl, v value.Value) { *r.sess.Frame.State = v })},
		{"send", "[INPUT] [JSON]", "push an event (default: the current event) into the query's input (default: the first) and print what each port emits", (*repl).cmdSend},
		{"tick", "[NS]", "send the query a tick (default: now, in nanoseconds) so time windows close, and print what each port emits", (*repl).cmdTick},
		{"feed", "FILE", "push every JSON line of FILE into the query's input, like :send", (*repl).cmdFeed},
		{"graph", "[dot]", "print the query's operator graph (as Graphviz DOT with `dot`)", (*repl).cmdGraph},
		{"query", "", "print the query's accumulated source", (*repl).cmdQuery},
		{"reset", "", "forget the query, the script session's bindings and functions, and event, meta and state", (*repl).cmdReset},
		{"quit", "", "leave the REPL (as Ctrl-D does)", (*repl).cmdQuit},
	}
}

// commandNames lists the commands as typed: ":help", ":doc", ...
func commandNames() []string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = ":" + c.name
	}
	return names
}

// commandAliases are short names that a unique prefix would not give.
var commandAliases = map[string]string{"q": "quit", "exit": "quit", "h": "help", "?": "help"}

// findCommand finds a command by its name, an alias (`:q` is :quit) or a prefix that only it has
// (`:gr` is :graph); nil when there is none.
func findCommand(name string) *command {
	if full, ok := commandAliases[name]; ok {
		name = full
	}
	var found *command
	for _, c := range commands {
		if c.name == name {
			return c
		}
		if name != "" && strings.HasPrefix(c.name, name) {
			if found != nil {
				return nil // ambiguous
			}
			found = c
		}
	}
	return found
}

// command runs a `:name args` input (see run for more and final).
func (r *repl) command(input string, final bool) (more bool) {
	text := strings.TrimSpace(input)[1:]
	name, arg := text, ""
	if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
		name, arg = text[:i], strings.TrimSpace(text[i:])
	}
	c := findCommand(name)
	if c == nil {
		r.errorf("unknown command `:%s`\n  = hint: the commands are %s (:help explains them)", name, strings.Join(commandNames(), ", "))
		return false
	}
	return c.run(r, arg, final)
}

// jsonArg decodes a command's JSON argument. An argument that ends too early asks for more lines
// (more) unless final; other errors are reported (ok false).
func (r *repl) jsonArg(arg string, final bool) (v value.Value, more, ok bool) {
	v, err := value.DecodeJSONString(arg)
	if err == nil {
		return v, false, true
	}
	if se, isSyntax := err.(*value.SyntaxError); isSyntax && !final && strings.Contains(se.Msg, "unexpected end of input") {
		return value.Value{}, true, false
	}
	r.errorf("invalid JSON: %v", err)
	return value.Value{}, false, false
}

// jsonCommand builds a command that prints a value without an argument and sets it from a JSON
// argument.
func jsonCommand(get func(*repl) value.Value, set func(*repl, value.Value)) func(*repl, string, bool) bool {
	return func(r *repl, arg string, final bool) bool {
		if arg == "" {
			r.println(r.formatValue(get(r)))
			return false
		}
		v, more, ok := r.jsonArg(arg, final)
		if ok {
			set(r, v)
		}
		return more
	}
}

// helpIntro is the start of :help.
const helpIntro = `Type tremor-script expressions and statements (let, fn, match, emit, ...) to evaluate them
against the current event, $ (meta) and state; bindings and functions persist. Type trickle
statements (define, create, select) to build up a query, then push events through it with :send.
` + "`use`" + ` statements apply to both. An unfinished input continues on the next line ("... ");
Ctrl-C cancels it, Ctrl-D quits. Tab completes keywords, commands, module::function names and
event.paths; Ctrl-R searches the history.

Commands (a unique prefix will do, and :q quits):
`

func (r *repl) cmdHelp(arg string, _ bool) bool {
	if arg != "" {
		c := findCommand(strings.TrimPrefix(arg, ":"))
		if c == nil {
			r.errorf("unknown command `%s`\n  = hint: the commands are %s", arg, strings.Join(commandNames(), ", "))
			return false
		}
		r.println(strings.TrimSpace(":"+c.name+" "+c.args) + "\n    " + c.summary)
		return false
	}
	var b strings.Builder
	b.WriteString(helpIntro)
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-36s %s\n", strings.TrimSpace(":"+c.name+" "+c.args), c.summary)
	}
	r.out.Write([]byte(b.String()))
	return false
}

func (r *repl) cmdDoc(arg string, _ bool) bool {
	r.doc(arg)
	return false
}

// cmdLoad runs a script file (.tremor) in the session, printing its result, or adds the
// statements of a query file (any other extension, as `rill` reads files) to the query.
func (r *repl) cmdLoad(arg string, _ bool) bool {
	if arg == "" {
		r.errorf(":load needs a file name")
		return false
	}
	b, err := os.ReadFile(arg)
	if err != nil {
		r.errorf("%v", err)
		return false
	}
	src := string(b)
	if lang.KindOf(arg) == lang.KindScript {
		f, perr := lang.ParseScript(arg, src)
		if perr != nil {
			f = nil
		}
		r.evalScript(src, f)
		return false
	}
	r.addQuery(src)
	return false
}

func (r *repl) cmdSend(arg string, final bool) bool {
	input := ""
	if name, rest, _ := strings.Cut(arg, " "); r.q.graph != nil && inputName.MatchString(name) && name != "null" && name != "true" && name != "false" {
		ins := r.q.graph.Inputs()
		for _, in := range ins {
			if in == name {
				input = name
			}
		}
		if input == "" {
			r.errorf("the query has no input `%s`\n  = hint: its inputs are %s", name, strings.Join(ins, ", "))
			return false
		}
		arg = strings.TrimSpace(rest)
	}
	if arg == "" {
		r.send(input, r.event())
		return false
	}
	v, more, ok := r.jsonArg(arg, final)
	if ok {
		r.send(input, v)
	}
	return more
}

func (r *repl) cmdTick(arg string, _ bool) bool {
	ns := uint64(time.Now().UnixNano())
	if arg != "" {
		n, err := strconv.ParseUint(arg, 10, 64)
		if err != nil {
			r.errorf(":tick takes a time in nanoseconds, not %q", arg)
			return false
		}
		ns = n
	}
	r.tick(ns)
	return false
}

func (r *repl) cmdFeed(arg string, _ bool) bool {
	if arg == "" {
		r.errorf(":feed needs a file name")
		return false
	}
	r.feed(arg)
	return false
}

func (r *repl) cmdGraph(arg string, _ bool) bool {
	if r.q.graph == nil {
		r.errorf("there is no query yet\n  = hint: add one first, e.g. `select event from in into out;`")
		return false
	}
	switch arg {
	case "":
		r.out.Write([]byte(graphText(r.q.graph)))
	case "dot":
		r.out.Write([]byte(r.q.graph.DOT("repl")))
	default:
		r.errorf(":graph takes no argument or `dot`, not %q", arg)
	}
	return false
}

func (r *repl) cmdQuery(string, bool) bool {
	r.out.Write([]byte(r.q.src))
	return false
}

func (r *repl) cmdReset(string, bool) bool {
	r.reset()
	return false
}

func (r *repl) cmdQuit(string, bool) bool {
	r.quit = true
	return false
}
