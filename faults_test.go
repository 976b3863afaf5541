package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accessaudit/accessaudit/audit"
	"github.com/accessaudit/accessaudit/audit/simulator"
)

// These tests drive the real command line against servers on 127.0.0.1
// that misbehave: they throttle, fail, hang, cut connections, send odd
// bodies, redirect and reject the key. Every server here is a plain handler
// written for the tests, or the simulator behind the same recording tap.

// wireExchange is one request as a server saw it.
type wireExchange struct {
	path       string
	auth       string    // the Authorization header received
	arrived    time.Time // before the handler ran
	answered   time.Time // when the status line was written; zero when none was
	status     int       // 0 when the handler sent no response
	retryAfter string
	body       []byte // the first bytes of the response body
}

// wireTap records every exchange of the handler it wraps. It is safe for
// concurrent use.
type wireTap struct {
	next http.Handler

	mu  sync.Mutex
	log []*wireExchange
}

// startTap serves h behind a wireTap on 127.0.0.1 until the test ends.
func startTap(t *testing.T, h http.Handler) (*wireTap, string) {
	t.Helper()
	tap := &wireTap{next: h}
	srv := httptest.NewServer(tap)
	t.Cleanup(srv.Close)
	return tap, srv.URL
}

func (tap *wireTap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ex := &wireExchange{path: r.URL.Path, auth: r.Header.Get("Authorization"), arrived: time.Now()}
	tap.mu.Lock()
	tap.log = append(tap.log, ex)
	tap.mu.Unlock()

	tap.next.ServeHTTP(&tapWriter{ResponseWriter: w, tap: tap, ex: ex}, r)
}

// exchanges returns a copy of the log in arrival order.
func (tap *wireTap) exchanges() []wireExchange {
	tap.mu.Lock()
	defer tap.mu.Unlock()
	out := make([]wireExchange, len(tap.log))
	for i, ex := range tap.log {
		out[i] = *ex
	}
	slices.SortFunc(out, func(a, b wireExchange) int { return a.arrived.Compare(b.arrived) })
	return out
}

// hits counts the requests for each path.
func (tap *wireTap) hits() map[string]int {
	hits := make(map[string]int)
	for _, ex := range tap.exchanges() {
		hits[ex.path]++
	}
	return hits
}

// tapWriter notes the status line and the start of the body. Unwrap lets
// http.ResponseController reach Flush and Hijack underneath.
type tapWriter struct {
	http.ResponseWriter
	tap *wireTap
	ex  *wireExchange
}

func (w *tapWriter) WriteHeader(code int) {
	w.tap.mu.Lock()
	first := w.ex.status == 0
	if first {
		w.ex.status = code
		w.ex.answered = time.Now()
		w.ex.retryAfter = w.Header().Get("Retry-After")
	}
	w.tap.mu.Unlock()
	if first {
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *tapWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK) // a no-op after the first status line
	w.tap.mu.Lock()
	if room := 256 - len(w.ex.body); room > 0 {
		w.ex.body = append(w.ex.body, b[:min(room, len(b))]...)
	}
	w.tap.mu.Unlock()
	return w.ResponseWriter.Write(b)
}

func (w *tapWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// reply writes one response, or deliberately fails to.
type reply func(w http.ResponseWriter, r *http.Request)

// scriptedAPI sends each path its replies in turn and repeats the last
// one. A path without replies gets 404, and a request without the key gets
// 401 before anything else.
type scriptedAPI struct {
	key     string
	replies map[string][]reply

	mu     sync.Mutex
	served map[string]int
}

func newScriptedAPI(key string) *scriptedAPI {
	return &scriptedAPI{key: key, replies: make(map[string][]reply), served: make(map[string]int)}
}

func (s *scriptedAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "APIKey "+s.key {
		respond(http.StatusUnauthorized, nil, `{"message":"invalid API key"}`)(w, r)
		return
	}
	s.mu.Lock()
	replies := s.replies[r.URL.Path]
	n := s.served[r.URL.Path]
	s.served[r.URL.Path]++
	s.mu.Unlock()

	if len(replies) == 0 {
		respond(http.StatusNotFound, nil, `{"message":"user not found"}`)(w, r)
		return
	}
	replies[min(n, len(replies)-1)](w, r)
}

// respond returns a reply with status, the header fields and body.
func respond(status int, header map[string]string, body string) reply {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		for name, value := range header {
			w.Header().Set(name, value)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

// role returns a 200 reply whose body has the given user_role JSON.
func role(userRole string) reply {
	return respond(http.StatusOK, nil, `{"user_role":`+userRole+`}`)
}

// hangUp drops the connection before any response byte, with a TCP reset
// when reset is true.
func hangUp(reset bool) reply {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		if tcp, ok := conn.(*net.TCPConn); ok && reset {
			_ = tcp.SetLinger(0)
		}
		_ = conn.Close()
	}
}

// cutBody sends a 200 whose Content-Length promises body, writes half of
// it and then closes the connection (hold false) or stops answering until
// the client gives up (hold true).
func cutBody(body string, hold bool) reply {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(body[:len(body)/2]))
		_ = http.NewResponseController(w).Flush()
		if hold {
			<-r.Context().Done()
			return
		}
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}
}

// silence sends nothing and returns once the client has given up.
func silence() reply {
	return func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}
}

// pairInput returns a CSV with a header, one row per user of account
// client and a "case" column naming each row.
func pairInput(client int64, names []string) string {
	var b strings.Builder
	b.WriteString("client_id,user_id,case\n")
	for i, name := range names {
		fmt.Fprintf(&b, "%d,%d,%s\n", client, i+1, name)
	}
	return b.String()
}

// runBinary runs the built accessaudit executable with args, the key in
// GCORE_API_KEY and stdin as standard input. Unlike runCLI it can run in
// parallel tests, since urfave/cli keeps global state. wrap, when not nil,
// is the command line that runs the executable, such as a shell script.
func runBinary(t *testing.T, wrap []string, stdin string, args ...string) cliResult {
	t.Helper()
	if !slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "http://127.0.0.1:") }) {
		t.Fatalf("run without a loopback --base-url would reach the production API: %q", args)
	}
	argv := append(append(slices.Clone(wrap), binary), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), "GCORE_API_KEY="+e2eKey)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr

	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return cliResult{code: exit.ExitCode(), stdout: stdout.String(), stderr: stderr.String()}
	case err != nil:
		t.Fatalf("running %s: %v", argv[0], err)
	}
	return cliResult{stdout: stdout.String(), stderr: stderr.String()}
}

