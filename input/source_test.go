package input

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

const spoolInput = "client_id,user_id,email\n1,2,a\n1,3,b\n1,2,c\n"

// checkSpooledSource scans src twice and reads its jobs, as a run does, and checks the
// result against spoolInput.
func checkSpooledSource(t *testing.T, src *Source) {
	t.Helper()
	for range 2 {
		ix, err := Scan(src)
		if err != nil {
			t.Fatalf("Scan: %v", err)
		}
		if ix.Rows != 3 || ix.Pairs != 2 || ix.Duplicates != 1 {
			t.Errorf("Rows %d, Pairs %d, Duplicates %d; want 3, 2, 1", ix.Rows, ix.Pairs, ix.Duplicates)
		}
		jobs := collectJobs(t, ix, src)
		checkJobs(t, jobs, []wantJob{job(1, 2, at(2, 4), "a"), job(1, 3, at(3), "b")}, 1)
	}
}

func TestOpenReaderSpools(t *testing.T) {
	src, err := OpenReader("-", iotest.OneByteReader(strings.NewReader(spoolInput)))
	if err != nil {
		t.Fatal(err)
	}
	if src.Name() != "-" {
		t.Errorf("Name() = %q, want -", src.Name())
	}
	checkSpooledSource(t, src)

	spool := src.path
	if err := src.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := os.Stat(spool); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("spool file %s still exists after Close: %v", spool, err)
	}
	if err := src.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := Scan(src); err == nil {
		t.Error("Scan after Close succeeded")
	}
}

func TestOpenReaderReadError(t *testing.T) {
	failure := errors.New("connection reset")
	r := io.MultiReader(strings.NewReader("1,2\n"), iotest.ErrReader(failure))
	_, err := OpenReader("-", r)
	if !errors.Is(err, failure) {
		t.Fatalf("OpenReader error %v, want %v", err, failure)
	}
	if !strings.Contains(err.Error(), "read standard input") {
		t.Errorf("error %q does not name standard input", err)
	}
}

// TestOpenStdin replaces os.Stdin, so it must not run in parallel.
func TestOpenStdin(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stdin.csv")
	if err := os.WriteFile(path, []byte(spoolInput), 0o600); err != nil {
		t.Fatal(err)
	}
	stdin, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	saved := os.Stdin
	os.Stdin = stdin
	defer func() { os.Stdin = saved }()

	src, err := Open("-")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Name() != "-" || !src.spool {
		t.Errorf("Open(\"-\") = name %q, spooled %v; want -, true", src.Name(), src.spool)
	}
	checkSpooledSource(t, src)
}

func TestOpenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pairs.csv")
	if err := os.WriteFile(path, []byte(spoolInput), 0o600); err != nil {
		t.Fatal(err)
	}
	src, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if src.Name() != path || src.spool {
		t.Errorf("Open(%q) = name %q, spooled %v; want the path, not spooled", path, src.Name(), src.spool)
	}
	checkSpooledSource(t, src)
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("Close removed the user's file: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		path string
		want string
	}{
		{"missing file", filepath.Join(dir, "missing.csv"), "no such file"},
		{"directory", dir, "is a directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(tc.path)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
				t.Errorf("Open(%q) error %v, want one naming the path and %q", tc.path, err, tc.want)
			}
		})
	}
}

func TestScanReadError(t *testing.T) {
	// Opening a directory succeeds and reading it fails, like a disk error.
	src := &Source{name: "pairs.csv", path: t.TempDir()}
	_, err := Scan(src)
	if err == nil || !strings.HasPrefix(err.Error(), "read pairs.csv: ") {
		t.Errorf("Scan error %v, want a read error naming the input", err)
	}
}
