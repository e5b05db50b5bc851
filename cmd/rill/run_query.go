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
	env := newCheckEnv()
	diags, sources := lang.Check(f, lang.CheckOptions{Env: env, Path: dirs})
	if len(diags) > 0 {
		sources[name] = src
		printDiagnostics(stderr, diags, sources)
		return nil, 1
	}
	g, err := runtime.Compile(f, src, runtime.Options{
		Env: &interp.Env{Registry: env.(checkEnv).reg, Path: dirs},
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
// with `#!config from`); it returns the exit status.
func (r *runner) runQuery(g *runtime.Graph, in *bufio.Reader) int {
	p := runtime.NewPipeline(g)
	var origin *url.URL
	peer := ""
	if r.golden {
		origin, _ = url.Parse(goldenQueryOrigin)
		peer = goldenPeer
	}
	input := "in"
	if ins := g.Inputs(); len(ins) > 0 {
		input = ins[0] // `#!config from = "a, b"`: events go to the first declared input
	}
	code := 0
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
		v, derr := value.DecodeJSONString(line)
		if derr != nil {
			r.out.Flush()
			fmt.Fprintf(r.errw, "rill run: input line %d: %v (skipped)\n", lineNo, derr)
			code = 1
			index++
			continue
		}
		ingest := index
		if !r.golden {
			ingest = uint64(time.Now().UnixNano())
		}
		ev := runtime.NewEvent(v, ingest)
		ev.ID = runtime.EventID{Seq: index}
		ev.Origin, ev.PeerName = origin, peer
		index++
		outs, qerr := p.Enqueue(input, ev)
		for _, o := range outs {
			for _, v := range runtime.OutputValues(o.Event) { // a batch: each inner value (spec §7)
				r.emit(o.Port, v)
			}
		}
		if qerr != nil {
			if r.golden {
				r.line("!error", value.NewString(errorMessage(qerr)))
			} else {
				r.out.Flush()
				msg := qerr.Error()
				if !strings.HasSuffix(msg, "\n") {
					msg += "\n"
				}
				fmt.Fprint(r.errw, msg)
				code = 1
			}
		}
		if in.Buffered() == 0 {
			r.out.Flush()
		}
	}
}
