package tcp

import (
	"fmt"
	"net"
	"net/netip"

	"github.com/rillstream/rill/interp/value"
)

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
