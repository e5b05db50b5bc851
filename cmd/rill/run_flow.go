package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/rillstream/rill/internal/checkenv"
	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/lang/ast"
	"github.com/rillstream/rill/runtime/flow"
)

// flowOptions are the `rill run` flags that matter to flows.
type flowOptions struct {
	metrics string        // --metrics ADDR: serve Prometheus metrics there
	drain   time.Duration // --drain: how long a stop waits for in-flight events
	tick    time.Duration // --tick
	dirs    []string      // module path
	log     *slog.Logger  // the flow's logger (--log-level, --log-format, --quiet)
}

// isFlowFile reports whether a query or deployment file deploys flows (peers, `deploy flow`);
// such files run as a flow instead of over standard input.
func isFlowFile(name string) bool {
	if lang.KindOf(name) == lang.KindScript {
		return false
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return false
	}
	f, err := lang.Parse(name, string(b))
	return err == nil && flow.HasDeploy(f)
}

// compileFlow parses, checks and compiles a deployment file, printing problems to diag; stdio
// peers use stdin, stdout and stderr.
func compileFlow(name string, dirs []string, stdin io.Reader, stdout, stderr, diag io.Writer) (*flow.Deployment, bool) {
	b, err := os.ReadFile(name)
	if err != nil {
		fmt.Fprintf(diag, "%s: %v\n", name, err)
		return nil, false
	}
	src := string(b)
	f, err := lang.Parse(name, src)
	if err != nil {
		printDiagnostics(diag, err, map[string]string{name: src})
		return nil, false
	}
	env := checkenv.New()
	diags, sources := lang.Check(f, lang.CheckOptions{Env: env, Path: dirs})
	if len(diags) > 0 {
		sources[name] = src
		printDiagnostics(diag, diags, sources)
		return nil, false
	}
	return buildFlow(name, src, f, env, dirs, stdin, stdout, stderr, diag)
}

// buildFlow compiles a parsed and checked deployment file (its peers' configuration, codecs,
// interceptors and connects), printing problems to diag.
func buildFlow(name, src string, f *ast.File, env checkenv.Env, dirs []string, stdin io.Reader, stdout, stderr, diag io.Writer) (*flow.Deployment, bool) {
	ienv := &interp.Env{Registry: env.Reg, Path: dirs}
	dep, err := flow.Compile(f, src, flow.DefaultEnv(ienv, filepath.Dir(name), stdin, stdout, stderr))
	if err != nil {
		if _, ok := err.(*lang.Diagnostic); ok {
			printDiagnostics(diag, err, map[string]string{name: src})
		} else {
			msg := err.Error()
			if !strings.HasSuffix(msg, "\n") {
				msg += "\n"
			}
			fmt.Fprint(diag, msg)
		}
		return nil, false
	}
	return dep, true
}

// stopSignals is what ends a running flow (tests replace it).
var stopSignals = func() (<-chan os.Signal, func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	return ch, func() { signal.Stop(ch) }
}

// runFlow runs a deployment until SIGINT/SIGTERM or an exit peer asks to stop, then drains and
// stops it. The exit status is the exit peer's code, 0 after a signal, 1 when the flow fails to
// start or to drain.
func runFlow(name string, o flowOptions, stdin io.Reader, stdout, stderr io.Writer) int {
	dep, ok := compileFlow(name, o.dirs, stdin, stdout, stderr, stderr)
	if !ok {
		return 1
	}
	log := o.log
	if log == nil {
		log = slog.New(slog.NewTextHandler(stderr, nil))
	}
	tick := o.tick
	if tick == 0 {
		tick = -1
	}
	r, err := flow.Start(dep, flow.RunOptions{Log: log, Tick: tick})
	if err != nil {
		fmt.Fprintf(stderr, "rill run: %v\n", err)
		return 1
	}
	if o.metrics != "" {
		ms, err := r.ServeMetrics(o.metrics)
		if err != nil {
			r.Stop(0)
			fmt.Fprintf(stderr, "rill run: --metrics: %v\n", err)
			return 1
		}
		defer ms.Close()
		log.Info("serving metrics", "url", "http://"+ms.Addr().String()+"/metrics")
	}
	for _, p := range r.Peers() {
		if p.Addr != nil {
			log.Info("listening", "flow", p.Flow, "peer", p.Name, "type", p.Type, "addr", p.Addr.String())
		}
	}
	log.Info("running; Ctrl-C stops", "flows", len(dep.Flows), "peers", len(r.Peers()))
	sigs, stop := stopSignals()
	defer stop()
	code := 0
	select {
	case s := <-sigs:
		log.Info("stopping", "signal", s.String())
	case code = <-r.Exit():
		log.Info("stopping", "exit", code)
	}
	if err := r.Stop(o.drain); err != nil {
		log.Error("stop", "error", err.Error())
		if code == 0 {
			code = 1
		}
	}
	acked, failed, lost := r.Totals()
	log.Info("stopped", "acked", acked, "failed", failed, "lost", lost)
	return code
}
