package interp

import (
	"bufio"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
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

// readLines returns the non-empty lines of a file.
func readLines(t *testing.T, name string) []string {
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

func runGolden(t *testing.T, env *Env, dir string) {
	name := filepath.Join(dir, "script.tremor")
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	in := readLines(t, filepath.Join(dir, "in"))
	wantErr, rerr := os.ReadFile(filepath.Join(dir, "error.txt"))
	errCase := rerr == nil
	f, perr := lang.ParseScript(name, src)
	if perr != nil {
		t.Fatalf("parse error: %v", perr)
	}
	p, cerr := Compile(f, src, env)
	if errCase {
		got := ""
		if cerr != nil {
			got = cerr.Error()
		} else {
			ev := decodeLine(t, in[0])
			meta := value.NewRecordValue(value.NewRec(0))
			state := value.NullValue
			fr := p.NewFrame()
			fr.Event, fr.Meta, fr.State, fr.Ctx = &ev, &meta, &state, testCtx{}
			if _, err := p.Run(fr); err != nil {
				got = err.Error()
			}
		}
		if strings.TrimSpace(got) != strings.TrimSpace(string(wantErr)) {
			t.Errorf("error differs\n--- got:\n%s\n--- want:\n%s", got, wantErr)
		}
		return
	}
	if cerr != nil {
		t.Fatalf("compile error:\n%s", cerr.Error())
	}
	want := readLines(t, filepath.Join(dir, "out"))
	origin, _ := url.Parse("snot://test:23/snot")
	state := value.NullValue
	fr := p.NewFrame()
	var got []string
	for i, line := range in {
		ev := decodeLine(t, line)
		meta := value.NewRecordValue(value.NewRec(0))
		fr.Event, fr.Meta, fr.State = &ev, &meta, &state
		fr.Ctx = testCtx{ingest: uint64(i), origin: origin}
		res, err := p.Run(fr)
		if err != nil {
			t.Fatalf("line %d: runtime error:\n%s", i, err.Error())
		}
		if res.Kind != Drop {
			got = append(got, value.EncodeSorted(res.Value))
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d outputs, want %d\n--- got:\n%s\n--- want:\n%s", len(got), len(want), strings.Join(got, "\n"), strings.Join(want, "\n"))
		return
	}
	for i := range want {
		w, err := value.DecodeJSONString(want[i])
		if err != nil {
			t.Fatalf("out line %d: %v", i, err)
		}
		if ws := value.EncodeSorted(w); got[i] != ws {
			t.Errorf("output %d:\n got: %s\nwant: %s", i, got[i], ws)
		}
	}
}

func decodeLine(t *testing.T, line string) value.Value {
	t.Helper()
	v, err := value.DecodeJSONString(line)
	if err != nil {
		t.Fatalf("bad input line %q: %v", line, err)
	}
	return v
}
