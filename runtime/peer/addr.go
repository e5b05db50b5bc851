package peer

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// ParseAddr reads an address config value of the socket peers: "host:port" or
// "SCHEME://host:port" (a trailing "/" is allowed; scheme is "tcp", "udp", ...). It returns
// "host:port" for net.Listen or net.Dial. A remote address (remote: a client's server, a
// datagram's destination) needs a host and a port other than 0; a local one may leave the host
// empty (every interface) and use port 0 (any free port). Errors name the config key.
func ParseAddr(key, raw, scheme string, remote bool) (string, error) {
	s := raw
	if i := strings.Index(s, "://"); i >= 0 {
		if got := strings.ToLower(s[:i]); got != scheme {
			return "", fmt.Errorf("config key `%s`: expected a %s:// url or host:port, not scheme %q in %q", key, scheme, s[:i], raw)
		}
		s = strings.TrimSuffix(s[i+3:], "/")
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return "", fmt.Errorf("config key `%s`: expected host:port, not %q", key, raw)
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return "", fmt.Errorf("config key `%s`: expected a port number from 0 to 65535, not %q in %q", key, port, raw)
	}
	if remote {
		if host == "" {
			return "", fmt.Errorf("config key `%s`: expected the remote host in %q", key, raw)
		}
		if p == 0 {
			return "", fmt.Errorf("config key `%s`: expected a remote port other than 0 in %q", key, raw)
		}
	}
	return net.JoinHostPort(host, port), nil
}

// Endpoint is the {host, port} record that metadata uses for a network endpoint
// (`$tcp_server.peer`, `$ws_server.peer`, ...); IPv4-mapped addresses are unmapped, so the host
// reads "127.0.0.1".
func Endpoint(ap netip.AddrPort) value.Value {
	r := value.NewRec(2)
	r.Set("host", value.NewString(ap.Addr().Unmap().String()))
	r.Set("port", value.NewUint(uint64(ap.Port())))
	return value.NewRecordValue(r)
}

// EndpointOf is Endpoint for an address written "host:port" (a net.Addr's String); an address
// that does not parse gives {host: addr, port: null}.
func EndpointOf(addr string) value.Value {
	if ap, err := netip.ParseAddrPort(addr); err == nil {
		return Endpoint(ap)
	}
	r := value.NewRec(2)
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	r.Set("host", value.NewString(host))
	if p, err := strconv.ParseUint(port, 10, 16); err == nil {
		r.Set("port", value.NewUint(p))
	} else {
		r.Set("port", value.NullValue)
	}
	return value.NewRecordValue(r)
}
