package input

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/accessaudit/accessaudit/audit"
)

// FuzzScan checks the invariants of Scan and Jobs on any input: no panic, the counts add
// up, and every row is accounted for exactly once by a job line or a rejection.
func FuzzScan(f *testing.F) {
	for _, tc := range scanCases() {
		if len(tc.input) < 4096 {
			f.Add(tc.input)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		src := OpenBytes("fuzz.csv", data)
		ix, err := Scan(src)
		if err != nil {
			var headerErr *HeaderError
			if !errors.As(err, &headerErr) {
				t.Fatalf("Scan error %v is no *HeaderError", err)
			}
			return
		}
		checkIndexInvariants(t, ix, collectJobs(t, ix, src))
	})
}

// checkIndexInvariants checks what holds for every index and its jobs.
func checkIndexInvariants(t *testing.T, ix *Index, jobs []audit.Job) {
	t.Helper()
	if ix.Rows != ix.Pairs+len(ix.Rejected)+ix.Duplicates {
		t.Fatalf("Rows %d != Pairs %d + rejected %d + Duplicates %d", ix.Rows, ix.Pairs, len(ix.Rejected), ix.Duplicates)
	}
	if len(jobs) != ix.Pairs {
		t.Fatalf("Jobs yielded %d jobs, Pairs is %d", len(jobs), ix.Pairs)
	}

	rowLines := make(map[int]bool, ix.Rows)
	addLine := func(line int, what string) {
		if line < 1 || line <= ix.HeaderLine {
			t.Fatalf("%s on line %d, header on line %d", what, line, ix.HeaderLine)
		}
		if rowLines[line] {
			t.Fatalf("line %d starts two rows (%s)", line, what)
		}
		rowLines[line] = true
	}

	duplicates := 0
	for i, j := range jobs {
		if j.Seq != i || len(j.Lines) == 0 || j.Line != j.Lines[0] {
			t.Fatalf("job %d: Seq %d, Line %d, Lines %v", i, j.Seq, j.Line, j.Lines)
		}
		if !slices.IsSorted(j.Lines) {
			t.Fatalf("job %d: Lines %v not ascending", i, j.Lines)
		}
		if len(j.Columns) != len(ix.Columns) {
			t.Fatalf("job %d: %d columns, index has %d", i, len(j.Columns), len(ix.Columns))
		}
		if j.ClientID <= 0 || j.UserID <= 0 || !ix.Contains(j.Pair) {
			t.Fatalf("job %d: pair %+v", i, j.Pair)
		}
		for _, line := range j.Lines {
			addLine(line, fmt.Sprintf("job %d", i))
		}
		duplicates += len(j.Lines) - 1
	}
	if duplicates != ix.Duplicates {
		t.Fatalf("jobs list %d repeated lines, Duplicates is %d", duplicates, ix.Duplicates)
	}

	for i, r := range ix.Rejected {
		if i > 0 && r.Line <= ix.Rejected[i-1].Line {
			t.Fatalf("rejections out of line order: %d after %d", r.Line, ix.Rejected[i-1].Line)
		}
		if r.Reason == "" {
			t.Fatalf("rejection on line %d has no reason", r.Line)
		}
		addLine(r.Line, "rejection")
	}
	if len(rowLines) != ix.Rows {
		t.Fatalf("%d distinct row lines, Rows is %d", len(rowLines), ix.Rows)
	}
}

