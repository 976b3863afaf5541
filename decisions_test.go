package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/accessaudit/accessaudit/audit"
	"github.com/accessaudit/accessaudit/report"
)

// runDecisionsCLI runs "accessaudit decisions args..." through execute.
// stdout replaces the captured standard output when not nil, and terminal
// sets whether stderr counts as a terminal.
func runDecisionsCLI(t *testing.T, stdin io.Reader, stdout io.Writer, terminal bool, args ...string) cliResult {
	t.Helper()
	var out, stderr bytes.Buffer
	if stdout == nil {
		stdout = &out
	}
	e := env{stdin: stdin, stdout: stdout, stderr: &stderr, getenv: func(string) string { return "" }, stderrIsTerminal: terminal}
	code := execute(context.Background(), e, append([]string{"accessaudit", "decisions"}, args...))
	return cliResult{code: code, stdout: out.String(), stderr: stderr.String()}
}

// decisionsWorkbook writes a workbook as the run command would, for the
// pairs 100/1 (administrator), 100/2 (Users), 200/3 (403) and 100/4 (404),
// and returns its path.
func decisionsWorkbook(t *testing.T, mode string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "review.xlsx")
	w, err := report.NewXLSX(path, report.Tool{Name: "accessaudit", Version: "test"}, []string{"email"}, mode)
	if err != nil {
		t.Fatal(err)
	}

	group := func(id int64, name string) (*int64, *string) { return &id, &name }
	policy := report.Policy{Mode: mode}
	sum := report.NewSummary(4, false)
	for i, r := range []*audit.Result{
		{Outcome: audit.OutcomeOK, HTTPStatus: 200},
		{Outcome: audit.OutcomeOK, HTTPStatus: 200},
		{Outcome: audit.OutcomeForbidden, HTTPStatus: 403},
		{Outcome: audit.OutcomeNotFound, HTTPStatus: 404},
	} {
		clients := []int64{100, 100, 200, 100}
		r.Job = audit.Job{Pair: audit.Pair{ClientID: clients[i], UserID: int64(i + 1)}, Seq: i, Line: i + 2,
			Columns: []string{"user" + strconv.Itoa(i+1) + "@example.com"}}
		r.Attempts = 1
		switch i {
		case 0:
			r.GroupID, r.GroupName = group(1, "Administrators")
		case 1:
			r.GroupID, r.GroupName = group(2, "Users")
		}
		e := policy.Entry(r)
		sum.Add(e)
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}

	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	run := report.Run{StartedAt: now, FinishedAt: now, Complete: true, Mode: mode, BaseURL: "http://127.0.0.1:1",
		Input: report.Input{Path: "pairs.csv", Rows: 4, Pairs: 4}}
	if err := w.Commit(run, sum, nil); err != nil {
		t.Fatal(err)
	}

	// The tests name Decision cells by letter, such as Results!O2.
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, err := f.GetCellValue("Results", "O1"); err != nil || got != report.ColumnDecision {
		t.Fatalf("Results!O1 = %q, %v; want %q. The workbook layout changed, so update the cell names in these tests", got, err, report.ColumnDecision)
	}
	return path
}