func writeFile(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func strOrEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func TestRunFaultOutcomes(t *testing.T) {
	target, targetURL := startTap(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		respond(http.StatusOK, nil, `{"user_role":{"id":1,"name":"Administrators"}}`)(w, r)
	}))
	lastHour := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	big := `{"user_role":{"id":2,"name":"Users"}}` + strings.Repeat(" ", 2<<20)
	id := func(n int64) *int64 { return &n }

	const maxRetryWait = 3 * time.Second
	tests := []struct {
		name     string
		replies  []reply
		outcome  string
		kind     string // "" when the outcome is not error
		status   int
		attempts int
		groupID  *int64
		group    string
		errorHas string
	}{
		{"administrator", []reply{role(`{"id":1,"name":"Administrators"}`)}, "ok", "", 200, 1, id(1), "Administrators", ""},
		{"unknown group", []reply{role(`{"id":4242,"name":"Billing viewers"}`)}, "ok", "", 200, 1, id(4242), "Billing viewers", ""},
		{"group id only", []reply{role(`{"id":77}`)}, "ok", "", 200, 1, id(77), "", ""},
		{"group name only", []reply{role(`{"name":"Custom auditors"}`)}, "ok", "", 200, 1, nil, "Custom auditors", ""},
		{"forbidden", []reply{respond(403, nil, `{"message":"no permission for this account"}`)}, "forbidden", "", 403, 1, nil, "", "no permission"},
		{"not found", []reply{respond(404, nil, `{"message":"user not found"}`)}, "not_found", "", 404, 1, nil, "", ""},
		{"no answer", []reply{silence()}, "error", "timeout", 0, 2, nil, "", "--timeout"},
		{"one slow answer", []reply{silence(), role(`{"id":2,"name":"Users"}`)}, "ok", "", 200, 2, id(2), "Users", ""},
		{"connection reset", []reply{hangUp(true)}, "error", "network", 0, 2, nil, "", ""},
		{"connection closed", []reply{hangUp(false)}, "error", "network", 0, 2, nil, "", ""},
		{"cut mid-body", []reply{cutBody(`{"user_role":{"id":1,"name":"Administrators"}}`, false)}, "error", "network", 200, 2, nil, "", ""},
		{"silent mid-body", []reply{cutBody(`{"user_role":{"id":1,"name":"Administrators"}}`, true)}, "error", "timeout", 200, 2, nil, "", "--timeout"},
		{"5xx then answer", []reply{respond(502, nil, `bad gateway`), role(`{"id":2,"name":"Users"}`)}, "ok", "", 200, 2, id(2), "Users", ""},
		{"5xx burst", []reply{respond(503, nil, ``), respond(500, nil, `{"message":"internal"}`)}, "error", "server_error", 500, 2, nil, "", "internal"},
		{"not implemented", []reply{respond(501, nil, ``)}, "error", "", 501, 1, nil, "", "501"},
		{"truncated JSON", []reply{respond(200, nil, `{"user_role": {"id": 1, "na`)}, "error", "invalid_response", 200, 1, nil, "", ""},
		{"HTML page", []reply{respond(200, map[string]string{"Content-Type": "text/html"}, `<html><body>Maintenance</body></html>`)}, "error", "invalid_response", 200, 1, nil, "", ""},
		{"empty body", []reply{respond(200, nil, ``)}, "error", "invalid_response", 200, 1, nil, "", ""},
		{"megabytes of body", []reply{respond(200, nil, big)}, "error", "invalid_response", 200, 1, nil, "", ""},
		{"empty object", []reply{respond(200, nil, `{}`)}, "error", "invalid_response", 200, 1, nil, "", ""},
		{"null user_role", []reply{respond(200, nil, `{"user_role": null}`)}, "error", "invalid_response", 200, 1, nil, "", ""},
		{"user_role not an object", []reply{respond(200, nil, `{"user_role": "Administrators"}`)}, "error", "invalid_response", 200, 1, nil, "", ""},
		{"redirect elsewhere", []reply{respond(302, map[string]string{"Location": targetURL + "/iam/clients/50/client-users/1"}, ``)}, "error", "unexpected_status", 302, 1, nil, "", "not followed"},
		{"permanent redirect", []reply{respond(308, map[string]string{"Location": targetURL + "/moved"}, ``)}, "error", "unexpected_status", 308, 1, nil, "", ""},
		{"relative redirect", []reply{respond(307, map[string]string{"Location": "/moved-here"}, ``)}, "error", "unexpected_status", 307, 1, nil, "", ""},
		{"bad request", []reply{respond(400, nil, `{"message":"bad id"}`)}, "error", "unexpected_status", 400, 1, nil, "", "bad id"},
		{"teapot", []reply{respond(418, nil, ``)}, "error", "unexpected_status", 418, 1, nil, "", ""},
		{"429 without Retry-After", []reply{respond(429, nil, ``)}, "error", "rate_limited", 429, 2, nil, "", ""},
		{"429 with unparseable Retry-After", []reply{respond(429, map[string]string{"Retry-After": "soon"}, ``), role(`{"id":5,"name":"Engineers"}`)}, "ok", "", 200, 2, id(5), "Engineers", ""},
		{"429 honoured", []reply{respond(429, map[string]string{"Retry-After": "1"}, ``), role(`{"id":2,"name":"Users"}`)}, "ok", "", 200, 2, id(2), "Users", ""},
		{"429 past --max-retry-wait", []reply{respond(429, map[string]string{"Retry-After": "3600"}, ``)}, "error", "rate_limited", 429, 1, nil, "", "--max-retry-wait"},
		{"503 past --max-retry-wait", []reply{respond(503, map[string]string{"Retry-After": "3600"}, ``)}, "error", "server_error", 503, 1, nil, "", "--max-retry-wait"},
		{"503 date past --max-retry-wait", []reply{respond(503, map[string]string{"Retry-After": lastHour}, ``)}, "error", "server_error", 503, 1, nil, "", "--max-retry-wait"},
	}

	api := newScriptedAPI(e2eKey)
	names := make([]string, len(tests))
	for i, tt := range tests {
		names[i] = tt.name
		api.replies[userPath(50, int64(i+1))] = tt.replies
	}
	tap, baseURL := startTap(t, api)
	dir := t.TempDir()
	input := writeFile(t, filepath.Join(dir, "pairs.csv"), pairInput(50, names))

	res := runCLI(t, map[string]string{"GCORE_API_KEY": e2eKey}, "",
		"run", input, "--base-url", baseURL, "--rate", "0", "--concurrency", "16", "--retries", "1",
		"--timeout", "1s", "--max-retry-wait", maxRetryWait.String(), "--output-dir", dir)

	if res.code != exitPairErrors {
		t.Fatalf("exit status = %d, want %d (some pairs ended in error); stderr:\n%s", res.code, exitPairErrors, res.stderr)
	}
	jsonPath, xlsxPath := reportPaths(t, res.stdout)
	rep := readJSONReport(t, jsonPath)
	if len(rep.Results) != len(tests) || !rep.Run.Complete {
		t.Fatalf("%d results, complete=%v; want %d results and a complete run", len(rep.Results), rep.Run.Complete, len(tests))
	}

	hits := tap.hits()
	errorKinds := []string{"rate_limited", "server_error", "timeout", "network", "invalid_response", "unexpected_status"}
	for i, tt := range tests {
		got := rep.Results[i]
		if got.Columns["case"] != tt.name || got.UserID != int64(i+1) {
			t.Fatalf("result %d is %q for user %d, want %q for user %d in input order", i, got.Columns["case"], got.UserID, tt.name, i+1)
		}
		kind := strOrEmpty(got.ErrorKind)
		if got.Outcome != tt.outcome || got.HTTPStatus != tt.status || got.Attempts != tt.attempts {
			t.Errorf("%s: %s/%s HTTP %d after %d attempts (%q), want %s/%s HTTP %d after %d",
				tt.name, got.Outcome, kind, got.HTTPStatus, got.Attempts, strOrEmpty(got.Error), tt.outcome, tt.kind, tt.status, tt.attempts)
		}
		switch {
		case tt.outcome != "error" && kind != "":
			t.Errorf("%s: outcome %s with error kind %q, want none", tt.name, got.Outcome, kind)
		case tt.outcome == "error" && !slices.Contains(errorKinds, kind):
			t.Errorf("%s: error kind %q, want one of %v", tt.name, kind, errorKinds)
		case tt.kind != "" && kind != tt.kind:
			t.Errorf("%s: error kind %q, want %q", tt.name, kind, tt.kind)
		}
		if !strings.Contains(strOrEmpty(got.Error), tt.errorHas) {
			t.Errorf("%s: error %q, want it to mention %q", tt.name, strOrEmpty(got.Error), tt.errorHas)
		}
		if fmt.Sprint(derefID(got.GroupID)) != fmt.Sprint(derefID(tt.groupID)) || strOrEmpty(got.GroupName) != tt.group {
			t.Errorf("%s: group %v %q, want %v %q as the API sent it", tt.name, derefID(got.GroupID), strOrEmpty(got.GroupName), derefID(tt.groupID), tt.group)
		}
		if tt.outcome == "ok" && tt.group != "" && got.GroupName == nil {
			t.Errorf("%s: group name missing", tt.name)
		}

		// Go's transport resends a GET by itself when a reused connection
		// drops before any response byte, so a hang-up may be seen twice.
		sent := hits[userPath(50, int64(i+1))]
		if sent != got.Attempts && !strings.HasPrefix(tt.name, "connection") {
			t.Errorf("%s: the server saw %d requests, the report counts %d attempts", tt.name, sent, got.Attempts)
		}
	}

	if n := len(target.exchanges()); n != 0 {
		t.Errorf("the redirect target received %d requests, want none", n)
	}
	for path := range hits {
		if !strings.HasPrefix(path, "/iam/clients/50/client-users/") {
			t.Errorf("the API received a request for %s, a redirect target", path)
		}
	}
	assertRetriesWaited(t, tap.exchanges(), maxRetryWait)
	checkWorkbook(t, xlsxPath, rep)
	assertNoKey(t, e2eKey, res, dir)
}

