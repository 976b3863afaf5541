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

// column is one column of a sheet: its header and its width in characters.
type column struct {
	header string
	width  float64
}

// dataColumns returns the columns shared by the data sheets, with the extra
// input columns after User ID.
func dataColumns(extra []string) []column {
	cols := []column{
		{ColumnLine, 8},
		{ColumnAccountID, 14},
		{ColumnUserID, 14},
	}
	for _, name := range extra {
		cols = append(cols, column{cellText(name), 22})
	}
	return append(cols,
		column{"Outcome", 12},
		column{"HTTP status", 8},
		column{"Group ID", 10},
		column{"Group name", 28},
		column{"Administrator", 10},
		column{"Approved", 10},
		column{"Error kind", 18},
		column{"Error", 48},
		column{"Attempts", 9},
		column{"Lines", 12},
		column{ColumnDecision, 14},
		column{ColumnComment, 40},
	)
}

// rejectedColumns returns the columns of the Rejected input sheet.
func rejectedColumns() []column {
	return []column{
		{ColumnLine, 8},
		{"Reason", 70},
		{"Text", 80},
	}
}
