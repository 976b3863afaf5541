package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/accessaudit/accessaudit/audit"
)

// reportDoc mirrors the JSON report, with pointers where the report may hold
// null, so decoding with DisallowUnknownFields checks every field name.
type reportDoc struct {
	ReportVersion *int        `json:"report_version"`
	Tool          *Tool       `json:"tool"`
	Run           *runDoc     `json:"run"`
	Summary       *summaryDoc `json:"summary"`
	Results       []resultDoc `json:"results"`
	Rejected      []Rejection `json:"rejected"`
}

type runDoc struct {
	StartedAt     string  `json:"started_at"`
	FinishedAt    string  `json:"finished_at"`
	Complete      bool    `json:"complete"`
	Interrupted   bool    `json:"interrupted"`
	Mode          string  `json:"mode"`
	BaseURL       string  `json:"base_url"`
	RatePerSecond float64 `json:"rate_per_second"`
	Burst         int     `json:"burst"`
	Concurrency   int     `json:"concurrency"`
	Input         Input   `json:"input"`
}

type summaryDoc struct {
	Pairs                    int            `json:"pairs"`
	OK                       int            `json:"ok"`
	NotFound                 int            `json:"not_found"`
	Forbidden                int            `json:"forbidden"`
	Error                    int            `json:"error"`
	Administrators           int            `json:"administrators"`
	UnapprovedAdministrators *int           `json:"unapproved_administrators"`
	StillHasAccess           int            `json:"still_has_access"`
	Groups                   map[string]int `json:"groups"`
}

type resultDoc struct {
	Line           int               `json:"line"`
	Lines          []int             `json:"lines"`
	ClientID       int64             `json:"client_id"`
	UserID         int64             `json:"user_id"`
	Outcome        string            `json:"outcome"`
	HTTPStatus     int               `json:"http_status"`
	GroupID        *int64            `json:"group_id"`
	GroupName      *string           `json:"group_name"`
	Admin          bool              `json:"admin"`
	Approved       *bool             `json:"approved"`
	StillHasAccess bool              `json:"still_has_access"`
	ErrorKind      *string           `json:"error_kind"`
	Error          *string           `json:"error"`
	Attempts       int               `json:"attempts"`
	Columns        map[string]string `json:"columns"`
}

func decodeReport(t *testing.T, data []byte) reportDoc {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc reportDoc
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("decode report: %v", err)
	}
	return doc
}

// writeSampleJSON writes the sample run to dir/report.json and returns its
// bytes.
func writeSampleJSON(t *testing.T, dir string, policy Policy, run Run) []byte {
	t.Helper()
	path := filepath.Join(dir, "report.json")
	w, err := NewJSON(path, sampleTool, sampleColumns)
	if err != nil {
		t.Fatal(err)
	}
	writeReport(t, w, policy, sampleResults(), run, sampleRejected)
	return readFile(t, path)
}

func TestJSONReportFields(t *testing.T) {
	tests := []struct {
		name     string
		policy   Policy
		approved bool
	}{
		{"audit without approved list", Policy{Mode: ModeAudit}, false},
		{"audit with approved list", Policy{Mode: ModeAudit, Approved: sampleApproved}, true},
		{"offboarding", Policy{Mode: ModeOffboarding}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := sampleRun(tt.policy.Mode)
			data := writeSampleJSON(t, t.TempDir(), tt.policy, run)
			validateReport(t, data)
			doc := decodeReport(t, data)

			if doc.ReportVersion == nil || *doc.ReportVersion != 1 {
				t.Errorf("report_version = %v, want 1", doc.ReportVersion)
			}
			if doc.Tool == nil || *doc.Tool != sampleTool {
				t.Errorf("tool = %+v, want %+v", doc.Tool, sampleTool)
			}
			checkRunDoc(t, doc.Run, run)
			checkResultDocs(t, doc.Results, tt.policy, tt.approved)

			if !slices.Equal(doc.Rejected, sampleRejected) {
				t.Errorf("rejected = %+v, want %+v", doc.Rejected, sampleRejected)
			}
		})
	}
}

