package audit_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/accessaudit/accessaudit/audit"
	"github.com/accessaudit/accessaudit/audit/simulator"
)

const faultKey = "faults-key-9d2e71"

// exchange is one request as the server saw it.
type exchange struct {
	path       string
	arrived    time.Time // before the handler ran
	answered   time.Time // when the status line was written; zero when none was
	status     int       // 0 when the handler sent no response
	retryAfter string
}

// recorder wraps a handler and logs every exchange. It is safe for
// concurrent use.
type recorder struct {
	next http.Handler

	mu  sync.Mutex
	log []*exchange
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ex := &exchange{path: r.URL.Path, arrived: time.Now()}
	rec.mu.Lock()
	rec.log = append(rec.log, ex)
	rec.mu.Unlock()

	rec.next.ServeHTTP(&statusWriter{ResponseWriter: w, rec: rec, ex: ex}, r)
}

// exchanges returns a copy of the log in arrival order.
func (rec *recorder) exchanges() []exchange {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	out := make([]exchange, len(rec.log))
	for i, ex := range rec.log {
		out[i] = *ex
	}
	slices.SortFunc(out, func(a, b exchange) int { return a.arrived.Compare(b.arrived) })
	return out
}

// statusWriter notes the status line of a response. Unwrap lets
// http.ResponseController reach Flush and Hijack underneath.
type statusWriter struct {
	http.ResponseWriter
	rec *recorder
	ex  *exchange
}

