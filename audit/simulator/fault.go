package simulator

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/accessaudit/accessaudit/audit"
)

// Disconnect names a way to drop the connection instead of responding.
type Disconnect string

// The disconnect kinds a Fault can use.
const (
	DisconnectNone    Disconnect = ""         // respond normally
	DisconnectReset   Disconnect = "reset"    // TCP reset before any response byte
	DisconnectClose   Disconnect = "close"    // clean close before any response byte
	DisconnectMidBody Disconnect = "mid_body" // headers and half the body, then close
)

// MaxBodyBytes is the largest Fault.BodyBytes, 1 GiB.
const MaxBodyBytes = 1 << 30

// Fault scripts the responses for one pair. The package comment describes
// each field under "Faults"; the zero value of a field leaves that part of
// the response unchanged.
type Fault struct {
	Pair audit.Pair

	Times       int           // requests that get the fault; 0 means every request
	Status      int           // 200 to 599; 0 keeps the pair's normal status
	Body        *string       // raw body; nil keeps the normal or a generated body
	BodyBytes   int64         // pad the body with spaces to this size in bytes
	ContentType string        // Content-Type header; empty means application/json
	RetryAfter  string        // Retry-After header, sent verbatim
	Location    string        // Location header
	Delay       time.Duration // wait before responding
	BodyDelay   time.Duration // wait between the headers and the body
	Disconnect  Disconnect
}

// problems returns what is wrong with f, one phrase per problem.
func (f *Fault) problems() []string {
	var out []string
	add := func(format string, args ...any) {
		out = append(out, fmt.Sprintf(format, args...))
	}

	if problem := idProblem("client_id", f.Pair.ClientID); problem != "" {
		add("%s", problem)
	}
	if problem := idProblem("user_id", f.Pair.UserID); problem != "" {
		add("%s", problem)
	}
	if f.Times < 0 {
		add("times %d is negative; use 0 for every request", f.Times)
	}
	if f.Status != 0 && (f.Status < 200 || f.Status > 599) {
		add("status %d is outside 200 to 599", f.Status)
	}
	if f.BodyBytes < 0 || f.BodyBytes > MaxBodyBytes {
		add("body_bytes %d is outside 0 to %d (1 GiB)", f.BodyBytes, MaxBodyBytes)
	}
	if f.Delay < 0 {
		add("delay %s is negative", f.Delay)
	}
	if f.BodyDelay < 0 {
		add("body_delay %s is negative", f.BodyDelay)
	}

	switch f.Disconnect {
	case DisconnectNone:
	case DisconnectReset, DisconnectClose:
		if f.setsResponse() {
			add("disconnect %q sends no response, so status, body, body_bytes, content_type, "+
				"retry_after, location and body_delay must be left out", f.Disconnect)
		}
	case DisconnectMidBody:
		if f.Body != nil && *f.Body == "" && f.BodyBytes == 0 {
			add("disconnect \"mid_body\" needs a body to cut; leave out body or give body_bytes")
		}
	default:
		add("disconnect %q is unknown; use \"reset\", \"close\" or \"mid_body\"", f.Disconnect)
	}
	return out
}

// setsResponse reports whether f sets any part of an HTTP response.
func (f *Fault) setsResponse() bool {
	return f.Status != 0 || f.Body != nil || f.BodyBytes != 0 || f.ContentType != "" ||
		f.RetryAfter != "" || f.Location != "" || f.BodyDelay != 0
}

// responseFor returns the status and body f sends for a pair whose normal
// response is normal.
func (f *Fault) responseFor(normal Response) (int, []byte) {
	status := normal.Status
	if f.Status != 0 {
		status = f.Status
	}

	switch {
	case f.Body != nil:
		return status, []byte(*f.Body)
	case status == normal.Status:
		return status, normalBody(normal)
	default:
		return status, messageBody(fmt.Sprintf("simulated %d %s response", status, http.StatusText(status)))
	}
}

// faultQueue hands out each pair's faults in order, counting their uses.
// It is safe for concurrent use.
type faultQueue struct {
	mu     sync.Mutex
	byPair map[audit.Pair][]*faultUse
}

type faultUse struct {
	fault Fault
	used  int
}

func newFaultQueue(faults []Fault) *faultQueue {
	q := &faultQueue{byPair: make(map[audit.Pair][]*faultUse)}
	for _, f := range faults {
		if f.Body != nil {
			body := *f.Body // the caller keeps the pointer
			f.Body = &body
		}
		q.byPair[f.Pair] = append(q.byPair[f.Pair], &faultUse{fault: f})
	}
	return q
}

// take returns the first fault for p that still has uses left and counts
// one use, or nil when none is left.
func (q *faultQueue) take(p audit.Pair) *Fault {
	q.mu.Lock()
	defer q.mu.Unlock()

	for _, u := range q.byPair[p] {
		if u.fault.Times == 0 {
			return &u.fault
		}
		if u.used < u.fault.Times {
			u.used++
			return &u.fault
		}
	}
	return nil
}
