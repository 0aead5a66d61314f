package emulator

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// The admin API has no authentication: it is test tooling for the machine the
// emulator runs on. What can still reach it from a loopback port is a web browser on
// that machine, driven by any page it visits: a cross-site form or fetch (which
// carries an Origin or "Sec-Fetch-Site: cross-site"), or a page whose own host name
// an attacker re-points at 127.0.0.1 (DNS rebinding: then the request is same-origin,
// but its Host header names the attacker's domain). guardAdmin refuses both, so only
// clients that talk to the emulator under a loopback name (curl, Go, terraform, the
// bench) can use the admin API.
//
// The /connxt/v2 API is not guarded this way: it needs a token in a custom header,
// which a cross-site page cannot send without a CORS preflight the emulator never
// grants, and it is reached under other names behind proxies or in containers.

// adminHostRefused and adminCrossSiteRefused are the messages of the 403 answers.
const (
	adminHostRefused      = "the admin API answers only requests addressed to a loopback host (localhost, 127.0.0.0/8, [::1]) or to a configured admin host"
	adminCrossSiteRefused = "the admin API refuses cross-site requests (Origin or Sec-Fetch-Site from another site): it is test tooling, not for web pages"
)

// guardAdmin wraps the admin handler. The fake payment page is left open: browsers
// are meant to follow DEPOSIT redirects to it from anywhere, and it neither changes
// nor reveals anything.
func (s *Server) guardAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, adminPrefix+"/pay/") {
			next.ServeHTTP(w, r)
			return
		}
		if !s.adminHostAllowed(r.Host) {
			adminError(w, http.StatusForbidden, adminHostRefused)
			return
		}
		if crossSite(r) {
			adminError(w, http.StatusForbidden, adminCrossSiteRefused)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// adminHostAllowed reports whether a Host header names this machine's loopback
// interface or one of Options.AdminHosts. The port is not compared: the emulator
// often listens on a port chosen at start.
func (s *Server) adminHostAllowed(hostport string) bool {
	host := hostOnly(hostport)
	if host == "" {
		return false
	}
	if host == "localhost" {
		return true
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.Unmap().IsLoopback() {
		return true
	}
	return s.adminHosts[host]
}

// hostOnly lowercases the host part of "host", "host:port" or "[v6]:port" and drops a
// trailing dot, so that "LOCALHOST." and "localhost:8080" compare equal.
func hostOnly(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	return strings.ToLower(host)
}

// crossSite reports whether a browser marked the request as coming from another site:
// "Sec-Fetch-Site: cross-site", or an Origin other than the emulator's own (the
// request's scheme and Host). Clients other than browsers send neither header.
func crossSite(r *http.Request) bool {
	if strings.EqualFold(strings.TrimSpace(r.Header.Get("Sec-Fetch-Site")), "cross-site") {
		return true
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	own := scheme + "://" + r.Host
	for _, origin := range r.Header.Values("Origin") {
		// "null" (a sandboxed or file: page) is another origin too.
		if !strings.EqualFold(strings.TrimSpace(origin), own) {
			return true
		}
	}
	return false
}
