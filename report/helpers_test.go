package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/accessaudit/accessaudit/audit"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func ptr[T any](v T) *T { return &v }

// sampleCase is one audit result of the sample run with the findings the
// reports must show for it under sampleApproved.
type sampleCase struct {
	result           *audit.Result
	admin            bool
	approved         bool
	stillOffboarding bool // still has access in offboarding mode
}

var sampleColumns = []string{"email", "note"}

// sampleCases covers every outcome, both administrator rules, a group
// without a name, formula-like and HTML-like input text and a pair on
// several lines.
func sampleCases() []sampleCase {
	job := func(seq, line int, client, user int64, lines []int, columns ...string) audit.Job {
		return audit.Job{Pair: audit.Pair{ClientID: client, UserID: user}, Seq: seq, Line: line, Lines: lines, Columns: columns}
	}
	return []sampleCase{
		{
			result: &audit.Result{Job: job(0, 2, 1001, 2001, []int{2, 9}, "alice@example.com", "=HYPERLINK(\"http://x\")"),
				Outcome: audit.OutcomeOK, HTTPStatus: 200, GroupID: ptr[int64](1), GroupName: ptr("Administrators"), Attempts: 1},
			admin: true, approved: true, stillOffboarding: true,
		},
		{
			result: &audit.Result{Job: job(1, 3, 1001, 2002, []int{3}, "bob@example.com", "<b>&amp;</b>"),
				Outcome: audit.OutcomeOK, HTTPStatus: 200, GroupID: ptr[int64](2), GroupName: ptr("Users"), Attempts: 1},
			stillOffboarding: true,
		},
		{
			result: &audit.Result{Job: job(2, 5, 1002, 2003, []int{5}, "carol@example.com"),
				Outcome: audit.OutcomeOK, HTTPStatus: 200, GroupID: ptr[int64](3009), GroupName: ptr(" administrators "), Attempts: 2},
			admin: true, stillOffboarding: true,
		},
		{
			result: &audit.Result{Job: job(3, 6, 1002, 2004, []int{6}, "", "+cmd|' /C calc'!A0"),
				Outcome: audit.OutcomeOK, HTTPStatus: 200, GroupID: ptr[int64](77), Attempts: 1},
			stillOffboarding: true,
		},
		{
			result: &audit.Result{Job: job(4, 8, 1003, 2005, []int{8}, "dave@example.com", "-1+2"),
				Outcome: audit.OutcomeNotFound, HTTPStatus: 404, Error: "user not found", Attempts: 1},
		},
		{
			result: &audit.Result{Job: job(5, 10, 1004, 2006, []int{10}, "@erin", ""),
				Outcome: audit.OutcomeForbidden, HTTPStatus: 403, Error: "no permission for client 1004", Attempts: 1},
		},
		{
			result: &audit.Result{Job: job(6, 11, 1005, 2007, []int{11}),
				Outcome: audit.OutcomeError, HTTPStatus: 503, ErrorKind: audit.KindServerError, Error: "503 Service Unavailable after 6 attempts", Attempts: 6},
		},
		{
			result: &audit.Result{Job: job(7, 12, 1234567890123456, 2008, []int{12}, "frank@example.com", "line one\nline two"),
				Outcome: audit.OutcomeError, ErrorKind: audit.KindNetwork, Error: "connection refused", Attempts: 6},
		},
	}
}

// sampleApproved approves the first administrator only.
var sampleApproved = map[audit.Pair]bool{{ClientID: 1001, UserID: 2001}: true}

var sampleRejected = []Rejection{
	{Line: 4, Reason: `user ID "abc" is not a positive integer`, Text: "1001,abc"},
	{Line: 7, Reason: `account ID "1.23E+11" is in scientific notation; format the column as a number with 0 decimals and export again`, Text: "1.23E+11,5,=SUM(A1)"},
}

var sampleTool = Tool{Name: "accessaudit", Version: "1.2.3-test"}

func sampleRun(mode string) Run {
	sum := sha256.Sum256([]byte("sample input"))
	return Run{
		StartedAt:     time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
		FinishedAt:    time.Date(2026, 3, 1, 13, 3, 7, 500, time.FixedZone("CET", 3600)),
		Complete:      true,
		Mode:          mode,
		BaseURL:       "http://127.0.0.1:8080/?a=1&b=<2>",
		RatePerSecond: 2.5,
		Burst:         1,
		Concurrency:   8,
		Input: Input{
			Path: "pairs.csv", SHA256: hex.EncodeToString(sum[:]),
			Rows: 11, Pairs: 8, Rejected: 2, Duplicates: 1,
		},
	}
}

// writeReport writes results through w with the given policy and commits it.
func writeReport(t testing.TB, w Writer, policy Policy, results []*audit.Result, run Run, rejected []Rejection) *Summary {
	t.Helper()
	sum := NewSummary(run.Input.Pairs, policy.Approved != nil)
	for _, r := range results {
		e := policy.Entry(r)
		sum.Add(e)
		if err := w.Write(e); err != nil {
			t.Fatalf("Write line %d: %v", r.Line, err)
		}
	}
	if err := w.Commit(run, sum, rejected); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	return sum
}

func sampleResults() []*audit.Result {
	var results []*audit.Result
	for _, c := range sampleCases() {
		results = append(results, c.result)
	}
	return results
}

var (
	schemaOnce     sync.Once
	compiledSchema *jsonschema.Schema
	schemaErr      error
)

// reportSchema compiles Schema once, with format assertions on.
func reportSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	schemaOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
		if err != nil {
			schemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource("report.schema.json", doc); err != nil {
			schemaErr = err
			return
		}
		compiledSchema, schemaErr = c.Compile("report.schema.json")
	})
	if schemaErr != nil {
		t.Fatalf("compile schema.json: %v", schemaErr)
	}
	return compiledSchema
}

// validateReport fails the test unless data is valid under Schema.
func validateReport(t testing.TB, data []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("report is not JSON: %v", err)
	}
	if err := reportSchema(t).Validate(inst); err != nil {
		t.Fatalf("report does not match schema.json: %v", err)
	}
}

// dirEntries returns the sorted names of the files in dir.
func dirEntries(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func goldenPath(name string) string { return filepath.Join("testdata", name) }