func checkRunDoc(t *testing.T, got *runDoc, run Run) {
	t.Helper()
	if got == nil {
		t.Fatal("run is missing")
	}
	if want := run.StartedAt.UTC().Format("2006-01-02T15:04:05Z"); got.StartedAt != want {
		t.Errorf("started_at = %q, want %q", got.StartedAt, want)
	}
	if want := run.FinishedAt.UTC().Format("2006-01-02T15:04:05Z"); got.FinishedAt != want {
		t.Errorf("finished_at = %q, want %q (UTC)", got.FinishedAt, want)
	}
	if got.Complete != run.Complete || got.Interrupted != run.Interrupted {
		t.Errorf("complete, interrupted = %v, %v, want %v, %v", got.Complete, got.Interrupted, run.Complete, run.Interrupted)
	}
	if got.Mode != run.Mode {
		t.Errorf("mode = %q, want %q", got.Mode, run.Mode)
	}
	if got.BaseURL != run.BaseURL {
		t.Errorf("base_url = %q, want %q", got.BaseURL, run.BaseURL)
	}
	if got.RatePerSecond != run.RatePerSecond || got.Burst != run.Burst || got.Concurrency != run.Concurrency {
		t.Errorf("rate, burst, concurrency = %v, %d, %d, want %v, %d, %d",
			got.RatePerSecond, got.Burst, got.Concurrency, run.RatePerSecond, run.Burst, run.Concurrency)
	}
	if got.Input != run.Input {
		t.Errorf("input = %+v, want %+v", got.Input, run.Input)
	}
}

// checkResultDocs compares every result with the sample case it came from.
func checkResultDocs(t *testing.T, got []resultDoc, policy Policy, withApproved bool) {
	t.Helper()
	cases := sampleCases()
	if len(got) != len(cases) {
		t.Fatalf("%d results, want %d", len(got), len(cases))
	}

	for i, c := range cases {
		r, doc := c.result, got[i]
		ok := r.Outcome == audit.OutcomeOK

		if doc.Line != r.Line || !slices.Equal(doc.Lines, r.Lines) {
			t.Errorf("result %d: line %d lines %v, want %d %v", i, doc.Line, doc.Lines, r.Line, r.Lines)
		}
		if doc.ClientID != r.ClientID || doc.UserID != r.UserID {
			t.Errorf("result %d: pair %d/%d, want %d/%d", i, doc.ClientID, doc.UserID, r.ClientID, r.UserID)
		}
		if doc.Outcome != string(r.Outcome) || doc.HTTPStatus != r.HTTPStatus || doc.Attempts != r.Attempts {
			t.Errorf("result %d: outcome %q status %d attempts %d, want %q %d %d",
				i, doc.Outcome, doc.HTTPStatus, doc.Attempts, r.Outcome, r.HTTPStatus, r.Attempts)
		}
		if !ok && (doc.GroupID != nil || doc.GroupName != nil) {
			t.Errorf("result %d: outcome %s has group %v %v, want nulls", i, r.Outcome, doc.GroupID, doc.GroupName)
		}
		if ok && !equalPtr(doc.GroupID, r.GroupID) {
			t.Errorf("result %d: group_id %v, want %v", i, doc.GroupID, r.GroupID)
		}
		if ok && !equalPtr(doc.GroupName, r.GroupName) {
			t.Errorf("result %d: group_name %v, want %v", i, doc.GroupName, r.GroupName)
		}
		if doc.Admin != c.admin {
			t.Errorf("result %d: admin = %v, want %v", i, doc.Admin, c.admin)
		}

		wantApproved := (*bool)(nil)
		if withApproved {
			wantApproved = ptr(c.approved)
		}
		if !equalPtr(doc.Approved, wantApproved) {
			t.Errorf("result %d: approved = %v, want %v", i, doc.Approved, wantApproved)
		}
		wantStill := policy.Mode == ModeOffboarding && c.stillOffboarding
		if doc.StillHasAccess != wantStill {
			t.Errorf("result %d: still_has_access = %v, want %v", i, doc.StillHasAccess, wantStill)
		}

		wantKind := (*string)(nil)
		if r.Outcome == audit.OutcomeError {
			wantKind = ptr(string(r.ErrorKind))
		}
		if !equalPtr(doc.ErrorKind, wantKind) {
			t.Errorf("result %d: error_kind = %v, want %v", i, doc.ErrorKind, wantKind)
		}
		wantError := (*string)(nil)
		if r.Error != "" {
			wantError = &r.Error
		}
		if !equalPtr(doc.Error, wantError) {
			t.Errorf("result %d: error = %v, want %v", i, doc.Error, wantError)
		}

		if len(doc.Columns) != len(sampleColumns) {
			t.Errorf("result %d: %d columns, want one per header name (%d)", i, len(doc.Columns), len(sampleColumns))
		}
		for j, name := range sampleColumns {
			if want := columnValue(r, j); doc.Columns[name] != want {
				t.Errorf("result %d: columns[%q] = %q, want %q", i, name, doc.Columns[name], want)
			}
		}
	}
}

