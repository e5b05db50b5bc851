package interceptor

import (
	"bytes"

	"github.com/klauspost/compress/s2"
)

func init() {
	registerAlgorithm(&algorithm{
		name:       "snappy",
		magic:      func(b []byte) bool { return bytes.HasPrefix(b, snappyMagic) },
		newDecoder: func(limit int) decoder { return &snappyDecoder{limit: limit} },
		encode:     snappyEncode,
	}, "decompresses every frame from the snappy framing format on read and compresses it on write, one snappy stream per frame (see max_size)")
}

// snappyMagic is the stream identifier chunk that starts a snappy framed stream.
var snappyMagic = []byte{0xff, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y'}

// snappyBlock is the largest uncompressed chunk of the snappy framing format.
const snappyBlock = 64 << 10

// snappyDecoder reads one input as a snappy framed stream (Tremor writes them with the snap
// crate's FrameEncoder). The reader also accepts S2's extension of the format.
type snappyDecoder struct {
	limit int
	src   bytes.Reader
	r     *s2.Reader // made by the first frame
}

func (d *snappyDecoder) decode(dst, src []byte) ([]byte, error) {
	d.src.Reset(src)
	defer d.src.Reset(nil)
	if d.r == nil {
		d.r = s2.NewReader(&d.src, s2.ReaderMaxBlockSize(snappyBlock))
	} else {
		d.r.Reset(&d.src)
	}
	return readLimited(dst, d.r, d.limit, 2*len(src))
}

// snappyEncode writes one snappy framed stream per frame with pooled framing writers, which
// write synchronously.
var snappyEncode = pooledEncoder(func() compressor {
	return s2.NewWriter(nil, s2.WriterSnappyCompat(), s2.WriterConcurrency(1))
})