func derefID(id *int64) any {
	if id == nil {
		return nil
	}
	return *id
}

// assertRetriesWaited fails when a pair was sent again sooner than the
// Retry-After of its last 429 or 503 allowed, or at all after a Retry-After
// longer than maxRetryWait.
func assertRetriesWaited(t *testing.T, log []wireExchange, maxRetryWait time.Duration) {
	t.Helper()
	last := make(map[string]wireExchange)
	for _, ex := range log {
		prev, seen := last[ex.path]
		last[ex.path] = ex
		if !seen {
			continue
		}
		wait, ok := retryAfterOf(prev)
		switch {
		case !ok:
		case wait > maxRetryWait:
			t.Errorf("%s was sent again after a Retry-After of %s, longer than --max-retry-wait %s", ex.path, wait, maxRetryWait)
		case ex.arrived.Sub(prev.answered) < wait:
			t.Errorf("%s was sent again %s after a %d with Retry-After %q, want at least %s",
				ex.path, ex.arrived.Sub(prev.answered).Round(time.Millisecond), prev.status, prev.retryAfter, wait.Round(time.Millisecond))
		}
	}
}

// assertPausesHeld fails when any request arrived while a Retry-After was
// running. slack allows for requests that had already left the client when
// the pause began. A Retry-After longer than maxRetryWait pauses no worker.
func assertPausesHeld(t *testing.T, log []wireExchange, slack, maxRetryWait time.Duration) {
	t.Helper()
	for _, pauser := range log {
		wait, ok := retryAfterOf(pauser)
		if !ok || wait > maxRetryWait {
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

// retryAfterOf returns the wait that a 429 or 503 requested, in seconds or
// as an HTTP date. It returns false when the exchange requested no wait
// that parses.
func retryAfterOf(ex wireExchange) (time.Duration, bool) {
	if ex.status != http.StatusTooManyRequests && ex.status != http.StatusServiceUnavailable || ex.retryAfter == "" {
		return 0, false
	}
	if seconds, err := strconv.ParseInt(ex.retryAfter, 10, 64); err == nil && seconds >= 0 {
		return time.Duration(seconds) * time.Second, true
	}
	at, err := http.ParseTime(ex.retryAfter)
	if err != nil {
		return 0, false
	}
	return max(at.Sub(ex.answered), 0), true
}

func TestRunConnectionRefused(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	baseURL := "http://" + listener.Addr().String()
	_ = listener.Close() // nothing listens there any more

	dir := t.TempDir()
	res := runCLI(t, map[string]string{"GCORE_API_KEY": e2eKey}, "7,1\n7,2\n7,3\n",
		"run", "-", "--base-url", baseURL, "--retries", "1", "--rate", "0", "--output-dir", dir, "--format", "json")

	if res.code != exitPairErrors {
		t.Fatalf("exit status = %d, want %d; stderr:\n%s", res.code, exitPairErrors, res.stderr)
	}
	jsonPath := strings.TrimSpace(res.stdout)
	rep := readJSONReport(t, jsonPath)
	if len(rep.Results) != 3 || rep.Summary.Error != 3 {
		t.Fatalf("%d results with %d errors, want 3 of 3", len(rep.Results), rep.Summary.Error)
	}
	for _, r := range rep.Results {
		if strOrEmpty(r.ErrorKind) != "network" || r.HTTPStatus != 0 || r.Attempts != 2 {
			t.Errorf("user %d: %s/%s HTTP %d after %d attempts, want error/network HTTP 0 after 2",
				r.UserID, r.Outcome, strOrEmpty(r.ErrorKind), r.HTTPStatus, r.Attempts)
		}
		if !strings.Contains(strOrEmpty(r.Error), "refused") {
			t.Errorf("user %d: error %q, want it to say the connection was refused", r.UserID, strOrEmpty(r.Error))
		}
	}
	if !strings.Contains(res.stderr, "3 error") {
		t.Errorf("stderr = %q, want the summary line with the 3 errors", res.stderr)
	}
}

// pausingAPI responds to every pair of account 9 after latency with the
// group Users, except that the first request for user 6 gets status with
// Retry-After set to retryAfter().
func pausingAPI(status int, retryAfter func() string, latency time.Duration) http.Handler {
	var once sync.Once
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(latency)
		first := false
		if r.URL.Path == userPath(9, 6) {
			once.Do(func() { first = true })
		}
		if first {
			respond(status, map[string]string{"Retry-After": retryAfter()}, `{"message":"slow down"}`)(w, r)
			return
		}
		respond(http.StatusOK, nil, `{"user_role":{"id":2,"name":"Users"}}`)(w, r)
	})
}

func TestRunRetryAfterPausesEveryWorker(t *testing.T) {
	seconds := func() string { return "2" }
	tests := []struct {
		name       string
		status     int
		retryAfter func() string
		minPause   time.Duration
		rate       string
		users      int
	}{
		{"429 in seconds", http.StatusTooManyRequests, seconds, 2 * time.Second, "100", 80},
		{"503 in seconds", http.StatusServiceUnavailable, seconds, 2 * time.Second, "100", 80},
		// An HTTP date has whole seconds, so 3s ahead is a pause of 2 to 3s.
		{"429 as an HTTP date", http.StatusTooManyRequests, func() string {
			return time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat)
		}, 2 * time.Second, "100", 80},
		// At 10/s the 8 workers queue at the limiter up to 0.7s ahead, and
		// the pause must hold them too.
		{"429 with workers queued at the limiter", http.StatusTooManyRequests, seconds, 2 * time.Second, "10", 24},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			users := tt.users
			tap, baseURL := startTap(t, pausingAPI(tt.status, tt.retryAfter, 15*time.Millisecond))
			var input strings.Builder
			for u := 1; u <= users; u++ {
				fmt.Fprintf(&input, "9,%d\n", u)
			}
			dir := t.TempDir()

			res := runBinary(t, nil, input.String(),
				"run", "-", "--base-url", baseURL, "--rate", tt.rate, "--burst", "1", "--concurrency", "8",
				"--output-dir", dir, "--format", "json")

			if res.code != exitOK {
				t.Fatalf("exit status = %d, want 0; stderr:\n%s", res.code, res.stderr)
			}
			rep := readJSONReport(t, strings.TrimSpace(res.stdout))
			if rep.Summary.OK != users {
				t.Errorf("%d of %d pairs ok, want all", rep.Summary.OK, users)
			}

			log := tap.exchanges()
			pauser := slices.IndexFunc(log, func(ex wireExchange) bool { return ex.status == tt.status })
			if pauser < 0 {
				t.Fatalf("the server never sent its %d", tt.status)
			}
			wait, ok := retryAfterOf(log[pauser])
			if !ok || wait < tt.minPause {
				t.Fatalf("the %d asked for %s (%q), want at least %s", tt.status, wait, log[pauser].retryAfter, tt.minPause)
			}
			assertPausesHeld(t, log, 100*time.Millisecond, time.Hour)
			assertRetriesWaited(t, log, time.Hour)

			after := 0
			for _, ex := range log {
				if ex.arrived.After(log[pauser].answered.Add(wait)) {
					after++
				}
			}
			if after < users/2 {
				t.Errorf("%d requests came after the pause, want most of the %d, or the %d came too late to pause any worker", after, users, tt.status)
			}
		})
	}
}

