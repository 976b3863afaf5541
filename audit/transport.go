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
// The transport opens at most concurrency connections at a time. Without
// the cap, net/http dials a new connection whenever a request finds no idle
// one, even when another request is about to return its connection to the
// pool. Over a long run the pool then overflows, and the surplus
// connections are closed and dialed again and again.
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
