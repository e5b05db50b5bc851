package interceptor

import (
	"encoding/binary"
	"fmt"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
)

// defaultMaxFrame is the default bound of a length-prefixed frame and of a decompressed frame.
const defaultMaxFrame = 64 << 20

func init() {
	register(&Spec{
		Name: "length-prefixed",
		Doc:  "frames are prefixed by their length as a big-endian u64 (Tremor's length-prefixed); a declared length over max_length is an error that resets the stream's framing",
		Config: []config.Key{
			{Name: "max_length", Type: config.Int, Default: value.NewInt(defaultMaxFrame), Doc: "the longest frame accepted, in bytes"},
		},
		NewPre: func(cfg config.Values) (Pre, error) {
			max, err := positive(cfg, "max_length")
			if err != nil {
				return nil, err
			}
			return &lengthPrefixedPre{max: uint64(max), need: -1}, nil
		},
		NewPost: func(config.Values) (Post, error) { return &lengthPrefixedPost{}, nil },
	})
}

// positive reads an integer key that must be at least 1.
func positive(cfg config.Values, key string) (int, error) {
	n := cfg.Int(key)
	if n < 1 {
		return 0, fmt.Errorf("%s must be a positive number of bytes, not %d", key, n)
	}
	return int(min(n, int64(^uint(0)>>1))), nil
}

// lengthPrefixedPre reassembles frames, each preceded by an 8-byte big-endian length, from
// chunks split anywhere (inside the header too). A frame wholly inside one chunk is returned
// without copying; one spanning chunks is collected, never beyond max bytes, and never
// allocated ahead from its declared length.
//
// A declared length over max is an error and resets the framing: the partial frame and the rest
// of that chunk are dropped, and the next chunk is read as starting with a header. A stream that
// sent such a length is most likely out of step, and there is no way to find the next header in
// it, so what follows mostly yields errors or garbage frames; a peer should rather close it.
// Finish reports a stream that ended inside a header or frame.
type lengthPrefixedPre struct {
	max  uint64
	hdr  [8]byte
	nhdr int     // bytes of hdr read
	need int     // length of the frame being read; -1 while reading a header
	part partial // the frame begun in earlier chunks
	out  [][]byte
}

func (p *lengthPrefixedPre) Process(data []byte, _ *uint64) ([][]byte, error) {
	clear(p.out)
	p.out = p.out[:0]
	for len(data) > 0 {
		if p.need < 0 {
			n := copy(p.hdr[p.nhdr:], data)
			p.nhdr += n
			data = data[n:]
			if p.nhdr < len(p.hdr) {
				break
			}
			p.nhdr = 0
			l := binary.BigEndian.Uint64(p.hdr[:])
			if l > p.max {
				p.reset()
				return p.out, fmt.Errorf("a frame of %d bytes is longer than max_length (%d bytes): the stream's framing was reset", l, p.max)
			}
			p.need = int(l)
			if p.need == 0 {
				p.out = append(p.out, []byte{})
				p.need = -1
				continue
			}
		}
		if p.part.len() == 0 && len(data) >= p.need {
			p.out = append(p.out, data[:p.need:p.need])
			data = data[p.need:]
			p.need = -1
			continue
		}
		n := min(p.need-p.part.len(), len(data))
		p.part.add(data[:n], p.need)
		data = data[n:]
		if p.part.len() == p.need {
			p.out = append(p.out, p.part.take())
			p.need = -1
		}
	}
	return p.out, nil
}

func (p *lengthPrefixedPre) reset() {
	p.nhdr = 0
	p.need = -1
	p.part.reset()
}

func (p *lengthPrefixedPre) Finish(_ *uint64) ([][]byte, error) {
	defer p.reset()
	if p.need >= 0 {
		return nil, fmt.Errorf("the stream ended inside a frame: %d of %d bytes received", p.part.len(), p.need)
	}
	if p.nhdr > 0 {
		return nil, fmt.Errorf("the stream ended inside a frame header: %d of 8 bytes received", p.nhdr)
	}
	return nil, nil
}

// lengthPrefixedPost prepends the 8-byte big-endian length.
type lengthPrefixedPost struct {
	buf []byte
	out [1][]byte
}

func (p *lengthPrefixedPost) Process(data []byte, _ uint64) ([][]byte, error) {
	if cap(p.buf) > keepCap && len(data) < keepCap {
		p.buf = nil
	}
	p.buf = binary.BigEndian.AppendUint64(p.buf[:0], uint64(len(data)))
	p.buf = append(p.buf, data...)
	p.out[0] = p.buf
	return p.out[:], nil
}

func (p *lengthPrefixedPost) Finish(uint64) ([][]byte, error) { return nil, nil }
