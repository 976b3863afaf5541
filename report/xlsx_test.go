package report

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/accessaudit/accessaudit/audit"
)

// writeXLSX writes results to dir/report.xlsx with rowLimit data rows per
// sheet and opens the workbook for reading.
func writeXLSX(t *testing.T, dir string, policy Policy, rowLimit int, columns []string, results []*audit.Result, rejected []Rejection) *excelize.File {
	t.Helper()
	path := filepath.Join(dir, "report.xlsx")
	w, err := newXLSX(path, sampleTool, columns, policy.Mode, rowLimit)
	if err != nil {
		t.Fatal(err)
	}
	writeReport(t, w, policy, results, sampleRun(policy.Mode), rejected)

	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open written workbook: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func writeSampleXLSX(t *testing.T, policy Policy, rowLimit int) *excelize.File {
	t.Helper()
	return writeXLSX(t, t.TempDir(), policy, rowLimit, sampleColumns, sampleResults(), sampleRejected)
}

// sampleHeader is the header of the data sheets for sampleColumns.
var sampleHeader = []string{
	"Line", "Account ID", "User ID", "email", "note", "Outcome", "HTTP status", "Group ID", "Group name",
	"Administrator", "Approved", "Error kind", "Error", "Attempts", "Lines", "Decision", "Reviewer comment",
}

// cellRef returns the reference of the cell in column col (1-based) and row.
func cellRef(t *testing.T, col, row int) string {
	t.Helper()
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// cellKind is how a cell was stored: empty, a number or text.
type cellKind string

const (
	kindEmpty  cellKind = "empty"
	kindNumber cellKind = "number"
	kindText   cellKind = "text"
)

// readCell returns the value and kind of a cell and fails the test if the
// cell holds a formula.
func readCell(t *testing.T, f *excelize.File, sheet, ref string) (string, cellKind) {
	t.Helper()
	formula, err := f.GetCellFormula(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	if formula != "" {
		t.Errorf("%s!%s holds formula %q, want a value", sheet, ref, formula)
	}

	value, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	typ, err := f.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}

	switch {
	case typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString:
		return value, kindText
	case value == "":
		return value, kindEmpty
	case typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber:
		return value, kindNumber
	}
	t.Fatalf("%s!%s has cell type %v", sheet, ref, typ)
	return "", ""
}

// expectCell is the expected content of one cell.
type expectCell struct {
	value string
	kind  cellKind
}

func number(n int64) expectCell { return expectCell{strconv.FormatInt(n, 10), kindNumber} }
func text(s string) expectCell  { return expectCell{s, kindText} }

var empty = expectCell{"", kindEmpty}

// textOrEmpty is the cell for text that is left out when empty.
func textOrEmpty(s string) expectCell {
	if s == "" {
		return empty
	}
	return text(s)
}

// expectedRow lists the cells of a data row for c, derived from the rules of
// the workbook: IDs as numbers up to 15 digits, group cells only for ok, and
// so on.
func expectedRow(c sampleCase, withApproved bool) []expectCell {
	r := c.result
	id := func(v int64) expectCell {
		if v > 999_999_999_999_999 {
			return text(strconv.FormatInt(v, 10))
		}
		return number(v)
	}
	row := []expectCell{number(int64(r.Line)), id(r.ClientID), id(r.UserID)}
	for i := range sampleColumns {
		row = append(row, textOrEmpty(columnValue(r, i)))
	}

	status, groupID, groupName, kind := empty, empty, empty, empty
	if r.HTTPStatus != 0 {
		status = number(int64(r.HTTPStatus))
	}
	if r.Outcome == audit.OutcomeOK && r.GroupID != nil {
		groupID = id(*r.GroupID)
	}
	if r.Outcome == audit.OutcomeOK && r.GroupName != nil {
		groupName = text(*r.GroupName)
	}
	if r.Outcome == audit.OutcomeError {
		kind = text(string(r.ErrorKind))
	}
	approved := empty
	if withApproved {
		approved = text(yesNo(c.approved))
	}

	var lineTexts []string
	for _, l := range r.Lines {
		lineTexts = append(lineTexts, strconv.Itoa(l))
	}
	return append(row, text(string(r.Outcome)), status, groupID, groupName, text(yesNo(c.admin)), approved, kind,
		textOrEmpty(r.Error), number(int64(r.Attempts)), text(strings.Join(lineTexts, ", ")), empty, empty)
}

func checkHeader(t *testing.T, f *excelize.File, sheet string, want []string) {
	t.Helper()
	for i, name := range want {
		ref := cellRef(t, i+1, 1)
		if got, kind := readCell(t, f, sheet, ref); got != name || kind != kindText {
			t.Errorf("%s!%s = %q (%s), want header %q", sheet, ref, got, kind, name)
		}
	}
	if got, _ := readCell(t, f, sheet, cellRef(t, len(want)+1, 1)); got != "" {
		t.Errorf("%s has an extra header %q after %q", sheet, got, want[len(want)-1])
	}
}

func checkRow(t *testing.T, f *excelize.File, sheet string, row int, want []expectCell) {
	t.Helper()
	for i, w := range want {
		ref := cellRef(t, i+1, row)
		got, kind := readCell(t, f, sheet, ref)
		if got != w.value || kind != w.kind {
			t.Errorf("%s!%s (%s) = %q (%s), want %q (%s)", sheet, ref, sampleHeader[i], abbreviate(got), kind, abbreviate(w.value), w.kind)
		}
	}
}

func TestXLSXSheetOrder(t *testing.T) {
	tests := []struct {
		mode string
		want []string
	}{
		{ModeAudit, []string{"Summary", "Results", "Administrators", "Needs attention", "Rejected input"}},
		{ModeOffboarding, []string{"Summary", "Results", "Administrators", "Still has access", "Needs attention", "Rejected input"}},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			f := writeSampleXLSX(t, Policy{Mode: tt.mode}, MaxDataRows)
			if got := f.GetSheetList(); !slices.Equal(got, tt.want) {
				t.Errorf("sheets = %q, want %q", got, tt.want)
			}
			if got := f.GetSheetName(f.GetActiveSheetIndex()); got != SheetSummary {
				t.Errorf("active sheet = %q, want %q", got, SheetSummary)
			}
		})
	}
}

