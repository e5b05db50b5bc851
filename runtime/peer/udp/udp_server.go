package udp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
)

var serverSpec = &peer.Spec{
	Name:   "udp_server",
	Doc:    "receives UDP datagrams on a bound socket; every datagram is one frame of one stream that lasts as long as the socket",
	Source: true,
	Codec:  "json",
	Config: []config.Key{
		{Name: "url", Type: config.String, Required: true, Doc: "the address to bind, \"host:port\" or \"udp://host:port\" (port 0: any free port)"},
		{Name: "buf_size", Type: config.Int, Default: value.NewInt(65535), Doc: "the largest datagram accepted, in bytes (up to 65535); a longer one becomes an err event"},
	},
	Meta: []string{"$udp_server.peer: {host, port} of the sender of the datagram"},
	New:  newServer,
}

// Server is a running udp_server peer: one socket, one stream (started by Start, ended by
// Stop), one Host.Receive per datagram with `$udp_server.peer` naming its sender.
type Server struct {
	addr    string
	bufSize int

	h      *peer.Host
	ctx    context.Context
	cancel context.CancelFunc
	conn   *net.UDPConn
	done   chan struct{}
}

func newServer(cfg config.Values) (peer.Peer, error) {
	addr, err := peer.ParseAddr("url", cfg.String("url"), "udp", false)
	if err != nil {
		return nil, err
	}
	n := cfg.Int("buf_size")
	if n <= 0 || n > 65535 {
		return nil, fmt.Errorf("config key `buf_size`: expected a datagram size from 1 to 65535 bytes, not %d", n)
	}
	return &Server{addr: addr, bufSize: int(n)}, nil
}

// Addr is the bound address (with the actual port when the url gave port 0), for tests and
// logs; nil before Start.
func (s *Server) Addr() net.Addr {
	if s.conn == nil {
		return nil
	}
	return s.conn.LocalAddr()
}

// Start binds the socket and starts reading datagrams.
func (s *Server) Start(ctx context.Context, h *peer.Host) error {
	ua, err := net.ResolveUDPAddr("udp", s.addr)
	if err != nil {
		return fmt.Errorf("udp_server `%s`: %w", h.Alias(), err)
	}
	conn, err := net.ListenUDP("udp", ua)
	if err != nil {
		return fmt.Errorf("udp_server `%s`: %w", h.Alias(), err)
	}
	s.h, s.conn = h, conn
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.done = make(chan struct{})
	h.Log().Info("udp_server listening", "addr", conn.LocalAddr().String())
	stream := h.StartStream()
	go s.read(stream)
	return nil
}

// Stop closes the socket and waits until the stream has ended.
func (s *Server) Stop() error {
	if s.conn == nil {
		return nil
	}
	s.cancel()
	s.conn.Close()
	<-s.done
	return nil
}

// read receives datagrams until the socket closes. The buffer has one byte more than buf_size,
// so a datagram that does not fit is recognized (the kernel truncates it) and reported.
func (s *Server) read(stream uint64) {
	defer close(s.done)
	defer s.h.EndStream(stream)
	buf := make([]byte, s.bufSize+1)
	failing := false
	for {
		n, from, err := s.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if s.ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return
			}
			if !failing {
				s.h.Log().Warn("udp_server read failed", "err", err)
				failing = true
			}
			select {
			case <-time.After(10 * time.Millisecond):
			case <-s.ctx.Done():
				return
			}
			continue
		}
		failing = false
		ns := value.NewRec(1)
		ns.Set("peer", peer.Endpoint(from))
		meta := value.NewRec(1)
		meta.Set("udp_server", value.NewRecordValue(ns))
		in := peer.Incoming{Stream: stream, Meta: value.NewRecordValue(meta)}
		if n > s.bufSize {
			s.h.Metrics().Recv.Add(1)
			s.h.EmitError(in, fmt.Errorf("datagram longer than buf_size %d bytes: discarded", s.bufSize), nil)
			continue
		}
		if s.h.Receive(s.ctx, in, buf[:n]) != nil {
			return
		}
	}
}
