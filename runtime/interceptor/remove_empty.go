package interceptor

import "github.com/rillstream/rill/runtime/config"

func init() {
	register(&Spec{
		Name:    "remove-empty",
		Doc:     "drops empty frames (an empty line after lines, say), on read and on write",
		NewPre:  func(config.Values) (Pre, error) { return &removeEmptyPre{}, nil },
		NewPost: func(config.Values) (Post, error) { return &removeEmptyPost{}, nil },
	})
}

// removeEmpty passes every non-empty frame on unchanged and drops empty ones.
type removeEmpty struct{ out [1][]byte }

func (p *removeEmpty) pass(data []byte) [][]byte {
	if len(data) == 0 {
		return nil
	}
	p.out[0] = data
	return p.out[:]
}

// removeEmptyPre is the read side of remove-empty.
type removeEmptyPre struct{ removeEmpty }

func (p *removeEmptyPre) Process(data []byte, _ *uint64) ([][]byte, error) { return p.pass(data), nil }

func (p *removeEmptyPre) Finish(*uint64) ([][]byte, error) { return nil, nil }

// removeEmptyPost is the write side of remove-empty.
type removeEmptyPost struct{ removeEmpty }

func (p *removeEmptyPost) Process(data []byte, _ uint64) ([][]byte, error) { return p.pass(data), nil }

func (p *removeEmptyPost) Finish(uint64) ([][]byte, error) { return nil, nil }
