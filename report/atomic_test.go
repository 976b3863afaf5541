package report

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

func TestRemoveStaleKeepsLiveWriters(t *testing.T) {
	dir := t.TempDir()

	// A process that has exited gives a PID that is no longer alive.
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skipf("cannot run true: %v", err)
	}
	deadPID := dead.ProcessState.Pid()

	live, err := createTemp(filepath.Join(dir, "report.json"), ".spool")
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	files := map[string]bool{ // name: want it removed
		filepath.Base(live.Name()):                              false,
		".report.json." + itoa(deadPID) + "-0123456789ab.spool": true,
		".report.xlsx." + itoa(deadPID) + "-0123456789ab.tmp":   true,
		".report.xlsx." + itoa(deadPID) + "-0123456789ab.other": false,
		"report.json": false,
		".notes." + itoa(deadPID) + "-0123456789ab":               false,
		".report.json." + itoa(deadPID) + "-0123456789abcd.spool": false,
	}
	for name := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	removed, err := RemoveStale(dir)
	if err != nil {
		t.Fatalf("RemoveStale: %v", err)
	}
	if len(removed) != 2 {
		t.Errorf("removed %v, want the two files of the dead writer", removed)
	}
	for name, wantRemoved := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if gone := os.IsNotExist(err); gone != wantRemoved {
			t.Errorf("%s removed = %v, want %v", name, gone, wantRemoved)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
