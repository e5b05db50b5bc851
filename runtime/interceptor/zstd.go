package interceptor

import (
	"bytes"
	"errors"
	"runtime"
	"sync"

	"github.com/klauspost/compress/zstd"
)

func init() {
	registerAlgorithm(&algorithm{
		name:       "zstd",
		magic:      func(b []byte) bool { return bytes.HasPrefix(b, zstdMagic) },
		newDecoder: func(limit int) decoder { return &zstdDecoder{limit: limit} },
		encode:     zstdEncode,
	}, "decompresses every frame from zstd on read and compresses it on write, one zstd frame per frame (see max_size)")
}

var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// errWindowTooBig is a zstd frame whose window (the history a decoder keeps) exceeds max_size.
var errWindowTooBig = errors.New("window too big")

// zstdDecoder reads one input as zstd frames. Its decoder is made by the first frame (making one
// is expensive) and decodes synchronously, with no goroutines of its own.
type zstdDecoder struct {
	limit int
	d     *zstd.Decoder
}

func (d *zstdDecoder) decode(dst, src []byte) ([]byte, error) {
	if d.d == nil {
		dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(uint64(d.limit)))
		if err != nil {
			return dst, err
		}
		d.d = dec
	}
	out, err := d.d.DecodeAll(src, dst)
	switch {
	case errors.Is(err, zstd.ErrWindowSizeExceeded):
		// A single-segment frame's window is its content size: name that.
		var h zstd.Header
		if h.Decode(src) == nil && h.HasFCS && h.FrameContentSize > uint64(d.limit) {
			return dst, errTooBig
		}
		return dst, errWindowTooBig
	case errors.Is(err, zstd.ErrDecoderSizeExceeded) || len(out)-len(dst) > d.limit:
		return dst, errTooBig
	}
	return out, err
}

// zstdEncoder is shared by all streams: EncodeAll may run concurrently, up to GOMAXPROCS
// frames at a time, each with its own tables (about 1.5 MiB).
var zstdEncoder = sync.OnceValues(func() (*zstd.Encoder, error) {
	return zstd.NewWriter(nil, zstd.WithEncoderConcurrency(runtime.GOMAXPROCS(0)), zstd.WithZeroFrames(true))
})

func zstdEncode(dst, src []byte) ([]byte, error) {
	e, err := zstdEncoder()
	if err != nil {
		return dst, err
	}
	return e.EncodeAll(src, dst), nil
}
