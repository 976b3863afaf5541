package decisions

import (
	"strings"

	"github.com/accessaudit/accessaudit/report"
)

// unreadSheets returns the sheets outside plan whose Decision column contains
// values, in workbook order. It is a hint for the reviewer, so a sheet that
// cannot be read, such as a chart sheet, is skipped.
func (r *reader) unreadSheets(sheets []string, plan []plannedSheet) []UnreadSheet {
	read := make(map[string]bool, len(plan))
	for _, s := range plan {
		read[s.name] = true
	}

	var unread []UnreadSheet
	for _, sheet := range sheets {
		if read[sheet] {
			continue
		}
		if u, err := r.countDecisions(sheet); err == nil && u.Count > 0 {
			unread = append(unread, u)
		}
	}
	return unread
}

// countDecisions counts the cells with a value below the last header cell
// named Decision in row 1 of sheet.
func (r *reader) countDecisions(sheet string) (UnreadSheet, error) {
	u := UnreadSheet{Sheet: sheet}
	col := -1
	err := r.eachRow(sheet, func(row int, cells []string) error {
		if row == 1 {
			col = lastIndex(cells, report.ColumnDecision)
			if col < 0 {
				return errStop
			}
			return nil
		}

		if normalizeSpaces(cellAt(cells, col)) == "" {
			return nil
		}
		if u.Count == 0 {
			u.First = cellName(sheet, col, row)
		}
		u.Count++
		return nil
	})
	return u, err
}

// lastIndex returns the position of the last cell whose trimmed value is
// name, or -1.
func lastIndex(cells []string, name string) int {
	for i := len(cells) - 1; i >= 0; i-- {
		if strings.TrimSpace(cells[i]) == name {
			return i
		}
	}
	return -1
}
