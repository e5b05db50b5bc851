package udp

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// parseAddr reads an address config value: "host:port" or "udp://host:port" (a trailing "/" is
// allowed). It returns "host:port". A destination (dest) needs a host and a port other than 0; a
// bind address may leave the host empty (every interface) and use port 0 (any free port).
func parseAddr(key, raw string, dest bool) (string, error) {
	s := raw
	if i := strings.Index(s, "://"); i >= 0 {
		if scheme := strings.ToLower(s[:i]); scheme != "udp" {
			return "", fmt.Errorf("config key `%s`: expected a udp:// url or host:port, not scheme %q in %q", key, s[:i], raw)
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
	if dest {
		if host == "" {
			return "", fmt.Errorf("config key `%s`: expected a host to send to in %q", key, raw)
		}
		if p == 0 {
			return "", fmt.Errorf("config key `%s`: expected a port other than 0 to send to in %q", key, raw)
		}
	}
	return net.JoinHostPort(host, port), nil
}

// peerValue is the {host, port} record describing an endpoint in metadata (IPv4-mapped
// addresses unmapped: "127.0.0.1").
func peerValue(ap netip.AddrPort) value.Value {
	r := value.NewRec(2)
	r.Set("host", value.NewString(ap.Addr().Unmap().String()))
	r.Set("port", value.NewUint(uint64(ap.Port())))
	return value.NewRecordValue(r)
}
