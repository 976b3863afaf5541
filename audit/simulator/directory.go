package simulator

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/accessaudit/accessaudit/audit"
)

// ErrInvalidDirectory is wrapped by every error from LoadDirectory,
// LoadDirectoryFile and Directory.Validate about the directory's content.
var ErrInvalidDirectory = errors.New("invalid directory")

// maxProblems caps how many problems one Validate error lists.
const maxProblems = 20

// Group is an IAM group, sent as user_role in a 200 response.
type Group struct {
	ID   int64
	Name string
}

// User is a member of an account.
type User struct {
	ID    int64
	Group int64  // the ID of a group in DefaultGroups or Directory.Groups
	Email string // a note for people reading the file; never sent
	Name  string // a note for people reading the file; never sent
}

// Account is a Gcore account (the API's client).
type Account struct {
	ID        int64
	Name      string // a note for people reading the file; never sent
	Forbidden bool   // every request for the account gets 403
	Users     []User
}

// Directory is the data a Server builds its responses from. A Server
// copies what it needs in New, so later changes to a Directory do not
// reach it.
type Directory struct {
	Groups   []Group // added to DefaultGroups; an entry with a default ID renames that group
	Accounts []Account
	Faults   []Fault
}

// Response is the status, group and message a server sends for a pair when
// no fault, rate limit or random error applies.
type Response struct {
	Status  int    // 200, 403 or 404
	Group   Group  // the user's group; zero unless Status is 200
	Message string // the JSON message of a 403 or 404; empty for 200
}

// DefaultGroups returns the five groups the Gcore IAM API documents, in
// ID order. Each call returns a new slice.
func DefaultGroups() []Group {
	return []Group{
		{ID: 1, Name: "Administrators"},
		{ID: 2, Name: "Users"},
		{ID: 5, Name: "Engineers"},
		{ID: 3009, Name: "Purge and Prefetch only (API+Web)"},
		{ID: 3022, Name: "Purge and Prefetch only (API)"},
	}
}

// Lookup returns the response for p from the directory alone, ignoring
// faults. It builds an index on each call, so it suits tests; a Server
// keeps one index for its lifetime.
func (d *Directory) Lookup(p audit.Pair) Response {
	return newIndex(d).response(p)
}

// Validate checks every ID, reference and fault of the directory and
// returns an error that wraps ErrInvalidDirectory and lists up to 20
// problems, each with the entry's position.
func (d *Directory) Validate() error {
	var problems []string
	report := func(format string, args ...any) {
		problems = append(problems, fmt.Sprintf(format, args...))
	}

	groups := d.validateGroups(report)
	d.validateAccounts(groups, report)
	d.validateFaults(report)

	if len(problems) == 0 {
		return nil
	}
	if len(problems) > maxProblems {
		more := len(problems) - maxProblems
		problems = append(problems[:maxProblems], fmt.Sprintf("and %d more problems", more))
	}
	return fmt.Errorf("%w: %s", ErrInvalidDirectory, strings.Join(problems, "; "))
}

// validateGroups checks d.Groups and returns the IDs of all groups a user
// may reference, the defaults included.
func (d *Directory) validateGroups(report func(string, ...any)) map[int64]bool {
	defined := make(map[int64]bool)
	for _, g := range DefaultGroups() {
		defined[g.ID] = true
	}

	seen := make(map[int64]int)
	for i, g := range d.Groups {
		if problem := idProblem("id", g.ID); problem != "" {
			report("groups[%d]: %s", i, problem)
			continue
		}
		if strings.TrimSpace(g.Name) == "" {
			report("groups[%d] (id %d): name is empty; give the group a name", i, g.ID)
		}
		if first, dup := seen[g.ID]; dup {
			report("groups[%d]: id %d is already used by groups[%d]", i, g.ID, first)
			continue
		}
		seen[g.ID] = i
		defined[g.ID] = true
	}
	return defined
}

