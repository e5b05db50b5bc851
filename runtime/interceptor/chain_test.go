package interceptor

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/rillstream/rill/runtime/config"
)

// chains builds the read and write chains of a two-way `interceptors` list as the host does: the
// write sides in reverse order.
func chains(t testing.TB, names ...string) (*ReadChain, *WriteChain) {
	t.Helper()
	refs := make([]Ref, len(names))
	for i, n := range names {
		refs[i] = Ref{Name: n}
	}
	st, err := Builtin().Compile(refs, "both")
	if err != nil {
		t.Fatal(err)
	}
	rc, err := NewReadChain(st)
	if err != nil {
		t.Fatal(err)
	}
	rev := slices.Clone(st)
	slices.Reverse(rev)
	wc, err := NewWriteChain(rev)
	if err != nil {
		t.Fatal(err)
	}
	return rc, wc
}

func TestChainsRoundTrip(t *testing.T) {
	text := []string{"hello", "", "world", strings.Repeat("long line ", 500), `{"a":1}`}
	for _, names := range [][]string{
		{"lines"},
		{"lines", "base64"},
		{"lines", "base64", "gzip"},
		{"lines", "base64", "zstd", "remove-empty"},
		{"length-prefixed", "snappy"},
		{"length-prefixed", "zlib", "base64"},
		{"textual-length-prefixed", "gzip"},
		{"length-prefixed", "ingest-ns"},
		{"base64", "lines"}, // odd but valid: the base64 of the whole newline-ended frame
		{},
	} {
		t.Run(strings.Join(names, ","), func(t *testing.T) {
			want := text
			if slices.Contains(names, "remove-empty") {
				want = slices.DeleteFunc(slices.Clone(text), func(s string) bool { return s == "" })
			}
			framed := slices.ContainsFunc(names, func(n string) bool { return strings.Contains(n, "length-prefixed") || n == "lines" })
			rc, wc := chains(t, names...)
			data := post(t, wc, text)
			splits := map[string][][]byte{"whole": {data}}
			if framed && names[0] != "base64" {
				splits["bytewise"] = bytewise(data)
				splits["random"] = randomSplit(data, 42, 100)
			} else {
				// Without framing every frame must arrive as one chunk.
				splits = map[string][][]byte{"per frame": nil}
				_, wc := chains(t, names...)
				for _, f := range text {
					splits["per frame"] = append(splits["per frame"], post(t, wc, []string{f}))
				}
			}
			for split, cs := range splits {
				rc2, _ := chains(t, names...)
				for _, c := range []*ReadChain{rc, rc2} {
					r := feed(c, cs)
					noErrs(t, split, r)
					eqFrames(t, split, r.frames, want)
				}
			}
		})
	}
}

// Several frames out of a stage that reuses its buffer (base64) must not overwrite each other:
// the chain copies them once a stage is called twice.
func TestChainCopiesFramesOfStagesCalledTwice(t *testing.T) {
	rc, _ := chains(t, "lines", "base64")
	var ingest uint64
	frames, err := rc.Process([]byte("YQ==\nYmI=\nY2Nj\n"), &ingest)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range frames {
		got = append(got, string(f))
	}
	eqFrames(t, "three lines", got, []string{"a", "bb", "ccc"})
	// A chain of one stage, or of stages called once each, copies nothing.
	rc, _ = chains(t, "lines")
	in := []byte("a\nb\n")
	frames, _ = rc.Process(in, &ingest)
	if &frames[0][0] != &in[0] || &frames[1][0] != &in[2] {
		t.Fatal("lines alone copied its frames")
	}
	rc, _ = chains(t, "length-prefixed", "remove-empty")
	in = []byte(header(2) + "ab")
	frames, _ = rc.Process(in, &ingest)
	if &frames[0][0] != &in[8] {
		t.Fatal("a chain of 1:1 stages copied its frame")
	}
}