func TestRunMaxRetryWaitPausesNobody(t *testing.T) {
	api := newScriptedAPI(e2eKey)
	api.replies[userPath(9, 2)] = []reply{respond(429, map[string]string{"Retry-After": "5"}, ``)}
	api.replies[userPath(9, 3)] = []reply{respond(503, map[string]string{"Retry-After": time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)}, ``)}
	var input strings.Builder
	for u := 1; u <= 40; u++ {
		if u > 3 {
			api.replies[userPath(9, int64(u))] = []reply{func(w http.ResponseWriter, r *http.Request) {
				time.Sleep(40 * time.Millisecond)
				role(`{"id":2,"name":"Users"}`)(w, r)
			}}
		}
		fmt.Fprintf(&input, "9,%d\n", u)
	}
	tap, baseURL := startTap(t, api)
	dir := t.TempDir()

	start := time.Now()
	res := runCLI(t, map[string]string{"GCORE_API_KEY": e2eKey}, input.String(),
		"run", "-", "--base-url", baseURL, "--rate", "0", "--concurrency", "4", "--max-retry-wait", "1s",
		"--output-dir", dir, "--format", "json")
	elapsed := time.Since(start)

	if res.code != exitPairErrors {
		t.Fatalf("exit status = %d, want %d; stderr:\n%s", res.code, exitPairErrors, res.stderr)
	}
	rep := readJSONReport(t, strings.TrimSpace(res.stdout))
	wants := map[int64]string{1: "not_found/", 2: "error/rate_limited", 3: "error/server_error"}
	for _, r := range rep.Results {
		want, ok := wants[r.UserID]
		if !ok {
			want = "ok/"
		}
		if got := r.Outcome + "/" + strOrEmpty(r.ErrorKind); got != want || r.Attempts != 1 {
			t.Errorf("user %d: %s after %d attempts, want %s after 1", r.UserID, got, r.Attempts, want)
		}
		if r.UserID == 2 || r.UserID == 3 {
			if !strings.Contains(strOrEmpty(r.Error), "--max-retry-wait") {
				t.Errorf("user %d: error %q, want it to name --max-retry-wait", r.UserID, strOrEmpty(r.Error))
			}
		}
	}
	// 37 responses of 40ms on 4 workers take about 0.4s, and a pause would
	// add 5s.
	if elapsed > 4*time.Second {
		t.Errorf("the run took %s, want no pause for a Retry-After past --max-retry-wait", elapsed)
	}
	assertRetriesWaited(t, tap.exchanges(), time.Second)
}

