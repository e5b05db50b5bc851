package interp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
)

// FuzzInterp compiles arbitrary scripts and runs them twice (state kept) on an arbitrary JSON event.
// Errors are fine; a panic — even one recovered into an "internal error" — is a failure.
func FuzzInterp(f *testing.F) {
	dirs, _ := filepath.Glob("../testdata/scripts/*")
	parse, _ := filepath.Glob("../testdata/parse/*.tremor")
	for _, d := range dirs {
		src, err := os.ReadFile(filepath.Join(d, "script.tremor"))
		if err != nil {
			continue
		}
		in, _ := os.ReadFile(filepath.Join(d, "in"))
		first, _, _ := strings.Cut(string(in), "\n")
		f.Add(string(src), first)
	}
	for _, p := range parse {
		src, _ := os.ReadFile(p)
		f.Add(string(src), `{"a": 1, "b": [1, 2.5, "x"], "c": {"d": null}}`)
	}
	env := &Env{}
	f.Fuzz(func(t *testing.T, src, event string) {
		file, err := lang.ParseScript("fuzz.tremor", src)
		if err != nil {
			return
		}
		prog, err := Compile(file, src, env)
		if err != nil {
			if strings.Contains(err.Error(), "internal error") {
				t.Fatalf("compile: %v\n--- script:\n%s", err, src)
			}
			return
		}
		ev, err := value.DecodeJSONString(event)
		if err != nil {
			ev = value.NewString(event)
		}
		fr := prog.NewFrame()
		var state value.Value
		for i := 0; i < 2; i++ {
			e, meta := ev.Clone(), value.NullValue
			fr.Event, fr.Meta, fr.State = &e, &meta, &state
			if _, err := prog.Run(fr); err != nil && strings.Contains(err.Error(), "internal error") {
				t.Fatalf("run: %v\n--- script:\n%s\n--- event: %s", err, src, event)
			}
		}
	})
}
