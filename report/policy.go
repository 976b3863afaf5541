package report

import "github.com/accessaudit/accessaudit/audit"

// The audit modes. In ModeOffboarding every user still found in the account
// (outcome ok, any group) is a finding.
const (
	ModeAudit       = "audit"
	ModeOffboarding = "offboarding"
)

// Policy turns an audit result into a report entry: it applies the
// administrator rule (audit.Result.Admin), the approved list and the mode.
type Policy struct {
	Mode     string              // ModeAudit or ModeOffboarding
	Approved map[audit.Pair]bool // nil when no approved list was given
}

// Entry is one audit result with the findings that the reports show for it.
type Entry struct {
	*audit.Result

	Admin          bool  // the outcome is ok and the group is Administrators
	Approved       *bool // nil without an approved list; else whether the pair is on it
	StillHasAccess bool  // offboarding mode and the outcome is ok
}

// Entry returns the report entry for r. The entry points to r, so r must not
// change until every writer has written the entry.
func (p Policy) Entry(r *audit.Result) Entry {
	e := Entry{
		Result:         r,
		Admin:          r.Admin(),
		StillHasAccess: p.Mode == ModeOffboarding && r.Outcome == audit.OutcomeOK,
	}

	if p.Approved != nil {
		approved := p.Approved[r.Pair]
		e.Approved = &approved
	}
	return e
}

// Unapproved reports whether the entry is an administrator that is missing
// from the approved list. It is false without an approved list.
func (e Entry) Unapproved() bool {
	return e.Admin && e.Approved != nil && !*e.Approved
}
