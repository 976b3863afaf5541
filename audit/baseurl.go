package audit

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// DefaultBaseURL is the production Gcore API root.
const DefaultBaseURL = "https://api.gcore.com"

// ParseBaseURL checks an API root. It must be absolute https, or plain http
// for a loopback host only (localhost, 127.0.0.0/8, ::1), because the key
// travels in a header that plain http would expose on the network. It must
// carry no query, fragment or user info. A trailing slash is removed.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("invalid base URL %q: %v", raw, err)
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("invalid base URL %q: use an absolute https:// URL such as %s", raw, DefaultBaseURL)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("invalid base URL %q: remove the user info, query or fragment", raw)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("invalid base URL %q: plain http is allowed only for loopback hosts; use https", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
