package interceptor

import (
	"bytes"
	"io"

	"github.com/klauspost/compress/zlib"
)

func init() {
	registerAlgorithm(&algorithm{
		name:       "zlib",
		magic:      zlibMagic,
		newDecoder: func(limit int) decoder { return &zlibDecoder{limit: limit} },
		encode:     zlibEncode,
	}, "decompresses every frame from zlib on read and compresses it on write, one zlib stream per frame (see max_size)")
}

// zlibMagic recognizes the zlib headers compressors write: 0x78 (deflate, 32 KiB window) and a
// check byte for one of the four compression levels, without a preset dictionary. Text starting
// with "x^" is taken for zlib too.
func zlibMagic(b []byte) bool {
	if len(b) < 2 || b[0] != 0x78 {
		return false
	}
	switch b[1] {
	case 0x01, 0x5e, 0x9c, 0xda:
		return true
	}
	return false
}

// zlibDecoder reads one input as a zlib stream; bytes after its end are ignored.
type zlibDecoder struct {
	limit int
	src   bytes.Reader
	r     io.ReadCloser // made by the first valid frame
}

func (d *zlibDecoder) decode(dst, src []byte) ([]byte, error) {
	d.src.Reset(src)
	defer d.src.Reset(nil)
	if d.r == nil {
		r, err := zlib.NewReader(&d.src)
		if err != nil {
			return dst, err
		}
		d.r = r
	} else if err := d.r.(zlib.Resetter).Reset(&d.src, nil); err != nil {
		return dst, err
	}
	return readLimited(dst, d.r, d.limit, 4*len(src))
}

// zlibEncode writes one zlib stream per frame with pooled writers (about 1 MiB each).
var zlibEncode = pooledEncoder(func() compressor { return zlib.NewWriter(nil) })
