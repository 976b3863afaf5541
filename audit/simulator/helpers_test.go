package simulator

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/accessaudit/accessaudit/audit"
)

// testClient follows no redirects and opens a new connection per request,
// so that a dropped connection never makes the transport resend a request.
var testClient = &http.Client{
	Transport: &http.Transport{DisableKeepAlives: true},
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
	Timeout: 20 * time.Second,
}

const testKey = "k3y-for-tests"

// testDirectory has one account with users in default and custom groups and
// one forbidden account.
func testDirectory() *Directory {
	return &Directory{
		Groups: []Group{{ID: 4242, Name: "Billing viewers"}},
		Accounts: []Account{
			{ID: 5001, Name: "Acme", Users: []User{
				{ID: 42, Group: 1},
				{ID: 43, Group: 2},
				{ID: 44, Group: 4242},
				{ID: 45, Group: 3009},
			}},
			{ID: 5002, Name: "Globex", Forbidden: true, Users: []User{{ID: 50, Group: 1}}},
		},
	}
}

// serve starts a Server for dir on 127.0.0.1 and stops it when the test ends.
func serve(t *testing.T, dir *Directory, opts Options) (*Server, string) {
	t.Helper()

	srv := New(dir, opts)
	baseURL, stop, err := Start(srv, "")
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return srv, baseURL
}

// reply is a complete response as a client sees it.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// message returns the "message" field of a JSON error body.
func (r reply) message(t *testing.T) string {
	t.Helper()
	var m messageJSON
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("error body %q is not JSON with a message: %v", r.body, err)
	}
	return m.Message
}

// do sends one request and reads the whole response; auth "" sends no
// Authorization header.
func do(ctx context.Context, method, url, auth string) (reply, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		return reply{}, err
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}

	resp, err := testClient.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: body}, err
}

// mustGet sends a GET with the test key and fails the test on a transport
// error.
func mustGet(t *testing.T, url string) reply {
	t.Helper()
	r, err := do(context.Background(), http.MethodGet, url, "APIKey "+testKey)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return r
}

func pairURL(baseURL string, p audit.Pair) string {
	return fmt.Sprintf("%s/iam/clients/%d/client-users/%d", baseURL, p.ClientID, p.UserID)
}
