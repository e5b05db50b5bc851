package ws

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
)

// maxQueued bounds the events a per_stream upstream connection holds while it connects; more
// are failed (the origin stream's circuit breaker is closed meanwhile, so few should arrive).
const maxQueued = 1024

// ClientSpec declares the ws_client peer type.
var ClientSpec = &peer.Spec{
	Name: "ws_client",
	Doc: "Connects to a WebSocket server (reconnecting with backoff), writes each event as one message " +
		"and emits each message it reads; per_stream opens one connection per incoming stream (a proxy). `tls` configures wss:// connections.",
	Source:  true,
	Sink:    true,
	Answers: true,
	Codec:   "json",
	Config: []config.Key{
		{Name: "url", Type: config.String, Required: true,
			Doc: "the server to connect to, \"ws://host:port/path\" (also wss://, or \"host:port\"); wss verifies the server against the system roots, or `tls.ca`"},
		{Name: "per_stream", Type: config.Bool, Default: value.NewBool(false),
			Doc: "open one connection per incoming stream (by the origin peer and stream of the events sent), so answers return to the stream they answer"},
		{Name: "request_mode", Type: config.Bool, Default: value.NewBool(false),
			Doc: "every message read answers the oldest unanswered event written on its connection and gets its $correlation"},
		{Name: "binary", Type: config.Bool, Default: value.NewBool(false),
			Doc: "send events as binary messages instead of text messages"},
		{Name: "timeout", Type: config.Duration, Default: value.NewInt(10000),
			Doc: "how long one connection attempt or one message write may take, in milliseconds"},
		{Name: "max_message", Type: config.Int, Default: value.NewInt(defaultMaxMessage),
			Doc: "the largest message read, in bytes; a bigger one closes the connection with status 1009 (message too big) and emits an err event"},
		peer.TLSKey(),
	},
	Meta: []string{
		"$correlation: in request_mode, copied from the event a message answers",
	},
	New: newClient,
}

// Client is a running ws_client peer.
type Client struct {
	url       string
	perStream bool
	ended     peer.EndedStreams // per_stream: origin streams that ended
	reqMode   bool
	typ       websocket.MessageType
	timeout   time.Duration
	maxMsg    int64
	dialOpts  *websocket.DialOptions
	transport *http.Transport
	h         *peer.Host
	ctx       context.Context // dials, reads and writes; cancelled by Stop
	cancel    context.CancelFunc
	wg        sync.WaitGroup // every link worker and reader
	mu        sync.Mutex     // guards stopped, links, live
	stopped   bool
	single    *link            // the default mode's connection
	links     map[origin]*link // per_stream: the link of each origin stream still open
	live      map[*link]bool   // every link whose worker runs
}

// origin identifies the stream events sent to a per_stream client come from.
type origin struct{ peer, stream uint64 }

// link is one upstream connection slot: the default mode's single connection, or the connection
// of one origin stream. A worker goroutine dials (again), reads, and closes it.
type link struct {
	cl  *Client
	key origin // zero in the default mode
	// wmu serializes writes (one writer per connection); it is taken before mu, never after.
	wmu sync.Mutex
	buf []byte
	mu  sync.Mutex
	// conn and stream are the current connection and its stream; conn is nil while disconnected
	// (and while a new connection flushes its queue, so later events wait behind the queue).
	conn    *websocket.Conn
	stream  uint64
	current *websocket.Conn  // the connection being served, published or not (Stop closes it)
	queue   []queued         // per_stream: events written once connected
	last    *runtime.Event   // the latest event written on conn (the cause of what it reads)
	pending []*runtime.Event // request_mode: events written on conn and not answered yet
	ending  bool             // the origin stream ended: close after writing what is queued
	dead    bool             // the worker is gone: take no more events
	endCh   chan struct{}    // closed when ending is set
}

type queued struct {
	ev   *runtime.Event
	done func(error)
}

func newClient(cfg config.Values) (peer.Peer, error) {
	u, err := dialURL(cfg.String("url"))
	if err != nil {
		return nil, err
	}
	timeout := time.Duration(cfg.Int("timeout")) * time.Millisecond
	if timeout <= 0 {
		return nil, &config.Error{Key: "timeout", Msg: "config key `timeout` of ws_client must be a positive number of milliseconds"}
	}
	maxMsg := cfg.Int("max_message")
	if maxMsg <= 0 {
		return nil, &config.Error{Key: "max_message", Msg: fmt.Sprintf("config key `max_message` of ws_client must be a positive number of bytes, not %d", maxMsg)}
	}
	tcfg, err := peer.ParseTLS(cfg.Value("tls"), false)
	if err != nil {
		return nil, &config.Error{Key: "tls", Msg: "config key `tls` of ws_client: " + err.Error()}
	}
	tr := &http.Transport{Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext, TLSHandshakeTimeout: timeout,
		TLSClientConfig: tcfg}
	return &Client{url: u, perStream: cfg.Bool("per_stream"), reqMode: cfg.Bool("request_mode"),
		typ: messageType(cfg.Bool("binary")), timeout: timeout, maxMsg: maxMsg, transport: tr,
		dialOpts: &websocket.DialOptions{HTTPClient: &http.Client{Transport: tr}}}, nil
}

