package interceptor

import (
	"bytes"
	stdgzip "compress/gzip"
	stdzlib "compress/zlib"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
)

var compressFrames = []string{
	"hello",
	"",
	strings.Repeat(`{"event":"compressible","n":12345}`, 3000),
	binaryFrame(200<<10, 5, -1), // incompressible, several snappy blocks
	"x",
}

var algorithmNames = []string{"gzip", "zlib", "zstd", "snappy"}

func TestCompressionRoundTripPerFrame(t *testing.T) {
	for _, name := range algorithmNames {
		t.Run(name, func(t *testing.T) {
			enc, dec, auto := newPost(t, name, ""), newPre(t, name, ""), newPre(t, "decompress", "")
			via := newPost(t, "compress", `{"algorithm": "`+name+`"}`)
			var ingest uint64
			for _, f := range compressFrames {
				c, err := enc.Process([]byte(f), 0)
				if err != nil || len(c) != 1 {
					t.Fatal(c, err)
				}
				unit := bytes.Clone(c[0])
				if f == "" && name == "snappy" {
					// Like the snap crate's FrameEncoder, nothing is written for nothing.
					if len(unit) != 0 {
						t.Fatalf("snappy wrote % x for an empty frame", unit)
					}
				} else if !algorithms[name].magic(unit) {
					t.Fatalf("%s output % x does not start with its magic bytes", name, unit[:min(len(unit), 12)])
				}
				for _, p := range []Pre{dec, auto} {
					d, err := p.Process(unit, &ingest)
					if err != nil || len(d) != 1 || string(d[0]) != f {
						t.Fatalf("%s of %s: got %d frames, %v", name, short([]string{f}), len(d), err)
					}
				}
				c2, err := via.Process([]byte(f), 0)
				if err != nil || !bytes.Equal(c2[0], unit) {
					t.Fatalf("compress with algorithm %s differs from %s: %v", name, name, err)
				}
			}
		})
	}
}

// Frames written by other implementations (Go's standard library, the snappy framing writer,
// zstd's streaming encoder) are read.
func TestDecompressForeignUnits(t *testing.T) {
	data := strings.Repeat("foreign data ", 1000)
	var gz, zl, sn, zs bytes.Buffer
	w := stdgzip.NewWriter(&gz)
	w.Write([]byte(data))
	w.Close()
	z := stdzlib.NewWriter(&zl)
	z.Write([]byte(data))
	z.Close()
	s := snappy.NewBufferedWriter(&sn)
	s.Write([]byte(data))
	s.Close()
	e, _ := zstd.NewWriter(&zs)
	e.Write([]byte(data))
	e.Close()
	units := map[string][]byte{"gzip": gz.Bytes(), "zlib": zl.Bytes(), "snappy": sn.Bytes(), "zstd": zs.Bytes()}
	for name, u := range units {
		for _, p := range []Pre{newPre(t, name, ""), newPre(t, "decompress", "")} {
			var ingest uint64
			d, err := p.Process(u, &ingest)
			if err != nil || len(d) != 1 || string(d[0]) != data {
				t.Fatalf("%s: %d frames, %v", name, len(d), err)
			}
		}
	}
	// Concatenated gzip members are one frame, as gzip -d reads them.
	two := append(bytes.Clone(gz.Bytes()), gz.Bytes()...)
	r := feed(newPre(t, "gzip", ""), [][]byte{two})
	noErrs(t, "two members", r)
	eqFrames(t, "two members", r.frames, []string{data + data})
}

func TestDecompressInvalidFramesAndGoOn(t *testing.T) {
	for _, name := range algorithmNames {
		good := post(t, newPost(t, name, ""), []string{"good"})
		bad := [][]byte{
			[]byte("not compressed at all"),
			good[:len(good)/2],           // truncated
			append(bytes.Clone(good), 1), // trailing byte (ignored by zlib)
			{},
		}
		for _, p := range []Pre{newPre(t, name, ""), newPre(t, "decompress", "")} {
			var ingest uint64
			errs := 0
			for _, b := range bad {
				if _, err := p.Process(b, &ingest); err != nil {
					errs++
					if !strings.HasPrefix(err.Error(), "invalid "+name+" data: ") {
						t.Errorf("%s: error %q", name, err)
					}
				}
			}
			if errs == 0 {
				t.Errorf("%s: no errors for bad input", name)
			}
			d, err := p.Process(good, &ingest)
			if err != nil || len(d) != 1 || string(d[0]) != "good" {
				t.Fatalf("%s after errors: %q, %v", name, d, err)
			}
		}
	}
}

func TestDecompressPassesOtherFramesThrough(t *testing.T) {
	frames := []string{"plain text", "", "x", "xyz", `{"json": true}`, "\x1f", "\x28\xb5\x2f", "\xff\x06\x00\x00sNaP"}
	r := feed(newPre(t, "decompress", ""), chunks(frames...))
	noErrs(t, "pass through", r)
	eqFrames(t, "pass through", r.frames, frames)
	// Magic bytes with garbage after them are errors.
	for _, bad := range []string{"\x1f\x8bgarbage", "\x78\x9cgarbage", "\x28\xb5\x2f\xfdgarbage", "\xff\x06\x00\x00sNaPpYgarbage"} {
		if r := feed(newPre(t, "decompress", ""), one(bad)); len(r.errs) != 1 || len(r.frames) != 0 {
			t.Errorf("%q: frames %q, errors %q", bad, r.frames, r.errs)
		}
	}
}

