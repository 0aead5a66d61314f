package connxt

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Hosts of the documented environments.
const (
	ProductionBaseURL  = "https://api.connect.fynxt.io"
	DevelopmentBaseURL = "https://api.connect-dev.fynxt.io"
)

// ParseBaseURL checks a base URL and returns it without the API prefix or a trailing slash.
// A base URL is a scheme and a host; one that already ends in /connxt/v2 means the same.
// Plain http is refused unless the host is loopback, so that a token never crosses a network
// in clear text.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("is not a URL (%d characters, not shown in case it holds credentials)", len(raw))
	}
	if u.User != nil {
		return nil, fmt.Errorf("%q must not carry credentials; the token goes in secret_token", u.Redacted())
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("%q must start with https:// (for example %s)", raw, ProductionBaseURL)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("%q has no host (for example %s)", raw, ProductionBaseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q must be a scheme and a host only, without query or fragment", raw)
	}
	path := strings.TrimRight(u.Path, "/")
	path = strings.TrimSuffix(path, APIPrefix)
	if path != "" {
		return nil, fmt.Errorf("%q has the path %q; give only the scheme and host (the client adds %s)", raw, u.Path, APIPrefix)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("%q uses plain http; use https (plain http is allowed only for loopback hosts such as 127.0.0.1)", raw)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// IsProduction reports whether base (a base URL as ParseBaseURL returns it) is the
// production host, whatever the case of its name and with or without the default port.
func IsProduction(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	prod, _ := url.Parse(ProductionBaseURL)
	return strings.EqualFold(u.Hostname(), prod.Hostname()) && (u.Port() == "" || u.Port() == "443")
}
