package interceptor

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
)

// stage compiles one interceptor with a JSON config ("" for none).
func stage(t testing.TB, name, cfg string) Stage {
	t.Helper()
	ref := Ref{Name: name}
	if cfg != "" {
		ref.Config = value.MustDecodeJSON(cfg)
	}
	dir := "both"
	s, ok := Builtin().Lookup(name)
	if !ok {
		t.Fatalf("no interceptor %q", name)
	}
	if s.NewPre == nil {
		dir = "write"
	} else if s.NewPost == nil {
		dir = "read"
	}
	st, err := Builtin().Compile([]Ref{ref}, dir)
	if err != nil {
		t.Fatal(err)
	}
	return st[0]
}

func newPre(t testing.TB, name, cfg string) Pre {
	t.Helper()
	st := stage(t, name, cfg)
	p, err := st.Spec.NewPre(st.Config)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func newPost(t testing.TB, name, cfg string) Post {
	t.Helper()
	st := stage(t, name, cfg)
	p, err := st.Spec.NewPost(st.Config)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fed is what a Pre returned for a sequence of chunks: copies of the frames, and the errors.
type fed struct {
	frames []string
	errs   []string
}

// feed gives p the chunks, then calls Finish, copying every frame at once (the frames are only
// valid until the next call).
func feed(p Pre, chunks [][]byte) fed {
	var r fed
	var ingest uint64
	collect := func(frames [][]byte, err error) {
		for _, f := range frames {
			r.frames = append(r.frames, string(f))
		}
		if err != nil {
			r.errs = append(r.errs, err.Error())
		}
	}
	for _, c := range chunks {
		collect(p.Process(c, &ingest))
	}
	collect(p.Finish(&ingest))
	return r
}

// post runs frames through p and returns the concatenated output.
func post(t testing.TB, p Post, frames []string) []byte {
	t.Helper()
	var out []byte
	for _, f := range frames {
		chunks, err := p.Process([]byte(f), 0)
		if err != nil {
			t.Fatalf("post %q: %v", f, err)
		}
		for _, c := range chunks {
			out = append(out, c...)
		}
	}
	chunks, err := p.Finish(0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out
}

// bytewise splits data into one-byte chunks.
func bytewise(data []byte) [][]byte {
	out := make([][]byte, len(data))
	for i := range data {
		out[i] = data[i : i+1 : i+1]
	}
	return out
}

// randomSplit splits data into chunks of 0 to max bytes, deterministically for a seed. Chunks are
// copies, so a stage aliasing one can not see another.
func randomSplit(data []byte, seed uint64, max int) [][]byte {
	r := rand.New(rand.NewPCG(seed, 7))
	var out [][]byte
	for len(data) > 0 {
		n := min(r.IntN(max+1), len(data))
		out = append(out, bytes.Clone(data[:n]))
		data = data[n:]
	}
	return out
}

// one makes a single chunk.
func one(s string) [][]byte { return [][]byte{[]byte(s)} }

// chunks makes chunks from strings.
func chunks(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

func eqFrames(t testing.TB, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d frames, want %d: %s", what, len(got), len(want), short(got))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: frame %d is %s, want %s", what, i, short([]string{got[i]}), short([]string{want[i]}))
		}
	}
}

func noErrs(t testing.TB, what string, r fed) {
	t.Helper()
	if len(r.errs) > 0 {
		t.Fatalf("%s: unexpected errors %q", what, r.errs)
	}
}

// short renders frames for messages, eliding long ones.
func short(fs []string) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		if len(f) > 60 {
			f = fmt.Sprintf("%s...(%d bytes)", f[:40], len(f))
		}
		parts[i] = fmt.Sprintf("%q", f)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// binaryFrame is n pseudo-random bytes (never the byte avoid, when avoid >= 0).
func binaryFrame(n int, seed uint64, avoid int) string {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		for {
			b[i] = byte(r.UintN(256))
			if int(b[i]) != avoid {
				break
			}
		}
	}
	return string(b)
}

func mustJSON(s string) value.Value { return value.MustDecodeJSON(s) }
