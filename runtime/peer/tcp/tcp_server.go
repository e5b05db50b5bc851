package tcp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
)

var serverSpec = &peer.Spec{
	Name: "tcp_server",
	Doc: "listens for TCP connections: each connection is a stream whose bytes become events; " +
		"events sent to it are written back to the connections they came from; with `tls` it accepts TLS connections only",
	Source: true,
	Sink:   true,
	Codec:  "json",
	Lines:  true,
	Config: []config.Key{
		{Name: "url", Type: config.String, Required: true, Doc: "the address to listen on, \"host:port\" or \"tcp://host:port\" (port 0: any free port)"},
		{Name: "buf_size", Type: config.Int, Default: value.NewInt(8192), Doc: "the size of the read buffer of each connection, in bytes"},
		{Name: "no_delay", Type: config.Bool, Default: value.NewBool(true), Doc: "disable Nagle's algorithm (TCP_NODELAY) on accepted connections"},
		{Name: "max_connections", Type: config.Int, Default: value.NewInt(0), Doc: "the most connections open at once (0: unlimited); connections beyond it are closed right away"},
		{Name: "write_timeout", Type: config.Duration, Default: value.NewInt(10000), Doc: "milliseconds a write to one client may block before that connection is closed (0: no limit), so a client that stops reading cannot hold back the answers to the others"},
		peer.TLSKey(),
	},
	Meta: []string{
		"$tcp_server.peer: {host, port} of the client a received event came from",
		"$tcp_server.peer (sink): also writes the event to the open connection of that client",
	},
	New: newServer,
}

// Server is a running tcp_server peer. Each accepted connection is a stream: StartStream when it
// is accepted, one Host.Receive per read, EndStream when it closes (or on Stop). Its sink side
// writes an event to every still open connection among the event's streams (Event.Streams) and
// the one named by `$tcp_server.peer`; writes to one connection are serialized.
type Server struct {
	addr     string
	bufSize  int
	noDelay  bool
	maxConns int
	wtimeout time.Duration // write_timeout; 0: none
	tls      *tls.Config   // nil: plain TCP

	h      *peer.Host
	ctx    context.Context
	cancel context.CancelFunc
	ln     net.Listener
	wg     sync.WaitGroup

	mu      sync.Mutex
	conns   map[uint64]*serverConn    // stream → open connection
	byPeer  map[netip.AddrPort]uint64 // client address → stream
	full    bool                      // max_connections reached and logged
	stopped bool
}

// serverConn is one accepted connection.
type serverConn struct {
	stream uint64
	c      net.Conn
	peer   netip.AddrPort
	meta   value.Value // {"tcp_server": {"peer": {host, port}}}, shared by its events

	wmu    sync.Mutex // one writer at a time
	closed bool       // guarded by wmu: the write side is finished
}

func newServer(cfg config.Values) (peer.Peer, error) {
	addr, err := peer.ParseAddr("url", cfg.String("url"), "tcp", false)
	if err != nil {
		return nil, err
	}
	buf, err := positive("buf_size", cfg.Int("buf_size"))
	if err != nil {
		return nil, err
	}
	maxConns := cfg.Int("max_connections")
	if maxConns < 0 {
		return nil, fmt.Errorf("config key `max_connections`: expected 0 (unlimited) or a positive number, not %d", maxConns)
	}
	tcfg, err := peer.ParseTLS(cfg.Value("tls"), true)
	if err != nil {
		return nil, fmt.Errorf("config key `tls` of tcp_server: %w", err)
	}
	return &Server{addr: addr, bufSize: buf, noDelay: cfg.Bool("no_delay"), maxConns: int(maxConns),
		wtimeout: time.Duration(cfg.Int("write_timeout")) * time.Millisecond, tls: tcfg}, nil
}

// Addr is the address the server listens on (with the actual port when the url gave port 0),
// for tests and logs; nil before Start.
func (s *Server) Addr() net.Addr {
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Start binds the listening socket and starts accepting connections.
func (s *Server) Start(ctx context.Context, h *peer.Host) error {
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("tcp_server `%s`: %w", h.Alias(), err)
	}
	if s.tls != nil {
		// The handshake runs on the connection's first read or write, in its own goroutine.
		ln = tls.NewListener(ln, s.tls)
	}
	s.h, s.ln = h, ln
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.conns = map[uint64]*serverConn{}
	s.byPeer = map[netip.AddrPort]uint64{}
	h.Log().Info("tcp_server listening", "addr", ln.Addr().String())
	h.CircuitBreaker(true, 0, 0)
	s.wg.Add(1)
	go s.accept()
	return nil
}

