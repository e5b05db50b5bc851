package repl

import (
	"os"
	"strings"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/runtime"
)

// query is the trickle query built up during a session. Statements are added by appending them to
// the accumulated source and compiling the whole of it again; a statement that fails to parse,
// check or compile is reported against the accumulated source and not added.
//
// Every successful change replaces the pipeline, so windows and operators start empty again: the
// runtime can not add statements to a running graph. When events had been sent, a note says so.
type query struct {
	src   string            // the accepted statements, each ending with `;` and a line break
	graph *runtime.Graph    // src compiled; nil while there is no query
	pipe  *runtime.Pipeline // runs graph
	sent  uint64            // events pushed into pipe so far: the next one's sequence number
}

// queryFile is the file name of the accumulated query in diagnostics.
const queryFile = "<query>"

// queryInput adds trickle statements to the query (see run for more and final).
func (r *repl) queryInput(src string, final bool) (more bool) {
	if !final {
		if _, err := lang.ParseQuery("<input>", src); err != nil && incomplete(err, src, true) {
			return true
		}
	}
	r.addQuery(src)
	return false
}

// addQuery appends statements to the query and recompiles it. On a parse, check or compile error
// it prints the error, rendered against the would-be accumulated source, and leaves the query as
// it was. It reports whether the statements were added.
func (r *repl) addQuery(stmts string) bool {
	stmts = strings.TrimRight(stmts, " \t\r\n")
	cand := r.q.src + stmts + "\n"
	f, err := lang.ParseQuery(queryFile, cand)
	if err != nil {
		r.printError(err, cand, nil)
		return false
	}
	if diags, sources := lang.Check(f, lang.CheckOptions{Env: r.check, Path: r.paths}); len(diags) > 0 {
		r.printError(diags, cand, sources)
		return false
	}
	g, err := runtime.Compile(f, cand, runtime.Options{Env: r.env, Dir: "."})
	if err != nil {
		r.printError(err, cand, nil)
		return false
	}
	if r.q.sent > 0 {
		r.errPrintf("note: the query changed, so its pipeline starts again with empty windows and operator state\n")
	}
	// Kept with a `;` after its last statement, so that the next statement can follow; the `;`
	// comes after everything the graph's positions point at.
	r.q = query{src: r.q.src + terminate(stmts) + "\n", graph: g, pipe: runtime.NewPipeline(g)}
	return true
}

// send pushes one event with value v and the session's meta into the query's input named input
// ("": `in`, or the first input a `#!config from` declares), stamped with the wall-clock ingest
// time, and prints every value that comes out as `PORT: value`, in emission order (a batch prints
// each of its values).
func (r *repl) send(input string, v value.Value) {
	if r.q.pipe == nil {
		r.errorf("there is no query to send events to\n  = hint: add one first, e.g. `select event from in into out;`")
		return
	}
	if input == "" {
		input = "in"
		if ins := r.q.graph.Inputs(); len(ins) > 0 {
			input = ins[0]
		}
	}
	ev := runtime.NewEvent(v, uint64(time.Now().UnixNano()))
	ev.Meta = r.meta()
	ev.ID = runtime.EventID{Seq: r.q.sent}
	r.q.sent++
	outs, err := r.q.pipe.Enqueue(input, ev)
	r.printOutputs(outs, err)
}

// tick delivers a tick at time ns to the query (time windows whose interval passed emit, state
// windows run their tick script) and prints what comes out, as send does.
func (r *repl) tick(ns uint64) {
	if r.q.pipe == nil {
		r.errorf("there is no query to tick\n  = hint: add one first, e.g. `select event from in into out;`")
		return
	}
	outs, err := r.q.pipe.Tick(ns)
	r.printOutputs(outs, err)
}

// printOutputs prints a pipeline's outputs as `PORT: value` and then its error, if any.
func (r *repl) printOutputs(outs []runtime.Output, err error) {
	for _, o := range outs {
		for _, x := range runtime.OutputValues(o.Event) {
			r.printPort(o.Node, x)
		}
	}
	if err != nil {
		r.printError(err, r.q.src, nil)
	}
}

// feed sends every non-blank line of a file as an event (see send). A line that is not JSON is
// reported with its line number and skipped.
func (r *repl) feed(name string) {
	b, err := os.ReadFile(name)
	if err != nil {
		r.errorf("%v", err)
		return
	}
	if r.q.pipe == nil {
		r.send("", value.NullValue) // reports the missing query
		return
	}
	for i, line := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		v, err := value.DecodeJSONString(line)
		if err != nil {
			r.errorf("%s:%d: %v (skipped)", name, i+1, err)
			continue
		}
		r.send("", v)
	}
}