func (d *Directory) validateAccounts(groups map[int64]bool, report func(string, ...any)) {
	known := make([]int64, 0, len(groups))
	for id := range groups {
		known = append(known, id)
	}
	slices.Sort(known)

	seen := make(map[int64]int)
	for i, a := range d.Accounts {
		if problem := idProblem("id", a.ID); problem != "" {
			report("accounts[%d]: %s", i, problem)
		} else if first, dup := seen[a.ID]; dup {
			report("accounts[%d]: id %d is already used by accounts[%d]; merge the two entries", i, a.ID, first)
		} else {
			seen[a.ID] = i
		}

		users := make(map[int64]int)
		for j, u := range a.Users {
			where := fmt.Sprintf("accounts[%d].users[%d]", i, j)
			if problem := idProblem("id", u.ID); problem != "" {
				report("%s: %s", where, problem)
			} else if first, dup := users[u.ID]; dup {
				report("%s: id %d is already used by users[%d] of the same account", where, u.ID, first)
			} else {
				users[u.ID] = j
			}
			if u.Group == 0 {
				report("%s (id %d): group is missing; use one of %v", where, u.ID, known)
			} else if !groups[u.Group] {
				report("%s (id %d): group %d is not defined; add it to \"groups\" or use one of %v",
					where, u.ID, u.Group, known)
			}
		}
	}
}

func (d *Directory) validateFaults(report func(string, ...any)) {
	endless := make(map[audit.Pair]int)
	for i, f := range d.Faults {
		where := fmt.Sprintf("faults[%d]", i)
		for _, problem := range f.problems() {
			report("%s: %s", where, problem)
		}

		if first, ok := endless[f.Pair]; ok {
			report("%s: never applies because faults[%d] for the same pair has times 0 (every request); "+
				"give faults[%d] a positive times", where, first, first)
			continue
		}
		if f.Times == 0 {
			endless[f.Pair] = i
		}
	}
}

// index is a Directory arranged for lookups by pair.
type index struct {
	groups   map[int64]Group
	accounts map[int64]indexedAccount
}

type indexedAccount struct {
	forbidden bool
	users     map[int64]int64 // user ID to group ID
}

// newIndex builds an index from d. For duplicate IDs, which Validate
// rejects, the last entry wins.
func newIndex(d *Directory) *index {
	idx := &index{
		groups:   make(map[int64]Group),
		accounts: make(map[int64]indexedAccount, len(d.Accounts)),
	}
	for _, g := range DefaultGroups() {
		idx.groups[g.ID] = g
	}
	for _, g := range d.Groups {
		idx.groups[g.ID] = g
	}

	for _, a := range d.Accounts {
		users := make(map[int64]int64, len(a.Users))
		for _, u := range a.Users {
			users[u.ID] = u.Group
		}
		idx.accounts[a.ID] = indexedAccount{forbidden: a.Forbidden, users: users}
	}
	return idx
}

func (idx *index) response(p audit.Pair) Response {
	account, ok := idx.accounts[p.ClientID]
	if !ok {
		return Response{Status: http.StatusNotFound, Message: fmt.Sprintf("account %d is not found", p.ClientID)}
	}
	if account.forbidden {
		return Response{
			Status:  http.StatusForbidden,
			Message: fmt.Sprintf("you do not have permission for account %d", p.ClientID),
		}
	}

	groupID, ok := account.users[p.UserID]
	if !ok {
		return Response{
			Status:  http.StatusNotFound,
			Message: fmt.Sprintf("user %d is not found in account %d", p.UserID, p.ClientID),
		}
	}
	group, ok := idx.groups[groupID]
	if !ok {
		// Validate rejects undefined groups; a directory built in code
		// without Validate still gets a response.
		group = Group{ID: groupID}
	}
	return Response{Status: http.StatusOK, Group: group}
}

// idProblem describes what is wrong with an ID named field, or returns ""
// when the ID is positive.
func idProblem(field string, id int64) string {
	switch {
	case id == 0:
		return field + " is missing or 0; give a positive integer"
	case id < 0:
		return fmt.Sprintf("%s %d is negative; give a positive integer", field, id)
	}
	return ""
}
