package diff

import "github.com/accessaudit/accessaudit/audit"

// category is one list of a Diff, in output order.
type category int

const (
	newAdmins category = iota
	removedAdmins
	groupChanges
	coverageLost
	coverageGained
	outcomeChanges
	appeared
	disappeared
	categoryCount
)

// categoryTitles are the headings of the text form.
var categoryTitles = [categoryCount]string{
	newAdmins:      "New administrators",
	removedAdmins:  "Removed administrators",
	groupChanges:   "Group changes",
	coverageLost:   "Coverage lost",
	coverageGained: "Coverage gained",
	outcomeChanges: "Other outcome changes",
	appeared:       "Appeared pairs",
	disappeared:    "Disappeared pairs",
}

// belongs reports whether a pair whose old entry is before and new entry is
// after fits category c. An absent pair has the zero entry.
func belongs(c category, before, after entry) bool {
	switch c {
	case newAdmins:
		return after.has(isAdmin) && !before.has(isAdmin)
	case removedAdmins:
		return before.has(isAdmin) && after.has(present) && !after.has(isAdmin)
	case groupChanges:
		return before.is(audit.OutcomeOK) && after.is(audit.OutcomeOK) && !sameGroup(before, after)
	case coverageLost:
		return before.visible() && after.is(audit.OutcomeForbidden)
	case coverageGained:
		return before.is(audit.OutcomeForbidden) && after.visible()
	case outcomeChanges:
		return before.has(present) && after.has(present) && before.outcome != after.outcome &&
			!belongs(coverageLost, before, after) && !belongs(coverageGained, before, after)
	case appeared:
		return !before.has(present) && after.has(present)
	case disappeared:
		return before.has(present) && !after.has(present)
	}
	return false
}

// list returns the list of d that holds category c.
func (d *Diff) list(c category) *[]Change {
	switch c {
	case newAdmins:
		return &d.NewAdmins
	case removedAdmins:
		return &d.RemovedAdmins
	case groupChanges:
		return &d.GroupChanges
	case coverageLost:
		return &d.CoverageLost
	case coverageGained:
		return &d.CoverageGained
	case outcomeChanges:
		return &d.OutcomeChanges
	case appeared:
		return &d.Appeared
	case disappeared:
		return &d.Disappeared
	}
	panic("diff: unknown category")
}
