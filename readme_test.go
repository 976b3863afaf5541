package main

// The tests in readme_test.go and its neighbours run the examples of the
// "Workflows" section of README.md as a reader would. This file runs every
// shell block fenced "sh run", in order, after the "sh serve" block that
// starts the simulator. readme_schedule_test.go runs the command of the
// crontab line, the ExecStart= of the systemd service and the command of the
// Kubernetes CronJob, with their absolute paths moved into a temporary
// folder. readme_units_test.go checks the units and the manifest. Every
// request goes to an "accessaudit simulate" process or an in-process
// simulator on 127.0.0.1.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/accessaudit/accessaudit/audit"
)

// readmeAddr is the listen address that the README's examples use. The
// tests replace it by the address of the simulator they start.
const readmeAddr = "127.0.0.1:8080"

// readmeBlock is one fenced code block of README.md.
type readmeBlock struct {
	info []string // words of the fence's info string, such as ["sh", "run"]
	text string
	line int // 1-based line of the opening fence
}

// readmeBlocks returns every fenced code block of README.md in order. A fence
// is a line that starts with three backquotes at the left margin.
func readmeBlocks(t *testing.T) []readmeBlock {
	t.Helper()
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}

	var blocks []readmeBlock
	var open *readmeBlock
	for i, line := range strings.Split(string(data), "\n") {
		switch {
		case open == nil && strings.HasPrefix(line, "```"):
			open = &readmeBlock{info: strings.Fields(line[3:]), line: i + 1}
		case open != nil && strings.TrimSpace(line) == "```":
			blocks = append(blocks, *open)
			open = nil
		case open != nil:
			open.text += line + "\n"
		}
	}
	if open != nil {
		t.Fatalf("README.md line %d: code block is never closed", open.line)
	}
	return blocks
}

func (b readmeBlock) is(info ...string) bool { return slices.Equal(b.info, info) }

// onlyBlock returns the one block whose info string is info.
func onlyBlock(t *testing.T, blocks []readmeBlock, info ...string) readmeBlock {
	t.Helper()
	var found []readmeBlock
	for _, b := range blocks {
		if b.is(info...) {
			found = append(found, b)
		}
	}
	if len(found) != 1 {
		t.Fatalf("README.md has %d blocks fenced %q, want 1", len(found), strings.Join(info, " "))
	}
	return found[0]
}

// baseURLSetting matches an assignment of GCORE_BASE_URL or a --base-url
// flag, with its value.
var baseURLSetting = regexp.MustCompile(`(?:GCORE_BASE_URL=|--base-url[= ])(\S*)`)

// requireLoopback fails the test unless every API root that text sets is on
// 127.0.0.1, so that no example can reach another host.
func requireLoopback(t *testing.T, where, text string) {
	t.Helper()
	for _, m := range baseURLSetting.FindAllStringSubmatch(text, -1) {
		if !strings.HasPrefix(m[1], "http://127.0.0.1:") {
			t.Fatalf("%s sets the API root to %q; the tests send requests to 127.0.0.1 only", where, m[1])
		}
	}
	if strings.Contains(text, "unset GCORE_BASE_URL") || strings.Contains(text, "env -u") {
		t.Fatalf("%s clears GCORE_BASE_URL; the tests send requests to 127.0.0.1 only", where)
	}
}

// lockedBuffer is a bytes.Buffer that a process may write while the test
// reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startBackground starts cmd in its own process group and returns the first
// line it prints on stdout. The whole group gets SIGTERM when the test ends,
// and SIGKILL 5 s later if it is still running.
func startBackground(t *testing.T, cmd *exec.Cmd) string {
	t.Helper()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}

	firstLine := make(chan string, 1)
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		lines := bufio.NewScanner(stdout)
		if lines.Scan() {
			firstLine <- lines.Text()
		}
		close(firstLine)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	t.Cleanup(func() {
		pgid := cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-drained:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			<-drained
		}
		_ = cmd.Wait()
	})

	select {
	case line, ok := <-firstLine:
		if !ok {
			t.Fatalf("%s ended without printing anything; stderr:\n%s", cmd, stderr.String())
		}
		return line
	case <-time.After(10 * time.Second):
		t.Fatalf("%s printed nothing within 10 s; stderr:\n%s", cmd, stderr.String())
	}
	return ""
}

