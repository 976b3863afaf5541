package journal

import "os"

// ReplaceFile swaps the file that appends go to, so tests can make writes
// fail. It returns the file it replaced.
func (j *Journal) ReplaceFile(f *os.File) *os.File {
	j.mu.Lock()
	defer j.mu.Unlock()
	old := j.file
	j.file = f
	return old
}