// revokedKeyAPI responds to the first good requests after latency with the
// group Users, and with 401 to every later request, as when a key is
// revoked during a run.
func revokedKeyAPI(good int, latency time.Duration) http.Handler {
	var mu sync.Mutex
	served := 0
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		served++
		n := served
		mu.Unlock()
		if n > good {
			respond(http.StatusUnauthorized, nil, `{"message":"API key revoked"}`)(w, r)
			return
		}
		time.Sleep(latency)
		role(`{"id":2,"name":"Users"}`)(w, r)
	})
}

func TestRunKeyRejectedMidRun(t *testing.T) {
	tests := []struct {
		name        string
		rate        string
		concurrency int
		good        int
	}{
		{"workers unlimited", "0", 4, 25},
		// At 10/s the 8 workers queue at the limiter up to 0.7s ahead, and
		// none of them may send once the key is known to be rejected.
		{"workers queued at the limiter", "10", 8, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			const users = 400
			good := tt.good
			tap, baseURL := startTap(t, revokedKeyAPI(good, 10*time.Millisecond))
			var input strings.Builder
			for u := 1; u <= users; u++ {
				fmt.Fprintf(&input, "9,%d\n", u)
			}
			outDir, journalDir := t.TempDir(), t.TempDir()
			journalPath := filepath.Join(journalDir, "run.journal")

			res := runBinary(t, nil, input.String(),
				"run", "-", "--base-url", baseURL, "--rate", tt.rate, "--concurrency", strconv.Itoa(tt.concurrency),
				"--output-dir", outDir, "--journal", journalPath, "--log-level", "debug")

			if res.code != exitFatal {
				t.Fatalf("exit status = %d, want %d; stderr:\n%s", res.code, exitFatal, res.stderr)
			}
			for _, want := range []string{"rejected the key", "GCORE_API_KEY", "--api-key-file"} {
				if !strings.Contains(res.stderr, want) {
					t.Errorf("stderr does not mention %q; it says:\n%s", want, res.stderr)
				}
			}
			if res.stdout != "" {
				t.Errorf("stdout = %q, want nothing: no report was written", res.stdout)
			}
			if entries, _ := os.ReadDir(outDir); len(entries) != 0 {
				t.Errorf("the output folder holds %d files (%s...), want none", len(entries), entries[0].Name())
			}

			log := tap.exchanges()
			rejection := slices.IndexFunc(log, func(ex wireExchange) bool { return ex.status == http.StatusUnauthorized })
			if rejection < 0 {
				t.Fatalf("the server never answered 401; it saw %d requests", len(log))
			}
			rejectedAt := log[rejection].answered
			late := 0
			for _, ex := range log {
				if ex.arrived.After(rejectedAt) {
					late++
				}
				// Only a request that left just before the 401 came back may
				// arrive after it, within moments.
				if ex.arrived.After(rejectedAt.Add(100 * time.Millisecond)) {
					t.Errorf("%s arrived %s after the first 401", ex.path, ex.arrived.Sub(rejectedAt).Round(time.Millisecond))
				}
			}
			if late > tt.concurrency {
				t.Errorf("%d requests arrived after the first 401, want at most --concurrency %d", late, tt.concurrency)
			}

			recorded := journalOutcomes(t, journalPath)
			if len(recorded) == 0 || len(recorded) > good {
				t.Errorf("the journal holds %d pairs, want the 1 to %d that finished", len(recorded), good)
			}
			for pair, outcome := range recorded {
				if outcome != "ok" {
					t.Errorf("the journal records %s as %q, want only finished pairs, all ok", pair, outcome)
				}
			}
			assertNoKey(t, e2eKey, res, outDir)
			assertNoKey(t, e2eKey, res, journalDir)
		})
	}
}

// journalOutcomes returns the outcome recorded for each pair in a journal,
// keyed by "client/user".
func journalOutcomes(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the journal: %v", err)
	}
	outcomes := make(map[string]string)
	for _, line := range bytes.Split(data, []byte("\n")) {
		var rec struct {
			ClientID int64  `json:"client_id"`
			UserID   int64  `json:"user_id"`
			Outcome  string `json:"outcome"`
		}
		if json.Unmarshal(line, &rec) == nil && rec.ClientID > 0 {
			outcomes[fmt.Sprintf("%d/%d", rec.ClientID, rec.UserID)] = rec.Outcome
		}
	}
	return outcomes
}

// inSmallFileSystem is a shell script for unshare -m. It mounts a tmpfs
// with the options in $1 on the folder $2 and runs the rest of its
// arguments as a command. Then it copies what the folder contains to $3,
// because the mount is gone once the namespace ends, and exits with the
// command's status, or with 97 when the mount failed.
const inSmallFileSystem = `
mount -t tmpfs -o "$1" accessaudit-test "$2" || exit 97
mounted=$2 copy=$3
shift 3
"$@"
status=$?
cp -a "$mounted"/. "$copy"/
exit $status
`

// requirePrivateMounts skips the test unless this process may mount a
// tmpfs in a private mount namespace, as root on Linux usually may.
func requirePrivateMounts(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("unshare is not installed, so no small file system can be mounted for this test")
	}
	probe := t.TempDir()
	out, err := exec.Command("unshare", "-m", "sh", "-c", inSmallFileSystem, "sh", "size=64k", probe, t.TempDir(), "true").CombinedOutput()
	if err != nil {
		t.Skipf("cannot mount a tmpfs in a private mount namespace here (needs root or CAP_SYS_ADMIN): %v: %s", err, out)
	}
}

