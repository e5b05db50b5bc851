package interp

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/rillstream/rill/internal/golden"
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
)

// goldenCtx is the event context of the golden script harness (spec §7).
type goldenCtx struct {
	ingest uint64
	origin *url.URL
}

func (c goldenCtx) IngestNs() uint64       { return c.ingest }
func (c goldenCtx) Origin() *url.URL       { return c.origin }
func (c goldenCtx) PeerID() string         { return "test" }
func (c goldenCtx) StreamID() uint64       { return 0 }
func (c goldenCtx) EventID() uint64        { return c.ingest }
func (c goldenCtx) WinCardinality() uint64 { return 0 }

// RunGolden runs the golden script case in dir (spec §7), the runner of both TestGoldenScripts
// and `rill test`: dir/{script.tremor,in,out} compares the emitted values, in canonical form,
// with out; dir/{script.tremor,in,error.txt} runs the first input line only (no origin, state
// null) and compares the rendered runtime (or compile) error with error.txt, both trimmed.
// Every line i of in is one event with ingest_ns i, meta {}, origin snot://test:23/snot, and one
// state shared across events. env nil means a fresh &Env{}.
func RunGolden(dir string, env *Env) *golden.Result {
	if env == nil {
		env = &Env{}
	}
	r := &golden.Result{Dir: dir, CompareOut: true}
	name := filepath.Join(dir, "script.tremor")
	b, err := os.ReadFile(name)
	if err != nil {
		r.Problem = err.Error()
		return r
	}
	src := string(b)
	in, err := golden.ReadLines(filepath.Join(dir, "in"))
	if err != nil {
		r.Problem = err.Error()
		return r
	}
	if wantErr, err := os.ReadFile(filepath.Join(dir, "error.txt")); err == nil {
		r.ErrCase, r.CompareOut = true, false
		r.WantErr = strings.TrimSpace(string(wantErr))
	}
	f, perr := lang.ParseScript(name, src)
	if perr != nil {
		r.Problem = fmt.Sprintf("parse error: %v", perr)
		return r
	}
	p, cerr := Compile(f, src, env)
	if r.ErrCase {
		if cerr != nil {
			r.GotErr = strings.TrimSpace(cerr.Error())
			return r
		}
		if len(in) == 0 {
			r.Problem = "in: no input line"
			return r
		}
		ev, err := value.DecodeJSONString(in[0].Text)
		if err != nil {
			r.Problem = fmt.Sprintf("in line %d: %v", in[0].No, err)
			return r
		}
		meta := value.NewRecordValue(value.NewRec(0))
		state := value.NullValue
		fr := p.NewFrame()
		fr.Event, fr.Meta, fr.State, fr.Ctx = &ev, &meta, &state, goldenCtx{}
		if _, err := p.Run(fr); err != nil {
			r.GotErr = strings.TrimSpace(err.Error())
		}
		return r
	}
	if cerr != nil {
		r.Problem = "compile error:\n" + cerr.Error()
		return r
	}
	origin, _ := url.Parse("snot://test:23/snot")
	state := value.NullValue
	fr := p.NewFrame()
	for i, line := range in {
		ev, err := value.DecodeJSONString(line.Text)
		if err != nil {
			r.Problem = fmt.Sprintf("in line %d: %v", line.No, err)
			return r
		}
		meta := value.NewRecordValue(value.NewRec(0))
		fr.Event, fr.Meta, fr.State = &ev, &meta, &state
		fr.Ctx = goldenCtx{ingest: uint64(i), origin: origin}
		res, err := p.Run(fr)
		if err != nil {
			r.Problem = fmt.Sprintf("in line %d: runtime error:\n%s", line.No, err.Error())
			return r
		}
		if res.Kind != Drop {
			r.Got = append(r.Got, value.EncodeSorted(res.Value))
		}
	}
	r.Want, err = golden.ReadOut(filepath.Join(dir, "out"))
	if err != nil {
		r.Problem = err.Error()
	}
	return r
}
