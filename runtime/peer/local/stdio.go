package local

import (
	"context"
	"fmt"
	"io"
	"math"
	"sync"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
)

// defaultStdioBuf is the default read size of the stdio source.
const defaultStdioBuf = 64 << 10

// The stdio sink's write-side stream ids: stdout uses 0, stderr an id no source stream reaches,
// so each has its own codec and interceptor state and ending the stdin stream touches neither.
const (
	stdoutStream uint64 = 0
	stderrStream uint64 = math.MaxUint64
)

// StdioSpec declares the stdio peer type reading in and writing out and errw. Specs uses it with
// os.Stdin, os.Stdout and os.Stderr; a test or an embedding program registers its own (see
// NewStdio for nil arguments).
func StdioSpec(in io.Reader, out, errw io.Writer) *peer.Spec {
	return &peer.Spec{
		Name: "stdio",
		Doc: "reads standard input as one stream (its events end at end of input) and writes " +
			"events sent to `in` or `stdout` to standard output and those sent to `stderr` to standard error",
		Source:  true,
		Sink:    true,
		Codec:   "json",
		Lines:   true,
		InPorts: []string{"in", "stdout", "stderr"},
		Config: []config.Key{
			{Name: "buf_size", Type: config.Int, Default: value.NewInt(defaultStdioBuf),
				Doc: "the most bytes read from standard input at once"},
		},
		New: func(cfg config.Values) (peer.Peer, error) {
			n := cfg.Int("buf_size")
			if n <= 0 {
				return nil, fmt.Errorf("config key `buf_size` of peer type `stdio` must be a positive number of bytes, not %d", n)
			}
			s := NewStdio(in, out, errw)
			s.bufSize = int(n)
			return s, nil
		},
	}
}

// Stdio is the stdio peer. Its source side reads in as one stream: the stream starts with the
// first bytes read, every read is handed to Host.Receive, and EndStream follows at end of input
// (or on a read error, which is logged, or on Stop); then the source emits nothing more. Its sink
// side writes events sent to port "in" or "stdout" to out and those sent to "stderr" to errw,
// through one writer goroutine (see the package comment), so the two outputs keep the order of
// the events.
//
// Reading happens on a goroutine of its own, because a read from a terminal or a pipe can not be
// interrupted: Stop does not wait for a read that is blocked (it returns and that goroutine ends
// after its read returns, without calling the Host again).
type Stdio struct {
	in        io.Reader
	out, errw io.Writer
	bufSize   int

	h      *peer.Host
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	w      *writer
}

// NewStdio returns an unstarted stdio peer reading in and writing out and errw (StdioSpec builds
// it with os.Stdin, os.Stdout and os.Stderr; tests pass pipes and buffers). A nil in gives a
// source that emits nothing; a nil out or errw discards what is written to it.
func NewStdio(in io.Reader, out, errw io.Writer) *Stdio {
	if out == nil {
		out = io.Discard
	}
	if errw == nil {
		errw = io.Discard
	}
	return &Stdio{in: in, out: out, errw: errw, bufSize: defaultStdioBuf}
}

// Start starts reading (when there is an input) and the writer.
func (s *Stdio) Start(ctx context.Context, h *peer.Host) error {
	s.h = h
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.w = newWriter(h, target{"standard output", s.out}, target{"standard error", s.errw})
	h.CircuitBreaker(true, 0, 0)
	if s.in != nil {
		reads := make(chan chunk)
		free := make(chan []byte, 2)
		free <- make([]byte, s.bufSize)
		free <- make([]byte, s.bufSize)
		go readInto(s.ctx, s.in, free, reads)
		s.wg.Add(1)
		go s.pump(reads, free)
	}
	return nil
}

// chunk is one read: its bytes (in a buffer of the free list) and the read's error.
type chunk struct {
	buf []byte
	n   int
	err error
}

// readInto reads r into buffers taken from free and passes each read on reads, until a read
// fails (io.EOF included) or ctx is done. Two buffers let the next read overlap the decoding of
// the previous one.
func readInto(ctx context.Context, r io.Reader, free chan []byte, reads chan<- chunk) {
	for {
		var buf []byte
		select {
		case buf = <-free:
		case <-ctx.Done():
			return
		}
		n, err := r.Read(buf)
		select {
		case reads <- chunk{buf, n, err}:
		case <-ctx.Done():
			return
		}
		if err != nil {
			return
		}
	}
}

// pump hands what was read to the host: the only goroutine of the source that calls it.
func (s *Stdio) pump(reads <-chan chunk, free chan<- []byte) {
	defer s.wg.Done()
	var stream uint64
	defer func() {
		if stream != 0 {
			s.h.EndStream(stream)
		}
	}()
	for {
		var c chunk
		select {
		case c = <-reads:
		case <-s.ctx.Done():
			return
		}
		if c.n > 0 {
			if stream == 0 {
				stream = s.h.StartStream()
			}
			if s.h.Receive(s.ctx, peer.Incoming{Stream: stream}, c.buf[:c.n]) != nil {
				return
			}
		}
		free <- c.buf
		if c.err != nil {
			if c.err != io.EOF {
				s.h.Log().Warn("reading standard input failed; its stream ends", "error", c.err)
			}
			return
		}
	}
}

// Send writes ev to standard output (ports "in" and "stdout") or standard error ("stderr"); done
// is called once it was written.
func (s *Stdio) Send(port string, ev *runtime.Event, done func(error)) {
	dst, stream := 0, stdoutStream
	switch port {
	case "in", "stdout":
	case "stderr":
		dst, stream = 1, stderrStream
	default:
		done(fmt.Errorf("peer `%s` (stdio) has no input port `%s` (in, stdout, stderr)", s.h.Alias(), port))
		return
	}
	chunks, err := s.h.Serialize(stream, ev)
	if err != nil {
		done(err)
		return
	}
	s.w.add(dst, chunks, done)
}

// Stop stops reading, writes what is queued and the interceptors' closing bytes, and waits for
// the peer's goroutines (except a read blocked on its input, see Stdio).
func (s *Stdio) Stop() error {
	s.cancel()
	s.wg.Wait()
	for dst, stream := range []uint64{stdoutStream, stderrStream} {
		if chunks, err := s.h.CloseWrite(stream); err != nil {
			s.h.Log().Warn("closing the output failed", "error", err)
		} else if len(chunks) > 0 {
			s.w.add(dst, chunks, nil)
		}
	}
	s.w.close()
	return nil
}