func TestRunReportWriteFails(t *testing.T) {
	requirePrivateMounts(t)

	// 300 pairs with a note of 1,000 random letters make a JSON report of
	// about 400 KB and a workbook of about 200 KB, which excelize keeps in
	// memory until the end of the run.
	const users = 300
	rng := rand.New(rand.NewPCG(1, 2))
	var input strings.Builder
	input.WriteString("client_id,user_id,note\n")
	for u := 1; u <= users; u++ {
		note := make([]byte, 1000)
		for i := range note {
			note[i] = byte('a' + rng.IntN(26))
		}
		fmt.Fprintf(&input, "9,%d,%s\n", u, note)
	}

	tests := []struct {
		name    string
		mount   string // tmpfs options
		reason  string // text stderr must contain
		json    bool   // --json outside the small file system, --xlsx inside it
		noCalls bool   // the failure shows before the first request
	}{
		{"disk full during the run", "size=64k", "no space left on device", false, false},
		{"disk full while committing", "size=640k", "no space left on device", false, false},
		{"read-only folder", "ro,size=64k", "read-only file system", false, true},
		{"workbook on a full disk", "size=64k", "no space left on device", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tap, baseURL := startTap(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				role(`{"id":2,"name":"Users"}`)(w, r)
			}))
			small, copied, other := t.TempDir(), t.TempDir(), t.TempDir()
			args := []string{"run", "-", "--base-url", baseURL, "--rate", "0", "--output-dir", small}
			wantPath := filepath.Join(small, "accessaudit-")
			if tt.json {
				args = append(args, "--json", filepath.Join(other, "report.json"), "--xlsx", filepath.Join(small, "report.xlsx"))
				wantPath = filepath.Join(small, "report.xlsx")
			}

			wrap := []string{"unshare", "-m", "sh", "-c", inSmallFileSystem, "sh", tt.mount, small, copied}
			res := runBinary(t, wrap, input.String(), args...)

			if res.code == 97 {
				t.Fatalf("mounting the tmpfs failed: %s", res.stderr)
			}
			if res.code != exitFatal {
				t.Fatalf("exit status = %d, want %d; stderr:\n%s", res.code, exitFatal, res.stderr)
			}
			if !strings.Contains(res.stderr, wantPath) || !strings.Contains(res.stderr, tt.reason) {
				t.Errorf("stderr does not name %s... and %q; it says:\n%s", wantPath, tt.reason, res.stderr)
			}
			// stdout lists the reports that were written, and only those.
			wantStdout := ""
			if _, err := os.Stat(filepath.Join(other, "report.json")); err == nil {
				wantStdout = filepath.Join(other, "report.json") + "\n"
			}
			if res.stdout != wantStdout {
				t.Errorf("stdout = %q, want %q: the paths of the reports written", res.stdout, wantStdout)
			}
			if entries, _ := os.ReadDir(copied); len(entries) != 0 {
				t.Errorf("the full folder was left holding %s (and %d files in all), want nothing", entries[0].Name(), len(entries))
			}
			if calls := len(tap.exchanges()); tt.noCalls && calls != 0 {
				t.Errorf("the API received %d requests, want none: an unwritable folder shows before the first", calls)
			}

			// A report that did get written elsewhere must be whole.
			entries, _ := os.ReadDir(other)
			for _, e := range entries {
				if e.Name() != "report.json" {
					t.Errorf("%s left in the other folder", e.Name())
					continue
				}
				if rep := readJSONReport(t, filepath.Join(other, e.Name())); len(rep.Results) != users {
					t.Errorf("report.json holds %d results, want all %d or no file", len(rep.Results), users)
				}
			}
		})
	}
}

func TestRunFaultyRunLeaksNoKey(t *testing.T) {
	// The server echoes the Authorization header it received everywhere it
	// can: in error messages, group names, a redirect target and bodies
	// that the client cuts to a short excerpt.
	echo := func(format string) string { return fmt.Sprintf(format, "APIKey "+e2eKey) }
	padded := strings.Repeat("x", 60) + " " + echo("%s") + " " + strings.Repeat("y", 200)
	api := newScriptedAPI(e2eKey)
	replies := [][]reply{
		{respond(500, nil, echo(`{"message":"cannot parse header %s"}`))},
		{respond(403, nil, echo(`{"message":"%s cannot see this account"}`))},
		{respond(404, nil, echo(`{"message":"no such user for %s"}`))},
		{role(echo(`{"id":4242,"name":"group of %s"}`))},
		{respond(200, map[string]string{"Content-Type": "text/html"}, padded)},
		{respond(400, nil, padded)},
		{respond(302, map[string]string{"Location": "http://127.0.0.1:9/login?key=" + e2eKey}, ``)},
		{respond(429, map[string]string{"Retry-After": "1"}, echo(`{"message":"slow down, %s"}`)), respond(429, nil, echo(`{"message":"%s"}`))},
		{respond(200, nil, echo(`{"user_role": null, "debug": "%s"}`))},
		{respond(503, nil, padded), role(`{"id":1,"name":"Administrators"}`)},
		{cutBody(echo(`{"user_role":{"id":1,"name":"%s"}}`), false)},
	}
	names := make([]string, len(replies))
	for i, r := range replies {
		api.replies[userPath(60, int64(i+1))] = r
		names[i] = fmt.Sprintf("echo %d", i+1)
	}
	_, baseURL := startTap(t, api)
	dir := t.TempDir()
	input := writeFile(t, filepath.Join(dir, "pairs.csv"), pairInput(60, names))
	keyFile := writeFile(t, filepath.Join(t.TempDir(), "key"), "apikey "+e2eKey+"\n")
	journalPath := filepath.Join(dir, "run.journal")

	res := runCLI(t, nil, "", "run", input, "--api-key-file", keyFile, "--base-url", baseURL,
		"--rate", "0", "--retries", "1", "--journal", journalPath, "--output-dir", dir,
		"--log-level", "debug", "--log-format", "json")

	if res.code != exitPairErrors {
		t.Fatalf("exit status = %d, want %d; stderr:\n%s", res.code, exitPairErrors, res.stderr)
	}
	jsonPath, xlsxPath := reportPaths(t, res.stdout)
	rep := readJSONReport(t, jsonPath)
	if len(rep.Results) != len(replies) {
		t.Fatalf("%d results, want %d", len(rep.Results), len(replies))
	}
	if _, err := os.Stat(journalPath); err != nil {
		t.Fatalf("a run with errors must keep its journal: %v", err)
	}
	if !strings.Contains(res.stderr, `"level":"WARN"`) {
		t.Errorf("stderr has no JSON warnings about the failed pairs:\n%s", res.stderr)
	}

	// The key's first half is enough to find a cut excerpt that still
	// leaks most of it.
	for _, secret := range []string{e2eKey, e2eKey[:len(e2eKey)/2]} {
		outputs := map[string]string{"stdout": res.stdout, "stderr": res.stderr}
		for _, path := range []string{jsonPath, journalPath} {
			data, _ := os.ReadFile(path)
			outputs[filepath.Base(path)] = string(data)
		}
		for _, part := range workbookParts(t, xlsxPath) {
			outputs["workbook part "+part.name] = part.text
		}
		for name, text := range outputs {
			if i := strings.Index(text, secret); i >= 0 {
				t.Errorf("%q appears in %s: ...%s...", secret, name, text[max(i-80, 0):min(i+40, len(text))])
			}
		}
	}
}

