package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The fake API of main_test.go answers: 100/1 Administrators, 100/2 Users,
// 200/3 forbidden, 100/4 not found, 100/7 " ADMINISTRATORS " (id 4242).
const policyInput = "client_id,user_id\n100,1\n100,2\n200,3\n100,4\n100,7\n"

func TestRunFailOnAndModes(t *testing.T) {
	_, baseURL := newFakeAPI(t, fakeAnswers())
	approvedFile := filepath.Join(t.TempDir(), "approved.csv")
	if err := os.WriteFile(approvedFile, []byte("account,user\n100,1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	onlyUsers := "client_id,user_id\n100,2\n100,4\n"

	tests := []struct {
		name   string
		input  string
		args   []string
		code   int
		stderr string
	}{
		{"default fails on nothing", policyInput, nil, exitOK, ""},
		{"admin found", policyInput, []string{"--fail-on", "admin"}, exitFailOn, "admin (2)"},
		{"admin not found", onlyUsers, []string{"--fail-on", "admin"}, exitOK, ""},
		{"unapproved admin found", policyInput, []string{"--approved-admins", approvedFile, "--fail-on", "unapproved-admin"}, exitFailOn, "unapproved-admin (1)"},
		{"every admin approved", "client_id,user_id\n100,1\n", []string{"--approved-admins", approvedFile, "--fail-on", "unapproved-admin"}, exitOK, ""},
		{"forbidden found", policyInput, []string{"--fail-on", "forbidden"}, exitFailOn, "forbidden (1)"},
		{"offboarding still has access", policyInput, []string{"--mode", "offboarding", "--fail-on", "still-has-access"}, exitFailOn, "still-has-access (3)"},
		{"offboarding all gone", "client_id,user_id\n100,4\n", []string{"--mode", "offboarding", "--fail-on", "still-has-access"}, exitOK, ""},
		{"still-has-access outside offboarding", policyInput, []string{"--fail-on", "still-has-access"}, exitOK, ""},
		{"several items", policyInput, []string{"--fail-on", "forbidden, admin"}, exitFailOn, "admin (2), forbidden (1)"},
		{"unapproved-admin needs a list", policyInput, []string{"--fail-on", "unapproved-admin"}, exitUsage, "--approved-admins"},
		{"unknown item", policyInput, []string{"--fail-on", "admins"}, exitUsage, `"admins"`},
		{"unknown mode", policyInput, []string{"--mode", "sweep"}, exitUsage, "--mode"},
		{"pair errors win over fail-on", policyInput + "100,5\n", []string{"--fail-on", "admin", "--retries", "0"}, exitPairErrors, "admin (2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args := append([]string{"run", "--base-url", baseURL, "--rate", "0", "--output-dir", dir, "-"}, tt.args...)
			res := runCLI(t, map[string]string{"GCORE_API_KEY": e2eKey}, tt.input, args...)
			if res.code != tt.code {
				t.Fatalf("exit status = %d, want %d; stderr:\n%s", res.code, tt.code, res.stderr)
			}
			if !strings.Contains(res.stderr, tt.stderr) {
				t.Errorf("stderr = %q, want it to contain %q", res.stderr, tt.stderr)
			}
		})
	}
}

func TestRunOffboardingReport(t *testing.T) {
	_, baseURL := newFakeAPI(t, fakeAnswers())
	dir := t.TempDir()

	res := runCLI(t, map[string]string{"GCORE_API_KEY": e2eKey}, policyInput,
		"run", "--base-url", baseURL, "--rate", "0", "--output-dir", dir, "--mode", "offboarding", "-")
	if res.code != exitOK {
		t.Fatalf("exit status = %d; stderr:\n%s", res.code, res.stderr)
	}
	jsonPath, xlsxPath := reportPaths(t, res.stdout)
	rep := readJSONReport(t, jsonPath)
	if rep.Run.Mode != "offboarding" {
		t.Errorf("run.mode = %q, want offboarding", rep.Run.Mode)
	}

	data, _ := os.ReadFile(jsonPath)
	if !strings.Contains(strings.ReplaceAll(string(data), " ", ""), `"still_has_access":3`) {
		t.Errorf("summary lacks still_has_access 3")
	}
	sheets := sheetList(t, xlsxPath)
	want := "Summary,Results,Administrators,Still has access,Needs attention,Rejected input"
	if strings.Join(sheets, ",") != want {
		t.Errorf("sheets = %v, want %s", sheets, want)
	}
}

func TestRunApprovedColumn(t *testing.T) {
	_, baseURL := newFakeAPI(t, fakeAnswers())
	dir := t.TempDir()
	approvedFile := filepath.Join(dir, "approved.csv")
	if err := os.WriteFile(approvedFile, []byte("100;1\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	res := runCLI(t, map[string]string{"GCORE_API_KEY": e2eKey}, policyInput,
		"run", "--base-url", baseURL, "--rate", "0", "--output-dir", dir, "--format", "json", "--approved-admins", approvedFile, "-")
	if res.code != exitOK {
		t.Fatalf("exit status = %d; stderr:\n%s", res.code, res.stderr)
	}
	data, err := os.ReadFile(strings.TrimSpace(res.stdout))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, want := range []string{`"unapproved_administrators":1`, `"client_id":100,"user_id":1,`, `"approved":true`, `"approved":false`} {
		if !strings.Contains(strings.ReplaceAll(text, " ", ""), strings.ReplaceAll(want, " ", "")) {
			t.Errorf("JSON report lacks %s", want)
		}
	}
}

func TestRunSameSecondKeepsBothReports(t *testing.T) {
	_, baseURL := newFakeAPI(t, fakeAnswers())
	dir := t.TempDir()
	var paths []string
	for range 3 {
		res := runCLI(t, map[string]string{"GCORE_API_KEY": e2eKey}, "100,1\n",
			"run", "--base-url", baseURL, "--rate", "0", "--output-dir", dir, "-")
		if res.code != exitOK {
			t.Fatalf("exit status = %d; stderr:\n%s", res.code, res.stderr)
		}
		paths = append(paths, strings.Fields(res.stdout)...)
	}

	seen := make(map[string]bool)
	for _, p := range paths {
		if seen[p] {
			t.Errorf("two runs wrote %s", p)
		}
		seen[p] = true
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 6 {
		t.Errorf("output folder holds %d files after three runs, want 6 reports", len(entries))
	}
}
