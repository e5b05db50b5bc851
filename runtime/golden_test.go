package runtime

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/stdlib"
)

// testEnv tells the static checker about the standard library (what cmd/rill's checkEnv does).
type testEnv = stdEnv

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

// TestGoldenQueries runs every testdata/queries/<case>/{query.trickle,in,out} folder through
// RunGolden (spec §7), the runner `rill test` uses too.
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
	if r := RunGolden(dir); r.Failed() {
		t.Error(r.Report())
	}
}
