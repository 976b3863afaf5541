package diff

import (
	"fmt"

	"github.com/accessaudit/accessaudit/audit"
)

// record is the part of one "results" element that a comparison needs.
// Other members, such as "columns" and "lines", are read and dropped.
type record struct {
	ClientID  int64            `json:"client_id"`
	UserID    int64            `json:"user_id"`
	Outcome   audit.Outcome    `json:"outcome"`
	GroupID   *int64           `json:"group_id"`
	GroupName *string          `json:"group_name"`
	ErrorKind *audit.ErrorKind `json:"error_kind"`
}

// check returns an error when the element cannot be compared: an ID that
// is missing or not positive, or an outcome other than the four known ones.
func (r *record) check() error {
	switch {
	case r.ClientID < 1:
		return fmt.Errorf(`"client_id" is missing or not a positive integer (got %d)`, r.ClientID)
	case r.UserID < 1:
		return fmt.Errorf(`"user_id" is missing or not a positive integer (got %d)`, r.UserID)
	}

	switch r.Outcome {
	case audit.OutcomeOK, audit.OutcomeNotFound, audit.OutcomeForbidden, audit.OutcomeError:
		return nil
	}
	return fmt.Errorf(`"outcome" %q is not one of ok, not_found, forbidden, error`, clip(string(r.Outcome)))
}

func (r *record) pair() audit.Pair {
	return audit.Pair{ClientID: r.ClientID, UserID: r.UserID}
}

// admin applies the administrator rule of audit.Result.Admin to the record,
// rather than trusting the report's "admin" member, so that both reports
// are judged by the same rule.
func (r *record) admin() bool {
	res := audit.Result{Outcome: r.Outcome, GroupID: r.GroupID, GroupName: r.GroupName}
	return res.Admin()
}
