package input

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestJobsStopsWhenYieldReturnsFalse(t *testing.T) {
	src := OpenBytes("t.csv", []byte("1,2\n3,4\n5,6\n"))
	ix, err := Scan(src)
	if err != nil {
		t.Fatal(err)
	}
	var seen int
	for _, err := range ix.Jobs(src) {
		if err != nil {
			t.Fatal(err)
		}
		seen++
		if seen == 2 {
			break
		}
	}
	if seen != 2 {
		t.Errorf("saw %d jobs before break, want 2", seen)
	}
}

func TestJobsDetectsChangedInput(t *testing.T) {
	const original = "client_id,user_id\n1,2\n3,4\n"
	tests := []struct {
		name    string
		changed string
	}{
		{"other size", "client_id,user_id\n1,2\n"},
		{"same size other pair", "client_id,user_id\n1,2\n3,5\n"},
		{"same size other order", "client_id,user_id\n3,4\n1,2\n"},
		{"same size same pairs", "client_id,user_id\n1,2\n3,4\r"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "pairs.csv")
			if err := os.WriteFile(path, []byte(original), 0o600); err != nil {
				t.Fatal(err)
			}
			src, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			ix, err := Scan(src)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(tc.changed), 0o600); err != nil {
				t.Fatal(err)
			}

			var errs []error
			for _, err := range ix.Jobs(src) {
				if err != nil {
					errs = append(errs, err)
				}
			}
			if len(errs) != 1 || !errors.Is(errs[0], ErrChanged) {
				t.Errorf("Jobs errors %v, want one wrapping ErrChanged", errs)
			}
		})
	}
}

func TestJobsReadErrorYieldedOnce(t *testing.T) {
	src := OpenBytes("t.csv", []byte("1,2\n"))
	ix, err := Scan(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}

	var errs []error
	for j, err := range ix.Jobs(src) {
		if err == nil {
			t.Errorf("job %+v yielded from a closed input", j)
			continue
		}
		errs = append(errs, err)
	}
	if len(errs) != 1 {
		t.Errorf("Jobs yielded %d errors, want 1: %v", len(errs), errs)
	}
}

func TestContains(t *testing.T) {
	ix, err := Scan(OpenBytes("approved.csv", []byte("client_id,user_id\n1,2\n0,5\n")))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		account, user int64
		want          bool
	}{
		{1, 2, true},
		{2, 1, false},
		{0, 5, false},
		{1, 3, false},
	}
	for _, tc := range tests {
		if got := ix.Contains(pair(tc.account, tc.user)); got != tc.want {
			t.Errorf("Contains(%d, %d) = %v, want %v", tc.account, tc.user, got, tc.want)
		}
	}
}
