package flow

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/rillstream/rill/internal/checkenv"
	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/lang"
)

// FuzzCompile: any deployment that parses and passes lang.Check compiles to a Deployment or a
// located error — never a panic, whatever its peers' configs hold. Nothing is started.
//
//	go test ./runtime/flow -run x -fuzz FuzzCompile -fuzztime 60s
func FuzzCompile(f *testing.F) {
	for _, glob := range []string{"../../testdata/examples/*.troy", "../../testdata/parse/*.troy"} {
		files, _ := filepath.Glob(glob)
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(string(b))
			}
		}
	}
	f.Add(`define flow f flow define peer p from tcp_server with config = {"url": 1}, codec = {"name": []} end; create peer p; end; deploy flow f;`)
	f.Add(`define flow f flow define peer p from http_client with config = {"url": "http://127.0.0.1:1", "retry": {"max_retries": -1}, "tls": {"ca": 3}}, interceptors = [{"name": "lines", "config": {"separator": ""}}] end; create peer p; end; deploy flow f;`)
	env := checkenv.New()
	f.Fuzz(func(t *testing.T, src string) {
		file, err := lang.Parse("fuzz.troy", src)
		if err != nil {
			return
		}
		if diags, _ := lang.Check(file, lang.CheckOptions{Env: env}); len(diags) > 0 {
			return
		}
		d, err := Compile(file, src, DefaultEnv(&interp.Env{Registry: env.Reg}, ".", nil, io.Discard, io.Discard))
		if err == nil && d == nil {
			t.Fatal("no deployment and no error")
		}
	})
}