func TestXLSXResultsCells(t *testing.T) {
	for _, approved := range []map[audit.Pair]bool{nil, sampleApproved} {
		t.Run(fmt.Sprintf("approved list %v", approved != nil), func(t *testing.T) {
			f := writeSampleXLSX(t, Policy{Mode: ModeAudit, Approved: approved}, MaxDataRows)
			checkHeader(t, f, SheetResults, sampleHeader)
			for i, c := range sampleCases() {
				checkRow(t, f, SheetResults, i+2, expectedRow(c, approved != nil))
			}
		})
	}
}

// TestXLSXFilteredSheets checks that each sheet holds exactly the rows its
// rule selects, in input order, with the same cells as Results.
func TestXLSXFilteredSheets(t *testing.T) {
	isAttention := func(c sampleCase) bool {
		return c.result.Outcome == audit.OutcomeForbidden || c.result.Outcome == audit.OutcomeError
	}
	tests := []struct {
		sheet string
		mode  string
		keep  func(c sampleCase) bool
	}{
		{SheetResults, ModeAudit, func(sampleCase) bool { return true }},
		{SheetAdministrators, ModeAudit, func(c sampleCase) bool { return c.admin }},
		{SheetNeedsAttention, ModeAudit, isAttention},
		{SheetStillHasAccess, ModeOffboarding, func(c sampleCase) bool { return c.stillOffboarding }},
		{SheetNeedsAttention, ModeOffboarding, isAttention},
	}
	for _, tt := range tests {
		t.Run(tt.mode+"/"+tt.sheet, func(t *testing.T) {
			f := writeSampleXLSX(t, Policy{Mode: tt.mode}, MaxDataRows)
			checkHeader(t, f, tt.sheet, sampleHeader)

			row := 2
			for _, c := range sampleCases() {
				if tt.keep(c) {
					checkRow(t, f, tt.sheet, row, expectedRow(c, false))
					row++
				}
			}
			rows, err := f.GetRows(tt.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != row-1 {
				t.Errorf("%s has %d rows, want header and %d data rows", tt.sheet, len(rows), row-2)
			}
		})
	}
}

func TestXLSXRejectedSheet(t *testing.T) {
	f := writeSampleXLSX(t, Policy{Mode: ModeAudit}, MaxDataRows)
	checkHeader(t, f, SheetRejected, []string{"Line", "Reason", "Text"})
	for i, r := range sampleRejected {
		checkRow(t, f, SheetRejected, i+2, []expectCell{number(int64(r.Line)), text(r.Reason), text(r.Text)})
	}
}

func TestXLSXUnsafeText(t *testing.T) {
	long := strings.Repeat("ab", maxCellUnits)
	tests := []struct {
		name  string
		input string
		want  func(got string) error
	}{
		{"formula stays text", "=HYPERLINK(\"http://127.0.0.1\",\"x\")", exactly("=HYPERLINK(\"http://127.0.0.1\",\"x\")")},
		{"plus sign", "+1+2", exactly("+1+2")},
		{"minus sign", "-1", exactly("-1")},
		{"at sign", "@SUM(A1)", exactly("@SUM(A1)")},
		{"digits stay text", "00123", exactly("00123")},
		{"XML-forbidden characters", "a\x00b\x07c\uFFFEd", exactly("a\uFFFDb\uFFFDc\uFFFDd")},
		{"invalid UTF-8", "caf\xe9", exactly("caf\uFFFD")},
		{"escape-like text", "_x0041_ stays", exactly("_x0041_ stays")},
		{"surrounding spaces", "  padded  ", exactly("  padded  ")},
		{"long text cut", long, func(got string) error {
			marker := "… [cut: full text of " + strconv.Itoa(len(long)) + " characters in the JSON report]"
			if !strings.HasSuffix(got, marker) {
				return fmt.Errorf("does not end with %q", marker)
			}
			if utf16Len(got) > maxCellUnits {
				return fmt.Errorf("%d UTF-16 units, over the cell limit", utf16Len(got))
			}
			if !strings.HasPrefix(long, strings.TrimSuffix(got, marker)) {
				return fmt.Errorf("kept text is not the start of the input")
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &audit.Result{
				Job:     audit.Job{Pair: audit.Pair{ClientID: 1, UserID: 2}, Line: 2, Lines: []int{2}, Columns: []string{tt.input}},
				Outcome: audit.OutcomeOK, HTTPStatus: 200, GroupID: ptr[int64](9), GroupName: ptr(tt.input),
				Error: tt.input, Attempts: 1,
			}
			rejected := []Rejection{{Line: 3, Reason: tt.input, Text: tt.input}}
			f := writeXLSX(t, t.TempDir(), Policy{Mode: ModeAudit}, MaxDataRows, []string{tt.input}, []*audit.Result{r}, rejected)

			cells := []struct{ sheet, ref string }{
				{SheetResults, "D1"}, // header from the input
				{SheetResults, "D2"}, // extra column
				{SheetResults, "H2"}, // group name
				{SheetResults, "L2"}, // error
				{SheetRejected, "B2"},
				{SheetRejected, "C2"},
			}
			for _, c := range cells {
				got, kind := readCell(t, f, c.sheet, c.ref)
				if kind != kindText {
					t.Errorf("%s!%s is %s, want text", c.sheet, c.ref, kind)
				}
				if err := tt.want(got); err != nil {
					t.Errorf("%s!%s = %q: %v", c.sheet, c.ref, abbreviate(got), err)
				}
			}
		})
	}
}

func exactly(want string) func(string) error {
	return func(got string) error {
		if got != want {
			return fmt.Errorf("want %q", want)
		}
		return nil
	}
}

func TestXLSXOverflow(t *testing.T) {
	tests := []struct {
		name  string
		mode  string
		limit int
		want  []string
	}{
		{"audit limit 2", ModeAudit, 2, []string{
			"Summary", "Results", "Results (2)", "Results (3)", "Results (4)",
			"Administrators", "Needs attention", "Needs attention (2)", "Rejected input",
		}},
		{"offboarding limit 3", ModeOffboarding, 3, []string{
			"Summary", "Results", "Results (2)", "Results (3)", "Administrators",
			"Still has access", "Still has access (2)", "Needs attention", "Rejected input",
		}},
		{"rejected overflow", ModeAudit, 1, []string{
			"Summary", "Results", "Results (2)", "Results (3)", "Results (4)", "Results (5)", "Results (6)", "Results (7)", "Results (8)",
			"Administrators", "Administrators (2)", "Needs attention", "Needs attention (2)", "Needs attention (3)",
			"Rejected input", "Rejected input (2)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := writeSampleXLSX(t, Policy{Mode: tt.mode}, tt.limit)
			if got := f.GetSheetList(); !slices.Equal(got, tt.want) {
				t.Fatalf("sheets = %q, want %q", got, tt.want)
			}

			// Every sheet repeats the header, holds at most limit rows, and
			// the series together hold every line in input order.
			lines := map[string][]string{}
			for _, sheet := range tt.want[1:] {
				base, _, _ := strings.Cut(sheet, " (")
				header := sampleHeader
				if base == SheetRejected {
					header = []string{"Line", "Reason", "Text"}
				}
				checkHeader(t, f, sheet, header)

				rows, err := f.GetRows(sheet)
				if err != nil {
					t.Fatal(err)
				}
				if data := len(rows) - 1; data < 1 || data > tt.limit {
					t.Errorf("%s has %d data rows, want 1 to %d", sheet, data, tt.limit)
				}
				for _, row := range rows[1:] {
					lines[base] = append(lines[base], row[0])
				}
			}

			var want []string
			for _, c := range sampleCases() {
				want = append(want, strconv.Itoa(c.result.Line))
			}
			if !slices.Equal(lines[SheetResults], want) {
				t.Errorf("Results series lines = %v, want %v", lines[SheetResults], want)
			}
			checkFilters(t, f, tt.want[1:])
		})
	}
}

// checkFilters checks that every data sheet has an autofilter whose defined
// name is scoped to that sheet and covers its header and rows.
func checkFilters(t *testing.T, f *excelize.File, sheets []string) {
	t.Helper()
	filters := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" {
			filters[dn.Scope] = dn.RefersTo
		}
	}
	for _, sheet := range sheets {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		width := len(sampleHeader)
		if strings.HasPrefix(sheet, SheetRejected) {
			width = 3
		}
		lastCol, _ := excelize.ColumnNumberToName(width)
		want := fmt.Sprintf("'%s'!$A$1:$%s$%d", sheet, lastCol, len(rows))
		if got := filters[sheet]; got != want {
			t.Errorf("autofilter of %s = %q, want %q", sheet, got, want)
		}
	}
}

