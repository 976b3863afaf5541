package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/accessaudit/accessaudit/audit"
	"github.com/accessaudit/accessaudit/report"
)

// benchReports measures writing both reports for sz.reportRows results with
// the report package, against a bare excelize stream writer and a bare JSON
// encoder that write the same sheets and columns without styling, in turns.
func benchReports(t *testing.T, w io.Writer, dir string, sz benchSizes) []benchTarget {
	benchPhase(t, w, fmt.Sprintf("Reports: JSON and XLSX for %d results", sz.reportRows))

	var tool, bare benchSample
	for rep := range sz.repeats {
		measureTool := func() {
			var d time.Duration
			benchProfile(t, "reports", rep, func() { d = writeToolReports(t, dir, sz.reportRows) })
			tool = append(tool, d.Seconds())
		}
		measureBare := func() {
			var d time.Duration
			benchProfile(t, "reports-bare", rep, func() { d = writeBareReports(t, dir, sz.reportRows) })
			bare = append(bare, d.Seconds())
		}
		if rep%2 == 0 {
			measureBare()
			measureTool()
		} else {
			measureTool()
			measureBare()
		}
	}

	benchFigure(w, "bare excelize stream writer + bare JSON encoder", bare, formatSeconds)
	benchFigure(w, "report.NewJSON + report.NewXLSX", tool, formatSeconds)
	benchFigure(w, "report writers / bare, per repetition", ratios(tool, bare), formatRatio)
	ratio := ratios(tool, bare).median()
	return []benchTarget{{
		name:     fmt.Sprintf("Reports: both reports for %d results / bare", sz.reportRows),
		measured: formatRatio(ratio),
		limit:    "<= 1.200",
		pass:     ratio <= 1.2,
	}}
}

// Group values shared by the generated results. The report writers only
// read them.
var (
	benchUsersID    = int64(2)
	benchUsersName  = "Users"
	benchAdminID    = int64(audit.AdministratorsGroupID)
	benchAdminName  = audit.AdministratorsGroupName
	benchNotFound   = "user not found"
	benchForbidden  = "no permission for this account"
	benchReportTool = report.Tool{Name: "accessaudit", Version: "bench"}
)

// benchResult fills r with the result the stub gives for the n-th generated
// pair, so the sheets get the rows of a real audit.
func benchResult(r *audit.Result, n int) {
	pair := benchPair(n)
	*r = audit.Result{
		Job:      audit.Job{Pair: pair, Seq: n, Line: n + 2, Lines: []int{n + 2}, Columns: []string{benchEmail(n)}},
		Attempts: 1,
	}
	r.HTTPStatus = benchOutcome(pair.UserID)
	switch {
	case r.HTTPStatus == http.StatusNotFound:
		r.Outcome, r.Error = audit.OutcomeNotFound, benchNotFound
	case r.HTTPStatus == http.StatusForbidden:
		r.Outcome, r.Error = audit.OutcomeForbidden, benchForbidden
	case benchIsAdmin(pair.UserID):
		r.Outcome, r.GroupID, r.GroupName = audit.OutcomeOK, &benchAdminID, &benchAdminName
	default:
		r.Outcome, r.GroupID, r.GroupName = audit.OutcomeOK, &benchUsersID, &benchUsersName
	}
}

// benchRun is the run section of the generated reports.
func benchRun(results int) report.Run {
	now := time.Now().UTC()
	return report.Run{
		StartedAt: now, FinishedAt: now, Complete: true, Mode: report.ModeAudit,
		BaseURL: "http://127.0.0.1", Concurrency: 32,
		Input: report.Input{Path: "pairs.csv", SHA256: "0", Rows: results, Pairs: results},
	}
}

// freshHeap collects garbage and returns memory to the OS, so that one
// measurement does not pay for the garbage of the one before.
func freshHeap() {
	runtime.GC()
	debug.FreeOSMemory()
}

