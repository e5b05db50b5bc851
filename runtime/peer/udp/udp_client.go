package udp

import (
	"context"
	"fmt"
	"net"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
)

// maxDatagram is the largest UDP payload over IPv4 (65535 - 8 byte UDP header - 20 byte IP header).
const maxDatagram = 65507

var clientSpec = &peer.Spec{
	Name:  "udp_client",
	Doc:   "sends every event sent to it as UDP datagrams to one destination",
	Sink:  true,
	Codec: "json",
	Config: []config.Key{
		{Name: "url", Type: config.String, Required: true, Doc: "the destination, \"host:port\" or \"udp://host:port\""},
		{Name: "bind", Type: config.String, Default: value.NewString("127.0.0.1:0"), Doc: "the local address to send from, \"host:port\" (use \"0.0.0.0:0\" to reach other hosts)"},
	},
	New: newClient,
}

// Client is a running udp_client peer: one socket connected to the destination. Send writes each
// chunk the host's Serialize returns as one datagram and acks once all were sent; a chunk over
// 65507 bytes, or a send the operating system refuses (an earlier datagram was answered by "port
// unreachable"), fails the event.
type Client struct {
	dest, bind string
	h          *peer.Host
	conn       *net.UDPConn
}

func newClient(cfg config.Values) (peer.Peer, error) {
	dest, err := peer.ParseAddr("url", cfg.String("url"), "udp", true)
	if err != nil {
		return nil, err
	}
	bind, err := peer.ParseAddr("bind", cfg.String("bind"), "udp", false)
	if err != nil {
		return nil, err
	}
	return &Client{dest: dest, bind: bind}, nil
}

// Start binds the local socket and connects it to the destination (UDP exchanges no packets
// for this) and opens the circuit breaker.
func (c *Client) Start(_ context.Context, h *peer.Host) error {
	laddr, err := net.ResolveUDPAddr("udp", c.bind)
	if err != nil {
		return fmt.Errorf("udp_client `%s`: bind: %w", h.Alias(), err)
	}
	raddr, err := net.ResolveUDPAddr("udp", c.dest)
	if err != nil {
		return fmt.Errorf("udp_client `%s`: url: %w", h.Alias(), err)
	}
	conn, err := net.DialUDP("udp", laddr, raddr)
	if err != nil {
		return fmt.Errorf("udp_client `%s`: %w", h.Alias(), err)
	}
	c.h, c.conn = h, conn
	h.CircuitBreaker(true, 0, 0)
	return nil
}

// Stop closes the socket.
func (c *Client) Stop() error {
	if c.conn == nil {
		return nil
	}
	c.conn.Close()
	// The write side has no trailer to send: a datagram peer has no stream to finish.
	c.h.CloseWrite(0)
	return nil
}

// Send encodes ev and sends it, one datagram per chunk.
func (c *Client) Send(_ string, ev *runtime.Event, done func(error)) {
	chunks, err := c.h.Serialize(0, ev)
	if err != nil {
		done(err)
		return
	}
	for _, ch := range chunks {
		if len(ch) > maxDatagram {
			done(fmt.Errorf("an encoded event of %d bytes does not fit in a UDP datagram (at most %d bytes)", len(ch), maxDatagram))
			return
		}
	}
	for _, ch := range chunks {
		if _, err := c.conn.Write(ch); err != nil {
			done(fmt.Errorf("sending to %s: %w", c.dest, err))
			return
		}
		c.h.Metrics().Send.Add(1)
	}
	done(nil)
}