func (w *statusWriter) WriteHeader(code int) {
	w.rec.mu.Lock()
	if w.ex.status == 0 {
		w.ex.status = code
		w.ex.answered = time.Now()
		w.ex.retryAfter = w.Header().Get("Retry-After")
	}
	w.rec.mu.Unlock()
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.rec.mu.Lock()
	unanswered := w.ex.status == 0
	w.rec.mu.Unlock()
	if unanswered {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// startSimulator serves dir with opts behind a recorder on 127.0.0.1.
func startSimulator(t *testing.T, dir *simulator.Directory, opts simulator.Options) (string, *recorder) {
	t.Helper()
	rec := &recorder{next: simulator.New(dir, opts)}
	baseURL, stop, err := simulator.Start(rec, "127.0.0.1:0")
	if err != nil {
		t.Fatalf("starting the simulator: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = stop(ctx)
	})
	return baseURL, rec
}

// loadDirectory parses a directory file written in the simulator's format.
func loadDirectory(t *testing.T, text string) *simulator.Directory {
	t.Helper()
	dir, err := simulator.LoadDirectory(strings.NewReader(text))
	if err != nil {
		t.Fatalf("directory: %v", err)
	}
	return dir
}

// usersDirectory returns a directory file with users 1..n of account 7 in
// group 2, and the given faults (a JSON array).
func usersDirectory(n int, faults string) string {
	var b strings.Builder
	b.WriteString(`{"accounts":[{"id":7,"users":[`)
	for u := 1; u <= n; u++ {
		if u > 1 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":%d,"group":2}`, u)
	}
	b.WriteString(`]}],"faults":` + faults + `}`)
	return b.String()
}

func newClient(t *testing.T, cfg audit.Config) *audit.Client {
	t.Helper()
	cfg.Key = faultKey
	c, err := audit.NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// checkAll runs Check for users 1..n of account 7 on workers goroutines and
// returns the results by user ID.
func checkAll(t *testing.T, c *audit.Client, n, workers int) map[int64]audit.Result {
	t.Helper()
	jobs := make(chan audit.Job)
	go func() {
		for u := 1; u <= n; u++ {
			jobs <- audit.Job{Pair: audit.Pair{ClientID: 7, UserID: int64(u)}, Seq: u - 1, Line: u, Lines: []int{u}}
		}
		close(jobs)
	}()

	var mu sync.Mutex
	results := make(map[int64]audit.Result)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for job := range jobs {
				res, err := c.Check(context.Background(), job)
				if err != nil {
					t.Errorf("user %d: Check: %v", job.UserID, err)
				}
				mu.Lock()
				results[job.UserID] = res
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return results
}

func TestRetryAfterPausesEveryCaller(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		limit   rate.Limit // client rate; rate.Inf for none
		retries int
		times   int           // how many requests of user 5 get a 429; 0 for all
		outcome audit.Outcome // user 5's outcome
	}{
		{"unlimited client", rate.Inf, 2, 1, audit.OutcomeOK},
		// At 20/s eight callers queue up to 400ms ahead at the limiter,
		// so a pause of one second begins while some of them hold a slot.
		{"callers queued at the limiter", 20, 2, 1, audit.OutcomeOK},
		// A pair out of retries does not retry, but the others still wait.
		{"429 on the last attempt", rate.Inf, 0, 0, audit.OutcomeError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			const users = 40
			faults := fmt.Sprintf(`[{"client_id":7,"user_id":5,"status":429,"retry_after":"1","times":%d}]`, tt.times)
			baseURL, rec := startSimulator(t, loadDirectory(t, usersDirectory(users, faults)),
				simulator.Options{Latency: 20 * time.Millisecond})
			c := newClient(t, audit.Config{BaseURL: baseURL, Limiter: rate.NewLimiter(tt.limit, 1), Concurrency: 8, Retries: tt.retries})

			results := checkAll(t, c, users, 8)

			for u := int64(1); u <= users; u++ {
				want := audit.OutcomeOK
				if u == 5 {
					want = tt.outcome
				}
				if res := results[u]; res.Outcome != want {
					t.Errorf("user %d: outcome %q (%s), want %q", u, res.Outcome, res.Error, want)
				}
			}
			if res := results[5]; tt.outcome == audit.OutcomeError && (res.ErrorKind != audit.KindRateLimited || res.Attempts != 1) {
				t.Errorf("user 5: %s/%s after %d attempts, want error/rate_limited after 1", res.Outcome, res.ErrorKind, res.Attempts)
			}
			log := rec.exchanges()
			assertPausesHeld(t, log, 0, 0)
			if last := log[len(log)-1]; last.arrived.Sub(log[0].arrived) < time.Second {
				t.Errorf("the run took %s, want at least the 1s pause", last.arrived.Sub(log[0].arrived))
			}
		})
	}
}

func TestThrottleSlowsDownAfter429(t *testing.T) {
	t.Parallel()
	// The server accepts 30 requests per second with no burst and responds
	// to more with 429 and a Retry-After of at least 1s. The client starts
	// at twice that rate with a burst of 3.
	const users, limit, burst = 40, 60, 3
	baseURL, rec := startSimulator(t, loadDirectory(t, usersDirectory(users, "[]")),
		simulator.Options{Latency: 5 * time.Millisecond, RateLimit: limit / 2})
	c := newClient(t, audit.Config{BaseURL: baseURL, Limiter: rate.NewLimiter(limit, burst), Concurrency: 8, Retries: 5})

	results := checkAll(t, c, users, 8)

	for u := int64(1); u <= users; u++ {
		if res := results[u]; res.Outcome != audit.OutcomeOK {
			t.Errorf("user %d: outcome %q (%s), want ok", u, res.Outcome, res.Error)
		}
	}
	log := rec.exchanges()
	throttled := 0
	for _, ex := range log {
		if ex.status == http.StatusTooManyRequests {
			throttled++
		}
	}
	t.Logf("%d requests, %d answered 429, over %s", len(log), throttled, log[len(log)-1].arrived.Sub(log[0].arrived))
	if throttled == 0 {
		t.Fatalf("the server never answered 429; the test no longer tests throttling")
	}
	// Halving the rate and dropping the burst after the first 429s keeps
	// the client under the server's limit for the rest of the run. Each
	// 429 also costs a 1s pause for everybody.
	if throttled > 10 {
		t.Errorf("the server answered %d of %d requests with 429, want the client to slow down after the first few", throttled, len(log))
	}
	if peak := busiestSecond(log); peak > limit+burst {
		t.Errorf("the server saw %d requests in one second, want at most the client's %d plus burst %d", peak, limit, burst)
	}
	assertPausesHeld(t, log, 0, 0)
}

// busiestSecond returns the most requests that arrived within any one
// second; log is in arrival order.
func busiestSecond(log []exchange) int {
	peak, j := 0, 0
	for i := range log {
		for j < len(log) && log[j].arrived.Sub(log[i].arrived) < time.Second {
			j++
		}
		peak = max(peak, j-i)
	}
	return peak
}

func TestKeyRejectedStopsCallersQueuedAtLimiter(t *testing.T) {
	t.Parallel()
	const users = 40
	faults := `[{"client_id":7,"user_id":6,"status":401}]`
	baseURL, rec := startSimulator(t, loadDirectory(t, usersDirectory(users, faults)), simulator.Options{})
	c := newClient(t, audit.Config{BaseURL: baseURL, Limiter: rate.NewLimiter(20, 1), Concurrency: 8, Retries: 2})

	jobs := make(chan audit.Job, users)
	for u := 1; u <= users; u++ {
		jobs <- audit.Job{Pair: audit.Pair{ClientID: 7, UserID: int64(u)}, Seq: u - 1}
	}
	close(jobs)
	var wg sync.WaitGroup
	var mu sync.Mutex
	answered, rejected := 0, 0
	for range 8 {
		wg.Go(func() {
			for job := range jobs {
				res, err := c.Check(context.Background(), job)
				mu.Lock()
				switch {
				case errors.Is(err, audit.ErrKeyRejected):
					rejected++
				case err != nil:
					t.Errorf("user %d: Check: %v, want ErrKeyRejected or a result", job.UserID, err)
				case res.Outcome == audit.OutcomeOK:
					answered++
				default:
					t.Errorf("user %d: outcome %q (%s), want ok or ErrKeyRejected", job.UserID, res.Outcome, res.Error)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()

	log := rec.exchanges()
	var firstRejection time.Time
	for _, ex := range log {
		if ex.status == http.StatusUnauthorized && (firstRejection.IsZero() || ex.answered.Before(firstRejection)) {
			firstRejection = ex.answered
		}
	}
	if firstRejection.IsZero() {
		t.Fatalf("the server never sent its 401; it saw %d requests", len(log))
	}
	for _, ex := range log {
		if ex.arrived.After(firstRejection.Add(50 * time.Millisecond)) {
			t.Errorf("%s arrived %s after the first 401, with a key already known to be rejected",
				ex.path, ex.arrived.Sub(firstRejection).Round(time.Millisecond))
		}
	}
	if answered+rejected != users || rejected == 0 {
		t.Errorf("%d pairs answered and %d calls rejected, want %d in all with some rejected", answered, rejected, users)
	}
}

// assertPausesHeld fails when a request arrived while a Retry-After sent
// earlier was still running. slack allows for requests that were already
// on their way when the pause began. A Retry-After over maxRetryWait pauses
// no worker, unless maxRetryWait is 0.
func assertPausesHeld(t *testing.T, log []exchange, slack, maxRetryWait time.Duration) {
	t.Helper()
	if slack == 0 {
		slack = 100 * time.Millisecond
	}
	for _, pauser := range log {
		if pauser.retryAfter == "" || (pauser.status != http.StatusTooManyRequests && pauser.status != http.StatusServiceUnavailable) {
			continue
		}
		wait, ok := parseRetryAfter(pauser.retryAfter, pauser.answered)
		if !ok || maxRetryWait > 0 && wait > maxRetryWait {
			continue
		}
		from, until := pauser.answered.Add(slack), pauser.answered.Add(wait)
		for _, ex := range log {
			if ex.arrived.After(from) && ex.arrived.Before(until) {
				t.Errorf("%s arrived %s after a %d with Retry-After %q for %s, inside the pause",
					ex.path, ex.arrived.Sub(pauser.answered).Round(time.Millisecond), pauser.status, pauser.retryAfter, pauser.path)
			}
		}
	}
}

// assertRetriesWaited fails when a pair was sent again sooner than the
// Retry-After of its last 429 or 503 allowed. A Retry-After over
// maxRetryWait ends the pair, so a second request for it is an error too.
func assertRetriesWaited(t *testing.T, log []exchange, maxRetryWait time.Duration) {
	t.Helper()
	last := make(map[string]exchange)
	for _, ex := range log {
		prev, seen := last[ex.path]
		last[ex.path] = ex
		if !seen || prev.retryAfter == "" || (prev.status != http.StatusTooManyRequests && prev.status != http.StatusServiceUnavailable) {
			continue
		}
		wait, ok := parseRetryAfter(prev.retryAfter, prev.answered)
		switch {
		case !ok:
			continue
		case wait > maxRetryWait:
			t.Errorf("%s was sent again after a Retry-After of %s, over --max-retry-wait %s", ex.path, wait, maxRetryWait)
		case ex.arrived.Sub(prev.answered) < wait:
			t.Errorf("%s was sent again %s after a %d with Retry-After %q, want at least %s",
				ex.path, ex.arrived.Sub(prev.answered).Round(time.Millisecond), prev.status, prev.retryAfter, wait.Round(time.Millisecond))
		}
	}
}

// parseRetryAfter reads delay seconds or an HTTP date.
func parseRetryAfter(value string, now time.Time) (time.Duration, bool) {
	var seconds int64
	if _, err := fmt.Sscanf(value, "%d", &seconds); err == nil && fmt.Sprint(seconds) == value {
		return time.Duration(seconds) * time.Second, true
	}
	at, err := http.ParseTime(value)
	if err != nil {
		return 0, false
	}
	return at.Sub(now), true
}

// faultCase is one scripted fault and the result it must end in.
type faultCase struct {
	name     string
	fault    string // the fields of one simulator fault, without the pair; "" for none
	outcome  audit.Outcome
	kind     audit.ErrorKind
	status   int
	attempts int
	group    string // the group name of an ok result
	errorHas string // text the result's Error must contain
}

// scriptedFaults lists the faults a client must survive. The client under
// test has Timeout 1.5s, Retries 1 and MaxRetryWait 2s.
func scriptedFaults(redirectTarget string) []faultCase {
	date := time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat)
	return []faultCase{
		{name: "normal answer", outcome: audit.OutcomeOK, status: 200, attempts: 1, group: "Users"},
		{name: "connection reset", fault: `"disconnect":"reset"`, outcome: audit.OutcomeError, kind: audit.KindNetwork, attempts: 2},
		{name: "connection closed", fault: `"disconnect":"close"`, outcome: audit.OutcomeError, kind: audit.KindNetwork, attempts: 2},
		{name: "cut mid-body", fault: `"disconnect":"mid_body"`, outcome: audit.OutcomeError, kind: audit.KindNetwork, status: 200, attempts: 2},
		{name: "headers then silence", fault: `"body_delay":"5s"`, outcome: audit.OutcomeError, kind: audit.KindTimeout, status: 200, attempts: 2, errorHas: "--timeout"},
		{name: "no answer", fault: `"delay":"5s"`, outcome: audit.OutcomeError, kind: audit.KindTimeout, attempts: 2, errorHas: "--timeout"},
		{name: "one slow answer", fault: `"delay":"5s","times":1`, outcome: audit.OutcomeOK, status: 200, attempts: 2, group: "Users"},
		{name: "503 once", fault: `"status":503,"times":1`, outcome: audit.OutcomeOK, status: 200, attempts: 2, group: "Users"},
		{name: "500 always", fault: `"status":500`, outcome: audit.OutcomeError, kind: audit.KindServerError, status: 500, attempts: 2, errorHas: "gave up after 2 attempts"},
		{name: "502 with Retry-After", fault: `"status":502,"retry_after":"1"`, outcome: audit.OutcomeError, kind: audit.KindServerError, status: 502, attempts: 2},
		{name: "501 is final", fault: `"status":501`, outcome: audit.OutcomeError, status: 501, attempts: 1},
		{name: "429 always", fault: `"status":429`, outcome: audit.OutcomeError, kind: audit.KindRateLimited, status: 429, attempts: 2},
		{name: "429 with unparseable Retry-After", fault: `"status":429,"retry_after":"soon","times":1`, outcome: audit.OutcomeOK, status: 200, attempts: 2, group: "Users"},
		{name: "429 with an HTTP date", fault: `"status":429,"retry_after":"` + date + `","times":1`, outcome: audit.OutcomeOK, status: 200, attempts: 2, group: "Users"},
		{name: "429 past --max-retry-wait", fault: `"status":429,"retry_after":"3600"`, outcome: audit.OutcomeError, kind: audit.KindRateLimited, status: 429, attempts: 1, errorHas: "--max-retry-wait"},
		{name: "503 past --max-retry-wait", fault: `"status":503,"retry_after":"3600"`, outcome: audit.OutcomeError, kind: audit.KindServerError, status: 503, attempts: 1, errorHas: "--max-retry-wait"},
		{name: "empty 200", fault: `"body":""`, outcome: audit.OutcomeError, kind: audit.KindInvalidResponse, status: 200, attempts: 1},
		{name: "truncated JSON", fault: `"body":"{\"user_role\": {\"id\": 1,"`, outcome: audit.OutcomeError, kind: audit.KindInvalidResponse, status: 200, attempts: 1},
		{name: "HTML page", fault: `"body":"<html><body>Service window</body></html>","content_type":"text/html"`, outcome: audit.OutcomeError, kind: audit.KindInvalidResponse, status: 200, attempts: 1},
		{name: "empty object", fault: `"body":"{}"`, outcome: audit.OutcomeError, kind: audit.KindInvalidResponse, status: 200, attempts: 1},
		{name: "null user_role", fault: `"body":"{\"user_role\": null}"`, outcome: audit.OutcomeError, kind: audit.KindInvalidResponse, status: 200, attempts: 1},
		{name: "string group id", fault: `"body":"{\"user_role\": {\"id\": \"1\"}}"`, outcome: audit.OutcomeError, kind: audit.KindInvalidResponse, status: 200, attempts: 1},
		{name: "body over 1 MiB", fault: `"body_bytes":2097152`, outcome: audit.OutcomeError, kind: audit.KindInvalidResponse, status: 200, attempts: 1},
		{name: "body of exactly 1 MiB", fault: `"body_bytes":1048576`, outcome: audit.OutcomeOK, status: 200, attempts: 1, group: "Users"},
		{name: "unknown group", fault: `"body":"{\"user_role\": {\"id\": 4242, \"name\": \"Billing viewers\"}}"`, outcome: audit.OutcomeOK, status: 200, attempts: 1, group: "Billing viewers"},
		{name: "group name only", fault: `"body":"{\"user_role\": {\"name\": \"Custom admins\"}}"`, outcome: audit.OutcomeOK, status: 200, attempts: 1, group: "Custom admins"},
		{name: "redirect", fault: `"status":302,"location":"` + redirectTarget + `"`, outcome: audit.OutcomeError, kind: audit.KindUnexpectedStatus, status: 302, attempts: 1, errorHas: "not followed"},
		{name: "permanent redirect", fault: `"status":308,"location":"` + redirectTarget + `"`, outcome: audit.OutcomeError, kind: audit.KindUnexpectedStatus, status: 308, attempts: 1},
		{name: "bad request", fault: `"status":400`, outcome: audit.OutcomeError, kind: audit.KindUnexpectedStatus, status: 400, attempts: 1},
		{name: "forbidden with HTML", fault: `"status":403,"body":"<h1>Forbidden</h1>"`, outcome: audit.OutcomeForbidden, status: 403, attempts: 1},
		{name: "not found", fault: `"status":404`, outcome: audit.OutcomeNotFound, status: 404, attempts: 1},
	}
}

func TestClientSurvivesScriptedFaults(t *testing.T) {
	t.Parallel()
	target := &recorder{next: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"user_role":{"id":1,"name":"Administrators"}}`))
	})}
	targetURL, stopTarget, err := simulator.Start(target, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stopTarget(context.Background()) })

	cases := scriptedFaults(targetURL + "/iam/clients/7/client-users/1")
	var faults []string
	for i, fc := range cases {
		if fc.fault != "" {
			faults = append(faults, fmt.Sprintf(`{"client_id":7,"user_id":%d,%s}`, i+1, fc.fault))
		}
	}
	baseURL, rec := startSimulator(t, loadDirectory(t, usersDirectory(len(cases), "["+strings.Join(faults, ",")+"]")), simulator.Options{Key: faultKey})
	var retries lockedBuffer
	c := newClient(t, audit.Config{BaseURL: baseURL, Concurrency: 8, Timeout: 1500 * time.Millisecond, Retries: 1,
		MaxRetryWait: 2 * time.Second, Logger: slog.New(slog.NewTextHandler(&retries, nil))})

	start := time.Now()
	results := checkAll(t, c, len(cases), len(cases))
	elapsed := time.Since(start)

	for i, fc := range cases {
		res := results[int64(i+1)]
		if res.Outcome != fc.outcome || res.ErrorKind != fc.kind && fc.kind != "" || res.HTTPStatus != fc.status || res.Attempts != fc.attempts {
			t.Errorf("%s: %s/%s HTTP %d after %d attempts (%q), want %s/%s HTTP %d after %d",
				fc.name, res.Outcome, res.ErrorKind, res.HTTPStatus, res.Attempts, res.Error, fc.outcome, fc.kind, fc.status, fc.attempts)
		}
		if res.Outcome == audit.OutcomeError && res.ErrorKind == "" {
			t.Errorf("%s: outcome error without an error kind", fc.name)
		}
		if res.Outcome != audit.OutcomeError && res.ErrorKind != "" {
			t.Errorf("%s: outcome %s with error kind %q", fc.name, res.Outcome, res.ErrorKind)
		}
		if !strings.Contains(res.Error, fc.errorHas) {
			t.Errorf("%s: error %q, want it to mention %q", fc.name, res.Error, fc.errorHas)
		}
		if fc.group != "" && (res.GroupName == nil || *res.GroupName != fc.group) {
			t.Errorf("%s: group name %v, want %q as the server sent it", fc.name, res.GroupName, fc.group)
		}
		if fc.group == "" && (res.GroupID != nil || res.GroupName != nil) {
			t.Errorf("%s: outcome %s carries a group", fc.name, res.Outcome)
		}
	}
	if got := results[int64(slices.IndexFunc(cases, func(fc faultCase) bool { return fc.name == "unknown group" })+1)]; got.GroupID == nil || *got.GroupID != 4242 {
		t.Errorf("unknown group: group ID %v, want 4242 as the server sent it", got.GroupID)
	}
	if n := len(target.exchanges()); n != 0 {
		t.Errorf("the redirect target received %d requests, want none", n)
	}
	if elapsed > 10*time.Second {
		t.Errorf("the faults took %s to settle, want well under 10s with a 1.5s timeout and one retry", elapsed)
	}
	assertRetriesWaited(t, rec.exchanges(), 2*time.Second)
	if t.Failed() {
		t.Logf("retries logged by the client:\n%s", retries.String())
	}
}

// lockedBuffer is a bytes.Buffer safe for concurrent writers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
