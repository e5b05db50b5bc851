package interceptor

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

// benchLines is about 1 MiB of JSON-ish lines of ~100 bytes.
var benchLines = func() []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < 1<<20; i++ {
		b.WriteString(`{"id":`)
		b.WriteString(strings.Repeat("7", i%10+1))
		b.WriteString(`,"msg":"a log line of moderate length for benchmarks","level":"info"}` + "\n")
	}
	return b.Bytes()
}()

// BenchmarkLinesSplit splits benchLines fed in chunks of the given size (a TCP read).
func BenchmarkLinesSplit(b *testing.B) {
	for _, size := range []int{64 << 10, 1500} {
		b.Run(byteSize(size), func(b *testing.B) {
			cs := randomSplit(benchLines, 1, 2*size) // chunks of 0..2*size bytes, size on average
			p := newPre(b, "lines", "")
			var ingest uint64
			b.SetBytes(int64(len(benchLines)))
			b.ReportAllocs()
			for b.Loop() {
				for _, c := range cs {
					if _, err := p.Process(c, &ingest); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkLengthPrefixedSplit is BenchmarkLinesSplit for length-prefixed frames.
func BenchmarkLengthPrefixedSplit(b *testing.B) {
	frames := strings.Split(strings.TrimSuffix(string(benchLines), "\n"), "\n")
	data := post(b, newPost(b, "length-prefixed", ""), frames)
	cs := randomSplit(data, 1, 2*1500)
	p := newPre(b, "length-prefixed", "")
	var ingest uint64
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cs {
			if _, err := p.Process(c, &ingest); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkCompressRoundTrip compresses and decompresses one frame of JSON lines per op.
func BenchmarkCompressRoundTrip(b *testing.B) {
	for _, name := range algorithmNames {
		for _, size := range []int{1 << 10, 64 << 10} {
			b.Run(name+"/"+byteSize(size), func(b *testing.B) {
				frame := benchLines[:size]
				enc, dec := newPost(b, name, ""), newPre(b, name, "")
				var ingest uint64
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					c, err := enc.Process(frame, 0)
					if err != nil {
						b.Fatal(err)
					}
					d, err := dec.Process(c[0], &ingest)
					if err != nil || len(d[0]) != size {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkChainLinesBase64 reads base64 lines through a two-stage chain (which copies frames).
func BenchmarkChainLinesBase64(b *testing.B) {
	frames := strings.Split(strings.TrimSuffix(string(benchLines), "\n"), "\n")
	rc, wc := chains(b, "lines", "base64")
	data := post(b, wc, frames)
	cs := randomSplit(data, 1, 2*1500)
	var ingest uint64
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cs {
			if _, err := rc.Process(c, &ingest); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func byteSize(n int) string {
	if n%(1<<10) == 0 {
		return strconv.Itoa(n>>10) + "KiB"
	}
	return strconv.Itoa(n) + "B"
}
