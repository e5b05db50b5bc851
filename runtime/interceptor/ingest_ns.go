package interceptor

import (
	"encoding/binary"
	"fmt"

	"github.com/rillstream/rill/runtime/config"
)

func init() {
	register(&Spec{
		Name:    "ingest-ns",
		Doc:     "prepends the frame's ingest time as a big-endian u64 on write, and on read strips it and makes it the event's ingest time",
		NewPre:  func(config.Values) (Pre, error) { return &ingestNsPre{}, nil },
		NewPost: func(config.Values) (Post, error) { return &ingestNsPost{}, nil },
	})
}

// ingestNsPre takes the first 8 bytes of a frame as its ingest time (big-endian nanoseconds)
// and passes the rest on. A frame shorter than 8 bytes is an error. The ingest time is per
// chunk in a chain (ReadChain.Process has one), so when a chunk holds several stamped frames,
// the last one's time applies to all of them.
type ingestNsPre struct{ out [1][]byte }

func (p *ingestNsPre) Process(data []byte, ingestNs *uint64) ([][]byte, error) {
	if len(data) < 8 {
		return nil, fmt.Errorf("expected a frame of at least 8 bytes starting with its ingest time, got %d bytes", len(data))
	}
	*ingestNs = binary.BigEndian.Uint64(data)
	p.out[0] = data[8:]
	return p.out[:], nil
}

func (p *ingestNsPre) Finish(*uint64) ([][]byte, error) { return nil, nil }

// ingestNsPost prepends the ingest time as 8 big-endian bytes.
type ingestNsPost struct {
	buf []byte
	out [1][]byte
}

func (p *ingestNsPost) Process(data []byte, ingestNs uint64) ([][]byte, error) {
	if cap(p.buf) > keepCap && len(data) < keepCap {
		p.buf = nil
	}
	p.buf = binary.BigEndian.AppendUint64(p.buf[:0], ingestNs)
	p.buf = append(p.buf, data...)
	p.out[0] = p.buf
	return p.out[:], nil
}

func (p *ingestNsPost) Finish(uint64) ([][]byte, error) { return nil, nil }
