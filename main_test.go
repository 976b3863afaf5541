package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/xuri/excelize/v2"
)

const e2eKey = "e2e-secret-7f3a9c"

// cliResult is what one invocation of the real command line produced.
type cliResult struct {
	code   int
	stdout string
	stderr string
}

// runCLI runs the command line with args (without the program name) and
// the given environment variables and standard input.
func runCLI(t *testing.T, vars map[string]string, stdin string, args ...string) cliResult {
	t.Helper()
	if len(args) > 1 && args[0] == "run" && args[1] != "--help" && !strings.Contains(strings.Join(args, " "), "--base-url http://127.0.0.1:") &&
		!strings.HasPrefix(vars["GCORE_BASE_URL"], "http://127.0.0.1:") {
		t.Fatalf("run without a loopback --base-url would reach the production API: %q", args)
	}
	var stdout, stderr bytes.Buffer
	e := env{
		stdin:  strings.NewReader(stdin),
		stdout: &stdout,
		stderr: &stderr,
		getenv: func(name string) string { return vars[name] },
	}
	code := execute(context.Background(), e, append([]string{"accessaudit"}, args...))
	return cliResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// fakeAPI is a plain IAM API written for these tests, independent of the
// simulator: fixed answers by path, and a log of request times.
type fakeAPI struct {
	t       *testing.T
	answers map[string]func(w http.ResponseWriter)
	mu      sync.Mutex
	times   []time.Time
	paths   map[string]int
}

func newFakeAPI(t *testing.T, answers map[string]func(w http.ResponseWriter)) (*fakeAPI, string) {
	f := &fakeAPI{t: t, answers: answers, paths: make(map[string]int)}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv.URL
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.times = append(f.times, time.Now())
	f.paths[r.URL.Path]++
	f.mu.Unlock()
	if got := r.Header.Get("Authorization"); got != "APIKey "+e2eKey {
		f.t.Errorf("Authorization = %q", got)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	answer, ok := f.answers[r.URL.Path]
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"message":"user not found"}`))
		return
	}
	answer(w)
}

func status(code int, body string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
	}
}

func userPath(client, user int64) string {
	return fmt.Sprintf("/iam/clients/%d/client-users/%d", client, user)
}

// jsonReport is the part of the JSON report these tests read.
type jsonReport struct {
	ReportVersion int `json:"report_version"`
	Run           struct {
		Complete    bool   `json:"complete"`
		Interrupted bool   `json:"interrupted"`
		Mode        string `json:"mode"`
		BaseURL     string `json:"base_url"`
		Input       struct {
			Path       string `json:"path"`
			SHA256     string `json:"sha256"`
			Rows       int    `json:"rows"`
			Pairs      int    `json:"pairs"`
			Rejected   int    `json:"rejected"`
			Duplicates int    `json:"duplicates"`
		} `json:"input"`
	} `json:"run"`
	Summary struct {
		Pairs          int            `json:"pairs"`
		OK             int            `json:"ok"`
		NotFound       int            `json:"not_found"`
		Forbidden      int            `json:"forbidden"`
		Error          int            `json:"error"`
		Administrators int            `json:"administrators"`
		Groups         map[string]int `json:"groups"`
	} `json:"summary"`
	Results []struct {
		Line       int               `json:"line"`
		Lines      []int             `json:"lines"`
		ClientID   int64             `json:"client_id"`
		UserID     int64             `json:"user_id"`
		Outcome    string            `json:"outcome"`
		HTTPStatus int               `json:"http_status"`
		GroupID    *int64            `json:"group_id"`
		GroupName  *string           `json:"group_name"`
		Admin      bool              `json:"admin"`
		ErrorKind  *string           `json:"error_kind"`
		Error      *string           `json:"error"`
		Attempts   int               `json:"attempts"`
		Columns    map[string]string `json:"columns"`
	} `json:"results"`
	Rejected []struct {
		Line   int    `json:"line"`
		Reason string `json:"reason"`
		Text   string `json:"text"`
	} `json:"rejected"`
}

func readJSONReport(t *testing.T, path string) jsonReport {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the JSON report: %v", err)
	}
	validateAgainstSchema(t, data)
	var rep jsonReport
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("decoding the JSON report: %v", err)
	}
	return rep
}

// validateAgainstSchema fails the test unless data is valid under the
// schema that "accessaudit schema" prints.
func validateAgainstSchema(t *testing.T, data []byte) {
	t.Helper()
	res := runCLI(t, nil, "", "schema")
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(res.stdout))
	if err != nil {
		t.Fatalf("schema command output is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("report.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("report.schema.json")
	if err != nil {
		t.Fatalf("compiling the schema: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("report is not JSON: %v", err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Fatalf("report does not match the schema: %v", err)
	}
}

// reportPaths returns the JSON and XLSX paths printed on stdout.
func reportPaths(t *testing.T, stdout string) (string, string) {
	t.Helper()
	lines := strings.Fields(stdout)
	if len(lines) != 2 || !strings.HasSuffix(lines[0], ".json") || !strings.HasSuffix(lines[1], ".xlsx") {
		t.Fatalf("stdout = %q, want a .json and an .xlsx path, one per line", stdout)
	}
	return lines[0], lines[1]
}

const fakeInput = "client_id,user_id,email,note\n" +
	"100,1,admin@example.com,owner\n" +
	"100,2,user@example.com,\n" +
	"# a comment line\n" +
	"200,3,\"=HYPERLINK(\"\"http://example.com\"\")\",formula-like\n" +
	"100,4,gone@example.com\n" +
	"\n" +
	"100,5,flaky@example.com\n" +
	"100,1,admin@example.com,again\n" +
	"abc,5,bad@example.com\n" +
	"100,6,odd@example.com\n" +
	"100,7,renamed@example.com\n"

func fakeAnswers() map[string]func(w http.ResponseWriter) {
	return map[string]func(w http.ResponseWriter){
		userPath(100, 1): status(200, `{"user_role":{"id":1,"name":"Administrators"}}`),
		userPath(100, 2): status(200, `{"user_role":{"id":2,"name":"Users"}}`),
		userPath(200, 3): status(403, `{"message":"no permission for this account"}`),
		userPath(100, 5): status(500, `{"message":"internal"}`),
		userPath(100, 6): status(200, `{}`),
		userPath(100, 7): status(200, `{"user_role":{"id":4242,"name":" ADMINISTRATORS "}}`),
	}
}

func TestRunAgainstPlainAPI(t *testing.T) {
	fake, baseURL := newFakeAPI(t, fakeAnswers())
	dir := t.TempDir()
	inputPath := filepath.Join(dir, "pairs.csv")
	if err := os.WriteFile(inputPath, []byte(fakeInput), 0o600); err != nil {
		t.Fatal(err)
	}

	// Flags after the input path, as a user types them.
	res := runCLI(t, map[string]string{"GCORE_API_KEY": e2eKey}, "",
		"run", inputPath, "--base-url", baseURL, "--rate", "0", "--retries", "1", "--output-dir", dir)
	if res.code != exitPairErrors {
		t.Fatalf("exit status = %d, want %d (a pair ended in error); stderr:\n%s", res.code, exitPairErrors, res.stderr)
	}
	jsonPath, xlsxPath := reportPaths(t, res.stdout)
	rep := readJSONReport(t, jsonPath)

	type want struct {
		line     int
		lines    []int
		client   int64
		user     int64
		outcome  string
		status   int
		group    string
		admin    bool
		kind     string
		attempts int
	}
	wants := []want{
		{2, []int{2, 9}, 100, 1, "ok", 200, "Administrators", true, "", 1},
		{3, []int{3}, 100, 2, "ok", 200, "Users", false, "", 1},
		{5, []int{5}, 200, 3, "forbidden", 403, "", false, "", 1},
		{6, []int{6}, 100, 4, "not_found", 404, "", false, "", 1},
		{8, []int{8}, 100, 5, "error", 500, "", false, "server_error", 2},
		{11, []int{11}, 100, 6, "error", 200, "", false, "invalid_response", 1},
		{12, []int{12}, 100, 7, "ok", 200, " ADMINISTRATORS ", true, "", 1},
	}
	if len(rep.Results) != len(wants) {
		t.Fatalf("%d results, want %d", len(rep.Results), len(wants))
	}
	for i, w := range wants {
		got := rep.Results[i]
		if got.Line != w.line || fmt.Sprint(got.Lines) != fmt.Sprint(w.lines) || got.ClientID != w.client || got.UserID != w.user {
			t.Errorf("result %d: line %d lines %v pair %d/%d, want line %d lines %v pair %d/%d",
				i, got.Line, got.Lines, got.ClientID, got.UserID, w.line, w.lines, w.client, w.user)
		}
		if got.Outcome != w.outcome || got.HTTPStatus != w.status || got.Admin != w.admin || got.Attempts != w.attempts {
			t.Errorf("result %d: %s/%d admin=%v attempts=%d, want %s/%d admin=%v attempts=%d",
				i, got.Outcome, got.HTTPStatus, got.Admin, got.Attempts, w.outcome, w.status, w.admin, w.attempts)
		}
		gotGroup := ""
		if got.GroupName != nil {
			gotGroup = *got.GroupName
		}
		if gotGroup != w.group {
			t.Errorf("result %d: group name %q, want %q", i, gotGroup, w.group)
		}
		gotKind := ""
		if got.ErrorKind != nil {
			gotKind = *got.ErrorKind
		}
		if gotKind != w.kind {
			t.Errorf("result %d: error kind %q, want %q", i, gotKind, w.kind)
		}
	}
	if got := rep.Results[0].Columns; got["email"] != "admin@example.com" || got["note"] != "owner" {
		t.Errorf("columns of the duplicated pair = %v, want those of its first line", got)
	}
	if got := rep.Results[2].Columns["email"]; got != `=HYPERLINK("http://example.com")` {
		t.Errorf("formula-like email = %q, want the exact text", got)
	}

	in := rep.Run.Input
	if in.Rows != 9 || in.Pairs != 7 || in.Rejected != 1 || in.Duplicates != 1 || in.Rows != in.Pairs+in.Rejected+in.Duplicates {
		t.Errorf("input counts = %+v, want rows 9, pairs 7, rejected 1, duplicates 1", in)
	}
	if len(rep.Rejected) != 1 || rep.Rejected[0].Line != 10 || !strings.Contains(rep.Rejected[0].Reason, `"abc"`) {
		t.Errorf("rejected = %+v, want line 10 naming \"abc\"", rep.Rejected)
	}
	s := rep.Summary
	if s.Pairs != 7 || s.OK != 3 || s.NotFound != 1 || s.Forbidden != 1 || s.Error != 2 || s.Administrators != 2 {
		t.Errorf("summary = %+v", s)
	}
	if !rep.Run.Complete || rep.Run.Interrupted {
		t.Errorf("run complete=%v interrupted=%v, want complete and not interrupted", rep.Run.Complete, rep.Run.Interrupted)
	}
	if n := fake.paths[userPath(100, 1)]; n != 1 {
		t.Errorf("duplicated pair queried %d times, want once", n)
	}

	checkWorkbook(t, xlsxPath, rep)
	assertNoKey(t, e2eKey, res, dir)
}

// checkWorkbook reads the workbook back and compares the Results sheet
// with the JSON report, cell by cell.
func checkWorkbook(t *testing.T, path string, rep jsonReport) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("opening the workbook: %v", err)
	}
	defer f.Close()

	wantSheets := []string{"Summary", "Results", "Administrators", "Needs attention", "Rejected input"}
	if got := f.GetSheetList(); fmt.Sprint(got) != fmt.Sprint(wantSheets) {
		t.Errorf("sheets = %v, want %v", got, wantSheets)
	}
	rows, err := f.GetRows("Results")
	if err != nil {
		t.Fatalf("reading Results: %v", err)
	}
	header := rows[0]
	col := func(name string) int {
		for i, h := range header {
			if h == name {
				return i
			}
		}
		t.Fatalf("Results has no column %q; header %v", name, header)
		return -1
	}
	for _, name := range []string{"Line", "Account ID", "User ID"} {
		if header[col(name)] != name || col(name) > 2 {
			t.Errorf("column %q at %d, want among the first three", name, col(name))
		}
	}
	if len(rows)-1 != len(rep.Results) {
		t.Fatalf("Results has %d data rows, want %d", len(rows)-1, len(rep.Results))
	}
	for i, r := range rep.Results {
		row := rows[i+1]
		cell := func(name string) string {
			c := col(name)
			if c < len(row) {
				return row[c]
			}
			return ""
		}
		if cell("Account ID") != fmt.Sprint(r.ClientID) || cell("User ID") != fmt.Sprint(r.UserID) || cell("Outcome") != r.Outcome {
			t.Errorf("Results row %d = %v, want pair %d/%d outcome %s", i+2, row, r.ClientID, r.UserID, r.Outcome)
		}
		wantAdmin := map[bool]string{true: "yes", false: "no"}[r.Admin]
		if cell("Administrator") != wantAdmin {
			t.Errorf("Results row %d Administrator = %q, want %q", i+2, cell("Administrator"), wantAdmin)
		}
		for name, value := range r.Columns {
			if cell(name) != value {
				t.Errorf("Results row %d column %q = %q, want %q", i+2, name, cell(name), value)
			}
		}
	}

	// IDs are numbers; formula-like input text is a plain string.
	accountCell, _ := excelize.CoordinatesToCellName(col("Account ID")+1, 2)
	if typ, _ := f.GetCellType("Results", accountCell); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("Account ID cell %s has type %v, want a number", accountCell, typ)
	}
	for row := 2; row <= len(rows); row++ {
		for c := 1; c <= len(header); c++ {
			name, _ := excelize.CoordinatesToCellName(c, row)
			if formula, _ := f.GetCellFormula("Results", name); formula != "" {
				t.Errorf("cell %s holds formula %q, want plain text", name, formula)
			}
		}
	}

	admins, _ := f.GetRows("Administrators")
	if len(admins)-1 != rep.Summary.Administrators {
		t.Errorf("Administrators has %d rows, want %d", len(admins)-1, rep.Summary.Administrators)
	}
	attention, _ := f.GetRows("Needs attention")
	if len(attention)-1 != rep.Summary.Forbidden+rep.Summary.Error {
		t.Errorf("Needs attention has %d rows, want %d", len(attention)-1, rep.Summary.Forbidden+rep.Summary.Error)
	}
	rejected, _ := f.GetRows("Rejected input")
	if len(rejected)-1 != len(rep.Rejected) {
		t.Errorf("Rejected input has %d rows, want %d", len(rejected)-1, len(rep.Rejected))
	}
}

// assertNoKey fails if the key appears on stdout, stderr or in any file
// under dir.
func assertNoKey(t *testing.T, key string, res cliResult, dir string) {
	t.Helper()
	if strings.Contains(res.stdout, key) || strings.Contains(res.stderr, key) {
		t.Errorf("the key appears on stdout or stderr")
	}
	_ = filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err == nil && bytes.Contains(data, []byte(key)) {
			t.Errorf("the key appears in %s", path)
		}
		return nil
	})
}

func TestRunRateLimitHolds(t *testing.T) {
	answers := map[string]func(w http.ResponseWriter){}
	var input strings.Builder
	for user := int64(1); user <= 70; user++ {
		answers[userPath(9, user)] = status(200, `{"user_role":{"id":2,"name":"Users"}}`)
		fmt.Fprintf(&input, "9,%d\n", user)
	}
	fake, baseURL := newFakeAPI(t, answers)

	dir := t.TempDir()
	res := runCLI(t, map[string]string{"GCORE_API_KEY": e2eKey}, input.String(),
		"run", "--base-url", baseURL, "--rate", "20", "--burst", "1", "--concurrency", "16", "--output-dir", dir, "--format", "json", "-")
	if res.code != exitOK {
		t.Fatalf("exit status = %d; stderr:\n%s", res.code, res.stderr)
	}

	times := append([]time.Time(nil), fake.times...)
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	if len(times) != 70 {
		t.Fatalf("server saw %d requests, want 70", len(times))
	}
	peak, at := 0, 0
	for i := range times {
		j := i
		for j < len(times) && times[j].Sub(times[i]) < time.Second {
			j++
		}
		if j-i > peak {
			peak, at = j-i, i
		}
	}
	if peak > 21 {
		var gaps []string
		for k := at + 1; k < at+peak; k++ {
			gaps = append(gaps, times[k].Sub(times[k-1]).Round(time.Millisecond).String())
		}
		t.Errorf("busiest one-second window held %d requests, want at most 21 (rate 20 plus burst 1); gaps %v", peak, gaps)
	}
	if elapsed := times[len(times)-1].Sub(times[0]); elapsed < 3*time.Second {
		t.Errorf("70 requests at 20/s took %s, want at least 3.4s", elapsed)
	}
}

func TestRunExitStatuses(t *testing.T) {
	_, baseURL := newFakeAPI(t, fakeAnswers())
	rejectKey := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(rejectKey.Close)
	good := "100,1\n100,2\n"

	tests := []struct {
		name    string
		vars    map[string]string
		stdin   string
		args    []string
		code    int
		stderr  string
		reports bool
	}{
		{"all fine", map[string]string{"GCORE_API_KEY": e2eKey}, good, []string{"--base-url", baseURL}, exitOK, "", true},
		{"missing key", nil, good, []string{"--base-url", baseURL}, exitUsage, "GCORE_API_KEY", false},
		{"key rejected", map[string]string{"GCORE_API_KEY": e2eKey}, good, []string{"--base-url", rejectKey.URL}, exitFatal, "rejected the key", false},
		{"no valid row", map[string]string{"GCORE_API_KEY": e2eKey}, "1,0\n0,5\n", []string{"--base-url", baseURL}, exitUsage, "no valid pair", false},
		{"strict with a bad row", map[string]string{"GCORE_API_KEY": e2eKey}, good + "1,-2\n", []string{"--base-url", baseURL, "--strict"}, exitUsage, "--strict", false},
		{"bad flag value", map[string]string{"GCORE_API_KEY": e2eKey}, good, []string{"--base-url", baseURL, "--concurrency", "0"}, exitUsage, "--concurrency", false},
		{"unknown flag", map[string]string{"GCORE_API_KEY": e2eKey}, good, []string{"--base-url", baseURL, "--no-such-flag"}, exitUsage, "no-such-flag", false},
		{"base URL from the environment", map[string]string{"GCORE_API_KEY": e2eKey, "GCORE_BASE_URL": baseURL}, good, nil, exitOK, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args := append([]string{"run", "-", "--output-dir", dir}, tt.args...)
			res := runCLI(t, tt.vars, tt.stdin, args...)
			if res.code != tt.code {
				t.Fatalf("exit status = %d, want %d; stderr:\n%s", res.code, tt.code, res.stderr)
			}
			if !strings.Contains(res.stderr, tt.stderr) {
				t.Errorf("stderr = %q, want it to mention %q", res.stderr, tt.stderr)
			}
			entries, _ := os.ReadDir(dir)
			if got := len(entries) > 0; got != tt.reports {
				t.Errorf("output folder has %d files, want reports written: %v", len(entries), tt.reports)
			}
			if tt.code == exitOK && res.stderr != "" {
				t.Errorf("a successful run off a terminal wrote to stderr: %q", res.stderr)
			}
			assertNoKey(t, e2eKey, res, dir)
		})
	}
}

func TestRunKeyFileWinsOverEnvironment(t *testing.T) {
	_, baseURL := newFakeAPI(t, fakeAnswers())
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key")
	if err := os.WriteFile(keyFile, []byte("apikey "+e2eKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()

	res := runCLI(t, map[string]string{"GCORE_API_KEY": "wrong"}, "100,1\n",
		"run", "-", "--api-key-file", keyFile, "--base-url", baseURL, "--output-dir", out)
	if res.code != exitOK {
		t.Fatalf("exit status = %d; stderr:\n%s", res.code, res.stderr)
	}
}

func TestHelpOnEveryCommand(t *testing.T) {
	for _, cmd := range []string{"run", "demo", "validate", "simulate", "diff", "decisions", "schema", "version"} {
		res := runCLI(t, nil, "", cmd, "--help")
		if res.code != exitOK || !strings.Contains(res.stdout, cmd) {
			t.Errorf("%s --help: exit %d, stdout %q", cmd, res.code, res.stdout)
		}
	}
}

func sheetList(t *testing.T, path string) []string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("opening the workbook: %v", err)
	}
	defer f.Close()
	return f.GetSheetList()
}
