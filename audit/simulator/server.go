package simulator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/accessaudit/accessaudit/audit"
)

// userRolePattern is the one endpoint the simulator serves.
const userRolePattern = "/iam/clients/{clientId}/client-users/{userId}"

// Options tune a Server. The zero value accepts any non-empty key and adds
// no latency, rate limit or random errors.
type Options struct {
	// Key is the accepted API key, compared in constant time. Empty accepts
	// any non-empty key.
	Key string

	// Latency is added before every response, error responses included.
	Latency time.Duration

	// RateLimit is how many requests per second the server accepts, as a
	// token bucket with burst 1. A request above it gets 429 with a
	// Retry-After of whole seconds, at least 1. 0 means no limit.
	RateLimit float64

	// ErrorRate is the share of requests, 0 to 1, given a 500, 502 or
	// 503 at random, after the key and rate checks.
	ErrorRate float64

	// Seed seeds the random choices behind ErrorRate, so a run that sends
	// requests one at a time is repeatable.
	Seed int64

	// Logger receives one "response" record per request, with the method,
	// path, status and fault. Nil logs nothing.
	Logger *slog.Logger
}

// Validate reports the first option that is out of range.
func (o Options) Validate() error {
	switch {
	case strings.TrimSpace(o.Key) != o.Key:
		return errors.New("the key has surrounding white space, so no request could match it; trim it")
	case o.Latency < 0:
		return fmt.Errorf("latency %s is negative", o.Latency)
	case math.IsNaN(o.RateLimit) || math.IsInf(o.RateLimit, 0) || o.RateLimit < 0:
		return fmt.Errorf("rate limit %v is not a number of requests per second of 0 or more", o.RateLimit)
	case math.IsNaN(o.ErrorRate) || o.ErrorRate < 0 || o.ErrorRate > 1:
		return fmt.Errorf("error rate %v is outside 0 to 1", o.ErrorRate)
	}
	return nil
}

// Server is the simulated IAM API, an http.Handler. It is safe for
// concurrent use.
type Server struct {
	opts    Options
	index   *index
	faults  *faultQueue
	limiter *rate.Limiter // nil without a rate limit
	random  *randomErrors // nil without random errors
	mux     *http.ServeMux

	requests atomic.Int64
	hitsMu   sync.Mutex
	hits     map[audit.Pair]int64
}

// New returns a Server that responds from dir; a nil dir is an empty
// directory. It copies what it needs, so later changes to dir do not reach
// the server. New panics when dir.Validate or opts.Validate fails, so check
// input from users with them first.
func New(dir *Directory, opts Options) *Server {
	if dir == nil {
		dir = &Directory{}
	}
	if err := dir.Validate(); err != nil {
		panic(fmt.Sprintf("simulator.New: %v", err))
	}
	if err := opts.Validate(); err != nil {
		panic(fmt.Sprintf("simulator.New: invalid options: %v", err))
	}

	s := &Server{
		opts:   opts,
		index:  newIndex(dir),
		faults: newFaultQueue(dir.Faults),
		hits:   make(map[audit.Pair]int64),
	}
	if opts.RateLimit > 0 {
		s.limiter = rate.NewLimiter(rate.Limit(opts.RateLimit), 1)
	}
	if opts.ErrorRate > 0 {
		s.random = newRandomErrors(opts.ErrorRate, opts.Seed)
	}

	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET "+userRolePattern, s.serveUserRole)
	s.mux.HandleFunc(userRolePattern, s.serveMethodNotAllowed)
	s.mux.HandleFunc("/", s.serveNotFound)
	return s
}

// Requests returns how many requests the server has received, on any path.
func (s *Server) Requests() int64 {
	return s.requests.Load()
}

// Hits returns how many requests named pair p with valid IDs, whatever the
// response, 401 and 429 included.
func (s *Server) Hits(p audit.Pair) int64 {
	s.hitsMu.Lock()
	defer s.hitsMu.Unlock()
	return s.hits[p]
}

// ServeHTTP counts the request, waits Options.Latency and responds.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	if !pause(r.Context(), s.opts.Latency) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) serveUserRole(w http.ResponseWriter, r *http.Request) {
	pair, err := parsePair(r)
	if err != nil {
		s.sendMessage(w, r, http.StatusBadRequest, err.Error(), nil)
		return
	}
	s.countHit(pair)

	if msg, ok := s.checkKey(r.Header.Get("Authorization")); !ok {
		header := http.Header{"WWW-Authenticate": {"APIKey"}}
		s.sendMessage(w, r, http.StatusUnauthorized, msg, header)
		return
	}
	if wait, ok := s.admit(); !ok {
		seconds := retryAfterSeconds(wait)
		header := http.Header{"Retry-After": {strconv.FormatInt(seconds, 10)}}
		msg := fmt.Sprintf("rate limit of %v requests per second exceeded; retry after %d s", s.opts.RateLimit, seconds)
		s.sendMessage(w, r, http.StatusTooManyRequests, msg, header)
		return
	}
	if status := s.random.draw(); status != 0 {
		s.sendMessage(w, r, status, "simulated random server error", nil)
		return
	}

	normal := s.index.response(pair)
	if fault := s.faults.take(pair); fault != nil {
		s.serveFault(w, r, normal, fault)
		return
	}
	s.sendResponse(w, r, normal)
}

func (s *Server) serveMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	msg := fmt.Sprintf("method %s is not allowed on this endpoint; use GET", r.Method)
	s.sendMessage(w, r, http.StatusMethodNotAllowed, msg, http.Header{"Allow": {"GET, HEAD"}})
}

func (s *Server) serveNotFound(w http.ResponseWriter, r *http.Request) {
	msg := fmt.Sprintf("no endpoint at %s; the simulator serves only GET %s", r.URL.Path, userRolePattern)
	s.sendMessage(w, r, http.StatusNotFound, msg, nil)
}

func (s *Server) countHit(p audit.Pair) {
	s.hitsMu.Lock()
	defer s.hitsMu.Unlock()
	s.hits[p]++
}

// parsePair reads both IDs from the path. An ID must be digits only, with
// leading zeros allowed, and a positive int64.
func parsePair(r *http.Request) (audit.Pair, error) {
	clientID, err := parseID("clientId", r.PathValue("clientId"))
	if err != nil {
		return audit.Pair{}, err
	}
	userID, err := parseID("userId", r.PathValue("userId"))
	if err != nil {
		return audit.Pair{}, err
	}
	return audit.Pair{ClientID: clientID, UserID: userID}, nil
}

var errNotPositive = errors.New("is not a positive integer")

func parseID(name, text string) (int64, error) {
	invalid := fmt.Errorf("%s %q %w", name, text, errNotPositive)
	if text == "" {
		return 0, invalid
	}
	for _, c := range text {
		if c < '0' || c > '9' {
			return 0, invalid
		}
	}

	id, err := strconv.ParseInt(text, 10, 64)
	if err != nil || id <= 0 {
		return 0, invalid
	}
	return id, nil
}

// retryAfterSeconds rounds a wait up to whole seconds, at least 1, as the
// Retry-After header carries.
func retryAfterSeconds(wait time.Duration) int64 {
	return max(int64(math.Ceil(wait.Seconds())), 1)
}

// pause waits d and reports whether the request is still live; it returns
// false as soon as ctx is done.
func pause(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}

	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}
