package runtime

import (
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/rillstream/rill/internal/golden"
	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/stdlib"
)

// stdEnv tells the static checker about the standard library and the built-in operators (what
// cmd/rill's checkEnv does).
type stdEnv struct {
	reg *stdlib.Registry
	lib fs.FS
}

func (e stdEnv) Func(module, name string) (lang.FuncInfo, bool) {
	if s, ok := e.reg.Lookup(module, name); ok && !s.Aggregate {
		return lang.FuncInfo{MinArity: s.MinArity, MaxArity: s.MaxArity, Legacy: s.Legacy}, true
	}
	return lang.FuncInfo{}, false
}

func (e stdEnv) Aggregate(module, name string) (lang.FuncInfo, bool) {
	if s, ok := e.reg.Aggregate(module, name); ok {
		return lang.FuncInfo{MinArity: s.MinArity, MaxArity: s.MaxArity, Legacy: s.Legacy}, true
	}
	return lang.FuncInfo{}, false
}

func (e stdEnv) Operator(module, kind string) bool {
	switch module + "::" + kind {
	case "generic::counter", "generic::batch", "generic::backpressure", "qos::backpressure",
		"qos::percentile", "qos::roundrobin", "debug::history", "grouper::bucket":
		return true
	}
	return false
}

func (e stdEnv) StdModule(path []string) (string, string, bool) {
	name := strings.Join(path, "/") + ".tremor"
	b, err := fs.ReadFile(e.lib, name)
	if err != nil {
		return "", "", false
	}
	return "std:" + name, string(b), true
}

// RunGolden runs the golden query case in dir (spec §7), the runner of both TestGoldenQueries
// and `rill test`. dir/query.trickle is parsed, checked and compiled (modules next to it); input
// line i of dir/in is an event on `in` (or the first `#!config from` input) with ingest_ns i, id
// (0,0,i), meta {}, peer "test" and origin tremor://localhost/test; the values of all outputs, in
// emission order (batches contribute each inner value), are compared in canonical form with
// dir/out. With a dir/error.txt, events carry no origin, the first select-level error must render
// as it says (trimmed), and the outputs produced before it are compared with out (none when
// there is no out).
func RunGolden(dir string) *golden.Result {
	r := &golden.Result{Dir: dir, CompareOut: true}
	name := filepath.Join(dir, "query.trickle")
	b, err := os.ReadFile(name)
	if err != nil {
		r.Problem = err.Error()
		return r
	}
	src := string(b)
	f, err := lang.ParseQuery(name, src)
	if err != nil {
		r.Problem = fmt.Sprintf("parse error: %v", err)
		return r
	}
	reg := stdlib.NewRegistry()
	if diags, _ := lang.Check(f, lang.CheckOptions{Env: stdEnv{reg: reg, lib: stdlib.Lib()}}); len(diags) > 0 {
		r.Problem = fmt.Sprintf("check errors: %v", diags)
		return r
	}
	g, err := Compile(f, src, Options{Env: &interp.Env{Registry: reg}, Dir: filepath.Dir(name)})
	if err != nil {
		r.Problem = fmt.Sprintf("compile error: %v", err)
		return r
	}
	in, err := golden.ReadLines(filepath.Join(dir, "in"))
	if err != nil {
		r.Problem = err.Error()
		return r
	}
	if wantErr, err := os.ReadFile(filepath.Join(dir, "error.txt")); err == nil {
		r.ErrCase = true
		r.WantErr = strings.TrimSpace(string(wantErr))
		_, err := os.Stat(filepath.Join(dir, "out"))
		r.CompareOut = err == nil
	}
	origin, _ := url.Parse("tremor://localhost/test")
	if r.ErrCase {
		origin = nil
	}
	p := NewPipeline(g)
	input := "in"
	if ins := g.Inputs(); len(ins) > 0 {
		input = ins[0] // `#!config from = "..."`: the first declared input
	}
	for i, line := range in {
		v, err := value.DecodeJSONString(line.Text)
		if err != nil {
			r.Problem = fmt.Sprintf("in line %d: %v", line.No, err)
			return r
		}
		ev := NewEvent(v, uint64(i))
		ev.ID = EventID{Seq: uint64(i)}
		ev.Origin = origin
		ev.PeerName = "test" // what `rill run --golden` gives peer_id() too
		outs, err := p.Enqueue(input, ev)
		for _, o := range outs {
			for _, v := range OutputValues(o.Event) {
				r.Got = append(r.Got, value.EncodeSorted(v))
			}
		}
		if err != nil {
			if !r.ErrCase {
				r.Problem = fmt.Sprintf("in line %d: runtime error:\n%s", line.No, err.Error())
				return r
			}
			if r.GotErr == "" {
				r.GotErr = strings.TrimSpace(err.Error())
			}
		}
	}
	if r.CompareOut {
		if r.Want, err = golden.ReadOut(filepath.Join(dir, "out")); err != nil {
			r.Problem = err.Error()
		}
	}
	return r
}
