package simulator

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// admit takes a token from the rate limiter. When none is left it returns
// the wait until the next token and false, and the request uses no token.
func (s *Server) admit() (time.Duration, bool) {
	if s.limiter == nil {
		return 0, true
	}

	now := time.Now()
	reservation := s.limiter.ReserveN(now, 1)
	wait := reservation.DelayFrom(now)
	if wait == 0 {
		return 0, true
	}
	reservation.CancelAt(now)
	return wait, false
}

// randomErrors draws the random 5xx responses of Options.ErrorRate. It is
// safe for concurrent use, and a nil *randomErrors never draws an error.
type randomErrors struct {
	share float64

	mu  sync.Mutex
	rng *rand.Rand
}

// randomStatuses are the statuses a random error response uses.
var randomStatuses = [...]int{
	http.StatusInternalServerError,
	http.StatusBadGateway,
	http.StatusServiceUnavailable,
}

func newRandomErrors(share float64, seed int64) *randomErrors {
	source := rand.NewPCG(uint64(seed), 0x5eed)
	return &randomErrors{share: share, rng: rand.New(source)}
}

// draw returns a 5xx status for this request, or 0 for no error.
func (e *randomErrors) draw() int {
	if e == nil {
		return 0
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	if e.rng.Float64() >= e.share {
		return 0
	}
	return randomStatuses[e.rng.IntN(len(randomStatuses))]
}
