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
	registerPrefixed("length-prefixed",
		"frames are prefixed by their length as a big-endian u64 (Tremor's length-prefixed); a declared length over max_length is an error that resets the stream's framing",
		func(max int) Pre { return &lengthPrefixedPre{newPrefixedPre(&u64Header{max: uint64(max)})} },
		func(dst []byte, n int) []byte { return binary.BigEndian.AppendUint64(dst, uint64(n)) })
}

// registerPrefixed declares a framing interceptor that prefixes each frame with its length:
// newPre makes its read side for the max_length configured, and header appends the header of a
// frame of n bytes to dst for its write side.
func registerPrefixed(name, doc string, newPre func(max int) Pre, header func(dst []byte, n int) []byte) {
	register(&Spec{
		Name: name,
		Doc:  doc,
		Config: []config.Key{
			{Name: "max_length", Type: config.Int, Default: value.NewInt(defaultMaxFrame), Doc: "the longest frame accepted, in bytes"},
		},
		NewPre: func(cfg config.Values) (Pre, error) {
			max, err := positive(cfg, "max_length")
			if err != nil {
				return nil, err
			}
			return newPre(max), nil
		},
		NewPost: func(config.Values) (Post, error) { return &prefixPost{header: header}, nil },
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

// lengthPrefixedPre reassembles frames, each preceded by an 8-byte big-endian length (see
// prefixedPre), from chunks split anywhere (inside the header too). Finish reports a stream that
// ended inside a header or frame.
type lengthPrefixedPre struct{ prefixedPre }

// u64Header reads the 8-byte big-endian length of a length-prefixed frame.
type u64Header struct {
	max  uint64
	hdr  [8]byte
	nhdr int // bytes of hdr read
}

func (h *u64Header) read(data []byte) ([]byte, int, bool, error) {
	n := copy(h.hdr[h.nhdr:], data)
	h.nhdr += n
	data = data[n:]
	if h.nhdr < len(h.hdr) {
		return data, 0, false, nil
	}
	h.nhdr = 0
	l := binary.BigEndian.Uint64(h.hdr[:])
	if l > h.max {
		return nil, 0, false, fmt.Errorf("a frame of %d bytes is longer than max_length (%d bytes): the stream's framing was reset", l, h.max)
	}
	return data, int(l), true, nil
}

func (h *u64Header) unfinished() error {
	if h.nhdr > 0 {
		return fmt.Errorf("the stream ended inside a frame header: %d of 8 bytes received", h.nhdr)
	}
	return nil
}

func (h *u64Header) reset() { h.nhdr = 0 }

// lengthHeader reads the header in front of every frame of a length-prefixed format.
type lengthHeader interface {
	// read consumes header bytes from the front of data and returns the rest. done reports that
	// the header is complete, n being the frame length it declares; otherwise all of data was
	// consumed. An error (a malformed header, a length over max_length) resets the framing.
	read(data []byte) (rest []byte, n int, done bool, err error)
	// unfinished returns the error of a stream that ends now: nil unless a header was begun.
	unfinished() error
	reset()
}

// prefixedPre reassembles frames, each preceded by a header declaring its length, from chunks
// split anywhere. A frame wholly inside one chunk is returned without copying; one spanning
// chunks is collected, never beyond max bytes, and never allocated ahead from its declared
// length.
//
// A declared length over max (or a malformed header) is an error and resets the framing: the
// partial frame and the rest of that chunk are dropped, and the next chunk is read as starting
// with a header. A stream that sent such a header is most likely out of step, and there is no
// way to find the next header in it, so what follows mostly yields errors or garbage frames; a
// peer should rather close it.
type prefixedPre struct {
	hdr  lengthHeader
	need int     // length of the frame being read; -1 while reading a header
	part partial // the frame begun in earlier chunks
	out  [][]byte
}

func newPrefixedPre(hdr lengthHeader) prefixedPre { return prefixedPre{hdr: hdr, need: -1} }

func (p *prefixedPre) Process(data []byte, _ *uint64) ([][]byte, error) {
	clear(p.out)
	p.out = p.out[:0]
	for len(data) > 0 {
		if p.need < 0 {
			var done bool
			var err error
			data, p.need, done, err = p.hdr.read(data)
			if err != nil {
				p.reset()
				return p.out, err
			}
			if !done {
				p.need = -1
				break
			}
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

func (p *prefixedPre) reset() {
	p.hdr.reset()
	p.need = -1
	p.part.reset()
}

func (p *prefixedPre) Finish(_ *uint64) ([][]byte, error) {
	defer p.reset()
	if p.need >= 0 {
		return nil, fmt.Errorf("the stream ended inside a frame: %d of %d bytes received", p.part.len(), p.need)
	}
	return nil, p.hdr.unfinished()
}

// prefixPost prepends a header declaring the frame's length, written by header.
type prefixPost struct {
	header func(dst []byte, n int) []byte
	buf    []byte
	out    [1][]byte
}

func (p *prefixPost) Process(data []byte, _ uint64) ([][]byte, error) {
	if cap(p.buf) > keepCap && len(data) < keepCap {
		p.buf = nil
	}
	p.buf = p.header(p.buf[:0], len(data))
	p.buf = append(p.buf, data...)
	p.out[0] = p.buf
	return p.out[:], nil
}

func (p *prefixPost) Finish(uint64) ([][]byte, error) { return nil, nil }
