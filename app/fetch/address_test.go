package fetch

import (
	"net/netip"
	"testing"
)

func TestCheckAddr(t *testing.T) {
	tests := []struct {
		addr          string
		allowLoopback bool
		ok            bool
	}{
		{"8.8.8.8", false, true},
		{"93.184.215.14", false, true},
		{"1.1.1.1", false, true},
		{"100.63.255.255", false, true},
		{"100.128.0.0", false, true},
		{"172.15.255.255", false, true},
		{"172.32.0.0", false, true},
		{"192.0.1.1", false, true},
		{"198.17.255.255", false, true},
		{"198.20.0.0", false, true},
		{"223.255.255.255", false, true},
		{"::ffff:8.8.8.8", false, true},
		{"2606:4700:4700::1111", false, true},
		{"2a00:1450:4001:80b::200e", false, true},
		{"64:ff9b::808:808", false, true},
		{"2002:808:808::1", false, true},

		{"127.0.0.1", false, false},
		{"127.0.0.1", true, true},
		{"127.255.255.254", true, true},
		{"::1", false, false},
		{"::1", true, true},
		{"::ffff:127.0.0.1", true, true},
		{"10.0.0.1", true, false},
		{"0.0.0.0", true, false},
		{"::", true, false},
		{"::127.0.0.1", true, false},
		{"64:ff9b::7f00:1", true, false},
		{"2002:7f00:1::1", true, false},
		{"fe80::1%eth0", true, false},
		{"4000::1", false, false}, // outside 2000::/3, not yet allocated
	}
	for _, tc := range tests {
		err := checkAddr(netip.MustParseAddr(tc.addr), tc.allowLoopback)
		if (err == nil) != tc.ok {
			t.Errorf("checkAddr(%s, allowLoopback=%v) = %v, want ok=%v", tc.addr, tc.allowLoopback, err, tc.ok)
		}
	}
}

func TestEveryBlockedAddressIsRefused(t *testing.T) {
	for _, tc := range blockedAddrs {
		if err := checkAddr(netip.MustParseAddr(tc.addr), false); err == nil {
			t.Errorf("%s allowed", tc.addr)
		}
		err := checkAddr(netip.MustParseAddr(tc.addr), true)
		if (err == nil) != tc.loopback {
			t.Errorf("%s with allowLoopback: %v", tc.addr, err)
		}
	}
}