func TestXLSXReadability(t *testing.T) {
	f := writeSampleXLSX(t, Policy{Mode: ModeOffboarding}, MaxDataRows)

	for _, sheet := range []string{SheetResults, SheetAdministrators, SheetStillHasAccess, SheetNeedsAttention, SheetRejected} {
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
			t.Errorf("%s panes = %+v, want the header row frozen", sheet, panes)
		}
		header := styleOf(t, f, sheet, "A1")
		if header.Font == nil || !header.Font.Bold {
			t.Errorf("%s header is not bold", sheet)
		}
		width, err := f.GetColWidth(sheet, "B")
		if err != nil {
			t.Fatal(err)
		}
		if width < 8 {
			t.Errorf("%s column B width = %v, want a set width", sheet, width)
		}
	}

	for _, sheet := range []string{SheetResults, SheetAdministrators, SheetStillHasAccess, SheetNeedsAttention} {
		dvs, err := f.GetDataValidations(sheet)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(sheet)
		want := fmt.Sprintf("P2:P%d", len(rows))
		if len(dvs) != 1 || dvs[0].Sqref != want || dvs[0].Formula1 != `"Keep,Revoke,Change group"` {
			t.Errorf("%s data validations = %+v, want one list on %s", sheet, dvs, want)
		}
	}

	for _, ref := range []string{"B2", "C2", "B3", "H3"} {
		if numFmt := styleOf(t, f, SheetResults, ref).NumFmt; numFmt != numFmtInteger {
			t.Errorf("Results!%s number format = %d, want %d (whole number)", ref, numFmt, numFmtInteger)
		}
	}
}