// decide fills in the Decision and Reviewer comment cells of the row of
// pair client/user on sheet, as a reviewer would, and saves the workbook.
// Each entry of edits is sheet, client, user, decision, comment.
func decide(t *testing.T, path string, edits ...[5]string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	for _, ed := range edits {
		sheet := ed[0]
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		header := rows[0]
		col := func(name string) int {
			for i, h := range header {
				if h == name {
					return i + 1
				}
			}
			t.Fatalf("sheet %q has no column %q", sheet, name)
			return 0
		}
		row := 0
		for i, cells := range rows[1:] {
			if len(cells) > 2 && cells[1] == ed[1] && cells[2] == ed[2] {
				row = i + 2
			}
		}
		if row == 0 {
			t.Fatalf("sheet %q has no row for %s/%s", sheet, ed[1], ed[2])
		}
		for i, name := range map[int]string{3: report.ColumnDecision, 4: report.ColumnComment} {
			ref, err := excelize.CoordinatesToCellName(col(name), row)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStr(sheet, ref, ed[i]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}

func TestDecisionsPrintsChanges(t *testing.T) {
	path := decisionsWorkbook(t, report.ModeAudit)
	decide(t, path,
		[5]string{"Results", "100", "2", " revoke ", "left, in March"},
		[5]string{"Results", "200", "3", "Keep", "cannot see it yet"},
		[5]string{"Administrators", "100", "1", "change  GROUP", "Users is enough"},
		[5]string{"Results", "100", "1", "Change group", ""},
	)

	res := runDecisionsCLI(t, nil, nil, false, path)
	if res.code != exitOK {
		t.Fatalf("exit status %d, want 0; stderr:\n%s", res.code, res.stderr)
	}
	// 100/1 is on row 2 of Results, above 100/2, and its decision there
	// comes first even though its comment is on Administrators.
	want := "client_id,user_id,decision,comment\n" +
		"100,1,Change group,Users is enough\n" +
		"100,2,Revoke,\"left, in March\"\n"
	if res.stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", res.stdout, want)
	}
	if res.stderr != "" {
		t.Errorf("stderr = %q, want nothing off a terminal", res.stderr)
	}
}

func TestDecisionsSummaryOnTerminal(t *testing.T) {
	path := decisionsWorkbook(t, report.ModeAudit)
	decide(t, path,
		[5]string{"Results", "100", "2", "Revoke", ""},
		[5]string{"Results", "200", "3", "keep", ""},
		[5]string{"Results", "100", "4", "Keep", ""},
	)

	res := runDecisionsCLI(t, nil, nil, true, path)
	if res.code != exitOK {
		t.Fatalf("exit status %d, want 0; stderr:\n%s", res.code, res.stderr)
	}
	want := "accessaudit: " + path + ": pairs to change: 1 (1 Revoke, 0 Change group); pairs to keep: 2\n"
	if res.stderr != want {
		t.Errorf("stderr = %q, want %q", res.stderr, want)
	}
}

func TestDecisionsStandardInput(t *testing.T) {
	path := decisionsWorkbook(t, report.ModeAudit)
	decide(t, path, [5]string{"Administrators", "100", "1", "REVOKE", ""})
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	res := runDecisionsCLI(t, bytes.NewReader(data), nil, false, "-")
	if want := "client_id,user_id,decision,comment\n100,1,Revoke,\n"; res.code != exitOK || res.stdout != want {
		t.Errorf("exit status %d, stdout %q; want 0 and %q; stderr:\n%s", res.code, res.stdout, want, res.stderr)
	}
}

func TestDecisionsWarnsAboutUnreadSheets(t *testing.T) {
	path := decisionsWorkbook(t, report.ModeOffboarding)
	decide(t, path,
		[5]string{"Still has access", "100", "2", "Revoke", ""},
		[5]string{"Still has access", "100", "1", "Revoke", ""},
	)

	res := runDecisionsCLI(t, nil, nil, false, path)
	if res.code != exitOK || res.stdout != "client_id,user_id,decision,comment\n" {
		t.Errorf("exit status %d, stdout %q; want 0 and the header only", res.code, res.stdout)
	}
	want := `accessaudit: warning: sheet "Still has access" has a decision in 2 cells, the first in 'Still has access'!O2, ` +
		"but decisions are read only from Results and Administrators; enter them there to include them\n"
	if res.stderr != want {
		t.Errorf("stderr = %q, want %q", res.stderr, want)
	}
}

func TestDecisionsErrors(t *testing.T) {
	dir := t.TempDir()
	blank := filepath.Join(dir, "blank.xlsx")
	f := excelize.NewFile()
	if err := f.SaveAs(blank); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()

	conflict := decisionsWorkbook(t, report.ModeAudit)
	decide(t, conflict,
		[5]string{"Results", "100", "1", "Keep", ""},
		[5]string{"Administrators", "100", "1", "Revoke", ""},
		[5]string{"Results", "100", "2", "Revoke", ""},
	)
	unknown := decisionsWorkbook(t, report.ModeAudit)
	decide(t, unknown,
		[5]string{"Results", "100", "2", "Remove", ""},
		[5]string{"Results", "100", "4", "Revoke", ""},
	)
	corrupted := filepath.Join(dir, "corrupted.xlsx")
	data, err := os.ReadFile(unknown)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(corrupted, data[:len(data)-100], 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		args   []string
		stderr []string // parts of stderr
	}{
		{"no argument", nil, []string{"decisions needs exactly one workbook (or - for standard input), got 0 arguments"}},
		{"two arguments", []string{conflict, unknown}, []string{"got 2 arguments"}},
		{"missing file", []string{filepath.Join(dir, "missing.xlsx")}, []string{"cannot read the workbook", "missing.xlsx", "no such file"}},
		{"not our workbook", []string{blank}, []string{blank + `: not an accessaudit workbook: there is no sheet named "Results"`}},
		{"corrupted file", []string{corrupted}, []string{corrupted + ": cannot read the file as an .xlsx workbook"}},
		{"conflicting decisions", []string{conflict}, []string{
			conflict + ": 1 problem with the decisions; fix these cells and run again:\n",
			"\n  Results!O2, Administrators!O2: account 100, user 1 has different decisions (Keep in Results!O2, Revoke in Administrators!O2)",
		}},
		{"unknown decision", []string{unknown}, []string{
			"\n  Results!O3: decision \"Remove\" is not Keep, Revoke or Change group",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runDecisionsCLI(t, nil, nil, false, tt.args...)
			if res.code != exitUsage {
				t.Errorf("exit status %d, want %d", res.code, exitUsage)
			}
			if res.stdout != "" {
				t.Errorf("stdout = %q, want nothing", res.stdout)
			}
			for _, part := range tt.stderr {
				if !strings.Contains(res.stderr, part) {
					t.Errorf("stderr %q lacks %q", res.stderr, part)
				}
			}
		})
	}
}

func TestDecisionsStdoutFailure(t *testing.T) {
	path := decisionsWorkbook(t, report.ModeAudit)
	res := runDecisionsCLI(t, nil, failingStdout{}, false, path)
	if res.code != exitFatal || !strings.Contains(res.stderr, "write the decisions to standard output") {
		t.Errorf("exit status %d, stderr %q; want %d and a write error", res.code, res.stderr, exitFatal)
	}
}

type failingStdout struct{}

func (failingStdout) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestDecisionsHelp(t *testing.T) {
	res := runDecisionsCLI(t, nil, nil, false, "--help")
	if res.code != exitOK || !strings.Contains(res.stdout, "REVIEWED.xlsx") {
		t.Errorf("exit status %d, stdout %q; want 0 and the usage", res.code, res.stdout)
	}
}

// TestDecisionsFeedOffboardingSweep goes through the whole review: audit
// with run, fill in the workbook, print the decisions, and sweep the
// printed pairs with run in offboarding mode.
func TestDecisionsFeedOffboardingSweep(t *testing.T) {
	_, baseURL := newFakeAPI(t, fakeAnswers())
	dir := t.TempDir()
	audited := runCLI(t, map[string]string{"GCORE_API_KEY": e2eKey}, fakeInput,
		"run", "-", "--base-url", baseURL, "--rate", "0", "--retries", "0", "--format", "xlsx", "--output-dir", dir)
	if audited.code != exitPairErrors {
		t.Fatalf("audit run: exit status %d, want %d; stderr:\n%s", audited.code, exitPairErrors, audited.stderr)
	}
	xlsxPath := strings.TrimSpace(audited.stdout)

	decide(t, xlsxPath,
		[5]string{"Results", "100", "2", "revoke", "left, in March"},
		[5]string{"Administrators", "100", "7", "Change group", "should be Users"},
		[5]string{"Administrators", "100", "1", "Keep", "owner"},
	)
	printed := runDecisionsCLI(t, nil, nil, false, xlsxPath)
	want := "client_id,user_id,decision,comment\n" +
		"100,2,Revoke,\"left, in March\"\n" +
		"100,7,Change group,should be Users\n"
	if printed.code != exitOK || printed.stdout != want {
		t.Fatalf("decisions: exit status %d, stdout:\n%s\nwant 0 and:\n%s\nstderr:\n%s", printed.code, printed.stdout, want, printed.stderr)
	}

	sweep := runCLI(t, map[string]string{"GCORE_API_KEY": e2eKey}, printed.stdout,
		"run", "-", "--base-url", baseURL, "--rate", "0", "--mode", "offboarding", "--format", "json",
		"--output-dir", filepath.Join(dir, "sweep"), "--strict")
	if sweep.code != exitOK {
		t.Fatalf("sweep: exit status %d, want 0; stderr:\n%s", sweep.code, sweep.stderr)
	}
	rep := readJSONReport(t, strings.TrimSpace(sweep.stdout))
	if len(rep.Results) != 2 {
		t.Fatalf("sweep report has %d results, want 2", len(rep.Results))
	}
	for i, w := range []struct {
		user     int64
		decision string
		comment  string
	}{{2, "Revoke", "left, in March"}, {7, "Change group", "should be Users"}} {
		got := rep.Results[i]
		if got.ClientID != 100 || got.UserID != w.user || got.Columns["decision"] != w.decision || got.Columns["comment"] != w.comment {
			t.Errorf("sweep result %d: %d/%d columns %q, want 100/%d decision %q comment %q",
				i, got.ClientID, got.UserID, got.Columns, w.user, w.decision, w.comment)
		}
	}
}