func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func TestJSONReportSummary(t *testing.T) {
	for _, approved := range []map[audit.Pair]bool{nil, sampleApproved} {
		policy := Policy{Mode: ModeOffboarding, Approved: approved}
		data := writeSampleJSON(t, t.TempDir(), policy, sampleRun(policy.Mode))
		sum := decodeReport(t, data).Summary

		want := summaryDoc{
			Pairs: 8, OK: 4, NotFound: 1, Forbidden: 1, Error: 2, Administrators: 2, StillHasAccess: 4,
			Groups: map[string]int{"Administrators": 1, "Users": 1, " administrators ": 1, "(no name, id 77)": 1},
		}
		if approved != nil {
			want.UnapprovedAdministrators = ptr(1)
		}

		if sum == nil {
			t.Fatal("summary is missing")
		}
		if sum.Pairs != want.Pairs || sum.OK != want.OK || sum.NotFound != want.NotFound ||
			sum.Forbidden != want.Forbidden || sum.Error != want.Error {
			t.Errorf("outcome counts = %+v, want %+v", *sum, want)
		}
		if sum.Administrators != want.Administrators || sum.StillHasAccess != want.StillHasAccess {
			t.Errorf("administrators, still_has_access = %d, %d, want %d, %d",
				sum.Administrators, sum.StillHasAccess, want.Administrators, want.StillHasAccess)
		}
		if !equalPtr(sum.UnapprovedAdministrators, want.UnapprovedAdministrators) {
			t.Errorf("unapproved_administrators = %v, want %v", sum.UnapprovedAdministrators, want.UnapprovedAdministrators)
		}
		if len(sum.Groups) != len(want.Groups) {
			t.Errorf("groups = %v, want %v", sum.Groups, want.Groups)
		}
		for name, n := range want.Groups {
			if sum.Groups[name] != n {
				t.Errorf("groups[%q] = %d, want %d", name, sum.Groups[name], n)
			}
		}
	}
}

func TestJSONReportText(t *testing.T) {
	data := writeSampleJSON(t, t.TempDir(), Policy{Mode: ModeAudit}, sampleRun(ModeAudit))
	text := string(data)

	tests := []struct {
		name, want string
	}{
		{"HTML characters unescaped", `"note":"<b>&amp;</b>"`},
		{"columns in header order", `"columns":{"email":"bob@example.com","note":"<b>&amp;</b>"}`},
		{"base URL unescaped", `"base_url": "http://127.0.0.1:8080/?a=1&b=<2>"`},
		{"report starts with version", "{\n  \"report_version\": 1,\n  \"tool\": {"},
		{"empty column present", `"columns":{"email":"","note":"+cmd|' /C calc'!A0"}`},
		{"ends with newline", "\n  ]\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(text, tt.want) {
				t.Errorf("report does not contain %s", tt.want)
			}
		})
	}

	// One result per line, so grep and diff work on results.
	lines := strings.Split(text, "\n")
	results := 0
	for _, line := range lines {
		if strings.HasPrefix(line, `    {"line":`) && strings.Contains(line, `"client_id"`) {
			results++
		}
	}
	if results != len(sampleCases()) {
		t.Errorf("%d lines start a result, want one line per result (%d)", results, len(sampleCases()))
	}

	order := []string{`"report_version"`, `"tool"`, `"run"`, `"summary"`, `"results"`, `"rejected"`}
	last := -1
	for _, key := range order {
		at := strings.Index(text, "\n  "+key+":")
		if at <= last {
			t.Errorf("top-level key %s at offset %d, want after offset %d", key, at, last)
		}
		last = at
	}
}

func TestJSONReportEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.json")
	w, err := NewJSON(path, sampleTool, nil)
	if err != nil {
		t.Fatal(err)
	}
	run := sampleRun(ModeAudit)
	run.Complete, run.Interrupted = false, true
	writeReport(t, w, Policy{Mode: ModeAudit}, nil, run, nil)

	data := readFile(t, path)
	validateReport(t, data)
	doc := decodeReport(t, data)

	if doc.Results == nil || len(doc.Results) != 0 {
		t.Errorf("results = %v, want []", doc.Results)
	}
	if doc.Rejected == nil || len(doc.Rejected) != 0 {
		t.Errorf("rejected = %v, want []", doc.Rejected)
	}
	if doc.Summary.Groups == nil {
		t.Error("groups is null, want {}")
	}
	if doc.Summary.Pairs != run.Input.Pairs {
		t.Errorf("summary.pairs = %d, want every input pair (%d) even when interrupted", doc.Summary.Pairs, run.Input.Pairs)
	}
	if !bytes.Contains(data, []byte(`"results": [],`)) {
		t.Errorf("empty results not written as []:\n%s", data)
	}
}

func TestJSONReportDeterministic(t *testing.T) {
	policy := Policy{Mode: ModeAudit, Approved: sampleApproved}
	first := writeSampleJSON(t, t.TempDir(), policy, sampleRun(ModeAudit))
	second := writeSampleJSON(t, t.TempDir(), policy, sampleRun(ModeAudit))
	if !bytes.Equal(first, second) {
		t.Error("two reports of the same entries differ")
	}
}

func TestJSONReportGolden(t *testing.T) {
	policy := Policy{Mode: ModeAudit, Approved: sampleApproved}
	got := writeSampleJSON(t, t.TempDir(), policy, sampleRun(ModeAudit))
	validateReport(t, got)

	golden := goldenPath("report.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := readFile(t, golden)
	if !bytes.Equal(got, want) {
		t.Errorf("report differs from %s; rerun with -update after checking the change\ngot:\n%s", golden, got)
	}
}

func TestJSONWriterFiles(t *testing.T) {
	tests := []struct {
		name   string
		finish func(w Writer) error
		want   []string
	}{
		{"commit leaves only the report", func(w Writer) error {
			return w.Commit(sampleRun(ModeAudit), NewSummary(1, false), nil)
		}, []string{"report.json"}},
		{"abort leaves nothing", func(w Writer) error { return w.Abort() }, nil},
		{"abort after commit keeps the report", func(w Writer) error {
			if err := w.Commit(sampleRun(ModeAudit), NewSummary(1, false), nil); err != nil {
				return err
			}
			return w.Abort()
		}, []string{"report.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			w, err := NewJSON(filepath.Join(dir, "report.json"), sampleTool, sampleColumns)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(Policy{Mode: ModeAudit}.Entry(sampleResults()[0])); err != nil {
				t.Fatal(err)
			}
			if err := tt.finish(w); err != nil {
				t.Fatal(err)
			}
			if got := dirEntries(t, dir); !slices.Equal(got, tt.want) {
				t.Errorf("folder holds %v, want %v", got, tt.want)
			}
		})
	}
}

func TestJSONWriterReplacesReport(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}

	w, err := NewJSON(path, sampleTool, sampleColumns)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(readFile(t, path)); got != "old" {
		t.Fatalf("report changed before Commit: %q", got)
	}
	writeReport(t, w, Policy{Mode: ModeAudit}, sampleResults(), sampleRun(ModeAudit), nil)
	validateReport(t, readFile(t, path))
}

func TestJSONWriterClosed(t *testing.T) {
	w, err := NewJSON(filepath.Join(t.TempDir(), "r.json"), sampleTool, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	entry := Policy{Mode: ModeAudit}.Entry(&audit.Result{Job: audit.Job{Pair: audit.Pair{ClientID: 1, UserID: 1}, Line: 1}, Outcome: audit.OutcomeNotFound})
	if err := w.Write(entry); !errors.Is(err, errWriterClosed) {
		t.Errorf("Write after Abort = %v, want errWriterClosed", err)
	}
	if err := w.Commit(sampleRun(ModeAudit), NewSummary(1, false), nil); !errors.Is(err, errWriterClosed) {
		t.Errorf("Commit after Abort = %v, want errWriterClosed", err)
	}
}

func TestNewJSONMissingFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "r.json")
	if _, err := NewJSON(path, sampleTool, nil); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("NewJSON in a missing folder = %v, want an error naming %s", err, path)
	}
}
