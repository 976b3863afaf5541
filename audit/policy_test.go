package audit

import (
	"context"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestAuthorization(t *testing.T) {
	tests := []struct {
		key, want string
		wantErr   bool
	}{
		{"abc", "APIKey abc", false},
		{"  abc\n", "APIKey abc", false},
		{"APIKey abc", "APIKey abc", false},
		{"apikey   abc", "APIKey abc", false},
		{"APIKEY\tabc", "APIKey abc", false},
		{"apikeyabc", "APIKey apikeyabc", false},
		{"apikey", "APIKey apikey", false},
		{"", "", true},
		{"   ", "", true},
		{"apikey ", "APIKey apikey", false},
		{"a\nb", "", true},
	}
	for _, tt := range tests {
		got, err := authorization(tt.key)
		if (err != nil) != tt.wantErr {
			t.Errorf("authorization(%q) error = %v, want error %v", tt.key, err, tt.wantErr)
		}
		if got != tt.want {
			t.Errorf("authorization(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}

func TestParseBaseURL(t *testing.T) {
	tests := []struct {
		raw, want string
		wantErr   bool
	}{
		{"https://api.gcore.com", "https://api.gcore.com", false},
		{"https://api.gcore.com/", "https://api.gcore.com", false},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", false},
		{"http://localhost:8080/base/", "http://localhost:8080/base", false},
		{"http://[::1]:8080", "http://[::1]:8080", false},
		{"http://api.gcore.com", "", true},
		{"http://10.0.0.1", "", true},
		{"ftp://127.0.0.1", "", true},
		{"api.gcore.com", "", true},
		{"https://user:pw@api.gcore.com", "", true},
		{"https://api.gcore.com?x=1", "", true},
	}
	for _, tt := range tests {
		u, err := ParseBaseURL(tt.raw)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseBaseURL(%q) error = %v, want error %v", tt.raw, err, tt.wantErr)
			continue
		}
		if err == nil && u.String() != tt.want {
			t.Errorf("ParseBaseURL(%q) = %q, want %q", tt.raw, u.String(), tt.want)
		}
	}
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		status int
		kind   ErrorKind
		want   bool
	}{
		{0, KindTimeout, true},
		{0, KindNetwork, true},
		{429, KindRateLimited, true},
		{500, KindServerError, true},
		{502, KindServerError, true},
		{503, KindServerError, true},
		{501, KindServerError, false},
		{400, KindUnexpectedStatus, false},
		{302, KindUnexpectedStatus, false},
		{200, KindInvalidResponse, false},
		{403, "", false},
		{404, "", false},
	}
	for _, tt := range tests {
		if got := retryable(tt.status, tt.kind); got != tt.want {
			t.Errorf("retryable(%d, %q) = %v, want %v", tt.status, tt.kind, got, tt.want)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	for n := 1; n <= 40; n++ {
		full := backoffCap
		if n < 16 {
			full = min(backoffBase<<(n-1), backoffCap)
		}
		for range 50 {
			d := backoff(n)
			if d < full/2 || d > full {
				t.Fatalf("backoff(%d) = %s, want within [%s, %s]", n, d, full/2, full)
			}
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"3", 3 * time.Second, true},
		{" 0 ", 0, true},
		{"Fri, 04 Dec 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Fri, 04 Dec 2026 11:00:00 GMT", 0, true},
		{"", 0, false},
		{"-1", 0, false},
		{"soon", 0, false},
		{"1.5", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.value, now)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %s, %v; want %s, %v", tt.value, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzDecodeRole(f *testing.F) {
	for _, seed := range []string{
		`{"user_role":{"id":1,"name":"Administrators"}}`, `{}`, `{"user_role":null}`, ``, `[]`,
		`{"user_role":{"id":1.5}}`, `{"user_role":{"name":7}}`, `<html>`, `{"user_role":{"id":9223372036854775808}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		g, err := decodeRole(body)
		if err == nil && g.ID == nil && g.Name == nil {
			t.Fatalf("decodeRole(%q) accepted a role with neither id nor name", body)
		}
		if err != nil && (g.ID != nil || g.Name != nil) {
			t.Fatalf("decodeRole(%q) returned a group with error %v", body, err)
		}
	})
}

func TestThrottleLowersAndRecovers(t *testing.T) {
	limiter := rate.NewLimiter(20, 1)
	th := newThrottle(limiter)
	now := time.Now()

	th.throttled(now)
	if got := limiter.Limit(); got != 10 {
		t.Fatalf("after one 429 the limit is %v, want 10", got)
	}
	th.throttled(now.Add(100 * time.Millisecond))
	if got := limiter.Limit(); got != 10 {
		t.Errorf("a second 429 within a second lowered the limit to %v, want it unchanged", got)
	}
	for i := 1; i <= 10; i++ {
		th.throttled(now.Add(time.Duration(i) * time.Second))
	}
	if got := limiter.Limit(); got != 2 {
		t.Errorf("after many 429s the limit is %v, want the floor 2 (a tenth of 20)", got)
	}

	for range 100 {
		th.answered(now.Add(time.Minute))
	}
	if got := limiter.Limit(); got != 20 {
		t.Errorf("after 100 good answers the limit is %v, want back at 20 and no higher", got)
	}
}

func TestThrottleLeavesUnlimitedAlone(t *testing.T) {
	limiter := rate.NewLimiter(rate.Inf, 1)
	th := newThrottle(limiter)
	th.throttled(time.Now())
	if got := limiter.Limit(); got != rate.Inf {
		t.Errorf("limit = %v, want unlimited", got)
	}
}

func TestSendWindowSpacing(t *testing.T) {
	tests := []struct {
		rate  rate.Limit
		burst int
		max   int
		span  time.Duration
	}{
		{20, 1, 21, 1050 * time.Millisecond},
		{10, 1, 11, 1100 * time.Millisecond},
		{2.5, 1, 3, 1200 * time.Millisecond},
		{0.5, 1, 1, 2 * time.Second},
		{10, 5, 15, 1500 * time.Millisecond},
	}
	for _, tt := range tests {
		w := newSendWindow(rate.NewLimiter(tt.rate, tt.burst))
		if len(w.sent) != tt.max || w.span != tt.span {
			t.Errorf("rate %v burst %d: window of %d over %s, want %d over %s", tt.rate, tt.burst, len(w.sent), w.span, tt.max, tt.span)
		}
	}
	if w := newSendWindow(rate.NewLimiter(rate.Inf, 1)); w != nil {
		t.Errorf("an unlimited limiter got a send window")
	}
}

func TestSendWindowHoldsBunchedSends(t *testing.T) {
	w := newSendWindow(rate.NewLimiter(20, 1))
	start := time.Now()
	for range 22 {
		w.wait(context.Background())
	}
	if elapsed := time.Since(start); elapsed < 1050*time.Millisecond {
		t.Errorf("22 sends let through in %s, want the 22nd held until 1.05s after the first", elapsed)
	}
}
