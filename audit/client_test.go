package audit

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const testKey = "42_secret-token"

// newTestClient returns a client for srv with no backoff delay.
func newTestClient(t *testing.T, baseURL string, mutate func(*Config)) *Client {
	t.Helper()
	cfg := Config{BaseURL: baseURL, Key: testKey, Retries: 2, Timeout: 2 * time.Second}
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	c.backoff = func(int) time.Duration { return time.Millisecond }
	return c
}

// serve starts a loopback server whose handler checks method, path and
// Authorization header before calling h.
func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			t.Errorf("method = %s, want GET", r.Method)
		}
		if got := r.Header.Get("Authorization"); got != "APIKey "+testKey {
			t.Errorf("Authorization = %q, want %q", got, "APIKey "+testKey)
		}
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func job(client, user int64) Job {
	return Job{Pair: Pair{ClientID: client, UserID: user}, Line: 2, Lines: []int{2}}
}

func reply(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

func TestCheckClassifiesAnswers(t *testing.T) {
	tests := []struct {
		name      string
		handler   http.HandlerFunc
		outcome   Outcome
		kind      ErrorKind
		status    int
		groupID   int64 // 0 when none expected
		groupName string
		admin     bool
		attempts  int
		errPart   string
	}{
		{"administrator", reply(200, `{"user_role":{"id":1,"name":"Administrators"}}`), OutcomeOK, "", 200, 1, "Administrators", true, 1, ""},
		{"engineer", reply(200, `{"user_role":{"id":5,"name":"Engineers"}}`), OutcomeOK, "", 200, 5, "Engineers", false, 1, ""},
		{"admin by name only", reply(200, `{"user_role":{"name":" administrators "}}`), OutcomeOK, "", 200, 0, " administrators ", true, 1, ""},
		{"unknown group kept", reply(200, `{"user_role":{"id":4242,"name":"Billing viewers"},"extra":true}`), OutcomeOK, "", 200, 4242, "Billing viewers", false, 1, ""},
		{"not found", reply(404, `{"message":"User not found"}`), OutcomeNotFound, "", 404, 0, "", false, 1, "User not found"},
		{"forbidden", reply(403, `{"message":"no permission"}`), OutcomeForbidden, "", 403, 0, "", false, 1, "no permission"},
		{"empty body", reply(200, ``), OutcomeError, KindInvalidResponse, 200, 0, "", false, 1, "empty"},
		{"empty object", reply(200, `{}`), OutcomeError, KindInvalidResponse, 200, 0, "", false, 1, "no user_role"},
		{"null role", reply(200, `{"user_role": null}`), OutcomeError, KindInvalidResponse, 200, 0, "", false, 1, "no user_role"},
		{"role without fields", reply(200, `{"user_role": {}}`), OutcomeError, KindInvalidResponse, 200, 0, "", false, 1, "neither id nor name"},
		{"string id", reply(200, `{"user_role": {"id":"1"}}`), OutcomeError, KindInvalidResponse, 200, 0, "", false, 1, "not an integer"},
		{"truncated JSON", reply(200, `{"user_role": {"id":1,`), OutcomeError, KindInvalidResponse, 200, 0, "", false, 1, "not valid JSON"},
		{"HTML", reply(200, `<html><body>Maintenance</body></html>`), OutcomeError, KindInvalidResponse, 200, 0, "", false, 1, "not valid JSON"},
		{"oversize body", reply(200, `{"user_role":{"id":1},"pad":"`+strings.Repeat("x", MaxBodyBytes)+`"}`), OutcomeError, KindInvalidResponse, 200, 0, "", false, 1, "limit"},
		{"bad request", reply(400, `{"message":"bad id"}`), OutcomeError, KindUnexpectedStatus, 400, 0, "", false, 1, "bad id"},
		{"not implemented is final", reply(501, ``), OutcomeError, KindServerError, 501, 0, "", false, 1, "501"},
		{"server error retried then given up", reply(500, `oops`), OutcomeError, KindServerError, 500, 0, "", false, 3, "gave up after 3 attempts"},
		{"rate limited retried then given up", reply(429, ``), OutcomeError, KindRateLimited, 429, 0, "", false, 3, "429"},
		{"redirect not followed", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://127.0.0.1:1/elsewhere", http.StatusFound)
		}, OutcomeError, KindUnexpectedStatus, 302, 0, "", false, 1, "not followed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.handler)
			c := newTestClient(t, srv.URL, nil)

			res, err := c.Check(context.Background(), job(5001, 42))
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if res.Outcome != tt.outcome {
				t.Errorf("outcome = %q, want %q (error %q)", res.Outcome, tt.outcome, res.Error)
			}
			if res.ErrorKind != tt.kind {
				t.Errorf("error kind = %q, want %q", res.ErrorKind, tt.kind)
			}
			if res.HTTPStatus != tt.status {
				t.Errorf("status = %d, want %d", res.HTTPStatus, tt.status)
			}
			if res.Attempts != tt.attempts {
				t.Errorf("attempts = %d, want %d", res.Attempts, tt.attempts)
			}
			if res.Admin() != tt.admin {
				t.Errorf("admin = %v, want %v", res.Admin(), tt.admin)
			}
			if !strings.Contains(res.Error, tt.errPart) {
				t.Errorf("error = %q, want it to contain %q", res.Error, tt.errPart)
			}
			checkGroup(t, res, tt.groupID, tt.groupName)
		})
	}
}

