package tcp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
)

var clientSpec = &peer.Spec{
	Name: "tcp_client",
	Doc: "connects to a TCP server, writes the events sent to it and emits what the server sends back; " +
		"reconnects with backoff, optionally one connection per incoming stream; with `tls` it speaks TLS",
	Source:  true,
	Sink:    true,
	Answers: true,
	Codec:   "json",
	Lines:   true,
	Config: []config.Key{
		{Name: "url", Type: config.String, Required: true, Doc: "the server to connect to, \"host:port\" or \"tcp://host:port\""},
		{Name: "buf_size", Type: config.Int, Default: value.NewInt(8192), Doc: "the size of the read buffer of each connection, in bytes"},
		{Name: "no_delay", Type: config.Bool, Default: value.NewBool(true), Doc: "disable Nagle's algorithm (TCP_NODELAY)"},
		{Name: "per_stream", Type: config.Bool, Default: value.NewBool(false), Doc: "open one connection per incoming stream (the origin peer and stream of the events), closed when that stream ends"},
		{Name: "request_mode", Type: config.Bool, Default: value.NewBool(false), Doc: "every frame the server sends answers the oldest unanswered event written on that connection and carries its $correlation"},
		{Name: "timeout", Type: config.Duration, Default: value.NewInt(10000), Doc: "connect and write timeout in milliseconds (0: none); per_stream events wait at most this long for their connection"},
		peer.TLSKey(),
	},
	Meta: []string{"$correlation (request_mode, per_stream): copied from the event a received frame answers"},
	New:  newClient,
}

// Client is a running tcp_client peer.
//
// By default it holds one connection to the server, opened in the background and reopened with
// the host's Reconnect backoff when it drops; each connection is a stream of its source side and
// its sink reports the circuit breaker open while connected. An event sent while disconnected
// fails at once.
//
// With per_stream, it holds one such connection per origin stream (ev.ID.Peer, ev.ID.Stream):
// opened on the origin's StreamStart signal (or lazily on its first event), closed after the
// events already sent were written when the origin's StreamEnd arrives. Its circuit breaker is
// reported per origin stream. Events wait up to `timeout` for their connection. What comes back
// on a connection is caused by the latest event written on it, so it carries that event's
// `$correlation` and tracks its ids (a server peer routes it to the origin stream).
//
// With request_mode, every frame that comes back answers the oldest event written on that
// connection and not yet answered; when a connection closes, the unanswered events become `err`
// events.
type Client struct {
	addr        string
	bufSize     int
	noDelay     bool
	perStream   bool
	ended       peer.EndedStreams // per_stream: origin streams that ended
	requestMode bool
	timeout     time.Duration
	tls         *tls.Config // nil: plain TCP

	h      *peer.Host
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	main    *link            // the connection when not per_stream
	links   map[origin]*link // per_stream: origin stream → its connection
	stopped bool
}

// origin is an origin stream of the events sent to a per_stream client.
type origin struct{ peer, stream uint64 }

// link is one logical upstream connection: it connects, reconnects with backoff and holds the
// current session; a writer goroutine writes the events queued for it in order.
type link struct {
	cl     *Client
	key    origin
	ctx    context.Context
	cancel context.CancelFunc
	queue  chan sendItem

	qmu     sync.Mutex // guards sending on and closing queue
	qclosed bool

	mu     sync.Mutex
	sess   *session      // the open connection, nil while disconnected
	up     chan struct{} // closed when a session opens or the link gives up
	gaveUp bool          // the backoff allows no more retries
	ending bool          // the origin ended or the peer stops: do not reconnect
}

// sendItem is one event waiting to be written.
type sendItem struct {
	ev       *runtime.Event
	done     func(error)
	deadline time.Time // per_stream: when to stop waiting for a connection (zero: never)
}

// session is one TCP connection of a link; it is one stream of the source side.
type session struct {
	c      net.Conn
	stream uint64
	stop   func() bool // unregisters the close-on-cancel hook

	wmu    sync.Mutex
	closed bool // guarded by wmu: no more writes

	last    atomic.Pointer[runtime.Event] // per_stream: the latest event written
	pmu     sync.Mutex
	pending []*runtime.Event // request_mode: written and not yet answered, oldest first
}

func newClient(cfg config.Values) (peer.Peer, error) {
	addr, err := peer.ParseAddr("url", cfg.String("url"), "tcp", true)
	if err != nil {
		return nil, err
	}
	buf, err := positive("buf_size", cfg.Int("buf_size"))
	if err != nil {
		return nil, err
	}
	tcfg, err := peer.ParseTLS(cfg.Value("tls"), false)
	if err != nil {
		return nil, fmt.Errorf("config key `tls` of tcp_client: %w", err)
	}
	return &Client{addr: addr, bufSize: buf, noDelay: cfg.Bool("no_delay"), perStream: cfg.Bool("per_stream"),
		requestMode: cfg.Bool("request_mode"), timeout: time.Duration(cfg.Int("timeout")) * time.Millisecond, tls: tcfg}, nil
}

