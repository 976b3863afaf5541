package simulator

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/accessaudit/accessaudit/audit"
)

// exampleDirectory is the example of the package comment.
const exampleDirectory = `{
  "groups": [
    {"id": 4242, "name": "Billing viewers"}
  ],
  "accounts": [
    {"id": 5001, "name": "Acme", "users": [
      {"id": 42, "group": 1, "email": "ana@example.com", "name": "Ana Ruiz"},
      {"id": 43, "group": 4242}
    ]},
    {"id": 5002, "name": "Globex", "forbidden": true}
  ],
  "faults": [
    {"client_id": 5001, "user_id": 43, "status": 503, "retry_after": "2", "times": 2},
    {"client_id": 5001, "user_id": 42, "delay": "5s"}
  ]
}`

func TestLoadDirectoryExample(t *testing.T) {
	dir, err := LoadDirectory(strings.NewReader(exampleDirectory))
	if err != nil {
		t.Fatalf("LoadDirectory: %v", err)
	}

	if len(dir.Groups) != 1 || dir.Groups[0] != (Group{4242, "Billing viewers"}) {
		t.Errorf("groups = %+v", dir.Groups)
	}
	if len(dir.Accounts) != 2 {
		t.Fatalf("%d accounts, want 2", len(dir.Accounts))
	}
	wantUser := User{ID: 42, Group: 1, Email: "ana@example.com", Name: "Ana Ruiz"}
	if got := dir.Accounts[0].Users[0]; got != wantUser {
		t.Errorf("first user = %+v, want %+v", got, wantUser)
	}
	if !dir.Accounts[1].Forbidden || dir.Accounts[0].Forbidden {
		t.Errorf("forbidden flags = %v, %v; want false, true", dir.Accounts[0].Forbidden, dir.Accounts[1].Forbidden)
	}

	if len(dir.Faults) != 2 {
		t.Fatalf("%d faults, want 2", len(dir.Faults))
	}
	first := dir.Faults[0]
	if first.Pair != (audit.Pair{ClientID: 5001, UserID: 43}) || first.Status != 503 ||
		first.RetryAfter != "2" || first.Times != 2 || first.Body != nil {
		t.Errorf("faults[0] = %+v", first)
	}
	if dir.Faults[1].Delay != 5*time.Second {
		t.Errorf("faults[1].Delay = %s, want 5s", dir.Faults[1].Delay)
	}
}

func TestLoadDirectoryFaultFields(t *testing.T) {
	input := `{"faults": [{"client_id": 1, "user_id": 2, "status": 200, "body": "", "body_bytes": 10,
		"content_type": "text/html", "location": "/x", "body_delay": "1.5s", "disconnect": "mid_body", "times": 3}]}`

	dir, err := LoadDirectory(strings.NewReader(input))
	if err != nil {
		t.Fatalf("LoadDirectory: %v", err)
	}

	f := dir.Faults[0]
	if f.Body == nil || *f.Body != "" {
		t.Errorf("Body = %v, want a pointer to an empty string", f.Body)
	}
	if f.BodyBytes != 10 || f.ContentType != "text/html" || f.Location != "/x" ||
		f.BodyDelay != 1500*time.Millisecond || f.Disconnect != DisconnectMidBody || f.Times != 3 {
		t.Errorf("fault = %+v", f)
	}
}

func TestLoadDirectoryAcceptsMinimalInput(t *testing.T) {
	for _, input := range []string{`{}`, ` {"accounts": []} `, "{\"accounts\": null}\n\n", `{"groups":[],"faults":[]}`} {
		if _, err := LoadDirectory(strings.NewReader(input)); err != nil {
			t.Errorf("LoadDirectory(%q) = %v, want nil", input, err)
		}
	}
}