func TestChainErrorsKeepTheOtherFrames(t *testing.T) {
	rc, _ := chains(t, "lines", "base64")
	var ingest uint64
	frames, err := rc.Process([]byte("YQ==\n!!\nYmI=\n??\nY2Nj\n"), &ingest)
	var got []string
	for _, f := range frames {
		got = append(got, string(f))
	}
	eqFrames(t, "around errors", got, []string{"a", "bb", "ccc"})
	if err == nil || err.Error() != "base64: invalid base64: illegal base64 data at input byte 0; base64: invalid base64: illegal base64 data at input byte 0" {
		t.Fatalf("error %v", err)
	}
	var ce *chainErrors
	if !errors.As(err, &ce) || len(ce.Unwrap()) != 2 {
		t.Fatalf("error %#v does not unwrap to two errors", err)
	}
	frames, err = rc.Process([]byte("ZA==\n"), &ingest)
	if err != nil || len(frames) != 1 || string(frames[0]) != "d" {
		t.Fatalf("after errors: %q, %v", frames, err)
	}
	// An error of the first stage goes with the frames that came before and after it.
	r := feed(newLinesLimitedChain(t), chunks("YQ==\n", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAA\nYmI=\n"))
	eqFrames(t, "too long line", r.frames, []string{"a", "bb"})
	if len(r.errs) != 1 || !strings.HasPrefix(r.errs[0], "lines: a line longer than max_length (8 bytes)") {
		t.Fatalf("errors %q", r.errs)
	}
}

func newLinesLimitedChain(t *testing.T) *ReadChain {
	st, err := Builtin().Compile([]Ref{{Name: "lines", Config: mustJSON(`{"max_length": 8}`)}, {Name: "base64"}}, "read")
	if err != nil {
		t.Fatal(err)
	}
	rc, err := NewReadChain(st)
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

func TestChainFinishFlowsThroughLaterStages(t *testing.T) {
	rc, _ := chains(t, "lines", "base64", "remove-empty")
	var ingest uint64
	frames, err := rc.Process([]byte("YQ==\nYmI="), &ingest)
	if err != nil || len(frames) != 1 || string(frames[0]) != "a" {
		t.Fatalf("%q, %v", frames, err)
	}
	frames, err = rc.Finish(&ingest)
	if err != nil || len(frames) != 1 || string(frames[0]) != "bb" {
		t.Fatalf("finish: %q, %v", frames, err)
	}
	rc, _ = chains(t, "length-prefixed", "base64")
	rc.Process([]byte(header(10)+"abc"), &ingest)
	if _, err := rc.Finish(&ingest); err == nil || !strings.HasPrefix(err.Error(), "length-prefixed: the stream ended inside a frame") {
		t.Fatalf("finish inside a frame: %v", err)
	}
}

func TestChainIngestNsPerFrame(t *testing.T) {
	rc, _ := chains(t, "length-prefixed", "ingest-ns")
	var data []byte
	for i, f := range []string{"a", "b", "c"} {
		p := header(uint64(100 + i))
		data = append(data, header(uint64(len(p)+len(f)))...)
		data = append(data, p+f...)
	}
	ingest := uint64(1)
	frames, err := rc.Process(data, &ingest)
	if err != nil || len(frames) != 3 {
		t.Fatalf("%q, %v", frames, err)
	}
	for i := range frames {
		if rc.IngestNs(i) != uint64(100+i) {
			t.Errorf("frame %d: ingest %d", i, rc.IngestNs(i))
		}
	}
	if ingest != 102 {
		t.Errorf("*ingestNs is %d, want the last frame's", ingest)
	}
	// Without ingest-ns every frame has the chunk's time.
	rc, _ = chains(t, "lines")
	ingest = 7
	rc.Process([]byte("a\nb\n"), &ingest)
	if rc.IngestNs(0) != 7 || rc.IngestNs(1) != 7 {
		t.Error("lines changed the ingest time")
	}
}

func TestWriteChainErrorWritesNothing(t *testing.T) {
	failing := &Spec{Name: "fail", NewPost: func(config.Values) (Post, error) { return failPost{}, nil }}
	st := []Stage{{Spec: mustLookup(t, "base64")}, {Spec: failing}}
	wc, err := NewWriteChain(st)
	if err != nil {
		t.Fatal(err)
	}
	out, err := wc.Process([]byte("x"), 0)
	if out != nil || err == nil || err.Error() != "fail: no" {
		t.Fatalf("%q, %v", out, err)
	}
}

func TestChainsRejectMissingSides(t *testing.T) {
	if _, err := NewReadChain([]Stage{{Spec: mustLookup(t, "compress")}}); err == nil {
		t.Error("a read chain of compress was built")
	}
	if _, err := NewWriteChain([]Stage{{Spec: mustLookup(t, "decompress")}}); err == nil {
		t.Error("a write chain of decompress was built")
	}
}

func mustLookup(t *testing.T, name string) *Spec {
	s, ok := Builtin().Lookup(name)
	if !ok {
		t.Fatalf("no %s", name)
	}
	return s
}

type failPost struct{}

func (failPost) Process([]byte, uint64) ([][]byte, error) { return nil, errors.New("no") }
func (failPost) Finish(uint64) ([][]byte, error)          { return nil, nil }