// startSimulate starts "accessaudit simulate" on a free loopback port with
// the given extra arguments and returns its base URL.
func startSimulate(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"simulate", "--listen", "127.0.0.1:0"}, args...)...)
	baseURL := startBackground(t, cmd)
	if !strings.HasPrefix(baseURL, "http://127.0.0.1:") {
		t.Fatalf("simulate printed %q, want its base URL on 127.0.0.1", baseURL)
	}
	return baseURL
}

// blockOutput is what one shell block printed.
type blockOutput struct {
	stdout string
	stderr string
}

// readmeWorkspace is the working folder of a reader who follows the
// Workflows section from the root of a clone.
type readmeWorkspace struct {
	dir     string
	env     []string
	baseURL string // of the simulator that the "sh serve" block started
}

// newReadmeWorkspace prepares a folder with testdata/ as in the repository,
// and an environment whose PATH finds the built binary as "accessaudit".
func newReadmeWorkspace(t *testing.T) *readmeWorkspace {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"sample.csv", "directory.json"} {
		copyFile(t, filepath.Join("testdata", name), filepath.Join(dir, "testdata", name))
	}
	binDir := t.TempDir()
	if err := os.Symlink(binary, filepath.Join(binDir, "accessaudit")); err != nil {
		t.Fatal(err)
	}
	env := cleanEnviron()
	env = append(env, "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"), "HOME="+t.TempDir())
	return &readmeWorkspace{dir: dir, env: env}
}

// cleanEnviron returns the test's environment without the variables that
// the examples set themselves.
func cleanEnviron() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "GCORE_") || name == "PATH" || name == "HOME" {
			continue
		}
		env = append(env, kv)
	}
	return env
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func (w *readmeWorkspace) path(name string) string { return filepath.Join(w.dir, name) }

// script returns the text of a block with the README's simulator address
// replaced by the one the test started.
func (w *readmeWorkspace) script(b readmeBlock) string {
	return strings.ReplaceAll(b.text, readmeAddr, strings.TrimPrefix(w.baseURL, "http://"))
}

// serve starts a "sh serve" block as a reader does in a second terminal, on
// a free port instead of the README's, and keeps the base URL it prints.
func (w *readmeWorkspace) serve(t *testing.T, b readmeBlock) {
	t.Helper()
	script := strings.ReplaceAll(b.text, readmeAddr, "127.0.0.1:0")
	cmd := exec.Command("bash", "-c", "set -euo pipefail\n"+script)
	cmd.Dir = w.dir
	cmd.Env = w.env
	w.baseURL = startBackground(t, cmd)
	if !strings.HasPrefix(w.baseURL, "http://127.0.0.1:") {
		t.Fatalf("README.md line %d: the simulator printed %q, want its base URL on 127.0.0.1", b.line, w.baseURL)
	}
	w.env = append(w.env, "GCORE_BASE_URL="+w.baseURL)
}

// run runs a "sh run" block with bash in strict mode and fails the test
// unless it exits 0 within a minute.
func (w *readmeWorkspace) run(t *testing.T, b readmeBlock) blockOutput {
	t.Helper()
	script := w.script(b)
	requireLoopback(t, fmt.Sprintf("README.md line %d", b.line), script)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", "set -euo pipefail\n"+script)
	cmd.Dir = w.dir
	cmd.Env = w.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr

	if err := cmd.Run(); err != nil {
		t.Fatalf("README.md line %d: block failed: %v\n--- block\n%s--- stdout\n%s--- stderr\n%s",
			b.line, err, script, stdout.String(), stderr.String())
	}
	return blockOutput{stdout: stdout.String(), stderr: stderr.String()}
}

// readmeStep checks the effects of the one "sh run" block that contains
// marker.
type readmeStep struct {
	marker string
	check  func(t *testing.T, w *readmeWorkspace, out blockOutput)
}

func TestReadmeShellBlocks(t *testing.T) {
	t.Parallel()
	blocks := readmeBlocks(t)
	w := newReadmeWorkspace(t)
	steps := readmeSteps()
	done := make([]bool, len(steps))

	for _, b := range blocks {
		switch {
		case b.is("sh", "serve"):
			w.serve(t, b)
		case b.is("sh", "run"):
			if w.baseURL == "" {
				t.Fatalf("README.md line %d: a sh run block comes before the sh serve block that starts the simulator", b.line)
			}
			i := stepFor(t, steps, b)
			if done[i] {
				t.Fatalf("README.md line %d: a second block contains %q; give the test a marker unique to each block", b.line, steps[i].marker)
			}
			done[i] = true
			out := w.run(t, b)
			steps[i].check(t, w, out)
		}
	}

	for i, step := range steps {
		if !done[i] {
			t.Errorf("no sh run block in README.md contains %q; update readme_test.go with the README", step.marker)
		}
	}
}

