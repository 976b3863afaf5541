package report

import (
	"testing"

	"github.com/accessaudit/accessaudit/audit"
)

func TestPolicyEntry(t *testing.T) {
	pair := audit.Pair{ClientID: 10, UserID: 20}
	result := func(outcome audit.Outcome, groupID int64, groupName string) *audit.Result {
		r := &audit.Result{Job: audit.Job{Pair: pair, Line: 1}, Outcome: outcome}
		if outcome == audit.OutcomeOK {
			r.GroupID, r.GroupName = &groupID, &groupName
		}
		return r
	}

	tests := []struct {
		name         string
		policy       Policy
		result       *audit.Result
		wantAdmin    bool
		wantApproved *bool
		wantStill    bool
	}{
		{"admin by id, no list", Policy{Mode: ModeAudit}, result(audit.OutcomeOK, 1, "Renamed"), true, nil, false},
		{"admin by name", Policy{Mode: ModeAudit}, result(audit.OutcomeOK, 99, " ADMINISTRATORS "), true, nil, false},
		{"user, no list", Policy{Mode: ModeAudit}, result(audit.OutcomeOK, 2, "Users"), false, nil, false},
		{"approved admin", Policy{Mode: ModeAudit, Approved: map[audit.Pair]bool{pair: true}}, result(audit.OutcomeOK, 1, "Administrators"), true, ptr(true), false},
		{"unapproved admin", Policy{Mode: ModeAudit, Approved: map[audit.Pair]bool{{ClientID: 10, UserID: 21}: true}}, result(audit.OutcomeOK, 1, "Administrators"), true, ptr(false), false},
		{"empty list still set", Policy{Mode: ModeAudit, Approved: map[audit.Pair]bool{}}, result(audit.OutcomeNotFound, 0, ""), false, ptr(false), false},
		{"offboarding ok user", Policy{Mode: ModeOffboarding}, result(audit.OutcomeOK, 2, "Users"), false, nil, true},
		{"offboarding admin", Policy{Mode: ModeOffboarding}, result(audit.OutcomeOK, 1, "Administrators"), true, nil, true},
		{"offboarding not found", Policy{Mode: ModeOffboarding}, result(audit.OutcomeNotFound, 0, ""), false, nil, false},
		{"offboarding forbidden", Policy{Mode: ModeOffboarding}, result(audit.OutcomeForbidden, 0, ""), false, nil, false},
		{"offboarding error", Policy{Mode: ModeOffboarding}, result(audit.OutcomeError, 0, ""), false, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.policy.Entry(tt.result)
			if e.Result != tt.result {
				t.Error("entry does not point to its result")
			}
			if e.Admin != tt.wantAdmin {
				t.Errorf("Admin = %v, want %v", e.Admin, tt.wantAdmin)
			}
			if !equalPtr(e.Approved, tt.wantApproved) {
				t.Errorf("Approved = %v, want %v", e.Approved, tt.wantApproved)
			}
			if e.StillHasAccess != tt.wantStill {
				t.Errorf("StillHasAccess = %v, want %v", e.StillHasAccess, tt.wantStill)
			}
			wantUnapproved := tt.wantAdmin && tt.wantApproved != nil && !*tt.wantApproved
			if e.Unapproved() != wantUnapproved {
				t.Errorf("Unapproved() = %v, want %v", e.Unapproved(), wantUnapproved)
			}
		})
	}
}
