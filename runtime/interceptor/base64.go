package interceptor

import (
	"encoding/base64"
	"fmt"

	"github.com/rillstream/rill/runtime/config"
)

func init() {
	register(&Spec{
		Name: "base64",
		Doc:  "decodes every frame from standard base64 (with padding) on read and encodes it on write",
		NewPre: func(config.Values) (Pre, error) {
			return &base64Pre{}, nil
		},
		NewPost: func(config.Values) (Post, error) { return &base64Post{}, nil },
	})
}

// base64Pre decodes each frame with the standard alphabet and padding (as Tremor's base64);
// carriage returns and newlines inside a frame are ignored. An invalid frame is an error for
// that frame only. Frames alias a buffer reused by the next call.
type base64Pre struct {
	buf []byte
	out [1][]byte
}

func (p *base64Pre) Process(data []byte, _ *uint64) ([][]byte, error) {
	n := base64.StdEncoding.DecodedLen(len(data))
	if cap(p.buf) < n || (cap(p.buf) > keepCap && n < keepCap) {
		p.buf = make([]byte, n)
	}
	m, err := base64.StdEncoding.Decode(p.buf[:n], data)
	if err != nil {
		return nil, fmt.Errorf("invalid base64: %w", err)
	}
	p.out[0] = p.buf[:m:m]
	return p.out[:], nil
}

func (p *base64Pre) Finish(*uint64) ([][]byte, error) { return nil, nil }

// base64Post encodes each frame with the standard alphabet and padding.
type base64Post struct {
	buf []byte
	out [1][]byte
}

func (p *base64Post) Process(data []byte, _ uint64) ([][]byte, error) {
	n := base64.StdEncoding.EncodedLen(len(data))
	if cap(p.buf) < n || (cap(p.buf) > keepCap && n < keepCap) {
		p.buf = make([]byte, n)
	}
	base64.StdEncoding.Encode(p.buf[:n], data)
	p.out[0] = p.buf[:n:n]
	return p.out[:], nil
}

func (p *base64Post) Finish(uint64) ([][]byte, error) { return nil, nil }
