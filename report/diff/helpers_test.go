package diff

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/accessaudit/accessaudit/audit"
	"github.com/accessaudit/accessaudit/report"
)

func ptr[T any](v T) *T { return &v }

// Constructors of the results that fixtures are made of.

func okGroup(client, user, groupID int64, name string) *audit.Result {
	return &audit.Result{Job: job(client, user), Outcome: audit.OutcomeOK, HTTPStatus: 200,
		GroupID: ptr(groupID), GroupName: ptr(name), Attempts: 1}
}

func okNoName(client, user, groupID int64) *audit.Result {
	return &audit.Result{Job: job(client, user), Outcome: audit.OutcomeOK, HTTPStatus: 200, GroupID: ptr(groupID), Attempts: 1}
}

func admin(client, user int64) *audit.Result { return okGroup(client, user, 1, "Administrators") }

func users(client, user int64) *audit.Result { return okGroup(client, user, 2, "Users") }

func notFound(client, user int64) *audit.Result {
	return &audit.Result{Job: job(client, user), Outcome: audit.OutcomeNotFound, HTTPStatus: 404, Error: "user not found", Attempts: 1}
}

func forbidden(client, user int64) *audit.Result {
	return &audit.Result{Job: job(client, user), Outcome: audit.OutcomeForbidden, HTTPStatus: 403, Error: "no permission", Attempts: 1}
}

func failed(client, user int64, kind audit.ErrorKind) *audit.Result {
	return &audit.Result{Job: job(client, user), Outcome: audit.OutcomeError, ErrorKind: kind, Error: string(kind), Attempts: 6}
}

func job(client, user int64) audit.Job {
	return audit.Job{Pair: audit.Pair{ClientID: client, UserID: user}}
}

// fixture describes one JSON report to write with the report package.
type fixture struct {
	started     time.Time // zero means fixtureStart
	interrupted bool      // the run was interrupted: complete is false
	extraPairs  int       // input pairs without a result, added to summary.pairs
	results     []*audit.Result
}

var fixtureStart = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// writeFixture writes f as a JSON report named name in dir with the
// report package's writer, validates it against report.Schema and returns
// its path.
func writeFixture(t testing.TB, dir, name string, f fixture) string {
	t.Helper()
	path := filepath.Join(dir, name)
	w, err := report.NewJSON(path, report.Tool{Name: "accessaudit", Version: "test"}, []string{"email"})
	if err != nil {
		t.Fatal(err)
	}

	pairs := len(f.results) + f.extraPairs
	policy := report.Policy{Mode: report.ModeAudit}
	sum := report.NewSummary(pairs, false)
	for i, r := range f.results {
		r.Seq, r.Line, r.Lines = i, i+2, []int{i + 2}
		r.Columns = []string{fmt.Sprintf("user%d@example.com", r.UserID)}
		e := policy.Entry(r)
		sum.Add(e)
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}

	if err := w.Commit(fixtureRun(f, pairs), sum, nil); err != nil {
		t.Fatal(err)
	}
	validateFixture(t, path)
	return path
}

func fixtureRun(f fixture, pairs int) report.Run {
	started := f.started
	if started.IsZero() {
		started = fixtureStart
	}
	return report.Run{
		StartedAt:   started,
		FinishedAt:  started.Add(time.Minute),
		Complete:    !f.interrupted,
		Interrupted: f.interrupted,
		Mode:        report.ModeAudit,
		BaseURL:     "http://127.0.0.1:8080",
		Burst:       1,
		Concurrency: 8,
		Input: report.Input{Path: "pairs.csv", SHA256: fmt.Sprintf("%064x", pairs),
			Rows: pairs, Pairs: pairs},
	}
}

var (
	schemaOnce     sync.Once
	compiledSchema *jsonschema.Schema
	schemaErr      error
)

// validateFixture fails the test unless the file at path is valid under
// report.Schema, so that the fixtures are reports as users have them.
func validateFixture(t testing.TB, path string) {
	t.Helper()
	schemaOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(report.Schema))
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
		t.Fatalf("compile report.Schema: %v", schemaErr)
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s is not JSON: %v", path, err)
	}
	if err := compiledSchema.Validate(inst); err != nil {
		t.Fatalf("%s does not match report.Schema: %v", path, err)
	}
}

// compareFixtures writes both fixtures and compares them.
func compareFixtures(t testing.TB, oldReport, newReport fixture) *Diff {
	t.Helper()
	dir := t.TempDir()
	d, err := CompareFiles(writeFixture(t, dir, "old.json", oldReport), writeFixture(t, dir, "new.json", newReport))
	if err != nil {
		t.Fatalf("CompareFiles: %v", err)
	}
	return d
}

// pairsOf returns the pairs of changes, in order.
func pairsOf(changes []Change) []audit.Pair {
	out := []audit.Pair{}
	for _, c := range changes {
		out = append(out, audit.Pair{ClientID: c.ClientID, UserID: c.UserID})
	}
	return out
}

func pair(client, user int64) audit.Pair { return audit.Pair{ClientID: client, UserID: user} }