func checkGroup(t *testing.T, res Result, id int64, name string) {
	t.Helper()
	switch {
	case id == 0 && res.GroupID != nil:
		t.Errorf("group id = %d, want none", *res.GroupID)
	case id != 0 && (res.GroupID == nil || *res.GroupID != id):
		t.Errorf("group id = %v, want %d", res.GroupID, id)
	}
	switch {
	case name == "" && res.GroupName != nil:
		t.Errorf("group name = %q, want none", *res.GroupName)
	case name != "" && (res.GroupName == nil || *res.GroupName != name):
		t.Errorf("group name = %v, want %q", res.GroupName, name)
	}
}

func TestCheckRetriesUntilSuccess(t *testing.T) {
	var calls atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			reply(503, ``)(w, r)
		case 2:
			reply(429, ``)(w, r)
		default:
			reply(200, `{"user_role":{"id":2,"name":"Users"}}`)(w, r)
		}
	})
	c := newTestClient(t, srv.URL, nil)

	res, err := c.Check(context.Background(), job(1, 2))
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if res.Outcome != OutcomeOK || res.Attempts != 3 {
		t.Errorf("got outcome %q after %d attempts, want ok after 3", res.Outcome, res.Attempts)
	}
}

func TestCheckHonoursRetryAfter(t *testing.T) {
	var first atomic.Int64
	var gap atomic.Int64
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		now := time.Now().UnixNano()
		if first.CompareAndSwap(0, now) {
			w.Header().Set("Retry-After", "1")
			reply(429, ``)(w, r)
			return
		}
		gap.Store(now - first.Load())
		reply(200, `{"user_role":{"id":2,"name":"Users"}}`)(w, r)
	})
	c := newTestClient(t, srv.URL, nil)

	res, err := c.Check(context.Background(), job(1, 2))
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if res.Outcome != OutcomeOK {
		t.Fatalf("outcome = %q, want ok", res.Outcome)
	}
	if waited := time.Duration(gap.Load()); waited < time.Second {
		t.Errorf("retried after %s, want at least the 1s Retry-After", waited)
	}
}

func TestCheckRetryAfterTooLong(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		reply(429, ``)(w, r)
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetryWait = time.Minute })

	res, err := c.Check(context.Background(), job(1, 2))
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if res.Outcome != OutcomeError || res.ErrorKind != KindRateLimited || res.Attempts != 1 {
		t.Errorf("got %q/%q after %d attempts, want error/rate_limited after 1", res.Outcome, res.ErrorKind, res.Attempts)
	}
	if !strings.Contains(res.Error, "--max-retry-wait") {
		t.Errorf("error = %q, want it to name --max-retry-wait", res.Error)
	}
}

func TestCheckKeyRejectedStopsEveryCaller(t *testing.T) {
	var calls atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		reply(401, `{"message":"invalid token"}`)(w, r)
	})
	c := newTestClient(t, srv.URL, nil)

	if _, err := c.Check(context.Background(), job(1, 2)); !errors.Is(err, ErrKeyRejected) {
		t.Fatalf("first Check error = %v, want ErrKeyRejected", err)
	}
	if _, err := c.Check(context.Background(), job(1, 3)); !errors.Is(err, ErrKeyRejected) {
		t.Fatalf("second Check error = %v, want ErrKeyRejected", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1: a rejected key must not be sent again", n)
	}
}

func TestCheckTimeoutPerAttempt(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.Timeout = 50 * time.Millisecond
		cfg.Retries = 1
	})

	res, err := c.Check(context.Background(), job(1, 2))
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if res.Outcome != OutcomeError || res.ErrorKind != KindTimeout || res.Attempts != 2 {
		t.Errorf("got %q/%q after %d attempts, want error/timeout after 2", res.Outcome, res.ErrorKind, res.Attempts)
	}
}

func TestCheckConnectionRefused(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := listener.Addr().String()
	listener.Close()
	c := newTestClient(t, "http://"+addr, func(cfg *Config) { cfg.Retries = 1 })

	res, err := c.Check(context.Background(), job(1, 2))
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if res.Outcome != OutcomeError || res.ErrorKind != KindNetwork || res.HTTPStatus != 0 {
		t.Errorf("got %q/%q status %d, want error/network status 0", res.Outcome, res.ErrorKind, res.HTTPStatus)
	}
}

func TestCheckRedactsEchoedKey(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		reply(400, `{"message":"bad header `+r.Header.Get("Authorization")+`"}`)(w, r)
	})
	c := newTestClient(t, srv.URL, nil)

	res, err := c.Check(context.Background(), job(1, 2))
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if strings.Contains(res.Error, testKey) {
		t.Errorf("error %q contains the key", res.Error)
	}
}

func TestCheckPathUsesIDs(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/prefix/iam/clients/5001/client-users/9007199254740993" {
			t.Errorf("path = %q", r.URL.Path)
		}
		reply(404, ``)(w, r)
	})
	c := newTestClient(t, srv.URL+"/prefix/", nil)

	if _, err := c.Check(context.Background(), job(5001, 9007199254740993)); err != nil {
		t.Fatalf("Check: %v", err)
	}
}
