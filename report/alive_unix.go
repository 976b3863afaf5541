//go:build unix

package report

import (
	"errors"
	"syscall"
)

// processAlive reports whether a process with this ID exists. A process of
// another user counts as alive (EPERM).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
