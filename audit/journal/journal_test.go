package journal_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/accessaudit/accessaudit/audit"
	"github.com/accessaudit/accessaudit/audit/journal"
)

func TestOpenCreatesHeader(t *testing.T) {
	path := tempJournal(t)
	j := mustOpen(t, path, testHeader)

	if got := readFile(t, path); got != headerLine {
		t.Errorf("new journal = %q, want %q", got, headerLine)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("mode = %v, want -rw-------", mode)
	}
	if j.Recorded() != 0 {
		t.Errorf("Recorded = %d, want 0", j.Recorded())
	}
}

func TestOpenEmptyFileGetsHeader(t *testing.T) {
	path := tempJournal(t)
	writeFile(t, path, "")
	mustOpen(t, path, testHeader)

	if got := readFile(t, path); got != headerLine {
		t.Errorf("journal = %q, want %q", got, headerLine)
	}
}

func TestResumeRoundTrip(t *testing.T) {
	path := tempJournal(t)
	results := sampleResults()

	// First run: every pair goes to next and lands in the journal.
	first := mustOpen(t, path, testHeader)
	fake := newFakeChecker(results)
	check := first.Checker(fake)
	for _, r := range results {
		got, err := check.Check(context.Background(), r.Job)
		if err != nil {
			t.Fatalf("first run, %v: %v", r.Pair, err)
		}
		sameAnswer(t, got, r)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(readFile(t, path), "\n"); got != 1+len(results) {
		t.Errorf("journal has %d lines, want header + %d", got, len(results))
	}

	// Second run: final pairs come from the journal, the error pair is retried.
	second := mustOpen(t, path, testHeader)
	if second.Recorded() != len(results)-1 {
		t.Errorf("Recorded = %d, want %d", second.Recorded(), len(results)-1)
	}
	fake = newFakeChecker(nil)
	check = second.Checker(fake)
	for i, r := range results {
		current := job(i+10, r.Pair) // the rerun's input may number lines differently
		got, err := check.Check(context.Background(), current)
		if err != nil {
			t.Fatalf("second run, %v: %v", r.Pair, err)
		}
		if r.Outcome == audit.OutcomeError {
			if calls := fake.callsFor(r.Pair); calls != 1 {
				t.Errorf("error pair %v: next called %d times, want 1", r.Pair, calls)
			}
			continue
		}
		if calls := fake.callsFor(r.Pair); calls != 0 {
			t.Errorf("final pair %v: next called %d times, want 0", r.Pair, calls)
		}
		sameAnswer(t, got, r)
		if got.Seq != current.Seq || got.Line != current.Line || got.Columns[0] != current.Columns[0] {
			t.Errorf("%v: Job = %+v, want the current input's %+v", r.Pair, got.Job, current)
		}
	}
	if second.Resumed() != len(results)-1 {
		t.Errorf("Resumed = %d, want %d", second.Resumed(), len(results)-1)
	}
}

func TestFinalReturnsRecordedOutcome(t *testing.T) {
	path := tempJournal(t)
	j := mustOpen(t, path, testHeader)
	check := j.Checker(newFakeChecker(sampleResults()))
	for _, r := range sampleResults() {
		if _, err := check.Check(context.Background(), r.Job); err != nil {
			t.Fatal(err)
		}
	}
	j.Close()

	reopened := mustOpen(t, path, testHeader)
	for _, r := range sampleResults() {
		got, ok := reopened.Final(r.Pair)
		if final := r.Outcome != audit.OutcomeError; ok != final {
			t.Errorf("Final(%v) ok = %v, want %v", r.Pair, ok, final)
			continue
		}
		if ok {
			sameAnswer(t, got, r)
		}
	}
	if _, ok := reopened.Final(pair(9999, 9999)); ok {
		t.Error("Final of an unrecorded pair is ok")
	}
}

func TestOpenHeaderMismatch(t *testing.T) {
	tests := []struct {
		name   string
		file   string // journal content; empty means one made for testHeader
		header journal.Header
		field  string
	}{
		{"input", "", journal.Header{InputSHA256: strings.Repeat("0", 64), BaseURL: testHeader.BaseURL, Mode: testHeader.Mode}, "input_sha256"},
		{"base URL", "", journal.Header{InputSHA256: testHeader.InputSHA256, BaseURL: "https://api.gcore.com", Mode: testHeader.Mode}, "base_url"},
		{"mode", "", journal.Header{InputSHA256: testHeader.InputSHA256, BaseURL: testHeader.BaseURL, Mode: "offboarding"}, "mode"},
		{"version", `{"journal_version":2,"input_sha256":"` + testHeader.InputSHA256 + `","base_url":"http://127.0.0.1:8080","mode":"audit"}` + "\n", testHeader, "journal_version"},
		{"torn header of another input", `{"journal_version":1,"input_sha256":"ffff`, testHeader, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tempJournal(t)
			if tt.file == "" {
				mustOpen(t, path, testHeader).Close()
			} else {
				writeFile(t, path, tt.file)
			}
			before := readFile(t, path)

			j, err := journal.Open(path, tt.header)
			if err == nil {
				j.Close()
				t.Fatal("Open succeeded, want an error")
			}
			if got := readFile(t, path); got != before {
				t.Errorf("refused journal changed from %q to %q", before, got)
			}
			if tt.field == "" {
				if !errors.Is(err, journal.ErrCorrupt) {
					t.Errorf("error %v is not ErrCorrupt", err)
				}
				return
			}
			if !errors.Is(err, journal.ErrMismatch) {
				t.Fatalf("error %v is not ErrMismatch", err)
			}
			var mismatch *journal.MismatchError
			if !errors.As(err, &mismatch) || mismatch.Field != tt.field {
				t.Errorf("error %v: want a MismatchError on %s", err, tt.field)
			}
			if !strings.Contains(err.Error(), mismatch.Recorded) || !strings.Contains(err.Error(), mismatch.Current) {
				t.Errorf("error %q does not show both values of %s", err, tt.field)
			}
			if !strings.Contains(err.Error(), "delete the journal") {
				t.Errorf("error %q does not say what to do", err)
			}
		})
	}
}

