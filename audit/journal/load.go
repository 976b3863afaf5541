package journal

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// maxLineBytes is the maximum length of a journal line. The longest line
// this package writes contains a group name from a response body of at most
// audit.MaxBodyBytes (1 MiB), which JSON escaping can grow to 6 MiB. A line
// over 16 MiB therefore means the file is not a journal.
const maxLineBytes = 16 << 20

// load reads the file that Open locked: it writes the header into an empty
// file, checks the header of a non-empty one against h, loads the records
// and cuts off a torn or unreadable last line.
func (j *Journal) load(h Header) error {
	if _, err := j.file.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("reading journal %s: %w", j.path, err)
	}
	sc := bufio.NewScanner(j.file)
	sc.Buffer(make([]byte, 0, 64<<10), maxLineBytes)
	sc.Split(splitLines)

	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return j.scanError(err, 1)
		}
		return j.appendRaw(encodeHeader(h))
	}
	first := sc.Bytes()
	if err := j.checkHeader(first, h); err != nil {
		return err
	}
	end := int64(len(first))
	if first[len(first)-1] != '\n' {
		return j.repairHeader(first, h)
	}

	// A line that fails to parse is held back until the next line shows
	// that it was not the last one.
	var bad *LineError
	var badOffset int64
	complete := true // whether the last line read ends with a newline
	number := 2
	for ; sc.Scan(); number++ {
		if bad != nil {
			return bad
		}
		line := sc.Bytes()
		if err := j.loadResult(line); err != nil {
			bad = &LineError{Path: j.path, Line: number, Reason: err.Error()}
			badOffset = end
		}
		end += int64(len(line))
		complete = line[len(line)-1] == '\n'
	}
	if err := sc.Err(); err != nil {
		return j.scanError(err, number)
	}

	switch {
	case bad != nil:
		return j.truncate(badOffset)
	case !complete:
		// The last record is whole but its newline never reached the file.
		j.size = end
		return j.appendRaw([]byte{'\n'})
	}
	j.size = end
	return nil
}

// loadResult parses one result line, newline included, into the index.
func (j *Journal) loadResult(line []byte) error {
	d, err := decodeResult(bytes.TrimSuffix(line, []byte{'\n'}), j.records)
	if err != nil {
		return err
	}
	if d.final {
		j.records.put(d.pair, d.rec)
	} else {
		j.records.forget(d.pair)
	}
	return nil
}

// checkHeader parses line 1 and compares it with h. A torn line 1 that is
// the start of the header this run writes passes, since a crash while the
// journal was created leaves it behind. Anything else that does not parse
// is a *LineError: the file is not cut, because it may be another file
// passed by mistake.
func (j *Journal) checkHeader(first []byte, h Header) error {
	want := encodeHeader(h)
	if first[len(first)-1] != '\n' && bytes.HasPrefix(want, first) {
		return nil
	}
	recorded, err := decodeHeader(bytes.TrimSuffix(first, []byte{'\n'}))
	if err != nil {
		return &LineError{Path: j.path, Line: 1, Reason: err.Error()}
	}
	return recorded.compare(j.path, h)
}

// repairHeader handles a file that is only line 1 without its newline: a
// torn header is rewritten whole, a complete one gets its newline.
func (j *Journal) repairHeader(first []byte, h Header) error {
	want := encodeHeader(h)
	if bytes.Equal(first, want[:len(want)-1]) {
		j.size = int64(len(first))
		return j.appendRaw([]byte{'\n'})
	}
	if bytes.HasPrefix(want, first) {
		if err := j.truncate(0); err != nil {
			return err
		}
		return j.appendRaw(want)
	}
	// The header parsed and matched but is spelled differently, for example
	// by another encoder: keep it and end the line.
	j.size = int64(len(first))
	return j.appendRaw([]byte{'\n'})
}

// truncate cuts the file to size bytes, dropping a torn last line, and
// makes size the append position.
func (j *Journal) truncate(size int64) error {
	if err := j.file.Truncate(size); err != nil {
		return fmt.Errorf("cannot cut the torn last line of journal %s: %w", j.path, err)
	}
	j.size = size
	return nil
}

// appendRaw writes b at the end of the file during Open.
func (j *Journal) appendRaw(b []byte) error {
	n, err := j.file.Write(b)
	j.size += int64(n)
	if err != nil {
		return fmt.Errorf("writing journal %s: %w", j.path, err)
	}
	return nil
}

// scanError turns a failed read of the given line into an error.
func (j *Journal) scanError(err error, line int) error {
	if errors.Is(err, bufio.ErrTooLong) {
		return &LineError{Path: j.path, Line: line, Reason: fmt.Sprintf("line is longer than %d bytes, so the file is not a journal", maxLineBytes)}
	}
	return fmt.Errorf("reading journal %s: %w", j.path, err)
}

// splitLines is a bufio.SplitFunc that returns lines with their newline,
// so that their lengths add up to file offsets, and the last line with or
// without one.
func splitLines(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i+1], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}
