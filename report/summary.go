package report

import (
	"strconv"

	"github.com/accessaudit/accessaudit/audit"
)

// Summary holds the counts of a report. Add counts each entry as it passes,
// so no list of entries is kept. Summary is not safe for concurrent use.
type Summary struct {
	Pairs          int `json:"pairs"` // unique valid pairs of the input, with or without a result
	OK             int `json:"ok"`
	NotFound       int `json:"not_found"`
	Forbidden      int `json:"forbidden"`
	Error          int `json:"error"`
	Administrators int `json:"administrators"`

	// UnapprovedAdministrators counts administrators missing from the
	// approved list. It is nil when no approved list was given.
	UnapprovedAdministrators *int `json:"unapproved_administrators"`

	StillHasAccess int `json:"still_has_access"`

	// Groups counts the ok entries by group name as the API sent it. An entry
	// whose group has no name is counted under "(no name, id N)".
	Groups map[string]int `json:"groups"`
}

// NewSummary returns an empty Summary for an input of pairs unique pairs.
// With withApproved set (an approved list was given),
// UnapprovedAdministrators is a count instead of nil.
func NewSummary(pairs int, withApproved bool) *Summary {
	s := &Summary{Pairs: pairs, Groups: make(map[string]int)}
	if withApproved {
		s.UnapprovedAdministrators = new(int)
	}
	return s
}

// Add counts one entry. An entry with an outcome other than the four known
// ones changes no outcome count.
func (s *Summary) Add(e Entry) {
	switch e.Outcome {
	case audit.OutcomeOK:
		s.OK++
		if s.Groups == nil {
			s.Groups = make(map[string]int)
		}
		s.Groups[groupKey(e.Result)]++
	case audit.OutcomeNotFound:
		s.NotFound++
	case audit.OutcomeForbidden:
		s.Forbidden++
	case audit.OutcomeError:
		s.Error++
	}

	if e.Admin {
		s.Administrators++
	}
	if e.Unapproved() && s.UnapprovedAdministrators != nil {
		*s.UnapprovedAdministrators++
	}
	if e.StillHasAccess {
		s.StillHasAccess++
	}
}

// Results returns the number of entries counted, which is less than Pairs
// when the run was interrupted.
func (s *Summary) Results() int {
	return s.OK + s.NotFound + s.Forbidden + s.Error
}

// groupKey returns the name under which Summary.Groups counts r.
func groupKey(r *audit.Result) string {
	if r.GroupName != nil {
		return *r.GroupName
	}
	if r.GroupID != nil {
		return "(no name, id " + strconv.FormatInt(*r.GroupID, 10) + ")"
	}
	return "(no name)"
}
