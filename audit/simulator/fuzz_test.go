package simulator

import (
	"bytes"
	"errors"
	"net/http"
	"testing"

	"github.com/accessaudit/accessaudit/audit"
)

// FuzzLoadDirectory checks that LoadDirectory never panics, that every
// error it returns for an in-memory reader is ErrInvalidDirectory, and that
// every directory it accepts passes Validate, builds a Server and responses
// each listed user from the directory.
func FuzzLoadDirectory(f *testing.F) {
	seeds := []string{
		exampleDirectory,
		`{}`,
		`{"accounts": [{"id": 1, "users": [{"id": 2, "group": 5}]}]}`,
		`{"groups": [{"id": 1, "name": "Admins"}], "accounts": [{"id": 1, "forbidden": true}]}`,
		`{"faults": [{"client_id": 1, "user_id": 2, "disconnect": "mid_body", "body_delay": "1ms"}]}`,
		`{"faults": [{"client_id": 1, "user_id": 2, "body": null, "body_bytes": 3}]}`,
		`{"accounts": [{"id": 1e30}]}`,
		`{"accounts": [{"id": 1, "users": [{"id": 1, "group": 7}]}]}`,
		"{\"accounts\": [\n{\"id\": 1,,}]}",
		`{} {}`,
		`[]`,
		"\xff\xfe{",
	}
	for _, seed := range seeds {
		f.Add([]byte(seed))
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		dir, err := LoadDirectory(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrInvalidDirectory) {
				t.Fatalf("error %q does not wrap ErrInvalidDirectory", err)
			}
			return
		}

		if err := dir.Validate(); err != nil {
			t.Fatalf("LoadDirectory accepted a directory that Validate rejects: %v", err)
		}
		New(dir, Options{})
		for _, account := range dir.Accounts {
			for _, user := range account.Users {
				got := dir.Lookup(audit.Pair{ClientID: account.ID, UserID: user.ID})
				want := http.StatusOK
				if account.Forbidden {
					want = http.StatusForbidden
				}
				if got.Status != want {
					t.Fatalf("Lookup(%d, %d) status = %d, want %d", account.ID, user.ID, got.Status, want)
				}
			}
		}
	})
}
