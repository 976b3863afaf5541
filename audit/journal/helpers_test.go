package journal_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/accessaudit/accessaudit/audit"
	"github.com/accessaudit/accessaudit/audit/journal"
)

var testHeader = journal.Header{
	InputSHA256: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
	BaseURL:     "http://127.0.0.1:8080",
	Mode:        "audit",
}

// headerLine is the first line Open writes for testHeader.
const headerLine = `{"journal_version":1,"input_sha256":"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae","base_url":"http://127.0.0.1:8080","mode":"audit"}` + "\n"

func ptr[T any](v T) *T { return &v }

func pair(client, user int64) audit.Pair { return audit.Pair{ClientID: client, UserID: user} }

// job returns the job for a pair as the input would give it, with the
// input context that a resumed result must carry.
func job(seq int, p audit.Pair) audit.Job {
	return audit.Job{Pair: p, Seq: seq, Line: seq + 2, Lines: []int{seq + 2}, Columns: []string{"user" + strconv.Itoa(seq) + "@example.com"}}
}

// sampleResults is one result of each kind the client returns.
func sampleResults() []audit.Result {
	return []audit.Result{
		{Job: job(0, pair(5001, 1)), Outcome: audit.OutcomeOK, HTTPStatus: 200, GroupID: ptr[int64](1), GroupName: ptr("Administrators"), Attempts: 1},
		{Job: job(1, pair(5001, 2)), Outcome: audit.OutcomeOK, HTTPStatus: 200, GroupName: ptr(" administrators "), Attempts: 3},
		{Job: job(2, pair(5001, 3)), Outcome: audit.OutcomeOK, HTTPStatus: 200, GroupID: ptr[int64](3022), GroupName: ptr(""), Attempts: 1},
		{Job: job(3, pair(5002, 1)), Outcome: audit.OutcomeForbidden, HTTPStatus: 403, Error: "no permission", Attempts: 1},
		{Job: job(4, pair(5003, 9)), Outcome: audit.OutcomeNotFound, HTTPStatus: 404, Error: "User not found", Attempts: 2},
		{Job: job(5, pair(5004, 4)), Outcome: audit.OutcomeError, HTTPStatus: 503, ErrorKind: audit.KindServerError, Error: "HTTP 503 Service Unavailable (gave up after 6 attempts)", Attempts: 6},
	}
}

// fakeChecker returns canned results and counts calls per pair. A pair
// without a canned result gets err, or an ok result when err is nil.
type fakeChecker struct {
	results map[audit.Pair]audit.Result
	err     error

	mu    sync.Mutex
	calls map[audit.Pair]int
}

func newFakeChecker(results []audit.Result) *fakeChecker {
	f := &fakeChecker{results: make(map[audit.Pair]audit.Result), calls: make(map[audit.Pair]int)}
	for _, r := range results {
		f.results[r.Pair] = r
	}
	return f
}

func (f *fakeChecker) Check(_ context.Context, job audit.Job) (audit.Result, error) {
	f.mu.Lock()
	f.calls[job.Pair]++
	f.mu.Unlock()

	if r, ok := f.results[job.Pair]; ok {
		r.Job = job
		return r, nil
	}
	if f.err != nil {
		return audit.Result{Job: job}, f.err
	}
	return audit.Result{Job: job, Outcome: audit.OutcomeOK, HTTPStatus: 200, GroupID: ptr[int64](2), GroupName: ptr("Users"), Attempts: 1}, nil
}

func (f *fakeChecker) callsFor(p audit.Pair) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[p]
}

func (f *fakeChecker) totalCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		n += c
	}
	return n
}

func tempJournal(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "run.journal")
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func mustOpen(t *testing.T, path string, h journal.Header) *journal.Journal {
	t.Helper()
	j, err := journal.Open(path, h)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { _ = j.Close() })
	return j
}

// record returns a result line as the journal writes it.
func record(client, user int64, outcome string, rest string) string {
	line := `{"client_id":` + strconv.FormatInt(client, 10) + `,"user_id":` + strconv.FormatInt(user, 10) + `,"outcome":"` + outcome + `"`
	if rest != "" {
		line += "," + rest
	}
	return line + "}\n"
}

// sameAnswer compares the fields a journal records.
func sameAnswer(t *testing.T, got, want audit.Result) {
	t.Helper()
	if got.Outcome != want.Outcome {
		t.Errorf("%v: Outcome = %q, want %q", want.Pair, got.Outcome, want.Outcome)
	}
	if got.HTTPStatus != want.HTTPStatus {
		t.Errorf("%v: HTTPStatus = %d, want %d", want.Pair, got.HTTPStatus, want.HTTPStatus)
	}
	if !equalPtr(got.GroupID, want.GroupID) {
		t.Errorf("%v: GroupID = %v, want %v", want.Pair, show(got.GroupID), show(want.GroupID))
	}
	if !equalPtr(got.GroupName, want.GroupName) {
		t.Errorf("%v: GroupName = %v, want %v", want.Pair, show(got.GroupName), show(want.GroupName))
	}
	if got.ErrorKind != want.ErrorKind {
		t.Errorf("%v: ErrorKind = %q, want %q", want.Pair, got.ErrorKind, want.ErrorKind)
	}
	if got.Error != want.Error {
		t.Errorf("%v: Error = %q, want %q", want.Pair, got.Error, want.Error)
	}
	if got.Attempts != want.Attempts {
		t.Errorf("%v: Attempts = %d, want %d", want.Pair, got.Attempts, want.Attempts)
	}
}

func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func show[T any](p *T) any {
	if p == nil {
		return "nil"
	}
	return *p
}
