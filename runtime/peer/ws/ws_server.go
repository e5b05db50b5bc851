package ws

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
)

// serverWriteTimeout bounds one message written to a client: a client that does not read for
// that long is disconnected instead of holding up the answers of every other client.
const serverWriteTimeout = 10 * time.Second

// ServerSpec declares the ws_server peer type.
var ServerSpec = &peer.Spec{
	Name: "ws_server",
	Doc: "Accepts WebSocket clients; each connection is a stream, each message an event. " +
		"Events sent to it are written back to the connections they came from. With `tls` it serves wss:// (TLS) only.",
	Source: true,
	Sink:   true,
	Codec:  "json",
	Config: []config.Key{
		{Name: "url", Type: config.String, Required: true,
			Doc: "the address to listen on, \"ws://127.0.0.1:8080\" or \"127.0.0.1:8080\", or \"wss://127.0.0.1:8443\" with `tls` set; any path is accepted"},
		{Name: "max_message", Type: config.Int, Default: value.NewInt(defaultMaxMessage),
			Doc: "the largest message read, in bytes; a bigger one closes its connection with status 1009 (message too big) and emits an err event"},
		{Name: "binary", Type: config.Bool, Default: value.NewBool(false),
			Doc: "send answers as binary messages instead of text messages"},
		peer.TLSKey(),
	},
	Meta: []string{
		"$ws_server.peer: {host, port} of the client connection an event was read from; on an event sent to the peer, names the connection to write it to",
	},
	New: newServer,
}

// Server is a running ws_server peer: an HTTP server that upgrades every request to a WebSocket
// connection, one stream per connection.
type Server struct {
	addr   string // host:port to listen on
	maxMsg int64
	typ    websocket.MessageType
	tls    *tls.Config // nil: plain ws://

	h      *peer.Host
	ln     net.Listener
	srv    *http.Server
	ctx    context.Context // reads and writes; cancelled by Stop after the connections are closed
	cancel context.CancelFunc
	wg     sync.WaitGroup // the http server and every connection handler

	mu      sync.Mutex
	stopped bool
	all     map[*serverConn]bool   // every upgraded connection (Stop closes them)
	conns   map[uint64]*serverConn // stream → open connection
	byAddr  map[string]*serverConn // "host:port" of the client → open connection
}

// serverConn is one accepted connection.
type serverConn struct {
	stream uint64
	c      *websocket.Conn
	addr   string      // the client's host:port
	meta   value.Value // {"ws_server": {"peer": {host, port}}}

	wmu    sync.Mutex // one writer at a time; guards closed and buf
	closed bool       // the write side of the stream was closed: write nothing more
	buf    []byte
}

func newServer(cfg config.Values) (peer.Peer, error) {
	tcfg, err := peer.ParseTLS(cfg.Value("tls"), true)
	if err != nil {
		return nil, &config.Error{Key: "tls", Msg: "config key `tls` of ws_server: " + err.Error()}
	}
	addr, err := listenAddr(cfg.String("url"), tcfg != nil)
	if err != nil {
		return nil, err
	}
	maxMsg := cfg.Int("max_message")
	if maxMsg <= 0 {
		return nil, &config.Error{Key: "max_message", Msg: fmt.Sprintf("config key `max_message` of ws_server must be a positive number of bytes, not %d", maxMsg)}
	}
	return &Server{addr: addr, maxMsg: maxMsg, typ: messageType(cfg.Bool("binary")), tls: tcfg}, nil
}

// listenAddr parses ws_server's url: "ws://host:port[/path]", "http://host:port[/path]" or
// "host:port"; with TLS (tlsOn) "wss://" or "https://" instead, which need it.
func listenAddr(raw string, tlsOn bool) (string, error) {
	bad := func(why string) error {
		return &config.Error{Key: "url", Msg: fmt.Sprintf("config key `url` of ws_server must be \"ws://host:port\" or \"host:port\", %s: %q", why, raw)}
	}
	hostport := raw
	if strings.Contains(raw, "://") {
		u, err := url.Parse(raw)
		if err != nil {
			return "", bad("it does not parse")
		}
		switch u.Scheme {
		case "ws", "http":
			if tlsOn {
				return "", bad("a wss:// url is expected when config key `tls` is set")
			}
		case "wss", "https":
			if !tlsOn {
				return "", bad("a wss:// url needs config key `tls` ({\"cert\": ..., \"key\": ...})")
			}
		default:
			return "", bad("the scheme is " + strconv.Quote(u.Scheme))
		}
		hostport = u.Host
	}
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return "", bad("it has no port")
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || (n == 0 && port != "0") {
		return "", bad("the port is not a number from 0 to 65535")
	}
	return net.JoinHostPort(host, port), nil
}

