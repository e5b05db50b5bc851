package interceptor

import (
	"fmt"
	"strings"

	"github.com/rillstream/rill/runtime/config"
)

// ReadChain runs the read sides of a list of stages for one stream, in order. It is used by one
// goroutine at a time.
//
// Frames are pushed depth-first: each frame a stage returns goes through every later stage before
// the stage's next frame does, so a stage's outputs are consumed before it is called again. The
// frames a chain returns alias the stages' buffers only while that is safe: as soon as one stage
// is called a second time within a Process or Finish (it could then overwrite what it returned
// before), the frames collected so far, and every later one, are copied into a buffer the chain
// owns. A chain of 1:1 stages (most chains: lines alone, or one stage per frame) copies nothing.
type ReadChain struct {
	stages []Pre
	run    runner
}

// NewReadChain builds the read sides of stages for one stream.
func NewReadChain(stages []Stage) (*ReadChain, error) {
	pres, names, err := newSides(stages, "read", func(s *Spec) func(config.Values) (Pre, error) { return s.NewPre })
	if err != nil {
		return nil, err
	}
	c := &ReadChain{stages: pres}
	c.run.init(names, c)
	return c, nil
}

// Process feeds one chunk through every stage and returns the frames that come out of the last.
// A stage's error does not stop the chain: the error (naming its stage; several are joined with
// "; ") is returned together with every frame that did come through, and the chain stays usable
// for the next chunk. The frames are valid until the next call of Process or Finish.
func (c *ReadChain) Process(data []byte, ingestNs *uint64) ([][]byte, error) {
	c.run.reset()
	c.run.ingest = ingestNs
	c.run.push(0, data)
	return c.run.result()
}

// Finish flushes every stage in order: what a stage has left goes through the stages after it,
// which are then flushed in turn. Errors are handled as in Process.
func (c *ReadChain) Finish(ingestNs *uint64) ([][]byte, error) {
	c.run.reset()
	c.run.ingest = ingestNs
	c.run.flush()
	return c.run.result()
}

// WriteChain runs the write sides of a list of stages for one stream, in order, with the same
// depth-first order and copying rule as ReadChain. It is used by one goroutine at a time.
type WriteChain struct {
	stages []Post
	ingest uint64 // of the current call
	run    runner
}

// NewWriteChain builds the write sides of stages for one stream, applied in the given order.
// (A two-way `interceptors` list is passed reversed by the caller.)
func NewWriteChain(stages []Stage) (*WriteChain, error) {
	posts, names, err := newSides(stages, "write", func(s *Spec) func(config.Values) (Post, error) { return s.NewPost })
	if err != nil {
		return nil, err
	}
	c := &WriteChain{stages: posts}
	c.run.init(names, c)
	return c, nil
}

// Process feeds one encoded frame through every stage and returns the chunks to write, valid
// until the next call of Process or Finish. On an error (naming its stage) it returns no chunks:
// a frame is written whole or not at all. The chain stays usable for the next frame.
func (c *WriteChain) Process(data []byte, ingestNs uint64) ([][]byte, error) {
	c.ingest = ingestNs
	c.run.reset()
	c.run.push(0, data)
	return c.run.wholeResult()
}

// Finish flushes every stage in order (see ReadChain.Finish); on an error it returns no chunks.
func (c *WriteChain) Finish(ingestNs uint64) ([][]byte, error) {
	c.ingest = ingestNs
	c.run.reset()
	c.run.flush()
	return c.run.wholeResult()
}

// IngestNs returns the ingest time of frame i of the last Process or Finish: the one given,
// unless a stage (ingest-ns) set the frame's own. (The *ingestNs given to Process ends up with
// the last frame's.)
func (c *ReadChain) IngestNs(i int) uint64 { return c.run.ingests[i] }

func (c *ReadChain) stage(i int, f []byte) ([][]byte, error) {
	return c.stages[i].Process(f, c.run.ingest)
}

func (c *ReadChain) finish(i int) ([][]byte, error) { return c.stages[i].Finish(c.run.ingest) }

func (c *WriteChain) stage(i int, f []byte) ([][]byte, error) {
	return c.stages[i].Process(f, c.ingest)
}

func (c *WriteChain) finish(i int) ([][]byte, error) { return c.stages[i].Finish(c.ingest) }

