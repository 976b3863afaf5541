package decisions

import (
	"strings"

	"github.com/accessaudit/accessaudit/audit"
)

// Action is a reviewer's decision about one pair, spelled as in the Decision
// drop-down list of the workbook.
type Action string

// The three decisions. Revoke and Change group request a change.
const (
	Keep        Action = "Keep"
	Revoke      Action = "Revoke"
	ChangeGroup Action = "Change group"
)

// actions lists the decisions in the order that messages name them.
var actions = []Action{Keep, Revoke, ChangeGroup}

// RequestsChange reports whether the decision requests a change to the
// user's access: Revoke or Change group.
func (a Action) RequestsChange() bool {
	return a == Revoke || a == ChangeGroup
}

// parseAction returns the decision that value spells, ignoring case,
// surrounding white space and the number of spaces between words. It
// returns ok false for any other value.
func parseAction(value string) (Action, bool) {
	words := normalizeSpaces(value)
	for _, a := range actions {
		if strings.EqualFold(words, string(a)) {
			return a, true
		}
	}
	return "", false
}

// normalizeSpaces trims s and collapses every run of white space inside it,
// non-breaking spaces and line breaks included, to one space.
func normalizeSpaces(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Decision is the decision about one pair.
type Decision struct {
	audit.Pair

	Action Action

	// Comment is the Reviewer comment of the rows that carry the decision,
	// without surrounding white space and with line breaks as "\n". When
	// those rows have different comments, they are joined by "; " in the
	// order in which they appear.
	Comment string

	// Cell is the Decision cell where the decision first appears, such as
	// Results!P2.
	Cell string
}