// TestXLSXRowFills checks the fills that mark rows and Outcome cells: orange
// across a finding, yellow on the Outcome of a coverage gap, and green on the
// Outcome of a user who is gone in offboarding mode.
func TestXLSXRowFills(t *testing.T) {
	tests := []struct {
		mode    string
		row     int // row of Results; sampleCases start in row 2
		what    string
		line    string // fill across the row, tested on column A
		outcome string // fill of the Outcome cell
	}{
		{ModeAudit, 2, "administrator", colorFinding, colorFinding},
		{ModeAudit, 3, "ok user", "", ""},
		{ModeAudit, 6, "not_found", "", ""},
		{ModeAudit, 7, "forbidden", "", colorGap},
		{ModeAudit, 8, "error", "", colorGap},
		{ModeOffboarding, 2, "administrator", colorFinding, colorFinding},
		{ModeOffboarding, 3, "still has access", colorFinding, colorFinding},
		{ModeOffboarding, 6, "not_found", "", colorGood},
		{ModeOffboarding, 7, "forbidden", "", colorGap},
	}
	files := map[string]*excelize.File{}
	for _, tt := range tests {
		t.Run(tt.mode+" "+tt.what, func(t *testing.T) {
			f := files[tt.mode]
			if f == nil {
				f = writeSampleXLSX(t, Policy{Mode: tt.mode}, MaxDataRows)
				files[tt.mode] = f
			}
			fill := func(ref string) string {
				color := styleOf(t, f, SheetResults, ref).Fill.Color
				if len(color) == 0 {
					return ""
				}
				return color[0]
			}
			if got := fill(cellRef(t, 1, tt.row)); got != tt.line {
				t.Errorf("row fill = %q, want %q", got, tt.line)
			}
			if got := fill(cellRef(t, 6, tt.row)); got != tt.outcome { // F: Outcome after two extra columns
				t.Errorf("Outcome fill = %q, want %q", got, tt.outcome)
			}
			if got := fill(cellRef(t, 16, tt.row)); got != tt.line { // P: Decision, left empty
				t.Errorf("Decision fill = %q, want the row fill %q", got, tt.line)
			}
		})
	}
}

