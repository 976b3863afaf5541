//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package journal_test

import (
	"errors"
	"testing"

	"github.com/accessaudit/accessaudit/audit/journal"
)

func TestOpenLockedJournal(t *testing.T) {
	path := tempJournal(t)
	first := mustOpen(t, path, testHeader)

	if j, err := journal.Open(path, testHeader); !errors.Is(err, journal.ErrLocked) {
		if j != nil {
			j.Close()
		}
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	first.Close()
	second, err := journal.Open(path, testHeader)
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	second.Close()
}
