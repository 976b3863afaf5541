package journal_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/accessaudit/accessaudit/audit"
	"github.com/accessaudit/accessaudit/audit/journal"
)

// FuzzOpen feeds arbitrary file content to Open. Open must not panic. It
// either refuses the file and leaves it untouched, or leaves a journal
// that keeps a prefix of the content, ends with a newline, opens again to
// the same state and takes a further append.
func FuzzOpen(f *testing.F) {
	ok := record(5001, 1, "ok", `"http_status":200,"group_id":1,"group_name":"Administrators","error_kind":null,"error":null,"attempts":1`)
	seeds := []string{
		"",
		headerLine,
		headerLine + ok,
		headerLine + ok + ok[:17],
		headerLine + ok + "garbage\n" + ok,
		headerLine[:30],
		"client_id,user_id\n5001,1\n",
		headerLine + record(5001, 1, "error", `"error_kind":"timeout"`) + record(5001, 1, "not_found", ""),
		"\xff\xfe{\x00",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}

	f.Fuzz(func(t *testing.T, content []byte) {
		path := filepath.Join(t.TempDir(), "run.journal")
		if err := os.WriteFile(path, content, 0o600); err != nil {
			t.Fatal(err)
		}

		j, err := journal.Open(path, testHeader)
		if err != nil {
			if !errors.Is(err, journal.ErrCorrupt) && !errors.Is(err, journal.ErrMismatch) {
				t.Fatalf("Open error %v is neither ErrCorrupt nor ErrMismatch", err)
			}
			if after := mustRead(t, path); !bytes.Equal(after, content) {
				t.Fatalf("refused file changed from %q to %q", content, after)
			}
			return
		}
		recorded := j.Recorded()
		if err := j.Close(); err != nil {
			t.Fatal(err)
		}

		after := mustRead(t, path)
		if !bytes.HasSuffix(after, []byte("\n")) {
			t.Fatalf("journal %q does not end with a newline", after)
		}
		if string(after) != headerLine && !bytes.HasPrefix(content, bytes.TrimSuffix(after, []byte("\n"))) {
			t.Fatalf("journal %q is not a prefix of %q", after, content)
		}

		again, err := journal.Open(path, testHeader)
		if err != nil {
			t.Fatalf("second Open of %q: %v", after, err)
		}
		if again.Recorded() != recorded {
			t.Errorf("second Open: Recorded = %d, want %d", again.Recorded(), recorded)
		}
		if again := mustRead(t, path); !bytes.Equal(again, after) {
			t.Errorf("second Open changed %q to %q", after, again)
		}

		extra := audit.Pair{ClientID: 1 << 40, UserID: 1 << 40}
		if _, err := again.Checker(newFakeChecker(nil)).Check(context.Background(), audit.Job{Pair: extra}); err != nil {
			t.Fatal(err)
		}
		again.Close()
		third, err := journal.Open(path, testHeader)
		if err != nil {
			t.Fatalf("Open after an append: %v", err)
		}
		defer third.Close()
		if _, ok := third.Final(extra); !ok {
			t.Errorf("appended pair missing from %q", mustRead(t, path))
		}
	})
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
