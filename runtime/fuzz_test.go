package runtime

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/stdlib"
)

// FuzzQuery: any query that parses and checks compiles without panicking (or fails with an
// error), and running it over any JSON event never panics (DESIGN.md "Errors": the process never
// panics on user input). Seeds: the golden queries with their first input line.
func FuzzQuery(f *testing.F) {
	dirs, _ := filepath.Glob("../testdata/queries/*")
	for _, dir := range dirs {
		q, err1 := os.ReadFile(filepath.Join(dir, "query.trickle"))
		in, err2 := os.ReadFile(filepath.Join(dir, "in"))
		if err1 == nil && err2 == nil {
			f.Add(string(q), string(in))
		}
	}
	reg := stdlib.NewRegistry()
	env := testEnv{reg: reg, lib: stdlib.Lib()}
	ienv := &interp.Env{Registry: reg, ReadFile: func(string) ([]byte, error) { return nil, os.ErrNotExist }}
	f.Fuzz(func(t *testing.T, src, event string) {
		file, err := lang.ParseQuery("q.trickle", src)
		if err != nil {
			return
		}
		if diags, _ := lang.Check(file, lang.CheckOptions{Env: env, ReadFile: func(string) ([]byte, error) { return nil, os.ErrNotExist }}); len(diags) > 0 {
			return
		}
		g, err := Compile(file, src, Options{Env: ienv})
		if err != nil {
			return
		}
		v, err := value.DecodeJSONString(event)
		if err != nil {
			v = value.NewString(event)
		}
		p := NewPipeline(g)
		for i := 0; i < 3; i++ {
			for _, in := range g.Inputs() {
				outs, err := p.Enqueue(in, NewEvent(v, uint64(i)))
				if err != nil && strings.Contains(err.Error(), "internal error") {
					t.Fatalf("%v", err)
				}
				for _, o := range outs {
					if s, _ := o.Event.Value.AsString(); strings.Contains(s, "internal error") {
						t.Fatalf("%s", s)
					}
					if r, ok := o.Event.Value.AsRecord(); ok {
						if e, ok := r.Get("error"); ok {
							if s, _ := e.AsString(); strings.Contains(s, "internal error") {
								t.Fatalf("%s", s)
							}
						}
					}
				}
			}
		}
	})
}
