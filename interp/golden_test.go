package interp

import (
	"os"
	"path/filepath"
	"testing"
)

// TestGoldenScripts runs every golden script folder (spec §7, DESIGN.md "Testing"):
// testdata/scripts/<case>/{script.tremor,in,out} compares the outputs, and
// testdata/scripts/<case>/{script.tremor,in,error.txt} the rendered runtime (or compile) error.
func TestGoldenScripts(t *testing.T) {
	dirs, _ := filepath.Glob("../testdata/scripts/*")
	n := 0
	env := &Env{}
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, "script.tremor")); err != nil {
			continue
		}
		n++
		t.Run(filepath.Base(dir), func(t *testing.T) { runGolden(t, env, dir) })
	}
	if n < 30 {
		t.Fatalf("found only %d golden script cases", n)
	}
}

func runGolden(t *testing.T, env *Env, dir string) {
	if r := RunGolden(dir, env); r.Failed() {
		t.Error(r.Report())
	}
}
