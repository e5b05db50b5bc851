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
		Doc:     "splits the byte stream on a separator (a newline by default) and appends it on write; a line longer than max_length is an error",
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
			return &linesPre{sep: sep, max: int(cfg.Int("max_length")), buffered: cfg.Bool("buffered")}, nil
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

// linesPre splits on sep, keeping a partial line between chunks. A line over max bytes is
// reported once and discarded up to its separator, so memory stays bounded.
type linesPre struct {
	sep      byte
	max      int
	buffered bool
	buf      []byte
	skipping bool // inside an over-long line: drop bytes until the next separator
	out      [][]byte
}

func (p *linesPre) Process(data []byte, _ *uint64) ([][]byte, error) {
	p.out = p.out[:0]
	var err error
	// Frames alias p.buf or data; compact p.buf only on the next call.
	if !p.buffered {
		p.buf = append(p.buf[:0], data...)
		for _, l := range bytes.Split(p.buf, []byte{p.sep}) {
			if len(l) > 0 {
				p.out = append(p.out, l)
			}
		}
		return p.out, nil
	}
	pending := p.buf
	p.buf = nil
	for len(data) > 0 {
		i := bytes.IndexByte(data, p.sep)
		if i < 0 {
			if p.skipping {
				return p.out, err
			}
			if p.max > 0 && len(pending)+len(data) > p.max {
				p.skipping = true
				pending = nil
				err = fmt.Errorf("line longer than max_length %d bytes: discarded", p.max)
				return p.out, err
			}
			p.buf = append(pending[:len(pending):len(pending)], data...)
			return p.out, err
		}
		line := data[:i]
		data = data[i+1:]
		if p.skipping {
			p.skipping = false
			continue
		}
		if len(pending) > 0 {
			line = append(pending[:len(pending):len(pending)], line...)
			pending = nil
		}
		if p.max > 0 && len(line) > p.max {
			err = fmt.Errorf("line longer than max_length %d bytes: discarded", p.max)
			continue
		}
		p.out = append(p.out, line)
	}
	if len(pending) > 0 {
		p.buf = pending
	}
	return p.out, err
}

func (p *linesPre) Finish(_ *uint64) ([][]byte, error) {
	rest := p.buf
	p.buf = nil
	if len(rest) == 0 || p.skipping {
		return nil, nil
	}
	return [][]byte{rest}, nil
}

// linesPost appends the separator to every frame.
type linesPost struct {
	sep byte
	buf []byte
}

func (p *linesPost) Process(data []byte, _ uint64) ([][]byte, error) {
	p.buf = append(append(p.buf[:0], data...), p.sep)
	return [][]byte{p.buf}, nil
}

func (p *linesPost) Finish(uint64) ([][]byte, error) { return nil, nil }
