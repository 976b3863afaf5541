package report

import (
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/accessaudit/accessaudit/audit"
)

// rowStyles holds the style of every data column for each kind of row.
type rowStyles struct {
	plain   []int // an ordinary row
	finding []int // an administrator, or a user who still has access in offboarding mode

	outcome     int // index of the Outcome column
	gapOutcome  int // Outcome style of a forbidden or error row
	goodOutcome int // Outcome style of a not_found row in offboarding mode; 0 in audit mode
}

// newRowStyles returns the column styles of a data sheet with the given
// columns. Finding rows are filled across every column. Outside finding rows
// the Outcome cell is filled yellow for a coverage gap and, in offboarding
// mode, green for a user who is gone.
func newRowStyles(st styles, columns []column, mode string) rowStyles {
	rs := rowStyles{plain: make([]int, len(columns)), finding: make([]int, len(columns)), gapOutcome: st.gap}
	if mode == ModeOffboarding {
		rs.goodOutcome = st.good
	}

	pick := func(c cellStyles, format cellFormat) int {
		switch format {
		case formatWrap:
			return c.wrap
		case formatID:
			return c.id
		}
		return c.text
	}
	for i, col := range columns {
		rs.plain[i] = pick(st.plain, col.format)
		rs.finding[i] = pick(st.finding, col.format)
		if col.format == formatOutcome {
			rs.outcome = i
		}
	}
	return rs
}

// isFinding reports whether the row of e is highlighted as a finding: an
// administrator, or in offboarding mode a user who still has access.
func isFinding(e Entry) bool {
	return e.Admin || e.StillHasAccess
}

// appendRow appends the cells of e to dst, in the order of dataColumns.
// Numbers stay numbers, text from the input or the API goes through
// cellText, and every cell carries the style of its row kind, so a reviewer
// who types into an empty cell gets the same alignment and fill.
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
	if isFinding(e) {
		styles = rs.finding
	}
	for i, style := range styles {
		dst[start+i] = excelize.Cell{StyleID: style, Value: dst[start+i]}
	}
	if outcome := outcomeStyle(e, rs); outcome != 0 {
		dst[start+rs.outcome] = excelize.Cell{StyleID: outcome, Value: string(r.Outcome)}
	}
	return dst
}

// outcomeStyle returns the style that marks the Outcome cell of e, or 0 when
// the row style applies.
func outcomeStyle(e Entry, rs rowStyles) int {
	switch {
	case isFinding(e):
		return 0
	case e.Outcome == audit.OutcomeForbidden || e.Outcome == audit.OutcomeError:
		return rs.gapOutcome
	case e.Outcome == audit.OutcomeNotFound:
		return rs.goodOutcome
	}
	return 0
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
