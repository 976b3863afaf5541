package diff

import "github.com/accessaudit/accessaudit/audit"

// Version is the value of "diff_version" in the JSON form of a Diff. It
// changes only when that layout changes in a way that breaks readers.
const Version = 1

// Diff is the set of changes between an old and a new report. Every list is
// sorted by client ID, then user ID, and is empty rather than nil. A pair is
// listed in every category it fits, so an administrator whose account
// became forbidden is in both RemovedAdmins and CoverageLost.
type Diff struct {
	Version int  `json:"diff_version"` // Version
	Old     Info `json:"old"`
	New     Info `json:"new"`

	// Warnings are sentences about the reports that limit what the lists
	// mean: an incomplete report, or a new report older than the old one.
	Warnings []string `json:"warnings"`

	// ChangedPairs counts the distinct pairs listed in at least one category.
	ChangedPairs int `json:"changed_pairs"`

	NewAdmins      []Change `json:"new_admins"`      // administrator now, and not before or absent before
	RemovedAdmins  []Change `json:"removed_admins"`  // administrator before, listed now but not an administrator
	GroupChanges   []Change `json:"group_changes"`   // ok in both, group ID or name differs
	CoverageLost   []Change `json:"coverage_lost"`   // ok or not_found before, forbidden now
	CoverageGained []Change `json:"coverage_gained"` // forbidden before, ok or not_found now
	OutcomeChanges []Change `json:"outcome_changes"` // any other change of outcome: ok and not_found, to or from error
	Appeared       []Change `json:"appeared"`        // listed now, absent before
	Disappeared    []Change `json:"disappeared"`     // listed before, absent now
}

// Info describes one of the compared reports.
type Info struct {
	Path        string `json:"path"`        // the name given to Compare
	StartedAt   string `json:"started_at"`  // run.started_at as written in the report
	FinishedAt  string `json:"finished_at"` // run.finished_at as written in the report
	Complete    bool   `json:"complete"`    // run.complete
	Interrupted bool   `json:"interrupted"` // run.interrupted
	Mode        string `json:"mode"`        // run.mode
	Pairs       int    `json:"pairs"`       // summary.pairs: unique pairs of the run's input
	Results     int    `json:"results"`     // elements of "results"
}

// Incomplete reports whether some pairs of the run's input may have no
// result in the report, so that a pair missing from it may not have been
// checked rather than removed from the input.
func (i Info) Incomplete() bool {
	return !i.Complete || i.Interrupted || i.Results < i.Pairs
}

// Change is one pair whose result differs between the reports.
type Change struct {
	ClientID int64  `json:"client_id"`
	UserID   int64  `json:"user_id"`
	Before   *State `json:"before"` // nil (null) when the old report does not list the pair
	After    *State `json:"after"`  // nil (null) when the new report does not list the pair
}

// State is one report's result for a pair.
type State struct {
	Outcome   audit.Outcome    `json:"outcome"`
	GroupID   *int64           `json:"group_id"`   // nil unless ok and the API sent an ID
	GroupName *string          `json:"group_name"` // nil unless ok and the API sent a name
	Admin     bool             `json:"admin"`      // by the rule of audit.Result.Admin
	ErrorKind *audit.ErrorKind `json:"error_kind"` // nil unless error
}
