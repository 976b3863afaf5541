// Package audit asks the Gcore IAM API which group each user holds in each
// account and classifies every answer into an Outcome.
//
// The package owns the domain types (Pair, Job, Result, Outcome), the HTTP
// client and the runner that fans pairs out to workers under one shared rate
// limit. It reads no CSV and writes no reports: input/ and report/ do that.
package audit

import "strings"

// Pair is one account/user combination to look up. Both IDs are positive.
type Pair struct {
	ClientID int64 // the account ID, sent as clientId
	UserID   int64 // the user ID, sent as userId
}

// Job is one unique pair with the input context that the reports carry
// through unchanged.
type Job struct {
	Pair

	Seq     int      // 0-based position among the unique pairs, in input order
	Line    int      // 1-based physical line of the pair's first appearance
	Lines   []int    // every line that names the pair, Line first
	Columns []string // extra input columns of the first line, in header order
}

// Outcome is the classified response for one pair, spelled as in the reports.
type Outcome string

// The four outcomes. Only OutcomeError carries an ErrorKind.
const (
	OutcomeOK        Outcome = "ok"        // 200 with a user_role
	OutcomeNotFound  Outcome = "not_found" // 404: the user is not in the account
	OutcomeForbidden Outcome = "forbidden" // 403: the key cannot see the account
	OutcomeError     Outcome = "error"     // anything else once retries are spent
)

// ErrorKind is the reason a pair ended in OutcomeError.
type ErrorKind string

// The error kinds, spelled as in the reports.
const (
	KindRateLimited      ErrorKind = "rate_limited"      // 429 until retries or patience ran out
	KindServerError      ErrorKind = "server_error"      // 5xx
	KindTimeout          ErrorKind = "timeout"           // an attempt exceeded --timeout
	KindNetwork          ErrorKind = "network"           // connection refused, reset, cut mid-body
	KindInvalidResponse  ErrorKind = "invalid_response"  // 200 without a usable user_role, or a body over the cap
	KindUnexpectedStatus ErrorKind = "unexpected_status" // 3xx, 4xx other than 401/403/404/429, 1xx
)

// AdministratorsGroupID and AdministratorsGroupName identify the group that
// makes a user an administrator.
const (
	AdministratorsGroupID   = 1
	AdministratorsGroupName = "Administrators"
)

// Result is the final outcome for one Job.
type Result struct {
	Job

	Outcome    Outcome
	HTTPStatus int       // status of the last response; 0 when none arrived
	GroupID    *int64    // set only for OutcomeOK, and only when the API sent an id
	GroupName  *string   // set only for OutcomeOK, and only when the API sent a name
	ErrorKind  ErrorKind // empty unless Outcome is OutcomeError
	Error      string    // the failure or the API's message; empty when none
	Attempts   int       // HTTP requests sent for this pair, retries included
}

// Admin reports whether the result makes the user an administrator: the
// outcome is ok and the group ID is 1 or the group name is "Administrators",
// ignoring case and surrounding spaces.
func (r *Result) Admin() bool {
	if r.Outcome != OutcomeOK {
		return false
	}
	if r.GroupID != nil && *r.GroupID == AdministratorsGroupID {
		return true
	}
	return r.GroupName != nil && strings.EqualFold(strings.TrimSpace(*r.GroupName), AdministratorsGroupName)
}