// runner pushes frames depth-first through a list of stages and collects what comes out of the
// last one (see ReadChain for the copying rule).
type runner struct {
	names   []string
	chain   stager
	calls   []int    // calls of each stage in the current run
	out     [][]byte // frames out of the last stage
	arena   []byte   // copies of out, once copying
	copying bool     // some stage was called twice: copy every frame
	errs    []error
	ingest  *uint64  // a read chain's ingest time, as the stages leave it
	ingests []uint64 // a read chain's ingest time of each frame of out
}

// stager is a chain as its runner sees it.
type stager interface {
	// stage calls Process of stage i.
	stage(i int, f []byte) ([][]byte, error)
	// finish calls Finish of stage i.
	finish(i int) ([][]byte, error)
}

// newSides makes one side of every stage for one stream: side is "read" or "write", and
// constructor returns the Spec's NewPre or NewPost. It returns them with the stages' names.
func newSides[T any](stages []Stage, side string, constructor func(*Spec) func(config.Values) (T, error)) ([]T, []string, error) {
	var out []T
	names := make([]string, 0, len(stages))
	for _, s := range stages {
		newSide := constructor(s.Spec)
		if newSide == nil {
			return nil, nil, fmt.Errorf("the interceptor `%s` has no %s side", s.Spec.Name, side)
		}
		p, err := newSide(s.Config)
		if err != nil {
			return nil, nil, fmt.Errorf("interceptor `%s`: %w", s.Spec.Name, err)
		}
		out = append(out, p)
		names = append(names, s.Spec.Name)
	}
	return out, names, nil
}

func (r *runner) init(names []string, chain stager) {
	r.names = names
	r.chain = chain
	r.calls = make([]int, len(names))
}

// flush calls Finish of every stage in order: what a stage has left goes through the stages
// after it before the next stage is flushed.
func (r *runner) flush() {
	for i := range r.names {
		r.before(i)
		rest, err := r.chain.finish(i)
		r.fail(i, err)
		for _, f := range rest {
			r.push(i+1, f)
		}
	}
}

func (r *runner) reset() {
	clear(r.out)
	r.out = r.out[:0]
	if cap(r.arena) > keepCap {
		r.arena = nil // a big copy is not kept for an idle stream
	}
	r.arena = r.arena[:0]
	r.copying = false
	clear(r.calls)
	r.errs = r.errs[:0]
	r.ingests = r.ingests[:0]
}

// push runs frame f through stage i and the stages after it.
func (r *runner) push(i int, f []byte) {
	if i == len(r.names) {
		if r.copying {
			f = r.keep(f)
		}
		r.out = append(r.out, f)
		if r.ingest != nil {
			r.ingests = append(r.ingests, *r.ingest)
		}
		return
	}
	r.before(i)
	frames, err := r.chain.stage(i, f)
	r.fail(i, err)
	for _, g := range frames {
		r.push(i+1, g)
	}
}

// before accounts for a call of stage i. Its second call may overwrite buffers the frames
// collected so far alias, so they are copied first and every later frame is copied too.
func (r *runner) before(i int) {
	if r.calls[i] > 0 && !r.copying {
		r.copying = true
		for k, f := range r.out {
			r.out[k] = r.keep(f)
		}
	}
	r.calls[i]++
}

// keep copies f into the arena. Growing the arena leaves earlier copies in the old array,
// which stays valid.
func (r *runner) keep(f []byte) []byte {
	start := len(r.arena)
	r.arena = append(r.arena, f...)
	return r.arena[start:len(r.arena):len(r.arena)]
}

func (r *runner) fail(i int, err error) {
	if err != nil {
		r.errs = append(r.errs, fmt.Errorf("%s: %w", r.names[i], err))
	}
}

func (r *runner) result() ([][]byte, error) {
	switch len(r.errs) {
	case 0:
		return r.out, nil
	case 1:
		return r.out, r.errs[0]
	}
	return r.out, &chainErrors{errs: append([]error(nil), r.errs...)}
}

// wholeResult is result for a write chain: no chunks at all on an error, so a frame is written
// whole or not at all.
func (r *runner) wholeResult() ([][]byte, error) {
	out, err := r.result()
	if err != nil {
		return nil, err
	}
	return out, nil
}

// chainErrors is several stage errors of one Process call.
type chainErrors struct{ errs []error }

func (e *chainErrors) Error() string {
	msgs := make([]string, len(e.errs))
	for i, err := range e.errs {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap lets errors.Is and errors.As see every stage error.
func (e *chainErrors) Unwrap() []error { return e.errs }
