package diff

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/accessaudit/accessaudit/audit"
)

const (
	minimalRun     = `"run":{"started_at":"2026-03-01T12:00:00Z","finished_at":"2026-03-01T12:01:00Z","complete":true,"interrupted":false,"mode":"audit"}`
	minimalSummary = `"summary":{"pairs":1}`
	minimalResult  = `{"client_id":1,"user_id":2,"outcome":"ok","group_id":2,"group_name":"Users"}`
)

// minimalReport returns a small report, in the member order accessaudit
// writes, with the given results array elements.
func minimalReport(results string) string {
	return `{"report_version":1,` + minimalRun + `,` + minimalSummary + `,"results":[` + results + `],"rejected":[]}`
}

// TestReadRejectsBadReports passes each broken report as the old and as the
// new report and checks the sentinel, the file named in the error and the
// detail.
func TestReadRejectsBadReports(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		target error
		detail string
	}{
		{"empty file", "", ErrInvalidReport, "the file is empty"},
		{"blank file", " \n\t", ErrInvalidReport, "the file is empty"},
		{"binary garbage", "\x00\x01\xfe", ErrInvalidReport, "invalid JSON near byte 1"},
		{"array", "[]", ErrInvalidReport, "contains a JSON array, not an object"},
		{"null", "null", ErrInvalidReport, "contains a JSON null"},
		{"string", `"report"`, ErrInvalidReport, "contains a JSON string"},
		{"empty object", "{}", ErrInvalidReport, `no "report_version"`},
		{"other JSON document", `{"name":"pkg","version":"1.0.0","dependencies":{"a":"^1"}}`, ErrInvalidReport, `no "report_version"`},
		{"version 2", strings.Replace(minimalReport(minimalResult), `"report_version":1`, `"report_version":2`, 1),
			ErrUnsupportedVersion, "unsupported report_version 2: this accessaudit reads version 1 only"},
		{"version 0", strings.Replace(minimalReport(minimalResult), `"report_version":1`, `"report_version":0`, 1),
			ErrUnsupportedVersion, "report_version 0"},
		{"version as text", strings.Replace(minimalReport(minimalResult), `"report_version":1`, `"report_version":"1"`, 1),
			ErrUnsupportedVersion, `report_version "1"`},
		{"version as fraction", strings.Replace(minimalReport(minimalResult), `"report_version":1`, `"report_version":1.0`, 1),
			ErrUnsupportedVersion, "report_version 1.0"},
		{"version 2 before broken results", `{"report_version":2,"results":[{"client_id":`, ErrUnsupportedVersion, "report_version 2"},
		{"version after results", `{"results":[],"report_version":3}`, ErrUnsupportedVersion, "report_version 3"},
		{"version twice", strings.Replace(minimalReport(minimalResult), `"report_version":1`, `"report_version":1,"report_version":1`, 1),
			ErrInvalidReport, `"report_version" appears twice`},
		{"no results", `{"report_version":1,` + minimalRun + `,` + minimalSummary + `}`, ErrInvalidReport, `no "results"`},
		{"no run", `{"report_version":1,` + minimalSummary + `,"results":[]}`, ErrInvalidReport, `no "run"`},
		{"no summary", `{"report_version":1,` + minimalRun + `,"results":[]}`, ErrInvalidReport, `no "summary"`},
		{"run without complete", strings.Replace(minimalReport(""), `"complete":true,`, "", 1), ErrInvalidReport, `"run" has no "complete"`},
		{"complete as text", strings.Replace(minimalReport(""), `"complete":true`, `"complete":"yes"`, 1), ErrInvalidReport, `run (near byte 25): "complete" is a JSON string, expected bool`},
		{"summary without pairs", strings.Replace(minimalReport(""), `{"pairs":1}`, `{}`, 1), ErrInvalidReport, `"summary" has no "pairs"`},
		{"results null", strings.Replace(minimalReport(""), `"results":[]`, `"results":null`, 1), ErrInvalidReport, `results: found a JSON null`},
		{"results object", strings.Replace(minimalReport(""), `"results":[]`, `"results":{}`, 1), ErrInvalidReport, `results: found a JSON object`},
		{"results twice", strings.Replace(minimalReport(""), `"results":[]`, `"results":[],"results":[]`, 1), ErrInvalidReport, `"results" appears twice`},
		{"result is a number", minimalReport("5"), ErrInvalidReport, "result 1 (near byte 185): found a JSON number, expected an object"},
		{"result is null", minimalReport("null"), ErrInvalidReport, `result 1 (near byte`},
		{"client_id zero", minimalReport(`{"client_id":0,"user_id":2,"outcome":"not_found"}`), ErrInvalidReport, `"client_id" is missing or not a positive integer (got 0)`},
		{"client_id negative", minimalReport(`{"client_id":-4,"user_id":2,"outcome":"not_found"}`), ErrInvalidReport, `(got -4)`},
		{"user_id missing", minimalReport(`{"client_id":1,"outcome":"not_found"}`), ErrInvalidReport, `"user_id" is missing`},
		{"client_id as text", minimalReport(`{"client_id":"1","user_id":2,"outcome":"not_found"}`), ErrInvalidReport, `result 1 (near byte 185): "client_id" is a JSON string, expected int64`},
		{"client_id fraction", minimalReport(`{"client_id":1.5,"user_id":2,"outcome":"not_found"}`), ErrInvalidReport, `"client_id"`},
		{"client_id overflow", minimalReport(`{"client_id":9223372036854775808,"user_id":2,"outcome":"not_found"}`), ErrInvalidReport, `"client_id"`},
		{"unknown outcome", minimalReport(`{"client_id":1,"user_id":2,"outcome":"fine"}`), ErrInvalidReport, `"outcome" "fine" is not one of ok, not_found, forbidden, error`},
		{"missing outcome", minimalReport(`{"client_id":1,"user_id":2}`), ErrInvalidReport, `"outcome" "" is not one of`},
		{"second result broken", minimalReport(minimalResult + `,{"client_id":1,"user_id":0,"outcome":"ok"}`), ErrInvalidReport, "result 2 (near byte"},
		{"pair listed twice", minimalReport(minimalResult + "," + minimalResult), ErrInvalidReport, "result 2 (near byte 261): account 1, user 2 is listed twice"},
		{"trailing object", minimalReport("") + "{}", ErrInvalidReport, "unexpected data after the end of the report"},
		{"trailing text", minimalReport("") + "\nx", ErrInvalidReport, "after the end of the report"},
		{"unclosed object", minimalReport("")[:len(minimalReport(""))-1], ErrInvalidReport, "the file ends early, near byte"},
		{"cut inside a result", minimalReport(minimalResult)[:190], ErrInvalidReport, "result 1 (near byte 185): the file ends early"},
		{"syntax error in results", minimalReport(`{"client_id":1,,}`), ErrInvalidReport, "result 1 (near byte 185): invalid JSON: invalid character ','"},
	}

	for _, tt := range tests {
		for _, badIsNew := range []bool{false, true} {
			role := "old"
			if badIsNew {
				role = "new"
			}
			t.Run(tt.name+" as "+role, func(t *testing.T) {
				good := strings.NewReader(minimalReport(minimalResult))
				bad := strings.NewReader(tt.text)
				var err error
				if badIsNew {
					_, err = Compare(good, bad, "good.json", "bad.json")
				} else {
					_, err = Compare(bad, good, "bad.json", "good.json")
				}

				if !errors.Is(err, tt.target) {
					t.Fatalf("error = %v, want %v", err, tt.target)
				}
				var reportErr *ReportError
				if !errors.As(err, &reportErr) || reportErr.Path != "bad.json" {
					t.Errorf("error %v is not a *ReportError for bad.json", err)
				}
				if !strings.HasPrefix(err.Error(), "bad.json: ") {
					t.Errorf("error %q does not start with the file name", err)
				}
				if !strings.Contains(err.Error(), tt.detail) {
					t.Errorf("error %q does not contain %q", err, tt.detail)
				}
			})
		}
	}
}