// styleOf returns the style of a cell; a cell without style gets the zero
// style.
func styleOf(t *testing.T, f *excelize.File, sheet, ref string) excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return *style
}

func TestXLSXWriterFiles(t *testing.T) {
	// 600 rows with 30,000 characters each pass excelize's 16 MiB in-memory
	// chunk, so the stream writer spills to a temporary file in the folder.
	big := strings.Repeat("x", 30_000)
	var results []*audit.Result
	for i := range 600 {
		results = append(results, &audit.Result{
			Job:     audit.Job{Pair: audit.Pair{ClientID: 1, UserID: int64(i + 1)}, Line: i + 2, Lines: []int{i + 2}, Columns: []string{big}},
			Outcome: audit.OutcomeNotFound, HTTPStatus: 404, Attempts: 1,
		})
	}

	tests := []struct {
		name   string
		commit bool
		want   []string
	}{
		{"commit leaves only the workbook", true, []string{"report.xlsx"}},
		{"abort leaves nothing", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			w, err := NewXLSX(filepath.Join(dir, "report.xlsx"), sampleTool, []string{"note"}, ModeAudit)
			if err != nil {
				t.Fatal(err)
			}
			sum := NewSummary(len(results), false)
			for _, r := range results {
				e := Policy{Mode: ModeAudit}.Entry(r)
				sum.Add(e)
				if err := w.Write(e); err != nil {
					t.Fatal(err)
				}
			}
			if spilled := len(dirEntries(t, dir)); spilled < 2 {
				t.Fatalf("folder holds %d files before Commit, want the workbook temp file and a spilled stream file", spilled)
			}

			if tt.commit {
				err = w.Commit(sampleRun(ModeAudit), sum, nil)
			} else {
				err = w.Abort()
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Abort(); err != nil {
				t.Errorf("Abort after finishing = %v, want nil", err)
			}
			if got := dirEntries(t, dir); !slices.Equal(got, tt.want) {
				t.Errorf("folder holds %v, want %v", got, tt.want)
			}

			if tt.commit {
				f, err := excelize.OpenFile(filepath.Join(dir, "report.xlsx"))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				last, _ := f.GetCellValue(SheetResults, fmt.Sprintf("C%d", len(results)+1))
				if last != strconv.Itoa(len(results)) {
					t.Errorf("last User ID = %q, want %d", last, len(results))
				}
			}
		})
	}
}

