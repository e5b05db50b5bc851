package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/rillstream/rill/internal/checkenv"
	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/stdlib"
)

// stdin is where `rill run` reads events without an INPUT file (tests replace it).
var stdin io.Reader = os.Stdin

func init() {
	register(&command{
		name:    "run",
		summary: "run a script or a query over JSON events",
		usage: `Usage: rill run [--golden] [--path DIR:DIR] [--tick PERIOD] [--metrics ADDR] [--drain PERIOD] FILE.tremor|FILE.trickle|FILE.troy [INPUT]

Runs a tremor-script script once per event: every line of INPUT (standard input
when INPUT is not given) is one JSON document. The script's state is kept from
one event to the next; every event gets empty metadata ({}).

Output: values emitted on port "out" are written to standard output as JSON
lines (record keys in insertion order). Values emitted on port "err" go to
standard error as JSON lines; values emitted on any other port go to standard
error as "port PORT: JSON". A runtime error aborts that event only: its
rendered error goes to standard error and processing continues. An input line
that is not valid JSON is reported with its line number and skipped. Exit
status: 0 when every event ran, 1 after a compile error, a runtime error or a
malformed line, 2 on wrong usage.

--golden prints what the golden test harness compares, to standard output:
the i-th non-empty input line (0-based) gets ingest time i and event id i,
metadata {}, origin snot://test:23/snot and peer "test" (the context of the
script harness, spec §7); every emitted value, of every port in emission order,
is printed as PORT<TAB>JSON with record keys sorted (the canonical form of
testdata/*/out); a runtime error that aborts an event is printed as
!error<TAB>"message" (the bare message as a JSON string). Runtime errors do
not change the exit status; compile errors and malformed lines do.

Compile errors are printed like ` + "`rill check`" + ` prints them. Modules named by
` + "`use`" + ` are searched in the embedded standard library, then in the --path
directories, then in RILL_PATH (both colon-separated), then next to the file.

Queries (.trickle) run the same way: every line is an event on the input
"in" (or the first input a #!config from names); outputs on "out" go to
standard output, outputs on "err" to standard error, outputs on other ports (into out/p) to standard error as "port p: JSON".
A select-level runtime error aborts that event (outputs it produced before the
error are still written) and is printed like a script's runtime error. With
--golden, input line i gets ingest time i, event id i, metadata {}, origin
tremor://localhost/test (the query harness, spec §7), and the error line is
!error<TAB>"message".

Without --golden a query runs live: every event gets the current time as its
ingest time, and the query gets a tick every --tick PERIOD (a Go duration such
as 100ms, 1s; default 100ms; 0 disables ticks). On a tick, windows with an
interval whose time has passed emit even when no new event arrives (windows
whose script provides the time do not), state windows run their
"script from tick", and generic::batch operators with a timeout flush a
pending batch older than it. The run ends cleanly at the end of the input: windows
still open then are dropped, not flushed. --golden never ticks.

Files that deploy flows (` + "`define flow ... end; deploy flow f;`" + `, in .troy or
.trickle files) run as a long-lived flow: their peers read and write (stdio
peers use standard input and output), and the flow runs until SIGINT or
SIGTERM, or until an exit peer gets an event; then sources stop, events in
flight get --drain (default 5s) to reach their sinks, and the peers close.
The exit status is the exit peer's code (0 after a signal). --metrics ADDR
serves every peer's and pipeline node's counters in Prometheus format on
http://ADDR/metrics. Peer configuration is checked before anything starts:
an unknown peer type, codec or interceptor, a bad config key or a connect to
a missing port is a compile error with its location.

When standard error is a terminal and the input is a file, a status line
shows events read, events/s, bytes read of the file's size and the elapsed
time (--quiet turns it off). Flows log with log/slog: --log-level debug|info|
warn|error (default info; --quiet means warn), --log-format text|json.

Examples:
  rill run testdata/examples/http_echo.troy
  rill run --log-format json --log-level debug flows/ingest.troy
  rill run --metrics 127.0.0.1:9898 flows/ingest.troy
  rill run enrich.tremor events.jsonl
  tail -f app.log.jsonl | rill run --path lib enrich.tremor
  tail -f metrics.jsonl | rill run --tick 1s per_minute.trickle
  rill run --golden testdata/scripts/patch/script.tremor testdata/scripts/patch/in
  rill run --golden testdata/queries/group_by_each/query.trickle testdata/queries/group_by_each/in
`,
		run: runRun,
	})
}