func TestOpenBaseURLTrailingSlash(t *testing.T) {
	path := tempJournal(t)
	mustOpen(t, path, testHeader).Close()

	h := testHeader
	h.BaseURL += "/"
	j, err := journal.Open(path, h)
	if err != nil {
		t.Fatalf("Open with %q after %q: %v", h.BaseURL, testHeader.BaseURL, err)
	}
	j.Close()
}

func TestOpenToleratesTornEnd(t *testing.T) {
	ok := record(5001, 1, "ok", `"http_status":200,"group_id":1,"group_name":"Administrators","error_kind":null,"error":null,"attempts":1`)
	notFound := record(5001, 2, "not_found", `"http_status":404,"error":"User not found","attempts":1`)
	tests := []struct {
		name     string
		content  string
		want     string // file content after Open
		recorded int
	}{
		{"torn last record", headerLine + ok + notFound[:30], headerLine + ok, 1},
		{"torn after the opening brace", headerLine + ok + "{", headerLine + ok, 1},
		{"unreadable last line with newline", headerLine + ok + "garbage\n", headerLine + ok, 1},
		{"empty last line", headerLine + ok + "\n", headerLine + ok, 1},
		{"last record without newline", headerLine + ok + strings.TrimSuffix(notFound, "\n"), headerLine + ok + notFound, 2},
		{"torn header", headerLine[:25], headerLine, 0},
		{"header without newline", strings.TrimSuffix(headerLine, "\n"), headerLine, 0},
		{"header and torn record", headerLine + ok[:10], headerLine, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tempJournal(t)
			writeFile(t, path, tt.content)

			j := mustOpen(t, path, testHeader)
			if got := readFile(t, path); got != tt.want {
				t.Errorf("after Open the journal is\n%q\nwant\n%q", got, tt.want)
			}
			if j.Recorded() != tt.recorded {
				t.Errorf("Recorded = %d, want %d", j.Recorded(), tt.recorded)
			}

			// The next append starts on a line of its own.
			extra := audit.Job{Pair: pair(7777, 7)}
			if _, err := j.Checker(newFakeChecker(nil)).Check(context.Background(), extra); err != nil {
				t.Fatal(err)
			}
			j.Close()
			reopened := mustOpen(t, path, testHeader)
			if _, ok := reopened.Final(extra.Pair); !ok {
				t.Errorf("appended pair missing after reopening:\n%s", readFile(t, path))
			}
			if reopened.Recorded() != tt.recorded+1 {
				t.Errorf("Recorded after append = %d, want %d", reopened.Recorded(), tt.recorded+1)
			}
		})
	}
}

