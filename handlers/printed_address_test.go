package handlers

import "testing"

// Ensure addresses people outside a building cannot open are told from those they can, without
// looking anything up.
func TestAddressProblem(t *testing.T) {
	tests := []struct {
		name, base string
		local      bool
	}{
		{"loopback", "http://127.0.0.1:8080", true},
		{"loopback range", "http://127.8.9.10", true},
		{"IPv6 loopback", "http://[::1]:8080", true},
		{"IPv4 in IPv6 loopback", "http://[::ffff:127.0.0.1]", true},
		{"localhost", "http://localhost:8080", true},
		{"localhost name", "http://minsheng.localhost", true},
		{"unspecified", "http://0.0.0.0:8080", true},
		{"private 10", "http://10.1.2.3", true},
		{"private 172.16", "https://172.20.0.5", true},
		{"private 192.168", "http://192.168.1.20:8080", true},
		{"link-local", "http://169.254.10.1", true},
		{"shared address space", "http://100.72.1.1", true},
		{"unique local IPv6", "http://[fd12:3456::1]", true},
		{"single-label name", "http://minsheng:8080", true},
		{"mDNS name", "http://minsheng-server.local", true},
		{"internal name", "http://ms.wsj.internal", true},
		{"lan name", "https://portal.lan", true},
		{"no host", "http://", true},
		{"public name", "https://ms.example.gov.cn", false},
		{"public name with port", "https://minsheng.county.gov.cn:8443", false},
		{"public name, trailing dot", "https://ms.example.gov.cn.", false},
		{"public IPv4", "http://203.0.113.9", false},
		{"public IPv6", "http://[2001:db8::1]", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := addressProblem(tt.base)
			if (got != "") != tt.local {
				t.Errorf("addressProblem(%q) = %q, want a problem: %v", tt.base, got, tt.local)
			}
		})
	}
}
