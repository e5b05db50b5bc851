package interceptor

import (
	"fmt"
	"strconv"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
)

func init() {
	register(&Spec{
		Name: "textual-length-prefixed",
		Doc:  "frames are prefixed by their length in decimal and one space, `5 hello` (Tremor's textual-length-prefixed); a bad header or a length over max_length is an error that resets the stream's framing",
		Config: []config.Key{
			{Name: "max_length", Type: config.Int, Default: value.NewInt(defaultMaxFrame), Doc: "the longest frame accepted, in bytes"},
		},
		NewPre: func(cfg config.Values) (Pre, error) {
			max, err := positive(cfg, "max_length")
			if err != nil {
				return nil, err
			}
			return &textualLengthPrefixedPre{max: max, need: -1}, nil
		},
		NewPost: func(config.Values) (Post, error) { return &textualLengthPrefixedPost{}, nil },
	})
}

// textualLengthPrefixedPre reassembles frames written as `<decimal length> <bytes>` from chunks
// split anywhere, like lengthPrefixedPre. The header is one or more ASCII digits (leading zeros
// allowed) and one space; anything else, or a length over max, is an error that resets the
// framing as lengthPrefixedPre describes: the rest of that chunk is dropped and the next one is
// read as starting with a header.
type textualLengthPrefixedPre struct {
	max    int
	digits int // digits of the header read so far
	length int // their value
	need   int // length of the frame being read; -1 while reading a header
	part   partial
	out    [][]byte
}

func (p *textualLengthPrefixedPre) Process(data []byte, _ *uint64) ([][]byte, error) {
	clear(p.out)
	p.out = p.out[:0]
	for len(data) > 0 {
		if p.need < 0 {
			c := data[0]
			data = data[1:]
			switch {
			case c >= '0' && c <= '9':
				d := int(c - '0')
				if p.length > p.max/10 || p.length*10 > p.max-d {
					p.reset()
					return p.out, fmt.Errorf("a frame length over max_length (%d bytes) was announced: the stream's framing was reset", p.max)
				}
				p.digits++
				p.length = p.length*10 + d
				continue
			case c == ' ' && p.digits > 0:
				p.need = p.length
				p.digits, p.length = 0, 0
				if p.need == 0 {
					p.out = append(p.out, []byte{})
					p.need = -1
				}
				continue
			default:
				p.reset()
				return p.out, fmt.Errorf("expected a decimal frame length followed by a space, found %q: the stream's framing was reset", c)
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

func (p *textualLengthPrefixedPre) reset() {
	p.digits, p.length = 0, 0
	p.need = -1
	p.part.reset()
}

func (p *textualLengthPrefixedPre) Finish(_ *uint64) ([][]byte, error) {
	defer p.reset()
	if p.need >= 0 {
		return nil, fmt.Errorf("the stream ended inside a frame: %d of %d bytes received", p.part.len(), p.need)
	}
	if p.digits > 0 {
		return nil, fmt.Errorf("the stream ended inside a frame header")
	}
	return nil, nil
}

// textualLengthPrefixedPost prepends the decimal length and a space.
type textualLengthPrefixedPost struct {
	buf []byte
	out [1][]byte
}

func (p *textualLengthPrefixedPost) Process(data []byte, _ uint64) ([][]byte, error) {
	if cap(p.buf) > keepCap && len(data) < keepCap {
		p.buf = nil
	}
	p.buf = strconv.AppendInt(p.buf[:0], int64(len(data)), 10)
	p.buf = append(p.buf, ' ')
	p.buf = append(p.buf, data...)
	p.out[0] = p.buf
	return p.out[:], nil
}

func (p *textualLengthPrefixedPost) Finish(uint64) ([][]byte, error) { return nil, nil }
