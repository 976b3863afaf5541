package report

import (
	"archive/zip"
	"fmt"
	"html"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/accessaudit/accessaudit/audit"
)

// readPart returns one part of the workbook archive at path, or "" when the
// archive has no such part.
func readPart(t *testing.T, path, name string) string {
	t.Helper()
	archive, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer archive.Close()
	for _, part := range archive.File {
		if part.Name != name {
			continue
		}
		rc, err := part.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		data, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	return ""
}

func TestXLSXPageSetup(t *testing.T) {
	f := writeSampleXLSX(t, Policy{Mode: ModeOffboarding}, 3) // overflow sheets too

	titles := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			titles[dn.Scope] = dn.RefersTo
		}
	}

	for _, sheet := range f.GetSheetList() {
		t.Run(sheet, func(t *testing.T) {
			layout, err := f.GetPageLayout(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if *layout.Orientation != "landscape" {
				t.Errorf("orientation = %q, want landscape", *layout.Orientation)
			}
			props, err := f.GetSheetProps(sheet)
			if err != nil {
				t.Fatal(err)
			}
			fitToPage := props.FitToPage != nil && *props.FitToPage

			if sheet == SheetSummary {
				if *layout.AdjustTo != summaryScale || fitToPage {
					t.Errorf("scale %d%%, fit to page %v; want %d%% and no fitting", *layout.AdjustTo, fitToPage, summaryScale)
				}
				if _, ok := titles[sheet]; ok {
					t.Errorf("Summary repeats rows %q on every page, want none", titles[sheet])
				}
			} else {
				if !fitToPage || layout.FitToWidth == nil || *layout.FitToWidth != 1 || layout.FitToHeight == nil || *layout.FitToHeight != 0 {
					t.Errorf("fit to page %v, %v wide by %v tall; want one page wide, any number tall", fitToPage, layout.FitToWidth, layout.FitToHeight)
				}
				if want := "'" + sheet + "'!$1:$1"; titles[sheet] != want {
					t.Errorf("print titles = %q, want %q", titles[sheet], want)
				}
			}

			margins, err := f.GetPageMargins(sheet)
			if err != nil {
				t.Fatal(err)
			}
			got := []float64{*margins.Left, *margins.Right, *margins.Top, *margins.Bottom, *margins.Header, *margins.Footer}
			if want := []float64{0.4, 0.4, 0.7, 0.7, 0.3, 0.3}; !slices.Equal(got, want) {
				t.Errorf("margins (left, right, top, bottom, header, footer) = %v, want %v", got, want)
			}

			hf, err := f.GetHeaderFooter(sheet)
			if err != nil {
				t.Fatal(err)
			}
			for _, code := range []string{"&A", "Page &P of &N"} {
				if !strings.Contains(hf.OddHeader, code) {
					t.Errorf("page header %q lacks %q", hf.OddHeader, code)
				}
			}
			for _, text := range []string{"Offboarding sweep, started 2026-03-01T12:00:00Z", "accessaudit 1.2.3-test", "input pairs.csv"} {
				if !strings.Contains(hf.OddFooter, text) {
					t.Errorf("page footer %q lacks %q", hf.OddFooter, text)
				}
			}
		})
	}
}

func TestHeaderText(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"plain", "plain"},
		{"R&D & more.csv", "R&&D && more.csv"},
		{"&P is not a code here", "&&P is not a code here"},
		{"bell\x07", "bell\uFFFD"},
		{strings.Repeat("é", 150), strings.Repeat("é", maxHeaderText-1) + "…"},
		{strings.Repeat("&", 150), strings.Repeat("&&", (maxHeaderText-1)/2) + "…"},
		{strings.Repeat("🙂", 150), strings.Repeat("🙂", (maxHeaderText-1)/2) + "…"}, // two UTF-16 units each
	}
	for _, tt := range tests {
		got := headerText(tt.in)
		if got != tt.want {
			t.Errorf("headerText(%q) = %q, want %q", abbreviate(tt.in), abbreviate(got), abbreviate(tt.want))
		}
		if utf16Len(got) > maxHeaderText {
			t.Errorf("headerText(%q) has %d UTF-16 units, over %d", abbreviate(tt.in), utf16Len(got), maxHeaderText)
		}
	}
}

// TestXLSXLongInputName checks that a long input file name full of "&"
// still gives a page footer that excelize accepts.
func TestXLSXLongInputName(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.xlsx")
	w, err := NewXLSX(path, sampleTool, nil, ModeAudit)
	if err != nil {
		t.Fatal(err)
	}
	run := sampleRun(ModeAudit)
	run.Input.Path = strings.Repeat("&🙂", 200) + ".csv"
	writeReport(t, w, Policy{Mode: ModeAudit}, accountResults(1, func(int) bool { return false }), run, nil)

	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	hf, err := f.GetHeaderFooter(SheetResults)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(hf.OddFooter, "input &&🙂") || utf16Len(hf.OddFooter) > excelize.MaxFieldLength {
		t.Errorf("page footer = %q (%d units), want the escaped, cut input name within %d units", abbreviate(hf.OddFooter), utf16Len(hf.OddFooter), excelize.MaxFieldLength)
	}
}