func TestLoadDirectoryErrors(t *testing.T) {
	account := func(body string) string { return `{"accounts": [` + body + `]}` }
	fault := func(body string) string { return `{"faults": [{"client_id": 1, "user_id": 2, ` + body + `}]}` }

	tests := []struct {
		name  string
		input string
		want  []string // parts of the error message
	}{
		{"empty input", "", []string{"input is empty"}},
		{"white space only", " \n\t", []string{"input is empty"}},
		{"array", "[]", []string{"line 1, column 1", "JSON object"}},
		{"null", "\n  null", []string{"line 2, column 3", "JSON object"}},
		{"syntax error", "{\n  \"accounts\": [\n    {\"id\": 5001,,}\n  ]\n}", []string{"line 3, column 17", "invalid character ','"}},
		{"truncated", `{"accounts": [{"id": 1`, []string{"ends early"}},
		{"unknown field", "{\"accounts\": [\n  {\"id\": 1, \"forbiden\": true}\n]}", []string{"line 2, column 13", `unknown field "forbiden"`}},
		{"unknown top-level field", `{"account": []}`, []string{"line 1, column 2", `unknown field "account"`}},
		{"string ID", account(`{"id": "5001"}`), []string{"accounts.id must be an integer", "not string"}},
		{"fractional ID", account(`{"id": 5001.5}`), []string{"accounts.id must be an integer", "5001.5"}},
		{"ID overflow", account(`{"id": 1e30}`), []string{"accounts.id must be an integer in the int64 range"}},
		{"forbidden not bool", account(`{"id": 1, "forbidden": "yes"}`), []string{"accounts.forbidden must be true or false"}},
		{"users not array", account(`{"id": 1, "users": {}}`), []string{"accounts.users must be an array"}},
		{"body not string", fault(`"body": 5`), []string{"faults.body must be a string, not number"}},
		{"trailing data", `{} {}`, []string{"line 1, column 4", "unexpected data after the directory object"}},
		{"trailing garbage", "{}\nx", []string{"line 2, column 1", "unexpected data"}},

		{"group ID missing", `{"groups": [{"name": "X"}]}`, []string{"groups[0]: id is missing or 0"}},
		{"group name empty", `{"groups": [{"id": 7, "name": " "}]}`, []string{"groups[0] (id 7): name is empty"}},
		{"duplicate group", `{"groups": [{"id": 7, "name": "A"}, {"id": 7, "name": "B"}]}`, []string{"groups[1]: id 7 is already used by groups[0]"}},
		{"account ID missing", account(`{"name": "Acme"}`), []string{"accounts[0]: id is missing or 0"}},
		{"negative account ID", account(`{"id": -5}`), []string{"accounts[0]: id -5 is negative"}},
		{"duplicate account", account(`{"id": 5}, {"id": 6}, {"id": 5}`), []string{"accounts[2]: id 5 is already used by accounts[0]"}},
		{"duplicate user", account(`{"id": 5, "users": [{"id": 1, "group": 1}, {"id": 1, "group": 2}]}`),
			[]string{"accounts[0].users[1]: id 1 is already used by users[0]"}},
		{"user ID missing", account(`{"id": 5, "users": [{"group": 1}]}`), []string{"accounts[0].users[0]: id is missing or 0"}},
		{"group missing", account(`{"id": 5, "users": [{"id": 1}]}`), []string{"accounts[0].users[0] (id 1): group is missing"}},
		{"undefined group", account(`{"id": 5, "users": [{"id": 1, "group": 7}]}`),
			[]string{"accounts[0].users[0] (id 1): group 7 is not defined", "[1 2 5 3009 3022]"}},

		{"fault without pair", `{"faults": [{"status": 500}]}`, []string{"faults[0]: client_id is missing or 0", "faults[0]: user_id is missing or 0"}},
		{"fault bad delay", fault(`"delay": "2x"`), []string{`faults[0].delay: "2x" is not a duration`}},
		{"fault bad body delay", fault(`"body_delay": "5"`), []string{`faults[0].body_delay: "5" is not a duration`}},
		{"fault negative delay", fault(`"delay": "-1s"`), []string{"faults[0]: delay -1s is negative"}},
		{"fault negative times", fault(`"times": -1`), []string{"faults[0]: times -1 is negative"}},
		{"fault status too low", fault(`"status": 99`), []string{"faults[0]: status 99 is outside 200 to 599"}},
		{"fault status too high", fault(`"status": 600`), []string{"status 600 is outside"}},
		{"fault body too large", fault(`"body_bytes": 1073741825`), []string{"body_bytes 1073741825 is outside"}},
		{"fault negative body size", fault(`"body_bytes": -1`), []string{"body_bytes -1 is outside"}},
		{"fault unknown disconnect", fault(`"disconnect": "explode"`), []string{`disconnect "explode" is unknown`}},
		{"reset with status", fault(`"disconnect": "reset", "status": 500`), []string{`disconnect "reset" sends no response`}},
		{"close with body", fault(`"disconnect": "close", "body": ""`), []string{`disconnect "close" sends no response`}},
		{"mid_body without body", fault(`"disconnect": "mid_body", "body": ""`), []string{"needs a body to cut"}},
		{"unreachable fault", `{"faults": [{"client_id": 1, "user_id": 2, "status": 500}, {"client_id": 1, "user_id": 2, "status": 503, "times": 1}]}`,
			[]string{"faults[1]: never applies because faults[0]"}},
		{"several problems", account(`{"id": 0}, {"id": -1}`), []string{"accounts[0]: id is missing", "; accounts[1]: id -1 is negative"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, err := LoadDirectory(strings.NewReader(tt.input))

			if err == nil {
				t.Fatalf("LoadDirectory = %+v, want an error", dir)
			}
			if !errors.Is(err, ErrInvalidDirectory) {
				t.Errorf("error %q does not wrap ErrInvalidDirectory", err)
			}
			for _, part := range tt.want {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q does not contain %q", err, part)
				}
			}
		})
	}
}

