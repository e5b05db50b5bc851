package extractor

import (
	"net/netip"
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// cidr follows Tremor's cidr extractor (cidr-utils). With an empty rule the input must be an IPv4
// or IPv6 address, optionally with a `/prefix` length (host bits must then be zero); the result is
// {"prefix": [...], "mask": [...]} with 4 bytes for IPv4 and 8 16-bit segments for IPv6. With a
// rule of comma-separated IPv4 ranges the input must be a plain IPv4 address inside one of them;
// the result is that address with the mask [255,255,255,255].
//
// Accepted text is the standard notation of Go's net/netip (as Rust's std parsers: no leading zeros
// in IPv4 octets, IPv6 with `::` and an embedded IPv4 tail); zones (`%eth0`) are refused.
type cidrExtractor struct {
	ranges []netip.Prefix // nil: parse any address or network
}

func compileCIDR(rule string) (Extractor, error) {
	if rule == "" {
		return &cidrExtractor{}, nil
	}
	var ranges []netip.Prefix
	for _, part := range strings.Split(rule, ",") {
		part = strings.TrimSpace(part)
		p, ok := parseCIDR(part)
		if !ok {
			return nil, ruleError("cidr", "`%s` is not an IPv4 address or network", part)
		}
		if !p.Addr().Is4() {
			return nil, ruleError("cidr", "`%s` is not an IPv4 range (only IPv4 ranges can be tested)", part)
		}
		ranges = append(ranges, p)
	}
	return &cidrExtractor{ranges: ranges}, nil
}

// parseCIDR parses an address (a full-length prefix) or a network whose host bits are zero.
func parseCIDR(s string) (netip.Prefix, bool) {
	if strings.ContainsRune(s, '%') {
		return netip.Prefix{}, false
	}
	if !strings.ContainsRune(s, '/') {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	p, err := netip.ParsePrefix(s)
	if err != nil || p.Masked() != p {
		return netip.Prefix{}, false
	}
	return p, true
}

func (c *cidrExtractor) Extract(v value.Value, result bool, _ uint64) (value.Value, bool) {
	s, ok := v.AsString()
	if !ok {
		return value.Value{}, false
	}
	var p netip.Prefix
	if c.ranges == nil {
		if p, ok = parseCIDR(s); !ok {
			return value.Value{}, false
		}
	} else {
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return value.Value{}, false
		}
		inside := false
		for _, r := range c.ranges {
			if r.Contains(a) {
				inside = true
				break
			}
		}
		if !inside {
			return value.Value{}, false
		}
		p = netip.PrefixFrom(a, 32)
	}
	if !result {
		return matchTrue, true
	}
	return cidrValue(p), true
}

// cidrValue renders a network as {"prefix": [...], "mask": [...]}.
func cidrValue(p netip.Prefix) value.Value {
	addr := p.Addr().AsSlice()
	bits := p.Bits()
	mask := make([]byte, len(addr))
	for i := range mask {
		switch n := bits - 8*i; {
		case n >= 8:
			mask[i] = 0xff
		case n > 0:
			mask[i] = byte(0xff << (8 - n))
		}
	}
	var prefix, maskv []value.Value
	if len(addr) == 4 {
		for i := range 4 {
			prefix = append(prefix, value.NewUint(uint64(addr[i])))
			maskv = append(maskv, value.NewUint(uint64(mask[i])))
		}
	} else {
		for i := 0; i < 16; i += 2 {
			prefix = append(prefix, value.NewUint(uint64(addr[i])<<8|uint64(addr[i+1])))
			maskv = append(maskv, value.NewUint(uint64(mask[i])<<8|uint64(mask[i+1])))
		}
	}
	rec := value.NewRec(2)
	rec.Set("prefix", value.NewArray(prefix))
	rec.Set("mask", value.NewArray(maskv))
	return value.NewRecordValue(rec)
}