// accountResults returns one not_found result in each of n accounts, the
// i-th one forbidden instead when forbidden(i) is true.
func accountResults(n int, forbidden func(i int) bool) []*audit.Result {
	var results []*audit.Result
	for i := range n {
		r := &audit.Result{
			Job:     audit.Job{Pair: audit.Pair{ClientID: int64(5000 + i), UserID: 1}, Line: i + 2, Lines: []int{i + 2}},
			Outcome: audit.OutcomeNotFound, HTTPStatus: 404, Attempts: 1,
		}
		if forbidden(i) {
			r.Outcome, r.HTTPStatus = audit.OutcomeForbidden, 403
		}
		results = append(results, r)
	}
	return results
}

// summaryRowOf returns the 1-based row of the first Summary row whose
// column A holds text.
func summaryRowOf(t *testing.T, f *excelize.File, text string) int {
	t.Helper()
	rows, err := f.GetRows(SheetSummary)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		if len(row) > 0 && row[0] == text {
			return i + 1
		}
	}
	t.Fatalf("Summary has no row %q", text)
	return 0
}

func TestXLSXSummaryAccountPage(t *testing.T) {
	tests := []struct {
		name      string
		accounts  int
		wantBreak bool
	}{
		{"one account shares the first page", 1, false},
		{"many accounts start a new page", 40, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			f := writeXLSX(t, dir, Policy{Mode: ModeAudit}, MaxDataRows, nil, accountResults(tt.accounts, func(int) bool { return false }), nil)
			sheet := readPart(t, filepath.Join(dir, "report.xlsx"), "xl/worksheets/sheet1.xml")

			heading := summaryRowOf(t, f, "Coverage by account")
			hasBreak := strings.Contains(sheet, fmt.Sprintf(`<brk id="%d"`, heading-1))
			if hasBreak != tt.wantBreak {
				t.Errorf("page break above row %d (Coverage by account) = %v, want %v", heading, hasBreak, tt.wantBreak)
			}
		})
	}
}

func TestXLSXSummaryGapFill(t *testing.T) {
	results := accountResults(3, func(i int) bool { return i == 1 })
	f := writeXLSX(t, t.TempDir(), Policy{Mode: ModeAudit}, MaxDataRows, nil, results, nil)
	first := summaryRowOf(t, f, "Account ID") + 1

	tests := []struct {
		row     int
		gap     bool
		account string
	}{
		{first, false, "5000"},
		{first + 1, true, "5001"},
		{first + 2, false, "5002"},
	}
	for _, tt := range tests {
		if got, _ := f.GetCellValue(SheetSummary, cellRef(t, 1, tt.row)); got != tt.account {
			t.Fatalf("Summary!A%d = %q, want account %s", tt.row, got, tt.account)
		}
		for _, col := range []int{6, 8} { // forbidden, Coverage
			fill := styleOf(t, f, SheetSummary, cellRef(t, col, tt.row)).Fill
			if filled := slices.Equal(fill.Color, []string{colorGap}); filled != tt.gap {
				t.Errorf("account %s column %d fill = %v, want gap fill %v", tt.account, col, fill.Color, tt.gap)
			}
		}
	}
}

func TestXLSXSummaryRowLimit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.xlsx")
	w, err := NewXLSX(path, sampleTool, nil, ModeAudit)
	if err != nil {
		t.Fatal(err)
	}
	w.(*xlsxWriter).summaryRowLimit = 60
	results := accountResults(100, func(int) bool { return false })
	writeReport(t, w, Policy{Mode: ModeAudit}, results, sampleRun(ModeAudit), nil)

	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetSummary)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) > 60 {
		t.Errorf("Summary has %d rows, want at most the limit of 60", len(rows))
	}

	last, note := rows[len(rows)-1], rows[len(rows)-2]
	listed := len(rows) - summaryRowOf(t, f, "Account ID") - 2
	if want := fmt.Sprintf("%d more accounts are not listed", 100-listed); !strings.HasPrefix(note[0], want) {
		t.Errorf("row above the total = %q, want it to start %q", note[0], want)
	}
	if last[0] != "All accounts" || last[1] != "100" {
		t.Errorf("total row = %q, want All accounts with 100 pairs", last)
	}
}