// dialURL parses ws_client's url: ws://, wss://, http://, https:// URLs, or "host:port" (ws).
func dialURL(raw string) (string, error) {
	bad := func(why string) error {
		return &config.Error{Key: "url", Msg: fmt.Sprintf("config key `url` of ws_client must be \"ws://host:port/path\" or \"host:port\", %s: %q", why, raw)}
	}
	if !strings.Contains(raw, "://") {
		raw = "ws://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", bad("it does not parse")
	}
	switch u.Scheme {
	case "ws", "wss", "http", "https":
	default:
		return "", bad("the scheme is " + fmt.Sprintf("%q", u.Scheme))
	}
	if u.Host == "" || u.Hostname() == "" {
		return "", bad("it has no host")
	}
	return u.String(), nil
}

// Start starts connecting in the background (default mode) or waits for streams (per_stream);
// it never fails because the server is not up.
func (c *Client) Start(ctx context.Context, h *peer.Host) error {
	c.h = h
	c.ctx, c.cancel = context.WithCancel(context.WithoutCancel(ctx))
	c.links = map[origin]*link{}
	c.live = map[*link]bool{}
	if c.perStream {
		h.CircuitBreaker(true, 0, 0) // streams connect on demand; each has its own breaker
		return nil
	}
	h.CircuitBreaker(false, 0, 0)
	c.single = &link{cl: c, endCh: make(chan struct{})}
	c.mu.Lock()
	c.startLocked(c.single)
	c.mu.Unlock()
	return nil
}

// startLocked starts the worker of l; c.mu is held and c is not stopped.
func (c *Client) startLocked(l *link) {
	c.live[l] = true
	c.wg.Add(1)
	go l.run()
}

// linkFor returns the per_stream link of key, creating it (and closing the origin's breaker
// until it connects) when there is none; nil once stopped.
func (c *Client) linkFor(key origin) *link {
	c.mu.Lock()
	if c.stopped {
		c.mu.Unlock()
		return nil
	}
	if l := c.links[key]; l != nil {
		c.mu.Unlock()
		return l
	}
	l := &link{cl: c, key: key, endCh: make(chan struct{})}
	c.links[key] = l
	c.mu.Unlock()
	// The breaker closes before the worker starts, so its "open" report comes after this one.
	c.h.CircuitBreaker(false, key.peer, key.stream)
	c.mu.Lock()
	if c.stopped {
		c.mu.Unlock()
		l.finish() // fails what another goroutine queued on it meanwhile
		return nil
	}
	c.startLocked(l)
	c.mu.Unlock()
	return l
}

// isStopped reports whether Stop began.
func (c *Client) isStopped() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stopped
}

