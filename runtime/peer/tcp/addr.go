package tcp

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// parseAddr reads the `url` config value: "host:port" or "tcp://host:port" (a trailing "/" is
// allowed). It returns "host:port" for net.Listen or net.Dial. A client needs a host and a port
// other than 0; a server may leave the host empty (every interface) and bind port 0 (any free
// port).
func parseAddr(key, raw string, server bool) (string, error) {
	s := raw
	if i := strings.Index(s, "://"); i >= 0 {
		if scheme := strings.ToLower(s[:i]); scheme != "tcp" {
			return "", fmt.Errorf("config key `%s`: expected a tcp:// url or host:port, not scheme %q in %q", key, s[:i], raw)
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
	if !server {
		if host == "" {
			return "", fmt.Errorf("config key `%s`: expected a host to connect to in %q", key, raw)
		}
		if p == 0 {
			return "", fmt.Errorf("config key `%s`: expected a port other than 0 to connect to in %q", key, raw)
		}
	}
	return net.JoinHostPort(host, port), nil
}

// positive reads an integer config key that must be > 0.
func positive(key string, n int64) (int, error) {
	if n <= 0 || n > 1<<30 {
		return 0, fmt.Errorf("config key `%s`: expected a positive number of bytes up to 2^30, not %d", key, n)
	}
	return int(n), nil
}

// addrPort returns the address of a TCP endpoint with IPv4-mapped addresses unmapped, so it
// compares equal to the address a user writes ("127.0.0.1").
func addrPort(a net.Addr) netip.AddrPort {
	ta, ok := a.(*net.TCPAddr)
	if !ok {
		return netip.AddrPort{}
	}
	ap := ta.AddrPort()
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}

// peerValue is the {host, port} record describing an endpoint in metadata.
func peerValue(ap netip.AddrPort) value.Value {
	r := value.NewRec(2)
	r.Set("host", value.NewString(ap.Addr().String()))
	r.Set("port", value.NewUint(uint64(ap.Port())))
	return value.NewRecordValue(r)
}

// peerFromMeta reads `$<ns>.peer` = {host, port} from an event's metadata; ok is false when the
// key is absent or not such a record (host must be an IP address).
func peerFromMeta(meta value.Value, ns string) (netip.AddrPort, bool) {
	m, ok := meta.AsRecord()
	if !ok {
		return netip.AddrPort{}, false
	}
	nsv, ok := m.Get(ns)
	if !ok {
		return netip.AddrPort{}, false
	}
	nsr, ok := nsv.AsRecord()
	if !ok {
		return netip.AddrPort{}, false
	}
	pv, ok := nsr.Get("peer")
	if !ok {
		return netip.AddrPort{}, false
	}
	pr, ok := pv.AsRecord()
	if !ok {
		return netip.AddrPort{}, false
	}
	hv, _ := pr.Get("host")
	host, ok := hv.AsString()
	if !ok {
		return netip.AddrPort{}, false
	}
	portv, _ := pr.Get("port")
	port, ok := portv.AsU64()
	if !ok || port > 65535 {
		return netip.AddrPort{}, false
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(ip.Unmap(), uint16(port)), true
}