func TestXLSXSummaryStatus(t *testing.T) {
	tests := []struct {
		name     string
		complete bool
		stopped  bool
		results  int
		want     string
		color    string
	}{
		{"complete", true, false, 8, "Complete: all 8 pairs have a result. 2 ended in error", colorOK},
		{"interrupted", false, true, 5, "Incomplete: the run was interrupted, and 3 of 8 pairs have no result.", colorBad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "report.xlsx")
			w, err := NewXLSX(path, sampleTool, sampleColumns, ModeAudit)
			if err != nil {
				t.Fatal(err)
			}
			run := sampleRun(ModeAudit)
			run.Complete, run.Interrupted = tt.complete, tt.stopped
			writeReport(t, w, Policy{Mode: ModeAudit}, sampleResults()[:tt.results], run, nil)

			f, err := excelize.OpenFile(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			status := parseSummary(t, f).status
			if !strings.HasPrefix(status, tt.want) {
				t.Errorf("status = %q, want it to start %q", status, tt.want)
			}
			ref := cellRef(t, 1, len(parseSummary(t, f).notes)+2)
			if font := styleOf(t, f, SheetSummary, ref).Font; font == nil || font.Color != tt.color {
				t.Errorf("status font = %+v, want colour %s", font, tt.color)
			}
		})
	}
}

var chartRef = regexp.MustCompile(`<f>([^<]*)</f>`)

// groupResults returns one ok result per group, group i holding i+1 users.
func groupResults(groups int) []*audit.Result {
	var results []*audit.Result
	for g := range groups {
		for u := range g + 1 {
			line := len(results) + 2
			results = append(results, &audit.Result{
				Job:     audit.Job{Pair: audit.Pair{ClientID: 1, UserID: int64(line)}, Line: line, Lines: []int{line}},
				Outcome: audit.OutcomeOK, HTTPStatus: 200, GroupID: ptr(int64(100 + g)), GroupName: ptr(fmt.Sprintf("Group %02d", g)), Attempts: 1 + u%2,
			})
		}
	}
	return results
}

func TestXLSXSummaryChart(t *testing.T) {
	tests := []struct {
		name    string
		results []*audit.Result
		drawn   int // groups in the chart; 0 for no chart
		title   string
	}{
		{"few groups", groupResults(3), 3, "Users per group"},
		{"many groups", groupResults(chartMaxGroups + 5), chartMaxGroups, "Users per group (the 30 largest)"},
		{"no groups", accountResults(2, func(int) bool { return false }), 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			f := writeXLSX(t, dir, Policy{Mode: ModeAudit}, MaxDataRows, nil, tt.results, nil)
			chart := readPart(t, filepath.Join(dir, "report.xlsx"), "xl/charts/chart1.xml")
			if tt.drawn == 0 {
				if chart != "" {
					t.Error("workbook has a chart, want none without groups")
				}
				return
			}
			if chart == "" {
				t.Fatal("workbook has no chart")
			}
			if !strings.Contains(chart, `<barDir val="bar">`) || !strings.Contains(chart, "<a:t>"+tt.title+"</a:t>") {
				t.Errorf("chart is not a bar chart titled %q", tt.title)
			}

			// The chart draws the first rows of the groups table: names in A,
			// counts in B, largest group first.
			refs := chartRef.FindAllStringSubmatch(chart, -1)
			if len(refs) != 3 {
				t.Fatalf("chart has %d cell references, want name, categories and values", len(refs))
			}
			header := summaryRowOf(t, f, "Groups (ok results)")
			first, last := header+1, header+tt.drawn
			want := []string{
				fmt.Sprintf("'Summary'!$B$%d", header),
				fmt.Sprintf("'Summary'!$A$%d:$A$%d", first, last),
				fmt.Sprintf("'Summary'!$B$%d:$B$%d", first, last),
			}
			for i, ref := range refs {
				if got := html.UnescapeString(ref[1]); got != want[i] {
					t.Errorf("chart reference %d = %q, want %q", i, got, want[i])
				}
			}
			// Group g holds g+1 users, so the drawn rows run down from the
			// last group.
			total := len(tt.results)
			groups := 0
			for users := 1; total > 0; users++ {
				total -= users
				groups++
			}
			for i, row := 0, first; row <= last; i, row = i+1, row+1 {
				name, _ := f.GetCellValue(SheetSummary, cellRef(t, 1, row))
				count, _ := f.GetCellValue(SheetSummary, cellRef(t, 2, row))
				wantName, wantCount := fmt.Sprintf("Group %02d", groups-1-i), strconv.Itoa(groups-i)
				if name != wantName || count != wantCount {
					t.Errorf("Summary row %d = %q, %q; want %q, %q", row, name, count, wantName, wantCount)
				}
			}

			drawing := readPart(t, filepath.Join(dir, "report.xlsx"), "xl/drawings/drawing1.xml")
			if from := fmt.Sprintf("<xdr:from><xdr:col>%d</xdr:col>", chartFirstCol-1); !strings.Contains(drawing, from) {
				t.Errorf("chart does not start in column D: %s", abbreviate(drawing))
			}
		})
	}
}
