package interp

import (
	"net/url"
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
)

// testCtx is the stdlib context of the test harness (spec §7).
type testCtx struct {
	ingest uint64
	origin *url.URL
}

func (c testCtx) IngestNs() uint64       { return c.ingest }
func (c testCtx) Origin() *url.URL       { return c.origin }
func (c testCtx) PeerID() string         { return "test" }
func (c testCtx) StreamID() uint64       { return 0 }
func (c testCtx) EventID() uint64        { return c.ingest }
func (c testCtx) WinCardinality() uint64 { return 0 }

var testEnv = &Env{}

// compileSrc parses and compiles a script.
func compileSrc(t testing.TB, src string) (*Program, error) {
	t.Helper()
	f, err := lang.ParseScript("script.tremor", src)
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, src)
	}
	return Compile(f, src, testEnv)
}

// runLines runs a script over JSON input lines like the golden harness: shared state, fresh meta,
// ingest_ns = line index. Each output is rendered with EncodeSorted (a Drop renders nothing); a
// runtime error renders as "error: <message>".
func runLines(t testing.TB, src string, lines ...string) []string {
	t.Helper()
	p, err := compileSrc(t, src)
	if err != nil {
		return []string{"compile error: " + errMessage(err)}
	}
	var out []string
	state := value.NullValue
	fr := p.NewFrame()
	for i, line := range lines {
		ev, err := value.DecodeJSONString(line)
		if err != nil {
			t.Fatalf("bad input %q: %v", line, err)
		}
		meta := value.NewRecordValue(value.NewRec(0))
		fr.Event, fr.Meta, fr.State = &ev, &meta, &state
		fr.Ctx = testCtx{ingest: uint64(i)}
		res, err := p.Run(fr)
		if err != nil {
			out = append(out, "error: "+errMessage(err))
			continue
		}
		switch res.Kind {
		case Emit, EmitEvent:
			s := value.EncodeSorted(res.Value)
			if res.Port != DefaultPort {
				s = res.Port + " " + s
			}
			out = append(out, s)
		}
	}
	return out
}

func errMessage(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Message()
	}
	return err.Error()
}

// scriptCase is one table entry: a script, inputs, and the expected outputs.
type scriptCase struct {
	name string
	src  string
	in   []string // JSON lines; default: one `{}`
	out  []string // EncodeSorted outputs, "error: msg" or "compile error: msg"
}

func runCases(t *testing.T, cases []scriptCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			if in == nil {
				in = []string{"{}"}
			}
			got := runLines(t, tc.src, in...)
			if strings.Join(got, "\n") != strings.Join(tc.out, "\n") {
				t.Errorf("script:\n%s\ngot:\n  %s\nwant:\n  %s", tc.src, strings.Join(got, "\n  "), strings.Join(tc.out, "\n  "))
			}
		})
	}
}

// runErrValue runs p over one input and returns its *Error (nil when it succeeds).
func runErrValue(t testing.TB, p *Program, input string) *Error {
	t.Helper()
	ev, err := value.DecodeJSONString(input)
	if err != nil {
		t.Fatal(err)
	}
	meta := value.NewRecordValue(value.NewRec(0))
	fr := p.NewFrame()
	fr.Event, fr.Meta = &ev, &meta
	_, err = p.Run(fr)
	if err == nil {
		return nil
	}
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("not an *Error: %T %v", err, err)
	}
	return e
}