func TestNewXLSXInvalid(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, path, mode, wantErr string
	}{
		{"unknown mode", filepath.Join(dir, "a.xlsx"), "sweep", `mode "sweep"`},
		{"missing folder", filepath.Join(dir, "missing", "a.xlsx"), ModeAudit, "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewXLSX(tt.path, sampleTool, nil, tt.mode)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("NewXLSX = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
	if got := dirEntries(t, dir); len(got) != 0 {
		t.Errorf("failed NewXLSX left %v", got)
	}
}

func TestOverflowSheetName(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{{1, "Results"}, {2, "Results (2)"}, {12, "Results (12)"}}
	for _, tt := range tests {
		if got := OverflowSheetName("Results", tt.n); got != tt.want {
			t.Errorf("OverflowSheetName(Results, %d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestXLSXInputColumnNamedDecision(t *testing.T) {
	r := &audit.Result{
		Job:     audit.Job{Pair: audit.Pair{ClientID: 1, UserID: 2}, Line: 2, Lines: []int{2}, Columns: []string{"Revoke"}},
		Outcome: audit.OutcomeOK, HTTPStatus: 200, GroupID: ptr[int64](1), GroupName: ptr("Administrators"), Attempts: 1,
	}
	f := writeXLSX(t, t.TempDir(), Policy{Mode: ModeAudit}, MaxDataRows, []string{"Decision"}, []*audit.Result{r}, nil)

	// Columns: Line, Account ID, User ID, the input's Decision (D), eleven
	// more, then the workbook's Decision (O) and Reviewer comment (P).
	if got, _ := f.GetCellValue(SheetResults, "O1"); got != ColumnDecision {
		t.Fatalf("Results!O1 = %q, want %q", got, ColumnDecision)
	}
	if got, _ := f.GetCellValue(SheetResults, "D2"); got != "Revoke" {
		t.Errorf("input Decision column = %q, want the input value", got)
	}
	dvs, err := f.GetDataValidations(SheetResults)
	if err != nil {
		t.Fatal(err)
	}
	if len(dvs) != 1 || dvs[0].Sqref != "O2:O2" {
		t.Errorf("data validations = %+v, want one on O2:O2", dvs)
	}
}
