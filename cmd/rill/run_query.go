package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rillstream/rill/internal/checkenv"
	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/runtime"
)

// The context of the golden query harness (spec §7): origin tremor://localhost/test, and the
// same peer name as the script harness.
const goldenQueryOrigin = "tremor://localhost/test"

// compileQuery parses, checks and compiles a query file. It returns the exit status to use on
// failure: 1 for errors in the query, 2 for features not implemented yet.
func compileQuery(name string, dirs []string, stderr io.Writer) (*runtime.Graph, int) {
	b, err := os.ReadFile(name)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return nil, 1
	}
	src := string(b)
	f, err := lang.ParseQuery(name, src)
	if err != nil {
		printDiagnostics(stderr, err, map[string]string{name: src})
		return nil, 1
	}
	env := checkenv.New()
	diags, sources := lang.Check(f, lang.CheckOptions{Env: env, Path: dirs})
	if len(diags) > 0 {
		sources[name] = src
		printDiagnostics(stderr, diags, sources)
		return nil, 1
	}
	g, err := runtime.Compile(f, src, runtime.Options{
		Env: &interp.Env{Registry: env.Reg, Path: dirs},
		Dir: filepath.Dir(name),
	})
	if err != nil {
		var ni *runtime.NotImplementedError
		if errors.As(err, &ni) {
			fmt.Fprintf(stderr, "rill run: %v\n", err)
			return nil, 2
		}
		msg := err.Error()
		if !strings.HasSuffix(msg, "\n") {
			msg += "\n"
		}
		fmt.Fprint(stderr, msg)
		return nil, 1
	}
	return g, 0
}

// runQuery feeds every JSON line of in to the query's input `in` (or the first input declared
// with `#!config from`); it returns the exit status. With --golden the run is deterministic: line
// i gets ingest time i and no tick is ever sent (spec §7). Live, events get the wall-clock ingest
// time and, every r.tick (0: never), the pipeline gets a tick, so time windows close on a quiet
// input too; at the end of the input the run stops without flushing open windows.
func (r *runner) runQuery(g *runtime.Graph, in *bufio.Reader) int {
	q := &queryRun{r: r, p: runtime.NewPipeline(g), input: "in"}
	if r.golden {
		q.origin, _ = url.Parse(goldenQueryOrigin)
		q.peer = goldenPeer
	}
	if ins := g.Inputs(); len(ins) > 0 {
		q.input = ins[0] // `#!config from = "a, b"`: events go to the first declared input
	}
	if r.golden {
		for {
			line, err := in.ReadString('\n')
			if line == "" && err != nil {
				return q.end(err)
			}
			q.line(line)
			if in.Buffered() == 0 {
				r.out.Flush()
			}
		}
	}
	// Live: a reader goroutine hands lines over a bounded channel; the loop interleaves them with
	// the ticks. The reader ends after sending the final error (io.EOF at the end of the input).
	type read struct {
		line string
		err  error
	}
	lines := make(chan read, 256)
	go func() {
		defer close(lines)
		for {
			line, err := in.ReadString('\n')
			if line != "" {
				lines <- read{line: line}
			}
			if err != nil {
				lines <- read{err: err}
				return
			}
		}
	}()
	var ticks <-chan time.Time
	if r.tick > 0 {
		t := time.NewTicker(r.tick)
		defer t.Stop()
		ticks = t.C
	}
	for {
		select {
		case m, ok := <-lines:
			if !ok {
				return q.code
			}
			if m.err != nil {
				return q.end(m.err)
			}
			q.line(m.line)
			if len(lines) == 0 {
				r.out.Flush()
			}
		case now := <-ticks:
			outs, err := q.p.Tick(uint64(now.UnixNano()))
			q.outputs(outs, err)
			r.out.Flush()
		}
	}
}

// queryRun is the state of one `rill run` of a query.
type queryRun struct {
	r      *runner
	p      *runtime.Pipeline
	input  string
	origin *url.URL
	peer   string
	code   int
	lineNo int
	index  uint64
}

// end returns the exit status once reading stopped with err.
func (q *queryRun) end(err error) int {
	if !errors.Is(err, io.EOF) {
		q.r.out.Flush()
		fmt.Fprintf(q.r.errw, "rill run: reading input: %v\n", err)
		return 1
	}
	return q.code
}

// line runs one input line through the pipeline.
func (q *queryRun) line(line string) {
	r := q.r
	q.lineNo++
	if strings.TrimSpace(line) == "" {
		return
	}
	v, derr := value.DecodeJSONString(line)
	if derr != nil {
		r.out.Flush()
		fmt.Fprintf(r.errw, "rill run: input line %d: %v (skipped)\n", q.lineNo, derr)
		q.code = 1
		q.index++
		return
	}
	ingest := q.index
	if !r.golden {
		ingest = uint64(time.Now().UnixNano())
	}
	ev := runtime.NewEvent(v, ingest)
	ev.ID = runtime.EventID{Seq: q.index}
	ev.Origin, ev.PeerName = q.origin, q.peer
	q.index++
	q.outputs(q.p.Enqueue(q.input, ev))
}

// outputs writes what an event or a tick produced, then its error, if any.
func (q *queryRun) outputs(outs []runtime.Output, qerr error) {
	r := q.r
	for _, o := range outs {
		for _, v := range runtime.OutputValues(o.Event) { // a batch: each inner value (spec §7)
			r.emit(o.Port, v)
		}
	}
	if qerr == nil {
		return
	}
	if r.golden {
		r.line("!error", value.NewString(errorMessage(qerr)))
		return
	}
	r.out.Flush()
	msg := qerr.Error()
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	fmt.Fprint(r.errw, msg)
	q.code = 1
}