// stepFor returns the index of the step whose marker the block contains.
func stepFor(t *testing.T, steps []readmeStep, b readmeBlock) int {
	t.Helper()
	found := -1
	for i, step := range steps {
		if !strings.Contains(b.text, step.marker) {
			continue
		}
		if found >= 0 {
			t.Fatalf("README.md line %d: the block contains the markers %q and %q", b.line, steps[found].marker, step.marker)
		}
		found = i
	}
	if found < 0 {
		t.Fatalf("README.md line %d: no check in readme_test.go for this sh run block:\n%s", b.line, b.text)
	}
	return found
}

// The pairs that the Workflows section names, in the rehearsal files.
var (
	tarasPair       = audit.Pair{ClientID: 5016, UserID: 65535} // approved administrator
	quinnsPair      = audit.Pair{ClientID: 5032, UserID: 97769} // administrator, not approved
	davidsPair      = audit.Pair{ClientID: 5001, UserID: 60119} // Engineer, to move to another group
	eriksPair       = audit.Pair{ClientID: 5001, UserID: 99457} // leaver still in the account
	zoesPair        = audit.Pair{ClientID: 5009, UserID: 96602} // leaver no longer in the account
	umarsPair       = audit.Pair{ClientID: 5021, UserID: 88906} // leaver in an account the key cannot see
	reviewDecisions = map[audit.Pair][2]string{                 // what the test writes as reviewer: decision and comment
		quinnsPair: {"Revoke", "not on the approved list"},
		davidsPair: {"Change group", "should be Users"},
	}
)

func readmeSteps() []readmeStep {
	return []readmeStep{
		{"head -n 64 testdata/sample.csv > pairs.csv", checkRehearsalSetup},
		{"--json q4.json --xlsx q4.xlsx pairs.csv", checkQuarterRun},
		{"accessaudit decisions q4-reviewed.xlsx > q4-changes.csv", checkDecisions},
		{"accessaudit diff q3.json q4.json", checkDiffTable},
		{"diff --fail-on new-admin q3.json q4.json", checkDiffFailOn},
		{"leavers.csv", checkLeaversSweep},
		{"--output-dir sweeps q4-changes.csv", checkDecisionsSweep},
	}
}