// Start begins connecting in the background (not per_stream) and returns; a server that is not
// up yet is retried with the host's Reconnect backoff.
func (c *Client) Start(ctx context.Context, h *peer.Host) error {
	c.h = h
	c.ctx, c.cancel = context.WithCancel(ctx)
	c.links = map[origin]*link{}
	if c.perStream {
		h.CircuitBreaker(true, 0, 0) // the peer takes events; each origin's breaker follows its connection
		return nil
	}
	c.mu.Lock()
	c.main = c.newLink(origin{})
	c.mu.Unlock()
	return nil
}

// Stop closes every connection, fails the events still queued and waits for the goroutines.
func (c *Client) Stop() error {
	if c.h == nil {
		return nil
	}
	c.mu.Lock()
	c.stopped = true
	var all []*link
	if c.main != nil {
		all = append(all, c.main)
	}
	for _, l := range c.links {
		all = append(all, l)
	}
	c.mu.Unlock()
	c.cancel()
	for _, l := range all {
		l.end()
	}
	c.wg.Wait()
	return nil
}

// newLink creates a link and starts its goroutines; c.mu is held.
func (c *Client) newLink(key origin) *link {
	l := &link{cl: c, key: key, queue: make(chan sendItem, 128), up: make(chan struct{})}
	l.ctx, l.cancel = context.WithCancel(c.ctx)
	c.h.CircuitBreaker(false, key.peer, key.stream)
	c.wg.Add(2)
	go l.run()
	go l.writeLoop()
	return l
}

// linkFor returns the link of an origin stream, creating it when create is set; nil once the
// peer stops.
func (c *Client) linkFor(key origin, create bool) *link {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return nil
	}
	if !c.perStream {
		return c.main
	}
	l := c.links[key]
	if l == nil && create {
		l = c.newLink(key)
		c.links[key] = l
	}
	return l
}

// Signal opens (StreamStart) or closes (StreamEnd) the connection of an origin stream when
// per_stream is set; otherwise signals are ignored.
func (c *Client) Signal(sig runtime.Signal) {
	if !c.perStream {
		return
	}
	key := origin{sig.Peer, sig.Stream}
	switch sig.Kind {
	case runtime.StreamStart:
		c.linkFor(key, true)
	case runtime.StreamEnd:
		c.ended.Add(sig.Peer, sig.Stream)
		c.mu.Lock()
		l := c.links[key]
		delete(c.links, key)
		c.mu.Unlock()
		if l != nil {
			l.end()
		}
	}
}

// Send queues ev for the connection it belongs to; done is called once it was written or
// could not be. With per_stream, an event of no single stream or of a stream that ended is
// failed rather than given a connection nothing would close.
func (c *Client) Send(_ string, ev *runtime.Event, done func(error)) {
	var key origin
	if c.perStream {
		p, s, ok := peer.OriginOf(ev)
		switch {
		case !ok:
			done(peer.ErrNoOrigin(c.h.Alias()))
			return
		case c.ended.Has(p, s):
			done(peer.ErrStreamEnded(c.h.Alias(), p, s))
			return
		}
		key = origin{p, s}
	}
	l := c.linkFor(key, true)
	if l == nil {
		done(fmt.Errorf("peer `%s` is stopped", c.h.Alias()))
		return
	}
	it := sendItem{ev: ev, done: done}
	if !c.perStream {
		if l.session() == nil {
			done(c.notConnected())
			return
		}
	} else if c.timeout > 0 {
		it.deadline = time.Now().Add(c.timeout)
	}
	l.enqueue(it)
}

func (c *Client) notConnected() error {
	return fmt.Errorf("peer `%s` is not connected to %s", c.h.Alias(), c.addr)
}

// enqueue hands an item to the writer, or fails it when the link has ended.
func (l *link) enqueue(it sendItem) {
	l.qmu.Lock()
	defer l.qmu.Unlock()
	if l.qclosed {
		it.done(fmt.Errorf("the connection of peer `%s` for this stream was closed", l.cl.h.Alias()))
		return
	}
	select {
	case l.queue <- it:
	case <-l.ctx.Done():
		it.done(fmt.Errorf("peer `%s` is stopped", l.cl.h.Alias()))
	}
}

// end stops taking events: the writer writes what is queued, closes the connection and stops
// the link from reconnecting.
func (l *link) end() {
	l.qmu.Lock()
	if !l.qclosed {
		l.qclosed = true
		close(l.queue)
	}
	l.qmu.Unlock()
}

func (l *link) session() *session {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sess
}

