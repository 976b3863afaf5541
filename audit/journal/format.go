package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/accessaudit/accessaudit/audit"
)

// headerLine is line 1 of a journal. Pointers tell a missing field from an
// empty one.
type headerLine struct {
	Version     *int    `json:"journal_version"`
	InputSHA256 *string `json:"input_sha256"`
	BaseURL     *string `json:"base_url"`
	Mode        *string `json:"mode"`
}

// encodeHeader returns the header line for h, newline included.
func encodeHeader(h Header) []byte {
	version := Version
	line, err := json.Marshal(headerLine{Version: &version, InputSHA256: &h.InputSHA256, BaseURL: &h.BaseURL, Mode: &h.Mode})
	if err != nil {
		panic(err) // a struct of strings and an int always encodes
	}
	return append(line, '\n')
}

// decodeHeader parses line 1 without its newline.
func decodeHeader(line []byte) (headerLine, error) {
	var h headerLine
	if err := json.Unmarshal(line, &h); err != nil {
		return h, fmt.Errorf("not a journal header: %v", err)
	}
	if h.Version == nil || h.InputSHA256 == nil || h.BaseURL == nil || h.Mode == nil {
		return h, errors.New("not a journal header: journal_version, input_sha256, base_url and mode are required")
	}
	return h, nil
}

// compare returns a *MismatchError for the first field of the recorded
// header that differs from want, or nil. The version comes first, because
// another version may spell the other fields differently.
func (h headerLine) compare(path string, want Header) error {
	if *h.Version != Version {
		return &MismatchError{Path: path, Field: "journal_version", Recorded: fmt.Sprint(*h.Version), Current: fmt.Sprint(Version)}
	}
	fields := []struct{ name, recorded, current string }{
		{"input_sha256", *h.InputSHA256, want.InputSHA256},
		{"base_url", canonicalBaseURL(*h.BaseURL), want.BaseURL},
		{"mode", *h.Mode, want.Mode},
	}
	for _, f := range fields {
		if f.recorded != f.current {
			return &MismatchError{Path: path, Field: f.name, Recorded: f.recorded, Current: f.current}
		}
	}
	return nil
}

// resultLine is one finished pair, in the field names of the JSON report.
// Absent values are null, as in the report.
type resultLine struct {
	ClientID   int64   `json:"client_id"`
	UserID     int64   `json:"user_id"`
	Outcome    string  `json:"outcome"`
	HTTPStatus int     `json:"http_status"`
	GroupID    *int64  `json:"group_id"`
	GroupName  *string `json:"group_name"`
	ErrorKind  *string `json:"error_kind"`
	Error      *string `json:"error"`
	Attempts   int     `json:"attempts"`
}

// encodeResult returns the line for r, newline included. JSON escapes every
// control character, so the line contains no other newline.
func encodeResult(r *audit.Result) []byte {
	line := resultLine{
		ClientID:   r.ClientID,
		UserID:     r.UserID,
		Outcome:    string(r.Outcome),
		HTTPStatus: r.HTTPStatus,
		GroupID:    r.GroupID,
		GroupName:  r.GroupName,
		Attempts:   r.Attempts,
	}
	if r.ErrorKind != "" {
		kind := string(r.ErrorKind)
		line.ErrorKind = &kind
	}
	if r.Error != "" {
		line.Error = &r.Error
	}
	out, err := json.Marshal(line)
	if err != nil {
		panic(err) // numbers and strings always encode
	}
	return append(out, '\n')
}

// decodedResult is a parsed result line: the pair and, when its outcome is
// final, the record to keep.
type decodedResult struct {
	pair  audit.Pair
	final bool
	rec   record
}

// decodeResult parses one result line without its newline. It checks what
// a reader relies on: positive IDs, a known outcome, an HTTP status of at
// most three digits and a non-negative attempt count.
func decodeResult(line []byte, ix *index) (decodedResult, error) {
	var raw struct {
		ClientID   *int64  `json:"client_id"`
		UserID     *int64  `json:"user_id"`
		Outcome    *string `json:"outcome"`
		HTTPStatus int     `json:"http_status"`
		GroupID    *int64  `json:"group_id"`
		GroupName  *string `json:"group_name"`
		Error      *string `json:"error"`
		Attempts   int64   `json:"attempts"`
	}
	if err := json.Unmarshal(line, &raw); err != nil {
		return decodedResult{}, fmt.Errorf("not a JSON result: %v", err)
	}

	switch {
	case raw.ClientID == nil || raw.UserID == nil || raw.Outcome == nil:
		return decodedResult{}, errors.New("client_id, user_id and outcome are required")
	case *raw.ClientID <= 0 || *raw.UserID <= 0:
		return decodedResult{}, fmt.Errorf("client_id %d and user_id %d must be positive", *raw.ClientID, *raw.UserID)
	case raw.HTTPStatus < 0 || raw.HTTPStatus > 999:
		return decodedResult{}, fmt.Errorf("http_status %d is not an HTTP status", raw.HTTPStatus)
	case raw.Attempts < 0 || raw.Attempts > math.MaxInt32:
		return decodedResult{}, fmt.Errorf("attempts %d is out of range", raw.Attempts)
	}
	outcome, ok := parseOutcome(*raw.Outcome)
	if !ok {
		return decodedResult{}, fmt.Errorf("unknown outcome %q", *raw.Outcome)
	}

	d := decodedResult{pair: audit.Pair{ClientID: *raw.ClientID, UserID: *raw.UserID}}
	if outcome == audit.OutcomeError {
		return d, nil
	}
	d.final = true
	d.rec = record{
		outcome:  outcomeCode(outcome),
		status:   int16(raw.HTTPStatus),
		attempts: int32(raw.Attempts),
		name:     ix.intern(raw.GroupName),
		message:  ix.intern(raw.Error),
	}
	if raw.GroupID != nil {
		d.rec.groupID, d.rec.hasGroupID = *raw.GroupID, true
	}
	return d, nil
}

func parseOutcome(s string) (audit.Outcome, bool) {
	switch o := audit.Outcome(s); o {
	case audit.OutcomeOK, audit.OutcomeForbidden, audit.OutcomeNotFound, audit.OutcomeError:
		return o, true
	}
	return "", false
}
