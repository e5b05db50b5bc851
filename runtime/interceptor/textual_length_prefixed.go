package interceptor

import (
	"fmt"
	"strconv"
)

func init() {
	registerPrefixed("textual-length-prefixed",
		"frames are prefixed by their length in decimal and one space, `5 hello` (Tremor's textual-length-prefixed); a bad header or a length over max_length is an error that resets the stream's framing",
		func(max int) Pre { return &textualLengthPrefixedPre{newPrefixedPre(&decimalHeader{max: max})} },
		appendDecimalHeader)
}

// textualLengthPrefixedPre reassembles frames written as `<decimal length> <bytes>` from chunks
// split anywhere (see prefixedPre). The header is one or more ASCII digits (leading zeros
// allowed) and one space; anything else, or a length over max, is an error that resets the
// framing as prefixedPre describes: the rest of that chunk is dropped and the next one is read
// as starting with a header.
type textualLengthPrefixedPre struct{ prefixedPre }

// decimalHeader reads the `<decimal length> ` header of a textual-length-prefixed frame.
type decimalHeader struct {
	max    int
	digits int // digits of the header read so far
	length int // their value
}

func (h *decimalHeader) read(data []byte) ([]byte, int, bool, error) {
	for i, c := range data {
		switch {
		case c >= '0' && c <= '9':
			d := int(c - '0')
			if h.length > h.max/10 || h.length*10 > h.max-d {
				return nil, 0, false, fmt.Errorf("a frame length over max_length (%d bytes) was announced: the stream's framing was reset", h.max)
			}
			h.digits++
			h.length = h.length*10 + d
		case c == ' ' && h.digits > 0:
			n := h.length
			h.reset()
			return data[i+1:], n, true, nil
		default:
			return nil, 0, false, fmt.Errorf("expected a decimal frame length followed by a space, found %q: the stream's framing was reset", c)
		}
	}
	return nil, 0, false, nil
}

func (h *decimalHeader) unfinished() error {
	if h.digits > 0 {
		return fmt.Errorf("the stream ended inside a frame header")
	}
	return nil
}

func (h *decimalHeader) reset() { h.digits, h.length = 0, 0 }

// appendDecimalHeader appends the header of a frame of n bytes: its length in decimal and a space.
func appendDecimalHeader(dst []byte, n int) []byte {
	return append(strconv.AppendInt(dst, int64(n), 10), ' ')
}
