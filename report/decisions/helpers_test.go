package decisions

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/accessaudit/accessaudit/audit"
	"github.com/accessaudit/accessaudit/report"
)

// sampleExtra are the extra input columns of the sample workbook. An input
// column named User ID and one named Decision sit before the workbook's own
// Decision column, so a reader that takes the wrong match reads them.
var sampleExtra = []string{"email", "User ID", "Decision"}

// The sample pairs, one per audit result, in Results order.
var (
	pairAdmin   = audit.Pair{ClientID: 1001, UserID: 2001}             // Results row 2, Administrators row 2
	pairUser    = audit.Pair{ClientID: 1001, UserID: 2002}             // Results row 3
	pairEng     = audit.Pair{ClientID: 1002, UserID: 2003}             // Results row 4
	pairMissing = audit.Pair{ClientID: 1003, UserID: 2004}             // Results row 5, 404
	pairDenied  = audit.Pair{ClientID: 1004, UserID: 2005}             // Results row 6, 403, Needs attention row 2
	pairAdmin2  = audit.Pair{ClientID: 1005, UserID: 2006}             // Results row 7, Administrators row 3
	pairLongID  = audit.Pair{ClientID: 1234567890123456, UserID: 2007} // Results row 8, account ID stored as text
)

// sampleResults returns one audit result per sample pair.
func sampleResults() []*audit.Result {
	group := func(id int64, name string) (*int64, *string) { return &id, &name }
	var results []*audit.Result
	add := func(p audit.Pair, outcome audit.Outcome, status int, groupID int64, groupName string) {
		line := len(results) + 2
		r := &audit.Result{
			Job: audit.Job{Pair: p, Seq: len(results), Line: line, Lines: []int{line},
				// The decoy columns hold values a wrong column lookup would read.
				Columns: []string{"user" + strconv.Itoa(line) + "@example.com", "999", "Revoke"}},
			Outcome: outcome, HTTPStatus: status, Attempts: 1,
		}
		if outcome == audit.OutcomeOK {
			r.GroupID, r.GroupName = group(groupID, groupName)
		}
		results = append(results, r)
	}

	add(pairAdmin, audit.OutcomeOK, 200, 1, "Administrators")
	add(pairUser, audit.OutcomeOK, 200, 2, "Users")
	add(pairEng, audit.OutcomeOK, 200, 5, "Engineers")
	add(pairMissing, audit.OutcomeNotFound, 404, 0, "")
	add(pairDenied, audit.OutcomeForbidden, 403, 0, "")
	add(pairAdmin2, audit.OutcomeOK, 200, 1, "Administrators")
	add(pairLongID, audit.OutcomeOK, 200, 2, "Users")
	return results
}

// writeSample writes the sample workbook with report.NewXLSX into a new
// temporary folder and returns its path.
func writeSample(t testing.TB, mode string) string {
	t.Helper()
	return writeWorkbook(t, filepath.Join(t.TempDir(), "report.xlsx"), mode, sampleExtra, sampleResults())
}

// writeWorkbook writes results to path as the run command would.
func writeWorkbook(t testing.TB, path, mode string, extra []string, results []*audit.Result) string {
	t.Helper()
	w, err := report.NewXLSX(path, report.Tool{Name: "accessaudit", Version: "test"}, extra, mode)
	if err != nil {
		t.Fatal(err)
	}
	policy := report.Policy{Mode: mode}
	sum := report.NewSummary(len(results), false)
	for _, r := range results {
		e := policy.Entry(r)
		sum.Add(e)
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}

	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	run := report.Run{
		StartedAt: start, FinishedAt: start.Add(time.Minute), Complete: true, Mode: mode,
		BaseURL: "http://127.0.0.1:1", RatePerSecond: 10, Burst: 1, Concurrency: 8,
		Input: report.Input{Path: "pairs.csv", Rows: len(results), Pairs: len(results)},
	}
	if err := w.Commit(run, sum, nil); err != nil {
		t.Fatal(err)
	}
	return path
}

// reviewer edits a workbook as a person would in a spreadsheet program.
type reviewer struct {
	t    testing.TB
	path string
	file *excelize.File
}

func openReviewer(t testing.TB, path string) *reviewer {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return &reviewer{t: t, path: path, file: f}
}

// ref returns the reference of the cell in the named column of the row of
// pair on sheet, such as "Q3". Account ID and User ID are the first columns
// with that name and Decision and Reviewer comment the last, as the
// workbook's layout puts them.
func (rv *reviewer) ref(sheet string, pair audit.Pair, column string) string {
	rv.t.Helper()
	rows, err := rv.file.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		rv.t.Fatal(err)
	}
	col := headerColumn(rv.t, rows[0], column)
	account := headerColumn(rv.t, rows[0], report.ColumnAccountID)
	user := headerColumn(rv.t, rows[0], report.ColumnUserID)

	for i, row := range rows[1:] {
		if cell(row, account) == strconv.FormatInt(pair.ClientID, 10) && cell(row, user) == strconv.FormatInt(pair.UserID, 10) {
			ref, err := excelize.CoordinatesToCellName(col+1, i+2)
			if err != nil {
				rv.t.Fatal(err)
			}
			return ref
		}
	}
	rv.t.Fatalf("sheet %q has no row for pair %d/%d", sheet, pair.ClientID, pair.UserID)
	return ""
}

