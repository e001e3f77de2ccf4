package fetch

import (
	"fmt"
	"net/netip"
)

// specialRange is an address block Rounds never connects to: it either does
// not lead to the public internet (private, loopback, link-local, CGNAT) or is
// reserved and has no business appearing in a link a member posted.
type specialRange struct {
	prefix netip.Prefix
	name   string
}

func mustRanges(pairs ...string) []specialRange {
	out := make([]specialRange, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, specialRange{netip.MustParsePrefix(pairs[i]), pairs[i+1]})
	}
	return out
}

var specialV4 = mustRanges(
	"0.0.0.0/8", "this network",
	"10.0.0.0/8", "private network",
	"100.64.0.0/10", "carrier-grade NAT",
	"127.0.0.0/8", "loopback",
	"169.254.0.0/16", "link-local",
	"172.16.0.0/12", "private network",
	"192.0.0.0/24", "IETF protocol assignments",
	"192.0.2.0/24", "documentation (TEST-NET-1)",
	"192.88.99.0/24", "6to4 relay anycast",
	"192.168.0.0/16", "private network",
	"198.18.0.0/15", "benchmarking",
	"198.51.100.0/24", "documentation (TEST-NET-2)",
	"203.0.113.0/24", "documentation (TEST-NET-3)",
	"224.0.0.0/4", "multicast",
	"240.0.0.0/4", "reserved", // includes 255.255.255.255, the limited broadcast address
)

var specialV6 = mustRanges(
	"::/128", "unspecified",
	"::1/128", "loopback",
	"::/96", "IPv4-compatible (deprecated)",
	"64:ff9b:1::/48", "local-use NAT64",
	"100::/64", "discard-only",
	"2001::/23", "IETF protocol assignments (includes Teredo 2001::/32)",
	"2001:db8::/32", "documentation",
	"3fff::/20", "documentation",
	"5f00::/16", "SRv6 segment identifiers",
	"fc00::/7", "unique local (private network)",
	"fe80::/10", "link-local",
	"fec0::/10", "site-local (deprecated)",
	"ff00::/8", "multicast",
)

var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
	// Everything routable on the IPv6 internet sits in 2000::/3; anything
	// outside it that the table above does not name is still refused.
	globalUnicastV6 = netip.MustParsePrefix("2000::/3")
)

// checkAddr returns nil if Rounds may connect to a, or an error naming the
// special range it falls in. allowLoopback admits exactly 127.0.0.0/8 and ::1
// (also written ::ffff:127.x.y.z), for tests against local servers.
func checkAddr(a netip.Addr, allowLoopback bool) error {
	if !a.IsValid() {
		return fmt.Errorf("invalid address")
	}
	if a.Zone() != "" {
		return fmt.Errorf("%s is a scoped address", a)
	}
	// An IPv4-mapped IPv6 address reaches the embedded IPv4 address.
	a = a.Unmap()
	if allowLoopback && a.IsLoopback() {
		return nil
	}
	if a.Is4() {
		return checkV4(a, "")
	}
	for _, r := range specialV6 {
		if r.prefix.Contains(a) {
			return fmt.Errorf("%s is in %s (%s)", a, r.name, r.prefix)
		}
	}
	b := a.As16()
	switch {
	case nat64.Contains(a):
		v4 := netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
		return checkV4(v4, fmt.Sprintf("%s embeds %s via NAT64: ", a, v4))
	case sixToFour.Contains(a):
		v4 := netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})
		return checkV4(v4, fmt.Sprintf("%s embeds %s via 6to4: ", a, v4))
	case !globalUnicastV6.Contains(a):
		return fmt.Errorf("%s is not a global unicast address", a)
	}
	return nil
}

func checkV4(a netip.Addr, prefix string) error {
	for _, r := range specialV4 {
		if r.prefix.Contains(a) {
			return fmt.Errorf("%s%s is in %s (%s)", prefix, a, r.name, r.prefix)
		}
	}
	return nil
}