// Stop closes the listener and every connection and waits until every stream has ended.
func (s *Server) Stop() error {
	if s.ln == nil {
		return nil
	}
	s.cancel()
	s.ln.Close()
	s.mu.Lock()
	s.stopped = true
	for _, c := range s.conns {
		c.c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}

func (s *Server) accept() {
	defer s.wg.Done()
	var delay time.Duration
	for {
		c, err := s.ln.Accept()
		if err != nil {
			if s.ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors and the like: wait a little and go on (net/http's policy).
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			s.h.Log().Warn("tcp_server accept failed", "err", err, "retry_in", delay)
			select {
			case <-time.After(delay):
			case <-s.ctx.Done():
				return
			}
			continue
		}
		delay = 0
		s.open(c)
	}
}

// open registers an accepted connection as a new stream and starts reading it, or closes it
// when max_connections are open.
func (s *Server) open(c net.Conn) {
	if tc, ok := tcpConn(c); ok {
		tc.SetNoDelay(s.noDelay)
	}
	ap := addrPort(c.RemoteAddr())
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		c.Close()
		return
	}
	if s.maxConns > 0 && len(s.conns) >= s.maxConns {
		first := !s.full
		s.full = true
		s.mu.Unlock()
		c.Close()
		if first {
			s.h.Log().Warn("tcp_server refuses connections: max_connections reached", "max_connections", s.maxConns, "client", ap.String())
		} else {
			s.h.Log().Debug("tcp_server refused a connection: max_connections reached", "client", ap.String())
		}
		return
	}
	s.mu.Unlock()
	// StartStream outside mu: announcing the stream may block on the pipelines, which may be
	// waiting for Send. Only this goroutine adds connections, so the count checked above holds.
	sc := &serverConn{stream: s.h.StartStream(), c: c, peer: ap}
	meta := value.NewRec(1)
	ns := value.NewRec(1)
	ns.Set("peer", peer.Endpoint(ap))
	meta.Set("tcp_server", value.NewRecordValue(ns))
	sc.meta = value.NewRecordValue(meta)
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		c.Close()
		s.h.EndStream(sc.stream)
		return
	}
	s.conns[sc.stream] = sc
	s.byPeer[ap] = sc.stream
	s.wg.Add(1)
	s.mu.Unlock()
	go s.read(sc)
}

// read hands what the connection sends to the host until it closes, then ends the stream.
func (s *Server) read(sc *serverConn) {
	defer s.wg.Done()
	defer s.close(sc)
	buf := make([]byte, s.bufSize)
	in := peer.Incoming{Stream: sc.stream, Meta: sc.meta}
	for {
		n, err := sc.c.Read(buf)
		if n > 0 {
			if s.h.Receive(s.ctx, in, buf[:n]) != nil {
				return
			}
		}
		if err != nil {
			if s.ctx.Err() == nil && !errors.Is(err, net.ErrClosed) {
				s.h.Log().Debug("tcp_server connection closed", "client", sc.peer.String(), "err", err)
			}
			return
		}
	}
}

// close unregisters a connection, writes what the write-side interceptors still hold, closes
// it and ends its stream.
func (s *Server) close(sc *serverConn) {
	s.mu.Lock()
	delete(s.conns, sc.stream)
	if s.byPeer[sc.peer] == sc.stream {
		delete(s.byPeer, sc.peer)
	}
	if s.maxConns > 0 && len(s.conns) < s.maxConns {
		s.full = false
	}
	s.mu.Unlock()
	sc.wmu.Lock()
	sc.closed = true
	if chunks, err := s.h.CloseWrite(sc.stream); err == nil && len(chunks) > 0 {
		sc.c.SetWriteDeadline(time.Now().Add(time.Second))
		writeChunks(sc.c, chunks)
	}
	sc.c.Close()
	sc.wmu.Unlock()
	s.h.EndStream(sc.stream)
}

// Send writes ev to its target connections: every open one among ev.Streams(uid) and the one
// `$tcp_server.peer` names. It acks when at least one write succeeded and fails otherwise.
// A client that does not read holds Send back (backpressure) until it reads or disconnects.
func (s *Server) Send(_ string, ev *runtime.Event, done func(error)) {
	targets := s.targets(ev)
	if len(targets) == 0 {
		done(fmt.Errorf("no open connection of peer `%s` for this event (its connection closed, or it did not come from this peer and names no open `$tcp_server.peer`)", s.h.Alias()))
		return
	}
	var firstErr error
	ok := 0
	for _, sc := range targets {
		if err := s.write(sc, ev); err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		ok++
	}
	if ok > 0 {
		done(nil)
		return
	}
	done(firstErr)
}

func (s *Server) targets(ev *runtime.Event) []*serverConn {
	var out []*serverConn
	add := func(sc *serverConn) {
		for _, x := range out {
			if x == sc {
				return
			}
		}
		out = append(out, sc)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ev.Streams(s.h.UID()) {
		if sc := s.conns[id]; sc != nil {
			add(sc)
		}
	}
	if ap, ok := peerFromMeta(ev.Meta, "tcp_server"); ok {
		if id, ok := s.byPeer[ap]; ok {
			add(s.conns[id])
		}
	}
	return out
}

// write serializes ev for one connection and writes it.
func (s *Server) write(sc *serverConn, ev *runtime.Event) error {
	sc.wmu.Lock()
	defer sc.wmu.Unlock()
	if sc.closed {
		return fmt.Errorf("the connection of %s to peer `%s` closed", sc.peer, s.h.Alias())
	}
	chunks, err := s.h.Serialize(sc.stream, ev)
	if err != nil {
		return err
	}
	if s.wtimeout > 0 {
		sc.c.SetWriteDeadline(time.Now().Add(s.wtimeout))
	}
	if err := writeChunks(sc.c, chunks); err != nil {
		sc.c.Close() // the reader ends the stream
		return fmt.Errorf("writing to %s: %w", sc.peer, err)
	}
	s.h.Metrics().Send.Add(1)
	return nil
}

// writeChunks writes every chunk in order.
func writeChunks(c net.Conn, chunks [][]byte) error {
	for _, ch := range chunks {
		if _, err := c.Write(ch); err != nil {
			return err
		}
	}
	return nil
}
