package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/accessaudit/accessaudit/audit"
	"github.com/accessaudit/accessaudit/report"
	"github.com/accessaudit/accessaudit/report/diff"
)

// runDiffCLI runs "accessaudit diff args..." with the given standard input.
func runDiffCLI(t *testing.T, stdin string, args ...string) cliResult {
	t.Helper()
	return runCLI(t, nil, stdin, append([]string{"diff"}, args...)...)
}

// writeDiffReport writes a JSON report with the report package's writer.
// An interrupted report counts one more input pair than it has results.
func writeDiffReport(t *testing.T, path string, interrupted bool, results ...*audit.Result) string {
	t.Helper()
	w, err := report.NewJSON(path, report.Tool{Name: "accessaudit", Version: "test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	pairs := len(results)
	if interrupted {
		pairs++
	}
	sum := report.NewSummary(pairs, false)
	policy := report.Policy{Mode: report.ModeAudit}
	for i, r := range results {
		r.Seq, r.Line, r.Lines = i, i+2, []int{i + 2}
		e := policy.Entry(r)
		sum.Add(e)
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}

	started := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	run := report.Run{StartedAt: started, FinishedAt: started.Add(time.Minute), Complete: !interrupted, Interrupted: interrupted,
		Mode: report.ModeAudit, BaseURL: "http://127.0.0.1:1", Burst: 1, Concurrency: 1,
		Input: report.Input{Path: "pairs.csv", SHA256: strings.Repeat("0", 64), Rows: pairs, Pairs: pairs}}
	if err := w.Commit(run, sum, nil); err != nil {
		t.Fatal(err)
	}
	return path
}

func diffResult(client, user int64, outcome audit.Outcome, groupID int64, name string) *audit.Result {
	r := &audit.Result{Job: audit.Job{Pair: audit.Pair{ClientID: client, UserID: user}}, Outcome: outcome, Attempts: 1}
	if outcome == audit.OutcomeOK {
		r.GroupID, r.GroupName = &groupID, &name
	}
	return r
}

// diffFiles are the paths of the reports that TestDiffCommand compares.
type diffFiles struct {
	old, same, newAdmin, demoted, interrupted, version2, garbage, truncated string
}

func writeDiffFiles(t *testing.T) diffFiles {
	dir := t.TempDir()
	path := func(name string) string { return filepath.Join(dir, name) }
	users := func(c, u int64) *audit.Result { return diffResult(c, u, audit.OutcomeOK, 2, "Users") }
	admin := func(c, u int64) *audit.Result { return diffResult(c, u, audit.OutcomeOK, 1, "Administrators") }
	forbidden := func(c, u int64) *audit.Result { return diffResult(c, u, audit.OutcomeForbidden, 0, "") }

	f := diffFiles{
		old:         writeDiffReport(t, path("old.json"), false, users(1, 1), admin(1, 2), forbidden(2, 1)),
		same:        writeDiffReport(t, path("same.json"), false, users(1, 1), admin(1, 2), forbidden(2, 1)),
		newAdmin:    writeDiffReport(t, path("new-admin.json"), false, admin(1, 1), admin(1, 2), forbidden(2, 1)),
		demoted:     writeDiffReport(t, path("demoted.json"), false, users(1, 1), users(1, 2), forbidden(2, 1)),
		interrupted: writeDiffReport(t, path("interrupted.json"), true, users(1, 1), admin(1, 2)),
		version2:    path("version2.json"),
		garbage:     path("garbage.json"),
		truncated:   path("truncated.json"),
	}

	data, err := os.ReadFile(f.old)
	if err != nil {
		t.Fatal(err)
	}
	writes := map[string][]byte{
		f.version2:  bytes.Replace(data, []byte(`"report_version": 1`), []byte(`"report_version": 2`), 1),
		f.garbage:   []byte("client_id,user_id\n1,2\n"),
		f.truncated: data[:len(data)*2/3],
	}
	for name, content := range writes {
		if err := os.WriteFile(name, content, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// TestDiffCommand runs the diff command over real report files and checks
// the exit status and what stdout and stderr contain.
func TestDiffCommand(t *testing.T) {
	f := writeDiffFiles(t)
	oldData, err := os.ReadFile(f.old)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		stdin      string
		args       []string
		code       int
		stdout     []string // substrings
		stderr     []string // substrings
		noStdout   string   // a substring stdout must not contain
		stderrNone bool     // stderr must be empty
	}{
		{name: "no changes", args: []string{f.old, f.same}, code: exitOK,
			stdout: []string{"\nno changes\n"}, stderrNone: true},
		{name: "new administrator without fail-on", args: []string{f.old, f.newAdmin}, code: exitOK,
			stdout: []string{"New administrators (1)", "Group changes (1)"}, stderrNone: true},
		{name: "new administrator fails", args: []string{"--fail-on", "new-admin", f.old, f.newAdmin}, code: exitFailOn,
			stdout: []string{"New administrators (1)"}, stderr: []string{"accessaudit: 1 new administrator (--fail-on new-admin)"}},
		{name: "flags after reports", args: []string{f.old, f.newAdmin, "--fail-on", " New-Admin "}, code: exitFailOn,
			stdout: []string{"New administrators (1)"}},
		{name: "fail-on none", args: []string{f.old, f.newAdmin, "--fail-on", "none"}, code: exitOK},
		{name: "removed administrator does not fail", args: []string{f.old, f.demoted, "--fail-on", "new-admin"}, code: exitOK,
			stdout: []string{"Removed administrators (1)"}, noStdout: "New administrators (", stderrNone: true},
		{name: "json with fail-on", args: []string{f.old, f.newAdmin, "--json", "--fail-on", "new-admin"}, code: exitFailOn,
			stdout: []string{`"new_admins": [`, `"diff_version": 1`}},
		{name: "interrupted report warns in text", args: []string{f.old, f.interrupted}, code: exitOK,
			stdout: []string{"warning: the new report " + f.interrupted + " is interrupted", "Disappeared pairs (1)"}, stderrNone: true},
		{name: "interrupted report warns on stderr with json", args: []string{"--json", f.old, f.interrupted}, code: exitOK,
			stdout: []string{`"warnings": [`}, stderr: []string{"accessaudit: warning: the new report " + f.interrupted + " is interrupted"}},
		{name: "old report from standard input", stdin: string(oldData), args: []string{"-", f.newAdmin}, code: exitOK,
			stdout: []string{"old     standard input", "New administrators (1)"}},
		{name: "new report from standard input", stdin: string(oldData), args: []string{f.newAdmin, "-"}, code: exitOK,
			stdout: []string{"new     standard input", "Removed administrators (1)"}},
		{name: "both from standard input", args: []string{"-", "-"}, code: exitUsage,
			stderr: []string{"only one of the two reports can be read from standard input"}},
		{name: "unknown fail-on value", args: []string{f.old, f.newAdmin, "--fail-on", "admin"}, code: exitUsage,
			stderr: []string{`invalid --fail-on "admin" for diff: use new-admin or none`}},
		{name: "one report", args: []string{f.old}, code: exitUsage,
			stderr: []string{"diff needs exactly two reports, OLD.json and NEW.json (arguments given: 1)"}},
		{name: "three reports", args: []string{f.old, f.same, f.newAdmin}, code: exitUsage, stderr: []string{"(arguments given: 3)"}},
		{name: "unknown flag", args: []string{"--color", f.old, f.same}, code: exitUsage},
		{name: "missing report", args: []string{f.old, "missing.json"}, code: exitUsage,
			stderr: []string{"missing.json: cannot open the report: no such file or directory"}},
		{name: "unknown report version", args: []string{f.version2, f.old}, code: exitUsage,
			stderr: []string{f.version2 + ": unsupported report_version 2: this accessaudit reads version 1 only"}},
		{name: "not JSON", args: []string{f.old, f.garbage}, code: exitUsage,
			stderr: []string{f.garbage + ": not a valid accessaudit JSON report: invalid JSON"}},
		{name: "truncated report", args: []string{f.truncated, f.old}, code: exitUsage,
			stderr: []string{f.truncated + ": not a valid accessaudit JSON report:", "the file ends early"}},
		{name: "help", args: []string{"--help"}, code: exitOK, stdout: []string{"OLD.json NEW.json", "--fail-on", "--json"}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runDiffCLI(t, tt.stdin, tt.args...)
			if res.code != tt.code {
				t.Errorf("exit status = %d, want %d; stderr:\n%s", res.code, tt.code, res.stderr)
			}
			for _, part := range tt.stdout {
				if !strings.Contains(res.stdout, part) {
					t.Errorf("stdout does not contain %q:\n%s", part, res.stdout)
				}
			}
			if tt.noStdout != "" && strings.Contains(res.stdout, tt.noStdout) {
				t.Errorf("stdout contains %q:\n%s", tt.noStdout, res.stdout)
			}
			for _, part := range tt.stderr {
				if !strings.Contains(res.stderr, part) {
					t.Errorf("stderr does not contain %q:\n%s", part, res.stderr)
				}
			}
			if tt.stderrNone && res.stderr != "" {
				t.Errorf("stderr = %q, want nothing", res.stderr)
			}
		})
	}
}

// TestDiffJSONOutput checks that --json prints one JSON object that a
// script can decode into the documented form.
func TestDiffJSONOutput(t *testing.T) {
	f := writeDiffFiles(t)
	res := runDiffCLI(t, "", "--json", f.old, f.newAdmin)
	if res.code != exitOK {
		t.Fatalf("exit status = %d; stderr:\n%s", res.code, res.stderr)
	}

	var d diff.Diff
	dec := json.NewDecoder(strings.NewReader(res.stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("stdout is not the JSON form of diff.Diff: %v\n%s", err, res.stdout)
	}
	if dec.More() {
		t.Error("stdout has more than one JSON value")
	}
	if len(d.NewAdmins) != 1 || d.NewAdmins[0].ClientID != 1 || d.NewAdmins[0].UserID != 1 {
		t.Errorf("new_admins = %+v, want account 1, user 1", d.NewAdmins)
	}
	if d.Old.Path != f.old || d.New.Path != f.newAdmin {
		t.Errorf("paths = %q, %q", d.Old.Path, d.New.Path)
	}
}

// TestDiffAfterTwoRuns audits the same input twice against a local API
// whose answers change between the runs, then compares the two reports as a
// scheduled job would.
func TestDiffAfterTwoRuns(t *testing.T) {
	dir := t.TempDir()
	inputPath := filepath.Join(dir, "pairs.csv")
	if err := os.WriteFile(inputPath, []byte("client_id,user_id\n100,1\n100,2\n200,3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	runs := []map[string]func(w http.ResponseWriter){
		{
			userPath(100, 1): status(200, `{"user_role":{"id":2,"name":"Users"}}`),
			userPath(100, 2): status(200, `{"user_role":{"id":1,"name":"Administrators"}}`),
			userPath(200, 3): status(200, `{"user_role":{"id":5,"name":"Engineers"}}`),
		},
		{
			userPath(100, 1): status(200, `{"user_role":{"id":1,"name":"Administrators"}}`),
			userPath(100, 2): status(200, `{"user_role":{"id":1,"name":"Administrators"}}`),
			userPath(200, 3): status(403, `{"message":"no permission"}`),
		},
	}

	var reports []string
	for i, answers := range runs {
		_, baseURL := newFakeAPI(t, answers)
		jsonPath := filepath.Join(dir, fmt.Sprintf("run%d.json", i+1))
		res := runCLI(t, map[string]string{"GCORE_API_KEY": e2eKey}, "",
			"run", inputPath, "--base-url", baseURL, "--rate", "0", "--format", "json", "--json", jsonPath)
		if res.code != exitOK {
			t.Fatalf("run %d: exit status = %d; stderr:\n%s", i+1, res.code, res.stderr)
		}
		reports = append(reports, jsonPath)
	}

	res := runDiffCLI(t, "", reports[0], reports[1], "--fail-on", "new-admin")
	if res.code != exitFailOn {
		t.Fatalf("exit status = %d, want %d; stderr:\n%s", res.code, exitFailOn, res.stderr)
	}
	for _, part := range []string{
		"New administrators (1)\n  ACCOUNT  USER  BEFORE         AFTER\n  100      1     ok: Users (2)  ok: Administrators (1)\n",
		"Coverage lost (1)\n  ACCOUNT  USER  BEFORE             AFTER\n  200      3     ok: Engineers (5)  forbidden\n",
	} {
		if !strings.Contains(res.stdout, part) {
			t.Errorf("stdout does not contain\n%s\nstdout:\n%s", part, res.stdout)
		}
	}
}
