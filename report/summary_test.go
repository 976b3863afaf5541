package report

import (
	"maps"
	"testing"

	"github.com/accessaudit/accessaudit/audit"
)

func TestSummaryAdd(t *testing.T) {
	ok := func(id int64, name *string) Entry {
		return Policy{Mode: ModeOffboarding}.Entry(&audit.Result{Outcome: audit.OutcomeOK, GroupID: &id, GroupName: name})
	}
	other := func(outcome audit.Outcome) Entry {
		return Policy{Mode: ModeOffboarding}.Entry(&audit.Result{Outcome: outcome})
	}
	unapproved := ok(1, ptr("Administrators"))
	unapproved.Approved = ptr(false)
	approved := ok(1, ptr("Administrators"))
	approved.Approved = ptr(true)

	tests := []struct {
		name         string
		withApproved bool
		entries      []Entry
		want         Summary
	}{
		{
			name: "nothing", entries: nil,
			want: Summary{Pairs: 5, Groups: map[string]int{}},
		},
		{
			name:    "outcomes and groups",
			entries: []Entry{ok(2, ptr("Users")), ok(2, ptr("Users")), ok(5, nil), other(audit.OutcomeNotFound), other(audit.OutcomeForbidden), other(audit.OutcomeError), other("teapot")},
			want: Summary{Pairs: 5, OK: 3, NotFound: 1, Forbidden: 1, Error: 1, StillHasAccess: 3,
				Groups: map[string]int{"Users": 2, "(no name, id 5)": 1}},
		},
		{
			name:         "approved list",
			withApproved: true,
			entries:      []Entry{approved, unapproved, unapproved, other(audit.OutcomeNotFound)},
			want: Summary{Pairs: 5, OK: 3, NotFound: 1, Administrators: 3, UnapprovedAdministrators: ptr(2), StillHasAccess: 3,
				Groups: map[string]int{"Administrators": 3}},
		},
		{
			name:    "unapproved without list not counted",
			entries: []Entry{unapproved},
			want:    Summary{Pairs: 5, OK: 1, Administrators: 1, StillHasAccess: 1, Groups: map[string]int{"Administrators": 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSummary(5, tt.withApproved)
			for _, e := range tt.entries {
				s.Add(e)
			}

			if s.Pairs != tt.want.Pairs || s.OK != tt.want.OK || s.NotFound != tt.want.NotFound ||
				s.Forbidden != tt.want.Forbidden || s.Error != tt.want.Error {
				t.Errorf("outcome counts = %+v, want %+v", *s, tt.want)
			}
			if s.Administrators != tt.want.Administrators {
				t.Errorf("Administrators = %d, want %d", s.Administrators, tt.want.Administrators)
			}
			if !equalPtr(s.UnapprovedAdministrators, tt.want.UnapprovedAdministrators) {
				t.Errorf("UnapprovedAdministrators = %v, want %v", s.UnapprovedAdministrators, tt.want.UnapprovedAdministrators)
			}
			if s.StillHasAccess != tt.want.StillHasAccess {
				t.Errorf("StillHasAccess = %d, want %d", s.StillHasAccess, tt.want.StillHasAccess)
			}
			if !maps.Equal(s.Groups, tt.want.Groups) {
				t.Errorf("Groups = %v, want %v", s.Groups, tt.want.Groups)
			}
			if got, want := s.Results(), tt.want.OK+tt.want.NotFound+tt.want.Forbidden+tt.want.Error; got != want {
				t.Errorf("Results() = %d, want %d", got, want)
			}
		})
	}
}

func TestGroupKey(t *testing.T) {
	tests := []struct {
		name   string
		id     *int64
		group  *string
		wanted string
	}{
		{"name wins", ptr[int64](1), ptr("Administrators"), "Administrators"},
		{"name as sent", nil, ptr(" Purge and Prefetch only (API) "), " Purge and Prefetch only (API) "},
		{"id only", ptr[int64](3022), nil, "(no name, id 3022)"},
		{"neither", nil, nil, "(no name)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := groupKey(&audit.Result{GroupID: tt.id, GroupName: tt.group}); got != tt.wanted {
				t.Errorf("groupKey = %q, want %q", got, tt.wanted)
			}
		})
	}
}
