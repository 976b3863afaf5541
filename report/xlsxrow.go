package report

import (
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/accessaudit/accessaudit/audit"
)

// rowStyles holds the style of every data column, for plain and for
// administrator rows.
type rowStyles struct {
	plain []int // 0 where the column needs no style
	admin []int
}

// newRowStyles returns the column styles of a data sheet with extra input
// columns: ID columns get the whole-number format, and administrator rows
// are filled across every column.
func newRowStyles(st styles, extra int) rowStyles {
	n := len(dataColumns(make([]string, extra)))
	groupIDCol := 3 + extra + 2 // after Line, Account ID, User ID, extras, Outcome, HTTP status
	rs := rowStyles{plain: make([]int, n), admin: make([]int, n)}

	for i := range n {
		rs.admin[i] = st.admin
	}
	for _, i := range []int{1, 2, groupIDCol} {
		rs.plain[i] = st.id
		rs.admin[i] = st.adminID
	}
	return rs
}

// appendRow appends the cells of e to dst, in the order of dataColumns.
// Numbers stay numbers, text from the input or the API goes through
// cellText, and empty values are left out (nil) unless the row is styled.
func appendRow(dst []any, e Entry, extra int, rs rowStyles) []any {
	r := e.Result
	start := len(dst)

	dst = append(dst, r.Line, idValue(r.ClientID), idValue(r.UserID))
	for i := range extra {
		dst = append(dst, textValue(columnValue(r, i)))
	}

	dst = append(dst,
		string(r.Outcome),
		httpStatusValue(r.HTTPStatus),
		groupIDValue(r),
		groupNameValue(r),
		yesNo(e.Admin),
		approvedValue(e.Approved),
		errorKindValue(r),
		textValue(r.Error),
		r.Attempts,
		textValue(joinLines(lines(r))),
		nil, // Decision
		nil, // Reviewer comment
	)

	styles := rs.plain
	if e.Admin {
		styles = rs.admin
	}
	for i, style := range styles {
		if style != 0 {
			dst[start+i] = excelize.Cell{StyleID: style, Value: dst[start+i]}
		}
	}
	return dst
}

// textValue returns s as a text cell value, or nil for an empty cell.
// excelize writes a Go string as an inline string, never as a formula, so
// text starting with = + - @ stays text.
func textValue(s string) any {
	if s == "" {
		return nil
	}
	return cellText(s)
}

func httpStatusValue(status int) any {
	if status == 0 {
		return nil // no response arrived
	}
	return status
}

func groupIDValue(r *audit.Result) any {
	if r.Outcome != audit.OutcomeOK || r.GroupID == nil {
		return nil
	}
	return idValue(*r.GroupID)
}

func groupNameValue(r *audit.Result) any {
	if r.Outcome != audit.OutcomeOK || r.GroupName == nil {
		return nil
	}
	return textValue(*r.GroupName)
}

func errorKindValue(r *audit.Result) any {
	if r.Outcome != audit.OutcomeError {
		return nil
	}
	return string(r.ErrorKind)
}

// approvedValue returns "yes" or "no", or nil without an approved list.
func approvedValue(approved *bool) any {
	if approved == nil {
		return nil
	}
	return yesNo(*approved)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// joinLines formats line numbers as "3, 17".
func joinLines(lines []int) string {
	buf := make([]byte, 0, 8*len(lines))
	for i, line := range lines {
		if i > 0 {
			buf = append(buf, ", "...)
		}
		buf = strconv.AppendInt(buf, int64(line), 10)
	}
	return string(buf)
}
