package audit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// throttle adapts the shared limiter to 429 answers: each one halves the
// rate (at most once per second, so a burst of 429s from concurrent workers
// counts once), down to a floor of a tenth of the configured rate, and each
// answer that is not a 429 climbs back by a fiftieth of the configured rate,
// never above it. An unlimited limiter (rate 0 on the command line) is left
// alone; the shared Retry-After pause still applies. Safe for concurrent use.
type throttle struct {
	limiter    *rate.Limiter
	configured rate.Limit

	mu          sync.Mutex
	lastLowered time.Time
}

func newThrottle(limiter *rate.Limiter) *throttle {
	return &throttle{limiter: limiter, configured: limiter.Limit()}
}

// throttled lowers the rate after a 429.
func (t *throttle) throttled(now time.Time) {
	if t.configured == rate.Inf {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if now.Sub(t.lastLowered) < time.Second {
		return
	}
	t.lastLowered = now
	lowered := max(t.limiter.Limit()/2, t.configured/10)
	t.limiter.SetLimitAt(now, lowered)
}

// answered lets the rate climb back after an answer that was not a 429.
func (t *throttle) answered(now time.Time) {
	if t.configured == rate.Inf {
		return
	}
	current := t.limiter.Limit()
	if current >= t.configured {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.limiter.SetLimitAt(now, min(t.limiter.Limit()+t.configured/50, t.configured))
}