// Signal opens (StreamStart) or closes (StreamEnd) the upstream connection of an origin stream
// in per_stream mode; other modes ignore signals.
func (c *Client) Signal(sig runtime.Signal) {
	if !c.perStream || c.h == nil || sig.Peer == c.h.UID() {
		return
	}
	key := origin{sig.Peer, sig.Stream}
	switch sig.Kind {
	case runtime.StreamStart:
		c.linkFor(key)
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

// Send writes ev as one message: on the connection (default mode; fails at once while
// disconnected) or on its origin stream's connection (per_stream; queued while it connects).
func (c *Client) Send(_ string, ev *runtime.Event, done func(error)) {
	if !c.perStream {
		if !c.single.send(ev, done) {
			done(fmt.Errorf("ws_client `%s` is not connected to %s and no longer tries to connect", c.h.Alias(), c.url))
		}
		return
	}
	p, st, ok := peer.OriginOf(ev)
	switch {
	case !ok:
		done(peer.ErrNoOrigin(c.h.Alias()))
		return
	case c.ended.Has(p, st):
		done(peer.ErrStreamEnded(c.h.Alias(), p, st))
		return
	}
	key := origin{p, st}
	for range 2 { // a link may die between lookup and send; the second lookup makes a new one
		l := c.linkFor(key)
		if l == nil {
			done(fmt.Errorf("ws_client `%s` is stopped", c.h.Alias()))
			return
		}
		if l.send(ev, done) {
			return
		}
	}
	done(fmt.Errorf("ws_client `%s` could not open a connection to %s for stream %d of peer %d", c.h.Alias(), c.url, key.stream, key.peer))
}

// send writes ev now, queues it (per_stream, while connecting), or fails it (default mode,
// while disconnected). It reports false, without calling done, when the link is dead.
func (l *link) send(ev *runtime.Event, done func(error)) bool {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	l.mu.Lock()
	if l.dead {
		l.mu.Unlock()
		return false
	}
	if l.conn == nil {
		if !l.cl.perStream {
			l.mu.Unlock()
			done(fmt.Errorf("ws_client `%s` is not connected to %s", l.cl.h.Alias(), l.cl.url))
			return true
		}
		if len(l.queue) >= maxQueued {
			l.mu.Unlock()
			done(fmt.Errorf("ws_client `%s` is still connecting to %s for stream %d of peer %d and holds %d events already", l.cl.h.Alias(), l.cl.url, l.key.stream, l.key.peer, maxQueued))
			return true
		}
		l.queue = append(l.queue, queued{ev, done})
		l.mu.Unlock()
		return true
	}
	conn, stream := l.conn, l.stream
	l.mu.Unlock()
	done(l.writeLocked(conn, stream, ev))
	return true
}

// writeLocked writes ev on conn as one message; wmu is held. The event becomes the cause of
// what the connection reads next (per_stream) or waits for its answer (request_mode).
func (l *link) writeLocked(conn *websocket.Conn, stream uint64, ev *runtime.Event) error {
	cl := l.cl
	msg, ok, err := encodeEvent(cl.h, stream, ev, &l.buf)
	if err != nil || !ok {
		return err
	}
	l.mu.Lock()
	l.last = ev
	if cl.reqMode {
		l.pending = append(l.pending, ev) // before writing: the answer may come back at once
	}
	l.mu.Unlock()
	if err := writeMessage(cl.ctx, conn, cl.typ, cl.timeout, msg); err != nil {
		if cl.reqMode {
			l.unpend(ev)
		}
		return fmt.Errorf("ws_client `%s` writing to %s: %w", cl.h.Alias(), cl.url, err)
	}
	cl.h.Metrics().Send.Add(1)
	return nil
}

// unpend removes ev from the requests waiting for an answer (its write failed).
func (l *link) unpend(ev *runtime.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, p := range l.pending {
		if p == ev {
			l.pending = append(l.pending[:i], l.pending[i+1:]...)
			return
		}
	}
}

// popPending returns the oldest request still waiting for an answer (nil: none).
func (l *link) popPending() *runtime.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.pending) == 0 {
		return nil
	}
	ev := l.pending[0]
	l.pending[0] = nil
	l.pending = l.pending[1:]
	return ev
}

// lastSent returns the latest event written on the connection.
func (l *link) lastSent() *runtime.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last
}

// end asks the worker to close the connection once what is queued is written.
func (l *link) end() {
	l.mu.Lock()
	if !l.ending {
		l.ending = true
		close(l.endCh)
	}
	l.mu.Unlock()
}

func (l *link) isEnding() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ending
}

// run is the link's worker: it dials with backoff and serves each connection. The default mode's
// link reconnects until Stop; a per_stream link ends with its connection (an event sent for the
// origin later opens a new one) or when its origin stream ends.
func (l *link) run() {
	cl := l.cl
	defer cl.wg.Done()
	defer l.finish()
	outage := false
	for attempt := 0; ; {
		if cl.ctx.Err() != nil || cl.isStopped() {
			return
		}
		l.mu.Lock()
		idle := l.ending && len(l.queue) == 0
		l.mu.Unlock()
		if idle {
			return
		}
		conn, err := cl.dial()
		if err != nil {
			if cl.ctx.Err() != nil {
				return
			}
			if !outage {
				outage = true
				cl.h.Log().Warn("ws_client cannot connect; retrying", "url", cl.url, "error", err)
			}
			if l.isEnding() {
				return
			}
			d, ok := cl.h.Reconnect().Delay(attempt)
			attempt++
			if !ok {
				cl.h.Log().Error("ws_client gives up connecting after its retries", "url", cl.url, "retries", attempt-1)
				return
			}
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-l.endCh:
			case <-cl.ctx.Done():
			}
			t.Stop()
			continue
		}
		if outage {
			cl.h.Log().Info("ws_client connected", "url", cl.url)
			outage = false
		}
		attempt = 0
		l.serve(conn)
		if cl.perStream {
			return
		}
	}
}

// dial opens one connection within the timeout.
func (c *Client) dial() (*websocket.Conn, error) {
	ctx, cancel := context.WithTimeout(c.ctx, c.timeout)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, c.url, c.dialOpts)
	if err != nil {
		return nil, err
	}
	conn.SetReadLimit(c.maxMsg)
	return conn, nil
}

