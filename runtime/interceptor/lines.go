package interceptor

import (
	"bytes"
	"fmt"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
)

func init() {
	register(&Spec{
		Name:    "lines",
		Aliases: []string{"separate"},
		Doc:     "splits the byte stream on a separator (a newline by default) and appends it on write; a line longer than max_length is an error and is discarded",
		Config: []config.Key{
			{Name: "separator", Type: config.String, Default: value.NewString("\n"), Doc: "the one-byte separator"},
			{Name: "max_length", Type: config.Int, Default: value.NewInt(1 << 20), Doc: "the longest line accepted, in bytes (0: no limit)"},
			{Name: "buffered", Type: config.Bool, Default: value.NewBool(true), Doc: "keep a partial line until its separator arrives (false: every chunk ends a line)"},
		},
		NewPre: func(cfg config.Values) (Pre, error) {
			sep, err := separator(cfg)
			if err != nil {
				return nil, err
			}
			max := cfg.Int("max_length")
			if max < 0 {
				return nil, fmt.Errorf("max_length must be 0 (no limit) or a positive number of bytes, not %d", max)
			}
			return &linesPre{sep: sep, max: int(max), buffered: cfg.Bool("buffered")}, nil
		},
		NewPost: func(cfg config.Values) (Post, error) {
			sep, err := separator(cfg)
			if err != nil {
				return nil, err
			}
			return &linesPost{sep: sep}, nil
		},
	})
}

func separator(cfg config.Values) (byte, error) {
	s := cfg.String("separator")
	if len(s) != 1 {
		return 0, fmt.Errorf("the separator must be one byte, not %q", s)
	}
	return s[0], nil
}

// linesPre is the read side of lines (Tremor's `separate`, formerly `lines`); linesPost ends
// every written frame with the separator.
//
// A line is the bytes between two separators, the separator excluded. Empty lines are passed on
// as empty frames, as Tremor's `separate` does (Tremor's `remove-empty` exists to drop them after
// it). A line split over any number of chunks is reassembled. With `buffered` false every chunk
// ends a line instead (for datagram peers): a chunk "a\nb" gives "a" and "b", and a chunk ending
// with the separator gives no empty line after it.
//
// A line longer than `max_length` is reported once, as one error of the chunk in which it
// crossed the limit, and discarded up to its separator; the following lines come through. The
// partial line kept between chunks never exceeds `max_length`, so memory stays bounded (Tremor's
// default `max_length` is 8192 bytes; Rill's is 1 MiB). Finish returns a last line left without
// its separator, unless it was too long.
//
// Frames alias the chunk or the partial line's buffer.
type linesPre struct {
	sep      byte
	max      int // 0: no limit
	buffered bool
	part     partial  // the line begun in earlier chunks
	skipping bool     // inside an over-long line: drop bytes up to the next separator
	dropped  int      // over-long lines reported by this call
	out      [][]byte // reused result
}

func (p *linesPre) Process(data []byte, _ *uint64) ([][]byte, error) {
	clear(p.out)
	p.out = p.out[:0]
	p.dropped = 0
	if !p.buffered {
		p.unbuffered(data)
		return p.out, p.err()
	}
	for len(data) > 0 {
		i := bytes.IndexByte(data, p.sep)
		if i < 0 {
			// The rest continues in the next chunk.
			switch {
			case p.skipping:
			case p.max > 0 && p.part.len()+len(data) > p.max:
				p.part.reset()
				p.skipping = true
				p.dropped++
			default:
				p.part.add(data, p.max)
			}
			break
		}
		line := data[:i]
		data = data[i+1:]
		switch {
		case p.skipping:
			p.skipping = false
		case p.part.len() > 0:
			if p.max > 0 && p.part.len()+len(line) > p.max {
				p.part.reset()
				p.dropped++
				continue
			}
			p.part.add(line, p.max)
			p.out = append(p.out, p.part.take())
		case p.max > 0 && len(line) > p.max:
			p.dropped++
		default:
			p.out = append(p.out, line)
		}
	}
	return p.out, p.err()
}

// unbuffered splits one chunk that ends a line.
func (p *linesPre) unbuffered(data []byte) {
	for len(data) > 0 {
		line := data
		data = nil
		if i := bytes.IndexByte(line, p.sep); i >= 0 {
			line, data = line[:i], line[i+1:]
		}
		if p.max > 0 && len(line) > p.max {
			p.dropped++
			continue
		}
		p.out = append(p.out, line)
	}
}

func (p *linesPre) err() error {
	switch p.dropped {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("a line longer than max_length (%d bytes) was discarded", p.max)
	}
	return fmt.Errorf("%d lines longer than max_length (%d bytes) were discarded", p.dropped, p.max)
}

func (p *linesPre) Finish(_ *uint64) ([][]byte, error) {
	if p.skipping || p.part.len() == 0 {
		p.skipping = false
		p.part.reset()
		return nil, nil
	}
	return [][]byte{p.part.take()}, nil
}

// linesPost appends the separator to every frame.
type linesPost struct {
	sep byte
	buf []byte
	out [1][]byte
}

func (p *linesPost) Process(data []byte, _ uint64) ([][]byte, error) {
	if cap(p.buf) > keepCap && len(data) < keepCap {
		p.buf = nil
	}
	p.buf = append(append(p.buf[:0], data...), p.sep)
	p.out[0] = p.buf
	return p.out[:], nil
}

func (p *linesPost) Finish(uint64) ([][]byte, error) { return nil, nil }
