package interceptor

import (
	"bytes"
	"slices"
	"testing"
)

// fuzzCase is an interceptor with a config, and the largest frame it may return (0: no bound
// checked).
type fuzzCase struct {
	name, cfg string
	bound     int
}

// fuzzCases are the read sides the fuzz targets pick from with the first byte of their input;
// small bounds make the limits reachable.
var fuzzCases = []fuzzCase{
	{"lines", "", 1 << 20},
	{"lines", `{"max_length": 16}`, 16},
	{"lines", `{"max_length": 16, "buffered": false, "separator": " "}`, 16},
	{"length-prefixed", "", 64 << 20},
	{"length-prefixed", `{"max_length": 64}`, 64},
	{"textual-length-prefixed", "", 64 << 20},
	{"textual-length-prefixed", `{"max_length": 64}`, 64},
	{"base64", "", 0},
	{"remove-empty", "", 0},
	{"ingest-ns", "", 0},
	{"gzip", `{"max_size": 4096}`, 4096},
	{"zlib", `{"max_size": 4096}`, 4096},
	{"zstd", `{"max_size": 4096}`, 4096},
	{"snappy", `{"max_size": 4096}`, 4096},
	{"decompress", `{"max_size": 4096}`, 4096},
	{"decompress", "", 64 << 20},
}

// fuzzChunks splits data into chunks: each starts with a byte giving its length (mod 64), the
// last takes what is left.
func fuzzChunks(data []byte) [][]byte {
	var out [][]byte
	for len(data) > 0 {
		n := min(int(data[0]%64), len(data)-1)
		out = append(out, data[1:1+n])
		data = data[1+n:]
	}
	return out
}

// unchunk is the inverse of fuzzChunks for a seed corpus entry: chunks of up to 63 bytes.
func unchunk(data []byte, size int) []byte {
	var out []byte
	for len(data) > 0 {
		n := min(size, len(data))
		out = append(out, byte(n))
		out = append(out, data[:n]...)
		data = data[n:]
	}
	return out
}

func fuzzSeeds(f *testing.F) {
	frames := []string{"hello", "", "a somewhat longer frame of text", "x"}
	for i, c := range fuzzCases {
		var units [][]byte
		if s, _ := Builtin().Lookup(c.name); s.NewPost != nil {
			p := newPost(f, c.name, "")
			for _, fr := range frames {
				cs, _ := p.Process([]byte(fr), 42)
				for _, x := range cs {
					units = append(units, bytes.Clone(x))
				}
			}
		} else {
			for _, a := range algorithmNames {
				units = append(units, post(f, newPost(f, a, ""), frames[2:3]))
			}
			units = append(units, []byte("plain"))
		}
		// The whole stream in chunks of 7, and each unit as one chunk.
		f.Add(append([]byte{byte(i)}, unchunk(bytes.Join(units, nil), 7)...))
		var per []byte
		for _, u := range units {
			per = append(per, unchunk(u, 63)...)
		}
		f.Add(append([]byte{byte(i)}, per...))
	}
	f.Add([]byte{4, 9, 0, 0, 0, 0, 0, 0, 0, 200, 1})
	f.Add([]byte{6, 5, '9', '9', '9', '9', ' '})
}

// FuzzPre feeds arbitrary chunks to a read side picked by the first byte. It never panics,
// never returns a frame over the case's bound, never grows a partial frame beyond its limit,
// never modifies its input, and a line splitter gives the same lines however the bytes are
// chunked.
func FuzzPre(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		c := fuzzCases[int(data[0])%len(fuzzCases)]
		input := bytes.Clone(data[1:])
		cs := fuzzChunks(data[1:])
		p := newPre(t, c.name, c.cfg)
		var frames []string
		failed := false
		check := func(out [][]byte, err error) {
			if err != nil {
				failed = true
			}
			for _, fr := range out {
				if c.bound > 0 && len(fr) > c.bound {
					t.Fatalf("%s %s: a frame of %d bytes, bound %d", c.name, c.cfg, len(fr), c.bound)
				}
				frames = append(frames, string(fr))
			}
			if c.bound > 0 {
				if n := partialCap(p); n > c.bound {
					t.Fatalf("%s %s: a partial frame buffer of %d bytes, bound %d", c.name, c.cfg, n, c.bound)
				}
			}
		}
		var ingest uint64
		for _, ch := range cs {
			check(p.Process(ch, &ingest))
		}
		check(p.Finish(&ingest))
		if !bytes.Equal(input, data[1:]) {
			t.Fatalf("%s modified its input", c.name)
		}
		// Framing does not depend on chunking (for length-prefixed stages only while no error
		// reset the framing, since a reset drops the rest of a chunk).
		framing := c.name == "lines" && c.cfg != fuzzCases[2].cfg || (c.name == "length-prefixed" || c.name == "textual-length-prefixed") && !failed
		if framing {
			whole := feed(newPre(t, c.name, c.cfg), [][]byte{bytes.Join(cs, nil)})
			if !slices.Equal(whole.frames, frames) {
				t.Fatalf("%s %s: chunked %s, whole %s", c.name, c.cfg, short(frames), short(whole.frames))
			}
		}
	})
}

// partialCap is the capacity of the buffer in which p keeps a partial frame (0 for stages
// without one).
func partialCap(p Pre) int {
	switch p := p.(type) {
	case *linesPre:
		return cap(p.part.cur)
	case *lengthPrefixedPre:
		return cap(p.part.cur)
	case *textualLengthPrefixedPre:
		return cap(p.part.cur)
	}
	return 0
}

// FuzzRoundTrip writes frames (the input after its first two bytes, split on newlines) with a
// two-way interceptor picked by the first byte and reads them back in chunks picked by the
// second: the frames come back unchanged (remove-empty drops the empty ones).
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte{0, 3, 'a', '\n', 'b'})
	f.Add([]byte{4, 1, 'h', 'e', 'l', 'l', 'o', '\n', '\n', 0xff, 0})
	f.Fuzz(fuzzRoundTripBody)
}

// fuzzRoundTripBody is one run of FuzzRoundTrip.
func fuzzRoundTripBody(t *testing.T, data []byte) {
	if len(data) < 2 {
		return
	}
	var names []string
	for _, s := range Builtin().Specs() {
		if s.NewPre != nil && s.NewPost != nil {
			names = append(names, s.Name)
		}
	}
	name := names[int(data[0])%len(names)]
	frames := bytes.Split(data[2:], []byte("\n"))
	var want []string
	enc, dec := newPost(t, name, ""), newPre(t, name, "")
	var stream []byte
	var units [][]byte
	for _, fr := range frames {
		if name != "remove-empty" || len(fr) > 0 {
			want = append(want, string(fr))
		}
		cs, err := enc.Process(fr, 77)
		if err != nil {
			t.Fatal(err)
		}
		var unit []byte
		for _, c := range cs {
			unit = append(unit, c...)
		}
		stream = append(stream, unit...)
		units = append(units, unit)
	}
	cs := units // per-frame stages take each unit as one chunk
	if name == "lines" || name == "length-prefixed" || name == "textual-length-prefixed" {
		cs = randomSplit(stream, uint64(data[1]), int(data[1])%32+1)
	} else if name == "remove-empty" {
		cs = slices.DeleteFunc(cs, func(u []byte) bool { return len(u) == 0 })
	}
	r := feed(dec, cs)
	if len(r.errs) > 0 {
		t.Fatalf("%s: errors %q", name, r.errs)
	}
	if !slices.Equal(r.frames, want) {
		t.Fatalf("%s: got %s, want %s", name, short(r.frames), short(want))
	}
}
