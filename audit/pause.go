package audit

import (
	"context"
	"sync"
	"time"
)

// pause is one "not before" time shared by every worker. A Retry-After on a
// 429 or 503 moves it forward, and every attempt waits for it before it even
// requests a token from the rate limiter. It is safe for concurrent use.
type pause struct {
	mu    sync.Mutex
	until time.Time
}

// extend moves the shared pause to at least t; an earlier t changes nothing.
func (p *pause) extend(t time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t.After(p.until) {
		p.until = t
	}
}

// over reports whether the pause has ended at now.
func (p *pause) over(now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return !now.Before(p.until)
}

// wait blocks until the shared pause is over or ctx is done. It loops because
// another worker may extend the pause while this one sleeps.
func (p *pause) wait(ctx context.Context) error {
	for {
		p.mu.Lock()
		remaining := time.Until(p.until)
		p.mu.Unlock()
		if remaining <= 0 {
			return nil
		}
		if err := sleep(ctx, remaining); err != nil {
			return err
		}
	}
}

// sleep waits for d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
