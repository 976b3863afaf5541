package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	sample := filepath.Join("testdata", "sample.csv")
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout []string
	}{
		{"bundled sample", "", []string{sample}, exitOK, []string{
			"297 data rows: 287 pairs to audit, 6 rejected, 4 duplicates",
			"extra columns: E-mail, Full name, Ticket",
			`line 4: rejected: account ID "5001.0"`,
			"line 205: rejected: user ID \"1.23457E+11\"",
		}},
		{"bundled sample strict", "", []string{"--strict", sample}, exitUsage, []string{"6 rejected"}},
		{"flags after the path", "", []string{sample, "--strict"}, exitUsage, []string{"6 rejected"}},
		{"standard input with duplicates", "1,2\n3,4\n1,2\n", []string{"-"}, exitOK, []string{
			"lines 1, 3: account 1, user 2", "line 2: account 3, user 4",
		}},
		{"no valid row", "1,0\n", []string{"-"}, exitUsage, []string{"line 1: rejected"}},
		{"missing file", "", []string{"no-such-file.csv"}, exitUsage, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, nil, tt.stdin, append([]string{"validate"}, tt.args...)...)
			if res.code != tt.code {
				t.Fatalf("exit status = %d, want %d; stderr:\n%s", res.code, tt.code, res.stderr)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(res.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, res.stdout)
				}
			}
		})
	}
}

func TestDemoWritesBothReports(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new-folder")
	res := runCLI(t, nil, "", "demo", "--output-dir", dir)
	if res.code != exitOK {
		t.Fatalf("exit status = %d; stderr:\n%s", res.code, res.stderr)
	}
	jsonPath, xlsxPath := reportPaths(t, res.stdout)
	rep := readJSONReport(t, jsonPath)

	s := rep.Summary
	if s.Pairs != 287 || s.OK != 244 || s.NotFound != 21 || s.Forbidden != 22 || s.Error != 0 || s.Administrators != 15 {
		t.Errorf("demo summary = %+v, want 287 pairs: 244 ok, 21 not found, 22 forbidden, 15 administrators", s)
	}
	if !rep.Run.Complete || rep.Run.Input.Rejected != 6 || rep.Run.Input.Duplicates != 4 {
		t.Errorf("demo run = %+v", rep.Run)
	}
	if _, err := os.Stat(xlsxPath); err != nil {
		t.Errorf("workbook: %v", err)
	}
	checkWorkbook(t, xlsxPath, rep)
}
