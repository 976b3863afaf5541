//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package journal

import (
	"errors"
	"os"
	"syscall"
)

// lock takes an exclusive flock(2) on f without waiting, so that two runs
// never append to one journal. The kernel releases it when f is closed or
// the process dies. A file system that does not support flock (ENOLCK,
// EOPNOTSUPP) leaves the journal unlocked rather than unusable.
func lock(f *os.File) error {
	conn, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var flockErr error
	err = conn.Control(func(fd uintptr) {
		flockErr = syscall.Flock(int(fd), syscall.LOCK_EX|syscall.LOCK_NB)
	})
	if err != nil {
		return err
	}
	switch {
	case errors.Is(flockErr, syscall.EWOULDBLOCK):
		return ErrLocked
	case errors.Is(flockErr, syscall.ENOLCK), errors.Is(flockErr, syscall.EOPNOTSUPP):
		return nil
	}
	return flockErr
}