// workbookPart is one file inside an XLSX archive, uncompressed.
type workbookPart struct {
	name string
	text string
}

// workbookParts returns every file inside the workbook at path, since a
// search of the compressed archive itself would miss text inside it.
func workbookParts(t *testing.T, path string) []workbookPart {
	t.Helper()
	archive, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("opening %s as a zip archive: %v", path, err)
	}
	defer archive.Close()
	var parts []workbookPart
	for _, f := range archive.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s: %s: %v", path, f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %s: %v", path, f.Name, err)
		}
		parts = append(parts, workbookPart{name: f.Name, text: string(data)})
	}
	return parts
}

// simulatedFault is a simulator fault for one pair of account 7 and the
// result it must end in, unless the pair's last response was one of the
// simulator's random errors.
type simulatedFault struct {
	user    int64
	fault   string // the fault's fields without the pair
	outcome string
	kind    string
	group   string // the group name of an ok result; "" means the directory's
}

func TestRunThrottlingFlakyAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("2,000 pairs against a throttling server take about 30s under -race on 2 CPUs")
	}
	const (
		accountUsers   = 1500 // account 7, in the directory
		forbiddenUsers = 200  // account 8, forbidden
		missingUsers   = 300  // account 9, not in the directory
		pairs          = accountUsers + forbiddenUsers + missingUsers
		rateFlag       = 200
		burst          = 1
		retries        = 3
		maxRetryWait   = 30 * time.Second
	)
	target, targetURL := startTap(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		role(`{"id":1,"name":"Administrators"}`)(w, r)
	}))
	faults := []simulatedFault{
		{3, `"disconnect":"reset","times":1`, "ok", "", ""},
		{17, `"disconnect":"close","times":1`, "ok", "", ""},
		{29, `"disconnect":"mid_body"`, "error", "network", ""},
		{41, `"delay":"3s"`, "error", "timeout", ""},
		{58, `"body_delay":"3s"`, "error", "timeout", ""},
		{77, `"status":500`, "error", "server_error", ""},
		{90, `"status":503,"times":2`, "ok", "", ""},
		{120, `"status":429,"retry_after":"1","times":1`, "ok", "", ""},
		{400, `"status":503,"retry_after":"1","times":1`, "ok", "", ""},
		{130, `"status":429,"retry_after":"600"`, "error", "rate_limited", ""},
		{150, `"status":429,"retry_after":"soon","times":1`, "ok", "", ""},
		{170, `"status":501`, "error", "", ""},
		{180, `"body":""`, "error", "invalid_response", ""},
		{190, `"body":"{\"user_role\": {\"id\": 2, \"na"`, "error", "invalid_response", ""},
		{200, `"body":"<html><body>Bad gateway</body></html>","content_type":"text/html"`, "error", "invalid_response", ""},
		{210, `"body_bytes":2097152`, "error", "invalid_response", ""},
		{220, `"body":"{}"`, "error", "invalid_response", ""},
		{230, `"body":"{\"user_role\": null}"`, "error", "invalid_response", ""},
		{240, `"status":302,"location":"` + targetURL + `/iam/clients/7/client-users/240"`, "error", "unexpected_status", ""},
		{250, `"body":"{\"user_role\": {\"id\": 777, \"name\": \"Auditors (custom)\"}}"`, "ok", "", "Auditors (custom)"},
	}

	// The directory: account 7 with users in every known group and one
	// custom group, and account 8 forbidden.
	groups := []int64{1, 2, 5, 3009, 3022, 4242}
	var dir strings.Builder
	dir.WriteString(`{"groups":[{"id":4242,"name":"Billing viewers"}],"accounts":[{"id":7,"users":[`)
	for u := 1; u <= accountUsers; u++ {
		if u > 1 {
			dir.WriteString(",")
		}
		fmt.Fprintf(&dir, `{"id":%d,"group":%d}`, u, groups[u%len(groups)])
	}
	dir.WriteString(`]},{"id":8,"forbidden":true}],"faults":[`)
	byPath := make(map[string]simulatedFault)
	for i, f := range faults {
		if i > 0 {
			dir.WriteString(",")
		}
		fmt.Fprintf(&dir, `{"client_id":7,"user_id":%d,%s}`, f.user, f.fault)
		byPath[userPath(7, f.user)] = f
	}
	dir.WriteString(`]}`)
	directory, err := simulator.LoadDirectory(strings.NewReader(dir.String()))
	if err != nil {
		t.Fatal(err)
	}
	sim := simulator.New(directory, simulator.Options{Key: e2eKey, RateLimit: 400, ErrorRate: 0.03, Seed: 7})
	tap, baseURL := startTap(t, sim)

	// The input lists the pairs shuffled across accounts, and some twice.
	var input strings.Builder
	input.WriteString("account,user\n")
	type pairKey struct{ client, user int64 }
	var order []pairKey
	for u := int64(1); u <= accountUsers; u++ {
		order = append(order, pairKey{7, u})
	}
	for u := int64(1); u <= forbiddenUsers; u++ {
		order = append(order, pairKey{8, u})
	}
	for u := int64(1); u <= missingUsers; u++ {
		order = append(order, pairKey{9, u})
	}
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })

	// Each 429 halves the client's rate for a while, so the pairs scripted
	// to get a 429 come last, to keep the run short.
	slices.SortStableFunc(order, func(a, b pairKey) int {
		return strings.Count(byPath[userPath(a.client, a.user)].fault, "429") - strings.Count(byPath[userPath(b.client, b.user)].fault, "429")
	})
	for i, p := range order {
		fmt.Fprintf(&input, "%d,%d\n", p.client, p.user)
		if i%97 == 0 {
			fmt.Fprintf(&input, "%d,%d\n", p.client, p.user)
		}
	}
	outDir := t.TempDir()
	inputPath := writeFile(t, filepath.Join(outDir, "pairs.csv"), input.String())

	start := time.Now()
	res := runCLI(t, map[string]string{"GCORE_API_KEY": e2eKey}, "",
		"run", inputPath, "--base-url", baseURL, "--rate", strconv.Itoa(rateFlag), "--burst", strconv.Itoa(burst),
		"--concurrency", "16", "--retries", strconv.Itoa(retries), "--timeout", "2s", "--max-retry-wait", maxRetryWait.String(),
		"--output-dir", outDir, "--format", "json")
	t.Logf("%d pairs took %s", pairs, time.Since(start).Round(time.Millisecond))

	if res.code != exitPairErrors {
		t.Fatalf("exit status = %d, want %d; stderr:\n%s", res.code, exitPairErrors, res.stderr)
	}
	rep := readJSONReport(t, strings.TrimSpace(res.stdout))
	if !rep.Run.Complete || rep.Summary.Pairs != pairs || len(rep.Results) != pairs {
		t.Fatalf("complete=%v with %d of %d results, want a complete run with one result per pair", rep.Run.Complete, len(rep.Results), rep.Summary.Pairs)
	}

	// Every pair of the input has exactly one result, in input order.
	for i, r := range rep.Results {
		if want := order[i]; r.ClientID != want.client || r.UserID != want.user {
			t.Fatalf("result %d is pair %d/%d, want %d/%d: a pair was lost, repeated or moved", i, r.ClientID, r.UserID, want.client, want.user)
		}
	}

	log := tap.exchanges()
	last := make(map[string]wireExchange)
	hits := make(map[string]int)
	for _, ex := range log {
		last[ex.path] = ex
		hits[ex.path]++
	}
	counts := map[string]int{}
	for _, r := range rep.Results {
		path := userPath(r.ClientID, r.UserID)
		counts[r.Outcome]++
		checkSimulatedResult(t, r.ClientID, r.UserID, r.Outcome, strOrEmpty(r.ErrorKind), strOrEmpty(r.GroupName), derefID(r.GroupID),
			r.Attempts, directory, byPath[path], last[path], retries, maxRetryWait)

		if f, faulty := byPath[path]; (!faulty || !strings.Contains(f.fault, "disconnect")) && hits[path] != r.Attempts {
			t.Errorf("pair %d/%d: the server saw %d requests, the report counts %d attempts", r.ClientID, r.UserID, hits[path], r.Attempts)
		}
	}
	s := rep.Summary
	if s.OK != counts["ok"] || s.Forbidden != counts["forbidden"] || s.NotFound != counts["not_found"] || s.Error != counts["error"] {
		t.Errorf("summary %+v does not match the results %v", s, counts)
	}
	if s.Forbidden < forbiddenUsers-5 || s.NotFound < missingUsers-5 {
		t.Errorf("%d forbidden and %d not found, want about %d and %d", s.Forbidden, s.NotFound, forbiddenUsers, missingUsers)
	}

	if peak := busiestSecond(log); peak > rateFlag+burst {
		t.Errorf("the server saw %d requests in one second, want at most --rate %d plus --burst %d", peak, rateFlag, burst)
	}
	assertPausesHeld(t, log, 100*time.Millisecond, maxRetryWait)
	assertRetriesWaited(t, log, maxRetryWait)
	if n := len(target.exchanges()); n != 0 {
		t.Errorf("the redirect target received %d requests, want none", n)
	}
	throttled := 0
	for _, ex := range log {
		if ex.status == http.StatusTooManyRequests {
			throttled++
		}
	}
	t.Logf("%d requests, %d answered 429", len(log), throttled)
}

