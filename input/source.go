package input

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// Source is an input that can be read more than once: Scan reads it, then Jobs reads it
// again. Each read opens its own reader, so reads may overlap, but Close must come after
// the last one. Close removes the temporary copy that Open and OpenReader make of
// standard input, pipes and other readers.
type Source struct {
	name   string
	path   string // file that each pass opens; "" when data holds the input
	data   []byte // the input itself, for OpenBytes
	spool  bool   // path is a temporary copy that Close removes
	closed bool
}

// Open returns the input at path, as the user gave it. The path "-" is standard input.
// Standard input, named pipes and other files that cannot be read twice are copied to a
// temporary file first, so the call reads them to the end before it returns.
func Open(path string) (*Source, error) {
	if path == "-" {
		return OpenReader("-", os.Stdin)
	}

	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s is a directory; give the path of a CSV file", path)
	}
	if !info.Mode().IsRegular() {
		return OpenReader(path, f)
	}
	return &Source{name: path, path: path}, nil
}

// OpenReader copies r to a temporary file and returns it as a Source named name in
// messages. It reads r to the end before it returns. A read error removes the copy.
func OpenReader(name string, r io.Reader) (*Source, error) {
	f, err := os.CreateTemp("", "accessaudit-input-*.csv")
	if err != nil {
		return nil, fmt.Errorf("copy %s to a temporary file: %w", displayName(name), err)
	}

	_, copyErr := io.Copy(f, r)
	closeErr := f.Close()
	if copyErr != nil || closeErr != nil {
		os.Remove(f.Name())
		if copyErr != nil {
			return nil, fmt.Errorf("read %s: %w", displayName(name), copyErr)
		}
		return nil, fmt.Errorf("copy %s to a temporary file: %w", displayName(name), closeErr)
	}
	return &Source{name: name, path: f.Name(), spool: true}, nil
}

// OpenBytes returns data as a Source named name in messages. The Source keeps data and
// reads it in place, so the caller must not change data while the Source is in use.
func OpenBytes(name string, data []byte) *Source {
	return &Source{name: name, data: data}
}

// Name returns the path as the user gave it, "-" for standard input.
func (s *Source) Name() string { return s.name }

// Close removes the temporary copy of the input, if there is one. Later reads fail.
// Calling Close more than once is harmless.
func (s *Source) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	if s.spool {
		return os.Remove(s.path)
	}
	return nil
}

// open returns a new reader positioned at the start of the input.
func (s *Source) open() (io.ReadCloser, error) {
	if s.closed {
		return nil, fmt.Errorf("read %s: the input is closed", displayName(s.name))
	}
	if s.path == "" {
		return io.NopCloser(bytes.NewReader(s.data)), nil
	}

	f, err := os.Open(s.path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", displayName(s.name), err)
	}
	return f, nil
}

// size returns the current size of a file-backed input in bytes, or -1 when it cannot
// tell.
func (s *Source) size() int64 {
	if s.path == "" {
		return int64(len(s.data))
	}
	info, err := os.Stat(s.path)
	if err != nil {
		return -1
	}
	return info.Size()
}

// displayName returns the name to use in messages: the path, or "standard input" for "-".
func displayName(name string) string {
	if name == "-" {
		return "standard input"
	}
	return name
}
