package tcp

import (
	"context"
	"crypto/tls"
	"net"
)

// dial opens a connection to the client's server with d: plain TCP, or TLS with the handshake
// done (bounded by d's timeout) when `tls` is set. The server name verified is tls.server_name,
// else the url's host.
func (cl *Client) dial(ctx context.Context, d *net.Dialer) (net.Conn, error) {
	if cl.tls == nil {
		return d.DialContext(ctx, "tcp", cl.addr)
	}
	td := tls.Dialer{NetDialer: d, Config: cl.tls}
	return td.DialContext(ctx, "tcp", cl.addr)
}

// tcpConn returns the TCP connection under c (c itself, or the one a TLS connection wraps).
func tcpConn(c net.Conn) (*net.TCPConn, bool) {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	tc, ok := c.(*net.TCPConn)
	return tc, ok
}
