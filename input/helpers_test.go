package input

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"github.com/accessaudit/accessaudit/audit"
)

// pair returns the pair of account and user.
func pair(account, user int64) audit.Pair {
	return audit.Pair{ClientID: account, UserID: user}
}

// wantJob is an expected job. Its Seq must be its position in the list.
type wantJob struct {
	pair    audit.Pair
	lines   []int
	columns []string
}

// wantRejection is an expected rejected row. Every string in reason must occur in the
// reason, and text, when not empty, must equal the row text.
type wantRejection struct {
	line   int
	reason []string
	text   string
}

// collectJobs runs Jobs to the end and fails the test on an error.
func collectJobs(t testing.TB, ix *Index, src *Source) []audit.Job {
	t.Helper()
	var jobs []audit.Job
	for job, err := range ix.Jobs(src) {
		if err != nil {
			t.Fatalf("Jobs: %v", err)
		}
		jobs = append(jobs, job)
	}
	return jobs
}

// checkJobs compares jobs with want, including Seq, Line and the column count.
func checkJobs(t *testing.T, jobs []audit.Job, want []wantJob, columns int) {
	t.Helper()
	if len(jobs) != len(want) {
		t.Errorf("Jobs yielded %d jobs, want %d: %+v", len(jobs), len(want), jobs)
	}
	for i := range min(len(jobs), len(want)) {
		got, w := jobs[i], want[i]
		if got.Pair != w.pair {
			t.Errorf("job %d: pair %+v, want %+v", i, got.Pair, w.pair)
		}
		if got.Seq != i {
			t.Errorf("job %d: Seq %d", i, got.Seq)
		}
		if !slices.Equal(got.Lines, w.lines) {
			t.Errorf("job %d: Lines %v, want %v", i, got.Lines, w.lines)
		}
		if len(w.lines) > 0 && got.Line != w.lines[0] {
			t.Errorf("job %d: Line %d, want %d", i, got.Line, w.lines[0])
		}
		if len(got.Columns) != columns {
			t.Errorf("job %d: %d columns %q, want %d", i, len(got.Columns), got.Columns, columns)
		}
		if w.columns != nil && !slices.Equal(got.Columns, w.columns) {
			t.Errorf("job %d: Columns %q, want %q", i, got.Columns, w.columns)
		}
	}
}

// checkRejections compares the rejected rows with want.
func checkRejections(t *testing.T, got []Rejection, want []wantRejection) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d rejected rows, want %d: %v", len(got), len(want), got)
	}
	for i := range min(len(got), len(want)) {
		g, w := got[i], want[i]
		if g.Line != w.line {
			t.Errorf("rejection %d: line %d, want %d (%s)", i, g.Line, w.line, g.Reason)
		}
		for _, part := range w.reason {
			if !strings.Contains(g.Reason, part) {
				t.Errorf("rejection %d: reason %q lacks %q", i, g.Reason, part)
			}
		}
		if w.text != "" && g.Text != w.text {
			t.Errorf("rejection %d: text %q, want %q", i, g.Text, w.text)
		}
	}
}

// utf16LE encodes s as UTF-16 little endian, with a byte order mark when s starts with
// U+FEFF.
func utf16LE(s string) []byte {
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

// utf16BE encodes s as UTF-16 big endian, with a byte order mark when s starts with
// U+FEFF.
func utf16BE(s string) []byte {
	b, err := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}
