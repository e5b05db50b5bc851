package interceptor

import (
	"bytes"
	"encoding/binary"

	"github.com/klauspost/compress/gzip"
)

func init() {
	registerAlgorithm(&algorithm{
		name:       "gzip",
		magic:      func(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b },
		newDecoder: func(limit int) decoder { return &gzipDecoder{limit: limit} },
		encode:     gzipEncode,
	}, "decompresses every frame from gzip on read and compresses it on write, one gzip member per frame (see max_size)")
}

// gzipDecoder reads one input as gzip; concatenated members are read as one.
type gzipDecoder struct {
	limit int
	src   bytes.Reader
	r     *gzip.Reader // made by the first frame
}

func (d *gzipDecoder) decode(dst, src []byte) ([]byte, error) {
	d.src.Reset(src)
	defer d.src.Reset(nil)
	if d.r == nil {
		r, err := gzip.NewReader(&d.src)
		if err != nil {
			return dst, err
		}
		d.r = r
	} else if err := d.r.Reset(&d.src); err != nil {
		return dst, err
	}
	hint := 4 * len(src)
	if n := len(src); n >= 18 {
		// The trailer's ISIZE is the size of the (last) member's data, modulo 2^32.
		hint = max(hint, int(min(binary.LittleEndian.Uint32(src[n-4:]), uint32(d.limit))))
	}
	return readLimited(dst, d.r, d.limit, hint)
}

// gzipEncode writes one gzip member per frame with pooled writers (about 1 MiB each).
var gzipEncode = pooledEncoder(func() compressor { return gzip.NewWriter(nil) })