func TestValidateCapsProblems(t *testing.T) {
	dir := &Directory{}
	for range maxProblems + 5 {
		dir.Accounts = append(dir.Accounts, Account{ID: -1})
	}

	err := dir.Validate()

	if err == nil {
		t.Fatal("Validate = nil, want an error")
	}
	if got := strings.Count(err.Error(), "is negative"); got != maxProblems {
		t.Errorf("error lists %d problems, want %d", got, maxProblems)
	}
	if !strings.Contains(err.Error(), "and 5 more problems") {
		t.Errorf("error %q does not say how many problems it left out", err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestLoadDirectoryReadError(t *testing.T) {
	_, err := LoadDirectory(failingReader{})

	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("error = %v, want the read error", err)
	}
	if errors.Is(err, ErrInvalidDirectory) {
		t.Errorf("a read error %q wraps ErrInvalidDirectory, want it to stay an I/O error", err)
	}
}

func TestLoadDirectoryFile(t *testing.T) {
	folder := t.TempDir()
	good := filepath.Join(folder, "good.json")
	bad := filepath.Join(folder, "bad.json")
	writeFile(t, good, exampleDirectory)
	writeFile(t, bad, `{"accounts": [{"id": 0}]}`)

	if _, err := LoadDirectoryFile(good); err != nil {
		t.Errorf("LoadDirectoryFile(good) = %v", err)
	}

	_, err := LoadDirectoryFile(bad)
	if !errors.Is(err, ErrInvalidDirectory) || !strings.HasPrefix(err.Error(), bad+": ") {
		t.Errorf("LoadDirectoryFile(bad) = %v, want an invalid-directory error starting with the path", err)
	}

	missing := filepath.Join(folder, "missing.json")
	_, err = LoadDirectoryFile(missing)
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("LoadDirectoryFile(missing) = %v, want a not-exist error naming the path", err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(fmt.Errorf("write %s: %w", path, err))
	}
}
