package audit

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Backoff bounds for retries without a usable Retry-After.
const (
	backoffBase = 500 * time.Millisecond
	backoffCap  = 30 * time.Second
)

// retryable reports whether an attempt that ended with status (0 when no
// response arrived) and kind may be tried again: 429, every 5xx except 501,
// and timeouts and network errors. The last two count also when they cut a
// body short after its status arrived. Other statuses are final.
func retryable(status int, kind ErrorKind) bool {
	switch {
	case kind == KindTimeout || kind == KindNetwork:
		return true
	case status == http.StatusTooManyRequests:
		return true
	case status >= 500 && status != http.StatusNotImplemented:
		return true
	}
	return false
}

// backoff returns how long to wait before retry number n (1 for the first
// retry): exponential from 500 ms, capped at 30 s, with "equal jitter" (half
// fixed, half random) so that workers that failed together spread out.
func backoff(n int) time.Duration {
	d := backoffCap
	if n < 16 {
		d = min(backoffBase<<(n-1), backoffCap)
	}
	half := d / 2
	return half + rand.N(half+1)
}

// parseRetryAfter reads a Retry-After header: delay seconds or an HTTP date,
// relative to now. It reports false for a missing or unparseable value, which
// makes the caller fall back to backoff. A date in the past is a zero wait.
func parseRetryAfter(value string, now time.Time) (time.Duration, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if seconds, err := strconv.ParseInt(value, 10, 64); err == nil {
		if seconds < 0 {
			return 0, false
		}
		if seconds > int64(365*24*time.Hour/time.Second) {
			return 365 * 24 * time.Hour, true
		}
		return time.Duration(seconds) * time.Second, true
	}
	at, err := http.ParseTime(value)
	if err != nil {
		return 0, false
	}
	return max(at.Sub(now), 0), true
}