func TestOpenRejectsDamagedLine(t *testing.T) {
	ok := record(5001, 1, "ok", `"http_status":200,"group_id":1,"attempts":1`)
	tests := []struct {
		name    string
		content string
		line    int
	}{
		{"torn middle line", headerLine + ok + ok[:20] + "\n" + ok, 3},
		{"garbage middle line", headerLine + "garbage\n" + ok, 2},
		{"empty middle line", headerLine + ok + "\n" + ok, 3},
		{"unknown outcome", headerLine + record(5001, 1, "maybe", "") + ok, 2},
		{"missing outcome", headerLine + `{"client_id":1,"user_id":2}` + "\n" + ok, 2},
		{"zero client ID", headerLine + record(0, 1, "ok", "") + ok, 2},
		{"negative user ID", headerLine + record(5, -1, "ok", "") + ok, 2},
		{"ID as string", headerLine + `{"client_id":"5","user_id":1,"outcome":"ok"}` + "\n" + ok, 2},
		{"status out of range", headerLine + record(5, 1, "ok", `"http_status":1000`) + ok, 2},
		{"negative attempts", headerLine + record(5, 1, "ok", `"attempts":-1`) + ok, 2},
		{"trailing data", headerLine + strings.TrimSuffix(ok, "\n") + " {}\n" + ok, 2},
		{"CSV file", "client_id,user_id\n5001,1\n", 1},
		{"single CSV line", "client_id,user_id", 1},
		{"header missing mode", `{"journal_version":1,"input_sha256":"x","base_url":"y"}` + "\n", 1},
		{"record as first line", ok, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tempJournal(t)
			writeFile(t, path, tt.content)

			j, err := journal.Open(path, testHeader)
			if err == nil {
				j.Close()
				t.Fatal("Open succeeded, want an error")
			}
			var lineErr *journal.LineError
			if !errors.As(err, &lineErr) {
				t.Fatalf("error %v is not a LineError", err)
			}
			if lineErr.Line != tt.line {
				t.Errorf("error names line %d, want %d: %v", lineErr.Line, tt.line, err)
			}
			if !errors.Is(err, journal.ErrCorrupt) {
				t.Errorf("error %v is not ErrCorrupt", err)
			}
			if got := readFile(t, path); got != tt.content {
				t.Errorf("damaged file changed from %q to %q", tt.content, got)
			}
		})
	}
}

func TestOpenLaterRecordWins(t *testing.T) {
	p := pair(5001, 1)
	tests := []struct {
		name    string
		lines   []string
		final   bool
		outcome audit.Outcome
		groupID int64
	}{
		{"ok then ok", []string{record(5001, 1, "ok", `"group_id":5`), record(5001, 1, "ok", `"group_id":1`)}, true, audit.OutcomeOK, 1},
		{"error then not_found", []string{record(5001, 1, "error", `"error_kind":"timeout"`), record(5001, 1, "not_found", "")}, true, audit.OutcomeNotFound, 0},
		{"ok then error", []string{record(5001, 1, "ok", `"group_id":1`), record(5001, 1, "error", `"error_kind":"network"`)}, false, "", 0},
		{"forbidden then ok", []string{record(5001, 1, "forbidden", ""), record(5001, 1, "ok", `"group_id":2`)}, true, audit.OutcomeOK, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tempJournal(t)
			writeFile(t, path, headerLine+strings.Join(tt.lines, ""))

			j := mustOpen(t, path, testHeader)
			got, ok := j.Final(p)
			if ok != tt.final {
				t.Fatalf("Final ok = %v, want %v", ok, tt.final)
			}
			if !ok {
				return
			}
			if got.Outcome != tt.outcome {
				t.Errorf("Outcome = %q, want %q", got.Outcome, tt.outcome)
			}
			if tt.groupID != 0 && (got.GroupID == nil || *got.GroupID != tt.groupID) {
				t.Errorf("GroupID = %v, want %d", show(got.GroupID), tt.groupID)
			}
		})
	}
}

func TestRemoveDeletesJournal(t *testing.T) {
	path := tempJournal(t)
	j := mustOpen(t, path, testHeader)

	if err := j.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("journal still exists after Remove: %v", err)
	}
	_, err := j.Checker(newFakeChecker(nil)).Check(context.Background(), audit.Job{Pair: pair(1, 1)})
	if !errors.Is(err, journal.ErrWrite) {
		t.Errorf("append after Remove: %v, want ErrWrite", err)
	}
	if err := j.Close(); err != nil {
		t.Errorf("Close after Remove: %v", err)
	}
}

func TestCloseTwice(t *testing.T) {
	j := mustOpen(t, tempJournal(t), testHeader)
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
