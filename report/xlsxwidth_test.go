package report

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/accessaudit/accessaudit/audit"
)

func TestTextWidth(t *testing.T) {
	tests := []struct {
		text  string
		limit float64
		want  float64
	}{
		{"", 100, 0},
		{"0123456789", 100, 10},             // a digit is the unit
		{"李雷", 100, 4},                      // East Asian wide characters count twice
		{"short\n0123456789\nmid", 100, 10}, // the longest line
		{strings.Repeat("9", 500), 40, 40},  // stops at the limit
		{"iiii", 100, 2},                    // narrow letters
		{"MMMM", 100, 6.4},                  // wide letters
	}
	for _, tt := range tests {
		if got := textWidth(tt.text, tt.limit); got != tt.want {
			t.Errorf("textWidth(%q, %v) = %v, want %v", abbreviate(tt.text), tt.limit, got, tt.want)
		}
	}
}

func TestColumnSizerWidths(t *testing.T) {
	columns := []column{
		{header: "Fixed", width: 7},
		{header: "Sized", width: 8, maxWidth: 20},
		{header: "Capped", width: 8, maxWidth: 12},
		{header: "Unseen", width: 9, maxWidth: 30},
		{header: "Headerwordislong", width: 6, maxWidth: 40},
	}
	s := newColumnSizer(columns)
	s.observe([]any{"a very long text for a fixed column", "0123456789", strings.Repeat("9", 50), nil, "x"})
	s.observe([]any{excelize.Cell{Value: "012345678901234"}, excelize.Cell{StyleID: 3, Value: "01234"}, "", nil, ""})

	got := s.widths()
	want := []float64{
		7,  // fixed columns keep their width
		12, // 10 digits plus a margin of 2
		12, // capped at its maximum
		9,  // nothing seen: the minimum
		// the longest header word, plus a margin of 2, wins over short text
		textWidth("Headerwordislong", 100) + 2,
	}
	want[4] = roundHalfUp(want[4])
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("widths = %v, want %v", got, want)
	}
}

// roundHalfUp rounds w up to the next half character, as widths does.
func roundHalfUp(w float64) float64 {
	whole := float64(int(w))
	switch {
	case w == whole:
		return w
	case w <= whole+0.5:
		return whole + 0.5
	}
	return whole + 1
}

func TestRowHeight(t *testing.T) {
	columns := []column{
		{header: "ID", width: 10, format: formatID},
		{header: "Wrapped", width: 12, format: formatWrap},
		{header: "Clipped", width: 5},
	}
	widths := []float64{10, 12, 5}
	tests := []struct {
		name   string
		values []any
		want   float64
	}{
		{"fits one line", []any{1, "0123456789", nil}, 0},
		{"clipped column never grows", []any{1, nil, strings.Repeat("9", 100)}, 0},
		{"two lines", []any{1, "0123456789 0123456789", nil}, 2 * lineHeight},
		{"line breaks count", []any{1, excelize.Cell{Value: "a\nb\nc"}, nil}, 3 * lineHeight},
		{"very long text stops at the maximum", []any{1, strings.Repeat("9", 32767), nil}, maxRowHeight},
	}
	for _, tt := range tests {
		if got := rowHeight(tt.values, columns, widths); got != tt.want {
			t.Errorf("%s: rowHeight = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestXLSXWidthsFromFirstRows checks that the data sheets take their widths
// from the first sizingRows rows and that rows held back for the sizing and
// rows after it all arrive, in order, with a height for wrapped text.
func TestXLSXWidthsFromFirstRows(t *testing.T) {
	var results []*audit.Result
	for i := range sizingRows + 20 {
		note := "short"
		if i == sizingRows+10 { // after the sizing: wraps instead of widening
			note = strings.Repeat("wide text ", 10)
		}
		results = append(results, &audit.Result{
			Job:     audit.Job{Pair: audit.Pair{ClientID: 1, UserID: int64(i + 1)}, Line: i + 2, Lines: []int{i + 2}, Columns: []string{fmt.Sprintf("user%03d@example.com", i), note}},
			Outcome: audit.OutcomeNotFound, HTTPStatus: 404, Attempts: 1,
		})
	}
	dir := t.TempDir()
	f := writeXLSX(t, dir, Policy{Mode: ModeAudit}, MaxDataRows, []string{"email", "note"}, results, nil)

	rows, err := f.GetRows(SheetResults)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(results)+1 {
		t.Fatalf("Results has %d rows, want header and %d", len(rows), len(results))
	}
	for i, row := range rows[1:] {
		if want := fmt.Sprint(i + 2); row[0] != want {
			t.Fatalf("Results row %d holds line %s, want %s", i+2, row[0], want)
		}
	}

	email, _ := f.GetColWidth(SheetResults, "D")
	if want := roundHalfUp(textWidth("user000@example.com", 100) + 2); email != want {
		t.Errorf("email column width = %v, want %v from the first rows", email, want)
	}
	note, _ := f.GetColWidth(SheetResults, "E")
	if note != widthExtraMin {
		t.Errorf("note column width = %v, want the minimum %d: the wide note came after the sizing", note, widthExtraMin)
	}
	wide := sizingRows + 10 + 2 // Results row of the wide note
	if height, _ := f.GetRowHeight(SheetResults, wide); height <= lineHeight {
		t.Errorf("row %d with wrapped text has height %v, want more than one line", wide, height)
	}

	sheet := readPart(t, filepath.Join(dir, "report.xlsx"), "xl/worksheets/sheet2.xml")
	if strings.Count(sheet, `customHeight="1"`) != 2 { // the header and the wrapped row
		t.Errorf("Results sets %d row heights, want the header and the one wrapped row", strings.Count(sheet, `customHeight="1"`))
	}
}
