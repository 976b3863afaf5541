package simulator

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accessaudit/accessaudit/audit"
)

func ptr[T any](v T) *T { return &v }

// want describes one expected response in a fault script.
type want struct {
	status int
	header map[string]string // header fields that must have these values
	body   *string           // the exact body, when set
}

func TestFaultScripts(t *testing.T) {
	admin := audit.Pair{ClientID: 5001, UserID: 42}
	stranger := audit.Pair{ClientID: 5001, UserID: 99}
	normal := `{"user_role":{"id":1,"name":"Administrators"}}`

	tests := []struct {
		name   string
		pair   audit.Pair
		faults []Fault
		want   []want // one per request, in order
	}{
		{
			name:   "500 twice then normal",
			pair:   admin,
			faults: []Fault{{Pair: admin, Status: 500, Times: 2}},
			want: []want{
				{status: 500, body: ptr(`{"message":"simulated 500 Internal Server Error response"}`)},
				{status: 500},
				{status: 200, body: ptr(normal)},
			},
		},
		{
			name:   "times 0 never runs out",
			pair:   admin,
			faults: []Fault{{Pair: admin, Status: 502}},
			want:   []want{{status: 502}, {status: 502}, {status: 502}},
		},
		{
			name:   "429 with Retry-After in seconds",
			pair:   admin,
			faults: []Fault{{Pair: admin, Status: 429, RetryAfter: "7", Times: 1}},
			want:   []want{{status: 429, header: map[string]string{"Retry-After": "7"}}, {status: 200}},
		},
		{
			name:   "503 with Retry-After as HTTP date",
			pair:   admin,
			faults: []Fault{{Pair: admin, Status: 503, RetryAfter: "Wed, 21 Oct 2015 07:28:00 GMT", Times: 1}},
			want:   []want{{status: 503, header: map[string]string{"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}}, {status: 200}},
		},
		{
			name:   "unparseable Retry-After sent verbatim",
			pair:   admin,
			faults: []Fault{{Pair: admin, Status: 429, RetryAfter: "soon", Times: 1}},
			want:   []want{{status: 429, header: map[string]string{"Retry-After": "soon"}}},
		},
		{
			name: "faults of one pair run in order",
			pair: admin,
			faults: []Fault{
				{Pair: admin, Status: 429, Times: 1},
				{Pair: admin, Status: 503, Times: 2},
				{Pair: stranger, Status: 500},
			},
			want: []want{{status: 429}, {status: 503}, {status: 503}, {status: 200}},
		},
		{
			name:   "scripted 401",
			pair:   admin,
			faults: []Fault{{Pair: admin, Status: 401, Times: 1}},
			want:   []want{{status: 401}, {status: 200}},
		},
		{
			name:   "scripted 403 and 404 on a known user",
			pair:   admin,
			faults: []Fault{{Pair: admin, Status: 403, Times: 1}, {Pair: admin, Status: 404, Times: 1}},
			want:   []want{{status: 403}, {status: 404}, {status: 200}},
		},
		{
			name:   "fault on a pair outside the directory",
			pair:   stranger,
			faults: []Fault{{Pair: stranger, Status: 500, Times: 1}},
			want: []want{
				{status: 500},
				{status: 404, body: ptr(`{"message":"user 99 is not found in account 5001"}`)},
			},
		},
		{
			name:   "delay alone keeps the normal response",
			pair:   stranger,
			faults: []Fault{{Pair: stranger, Delay: time.Millisecond, Times: 1}},
			want:   []want{{status: 404, body: ptr(`{"message":"user 99 is not found in account 5001"}`)}},
		},
		{
			name:   "truncated JSON",
			pair:   admin,
			faults: []Fault{{Pair: admin, Body: ptr(`{"user_role":{"id":1,`)}},
			want:   []want{{status: 200, body: ptr(`{"user_role":{"id":1,`)}},
		},
		{
			name:   "HTML body",
			pair:   admin,
			faults: []Fault{{Pair: admin, Status: 502, ContentType: "text/html", Body: ptr("<html><body>Bad Gateway</body></html>")}},
			want: []want{{
				status: 502,
				header: map[string]string{"Content-Type": "text/html"},
				body:   ptr("<html><body>Bad Gateway</body></html>"),
			}},
		},
		{
			name:   "empty body",
			pair:   admin,
			faults: []Fault{{Pair: admin, Body: ptr("")}},
			want:   []want{{status: 200, header: map[string]string{"Content-Length": "0"}, body: ptr("")}},
		},
		{
			name:   "empty object",
			pair:   admin,
			faults: []Fault{{Pair: admin, Body: ptr("{}")}},
			want:   []want{{status: 200, body: ptr("{}")}},
		},
		{
			name:   "null user_role",
			pair:   admin,
			faults: []Fault{{Pair: admin, Body: ptr(`{"user_role": null}`)}},
			want:   []want{{status: 200, body: ptr(`{"user_role": null}`)}},
		},
		{
			name:   "200 for a 404 pair gets a generated message",
			pair:   stranger,
			faults: []Fault{{Pair: stranger, Status: 200}},
			want:   []want{{status: 200, body: ptr(`{"message":"simulated 200 OK response"}`)}},
		},
		{
			name:   "redirect",
			pair:   admin,
			faults: []Fault{{Pair: admin, Status: 302, Location: "http://127.0.0.1:1/elsewhere"}},
			want:   []want{{status: 302, header: map[string]string{"Location": "http://127.0.0.1:1/elsewhere"}}},
		},
		{
			name:   "204 has no body",
			pair:   admin,
			faults: []Fault{{Pair: admin, Status: 204, Body: ptr("ignored")}},
			want:   []want{{status: 204, body: ptr("")}},
		},
		{
			name:   "padded body",
			pair:   admin,
			faults: []Fault{{Pair: admin, BodyBytes: 60}},
			want:   []want{{status: 200, body: ptr(normal + strings.Repeat(" ", 60-len(normal)))}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := testDirectory()
			dir.Faults = tt.faults
			_, baseURL := serve(t, dir, Options{Key: testKey})

			for i, w := range tt.want {
				got := mustGet(t, pairURL(baseURL, tt.pair))
				if got.status != w.status {
					t.Errorf("request %d: status = %d, want %d; body %s", i+1, got.status, w.status, got.body)
				}
				for name, value := range w.header {
					if got.header.Get(name) != value {
						t.Errorf("request %d: %s = %q, want %q", i+1, name, got.header.Get(name), value)
					}
				}
				if w.body != nil && string(got.body) != *w.body {
					t.Errorf("request %d: body = %q, want %q", i+1, got.body, *w.body)
				}
			}
		})
	}
}

func TestFaultLargeBody(t *testing.T) {
	admin := audit.Pair{ClientID: 5001, UserID: 42}
	const size = 2 << 20
	dir := testDirectory()
	dir.Faults = []Fault{{Pair: admin, BodyBytes: size}}
	_, baseURL := serve(t, dir, Options{})

	got := mustGet(t, pairURL(baseURL, admin))

	if len(got.body) != size {
		t.Fatalf("body has %d bytes, want %d", len(got.body), size)
	}
	var role userRoleBody
	if err := json.Unmarshal(got.body, &role); err != nil {
		t.Fatalf("padded body is not valid JSON: %v", err)
	}
	if role.UserRole.ID != 1 {
		t.Errorf("user_role.id = %d, want 1", role.UserRole.ID)
	}
}

func TestFaultDelay(t *testing.T) {
	admin := audit.Pair{ClientID: 5001, UserID: 42}
	const delay = 150 * time.Millisecond
	dir := testDirectory()
	dir.Faults = []Fault{{Pair: admin, Delay: delay, Times: 1}}
	_, baseURL := serve(t, dir, Options{})

	start := time.Now()
	slow := mustGet(t, pairURL(baseURL, admin))
	slowElapsed := time.Since(start)

	start = time.Now()
	mustGet(t, pairURL(baseURL, admin))
	fastElapsed := time.Since(start)

	if slow.status != http.StatusOK {
		t.Errorf("delayed status = %d, want 200", slow.status)
	}
	if slowElapsed < delay {
		t.Errorf("delayed response took %s, want at least %s", slowElapsed, delay)
	}
	if fastElapsed >= delay {
		t.Errorf("response after the fault ran out took %s, want less than %s", fastElapsed, delay)
	}
}

func TestFaultDelayEndsWhenRequestIsCancelled(t *testing.T) {
	admin := audit.Pair{ClientID: 5001, UserID: 42}
	dir := testDirectory()
	dir.Faults = []Fault{{Pair: admin, Delay: time.Minute}}
	baseURL, stop, err := Start(New(dir, Options{}), "")
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = do(ctx, "GET", pairURL(baseURL, admin), "APIKey k")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("GET error = %v, want a deadline error", err)
	}

	// Shutdown waits for running handlers, so it finishes in time only if
	// the delayed handler noticed the cancellation.
	stopCtx, stopCancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer stopCancel()
	if err := stop(stopCtx); err != nil {
		t.Errorf("stop = %v; the delayed handler kept running after the client left", err)
	}
}

func TestFaultBodyDelay(t *testing.T) {
	admin := audit.Pair{ClientID: 5001, UserID: 42}
	const delay = 300 * time.Millisecond
	dir := testDirectory()
	dir.Faults = []Fault{{Pair: admin, BodyDelay: delay}}
	_, baseURL := serve(t, dir, Options{})

	req, err := http.NewRequest("GET", pairURL(baseURL, admin), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "APIKey k")
	start := time.Now()
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	headersAt := time.Since(start)
	body, err := io.ReadAll(resp.Body)
	bodyAt := time.Since(start)

	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	if string(body) != `{"user_role":{"id":1,"name":"Administrators"}}` {
		t.Errorf("body = %s", body)
	}
	if headersAt >= delay {
		t.Errorf("headers arrived after %s, want before the body delay of %s", headersAt, delay)
	}
	if bodyAt < delay {
		t.Errorf("body arrived after %s, want at least %s", bodyAt, delay)
	}
}

func TestFaultDisconnect(t *testing.T) {
	admin := audit.Pair{ClientID: 5001, UserID: 42}

	tests := []struct {
		kind Disconnect
	}{
		{DisconnectReset},
		{DisconnectClose},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			dir := testDirectory()
			dir.Faults = []Fault{{Pair: admin, Disconnect: tt.kind, Times: 1}}
			srv, baseURL := serve(t, dir, Options{})

			_, err := do(context.Background(), "GET", pairURL(baseURL, admin), "APIKey k")
			if err == nil {
				t.Fatal("GET succeeded, want a transport error")
			}
			if got := mustGet(t, pairURL(baseURL, admin)); got.status != http.StatusOK {
				t.Errorf("status after the fault ran out = %d, want 200", got.status)
			}
			if got := srv.Hits(admin); got != 2 {
				t.Errorf("Hits = %d, want 2", got)
			}
		})
	}
}