// waitSession returns the open session; per_stream links wait for one until the item's
// deadline, the link gives up or the peer stops.
func (l *link) waitSession(deadline time.Time) *session {
	var timeout <-chan time.Time
	for {
		l.mu.Lock()
		s, gave, up := l.sess, l.gaveUp, l.up
		l.mu.Unlock()
		if s != nil {
			return s
		}
		if gave || !l.cl.perStream {
			return nil
		}
		if timeout == nil && !deadline.IsZero() {
			d := time.Until(deadline)
			if d <= 0 {
				return nil
			}
			t := time.NewTimer(d)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case <-up:
		case <-timeout:
			return nil
		case <-l.ctx.Done():
			return nil
		}
	}
}

// writeLoop writes the queued events in order. Events that are queued together are written
// together (one write of up to maxBatch bytes), and acked or failed together once that write
// returned, so a busy link makes few system calls. When the queue is closed (the origin ended or
// the peer stops) it closes the connection after the write-side interceptors' last bytes and
// stops the link.
func (l *link) writeLoop() {
	defer l.cl.wg.Done()
	var b batch
	for it := range l.queue {
		if l.ctx.Err() != nil {
			l.flush(&b)
			it.done(fmt.Errorf("peer `%s` is stopped", l.cl.h.Alias()))
			continue
		}
		s := l.waitSession(it.deadline)
		if s == nil {
			l.flush(&b)
			it.done(l.cl.notConnected())
			continue
		}
		if b.s != nil && b.s != s {
			l.flush(&b)
		}
		if err := l.add(&b, s, it); err != nil {
			it.done(err)
		}
		if len(l.queue) == 0 || len(b.buf) >= maxBatch {
			l.flush(&b)
		}
	}
	l.flush(&b)
	l.mu.Lock()
	l.ending = true
	s := l.sess
	l.mu.Unlock()
	if s != nil {
		s.wmu.Lock()
		if !s.closed {
			s.closed = true
			if chunks, err := l.cl.h.CloseWrite(s.stream); err == nil && len(chunks) > 0 {
				l.setDeadline(s)
				writeChunks(s.c, chunks)
			}
		}
		s.c.Close()
		s.wmu.Unlock()
	}
	l.cancel()
}

// maxBatch bounds the bytes a link writes in one call.
const maxBatch = 64 << 10

// batch is the events serialized for one session and not yet written.
type batch struct {
	s     *session
	buf   []byte
	evs   []*runtime.Event
	dones []func(error)
}

func (l *link) setDeadline(s *session) {
	if l.cl.timeout > 0 {
		s.c.SetWriteDeadline(time.Now().Add(l.cl.timeout))
	}
}

// add serializes an item for the session's stream into the batch; an error (the session is
// closed, the codec fails) is the item's own.
func (l *link) add(b *batch, s *session, it sendItem) error {
	h := l.cl.h
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.closed {
		return l.cl.notConnected()
	}
	chunks, err := h.Serialize(s.stream, it.ev)
	if err != nil {
		return err
	}
	if l.cl.perStream {
		s.last.Store(it.ev)
	}
	if l.cl.requestMode {
		s.pmu.Lock()
		s.pending = append(s.pending, it.ev)
		s.pmu.Unlock()
	}
	for _, c := range chunks {
		b.buf = append(b.buf, c...)
	}
	b.s = s
	b.evs = append(b.evs, it.ev)
	b.dones = append(b.dones, it.done)
	return nil
}

// flush writes the batch and answers its events with the result.
func (l *link) flush(b *batch) {
	if len(b.dones) == 0 {
		return
	}
	s := b.s
	var err error
	s.wmu.Lock()
	if s.closed {
		err = l.cl.notConnected()
	} else {
		l.setDeadline(s)
		if _, werr := s.c.Write(b.buf); werr != nil {
			s.c.Close() // the reader reconnects
			err = fmt.Errorf("writing to %s: %w", l.cl.addr, werr)
		}
	}
	s.wmu.Unlock()
	if err != nil && l.cl.requestMode {
		for _, ev := range b.evs {
			s.unpend(ev)
		}
	}
	if err == nil {
		l.cl.h.Metrics().Send.Add(uint64(len(b.dones)))
	}
	for _, done := range b.dones {
		done(err)
	}
	clear(b.evs)
	clear(b.dones)
	b.s, b.buf, b.evs, b.dones = nil, b.buf[:0], b.evs[:0], b.dones[:0]
}

func (s *session) unpend(ev *runtime.Event) {
	s.pmu.Lock()
	defer s.pmu.Unlock()
	for i := len(s.pending) - 1; i >= 0; i-- {
		if s.pending[i] == ev {
			s.pending = append(s.pending[:i], s.pending[i+1:]...)
			return
		}
	}
}

