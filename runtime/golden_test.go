package runtime

import (
	"bufio"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/stdlib"
)

// testEnv tells the static checker about the standard library (what cmd/rill's checkEnv does).
type testEnv struct {
	reg *stdlib.Registry
	lib fs.FS
}

func (e testEnv) Func(module, name string) (lang.FuncInfo, bool) {
	if s, ok := e.reg.Lookup(module, name); ok && !s.Aggregate {
		return lang.FuncInfo{MinArity: s.MinArity, MaxArity: s.MaxArity, Legacy: s.Legacy}, true
	}
	return lang.FuncInfo{}, false
}

func (e testEnv) Aggregate(module, name string) (lang.FuncInfo, bool) {
	if s, ok := e.reg.Aggregate(module, name); ok {
		return lang.FuncInfo{MinArity: s.MinArity, MaxArity: s.MaxArity, Legacy: s.Legacy}, true
	}
	return lang.FuncInfo{}, false
}

func (e testEnv) Operator(module, kind string) bool {
	switch module + "::" + kind {
	case "generic::counter", "generic::batch", "generic::backpressure", "qos::backpressure",
		"qos::percentile", "qos::roundrobin", "debug::history", "grouper::bucket":
		return true
	}
	return false
}

func (e testEnv) StdModule(path []string) (string, string, bool) {
	name := strings.Join(path, "/") + ".tremor"
	b, err := fs.ReadFile(e.lib, name)
	if err != nil {
		return "", "", false
	}
	return "std:" + name, string(b), true
}

// compileQuery parses, checks and compiles a query file the way `rill run` does.
func compileQuery(t testing.TB, name, src string) (*Graph, error) {
	t.Helper()
	f, err := lang.ParseQuery(name, src)
	if err != nil {
		t.Fatalf("parse error: %v", err)
	}
	reg := stdlib.NewRegistry()
	diags, _ := lang.Check(f, lang.CheckOptions{Env: testEnv{reg: reg, lib: stdlib.Lib()}})
	if len(diags) > 0 {
		t.Fatalf("check errors: %v", diags)
	}
	return Compile(f, src, Options{Env: &interp.Env{Registry: reg}, Dir: filepath.Dir(name)})
}

// readLines returns the non-empty lines of a file.
func readLines(t testing.TB, name string) []string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) != "" {
			out = append(out, sc.Text())
		}
	}
	return out
}

// TestGoldenQueries runs every testdata/queries/<case>/{query.trickle,in,out} folder (spec §7): input
// line i is an event on `in` with ingest_ns i, id (0,0,i), meta {} and origin
// tremor://localhost/test; the values of all outputs, in emission order, are compared in canonical
// form with out. With an error.txt, the first select-level error must render as it says (trimmed)
// and the outputs produced before it still count.
func TestGoldenQueries(t *testing.T) {
	dirs, _ := filepath.Glob("../testdata/queries/*")
	n := 0
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, "query.trickle")); err != nil {
			continue
		}
		n++
		t.Run(filepath.Base(dir), func(t *testing.T) { runGoldenQuery(t, dir) })
	}
	if n < 15 {
		t.Fatalf("found only %d golden query cases", n)
	}
}

func runGoldenQuery(t *testing.T, dir string) {
	name := filepath.Join(dir, "query.trickle")
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	g, err := compileQuery(t, name, string(b))
	if err != nil {
		t.Fatalf("compile error: %v", err)
	}
	wantErr, rerr := os.ReadFile(filepath.Join(dir, "error.txt"))
	errCase := rerr == nil
	origin, _ := url.Parse("tremor://localhost/test")
	if errCase {
		origin = nil
	}
	p := NewPipeline(g)
	input := "in"
	if ins := g.Inputs(); len(ins) > 0 {
		input = ins[0] // `#!config from = "..."`: the first declared input
	}
	var got []string
	var firstErr error
	for i, line := range readLines(t, filepath.Join(dir, "in")) {
		v, err := value.DecodeJSONString(line)
		if err != nil {
			t.Fatalf("in line %d: %v", i, err)
		}
		ev := NewEvent(v, uint64(i))
		ev.ID = EventID{Seq: uint64(i)}
		ev.Origin = origin
		ev.PeerName = "test" // what `rill run --golden` gives peer_id() too
		outs, err := p.Enqueue(input, ev)
		for _, o := range outs {
			for _, v := range OutputValues(o.Event) { // batch events contribute each inner value
				got = append(got, value.EncodeSorted(v))
			}
		}
		if err != nil {
			if !errCase {
				t.Fatalf("in line %d: runtime error:\n%s", i, err.Error())
			}
			if firstErr == nil {
				firstErr = err
			}
		}
	}
	if errCase {
		if firstErr == nil {
			t.Errorf("no error, want:\n%s", wantErr)
		} else if strings.TrimSpace(firstErr.Error()) != strings.TrimSpace(string(wantErr)) {
			t.Errorf("error differs\n--- got:\n%s\n--- want:\n%s", firstErr.Error(), wantErr)
		}
	}
	var want []string
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil || !errCase {
		for i, line := range readLines(t, filepath.Join(dir, "out")) {
			w, err := value.DecodeJSONString(line)
			if err != nil {
				t.Fatalf("out line %d: %v", i, err)
			}
			want = append(want, value.EncodeSorted(w))
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("outputs differ\n--- got:\n%s\n--- want:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
