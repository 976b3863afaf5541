package simulator

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/accessaudit/accessaudit/audit"
)

func TestServerAnswers(t *testing.T) {
	_, baseURL := serve(t, testDirectory(), Options{Key: testKey})
	key := "APIKey " + testKey

	tests := []struct {
		name        string
		method      string
		path        string
		auth        string
		wantStatus  int
		wantRole    *Group // the user_role of a 200 response
		wantMessage string // a part of the JSON message of an error response
	}{
		{"administrator", "GET", "/iam/clients/5001/client-users/42", key, 200, &Group{1, "Administrators"}, ""},
		{"users group", "GET", "/iam/clients/5001/client-users/43", key, 200, &Group{2, "Users"}, ""},
		{"custom group", "GET", "/iam/clients/5001/client-users/44", key, 200, &Group{4242, "Billing viewers"}, ""},
		{"default group 3009", "GET", "/iam/clients/5001/client-users/45", key, 200,
			&Group{3009, "Purge and Prefetch only (API+Web)"}, ""},
		{"leading zeros", "GET", "/iam/clients/005001/client-users/0042", key, 200, &Group{1, "Administrators"}, ""},
		{"scheme lower case", "GET", "/iam/clients/5001/client-users/42", "apikey " + testKey, 200, &Group{1, "Administrators"}, ""},
		{"scheme upper case", "GET", "/iam/clients/5001/client-users/42", "APIKEY " + testKey, 200, &Group{1, "Administrators"}, ""},

		{"forbidden account", "GET", "/iam/clients/5002/client-users/50", key, 403, nil, "account 5002"},
		{"forbidden account unknown user", "GET", "/iam/clients/5002/client-users/99", key, 403, nil, "account 5002"},
		{"unknown account", "GET", "/iam/clients/9999/client-users/42", key, 404, nil, "account 9999 is not found"},
		{"unknown user", "GET", "/iam/clients/5001/client-users/99", key, 404, nil, "user 99 is not found in account 5001"},

		{"client ID not a number", "GET", "/iam/clients/acme/client-users/42", key, 400, nil, `clientId "acme"`},
		{"user ID not a number", "GET", "/iam/clients/5001/client-users/x1", key, 400, nil, `userId "x1"`},
		{"negative ID", "GET", "/iam/clients/-5001/client-users/42", key, 400, nil, `clientId "-5001"`},
		{"zero ID", "GET", "/iam/clients/5001/client-users/0", key, 400, nil, `userId "0"`},
		{"plus sign", "GET", "/iam/clients/+5001/client-users/42", key, 400, nil, `clientId "+5001"`},
		{"decimal ID", "GET", "/iam/clients/5001.0/client-users/42", key, 400, nil, `clientId "5001.0"`},
		{"overflow ID", "GET", "/iam/clients/9223372036854775808/client-users/42", key, 400, nil, "9223372036854775808"},
		{"bad ID before key check", "GET", "/iam/clients/x/client-users/42", "", 400, nil, "positive integer"},

		{"missing header", "GET", "/iam/clients/5001/client-users/42", "", 401, nil, "missing Authorization header"},
		{"bearer scheme", "GET", "/iam/clients/5001/client-users/42", "Bearer " + testKey, 401, nil, `start with "APIKey "`},
		{"bare key", "GET", "/iam/clients/5001/client-users/42", testKey, 401, nil, `start with "APIKey "`},
		{"scheme without key", "GET", "/iam/clients/5001/client-users/42", "APIKey", 401, nil, `start with "APIKey "`},
		{"two spaces", "GET", "/iam/clients/5001/client-users/42", "APIKey  " + testKey, 401, nil, "white space"},
		{"wrong key", "GET", "/iam/clients/5001/client-users/42", "APIKey other", 401, nil, "invalid API key"},
		{"doubled scheme word", "GET", "/iam/clients/5001/client-users/42", "APIKey APIKey " + testKey, 401, nil, "invalid API key"},
		{"401 before 404", "GET", "/iam/clients/9999/client-users/42", "APIKey other", 401, nil, "invalid API key"},

		{"other path", "GET", "/iam/users/me", key, 404, nil, "no endpoint at /iam/users/me"},
		{"trailing slash", "GET", "/iam/clients/5001/client-users/42/", key, 404, nil, "no endpoint"},
		{"extra segment", "GET", "/iam/clients/5001/client-users/42/role", key, 404, nil, "no endpoint"},
		{"root", "GET", "/", key, 404, nil, "no endpoint"},
		{"post", "POST", "/iam/clients/5001/client-users/42", key, 405, nil, "method POST"},
		{"delete", "DELETE", "/iam/clients/5001/client-users/42", key, 405, nil, "method DELETE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := do(context.Background(), tt.method, baseURL+tt.path, tt.auth)
			if err != nil {
				t.Fatalf("%s %s: %v", tt.method, tt.path, err)
			}

			if got.status != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", got.status, tt.wantStatus, got.body)
			}
			if ct := got.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
			if strings.Contains(string(got.body), testKey) {
				t.Errorf("body %s contains the API key", got.body)
			}

			if tt.wantRole != nil {
				var role struct {
					UserRole *struct {
						ID   int64  `json:"id"`
						Name string `json:"name"`
					} `json:"user_role"`
				}
				if err := json.Unmarshal(got.body, &role); err != nil {
					t.Fatalf("body %s: %v", got.body, err)
				}
				if role.UserRole == nil {
					t.Fatalf("body %s has no user_role", got.body)
				}
				if Group(*role.UserRole) != *tt.wantRole {
					t.Errorf("user_role = %+v, want %+v", *role.UserRole, *tt.wantRole)
				}
				return
			}
			if msg := got.message(t); !strings.Contains(msg, tt.wantMessage) {
				t.Errorf("message = %q, want it to contain %q", msg, tt.wantMessage)
			}
		})
	}
}

