package input

import (
	"errors"
	"fmt"
	"math"

	"github.com/accessaudit/accessaudit/audit"
)

// Index is the result of Scan: the format of an input, its counts, its rejected rows and
// its unique pairs. Its memory is about 24 bytes per unique pair, the later lines of
// repeated pairs and the rejected rows. An Index is safe for concurrent use once Scan has
// returned it.
type Index struct {
	SHA256     string      // hex SHA-256 of the raw input bytes
	Size       int64       // length of the raw input in bytes
	Encoding   string      // one of the Encoding constants
	Delimiter  rune        // ',', ';', tab, or the one an Excel separator line names
	SepLine    bool        // line 1 is an Excel separator line such as sep=;
	HeaderLine int         // 1-based line of the header row; 0 when the input has none
	Columns    []string    // names of the extra columns, in input order; never nil
	Rows       int         // data rows read, without header, separator, blank and comment lines
	Pairs      int         // unique valid pairs
	Duplicates int         // valid rows that repeat the pair of an earlier row
	Rejected   []Rejection // rejected rows in line order

	name      string
	layout    layout
	seq       *pairIndex      // 0-based sequence number of each unique pair
	moreLines map[int32][]int // lines after the first of the pairs that repeat
}

// Rejection is a row that is not a valid pair.
type Rejection struct {
	Line   int    // 1-based physical line where the row starts
	Reason string // the problem, naming the value, and the fix
	Text   string // the row as written, lines joined by "\n", cut at 4 KiB and then ending with "…"
}

// String returns the rejection as "line N: reason".
func (r Rejection) String() string {
	return fmt.Sprintf("line %d: %s", r.Line, r.Reason)
}

// ErrChanged is wrapped by the error that Jobs yields when the input differs from the one
// that Scan read.
var ErrChanged = errors.New("input changed after it was scanned")

// Scan reads the whole input once. It detects the encoding, delimiter and header,
// validates every row, hashes the raw bytes and indexes the unique pairs. Rejected rows
// are no error, and Index.Rejected lists them. Scan returns an error only when the input
// cannot be read, or a *HeaderError when the header lacks the account or user column.
func Scan(s *Source) (*Index, error) {
	st, err := openStream(s)
	if err != nil {
		return nil, err
	}
	defer st.close()

	ix := &Index{
		Encoding:  st.encoding,
		name:      s.name,
		seq:       newPairIndex(),
		moreLines: make(map[int32][]int),
	}
	ix.readDelimiter(st.lines)

	p := parser{lines: st.lines, delim: byte(ix.Delimiter)}
	var r record
	var l *layout
	for p.next(&r) {
		if l == nil {
			if isHeader(&r) {
				if l, err = headerLayout(s.name, &r); err != nil {
					return nil, err
				}
				ix.HeaderLine = r.line
				continue
			}
			l = headerlessLayout()
		}
		if l.width == 0 && r.problem == "" {
			l.setWidth(&r)
		}

		if err := ix.addRow(l, &r); err != nil {
			return nil, err
		}
	}
	if st.lines.err != nil {
		return nil, readError(s, st.lines.err)
	}

	if l == nil {
		l = headerlessLayout()
	}
	ix.layout = *l
	ix.Columns = append([]string{}, l.columns...)
	ix.SHA256 = st.raw.sum()
	ix.Size = st.raw.n
	return ix, nil
}

// readDelimiter sets the delimiter from an Excel separator line, which it consumes, or
// detects it from the first rows.
func (ix *Index) readDelimiter(lines *lineReader) {
	sample := lines.peek(sampleBytes)
	n, _, _ := lineEnd(sample, true)
	if delim, ok := parseSepLine(sample[:n]); ok {
		lines.next()
		ix.SepLine = true
		ix.Delimiter = rune(delim)
		return
	}
	ix.Delimiter = rune(detectDelimiter(sample, lines.eof))
}

// addRow counts data row r and files it as a rejection, a new pair or a duplicate.
func (ix *Index) addRow(l *layout, r *record) error {
	ix.Rows++
	pair, reason := l.classify(r)
	if reason != "" {
		ix.Rejected = append(ix.Rejected, Rejection{Line: r.line, Reason: reason, Text: r.rejectedText()})
		return nil
	}

	if ix.seq.len() == math.MaxInt32 && !ix.Contains(pair) {
		return fmt.Errorf("%s: line %d: more than %d unique pairs; split the input", displayName(ix.name), r.line, math.MaxInt32)
	}
	if seq, added := ix.seq.add(pair); !added {
		ix.Duplicates++
		ix.moreLines[seq] = append(ix.moreLines[seq], r.line)
		return nil
	}
	ix.Pairs++
	return nil
}

// Contains reports whether p is among the valid pairs of the input.
func (ix *Index) Contains(p audit.Pair) bool {
	_, ok := ix.seq.lookup(p)
	return ok
}

// readError wraps an error that occurred while reading s.
func readError(s *Source, err error) error {
	return fmt.Errorf("read %s: %w", displayName(s.name), err)
}