// Addr is the address the server listens on (for tests and logs; nil before Start).
func (s *Server) Addr() net.Addr {
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Start binds the listening socket and serves connections in the background.
func (s *Server) Start(ctx context.Context, h *peer.Host) error {
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("ws_server `%s` cannot listen on %s: %w", h.Alias(), s.addr, err)
	}
	if s.tls != nil {
		// HTTP/1.1 only (no h2 in ALPN): WebSocket upgrades need it.
		ln = tls.NewListener(ln, s.tls)
	}
	s.h, s.ln = h, ln
	s.ctx, s.cancel = context.WithCancel(context.WithoutCancel(ctx))
	s.all = map[*serverConn]bool{}
	s.conns = map[uint64]*serverConn{}
	s.byAddr = map[string]*serverConn{}
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serveHTTP), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return s.ctx }}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			h.Log().Error("ws_server stopped accepting connections", "addr", s.addr, "error", err)
		}
	}()
	return nil
}

// serveHTTP upgrades one request and reads its messages until the connection closes.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		http.Error(w, "the server is stopping", http.StatusServiceUnavailable)
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		s.h.Log().Debug("websocket upgrade failed", "client", r.RemoteAddr, "error", err)
		return
	}
	c.SetReadLimit(s.maxMsg)
	sc := &serverConn{c: c, addr: r.RemoteAddr, meta: clientMeta(r.RemoteAddr)}
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		c.Close(websocket.StatusGoingAway, "rill peer stopping")
		return
	}
	s.all[sc] = true
	s.mu.Unlock()
	sc.stream = s.h.StartStream()
	s.mu.Lock()
	s.conns[sc.stream] = sc
	s.byAddr[sc.addr] = sc
	s.mu.Unlock()

	s.read(sc)

	s.mu.Lock()
	delete(s.all, sc)
	delete(s.conns, sc.stream)
	if s.byAddr[sc.addr] == sc {
		delete(s.byAddr, sc.addr)
	}
	s.mu.Unlock()
	sc.wmu.Lock()
	sc.closed = true
	s.h.CloseWrite(sc.stream) // the connection is gone: what a compressor still holds can not be sent
	sc.wmu.Unlock()
	s.h.EndStream(sc.stream)
	c.CloseNow()
}

// read delivers every message of sc until the connection ends.
func (s *Server) read(sc *serverConn) {
	in := peer.Incoming{Stream: sc.stream, Meta: sc.meta}
	err := receive(s.ctx, s.h, sc.c, func() peer.Incoming { return in })
	switch {
	case err == nil:
	case errors.Is(err, websocket.ErrMessageTooBig):
		s.h.EmitError(in, fmt.Errorf("ws_server: a message of %s is bigger than max_message (%d bytes); the connection was closed", sc.addr, s.maxMsg), nil)
	case websocket.CloseStatus(err) == websocket.StatusNormalClosure, websocket.CloseStatus(err) == websocket.StatusGoingAway,
		s.ctx.Err() != nil:
	default:
		s.h.Log().Debug("websocket connection ended", "client", sc.addr, "error", err)
	}
}

// clientMeta is the metadata of a connection's events: {"ws_server": {"peer": {host, port}}}.
func clientMeta(remote string) value.Value {
	ws := value.NewRec(1)
	ws.Set("peer", peer.EndpointOf(remote))
	m := value.NewRec(1)
	m.Set("ws_server", value.NewRecordValue(ws))
	return value.NewRecordValue(m)
}

// Send writes ev to the connections it answers (see targets) as one message each. It acks when
// at least one write succeeded and fails when there was no open target or every write failed.
func (s *Server) Send(_ string, ev *runtime.Event, done func(error)) {
	targets, err := s.targets(ev)
	if err != nil {
		done(err)
		return
	}
	var firstErr error
	wrote := false
	for _, sc := range targets {
		if err := s.write(sc, ev); err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		wrote = true
	}
	if wrote {
		done(nil)
		return
	}
	done(firstErr)
}

