package audit

import (
	"net"
	"net/http"
	"time"
)

// newTransport returns a transport whose pool keeps one idle connection per
// worker, so that concurrent workers reuse connections instead of opening
// new ones (the default keeps two per host). A transport never follows
// redirects: a 3xx comes back to the caller as it is, and the Authorization
// header is never sent to the redirect target.
//
// The transport opens at most concurrency connections at a time. net/http
// hands a finished connection back to its pool from another goroutine, a
// moment after the response body is read; without the cap, a worker that
// sends its next request in that moment dials a new connection, and over a
// long run the surplus connections are dialed and closed again and again.
func newTransport(concurrency int) *http.Transport {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          concurrency + 4,
		MaxIdleConnsPerHost:   concurrency + 4,
		MaxConnsPerHost:       concurrency,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}