// checkSimulatedResult compares one result with what the simulator must
// have made of the pair: its fault, or else its directory entry. A pair
// whose last response was a random 5xx or a rate-limit 429 of the
// simulator may end in that error once its retries are spent.
func checkSimulatedResult(t *testing.T, client, user int64, outcome, kind, groupName string, groupID any,
	attempts int, directory *simulator.Directory, fault simulatedFault, last wireExchange, retries int, maxRetryWait time.Duration) {
	t.Helper()
	name := fmt.Sprintf("pair %d/%d", client, user)
	wantOutcome, wantKind, wantGroup := fault.outcome, fault.kind, fault.group
	normal := directory.Lookup(audit.Pair{ClientID: client, UserID: user})
	if wantOutcome == "" {
		wantOutcome = map[int]string{200: "ok", 403: "forbidden", 404: "not_found"}[normal.Status]
	}
	if wantOutcome == "ok" && wantGroup == "" {
		wantGroup = normal.Group.Name
	}
	switch {
	case bytes.Contains(last.body, []byte("simulated random server error")):
		wantOutcome, wantKind, wantGroup = "error", "server_error", ""
	case last.status == http.StatusTooManyRequests && bytes.Contains(last.body, []byte("rate limit of")):
		wantOutcome, wantKind, wantGroup = "error", "rate_limited", ""
	}

	if outcome != wantOutcome || (wantKind != "" && kind != wantKind) {
		t.Errorf("%s: %s/%s after %d attempts, want %s/%s (fault %q, last response %d %q)",
			name, outcome, kind, attempts, wantOutcome, wantKind, fault.fault, last.status, last.body)
		return
	}
	if outcome == "ok" && (groupName != wantGroup || groupID == nil) {
		t.Errorf("%s: group %v %q, want %q", name, groupID, groupName, wantGroup)
	}
	if outcome == "error" && kind == "" {
		t.Errorf("%s: error without an error kind", name)
	}
	wait, _ := retryAfterOf(last)
	retried := kind == "timeout" || kind == "network" || kind == "rate_limited" ||
		kind == "server_error" && last.status != http.StatusNotImplemented
	if outcome == "error" && retried && wait <= maxRetryWait && attempts != retries+1 {
		t.Errorf("%s: %s after %d attempts, want %d: retries must be spent before giving up", name, kind, attempts, retries+1)
	}
}

// busiestSecond returns the most requests that arrived within any one
// second.
func busiestSecond(log []wireExchange) int {
	peak := 0
	j := 0
	for i := range log {
		for j < len(log) && log[j].arrived.Sub(log[i].arrived) < time.Second {
			j++
		}
		peak = max(peak, j-i)
	}
	return peak
}