func runRun(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	golden := fs.Bool("golden", false, "print every output as PORT<TAB>canonical JSON (the golden test format)")
	path := fs.String("path", "", "module search `dirs`, colon-separated")
	tick := fs.Duration("tick", 100*time.Millisecond, "queries without --golden: send a tick every `period` (0: never)")
	metrics := fs.String("metrics", "", "flows: serve Prometheus metrics on `addr` (127.0.0.1:9898)")
	drain := fs.Duration("drain", 5*time.Second, "flows: on stop, wait up to `period` for events in flight")
	quiet := fs.Bool("quiet", false, "no progress line; flows log warnings and errors only")
	logLevel := fs.String("log-level", "info", "flows: log `level` (debug, info, warn, error)")
	logFormat := fs.String("log-format", "text", "flows: log `format` (text or json: one JSON object per line)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *tick < 0 {
		fmt.Fprint(stderr, "rill run: --tick must not be negative\n")
		return 2
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		fmt.Fprint(stderr, "rill run: expected a script or query file and at most one input file\n\nUsage: rill run [--golden] [--path DIR:DIR] [--tick PERIOD] [--metrics ADDR] [--drain PERIOD] FILE.tremor|FILE.trickle|FILE.troy [INPUT]\n")
		return 2
	}
	name := fs.Arg(0)
	dirs := modulePath(*path)
	log, err := newLogger(stderr, *logLevel, *logFormat, *quiet)
	if err != nil {
		fmt.Fprintf(stderr, "rill run: %v\n", err)
		return 2
	}
	if isFlowFile(name) {
		if fs.NArg() != 1 || *golden {
			fmt.Fprint(stderr, "rill run: a flow file takes no input file and no --golden: its peers read and write\n")
			return 2
		}
		return runFlow(name, flowOptions{metrics: *metrics, drain: *drain, tick: *tick, dirs: dirs, log: log}, stdin, stdout, stderr)
	}
	var prog *interp.Program
	var graph *runtime.Graph
	if lang.KindOf(name) == lang.KindScript {
		var ok bool
		if prog, ok = compileScript(name, dirs, stderr); !ok {
			return 1
		}
	} else {
		var code int
		if graph, code = compileQuery(name, dirs, stderr); graph == nil {
			return code
		}
	}
	in := stdin
	var inFile *os.File
	if fs.NArg() == 2 {
		f, err := os.Open(fs.Arg(1))
		if err != nil {
			fmt.Fprintf(stderr, "rill run: %v\n", err)
			return 1
		}
		defer f.Close()
		in, inFile = f, f
	} else if f, ok := stdin.(*os.File); ok {
		inFile = f
	}
	// A progress line on a terminal while a file is read (not for pipes: their size is unknown
	// and they are often endless).
	if !*quiet && !*golden && inFile != nil && terminalWriter(stderr) {
		if st, err := inFile.Stat(); err == nil && st.Mode().IsRegular() {
			p := startProgress(stderr, st.Size())
			defer p.stop()
			in, stderr = p.reader(in), p
		}
	}
	r := &runner{prog: prog, golden: *golden, tick: *tick, out: bufio.NewWriter(stdout), errw: stderr}
	if *golden {
		r.origin, _ = url.Parse(goldenOrigin)
		r.peer = goldenPeer
	}
	var code int
	if graph != nil {
		code = r.runQuery(graph, bufio.NewReaderSize(in, 64<<10))
	} else {
		code = r.run(bufio.NewReaderSize(in, 64<<10))
	}
	if err := r.out.Flush(); err != nil {
		fmt.Fprintf(stderr, "rill run: %v\n", err)
		return 1
	}
	return code
}

// compileScript parses, checks and compiles a script file, printing diagnostics on failure.
func compileScript(name string, dirs []string, stderr io.Writer) (*interp.Program, bool) {
	b, err := os.ReadFile(name)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return nil, false
	}
	src := string(b)
	f, err := lang.Parse(name, src)
	if err != nil {
		printDiagnostics(stderr, err, map[string]string{name: src})
		return nil, false
	}
	env := checkenv.New()
	diags, sources := lang.Check(f, lang.CheckOptions{Env: env, Path: dirs})
	if len(diags) > 0 {
		sources[name] = src
		printDiagnostics(stderr, diags, sources)
		return nil, false
	}
	prog, err := interp.Compile(f, src, &interp.Env{Registry: env.Reg, Path: dirs})
	if err != nil {
		fmt.Fprint(stderr, err.Error())
		return nil, false
	}
	return prog, true
}

