package audit

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// sendWindow caps requests by the time they are actually written, where the
// rate limiter only spaces the moments workers are let go. Between the two
// lie goroutine wake-ups and connection set-up, whose delays can bunch
// requests together: with two late ones, the server receives one more than
// --rate plus --burst in some second. The window lets a request go only
// when the max requests before it were sent at least span ago, where max is
// floor(rate + burst) and span is max/rate seconds (at least one second).
// That is the spacing the limiter gives anyway, so it costs no throughput,
// and it leaves a margin of one request interval for delays after this
// point. Safe for concurrent use; callers wait in turn.
type sendWindow struct {
	span time.Duration

	mu   sync.Mutex
	sent []time.Time // the last max send times, oldest at next
	next int
}

// newSendWindow returns the window for a limiter, or nil when the limiter
// does not limit (rate 0 on the command line).
func newSendWindow(limiter *rate.Limiter) *sendWindow {
	perSecond := float64(limiter.Limit())
	if limiter.Limit() == rate.Inf || perSecond <= 0 {
		return nil
	}
	limit := max(int(math.Floor(perSecond+float64(limiter.Burst()))), 1)
	span := max(time.Duration(float64(limit)/perSecond*float64(time.Second)), time.Second)
	return &sendWindow{span: span, sent: make([]time.Time, limit)}
}

// wait blocks until one more request may be written, then records it as
// sent now. It holds the lock while it sleeps on purpose: requests leave
// one at a time, in order. A nil window never waits.
func (w *sendWindow) wait(ctx context.Context) {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()

	if oldest := w.sent[w.next]; !oldest.IsZero() {
		if d := time.Until(oldest.Add(w.span)); d > 0 {
			_ = sleep(ctx, d) // a cancelled ctx fails the request itself
		}
	}
	w.sent[w.next] = time.Now()
	w.next = (w.next + 1) % len(w.sent)
}
