package journal_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accessaudit/accessaudit/audit"
	"github.com/accessaudit/accessaudit/audit/journal"
)

func TestCheckerReusesFinalOutcomes(t *testing.T) {
	tests := []struct {
		name      string
		recorded  string // result line in the journal; empty for none
		wantCalls int
		outcome   audit.Outcome
	}{
		{"ok", record(5001, 1, "ok", `"http_status":200,"group_id":5,"group_name":"Engineers","attempts":2`), 0, audit.OutcomeOK},
		{"forbidden", record(5001, 1, "forbidden", `"http_status":403,"error":"no permission","attempts":1`), 0, audit.OutcomeForbidden},
		{"not_found", record(5001, 1, "not_found", `"http_status":404,"attempts":1`), 0, audit.OutcomeNotFound},
		{"error is retried", record(5001, 1, "error", `"http_status":429,"error_kind":"rate_limited","attempts":6`), 1, audit.OutcomeOK},
		{"unrecorded pair", "", 1, audit.OutcomeOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tempJournal(t)
			writeFile(t, path, headerLine+tt.recorded)
			j := mustOpen(t, path, testHeader)
			fake := newFakeChecker(nil)

			got, err := j.Checker(fake).Check(context.Background(), job(0, pair(5001, 1)))
			if err != nil {
				t.Fatal(err)
			}
			if calls := fake.totalCalls(); calls != tt.wantCalls {
				t.Errorf("next called %d times, want %d", calls, tt.wantCalls)
			}
			if got.Outcome != tt.outcome {
				t.Errorf("Outcome = %q, want %q", got.Outcome, tt.outcome)
			}
			if want := 1 - tt.wantCalls; j.Resumed() != want {
				t.Errorf("Resumed = %d, want %d", j.Resumed(), want)
			}

			lines := strings.Count(readFile(t, path), "\n")
			if want := 1 + strings.Count(tt.recorded, "\n") + tt.wantCalls; lines != want {
				t.Errorf("journal has %d lines, want %d (answers from the journal are not appended again)", lines, want)
			}
		})
	}
}

func TestCheckerPassesErrorsOfNext(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"canceled", context.Canceled},
		{"key rejected", audit.ErrKeyRejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tempJournal(t)
			j := mustOpen(t, path, testHeader)
			fake := newFakeChecker(nil)
			fake.err = tt.err

			_, err := j.Checker(fake).Check(context.Background(), job(0, pair(5001, 1)))
			if !errors.Is(err, tt.err) {
				t.Errorf("Check error = %v, want %v", err, tt.err)
			}
			if errors.Is(err, journal.ErrWrite) {
				t.Errorf("Check error %v is ErrWrite, though nothing was written", err)
			}
			if got := readFile(t, path); got != headerLine {
				t.Errorf("a pair without an answer was appended: %q", got)
			}
		})
	}
}

func TestCheckerConcurrentAppends(t *testing.T) {
	const goroutines, perGoroutine = 32, 100
	path := tempJournal(t)
	j := mustOpen(t, path, testHeader)
	check := j.Checker(newFakeChecker(nil))

	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			for i := range perGoroutine {
				p := pair(int64(g+1), int64(i+1))
				if _, err := check.Check(context.Background(), audit.Job{Pair: p}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	j.Close()

	lines := strings.Split(strings.TrimSuffix(readFile(t, path), "\n"), "\n")
	if len(lines) != 1+goroutines*perGoroutine {
		t.Fatalf("journal has %d lines, want header + %d", len(lines), goroutines*perGoroutine)
	}
	seen := make(map[audit.Pair]bool)
	for n, line := range lines[1:] {
		var r struct {
			ClientID int64 `json:"client_id"`
			UserID   int64 `json:"user_id"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("line %d %q: %v", n+2, line, err)
		}
		seen[pair(r.ClientID, r.UserID)] = true
	}
	if len(seen) != goroutines*perGoroutine {
		t.Errorf("journal contains %d distinct pairs, want %d", len(seen), goroutines*perGoroutine)
	}
	if reopened := mustOpen(t, path, testHeader); reopened.Recorded() != goroutines*perGoroutine {
		t.Errorf("Recorded after reopening = %d, want %d", reopened.Recorded(), goroutines*perGoroutine)
	}
}

func TestCheckerAppendFailure(t *testing.T) {
	tests := []struct {
		name     string
		sabotage func(t *testing.T, j *journal.Journal, path string)
	}{
		{"closed journal", func(t *testing.T, j *journal.Journal, _ string) {
			if err := j.Close(); err != nil {
				t.Fatal(err)
			}
		}},
		{"write fails", func(t *testing.T, j *journal.Journal, path string) {
			readOnly, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			original := j.ReplaceFile(readOnly) // j.Close closes readOnly
			t.Cleanup(func() { original.Close() })
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tempJournal(t)
			j := mustOpen(t, path, testHeader)
			check := j.Checker(newFakeChecker(nil))
			if _, err := check.Check(context.Background(), audit.Job{Pair: pair(1, 1)}); err != nil {
				t.Fatal(err)
			}
			before := readFile(t, path)
			tt.sabotage(t, j, path)

			for i := range 2 { // the first failure and every later append
				_, err := check.Check(context.Background(), audit.Job{Pair: pair(2, int64(i+1))})
				if !errors.Is(err, journal.ErrWrite) {
					t.Fatalf("append %d: error = %v, want ErrWrite", i+1, err)
				}
				if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("append %d: error %v looks like the end of the context", i+1, err)
				}
			}
			if got := readFile(t, path); got != before {
				t.Errorf("journal changed after a failed append: %q, want %q", got, before)
			}
		})
	}
}

// TestJournalNeverContainsKey runs the real client against a loopback
// server that echoes the Authorization header in every kind of error body.
func TestJournalNeverContainsKey(t *testing.T) {
	const key = "secret-journal-key-0123456789"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		echo := fmt.Sprintf(`{"message":"request with %s was not allowed"}`, r.Header.Get("Authorization"))
		switch {
		case strings.HasSuffix(r.URL.Path, "/client-users/1"):
			w.WriteHeader(http.StatusForbidden)
		case strings.HasSuffix(r.URL.Path, "/client-users/2"):
			w.WriteHeader(http.StatusNotFound)
		case strings.HasSuffix(r.URL.Path, "/client-users/3"):
			w.WriteHeader(http.StatusInternalServerError)
		default:
			w.WriteHeader(http.StatusTeapot)
		}
		_, _ = w.Write([]byte(echo))
	}))
	t.Cleanup(srv.Close)

	client, err := audit.NewClient(audit.Config{BaseURL: srv.URL, Key: key, Retries: 0, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	path := tempJournal(t)
	j := mustOpen(t, path, journal.Header{InputSHA256: testHeader.InputSHA256, BaseURL: srv.URL, Mode: "audit"})
	check := j.Checker(client)
	for user := int64(1); user <= 4; user++ {
		res, err := check.Check(context.Background(), audit.Job{Pair: pair(5001, user)})
		if err != nil {
			t.Fatal(err)
		}
		if res.Error == "" {
			t.Errorf("user %d: no error text, so the echo was not exercised", user)
		}
	}
	j.Close()

	content := readFile(t, path)
	if strings.Count(content, "\n") != 5 {
		t.Fatalf("journal has %d lines, want header + 4:\n%s", strings.Count(content, "\n"), content)
	}
	if strings.Contains(content, key) {
		t.Errorf("journal contains the API key:\n%s", content)
	}
	if !strings.Contains(content, "[redacted]") {
		t.Errorf("journal shows no redacted echo, so the test did not exercise one:\n%s", content)
	}
}