// TestReadTruncatedReport cuts a real report at every byte and checks that
// each cut is rejected as invalid, never accepted as a shorter report.
func TestReadTruncatedReport(t *testing.T) {
	path := writeFixture(t, t.TempDir(), "full.json", fixture{results: []*audit.Result{
		admin(1, 1), users(1, 2), notFound(2, 1), forbidden(3, 1), failed(4, 1, audit.KindTimeout),
	}})
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	whole := len(bytes.TrimRight(data, "\n"))

	for cut := range whole {
		_, err := Compare(bytes.NewReader(data[:cut]), bytes.NewReader(data), "cut.json", "full.json")
		if !errors.Is(err, ErrInvalidReport) {
			t.Fatalf("cut at byte %d of %d: error = %v, want ErrInvalidReport", cut, whole, err)
		}
	}
}

// TestReadIgnoresLayout checks that a report re-encoded on one line with
// sorted keys, which puts "results" before "run" and "summary", and one
// indented by another tool compare exactly like the original.
func TestReadIgnoresLayout(t *testing.T) {
	dir := t.TempDir()
	oldPath := writeFixture(t, dir, "old.json", fixture{results: []*audit.Result{users(1, 1), forbidden(1, 2), admin(2, 1)}})
	newPath := writeFixture(t, dir, "new.json", fixture{interrupted: true, extraPairs: 1, results: []*audit.Result{admin(1, 1), users(1, 2), users(3, 1)}})
	want, err := CompareFiles(oldPath, newPath)
	if err != nil {
		t.Fatal(err)
	}

	relayouts := map[string]func(doc any) ([]byte, error){
		"compact sorted": json.Marshal,
		"indented":       func(doc any) ([]byte, error) { return json.MarshalIndent(doc, "", "\t") },
	}
	for name, relayout := range relayouts {
		t.Run(name, func(t *testing.T) {
			var doc any
			data, err := os.ReadFile(newPath)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			changed, err := relayout(doc)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(changed, data) {
				t.Fatal("the new layout equals the original")
			}
			relaidPath := filepath.Join(dir, "new.json")
			if err := os.WriteFile(relaidPath, changed, 0o600); err != nil {
				t.Fatal(err)
			}

			got, err := CompareFiles(oldPath, relaidPath)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("diff differs after re-encoding:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

// TestCompareFilesMissing checks the error for a report that cannot be
// opened.
func TestCompareFilesMissing(t *testing.T) {
	dir := t.TempDir()
	good := writeFixture(t, dir, "good.json", fixture{results: []*audit.Result{users(1, 1)}})
	missing := filepath.Join(dir, "missing.json")

	for _, args := range [][2]string{{missing, good}, {good, missing}} {
		_, err := CompareFiles(args[0], args[1])
		var reportErr *ReportError
		if !errors.As(err, &reportErr) || reportErr.Path != missing {
			t.Fatalf("error = %v, want a *ReportError for %s", err, missing)
		}
		if want := missing + ": cannot open the report: no such file or directory"; err.Error() != want {
			t.Errorf("error = %q, want %q", err, want)
		}
	}
}
