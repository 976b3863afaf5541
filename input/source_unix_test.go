//go:build unix

package input

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestOpenNamedPipeSpools(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pairs.fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	go func() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		f.WriteString(spoolInput)
		f.Close()
	}()

	src, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if !src.spool || src.Name() != path {
		t.Errorf("Open(fifo) = name %q, spooled %v; want the path, spooled", src.Name(), src.spool)
	}
	checkSpooledSource(t, src)
}
