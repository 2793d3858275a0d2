// Package clientip finds the address of the person behind an HTTP request when kompeten runs
// behind a reverse proxy (nginx, a load balancer): the connection's peer is then the proxy, and
// throttles keyed on the address (failed logins, the public pages' rate limits) would count
// every client as one. Only proxies named in security.trusted_proxies are believed: anyone can
// send an X-Forwarded-For header, so a header from any other peer is ignored.
package clientip

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Trusted is the set of proxy addresses whose X-Forwarded-For header is believed.
type Trusted []netip.Prefix

// Parse reads CIDR prefixes or single addresses ("10.0.0.0/8", "127.0.0.1").
func Parse(entries []string) (Trusted, error) {
	var t Trusted
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if p, err := netip.ParsePrefix(e); err == nil {
			t = append(t, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(e)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: neither an address nor a CIDR prefix", e)
		}
		t = append(t, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return t, nil
}

// contains says whether a is one of the trusted proxies.
func (t Trusted) contains(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range t {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Client is the address of the client behind r: the connection's peer, unless that peer is a
// trusted proxy, in which case the X-Forwarded-For chain is read from the right (each proxy
// appends the address it received from) and the first address that is not a trusted proxy is
// the client. Reading from the right matters: the leftmost entries are whatever the client
// chose to send.
func (t Trusted) Client(r *http.Request) netip.Addr {
	peer := peerAddr(r.RemoteAddr)
	if len(t) == 0 || !peer.IsValid() || !t.contains(peer) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a malformed hop: stop at the last address a trusted proxy vouched for
		}
		client = a.Unmap()
		if !t.contains(client) {
			break
		}
	}
	return client
}

// Middleware rewrites each request's RemoteAddr to its client's address (see Client), so that
// everything behind it (throttles, rate limits, the request log) sees the person, not the proxy.
// With no trusted proxies it changes nothing.
func (t Trusted) Middleware(next http.Handler) http.Handler {
	if len(t) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c := t.Client(r); c.IsValid() && c != peerAddr(r.RemoteAddr) {
			r2 := r.Clone(r.Context())
			r2.RemoteAddr = net.JoinHostPort(c.String(), "0")
			r = r2
		}
		next.ServeHTTP(w, r)
	})
}

// peerAddr parses a RemoteAddr ("ip:port", or a bare address); invalid when it is neither.
func peerAddr(remote string) netip.Addr {
	if ap, err := netip.ParseAddrPort(remote); err == nil {
		return ap.Addr().Unmap()
	}
	if host, _, err := net.SplitHostPort(remote); err == nil {
		remote = host
	}
	a, err := netip.ParseAddr(remote)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

// Of is the client address of r without its port, as the throttles count clients: the
// connection's peer, which behind a trusted proxy Middleware has already replaced with the
// client the proxy forwarded.
func Of(r *http.Request) string {
	if a := peerAddr(r.RemoteAddr); a.IsValid() {
		return a.String()
	}
	return r.RemoteAddr
}
