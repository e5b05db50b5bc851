package interceptor

import "fmt"

// ReadChain runs the read sides of a list of stages for one stream, in order.
type ReadChain struct {
	stages []Pre
	names  []string
}

// NewReadChain builds the read sides of stages for one stream.
func NewReadChain(stages []Stage) (*ReadChain, error) {
	c := &ReadChain{}
	for _, s := range stages {
		p, err := s.Spec.NewPre(s.Config)
		if err != nil {
			return nil, err
		}
		c.stages = append(c.stages, p)
		c.names = append(c.names, s.Spec.Name)
	}
	return c, nil
}

// Process feeds one chunk through every stage and returns the frames that come out of the last.
// An error names the stage; the chain stays usable for the next chunk.
func (c *ReadChain) Process(data []byte, ingestNs *uint64) ([][]byte, error) {
	frames := [][]byte{data}
	for i, st := range c.stages {
		var next [][]byte
		for _, f := range frames {
			out, err := st.Process(f, ingestNs)
			if err != nil {
				return next, fmt.Errorf("%s: %w", c.names[i], err)
			}
			next = append(next, out...)
		}
		frames = next
	}
	return frames, nil
}

// Finish flushes every stage in order: what a stage has left goes through the stages after it,
// which are then flushed in turn.
func (c *ReadChain) Finish(ingestNs *uint64) ([][]byte, error) {
	var frames [][]byte
	for i, st := range c.stages {
		var next [][]byte
		for _, f := range frames {
			out, err := st.Process(f, ingestNs)
			if err != nil {
				return next, fmt.Errorf("%s: %w", c.names[i], err)
			}
			next = append(next, out...)
		}
		rest, err := st.Finish(ingestNs)
		if err != nil {
			return next, fmt.Errorf("%s: %w", c.names[i], err)
		}
		frames = append(next, rest...)
	}
	return frames, nil
}

// WriteChain runs the write sides of a list of stages for one stream, in order.
type WriteChain struct {
	stages []Post
	names  []string
}

// NewWriteChain builds the write sides of stages for one stream, applied in the given order.
// (A two-way `interceptors` list is passed reversed by the caller.)
func NewWriteChain(stages []Stage) (*WriteChain, error) {
	c := &WriteChain{}
	for _, s := range stages {
		p, err := s.Spec.NewPost(s.Config)
		if err != nil {
			return nil, err
		}
		c.stages = append(c.stages, p)
		c.names = append(c.names, s.Spec.Name)
	}
	return c, nil
}

// Process feeds one encoded frame through every stage and returns the chunks to write.
func (c *WriteChain) Process(data []byte, ingestNs uint64) ([][]byte, error) {
	frames := [][]byte{data}
	for i, st := range c.stages {
		var next [][]byte
		for _, f := range frames {
			out, err := st.Process(f, ingestNs)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", c.names[i], err)
			}
			next = append(next, out...)
		}
		frames = next
	}
	return frames, nil
}

// Finish flushes every stage in order (see ReadChain.Finish).
func (c *WriteChain) Finish(ingestNs uint64) ([][]byte, error) {
	var frames [][]byte
	for i, st := range c.stages {
		var next [][]byte
		for _, f := range frames {
			out, err := st.Process(f, ingestNs)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", c.names[i], err)
			}
			next = append(next, out...)
		}
		rest, err := st.Finish(ingestNs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.names[i], err)
		}
		frames = append(next, rest...)
	}
	return frames, nil
}