// A decompression bomb is an error found while decompressing: what is allocated stays within a
// small multiple of max_size, whatever the frame claims or holds.
func TestDecompressBombsStayBounded(t *testing.T) {
	const limit = 1 << 20
	zeros := make([]byte, 16<<20)
	for _, name := range algorithmNames {
		bomb := bytes.Clone(post(t, newPost(t, name, ""), []string{string(zeros)}))
		for _, p := range []Pre{newPre(t, name, `{"max_size": 1048576}`), newPre(t, "decompress", `{"max_size": 1048576}`)} {
			var ingest uint64
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			d, err := p.Process(bomb, &ingest)
			runtime.ReadMemStats(&after)
			if err == nil || len(d) != 0 || !strings.Contains(err.Error(), "decompresses to more than max_size (1048576 bytes)") {
				t.Fatalf("%s bomb of %d bytes: %d frames, %v", name, len(bomb), len(d), err)
			}
			t.Logf("%s: %d bytes of bomb, %d allocated", name, len(bomb), after.TotalAlloc-before.TotalAlloc)
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 6*limit {
				t.Errorf("%s bomb: %d bytes allocated for max_size %d", name, alloc, limit)
			}
			// Exactly max_size is fine.
			ok := post(t, newPost(t, name, ""), []string{string(zeros[:limit])})
			if d, err := p.Process(ok, &ingest); err != nil || len(d[0]) != limit {
				t.Fatalf("%s of max_size bytes: %v", name, err)
			}
		}
	}
	// zstd without a declared content size (a streaming encoder), and several frames that only
	// together exceed max_size.
	var streamed bytes.Buffer
	e, _ := zstd.NewWriter(&streamed, zstd.WithWindowSize(128<<10))
	e.Write(zeros)
	e.Close()
	half := post(t, newPost(t, "zstd", ""), []string{string(zeros[:limit*3/4])})
	for _, bomb := range [][]byte{streamed.Bytes(), append(bytes.Clone(half), half...)} {
		var ingest uint64
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := newPre(t, "zstd", `{"max_size": 1048576}`).Process(bomb, &ingest)
		runtime.ReadMemStats(&after)
		t.Logf("zstd: %d bytes of bomb, %d allocated", len(bomb), after.TotalAlloc-before.TotalAlloc)
		if err == nil || !strings.Contains(err.Error(), "decompresses to more than max_size") {
			t.Fatalf("zstd bomb of %d bytes: %v", len(bomb), err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 6*limit {
			t.Errorf("zstd bomb: %d bytes allocated for max_size %d", alloc, limit)
		}
	}
	// A window larger than max_size is refused before decoding.
	var wide bytes.Buffer
	e, _ = zstd.NewWriter(&wide, zstd.WithWindowSize(4<<20))
	e.Write(zeros[:2<<20])
	e.Close()
	if _, err := newPre(t, "zstd", `{"max_size": 1048576}`).Process(wide.Bytes(), new(uint64)); err == nil ||
		err.Error() != "the zstd frame needs a window larger than max_size (1048576 bytes)" {
		t.Fatalf("a 4 MiB window: %v", err)
	}
	for _, bad := range []string{`{"max_size": 0}`, `{"max_size": -5}`} {
		if _, err := Builtin().Compile([]Ref{{Name: "gzip", Config: mustJSON(bad)}}, "both"); err == nil {
			t.Errorf("config %s was accepted", bad)
		}
	}
}

func TestDecompressorsAreReusedAndStartNoGoroutines(t *testing.T) {
	g := runtime.NumGoroutine()
	for _, name := range algorithmNames {
		unit := post(t, newPost(t, name, ""), []string{"reuse me"})
		for range 50 {
			p := newPre(t, name, "").(*decompressPre)
			var ingest uint64
			for range 3 {
				if _, err := p.Process(unit, &ingest); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if n := runtime.NumGoroutine(); n > g {
		t.Fatalf("%d goroutines before, %d after", g, n)
	}
	p := newPre(t, "zstd", "").(*decompressPre)
	unit := post(t, newPost(t, "zstd", ""), []string{"reuse me"})
	var ingest uint64
	p.Process(unit, &ingest)
	d := p.dec.(*zstdDecoder).d
	p.Process(unit, &ingest)
	if d == nil || p.dec.(*zstdDecoder).d != d {
		t.Fatal("the zstd decoder was not reused")
	}
}

func TestCompressNeedsAKnownAlgorithm(t *testing.T) {
	for _, cfg := range []string{"", `{"algorithm": "lz4"}`, `{"algorithm": 1}`} {
		ref := Ref{Name: "compress"}
		if cfg != "" {
			ref.Config = mustJSON(cfg)
		}
		if _, err := Builtin().Compile([]Ref{ref}, "write"); err == nil {
			t.Errorf("compress with config %q was accepted", cfg)
		}
	}
	if _, err := Builtin().Compile([]Ref{{Name: "compress", Config: mustJSON(`{"algorithm": "zstd"}`)}}, "read"); err == nil {
		t.Error("compress was accepted on the read side")
	}
	if _, err := Builtin().Compile([]Ref{{Name: "decompress"}}, "both"); err == nil {
		t.Error("decompress was accepted on the write side")
	}
}