func TestFaultDisconnectMidBody(t *testing.T) {
	admin := audit.Pair{ClientID: 5001, UserID: 42}
	body := `{"user_role":{"id":1,"name":"Administrators"}}`
	dir := testDirectory()
	dir.Faults = []Fault{{Pair: admin, Disconnect: DisconnectMidBody}}
	_, baseURL := serve(t, dir, Options{})

	req, err := http.NewRequest("GET", pairURL(baseURL, admin), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "APIKey k")
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatalf("GET: %v; want headers before the cut", err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)

	if resp.StatusCode != http.StatusOK {
		t.Errorf("status = %d, want 200", resp.StatusCode)
	}
	if resp.ContentLength != int64(len(body)) {
		t.Errorf("Content-Length = %d, want %d", resp.ContentLength, len(body))
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("read error = %v, want io.ErrUnexpectedEOF", err)
	}
	if string(got) != body[:len(body)/2] {
		t.Errorf("partial body = %q, want %q", got, body[:len(body)/2])
	}
}

func TestFaultTimesUnderConcurrency(t *testing.T) {
	admin := audit.Pair{ClientID: 5001, UserID: 42}
	const requests, faulted = 40, 5
	dir := testDirectory()
	dir.Faults = []Fault{{Pair: admin, Status: 500, Times: faulted}}
	srv, baseURL := serve(t, dir, Options{})

	statuses := make(chan int, requests)
	var wg sync.WaitGroup
	for range requests {
		wg.Go(func() {
			got, err := do(context.Background(), "GET", pairURL(baseURL, admin), "APIKey k")
			if err != nil {
				t.Error(err)
				return
			}
			statuses <- got.status
		})
	}
	wg.Wait()
	close(statuses)

	counts := make(map[int]int)
	for status := range statuses {
		counts[status]++
	}
	if counts[500] != faulted || counts[200] != requests-faulted {
		t.Errorf("statuses = %v, want %d × 500 and %d × 200", counts, faulted, requests-faulted)
	}
	if got := srv.Hits(admin); got != requests {
		t.Errorf("Hits = %d, want %d", got, requests)
	}
}

func TestFaultCountsArePerServer(t *testing.T) {
	admin := audit.Pair{ClientID: 5001, UserID: 42}
	dir := testDirectory()
	dir.Faults = []Fault{{Pair: admin, Status: 503, Times: 1}}

	for i := range 2 {
		_, baseURL := serve(t, dir, Options{})
		if got := mustGet(t, pairURL(baseURL, admin)); got.status != 503 {
			t.Errorf("server %d: first status = %d, want 503", i+1, got.status)
		}
	}
}
