package audit

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// throttle adapts the shared limiter to 429 responses and meters the
// callers that wait on it. Each 429 halves the rate, at most once per
// second so that a burst of 429s from concurrent workers counts once, down
// to a floor of a tenth of the configured rate, and sets the burst to 1.
// Then the rate climbs back by a twentieth of the configured rate for each
// whole second since it was last lowered, so from half of the configured
// rate back to all of it takes 10 seconds however many responses arrive.
// The configured burst returns with the configured rate, so tokens saved up
// during a Retry-After pause cannot leave together and draw the next 429.
//
// An unlimited limiter (rate 0 on the command line) is left alone; the
// shared Retry-After pause still applies. Safe for concurrent use.
type throttle struct {
	limiter    *rate.Limiter
	configured rate.Limit
	burst      int           // the configured burst
	turn       chan struct{} // held by the one caller waiting on the limiter

	mu          sync.Mutex
	lastLowered time.Time
	lowered     rate.Limit // the limit set at lastLowered
}

func newThrottle(limiter *rate.Limiter) *throttle {
	return &throttle{
		limiter:    limiter,
		configured: limiter.Limit(),
		burst:      limiter.Burst(),
		turn:       make(chan struct{}, 1),
	}
}

// wait blocks until the limiter lets one more request go, or until ctx is
// done and returns ctx's error.
//
// Callers wait one at a time. rate.Limiter books each waiter a slot at the
// limit of the moment it arrives, and it keeps the booked slots when the
// limit rises. A later waiter could then book a slot between two queued
// ones, and two requests would leave almost together. One waiter at a time
// means one booked slot at most.
func (t *throttle) wait(ctx context.Context) error {
	if t.configured == rate.Inf {
		return nil
	}
	select {
	case t.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-t.turn }()
	return t.limiter.Wait(ctx)
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
	t.lowered = max(t.limiter.Limit()/2, t.configured/10)
	t.limiter.SetLimitAt(now, t.lowered)
	t.limiter.SetBurstAt(now, 1)
}

// answered lets the rate climb back after an answer that was not a 429.
//
// The limit changes at most once per whole second, not on every answer:
// each SetLimitAt with a timestamp older than the limiter's last update makes
// rate.Limiter (x/time v0.16.0) credit the time in between a second time,
// and workers pass timestamps that are slightly stale.
func (t *throttle) answered(now time.Time) {
	if t.configured == rate.Inf {
		return
	}
	if t.limiter.Limit() >= t.configured {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	steps := math.Floor(now.Sub(t.lastLowered).Seconds())
	climbed := min(t.lowered+t.configured/20*rate.Limit(steps), t.configured)
	if climbed <= t.limiter.Limit() {
		return
	}
	t.limiter.SetLimitAt(now, climbed)
	if climbed == t.configured {
		t.limiter.SetBurstAt(now, t.burst)
	}
}
