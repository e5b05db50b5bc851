package interceptor

import (
	"slices"
	"strings"
	"testing"
)

func TestRegistryHoldsTremorsNames(t *testing.T) {
	want := []string{"base64", "compress", "decompress", "gzip", "ingest-ns", "length-prefixed", "lines",
		"remove-empty", "separate", "snappy", "textual-length-prefixed", "zlib", "zstd"}
	if got := Builtin().Names(); !slices.Equal(got, want) {
		t.Fatalf("names %q", got)
	}
	for _, s := range Builtin().Specs() {
		if s.Doc == "" || strings.HasSuffix(s.Doc, ".") {
			t.Errorf("%s: doc %q (one sentence without a final period)", s.Name, s.Doc)
		}
		dir := "both"
		if s.NewPre == nil {
			dir = "write"
		} else if s.NewPost == nil {
			dir = "read"
		}
		ref := Ref{Name: s.Name}
		if s.Name == "compress" {
			ref.Config = mustJSON(`{"algorithm": "gzip"}`)
		}
		if _, err := Builtin().Compile([]Ref{ref}, dir); err != nil {
			t.Errorf("%s with its defaults: %v", s.Name, err)
		}
	}
}

// Every two-way interceptor gives back what it wrote, frame by frame, and a second instance
// (another stream) does the same on the same bytes.
func TestEveryTwoWayInterceptorRoundTrips(t *testing.T) {
	frames := []string{"hello", "world", `{"a":[1,2,3]}`, binaryFrame(5000, 9, '\n'), "x"}
	n := 0
	for _, s := range Builtin().Specs() {
		if s.NewPre == nil || s.NewPost == nil {
			continue
		}
		n++
		t.Run(s.Name, func(t *testing.T) {
			enc := newPost(t, s.Name, "")
			pres := []Pre{newPre(t, s.Name, ""), newPre(t, s.Name, "")}
			for i, f := range frames {
				cs, err := enc.Process([]byte(f), uint64(i))
				if err != nil {
					t.Fatal(err)
				}
				var unit []byte
				for _, c := range cs {
					unit = append(unit, c...)
				}
				for _, p := range pres {
					var ingest uint64
					out, err := p.Process(unit, &ingest)
					if err != nil || len(out) != 1 || string(out[0]) != f {
						t.Fatalf("frame %d: %d frames, %v", i, len(out), err)
					}
				}
			}
		})
	}
	if n != 10 {
		t.Fatalf("%d two-way interceptors", n)
	}
}