func headerColumn(t testing.TB, header []string, name string) int {
	t.Helper()
	found := -1
	for i, h := range header {
		if h == name {
			found = i
			if name == report.ColumnAccountID || name == report.ColumnUserID {
				break
			}
		}
	}
	if found < 0 {
		t.Fatalf("header %q has no column %q", header, name)
	}
	return found
}

func cell(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

// decide types value into the Decision cell of pair on sheet, and comment
// into its Reviewer comment cell unless comment is empty.
func (rv *reviewer) decide(sheet string, pair audit.Pair, value, comment string) {
	rv.t.Helper()
	rv.setText(sheet, rv.ref(sheet, pair, report.ColumnDecision), value)
	if comment != "" {
		rv.setText(sheet, rv.ref(sheet, pair, report.ColumnComment), comment)
	}
}

// setText stores value as a text cell.
func (rv *reviewer) setText(sheet, ref, value string) {
	rv.t.Helper()
	if err := rv.file.SetCellStr(sheet, ref, value); err != nil {
		rv.t.Fatal(err)
	}
}

// setNumber stores literal as a number cell exactly as written, such as
// "5001.0" or "5.001E+3", the way spreadsheet programs other than Excel
// may store a whole number.
func (rv *reviewer) setNumber(sheet, ref, literal string) {
	rv.t.Helper()
	if err := rv.file.SetCellDefault(sheet, ref, literal); err != nil {
		rv.t.Fatal(err)
	}
	typ, err := rv.file.GetCellType(sheet, ref)
	if err != nil {
		rv.t.Fatal(err)
	}
	if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		rv.t.Fatalf("%s!%s: %q was stored with cell type %v, want a number", sheet, ref, literal, typ)
	}
}

// setFloat stores v as a number cell.
func (rv *reviewer) setFloat(sheet, ref string, v float64) {
	rv.t.Helper()
	if err := rv.file.SetCellFloat(sheet, ref, v, -1, 64); err != nil {
		rv.t.Fatal(err)
	}
}

// setFormat gives a cell the number format code, such as "#,##0".
func (rv *reviewer) setFormat(sheet, ref, code string) {
	rv.t.Helper()
	style, err := rv.file.NewStyle(&excelize.Style{CustomNumFmt: &code})
	if err != nil {
		rv.t.Fatal(err)
	}
	if err := rv.file.SetCellStyle(sheet, ref, ref, style); err != nil {
		rv.t.Fatal(err)
	}
	shown, err := rv.file.GetCellValue(sheet, ref)
	if err != nil {
		rv.t.Fatal(err)
	}
	raw, err := rv.file.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		rv.t.Fatal(err)
	}
	if shown == raw {
		rv.t.Fatalf("%s!%s shows %q under format %q, the same as the stored value", sheet, ref, shown, code)
	}
}

// save writes the edited workbook back to its path.
func (rv *reviewer) save() {
	rv.t.Helper()
	if err := rv.file.Save(); err != nil {
		rv.t.Fatal(err)
	}
}

// addSeriesSheet adds a sheet with the header of the Results sheet and one
// data row per pair, with the given decision in the Decision column.
func (rv *reviewer) addSeriesSheet(name string, header []string, rows ...sheetRow) {
	rv.t.Helper()
	if _, err := rv.file.NewSheet(name); err != nil {
		rv.t.Fatal(err)
	}
	if err := rv.file.SetSheetRow(name, "A1", &header); err != nil {
		rv.t.Fatal(err)
	}
	for i, r := range rows {
		values := make([]any, len(header))
		values[headerColumn(rv.t, header, report.ColumnAccountID)] = r.pair.ClientID
		values[headerColumn(rv.t, header, report.ColumnUserID)] = r.pair.UserID
		values[headerColumn(rv.t, header, report.ColumnDecision)] = r.decision
		values[headerColumn(rv.t, header, report.ColumnComment)] = r.comment
		ref, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			rv.t.Fatal(err)
		}
		if err := rv.file.SetSheetRow(name, ref, &values); err != nil {
			rv.t.Fatal(err)
		}
	}
}

// sheetRow is one data row of a sheet that a test adds.
type sheetRow struct {
	pair     audit.Pair
	decision string
	comment  string
}

// header returns row 1 of sheet.
func (rv *reviewer) header(sheet string) []string {
	rv.t.Helper()
	rows, err := rv.file.GetRows(sheet)
	if err != nil {
		rv.t.Fatal(err)
	}
	return rows[0]
}

// csvOf returns the CSV that WriteCSV writes for decisions.
func csvOf(t testing.TB, decisions []Decision) string {
	t.Helper()
	var b strings.Builder
	if err := WriteCSV(&b, decisions); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestSampleLayout checks the columns that the other tests name by letter,
// such as Results!Q3, so that a change to the workbook layout fails here
// with the reason rather than in every test that names a cell.
func TestSampleLayout(t *testing.T) {
	rv := openReviewer(t, writeSample(t, report.ModeAudit))
	for _, sheet := range []string{results, admins} {
		header := rv.header(sheet)
		for col, name := range map[string]string{
			"B": report.ColumnAccountID,
			"C": report.ColumnUserID,
			"Q": report.ColumnDecision,
			"R": report.ColumnComment,
		} {
			n, err := excelize.ColumnNameToNumber(col)
			if err != nil {
				t.Fatal(err)
			}
			if got := cell(header, n-1); got != name {
				t.Errorf("sheet %q: column %s is %q, want %q; the workbook layout changed, so update the cell names in these tests", sheet, col, got, name)
			}
		}
	}
}