// FuzzRoundTrip writes pairs with notes through encoding/csv, in every delimiter, line end
// and encoding, and checks that Scan and Jobs read back the same pairs, notes and lines.
func FuzzRoundTrip(f *testing.F) {
	f.Add(uint8(0), int64(1), int64(2), "alice", int64(3), int64(4), "multi\nline \"note\"")
	f.Add(uint8(7), int64(5001), int64(42), " spaced, ", int64(5001), int64(42), "dup")
	f.Add(uint8(13), int64(9223372036854775807), int64(1), "\r", int64(7), int64(8), "a;b\tc")
	f.Fuzz(func(t *testing.T, options uint8, a1, u1 int64, n1 string, a2, u2 int64, n2 string) {
		if a1 <= 0 || u1 <= 0 || a2 <= 0 || u2 <= 0 {
			t.Skip()
		}
		format := roundTripFormats[int(options)%len(roundTripFormats)]
		if format.utf16 != nil {
			n1, n2 = strings.ToValidUTF8(n1, "\ufffd"), strings.ToValidUTF8(n2, "\ufffd")
		}
		rows := [][]string{
			{fmt.Sprint(a1), fmt.Sprint(u1), n1},
			{fmt.Sprint(a2), fmt.Sprint(u2), n2},
		}

		data, lines := format.write(t, rows)
		src := OpenBytes("roundtrip.csv", data)
		ix, err := Scan(src)
		if err != nil {
			t.Fatalf("Scan(%q): %v", data, err)
		}
		jobs := collectJobs(t, ix, src)
		checkIndexInvariants(t, ix, jobs)

		want := []wantJob{{pair: pair(a1, u1), lines: []int{lines[0]}, columns: []string{readBack(n1, format.crlf)}}}
		if pair(a1, u1) == pair(a2, u2) {
			want[0].lines = append(want[0].lines, lines[1])
		} else {
			want = append(want, wantJob{pair: pair(a2, u2), lines: []int{lines[1]}, columns: []string{readBack(n2, format.crlf)}})
		}
		if len(ix.Rejected) != 0 || rune(format.delim) != ix.Delimiter {
			t.Fatalf("input %q: delimiter %q, rejected %v", data, ix.Delimiter, ix.Rejected)
		}
		checkJobs(t, jobs, want, 1)
	})
}

// readBack returns a note as the reader returns it after encoding/csv wrote it: line ends
// become "\n" and surrounding white space goes. With crlf the writer drops every CR and
// writes LF as CRLF.
func readBack(note string, crlf bool) string {
	if crlf {
		note = strings.ReplaceAll(note, "\r", "")
	}
	note = strings.ReplaceAll(note, "\r\n", "\n")
	note = strings.ReplaceAll(note, "\r", "\n")
	return string(trimSpace([]byte(note)))
}

// roundTripFormat is one way to write a CSV file.
type roundTripFormat struct {
	delim byte
	crlf  bool
	sep   bool   // write an Excel separator line first
	bom   []byte // UTF-8 byte order mark, or nil
	utf16 func(string) []byte
}

var roundTripFormats = []roundTripFormat{
	{delim: ','},
	{delim: ',', crlf: true},
	{delim: ';', crlf: true},
	{delim: '\t'},
	{delim: ';', sep: true},
	{delim: ',', bom: []byte("\ufeff")},
	{delim: '\t', crlf: true, utf16: func(s string) []byte { return utf16LE("\ufeff" + s) }},
	{delim: ';', utf16: func(s string) []byte { return utf16BE("\ufeff" + s) }},
	{delim: ',', sep: true, crlf: true},
}

// write returns the CSV text of rows under a header, and the line on which each row
// starts.
func (format roundTripFormat) write(t *testing.T, rows [][]string) ([]byte, []int) {
	var buf bytes.Buffer
	line := 1
	if format.sep {
		fmt.Fprintf(&buf, "sep=%c\n", format.delim)
		line++
	}

	w := csv.NewWriter(&buf)
	w.Comma = rune(format.delim)
	w.UseCRLF = format.crlf
	starts := make([]int, len(rows))
	all := append([][]string{{"client_id", "user_id", "note"}}, rows...)
	for i, row := range all {
		before := buf.Len()
		if err := w.Write(row); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		if i > 0 {
			starts[i-1] = line
		}
		line += countLineEnds(buf.Bytes()[before:])
	}

	text := append(slices.Clone(format.bom), buf.Bytes()...)
	if format.utf16 != nil {
		if !utf8.Valid(text) {
			t.Skip()
		}
		return format.utf16(string(text)), starts
	}
	return text, starts
}

// countLineEnds counts CRLF, LF and lone CR.
func countLineEnds(b []byte) int {
	n := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\n':
			n++
		case '\r':
			n++
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
		}
	}
	return n
}