func TestServerAnswerHeaders(t *testing.T) {
	_, baseURL := serve(t, testDirectory(), Options{Key: testKey})
	url := baseURL + "/iam/clients/5001/client-users/42"

	unauthorized, err := do(context.Background(), "GET", url, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := unauthorized.header.Get("WWW-Authenticate"); got != "APIKey" {
		t.Errorf("401 WWW-Authenticate = %q, want APIKey", got)
	}

	notAllowed, err := do(context.Background(), "PUT", url, "APIKey "+testKey)
	if err != nil {
		t.Fatal(err)
	}
	if got := notAllowed.header.Get("Allow"); got != "GET, HEAD" {
		t.Errorf("405 Allow = %q, want \"GET, HEAD\"", got)
	}

	head, err := do(context.Background(), "HEAD", url, "APIKey "+testKey)
	if err != nil {
		t.Fatal(err)
	}
	if head.status != http.StatusOK || len(head.body) != 0 {
		t.Errorf("HEAD = %d with %d body bytes, want 200 with none", head.status, len(head.body))
	}
}

func TestServerEmptyKeyOptionAcceptsAnyKey(t *testing.T) {
	_, baseURL := serve(t, testDirectory(), Options{})
	url := baseURL + "/iam/clients/5001/client-users/42"

	tests := []struct {
		auth string
		want int
	}{
		{"APIKey anything", 200},
		{"apikey 42_a1b2c3d4e5f6", 200},
		{"APIKey apikey 1234$abcdef", 200},
		{"", 401},
		{"APIKey", 401},
		{"Bearer anything", 401},
	}
	for _, tt := range tests {
		got, err := do(context.Background(), "GET", url, tt.auth)
		if err != nil {
			t.Fatalf("auth %q: %v", tt.auth, err)
		}
		if got.status != tt.want {
			t.Errorf("auth %q: status = %d, want %d", tt.auth, got.status, tt.want)
		}
	}
}

func TestServerCountsRequestsAndHits(t *testing.T) {
	srv, baseURL := serve(t, testDirectory(), Options{Key: testKey})
	admin := audit.Pair{ClientID: 5001, UserID: 42}
	other := audit.Pair{ClientID: 5001, UserID: 43}

	mustGet(t, pairURL(baseURL, admin))
	mustGet(t, pairURL(baseURL, admin))
	if _, err := do(context.Background(), "GET", pairURL(baseURL, admin), "APIKey wrong"); err != nil {
		t.Fatal(err)
	}
	mustGet(t, pairURL(baseURL, other))
	mustGet(t, baseURL+"/iam/users/me")
	mustGet(t, baseURL+"/iam/clients/x/client-users/42")

	if got := srv.Requests(); got != 6 {
		t.Errorf("Requests() = %d, want 6", got)
	}
	if got := srv.Hits(admin); got != 3 {
		t.Errorf("Hits(%v) = %d, want 3 (a 401 counts)", admin, got)
	}
	if got := srv.Hits(other); got != 1 {
		t.Errorf("Hits(%v) = %d, want 1", other, got)
	}
	if got := srv.Hits(audit.Pair{ClientID: 1, UserID: 1}); got != 0 {
		t.Errorf("Hits of an unused pair = %d, want 0", got)
	}
}

func TestDirectoryLookup(t *testing.T) {
	dir := testDirectory()

	tests := []struct {
		pair       audit.Pair
		wantStatus int
		wantGroup  Group
	}{
		{audit.Pair{ClientID: 5001, UserID: 42}, 200, Group{1, "Administrators"}},
		{audit.Pair{ClientID: 5001, UserID: 44}, 200, Group{4242, "Billing viewers"}},
		{audit.Pair{ClientID: 5002, UserID: 50}, 403, Group{}},
		{audit.Pair{ClientID: 5001, UserID: 7}, 404, Group{}},
		{audit.Pair{ClientID: 7, UserID: 42}, 404, Group{}},
	}
	for _, tt := range tests {
		got := dir.Lookup(tt.pair)
		if got.Status != tt.wantStatus || got.Group != tt.wantGroup {
			t.Errorf("Lookup(%v) = %d %+v, want %d %+v", tt.pair, got.Status, got.Group, tt.wantStatus, tt.wantGroup)
		}
	}
}

func TestDirectoryGroupRenamesDefault(t *testing.T) {
	dir := &Directory{
		Groups:   []Group{{ID: 1, Name: " administrators "}},
		Accounts: []Account{{ID: 1, Users: []User{{ID: 1, Group: 1}}}},
	}
	_, baseURL := serve(t, dir, Options{})

	got := mustGet(t, baseURL+"/iam/clients/1/client-users/1")
	want := `{"user_role":{"id":1,"name":" administrators "}}`
	if string(got.body) != want {
		t.Errorf("body = %s, want %s", got.body, want)
	}
}

func TestNewPanicsOnInvalidInput(t *testing.T) {
	tests := []struct {
		name string
		dir  *Directory
		opts Options
	}{
		{"duplicate account", &Directory{Accounts: []Account{{ID: 1}, {ID: 1}}}, Options{}},
		{"undefined group", &Directory{Accounts: []Account{{ID: 1, Users: []User{{ID: 1, Group: 9}}}}}, Options{}},
		{"error rate above 1", &Directory{}, Options{ErrorRate: 1.5}},
		{"negative rate limit", &Directory{}, Options{RateLimit: -1}},
		{"negative latency", &Directory{}, Options{Latency: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("New did not panic")
				}
			}()
			New(tt.dir, tt.opts)
		})
	}
}

func TestServerNilDirectory(t *testing.T) {
	_, baseURL := serve(t, nil, Options{})

	got := mustGet(t, baseURL+"/iam/clients/1/client-users/2")

	if got.status != http.StatusNotFound {
		t.Errorf("status = %d, want 404 from an empty directory", got.status)
	}
}

func TestServerLogger(t *testing.T) {
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	dir := testDirectory()
	dir.Faults = []Fault{{Pair: audit.Pair{ClientID: 5001, UserID: 43}, Status: 503, Times: 1}}
	_, baseURL := serve(t, dir, Options{Key: testKey, Logger: logger})

	mustGet(t, baseURL+"/iam/clients/5001/client-users/42")
	mustGet(t, baseURL+"/iam/clients/5001/client-users/43")

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("logged %d lines, want 2:\n%s", len(lines), logs.String())
	}
	for i, want := range []string{"status=200", "status=503 fault=true"} {
		if !strings.Contains(lines[i], "msg=response") || !strings.Contains(lines[i], want) {
			t.Errorf("line %d = %q, want a response record with %q", i+1, lines[i], want)
		}
	}
	if strings.Contains(logs.String(), testKey) {
		t.Error("the log contains the API key")
	}
}
