package report

import (
	"bytes"
	"encoding/json"

	"github.com/accessaudit/accessaudit/audit"
)

// resultJSON is one element of the "results" array, with field names and
// order as in the report.
type resultJSON struct {
	Line           int              `json:"line"`
	Lines          []int            `json:"lines"`
	ClientID       int64            `json:"client_id"`
	UserID         int64            `json:"user_id"`
	Outcome        audit.Outcome    `json:"outcome"`
	HTTPStatus     int              `json:"http_status"`
	GroupID        *int64           `json:"group_id"`
	GroupName      *string          `json:"group_name"`
	Admin          bool             `json:"admin"`
	Approved       *bool            `json:"approved"`
	StillHasAccess bool             `json:"still_has_access"`
	ErrorKind      *audit.ErrorKind `json:"error_kind"`
	Error          *string          `json:"error"`
	Attempts       int              `json:"attempts"`
	Columns        columnsJSON      `json:"columns"`
}

// newResultJSON converts an entry that passed checkEntry. Group fields are
// null unless the outcome is ok, error_kind is null unless it is error.
func newResultJSON(e Entry, columns []string) resultJSON {
	r := e.Result
	out := resultJSON{
		Line:           r.Line,
		Lines:          lines(r),
		ClientID:       r.ClientID,
		UserID:         r.UserID,
		Outcome:        r.Outcome,
		HTTPStatus:     r.HTTPStatus,
		Admin:          e.Admin,
		Approved:       e.Approved,
		StillHasAccess: e.StillHasAccess,
		Attempts:       r.Attempts,
		Columns:        columnsJSON{names: columns, result: r},
	}

	if r.Outcome == audit.OutcomeOK {
		out.GroupID, out.GroupName = r.GroupID, r.GroupName
	}
	if r.Outcome == audit.OutcomeError {
		out.ErrorKind = &r.ErrorKind
	}
	if r.Error != "" {
		out.Error = &r.Error
	}
	return out
}

// columnsJSON is the "columns" object: the extra input columns by header
// name, in header order rather than the sorted order of a Go map.
type columnsJSON struct {
	names  []string
	result *audit.Result
}

// MarshalJSON encodes the columns as one object with a key for every header
// name. It does not escape <, > and &, so the text matches the input.
func (c columnsJSON) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)

	buf.WriteByte('{')
	for i, name := range c.names {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(name); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1) // Encode ends each value with a newline
		buf.WriteByte(':')
		if err := enc.Encode(columnValue(c.result, i)); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
