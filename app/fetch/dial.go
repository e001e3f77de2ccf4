package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
)

// dialVetted is the transport's DialContext. Resolving, checking and
// connecting happen here, in one place, so the address that was checked is
// the address that is dialled: a DNS answer that changes between a check and
// a connect (DNS rebinding) cannot slip a private address through. Every
// redirect hop to a new host:port comes through here too.
func (f *Fetcher) dialVetted(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, &Error{Kind: KindBadURL, Msg: msgBadURL, Err: err}
	}
	addrs, err := f.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	// Refuse if any answer is special, not just the one we would pick: a
	// name that mixes public and private answers is not one to trust.
	for _, a := range addrs {
		if err := checkAddr(a, f.opts.AllowLoopback); err != nil {
			return nil, &Error{Kind: KindBlocked, Msg: msgBlockedAddr, Err: fmt.Errorf("host %q: %w", host, err)}
		}
	}
	var errs []error
	for _, a := range addrs {
		conn, err := f.dial(ctx, network, net.JoinHostPort(a.Unmap().String(), port))
		if err == nil {
			return conn, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return nil, errors.Join(errs...)
}

// resolve turns a URL host into addresses, without asking DNS about literals.
func (f *Fetcher) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	ipAddrs, err := f.opts.Resolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("resolve %q: %w", host, err)
	}
	if len(ipAddrs) == 0 {
		return nil, &Error{Kind: KindNetwork, Msg: msgDNS, Err: fmt.Errorf("resolve %q: no addresses", host)}
	}
	addrs := make([]netip.Addr, 0, len(ipAddrs))
	for _, ip := range ipAddrs {
		a, ok := netip.AddrFromSlice(ip.IP)
		if !ok {
			return nil, &Error{Kind: KindNetwork, Msg: msgDNS, Err: fmt.Errorf("resolve %q: malformed address %v", host, ip.IP)}
		}
		addrs = append(addrs, a.WithZone(ip.Zone))
	}
	return addrs, nil
}
