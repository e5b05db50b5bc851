package interceptor

// Compression (gzip.go, zlib.go, zstd.go, snappy.go, decompress.go, and here `compress`) works
// PER FRAME, as Tremor's pre- and postprocessors do: the read side takes every input it gets (a
// chunk from the peer, or a frame from the stage before it) as one complete compressed unit and
// returns it decompressed as one frame; the write side compresses every frame into one complete
// unit (a gzip member, a zlib stream, a zstd frame, a snappy framed stream with its stream
// identifier). Nothing is carried from one frame to the next, so a compressed byte stream split
// arbitrarily (TCP) needs a framing stage before it: ["length-prefixed", "gzip"], say.
//
// The decompressed size is bounded by `max_size` (default 64 MiB): a frame that would decompress
// to more is an error, found while decompressing, so a decompression bomb never makes a stream
// allocate more than a small multiple of max_size (the output buffer grows by doubling; zstd may
// hold twice max_size, transiently, for an input of several frames). Decompressors are made lazily, once per stream instance, and reused for its frames.
// Compressors hold about 1 MiB of tables each (gzip, zlib, zstd), so they are not kept per
// stream: the write sides borrow them from process-wide pools for the length of one frame,
// and idle streams hold none.

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
)

// algorithms are the compression algorithms by name, for `compress` and `decompress`.
var algorithms = map[string]*algorithm{}

// algorithm is one compression format.
type algorithm struct {
	name string
	// magic reports whether data starts like a unit of this format (for `decompress`).
	magic func(data []byte) bool
	// newDecoder returns a decompressor for one stream, bounded to limit bytes per unit.
	newDecoder func(limit int) decoder
	// encode appends one compressed unit holding src to dst.
	encode func(dst, src []byte) ([]byte, error)
}

// decoder decompresses whole units for one stream.
type decoder interface {
	// decode appends the decompression of src to dst, failing with errTooBig when it would
	// hold more than max bytes.
	decode(dst, src []byte) ([]byte, error)
}

// registerAlgorithm declares the interceptor named after a in both directions.
func registerAlgorithm(a *algorithm, doc string) {
	algorithms[a.name] = a
	register(&Spec{
		Name:   a.name,
		Doc:    doc,
		Config: []config.Key{maxSizeKey},
		NewPre: func(cfg config.Values) (Pre, error) {
			limit, err := positive(cfg, "max_size")
			if err != nil {
				return nil, err
			}
			return &decompressPre{name: a.name, max: limit, dec: a.newDecoder(limit)}, nil
		},
		NewPost: func(config.Values) (Post, error) { return &compressPost{alg: a}, nil },
	})
}

var maxSizeKey = config.Key{Name: "max_size", Type: config.Int, Default: value.NewInt(defaultMaxFrame),
	Doc: "the largest decompressed frame accepted, in bytes"}

var errTooBig = errors.New("too big")

func init() {
	register(&Spec{
		Name: "compress",
		Doc:  "compresses every frame on write with the given algorithm, one complete compressed unit per frame",
		Config: []config.Key{
			{Name: "algorithm", Type: config.String, Required: true, Enum: []string{"gzip", "zlib", "zstd", "snappy"}, Doc: "the compression algorithm"},
		},
		NewPost: func(cfg config.Values) (Post, error) {
			name := cfg.String("algorithm")
			a := algorithms[name]
			if a == nil {
				return nil, fmt.Errorf("unknown compression algorithm %q: expected gzip, zlib, zstd or snappy", name)
			}
			return &compressPost{alg: a}, nil
		},
	})
}

// decompressPre decompresses every input as one unit of one algorithm. Frames alias a buffer
// reused by the next call.
type decompressPre struct {
	name string
	max  int
	dec  decoder
	buf  []byte
	out  [1][]byte
}

func (p *decompressPre) Process(data []byte, _ *uint64) ([][]byte, error) {
	f, err := p.decode(data)
	if err != nil {
		return nil, err
	}
	p.out[0] = f
	return p.out[:], nil
}

