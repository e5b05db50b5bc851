package extractor

import "testing"

func TestCIDR(t *testing.T) {
	runCases(t, []extractCase{
		{"ipv4 network", "cidr", "", "192.168.1.0/24", `{"mask":[255,255,255,0],"prefix":[192,168,1,0]}`},
		{"ipv4 address", "cidr", "", "10.1.2.3", `{"mask":[255,255,255,255],"prefix":[10,1,2,3]}`},
		{"ipv4 odd prefix", "cidr", "", "172.16.0.0/12", `{"mask":[255,240,0,0],"prefix":[172,16,0,0]}`},
		{"ipv4 zero prefix", "cidr", "", "0.0.0.0/0", `{"mask":[0,0,0,0],"prefix":[0,0,0,0]}`},
		{"ipv4 host bits set", "cidr", "", "192.168.1.1/24", ""},
		{"ipv4 prefix too long", "cidr", "", "10.0.0.0/33", ""},
		{"ipv4 leading zero", "cidr", "", "010.0.0.1", ""},
		{"ipv6 network", "cidr", "", "2001:db8::/32", `{"mask":[65535,65535,0,0,0,0,0,0],"prefix":[8193,3512,0,0,0,0,0,0]}`},
		{"ipv6 address", "cidr", "", "::1", `{"mask":[65535,65535,65535,65535,65535,65535,65535,65535],"prefix":[0,0,0,0,0,0,0,1]}`},
		{"ipv6 odd prefix", "cidr", "", "fe80::/10", `{"mask":[65472,0,0,0,0,0,0,0],"prefix":[65152,0,0,0,0,0,0,0]}`},
		{"ipv6 host bits set", "cidr", "", "2001:db8::1/32", ""},
		{"ipv6 zone refused", "cidr", "", "fe80::1%eth0", ""},
		{"not an address", "cidr", "", "example.com", ""},
		{"range inside", "cidr", "10.0.0.0/8, 192.168.1.0/24", "10.2.3.4", `{"mask":[255,255,255,255],"prefix":[10,2,3,4]}`},
		{"range second", "cidr", "10.0.0.0/8, 192.168.1.0/24", "192.168.1.77", `{"mask":[255,255,255,255],"prefix":[192,168,1,77]}`},
		{"range outside", "cidr", "10.0.0.0/8, 192.168.1.0/24", "192.168.2.1", ""},
		{"range network input", "cidr", "10.0.0.0/8", "10.0.0.0/16", ""},
		{"range ipv6 input", "cidr", "10.0.0.0/8", "::1", ""},
		{"range single address", "cidr", "10.0.0.1", "10.0.0.1", `{"mask":[255,255,255,255],"prefix":[10,0,0,1]}`},
	})
}

func TestCIDRCompileErrors(t *testing.T) {
	runCompileErrors(t, []compileErrorCase{
		{"cidr", "10.0.0.0/33", "not an IPv4 address or network"},
		{"cidr", "10.0.0.1/8", "not an IPv4 address or network"},
		{"cidr", "10.0.0.0/8, nope", "`nope`"},
		{"cidr", "2001:db8::/32", "not an IPv4 range"},
	})
}
