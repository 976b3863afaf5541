package simulator

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/accessaudit/accessaudit/audit"
)

func TestRateLimit(t *testing.T) {
	admin := audit.Pair{ClientID: 5001, UserID: 42}

	tests := []struct {
		name           string
		rate           float64
		wantRetryAfter string
	}{
		{"20 per second rounds up to 1 s", 20, "1"},
		{"1 per 10 s", 0.1, "10"},
		{"1 per 2.5 s rounds up", 0.4, "3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, baseURL := serve(t, testDirectory(), Options{RateLimit: tt.rate})

			first := mustGet(t, pairURL(baseURL, admin))
			second := mustGet(t, pairURL(baseURL, admin))

			if first.status != 200 {
				t.Errorf("first status = %d, want 200", first.status)
			}
			if second.status != 429 {
				t.Fatalf("second status = %d, want 429", second.status)
			}
			if got := second.header.Get("Retry-After"); got != tt.wantRetryAfter {
				t.Errorf("Retry-After = %q, want %q", got, tt.wantRetryAfter)
			}
			if msg := second.message(t); !strings.Contains(msg, "rate limit") {
				t.Errorf("429 message = %q, want it to name the rate limit", msg)
			}
		})
	}
}

func TestRateLimitRecovers(t *testing.T) {
	admin := audit.Pair{ClientID: 5001, UserID: 42}
	const rate = 20 // one token every 50 ms
	_, baseURL := serve(t, testDirectory(), Options{RateLimit: rate})

	mustGet(t, pairURL(baseURL, admin))
	if got := mustGet(t, pairURL(baseURL, admin)); got.status != 429 {
		t.Fatalf("immediate second status = %d, want 429", got.status)
	}
	time.Sleep(70 * time.Millisecond)

	// The rejected request took no token, so one interval is enough.
	if got := mustGet(t, pairURL(baseURL, admin)); got.status != 200 {
		t.Errorf("status one interval later = %d, want 200", got.status)
	}
}

func TestRateLimitCountsOnlyAcceptedKeys(t *testing.T) {
	admin := audit.Pair{ClientID: 5001, UserID: 42}
	_, baseURL := serve(t, testDirectory(), Options{Key: testKey, RateLimit: 0.1})

	rejected, err := do(context.Background(), "GET", pairURL(baseURL, admin), "APIKey wrong")
	if err != nil {
		t.Fatal(err)
	}
	accepted := mustGet(t, pairURL(baseURL, admin))

	if rejected.status != 401 {
		t.Errorf("wrong key status = %d, want 401", rejected.status)
	}
	if accepted.status != 200 {
		t.Errorf("status after a 401 = %d, want 200 because a 401 takes no token", accepted.status)
	}
}

func TestLatency(t *testing.T) {
	const latency = 120 * time.Millisecond
	_, baseURL := serve(t, testDirectory(), Options{Latency: latency})

	for _, path := range []string{"/iam/clients/5001/client-users/42", "/iam/users/me"} {
		start := time.Now()
		got := mustGet(t, baseURL+path)
		elapsed := time.Since(start)

		if elapsed < latency {
			t.Errorf("GET %s (%d) took %s, want at least %s", path, got.status, elapsed, latency)
		}
	}
}

func TestErrorRateAlways(t *testing.T) {
	admin := audit.Pair{ClientID: 5001, UserID: 42}
	_, baseURL := serve(t, testDirectory(), Options{ErrorRate: 1, Seed: 3})

	seen := make(map[int]int)
	for range 30 {
		got := mustGet(t, pairURL(baseURL, admin))
		seen[got.status]++
	}

	for status := range seen {
		if status != 500 && status != 502 && status != 503 {
			t.Errorf("status %d answered with ErrorRate 1, want only 500, 502 or 503", status)
		}
	}
	for _, status := range []int{500, 502, 503} {
		if seen[status] == 0 {
			t.Errorf("status %d never drawn in 30 requests: %v", status, seen)
		}
	}
}

func TestErrorRateShareAndSeed(t *testing.T) {
	admin := audit.Pair{ClientID: 5001, UserID: 42}
	const requests, share = 300, 0.3

	run := func() string {
		_, baseURL := serve(t, testDirectory(), Options{ErrorRate: share, Seed: 42})
		var statuses strings.Builder
		for range requests {
			got := mustGet(t, pairURL(baseURL, admin))
			statuses.WriteString(strconv.Itoa(got.status) + " ")
		}
		return statuses.String()
	}
	first, second := run(), run()

	errorsSeen := requests - strings.Count(first, "200 ")
	if math.Abs(float64(errorsSeen)/requests-share) > 0.1 {
		t.Errorf("%d of %d requests failed, want about %.0f%%", errorsSeen, requests, share*100)
	}
	if first != second {
		t.Error("two servers with the same seed drew different statuses")
	}
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		wantErr string
	}{
		{"zero value", Options{}, ""},
		{"all set", Options{Key: "k", Latency: time.Second, RateLimit: 10, ErrorRate: 0.5, Seed: 1}, ""},
		{"error rate 1", Options{ErrorRate: 1}, ""},
		{"key with newline", Options{Key: "k\n"}, "white space"},
		{"negative latency", Options{Latency: -time.Second}, "latency"},
		{"negative rate", Options{RateLimit: -1}, "rate limit"},
		{"infinite rate", Options{RateLimit: math.Inf(1)}, "rate limit"},
		{"NaN rate", Options{RateLimit: math.NaN()}, "rate limit"},
		{"error rate above 1", Options{ErrorRate: 1.01}, "error rate"},
		{"negative error rate", Options{ErrorRate: -0.1}, "error rate"},
		{"NaN error rate", Options{ErrorRate: math.NaN()}, "error rate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.opts.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Validate() = %v, want an error about %s", err, tt.wantErr)
			}
		})
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	tests := []struct {
		wait time.Duration
		want int64
	}{
		{time.Nanosecond, 1},
		{50 * time.Millisecond, 1},
		{time.Second, 1},
		{time.Second + time.Nanosecond, 2},
		{9500 * time.Millisecond, 10},
	}
	for _, tt := range tests {
		if got := retryAfterSeconds(tt.wait); got != tt.want {
			t.Errorf("retryAfterSeconds(%s) = %d, want %d", tt.wait, got, tt.want)
		}
	}
}
