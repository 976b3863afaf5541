package decisions

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/accessaudit/accessaudit/report"
)

// readSeries are the first sheets of the series whose decisions Read uses,
// in reading order.
var readSeries = []string{report.SheetResults, report.SheetAdministrators}

// seriesSheets returns the sheets among sheets that belong to the series
// that starts with base: base itself, then "base (2)", "base (3)", ... in
// the order of their numbers, wherever they sit in the workbook.
func seriesSheets(sheets []string, base string) []string {
	type numbered struct {
		name string
		n    int
	}
	var found []numbered
	for _, name := range sheets {
		if n, ok := seriesNumber(name, base); ok {
			found = append(found, numbered{name, n})
		}
	}
	slices.SortFunc(found, func(a, b numbered) int { return a.n - b.n })

	names := make([]string, len(found))
	for i, s := range found {
		names[i] = s.name
	}
	return names
}

// seriesNumber returns the position of name in the series that starts with
// base: 1 for base itself, n for the name report.OverflowSheetName gives
// the n-th sheet. It returns ok false for any other name.
func seriesNumber(name, base string) (int, bool) {
	if name == base {
		return 1, true
	}
	rest, ok := strings.CutPrefix(name, base+" (")
	if !ok {
		return 0, false
	}
	digits, ok := strings.CutSuffix(rest, ")")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 2 || report.OverflowSheetName(base, n) != name {
		return 0, false
	}
	return n, true
}

// columns contains the 0-based positions of the columns that Read uses; -1
// marks a column that the header lacks.
type columns struct {
	account, user, decision, comment int
}

// findColumns locates the columns by their names in the header row. The ID
// columns are the first with their name, because extra input columns that
// may share the name come after them. Decision and Reviewer comment are the
// last with their name, because the extra input columns come before them.
func findColumns(header []string) columns {
	c := columns{account: -1, user: -1, decision: -1, comment: -1}
	for i, cell := range header {
		switch strings.TrimSpace(cell) {
		case report.ColumnAccountID:
			if c.account < 0 {
				c.account = i
			}
		case report.ColumnUserID:
			if c.user < 0 {
				c.user = i
			}
		case report.ColumnDecision:
			c.decision = i
		case report.ColumnComment:
			c.comment = i
		}
	}
	return c
}

// missing returns the quoted names of the columns that the header lacks.
func (c columns) missing() []string {
	var names []string
	for _, col := range []struct {
		name  string
		index int
	}{
		{report.ColumnAccountID, c.account},
		{report.ColumnUserID, c.user},
		{report.ColumnDecision, c.decision},
		{report.ColumnComment, c.comment},
	} {
		if col.index < 0 {
			names = append(names, strconv.Quote(col.name))
		}
	}
	return names
}

// cellAt returns the value of the 0-based column col of a row, or "" when
// the row is shorter or col is -1.
func cellAt(cells []string, col int) string {
	if col < 0 || col >= len(cells) {
		return ""
	}
	return cells[col]
}

// cellName returns the reference to a cell as Excel writes it, such as
// Results!P2 or 'Results (2)'!P2. col is 0-based and row 1-based.
func cellName(sheet string, col, row int) string {
	ref, err := excelize.CoordinatesToCellName(col+1, row)
	if err != nil {
		// Unreachable for cells read from a sheet, whose coordinates are
		// within the worksheet limits; keep the position in R1C1 form.
		ref = fmt.Sprintf("R%dC%d", row, col+1)
	}
	return quoteSheet(sheet) + "!" + ref
}

// quoteSheet returns the sheet name as Excel writes it in a reference: as
// it is when it consists of letters, digits and '_' and starts with a
// letter or '_', and in single quotes otherwise, with quotes inside
// doubled. A name that reads as a cell reference, such as A1, is quoted as
// well.
func quoteSheet(name string) string {
	plain := name != ""
	for i, r := range name {
		letter := r == '_' || ('A' <= r && r <= 'Z') || ('a' <= r && r <= 'z')
		digit := '0' <= r && r <= '9'
		if !letter && !(digit && i > 0) {
			plain = false
			break
		}
	}
	if plain {
		if _, _, err := excelize.CellNameToCoordinates(name); err != nil {
			return name
		}
	}
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}
