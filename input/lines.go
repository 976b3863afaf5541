package input

import (
	"bytes"
	"io"
)

// maxRowBytes is the longest row, in bytes of UTF-8 text, that the reader parses. It
// bounds memory when a file lacks line ends or an unclosed quote runs to the end of the
// file. A longer row is rejected.
const maxRowBytes = 1 << 20

// lineBufferSize is the initial size of the line buffer and of each read.
const lineBufferSize = 64 << 10

// lineReader splits text into physical lines at CRLF, LF or a lone CR, the way a text
// editor numbers them. Its buffer holds the current line, up to maxRowBytes, and one read.
type lineReader struct {
	r          io.Reader
	buf        []byte
	start, end int  // buf[start:end] is read but not yet returned
	eof        bool // r has no more data
	err        error
	discard    bool // the rest of an over-long line is being skipped
	number     int  // 1-based number of the line last returned

	// searched is how many bytes from start are known to hold no line end, so that a
	// long line is not searched again after each read.
	searched int
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: r, buf: make([]byte, lineBufferSize)}
}

// newTextLineReader returns a lineReader over text that is already in memory. It reads
// text in place and never writes to it.
func newTextLineReader(text []byte) *lineReader {
	return &lineReader{buf: text, end: len(text), eof: true}
}

// next returns the next line without its line end. The slice is valid until the next
// call. long reports that the line was longer than maxRowBytes and was cut there. ok is
// false at the end of the input and after a read error, which err then holds.
func (lr *lineReader) next() (line []byte, long, ok bool) {
	for {
		data := lr.buf[lr.start:lr.end]
		n, advance, found := lineEnd(data[lr.searched:], lr.eof)
		switch {
		case found:
			n += lr.searched
			advance += lr.searched
			lr.searched = 0
		case lr.eof && len(data) > 0:
			// The last line has no line end, and its start may have been searched already.
			n, advance, found = len(data), len(data), true
			lr.searched = 0
		}

		if lr.discard {
			lr.skipLongLine(data, advance, found)
			continue
		}

		switch {
		case found:
			lr.start += advance
			lr.number++
			if n > maxRowBytes {
				return data[:maxRowBytes], true, true
			}
			return data[:n], false, true

		case lr.eof:
			return nil, false, false

		case searchedLength(data) > maxRowBytes:
			// No line end in the first maxRowBytes bytes: return them and skip the rest
			// of the line on the next call.
			lr.start += maxRowBytes
			lr.number++
			lr.discard = true
			lr.searched = 0
			return data[:maxRowBytes], true, true
		}

		lr.searched = searchedLength(data)
		lr.fill()
	}
}

// searchedLength returns how many bytes of data, which holds no complete line, need no
// second search: all of them but a final CR, which a LF may follow.
func searchedLength(data []byte) int {
	if len(data) > 0 && data[len(data)-1] == '\r' {
		return len(data) - 1
	}
	return len(data)
}

// skipLongLine drops the rest of a line that next cut at maxRowBytes.
func (lr *lineReader) skipLongLine(data []byte, advance int, found bool) {
	switch {
	case found:
		lr.start += advance
		lr.discard = false
	case lr.eof:
		lr.start = lr.end
		lr.discard = false
	default:
		// Drop all but a final CR, which may be the first half of a CRLF.
		lr.start += searchedLength(data)
		lr.fill()
	}
}

// peek returns at least n bytes of the text not yet returned by next, or all of it when
// the input is shorter. The slice is valid until the next call of next.
func (lr *lineReader) peek(n int) []byte {
	for !lr.eof && lr.end-lr.start < n {
		lr.fill()
	}
	return lr.buf[lr.start:lr.end]
}

// fill moves the unread bytes to the front of the buffer, grows the buffer when they fill
// it, and reads once more.
func (lr *lineReader) fill() {
	if lr.start > 0 {
		copy(lr.buf, lr.buf[lr.start:lr.end])
		lr.end -= lr.start
		lr.start = 0
	}
	if lr.end == len(lr.buf) {
		grown := make([]byte, 2*len(lr.buf))
		copy(grown, lr.buf[:lr.end])
		lr.buf = grown
	}

	n, err := io.ReadAtLeast(lr.r, lr.buf[lr.end:], 1)
	lr.end += n
	if err == io.EOF {
		lr.eof = true
	} else if err != nil {
		lr.err = err
		lr.eof = true
	}
}

// lineEnd finds the first line end in data: CRLF, LF or a lone CR. It returns the length
// of the line and that length plus the line end. found is false when data contains no
// complete line yet, which includes a CR as the last byte (a LF may follow) unless
// atEOF. At EOF a last line without a line end counts as complete.
func lineEnd(data []byte, atEOF bool) (n, advance int, found bool) {
	lf := bytes.IndexByte(data, '\n')
	beforeLF := data
	if lf >= 0 {
		beforeLF = data[:lf]
	}
	cr := bytes.IndexByte(beforeLF, '\r')

	switch {
	case cr >= 0 && cr+1 < len(data):
		if data[cr+1] == '\n' {
			return cr, cr + 2, true
		}
		return cr, cr + 1, true
	case cr >= 0 && atEOF:
		return cr, cr + 1, true
	case cr >= 0:
		return 0, 0, false
	case lf >= 0:
		return lf, lf + 1, true
	case atEOF && len(data) > 0:
		return len(data), len(data), true
	}
	return 0, 0, false
}