// The context of the golden script harness (spec §7, interp/golden_test.go), which
// --golden reproduces so that its output is what testdata/scripts/<case>/out holds.
const (
	goldenOrigin = "snot://test:23/snot"
	goldenPeer   = "test"
)

// runner feeds input lines through a program.
type runner struct {
	prog   *interp.Program
	golden bool
	tick   time.Duration // live queries: the tick period (0: no ticks)
	origin *url.URL
	peer   string // what peer_id()/source_id() return
	out    *bufio.Writer
	errw   io.Writer
	buf    []byte
}

// runCtx is what registry functions see of the event being processed.
type runCtx struct {
	ingest uint64
	id     uint64
	origin *url.URL
	peer   string
}

func (c *runCtx) IngestNs() uint64       { return c.ingest }
func (c *runCtx) Origin() *url.URL       { return c.origin }
func (c *runCtx) PeerID() string         { return c.peer }
func (c *runCtx) StreamID() uint64       { return 0 }
func (c *runCtx) EventID() uint64        { return c.id }
func (c *runCtx) WinCardinality() uint64 { return 0 }

// run processes every line of in; it returns the exit status.
func (r *runner) run(in *bufio.Reader) int {
	code := 0
	state := value.NullValue
	fr := r.prog.NewFrame()
	ctx := &runCtx{origin: r.origin, peer: r.peer}
	fr.Ctx = ctx
	lineNo, index := 0, uint64(0)
	for {
		line, err := in.ReadString('\n')
		if line == "" && err != nil {
			if !errors.Is(err, io.EOF) {
				fmt.Fprintf(r.errw, "rill run: reading input: %v\n", err)
				return 1
			}
			return code
		}
		lineNo++
		if strings.TrimSpace(line) == "" {
			continue
		}
		ev, derr := value.DecodeJSONString(line)
		if derr != nil {
			r.out.Flush()
			fmt.Fprintf(r.errw, "rill run: input line %d: %v (skipped)\n", lineNo, derr)
			code = 1
			index++
			continue
		}
		meta := value.NewRecordValue(value.NewRec(0))
		fr.Event, fr.Meta, fr.State = &ev, &meta, &state
		if r.golden {
			ctx.ingest = index
		} else {
			ctx.ingest = uint64(time.Now().UnixNano())
		}
		ctx.id = index
		index++
		res, rerr := r.prog.Run(fr)
		if rerr != nil {
			if r.golden {
				r.line("!error", value.NewString(errorMessage(rerr)))
			} else {
				r.out.Flush()
				fmt.Fprint(r.errw, rerr.Error())
				code = 1
			}
		} else if res.Kind != interp.Drop {
			r.emit(res.Port, res.Value)
		}
		if in.Buffered() == 0 {
			r.out.Flush() // nothing more to read right now: let a follower see the output
		}
	}
}

// emit writes one output value.
func (r *runner) emit(port string, v value.Value) {
	if r.golden {
		r.line(port, v)
		return
	}
	switch port {
	case "out":
		r.buf = append(value.AppendEncode(r.buf[:0], v), '\n')
		r.out.Write(r.buf)
	case "err":
		r.out.Flush()
		r.buf = append(value.AppendEncode(r.buf[:0], v), '\n')
		r.errw.Write(r.buf)
	default:
		r.out.Flush()
		r.buf = append(value.AppendEncode(append(r.buf[:0], "port "+port+": "...), v), '\n')
		r.errw.Write(r.buf)
	}
}

// line writes PORT<TAB>canonical JSON.
func (r *runner) line(port string, v value.Value) {
	r.buf = append(r.buf[:0], port...)
	r.buf = append(r.buf, '\t')
	r.buf = append(value.AppendEncodeSorted(r.buf, v), '\n')
	r.out.Write(r.buf)
}

// errorMessage is the bare message of a runtime error.
func errorMessage(err error) string {
	var e interface{ Message() string }
	if errors.As(err, &e) {
		return e.Message()
	}
	return err.Error()
}

// Compile-time check that the run context satisfies the stdlib interface.
var _ stdlib.Context = (*runCtx)(nil)