// writeToolReports writes both reports of n results with the report
// package as "run" does, one result at a time, and returns the time it took.
func writeToolReports(t *testing.T, dir string, n int) time.Duration {
	t.Helper()
	freshHeap()
	jsonPath, xlsxPath := filepath.Join(dir, "tool.json"), filepath.Join(dir, "tool.xlsx")
	defer os.Remove(jsonPath)
	defer os.Remove(xlsxPath)

	start := time.Now()
	columns := []string{"email"}
	jsonWriter, err := report.NewJSON(jsonPath, benchReportTool, columns)
	if err != nil {
		t.Fatal(err)
	}
	xlsxWriter, err := report.NewXLSX(xlsxPath, benchReportTool, columns, report.ModeAudit)
	if err != nil {
		t.Fatal(err)
	}
	writers := []report.Writer{jsonWriter, xlsxWriter}
	policy := report.Policy{Mode: report.ModeAudit}
	summary := report.NewSummary(n, false)

	var r audit.Result
	for i := range n {
		benchResult(&r, i)
		entry := policy.Entry(&r)
		summary.Add(entry)
		for _, w := range writers {
			if err := w.Write(entry); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, w := range writers {
		if err := w.Commit(benchRun(n), summary, nil); err != nil {
			t.Fatal(err)
		}
	}
	return time.Since(start)
}

// bareResultJSON has the fields of a result of the JSON report, encoded by
// encoding/json without any custom marshalling.
type bareResultJSON struct {
	Line           int     `json:"line"`
	Lines          []int   `json:"lines"`
	ClientID       int64   `json:"client_id"`
	UserID         int64   `json:"user_id"`
	Outcome        string  `json:"outcome"`
	HTTPStatus     int     `json:"http_status"`
	GroupID        *int64  `json:"group_id"`
	GroupName      *string `json:"group_name"`
	Admin          bool    `json:"admin"`
	Approved       *bool   `json:"approved"`
	StillHasAccess bool    `json:"still_has_access"`
	ErrorKind      *string `json:"error_kind"`
	Error          *string `json:"error"`
	Attempts       int     `json:"attempts"`
	Columns        struct {
		Email string `json:"email"`
	} `json:"columns"`
}

// bareDataHeader is the header of the data sheets for one extra column.
var bareDataHeader = []any{"Line", "Account ID", "User ID", "email", "Outcome", "HTTP status", "Group ID",
	"Group name", "Administrator", "Approved", "Error kind", "Error", "Attempts", "Lines", "Decision", "Reviewer comment"}

// writeBareReports writes the same results, sheets and columns with a bare
// excelize stream writer per sheet and a bare JSON encoder, without styles,
// widths or checks, and returns the time it took. Both files are synced to
// disk, as the report package does for its atomic rename, so the ratio
// compares the work of formatting and not the disk.
func writeBareReports(t *testing.T, dir string, n int) time.Duration {
	t.Helper()
	freshHeap()
	jsonPath, xlsxPath := filepath.Join(dir, "bare.json"), filepath.Join(dir, "bare.xlsx")
	defer os.Remove(jsonPath)
	defer os.Remove(xlsxPath)

	start := time.Now()
	jsonFile, err := os.Create(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	defer jsonFile.Close()
	out := bufio.NewWriterSize(jsonFile, 64<<10)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	_, _ = out.WriteString(`{"report_version":1,"results":[`)

	book := excelize.NewFile(excelize.Options{TmpDir: dir})
	defer book.Close()
	sheets := newBareSheets(t, book)

	var r audit.Result
	var js bareResultJSON
	row := make([]any, len(bareDataHeader))
	for i := range n {
		benchResult(&r, i)
		fillBareJSON(&js, &r)
		if i > 0 {
			_ = out.WriteByte(',')
		}
		if err := enc.Encode(&js); err != nil {
			t.Fatal(err)
		}
		sheets.add(t, &r, fillBareRow(row, &r))
	}

	_, _ = out.WriteString(`],"rejected":[]}`)
	if err := out.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := jsonFile.Sync(); err != nil {
		t.Fatal(err)
	}
	sheets.finish(t, n)
	if err := book.SaveAs(xlsxPath); err != nil {
		t.Fatal(err)
	}
	syncFile(t, xlsxPath)
	return time.Since(start)
}

func fillBareJSON(js *bareResultJSON, r *audit.Result) {
	*js = bareResultJSON{Line: r.Line, Lines: r.Lines, ClientID: r.ClientID, UserID: r.UserID,
		Outcome: string(r.Outcome), HTTPStatus: r.HTTPStatus, GroupID: r.GroupID, GroupName: r.GroupName,
		Admin: r.Admin(), Attempts: r.Attempts}
	if r.Error != "" {
		js.Error = &r.Error
	}
	js.Columns.Email = r.Columns[0]
}

// fillBareRow sets row to the cells of r in the columns of bareDataHeader.
func fillBareRow(row []any, r *audit.Result) []any {
	admin := "no"
	if r.Admin() {
		admin = "yes"
	}
	var groupID, groupName, errText any
	if r.GroupID != nil {
		groupID, groupName = *r.GroupID, *r.GroupName
	}
	if r.Error != "" {
		errText = r.Error
	}
	copy(row, []any{r.Line, r.ClientID, r.UserID, r.Columns[0], string(r.Outcome), r.HTTPStatus, groupID,
		groupName, admin, nil, nil, errText, r.Attempts, fmt.Sprint(r.Lines[0]), nil, nil})
	return row
}

// bareSheets is the Summary sheet and one stream writer per data sheet.
type bareSheets struct {
	book                            *excelize.File
	results, admins, attention, rej *excelize.StreamWriter
	rows                            map[*excelize.StreamWriter]int
}

func newBareSheets(t *testing.T, book *excelize.File) *bareSheets {
	t.Helper()
	if err := book.SetSheetName("Sheet1", report.SheetSummary); err != nil {
		t.Fatal(err)
	}
	s := &bareSheets{book: book, rows: make(map[*excelize.StreamWriter]int)}
	open := func(name string, header []any) *excelize.StreamWriter {
		if _, err := book.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		sw, err := book.NewStreamWriter(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := sw.SetRow("A1", header); err != nil {
			t.Fatal(err)
		}
		s.rows[sw] = 1
		return sw
	}
	s.results = open(report.SheetResults, bareDataHeader)
	s.admins = open(report.SheetAdministrators, bareDataHeader)
	s.attention = open(report.SheetNeedsAttention, bareDataHeader)
	s.rej = open(report.SheetRejected, []any{"Line", "Reason", "Text"})
	return s
}

// add writes row to Results and to the other sheets that r belongs on.
func (s *bareSheets) add(t *testing.T, r *audit.Result, row []any) {
	t.Helper()
	targets := []*excelize.StreamWriter{s.results}
	if r.Admin() {
		targets = append(targets, s.admins)
	}
	if r.Outcome == audit.OutcomeForbidden || r.Outcome == audit.OutcomeError {
		targets = append(targets, s.attention)
	}
	for _, sw := range targets {
		s.rows[sw]++
		cell, _ := excelize.CoordinatesToCellName(1, s.rows[sw])
		if err := sw.SetRow(cell, row); err != nil {
			t.Fatal(err)
		}
	}
}

// finish writes a small Summary sheet and flushes the data sheets.
func (s *bareSheets) finish(t *testing.T, results int) {
	t.Helper()
	for i, cells := range [][]any{{"Pairs", results}, {"Mode", report.ModeAudit}} {
		if err := s.book.SetSheetRow(report.SheetSummary, fmt.Sprintf("A%d", i+1), &cells); err != nil {
			t.Fatal(err)
		}
	}
	for _, sw := range []*excelize.StreamWriter{s.results, s.admins, s.attention, s.rej} {
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
	}
}

func syncFile(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
}
