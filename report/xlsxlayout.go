package report

import "strconv"

// Sheet names of the workbook, in sheet order. SheetStillHasAccess exists only
// in offboarding mode. A data sheet that overflows continues in sheets named
// by OverflowSheetName.
const (
	SheetSummary        = "Summary"
	SheetResults        = "Results"
	SheetAdministrators = "Administrators"
	SheetStillHasAccess = "Still has access"
	SheetNeedsAttention = "Needs attention"
	SheetRejected       = "Rejected input"
)

// Header names of the data sheets that other tools look up by name. Results,
// Administrators, Still has access and Needs attention share one header:
// Line, Account ID, User ID, the extra input columns, Outcome, HTTP status,
// Group ID, Group name, Administrator, Approved, Error kind, Error, Attempts,
// Lines, Decision, Reviewer comment.
const (
	ColumnLine      = "Line"
	ColumnAccountID = "Account ID"
	ColumnUserID    = "User ID"
	ColumnDecision  = "Decision"
	ColumnComment   = "Reviewer comment"
)

// DecisionValues are the choices offered in the Decision column.
var DecisionValues = []string{"Keep", "Revoke", "Change group"}

// MaxDataRows is the number of data rows a sheet holds below its header row
// before it continues in an overflow sheet: the 1,048,576 rows of a
// worksheet minus the header.
const MaxDataRows = 1_048_575

// OverflowSheetName returns the name of the n-th sheet of a series that
// starts with base: base itself for n = 1, "base (n)" after it.
func OverflowSheetName(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + " (" + strconv.Itoa(n) + ")"
}

// cellFormat is how the cells of a column are styled.
type cellFormat int

const (
	formatText    cellFormat = iota // one line, aligned to the top
	formatWrap                      // text that wraps within the column
	formatID                        // a whole number without scientific notation
	formatOutcome                   // the Outcome word, filled by what it means
)

// column is one column of a sheet. Widths are in characters of the default
// font. A column with maxWidth above width is sized by its text: the writer
// measures the first rows and picks a width between the two.
type column struct {
	header   string
	width    float64
	maxWidth float64
	format   cellFormat
}

// Bounds of the width of an extra input column, in characters. Wider text
// wraps, so that every column still fits one printed page across.
const (
	widthExtraMin = 8
	widthExtraMax = 30
)

// dataColumns returns the columns shared by the data sheets, with the extra
// input columns after User ID. The widths keep the whole row on one
// landscape page at a readable scale. The ID columns grow with the longest
// ID, and text columns with the longest text up to their maximum.
func dataColumns(extra []string) []column {
	cols := []column{
		{header: ColumnLine, width: 6},
		{header: ColumnAccountID, width: 9, maxWidth: 20, format: formatID},
		{header: ColumnUserID, width: 9, maxWidth: 20, format: formatID},
	}
	for _, name := range extra {
		cols = append(cols, column{header: cellText(name), width: widthExtraMin, maxWidth: widthExtraMax, format: formatWrap})
	}
	return append(cols,
		column{header: "Outcome", width: 10, format: formatOutcome},
		column{header: "HTTP status", width: 8},
		column{header: "Group ID", width: 7, maxWidth: 20, format: formatID},
		column{header: "Group name", width: 10, maxWidth: 32, format: formatWrap},
		column{header: "Administrator", width: 15},
		column{header: "Approved", width: 10},
		column{header: "Error kind", width: 8, maxWidth: 18},
		column{header: "Error", width: 8, maxWidth: 24, format: formatWrap},
		column{header: "Attempts", width: 10},
		column{header: "Lines", width: 7, maxWidth: 10, format: formatWrap},
		column{header: ColumnDecision, width: 13},
		column{header: ColumnComment, width: 20, format: formatWrap},
	)
}

// rejectedColumns returns the columns of the Rejected input sheet.
func rejectedColumns() []column {
	return []column{
		{header: ColumnLine, width: 7},
		{header: "Reason", width: 20, maxWidth: 100, format: formatWrap},
		{header: "Text", width: 12, maxWidth: 60, format: formatWrap},
	}
}