// cause pops the oldest unanswered request (request_mode); with none, a per_stream session
// answers for the latest event written.
func (s *session) cause() *runtime.Event {
	s.pmu.Lock()
	if len(s.pending) > 0 {
		ev := s.pending[0]
		s.pending[0] = nil
		s.pending = s.pending[1:]
		s.pmu.Unlock()
		return ev
	}
	s.pmu.Unlock()
	return s.last.Load()
}

// run connects, reads the connection until it drops, and reconnects with the host's backoff
// until the link ends or the backoff gives up. A failure is logged once per outage.
func (l *link) run() {
	defer l.cl.wg.Done()
	h := l.cl.h
	dialer := net.Dialer{Timeout: l.cl.timeout}
	retry := 0 // 0: dial now; n > 0: wait Delay(n-1) first
	outage := false
	for {
		if retry > 0 {
			d, ok := h.Reconnect().Delay(retry - 1)
			if !ok {
				h.Log().Error("tcp_client gives up connecting: no retries left", "url", l.cl.addr)
				l.mu.Lock()
				l.gaveUp = true
				close(l.up)
				l.mu.Unlock()
				return
			}
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-l.ctx.Done():
				t.Stop()
				return
			}
		}
		conn, err := l.cl.dial(l.ctx, &dialer)
		if err != nil {
			if l.ctx.Err() != nil {
				return
			}
			if !outage {
				h.Log().Warn("tcp_client cannot connect, retrying", "url", l.cl.addr, "err", err)
				outage = true
			}
			retry++
			continue
		}
		if outage {
			h.Log().Info("tcp_client connected", "url", l.cl.addr)
		}
		outage = false
		s := l.open(conn)
		if s == nil {
			return
		}
		l.read(s)
		if l.close(s) {
			return
		}
		h.Log().Warn("tcp_client lost its connection, reconnecting", "url", l.cl.addr)
		outage = true
		retry = 1
	}
}

// open makes conn the link's session: a new stream, the circuit breaker open. It returns nil
// (and closes conn) when the link is ending.
func (l *link) open(conn net.Conn) *session {
	h := l.cl.h
	if tc, ok := tcpConn(conn); ok {
		tc.SetNoDelay(l.cl.noDelay)
	}
	l.mu.Lock()
	if l.ending || l.ctx.Err() != nil {
		l.mu.Unlock()
		conn.Close()
		return nil
	}
	l.mu.Unlock()
	s := &session{c: conn, stream: h.StartStream()}
	s.stop = context.AfterFunc(l.ctx, func() { conn.Close() })
	l.mu.Lock()
	if l.ending {
		l.mu.Unlock()
		s.stop()
		conn.Close()
		h.EndStream(s.stream)
		return nil
	}
	l.sess = s
	close(l.up)
	l.mu.Unlock()
	h.CircuitBreaker(true, l.key.peer, l.key.stream)
	return s
}

// read hands what the server sends to the host until the connection fails or closes.
func (l *link) read(s *session) {
	h := l.cl.h
	buf := make([]byte, l.cl.bufSize)
	in := peer.Incoming{Stream: s.stream}
	if l.cl.requestMode {
		in.Causes = s.cause
	}
	for {
		n, err := s.c.Read(buf)
		if n > 0 {
			if l.cl.perStream && !l.cl.requestMode {
				in.Cause = s.last.Load()
			}
			if h.Receive(l.ctx, in, buf[:n]) != nil {
				return
			}
		}
		if err != nil {
			if l.ctx.Err() == nil && !errors.Is(err, net.ErrClosed) {
				h.Log().Debug("tcp_client read ended", "url", l.cl.addr, "err", err)
			}
			return
		}
	}
}

// close ends a session after its connection failed or closed: unanswered requests become err
// events, the stream ends and the circuit breaker closes. It reports whether the link is
// ending (no reconnect).
func (l *link) close(s *session) (ending bool) {
	h := l.cl.h
	s.stop()
	s.c.Close()
	s.wmu.Lock()
	s.closed = true
	s.wmu.Unlock()
	h.CloseWrite(s.stream) // the connection is gone: nothing more can be written
	l.mu.Lock()
	l.sess = nil
	l.up = make(chan struct{})
	ending = l.ending || l.ctx.Err() != nil
	l.mu.Unlock()
	s.pmu.Lock()
	unanswered := s.pending
	s.pending = nil
	s.pmu.Unlock()
	for _, req := range unanswered {
		h.EmitError(peer.Incoming{Stream: s.stream, Cause: req},
			fmt.Errorf("the connection to %s closed before the response", l.cl.addr), nil)
	}
	h.EndStream(s.stream)
	if !ending {
		h.CircuitBreaker(false, l.key.peer, l.key.stream)
	}
	return ending
}