// keepDecompressed is the largest decompression buffer a stream keeps between frames.
const keepDecompressed = 256 << 10

func (p *decompressPre) decode(data []byte) ([]byte, error) {
	out, err := p.dec.decode(p.buf[:0], data)
	if cap(out) <= keepDecompressed {
		p.buf = out
	} else {
		p.buf = nil
	}
	if err != nil {
		return nil, decodeError(p.name, p.max, err)
	}
	return out[:len(out):len(out)], nil
}

func decodeError(name string, max int, err error) error {
	switch {
	case errors.Is(err, errTooBig):
		return fmt.Errorf("the %s frame decompresses to more than max_size (%d bytes)", name, max)
	case errors.Is(err, errWindowTooBig):
		return fmt.Errorf("the %s frame needs a window larger than max_size (%d bytes)", name, max)
	}
	return fmt.Errorf("invalid %s data: %w", name, err)
}

func (p *decompressPre) Finish(*uint64) ([][]byte, error) { return nil, nil }

// compressPost compresses every frame into one unit. Chunks alias a buffer reused by the next
// call.
type compressPost struct {
	alg *algorithm
	buf []byte
	out [1][]byte
}

func (p *compressPost) Process(data []byte, _ uint64) ([][]byte, error) {
	if cap(p.buf) > keepCap {
		p.buf = nil
	}
	out, err := p.alg.encode(p.buf[:0], data)
	if err != nil {
		return nil, fmt.Errorf("%s compression failed: %w", p.alg.name, err)
	}
	p.buf = out
	p.out[0] = out[:len(out):len(out)]
	return p.out[:], nil
}

func (p *compressPost) Finish(uint64) ([][]byte, error) { return nil, nil }

// readLimited appends everything r yields to dst, failing with errTooBig past limit bytes. It
// starts with room for hint bytes and grows by doubling, never beyond limit+1 bytes.
func readLimited(dst []byte, r io.Reader, limit, hint int) ([]byte, error) {
	start := len(dst)
	if cap(dst)-start < 512 {
		dst = growTo(dst, start+min(max(hint, 512), limit+1))
	}
	for {
		if len(dst) == cap(dst) {
			if len(dst)-start > limit {
				return dst, errTooBig
			}
			dst = growTo(dst, start+min(2*(cap(dst)-start), limit+1))
		}
		n, err := r.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+n]
		if len(dst)-start > limit {
			return dst, errTooBig
		}
		if err == io.EOF {
			return dst, nil
		}
		if err != nil {
			return dst, err
		}
	}
}

// growTo returns dst with a capacity of at least n.
func growTo(dst []byte, n int) []byte {
	if cap(dst) >= n {
		return dst
	}
	d := make([]byte, len(dst), n)
	copy(d, dst)
	return d
}

// compressor is a streaming compressor that pooledEncoder reuses: Reset starts a new unit
// written to w, Close ends it.
type compressor interface {
	io.WriteCloser
	Reset(w io.Writer)
}

// pooledEncoder returns an algorithm's encode function that compresses each frame with a
// compressor borrowed from a process-wide pool (made by newCompressor) for the length of one
// frame, so idle streams hold none.
func pooledEncoder(newCompressor func() compressor) func(dst, src []byte) ([]byte, error) {
	pool := sync.Pool{New: func() any { return newCompressor() }}
	return func(dst, src []byte) ([]byte, error) {
		w := pool.Get().(compressor)
		defer pool.Put(w)
		out := appendWriter{b: dst}
		w.Reset(&out)
		defer w.Reset(nil)
		if _, err := w.Write(src); err != nil {
			return dst, err
		}
		if err := w.Close(); err != nil {
			return dst, err
		}
		return out.b, nil
	}
}

// appendWriter is an io.Writer appending to a slice.
type appendWriter struct{ b []byte }

func (w *appendWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}
