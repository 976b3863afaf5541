package report

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
)

// createTemp creates a new, empty temporary file beside path, named
// ".<base>.<pid>-<random><suffix>", so a rename to path stays on one file
// system and RemoveStale can tell whether its writer is still alive. The
// file is created with mode 0666 before the umask, like any other file the
// user creates, and is never an existing file.
func createTemp(path, suffix string) (*os.File, error) {
	dir, base := filepath.Split(path)

	for range 100 {
		var random [6]byte
		_, _ = rand.Read(random[:])
		tag := strconv.Itoa(os.Getpid()) + "-" + hex.EncodeToString(random[:])
		name := filepath.Join(dir, "."+base+"."+tag+suffix)

		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("create temporary file for report %s: %w", path, err)
		}
		return f, nil
	}
	return nil, fmt.Errorf("create temporary file for report %s: 100 random names were taken; remove old .%s.* files in that folder", path, base)
}

// tempName matches the names createTemp gives; the first group is the
// writer's process ID.
var tempName = regexp.MustCompile(`^\..+\.([0-9]+)-[0-9a-f]{12}\.(spool|tmp)$`)

// RemoveStale deletes the temporary files that a report writer killed
// before it could clean up (SIGKILL, power loss) left in dir, and returns
// their paths. A file whose writer process is still running is kept, so
// runs that share an output folder do not disturb each other.
func RemoveStale(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, e := range entries {
		m := tempName.FindStringSubmatch(e.Name())
		if m == nil || e.IsDir() {
			continue
		}
		pid, err := strconv.Atoi(m[1])
		if err != nil || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if err := os.Remove(path); err == nil {
			removed = append(removed, path)
		}
	}
	return removed, nil
}

// commitTemp syncs tmp to disk, closes it and renames it to path. On error it
// removes tmp, so either path holds the complete file or nothing changed.
func commitTemp(tmp *os.File, path string) error {
	err := tmp.Sync()
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("write report %s: %w", path, err)
	}

	syncDir(filepath.Dir(path))
	return nil
}

// discardTemp closes and removes a temporary file. A nil f is allowed.
func discardTemp(f *os.File) error {
	if f == nil {
		return nil
	}
	_ = f.Close()
	if err := os.Remove(f.Name()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove temporary file %s: %w", f.Name(), err)
	}
	return nil
}

// syncDir syncs a folder so that a rename in it survives a crash. Errors are
// ignored because some systems (Windows among them) cannot sync a folder, and
// the file data itself is already on disk.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