// targets returns the open connections ev goes to. The streams of this peer that ev's id and
// tracked ids name are the targets; `$ws_server.peer` names one explicitly. When the named
// connection is one of the event's own streams (the metadata was carried along from the
// request), every stream of the event is a target, so an aggregate still reaches all its
// clients; when it is another connection, it alone is the target (a redirect).
func (s *Server) targets(ev *runtime.Event) ([]*serverConn, error) {
	explicit, hasExplicit, err := explicitPeer(ev.Meta)
	if err != nil {
		return nil, err
	}
	streams := ev.Streams(s.h.UID())
	s.mu.Lock()
	defer s.mu.Unlock()
	if hasExplicit {
		sc := s.byAddr[explicit]
		if sc == nil {
			return nil, fmt.Errorf("no open connection of peer `%s` from %s (named by $ws_server.peer)", s.h.Alias(), explicit)
		}
		own := false
		for _, st := range streams {
			own = own || st == sc.stream
		}
		if !own {
			return []*serverConn{sc}, nil
		}
	}
	if len(streams) == 0 {
		return nil, fmt.Errorf("the event came from no connection of peer `%s` and has no $ws_server.peer to name one", s.h.Alias())
	}
	out := make([]*serverConn, 0, len(streams))
	for _, st := range streams {
		if sc := s.conns[st]; sc != nil {
			out = append(out, sc)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no open connection of peer `%s` for this event (its connections closed)", s.h.Alias())
	}
	return out, nil
}

// explicitPeer reads `$ws_server.peer` = {host, port} from meta as "host:port".
func explicitPeer(meta value.Value) (addr string, ok bool, err error) {
	m, isRec := meta.AsRecord()
	if !isRec {
		return "", false, nil
	}
	ns, has := m.Get("ws_server")
	if !has {
		return "", false, nil
	}
	nsr, isRec := ns.AsRecord()
	if !isRec {
		return "", false, nil
	}
	p, has := nsr.Get("peer")
	if !has || p.IsNull() {
		return "", false, nil
	}
	bad := fmt.Errorf("$ws_server.peer must be a record {\"host\": string, \"port\": integer}, not %s", value.Encode(p))
	pr, isRec := p.AsRecord()
	if !isRec {
		return "", false, bad
	}
	hv, _ := pr.Get("host")
	pv, _ := pr.Get("port")
	host, okH := hv.AsString()
	port, okP := pv.AsU64()
	if !okH || !okP || port > 65535 {
		return "", false, bad
	}
	return net.JoinHostPort(host, strconv.FormatUint(port, 10)), true, nil
}

// write serializes ev for sc's stream and writes it as one message.
func (s *Server) write(sc *serverConn, ev *runtime.Event) error {
	sc.wmu.Lock()
	defer sc.wmu.Unlock()
	if sc.closed {
		return fmt.Errorf("the connection of peer `%s` from %s closed", s.h.Alias(), sc.addr)
	}
	msg, ok, err := encodeEvent(s.h, sc.stream, ev, &sc.buf)
	if err != nil || !ok {
		return err
	}
	if err := writeMessage(s.ctx, sc.c, s.typ, serverWriteTimeout, msg); err != nil {
		return fmt.Errorf("writing to %s: %w", sc.addr, err)
	}
	s.h.Metrics().Send.Add(1)
	return nil
}

// Stop closes every connection with status 1001 (going away), shuts the HTTP server down and
// waits for the connection handlers, which end their streams.
func (s *Server) Stop() error {
	s.mu.Lock()
	if s.stopped || s.srv == nil {
		s.mu.Unlock()
		return nil
	}
	s.stopped = true
	conns := make([]*serverConn, 0, len(s.all))
	for sc := range s.all {
		conns = append(conns, sc)
	}
	s.mu.Unlock()
	err := s.srv.Close() // the listener and the connections not upgraded yet
	closeAll(conns, func(sc *serverConn) *websocket.Conn { return sc.c })
	s.cancel() // handlers blocked on a paused stream return
	s.wg.Wait()
	return err
}

// closeAll closes the connections with status 1001 (going away) concurrently and waits: each
// close waits for the other side's answer (at most a few seconds), so they overlap.
func closeAll[T any](items []T, conn func(T) *websocket.Conn) {
	var wg sync.WaitGroup
	for _, it := range items {
		c := conn(it)
		if c == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Close(websocket.StatusGoingAway, "rill peer stopping")
		}()
	}
	wg.Wait()
}