func checkRehearsalSetup(t *testing.T, w *readmeWorkspace, out blockOutput) {
	info, err := os.Stat(w.path("api-key"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("api-key has mode %v, want 0600 as the README says", info.Mode().Perm())
	}
	if !strings.Contains(out.stdout, "61 pairs to audit, 2 rejected") {
		t.Errorf("validate output lacks the counts the README gives (61 pairs, 2 rejected):\n%s", out.stdout)
	}
	for _, line := range []string{"line 4: rejected", "line 36: rejected"} {
		if !strings.Contains(out.stdout, line) {
			t.Errorf("validate output lacks %q:\n%s", line, out.stdout)
		}
	}
	for _, warning := range []string{"line=4 ", "line=36 "} {
		if !strings.Contains(out.stderr, warning) {
			t.Errorf("run did not warn about the rejected row (%s) on stderr:\n%s", warning, out.stderr)
		}
	}
	if strings.Contains(out.stderr, "readable by other users") {
		t.Errorf("run warned about the mode of api-key:\n%s", out.stderr)
	}

	jsonPath, xlsxPath := onlyReport(t, w.dir)
	if !strings.HasSuffix(out.stdout, jsonPath+"\n"+xlsxPath+"\n") {
		t.Errorf("stdout does not end with the paths of the reports %s and %s:\n%s", jsonPath, xlsxPath, out.stdout)
	}
	rep := readJSONReport(t, w.path(jsonPath))
	sum := rep.Summary
	if sum.Pairs != 61 || sum.Administrators != 3 || sum.Forbidden != 4 || sum.NotFound != 1 || sum.Error != 0 {
		t.Errorf("summary = %+v, want the README's 61 pairs, 3 administrators, 4 forbidden, 1 not found, 0 errors", sum)
	}
	if rep.Run.Input.Rejected != 2 {
		t.Errorf("%d rejected rows, want 2", rep.Run.Input.Rejected)
	}
}

// onlyReport returns the names of the one JSON report and workbook in dir
// named accessaudit-*.
func onlyReport(t *testing.T, dir string) (string, string) {
	t.Helper()
	jsons, _ := filepath.Glob(filepath.Join(dir, "accessaudit-*.json"))
	xlsxs, _ := filepath.Glob(filepath.Join(dir, "accessaudit-*.xlsx"))
	if len(jsons) != 1 || len(xlsxs) != 1 {
		t.Fatalf("%s holds reports %v and %v, want one of each", dir, jsons, xlsxs)
	}
	return filepath.Base(jsons[0]), filepath.Base(xlsxs[0])
}

// workflowReport is the part of a JSON report that the workflow checks read
// beyond jsonReport.
type workflowReport struct {
	Run struct {
		Mode  string `json:"mode"`
		Input struct {
			Path string `json:"path"`
		} `json:"input"`
	} `json:"run"`
	Summary struct {
		Pairs                    int  `json:"pairs"`
		UnapprovedAdministrators *int `json:"unapproved_administrators"`
		StillHasAccess           int  `json:"still_has_access"`
	} `json:"summary"`
	Results []workflowResult `json:"results"`
}

type workflowResult struct {
	ClientID       int64             `json:"client_id"`
	UserID         int64             `json:"user_id"`
	Outcome        string            `json:"outcome"`
	Admin          bool              `json:"admin"`
	Approved       *bool             `json:"approved"`
	StillHasAccess bool              `json:"still_has_access"`
	Attempts       int               `json:"attempts"`
	Columns        map[string]string `json:"columns"`
}

// readWorkflowReport reads the report at path, after checking it against
// the schema, and indexes its results by pair.
func readWorkflowReport(t *testing.T, path string) (workflowReport, map[audit.Pair]workflowResult) {
	t.Helper()
	readJSONReport(t, path)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep workflowReport
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	byPair := make(map[audit.Pair]workflowResult, len(rep.Results))
	for _, r := range rep.Results {
		byPair[audit.Pair{ClientID: r.ClientID, UserID: r.UserID}] = r
	}
	return rep, byPair
}

func checkQuarterRun(t *testing.T, w *readmeWorkspace, out blockOutput) {
	if out.stdout != "q4.json\nq4.xlsx\n" {
		t.Errorf("stdout = %q, want the two report paths q4.json and q4.xlsx", out.stdout)
	}
	rep, results := readWorkflowReport(t, w.path("q4.json"))
	if u := rep.Summary.UnapprovedAdministrators; u == nil || *u != 1 {
		t.Errorf("unapproved_administrators = %v, want 1 (Quinn Keller)", u)
	}
	if r := results[quinnsPair]; !r.Admin || r.Approved == nil || *r.Approved {
		t.Errorf("Quinn Keller: admin %v approved %v, want an administrator who is not approved", r.Admin, r.Approved)
	}
	if r := results[tarasPair]; !r.Admin || r.Approved == nil || !*r.Approved {
		t.Errorf("Tara Park: admin %v approved %v, want an approved administrator", r.Admin, r.Approved)
	}

	f, err := excelize.OpenFile(w.path("q4.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := sheetCell(t, f, "Administrators", quinnsPair, "Approved"); got != "no" {
		t.Errorf("Administrators sheet: Approved of Quinn Keller = %q, want no", got)
	}
	attention, err := f.GetRows("Needs attention")
	if err != nil {
		t.Fatal(err)
	}
	account := slices.Index(attention[0], "Account ID")
	if len(attention) != 5 {
		t.Errorf("Needs attention has %d data rows, want the 4 of account 5021", len(attention)-1)
	}
	for _, row := range attention[1:] {
		if row[account] != "5021" {
			t.Errorf("Needs attention lists account %s, want only 5021, which the key cannot see", row[account])
		}
	}

	review(t, f, w.path("q4-reviewed.xlsx"))
}

// review does the reviewers' part of the README's rehearsal on the open
// workbook f and saves it as path: Revoke for Quinn Keller on Administrators,
// Keep for Tara Park, and Change group for David Ferreira on Results.
func review(t *testing.T, f *excelize.File, path string) {
	t.Helper()
	setSheetCell(t, f, "Administrators", quinnsPair, "Decision", reviewDecisions[quinnsPair][0])
	setSheetCell(t, f, "Administrators", quinnsPair, "Reviewer comment", reviewDecisions[quinnsPair][1])
	setSheetCell(t, f, "Administrators", tarasPair, "Decision", "Keep")
	setSheetCell(t, f, "Results", davidsPair, "Decision", reviewDecisions[davidsPair][0])
	setSheetCell(t, f, "Results", davidsPair, "Reviewer comment", reviewDecisions[davidsPair][1])
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// sheetCell returns the cell of pair's row under the header column, in the
// way a reviewer finds it: the row by Account ID and User ID, the column by
// its last header of that name.
func sheetCell(t *testing.T, f *excelize.File, sheet string, pair audit.Pair, column string) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	row, col := findCell(t, rows, sheet, pair, column)
	if col >= len(rows[row]) {
		return ""
	}
	return rows[row][col]
}

func setSheetCell(t *testing.T, f *excelize.File, sheet string, pair audit.Pair, column, value string) {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	row, col := findCell(t, rows, sheet, pair, column)
	cell, err := excelize.CoordinatesToCellName(col+1, row+1)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStr(sheet, cell, value); err != nil {
		t.Fatal(err)
	}
}

// findCell returns the 0-based row and column of pair's cell under column.
func findCell(t *testing.T, rows [][]string, sheet string, pair audit.Pair, column string) (int, int) {
	t.Helper()
	if len(rows) == 0 {
		t.Fatalf("sheet %s is empty", sheet)
	}
	header := rows[0]
	account := slices.Index(header, "Account ID")
	user := slices.Index(header, "User ID")
	target := -1
	for i, name := range header {
		if name == column {
			target = i
		}
	}
	if account < 0 || user < 0 || target < 0 {
		t.Fatalf("sheet %s header %q lacks Account ID, User ID or %s", sheet, header, column)
	}
	for i, row := range rows[1:] {
		if len(row) > user && row[account] == strconv.FormatInt(pair.ClientID, 10) && row[user] == strconv.FormatInt(pair.UserID, 10) {
			return i + 1, target
		}
	}
	t.Fatalf("sheet %s has no row for account %d, user %d", sheet, pair.ClientID, pair.UserID)
	return 0, 0
}

func checkDecisions(t *testing.T, w *readmeWorkspace, out blockOutput) {
	data, err := os.ReadFile(w.path("q4-changes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if out.stdout != string(data) {
		t.Errorf("cat printed %q, want the content of q4-changes.csv %q", out.stdout, data)
	}
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("q4-changes.csv is not CSV: %v", err)
	}
	if len(records) == 0 || strings.Join(records[0], ",") != "client_id,user_id,decision,comment" {
		t.Fatalf("q4-changes.csv starts with %q, want the header client_id,user_id,decision,comment", records)
	}

	got := make(map[audit.Pair][2]string)
	for _, rec := range records[1:] {
		client, _ := strconv.ParseInt(rec[0], 10, 64)
		user, _ := strconv.ParseInt(rec[1], 10, 64)
		got[audit.Pair{ClientID: client, UserID: user}] = [2]string{rec[2], rec[3]}
	}
	if fmt.Sprint(got) != fmt.Sprint(reviewDecisions) {
		t.Errorf("q4-changes.csv rows = %v, want the reviewers' Revoke and Change group %v (Keep left out)", got, reviewDecisions)
	}
}

func checkDiffTable(t *testing.T, w *readmeWorkspace, out blockOutput) {
	rep, results := readWorkflowReport(t, w.path("q3.json"))
	if _, ok := results[quinnsPair]; ok || rep.Summary.Pairs != 60 {
		t.Errorf("the Q3 stand-in has %d pairs (Quinn Keller among them: %v), want 60 without him", rep.Summary.Pairs, ok)
	}
	for _, want := range []string{"CATEGORY", "New administrators (1)", "Appeared pairs (1)"} {
		if !strings.Contains(out.stdout, want) {
			t.Errorf("diff output lacks %q:\n%s", want, out.stdout)
		}
	}
	if !regexp.MustCompile(`(?m)^\s*5032\s+97769\s`).MatchString(out.stdout) {
		t.Errorf("diff output has no row for account 5032, user 97769:\n%s", out.stdout)
	}
}

func checkDiffFailOn(t *testing.T, w *readmeWorkspace, out blockOutput) {
	if out.stdout != "new administrators since last quarter, see q4-diff.txt\n" {
		t.Errorf("stdout = %q, want the message for exit status 3", out.stdout)
	}
	data, err := os.ReadFile(w.path("q4-diff.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "New administrators (1)") || !strings.Contains(string(data), "97769") {
		t.Errorf("q4-diff.txt does not list Quinn Keller as a new administrator:\n%s", data)
	}
}

func checkLeaversSweep(t *testing.T, w *readmeWorkspace, out blockOutput) {
	jsonPath, xlsxPath := sweepReports(t, w, "sweep-reports.txt")
	want := "some users still have access: see the Still has access sheet of " + xlsxPath + "\n"
	if out.stdout != want {
		t.Errorf("stdout = %q, want %q", out.stdout, want)
	}

	rep, results := readWorkflowReport(t, w.path(jsonPath))
	if rep.Run.Mode != "offboarding" || rep.Summary.StillHasAccess != 1 {
		t.Errorf("mode %q with %d still having access, want offboarding with 1", rep.Run.Mode, rep.Summary.StillHasAccess)
	}
	cases := []struct {
		who     string
		pair    audit.Pair
		outcome string
		access  bool
	}{
		{"Erik Novak", eriksPair, "ok", true},
		{"Zoë Ashford", zoesPair, "not_found", false},
		{"Umar Jensen", umarsPair, "forbidden", false},
	}
	for _, c := range cases {
		r := results[c.pair]
		if r.Outcome != c.outcome || r.StillHasAccess != c.access {
			t.Errorf("%s: outcome %q still_has_access %v, want %q %v", c.who, r.Outcome, r.StillHasAccess, c.outcome, c.access)
		}
	}

	f, err := excelize.OpenFile(w.path(xlsxPath))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	admins := slices.Index(sheets, "Administrators")
	if admins < 0 || admins+1 >= len(sheets) || sheets[admins+1] != "Still has access" {
		t.Errorf("sheets %q, want Still has access right after Administrators", sheets)
	}
	if got := sheetCell(t, f, "Still has access", eriksPair, "Group name"); got != "Engineers" {
		t.Errorf("Still has access: Group name of Erik Novak = %q, want Engineers", got)
	}
}

// sweepReports returns the report paths that a sweep block saved in the
// file name, after checking that both are in sweeps/.
func sweepReports(t *testing.T, w *readmeWorkspace, name string) (string, string) {
	t.Helper()
	data, err := os.ReadFile(w.path(name))
	if err != nil {
		t.Fatal(err)
	}
	paths := strings.Fields(string(data))
	if len(paths) != 2 || !strings.HasPrefix(paths[0], "sweeps/") || !strings.HasSuffix(paths[0], ".json") ||
		!strings.HasPrefix(paths[1], "sweeps/") || !strings.HasSuffix(paths[1], ".xlsx") {
		t.Fatalf("%s = %q, want a .json and an .xlsx path in sweeps/", name, data)
	}
	return paths[0], paths[1]
}

func checkDecisionsSweep(t *testing.T, w *readmeWorkspace, out blockOutput) {
	if out.stdout != "sweep of q4-changes.csv: exit status 3\n" {
		t.Errorf("stdout = %q, want exit status 3: both pairs are still in the simulator", out.stdout)
	}
	jsonPath, _ := sweepReports(t, w, "q4-sweep-reports.txt")
	rep, results := readWorkflowReport(t, w.path(jsonPath))
	if rep.Run.Input.Path != "q4-changes.csv" || rep.Summary.StillHasAccess != 2 {
		t.Errorf("input %q with %d still having access, want q4-changes.csv with 2", rep.Run.Input.Path, rep.Summary.StillHasAccess)
	}
	for pair, want := range reviewDecisions {
		r := results[pair]
		if !r.StillHasAccess || r.Columns["decision"] != want[0] || r.Columns["comment"] != want[1] {
			t.Errorf("pair %v: still_has_access %v, columns %v, want true with decision %q and comment %q",
				pair, r.StillHasAccess, r.Columns, want[0], want[1])
		}
	}
}