// serve runs one connection as a new stream: it writes what is queued, opens the breaker, reads
// until the connection ends (or closes it when the origin stream ended), then ends the stream.
func (l *link) serve(conn *websocket.Conn) {
	cl := l.cl
	stream := cl.h.StartStream()
	readDone := make(chan struct{})
	cl.wg.Add(1)
	go func() {
		defer cl.wg.Done()
		defer close(readDone)
		l.read(conn, stream)
	}()

	// Write the queue, then publish the connection; Send waits on wmu meanwhile, so the order of
	// events is kept.
	l.wmu.Lock()
	l.mu.Lock()
	l.last, l.pending, l.current = nil, nil, conn
	l.mu.Unlock()
	for {
		l.mu.Lock()
		if len(l.queue) == 0 {
			l.conn, l.stream = conn, stream
			l.mu.Unlock()
			break
		}
		q := l.queue[0]
		l.queue[0] = queued{}
		l.queue = l.queue[1:]
		l.mu.Unlock()
		q.done(l.writeLocked(conn, stream, q.ev))
	}
	l.wmu.Unlock()
	cl.h.CircuitBreaker(true, l.key.peer, l.key.stream)

	select {
	case <-readDone:
	case <-l.endCh:
		// The origin stream ended: flush the write side and close normally (the reader sees
		// the server's close answer and returns).
		l.wmu.Lock()
		l.mu.Lock()
		l.conn = nil
		l.mu.Unlock()
		if chunks, err := cl.h.CloseWrite(stream); err == nil {
			if msg, ok := joinChunks(&l.buf, chunks); ok {
				writeMessage(cl.ctx, conn, cl.typ, cl.timeout, msg)
			}
		}
		l.wmu.Unlock()
		conn.Close(websocket.StatusNormalClosure, "")
		<-readDone
	case <-cl.ctx.Done():
		conn.CloseNow()
		<-readDone
	}

	l.wmu.Lock()
	l.mu.Lock()
	l.conn, l.current = nil, nil
	pending := l.pending
	l.pending, l.last = nil, nil
	l.mu.Unlock()
	cl.h.CloseWrite(stream)
	l.wmu.Unlock()
	if !cl.perStream {
		cl.h.CircuitBreaker(false, 0, 0)
		if !cl.isStopped() {
			cl.h.Log().Warn("ws_client lost its connection; reconnecting", "url", cl.url)
		}
	}
	for _, ev := range pending {
		cl.h.EmitError(peer.Incoming{Stream: stream, Cause: ev}, fmt.Errorf("ws_client: the connection to %s closed before an answer", cl.url), nil)
	}
	cl.h.EndStream(stream)
	conn.CloseNow()
}

// read delivers the messages of conn on stream until it ends.
func (l *link) read(conn *websocket.Conn, stream uint64) {
	cl := l.cl
	err := receive(cl.ctx, cl.h, conn, func() peer.Incoming {
		in := peer.Incoming{Stream: stream}
		switch {
		case cl.reqMode:
			in.Causes = l.popPending
		case cl.perStream:
			in.Cause = l.lastSent()
		}
		return in
	})
	if err == nil {
		return
	}
	if errors.Is(err, websocket.ErrMessageTooBig) {
		cl.h.EmitError(peer.Incoming{Stream: stream}, fmt.Errorf("ws_client: a message from %s is bigger than max_message (%d bytes); the connection was closed", cl.url, cl.maxMsg), nil)
	}
	conn.CloseNow()
}

// finish marks the link dead, forgets it and fails what is still queued.
func (l *link) finish() {
	cl := l.cl
	cl.mu.Lock()
	delete(cl.live, l)
	if cl.links[l.key] == l {
		delete(cl.links, l.key)
	}
	cl.mu.Unlock()
	l.mu.Lock()
	l.dead = true
	q := l.queue
	l.queue = nil
	l.mu.Unlock()
	for _, x := range q {
		x.done(fmt.Errorf("ws_client `%s` could not connect to %s", cl.h.Alias(), cl.url))
	}
}

// Stop closes every connection with status 1001 (going away), stops reconnecting and waits for
// the workers, which end their streams and fail what is still queued.
func (c *Client) Stop() error {
	c.mu.Lock()
	if c.stopped || c.h == nil {
		c.mu.Unlock()
		return nil
	}
	c.stopped = true
	links := make([]*link, 0, len(c.live))
	for l := range c.live {
		links = append(links, l)
	}
	c.mu.Unlock()
	closeAll(links, func(l *link) *websocket.Conn {
		l.mu.Lock()
		defer l.mu.Unlock()
		return l.current
	})
	c.cancel()
	c.wg.Wait()
	c.transport.CloseIdleConnections()
	return nil
}
