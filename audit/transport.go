package audit

import (
	"net"
	"net/http"
	"time"
)

// newHTTPClient returns a client whose pool keeps one idle connection per
// worker, so that concurrent workers reuse connections instead of opening
// new ones (the default keeps two per host), and which never follows
// redirects: a 3xx comes back to the caller as it is, and the Authorization
// header is never sent to the redirect target.
func newHTTPClient(concurrency int) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          concurrency + 4,
		MaxIdleConnsPerHost:   concurrency + 4,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{
		Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
