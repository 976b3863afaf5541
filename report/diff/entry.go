package diff

import "github.com/accessaudit/accessaudit/audit"

// entry is the compact form of one pair's result that the comparison keeps
// for every pair of the old report: 24 bytes, because group names and error
// kinds are stored once in a symbols table and referred to by number. The
// zero entry stands for a pair that a report does not list.
type entry struct {
	groupID int64  // valid when flags has hasGroupID
	name    uint32 // symbol of the group name; 0 when the result has none
	kind    uint32 // symbol of the error kind; 0 when the result has none
	outcome uint8  // index into outcomes; 0 for an absent pair
	flags   uint8
}

// Bits of entry.flags.
const (
	present    uint8 = 1 << iota // the report lists the pair
	hasGroupID                   // groupID is set
	isAdmin                      // the result makes the user an administrator
	matched                      // an old entry whose pair the new report lists too
	onlyNew                      // a new entry whose pair the old report does not list
)

// outcomes maps entry.outcome to the outcome. Index 0 is unused.
var outcomes = [...]audit.Outcome{"", audit.OutcomeOK, audit.OutcomeNotFound, audit.OutcomeForbidden, audit.OutcomeError}

func outcomeCode(o audit.Outcome) uint8 {
	for i, known := range outcomes {
		if i > 0 && known == o {
			return uint8(i)
		}
	}
	return 0
}

func (e entry) has(flag uint8) bool { return e.flags&flag != 0 }

func (e entry) is(o audit.Outcome) bool { return e.outcome != 0 && outcomes[e.outcome] == o }

// visible reports whether the key could see the account: the outcome is ok
// or not_found.
func (e entry) visible() bool { return e.is(audit.OutcomeOK) || e.is(audit.OutcomeNotFound) }

// sameGroup reports whether two ok entries name the same group: equal IDs
// and equal names, byte for byte, each possibly absent.
func sameGroup(a, b entry) bool {
	return a.has(hasGroupID) == b.has(hasGroupID) && a.groupID == b.groupID && a.name == b.name
}

// symbols stores each distinct string once and numbers it from 1, so that
// equal strings get equal numbers. Symbol 0 means no string. It is not safe
// for concurrent use.
type symbols struct {
	index  map[string]uint32
	values []string // values[0] is unused
}

func newSymbols() *symbols {
	return &symbols{index: make(map[string]uint32), values: []string{""}}
}

// id returns the symbol of *v, adding it when new, or 0 when v is nil.
func (s *symbols) id(v *string) uint32 {
	if v == nil {
		return 0
	}
	if id, ok := s.index[*v]; ok {
		return id
	}

	id := uint32(len(s.values))
	s.values = append(s.values, *v)
	s.index[*v] = id
	return id
}

// value returns a new pointer to the string of symbol id, or nil for 0.
func (s *symbols) value(id uint32) *string {
	if id == 0 {
		return nil
	}
	v := s.values[id]
	return &v
}

// newEntry converts a checked record. Group fields are kept only for ok
// and the error kind only for error, as in the report layout.
func (s *symbols) newEntry(r *record) entry {
	e := entry{outcome: outcomeCode(r.Outcome), flags: present}

	switch r.Outcome {
	case audit.OutcomeOK:
		e.name = s.id(r.GroupName)
		if r.GroupID != nil {
			e.groupID = *r.GroupID
			e.flags |= hasGroupID
		}
	case audit.OutcomeError:
		if r.ErrorKind != nil {
			kind := string(*r.ErrorKind)
			e.kind = s.id(&kind)
		}
	}

	if r.admin() {
		e.flags |= isAdmin
	}
	return e
}

// state expands an entry for output. It returns nil for an absent pair.
func (s *symbols) state(e entry) *State {
	if !e.has(present) {
		return nil
	}

	st := &State{Outcome: outcomes[e.outcome], GroupName: s.value(e.name), Admin: e.has(isAdmin)}
	if e.has(hasGroupID) {
		id := e.groupID
		st.GroupID = &id
	}
	if kind := s.value(e.kind); kind != nil {
		k := audit.ErrorKind(*kind)
		st.ErrorKind = &k
	}
	return st
}
