package diff

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/accessaudit/accessaudit/audit"
)

// TestCompareCategories compares two reports per case and checks the pairs
// of every category, empty ones included.
func TestCompareCategories(t *testing.T) {
	type want map[category][]audit.Pair
	tests := []struct {
		name     string
		old, new []*audit.Result
		want     want
	}{
		{
			name: "identical reports",
			old:  []*audit.Result{admin(1, 1), users(1, 2), notFound(1, 3), forbidden(2, 1), failed(3, 1, audit.KindTimeout), okNoName(4, 1, 77)},
			new:  []*audit.Result{admin(1, 1), users(1, 2), notFound(1, 3), forbidden(2, 1), failed(3, 1, audit.KindTimeout), okNoName(4, 1, 77)},
			want: want{},
		},
		{
			name: "promoted by group id",
			old:  []*audit.Result{users(1, 1)},
			new:  []*audit.Result{admin(1, 1)},
			want: want{newAdmins: {pair(1, 1)}, groupChanges: {pair(1, 1)}},
		},
		{
			name: "promoted by group name only",
			old:  []*audit.Result{okGroup(1, 1, 5, "Engineers")},
			new:  []*audit.Result{okGroup(1, 1, 3009, " administrators ")},
			want: want{newAdmins: {pair(1, 1)}, groupChanges: {pair(1, 1)}},
		},
		{
			name: "administrator appeared",
			old:  []*audit.Result{users(1, 1)},
			new:  []*audit.Result{users(1, 1), admin(1, 2)},
			want: want{newAdmins: {pair(1, 2)}, appeared: {pair(1, 2)}},
		},
		{
			name: "administrator behind former 403",
			old:  []*audit.Result{forbidden(1, 1)},
			new:  []*audit.Result{admin(1, 1)},
			want: want{newAdmins: {pair(1, 1)}, coverageGained: {pair(1, 1)}},
		},
		{
			name: "administrator after error",
			old:  []*audit.Result{failed(1, 1, audit.KindServerError)},
			new:  []*audit.Result{admin(1, 1)},
			want: want{newAdmins: {pair(1, 1)}, outcomeChanges: {pair(1, 1)}},
		},
		{
			name: "administrator demoted",
			old:  []*audit.Result{admin(1, 1)},
			new:  []*audit.Result{users(1, 1)},
			want: want{removedAdmins: {pair(1, 1)}, groupChanges: {pair(1, 1)}},
		},
		{
			name: "administrator left account",
			old:  []*audit.Result{admin(1, 1)},
			new:  []*audit.Result{notFound(1, 1)},
			want: want{removedAdmins: {pair(1, 1)}, outcomeChanges: {pair(1, 1)}},
		},
		{
			name: "administrator account now forbidden",
			old:  []*audit.Result{admin(1, 1)},
			new:  []*audit.Result{forbidden(1, 1)},
			want: want{removedAdmins: {pair(1, 1)}, coverageLost: {pair(1, 1)}},
		},
		{
			name: "administrator now error",
			old:  []*audit.Result{admin(1, 1)},
			new:  []*audit.Result{failed(1, 1, audit.KindTimeout)},
			want: want{removedAdmins: {pair(1, 1)}, outcomeChanges: {pair(1, 1)}},
		},
		{
			name: "administrator disappeared",
			old:  []*audit.Result{admin(1, 1), users(1, 2)},
			new:  []*audit.Result{users(1, 2)},
			want: want{disappeared: {pair(1, 1)}},
		},
		{
			name: "group renamed",
			old:  []*audit.Result{okGroup(1, 1, 5, "Engineers")},
			new:  []*audit.Result{okGroup(1, 1, 5, "Engineering")},
			want: want{groupChanges: {pair(1, 1)}},
		},
		{
			name: "group name case changed",
			old:  []*audit.Result{okGroup(1, 1, 5, "Engineers")},
			new:  []*audit.Result{okGroup(1, 1, 5, "engineers")},
			want: want{groupChanges: {pair(1, 1)}},
		},
		{
			name: "group id changed",
			old:  []*audit.Result{okGroup(1, 1, 5, "Engineers")},
			new:  []*audit.Result{okGroup(1, 1, 6, "Engineers")},
			want: want{groupChanges: {pair(1, 1)}},
		},
		{
			name: "group name added",
			old:  []*audit.Result{okNoName(1, 1, 77)},
			new:  []*audit.Result{okGroup(1, 1, 77, "Custom")},
			want: want{groupChanges: {pair(1, 1)}},
		},
		{
			name: "coverage lost from ok",
			old:  []*audit.Result{users(1, 1)},
			new:  []*audit.Result{forbidden(1, 1)},
			want: want{coverageLost: {pair(1, 1)}},
		},
		{
			name: "coverage lost from not_found",
			old:  []*audit.Result{notFound(1, 1)},
			new:  []*audit.Result{forbidden(1, 1)},
			want: want{coverageLost: {pair(1, 1)}},
		},
		{
			name: "coverage gained to ok",
			old:  []*audit.Result{forbidden(1, 1)},
			new:  []*audit.Result{users(1, 1)},
			want: want{coverageGained: {pair(1, 1)}},
		},
		{
			name: "coverage gained to not_found",
			old:  []*audit.Result{forbidden(1, 1)},
			new:  []*audit.Result{notFound(1, 1)},
			want: want{coverageGained: {pair(1, 1)}},
		},
		{
			name: "user left account",
			old:  []*audit.Result{users(1, 1)},
			new:  []*audit.Result{notFound(1, 1)},
			want: want{outcomeChanges: {pair(1, 1)}},
		},
		{
			name: "user joined account",
			old:  []*audit.Result{notFound(1, 1)},
			new:  []*audit.Result{users(1, 1)},
			want: want{outcomeChanges: {pair(1, 1)}},
		},
		{
			name: "forbidden to error is no coverage change",
			old:  []*audit.Result{forbidden(1, 1)},
			new:  []*audit.Result{failed(1, 1, audit.KindNetwork)},
			want: want{outcomeChanges: {pair(1, 1)}},
		},
		{
			name: "error kind change is no change",
			old:  []*audit.Result{failed(1, 1, audit.KindTimeout)},
			new:  []*audit.Result{failed(1, 1, audit.KindNetwork)},
			want: want{},
		},
		{
			name: "appeared and disappeared sorted",
			old:  []*audit.Result{users(2, 1), notFound(1, 5), users(9, 9)},
			new:  []*audit.Result{forbidden(3, 3), users(9, 9), users(1, 1)},
			want: want{appeared: {pair(1, 1), pair(3, 3)}, disappeared: {pair(1, 5), pair(2, 1)}},
		},
		{
			name: "sorted by account then user",
			old:  []*audit.Result{users(5, 1), users(1, 9), users(1, 10)},
			new:  []*audit.Result{admin(5, 1), admin(1, 10), admin(1, 9), admin(1, 2)},
			want: want{
				newAdmins:    {pair(1, 2), pair(1, 9), pair(1, 10), pair(5, 1)},
				groupChanges: {pair(1, 9), pair(1, 10), pair(5, 1)},
				appeared:     {pair(1, 2)},
			},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := compareFixtures(t, fixture{results: tt.old}, fixture{results: tt.new})

			changed := map[audit.Pair]bool{}
			for cat := range categoryCount {
				wantPairs := tt.want[cat]
				if wantPairs == nil {
					wantPairs = []audit.Pair{}
				}
				if got := pairsOf(*d.list(cat)); !reflect.DeepEqual(got, wantPairs) {
					t.Errorf("%s = %v, want %v", categoryTitles[cat], got, wantPairs)
				}
				for _, p := range wantPairs {
					changed[p] = true
				}
			}
			if d.ChangedPairs != len(changed) {
				t.Errorf("ChangedPairs = %d, want %d", d.ChangedPairs, len(changed))
			}
		})
	}
}

// TestCompareStates checks the before and after states that a change
// carries.
func TestCompareStates(t *testing.T) {
	d := compareFixtures(t,
		fixture{results: []*audit.Result{users(1, 1), admin(1, 2), failed(1, 3, audit.KindTimeout)}},
		fixture{results: []*audit.Result{admin(1, 1), failed(1, 3, audit.KindRateLimited), users(1, 4)}})

	tests := []struct {
		name   string
		got    Change
		before *State
		after  *State
	}{
		{"promoted", d.NewAdmins[0],
			&State{Outcome: audit.OutcomeOK, GroupID: ptr[int64](2), GroupName: ptr("Users")},
			&State{Outcome: audit.OutcomeOK, GroupID: ptr[int64](1), GroupName: ptr("Administrators"), Admin: true}},
		{"disappeared administrator", d.Disappeared[0],
			&State{Outcome: audit.OutcomeOK, GroupID: ptr[int64](1), GroupName: ptr("Administrators"), Admin: true}, nil},
		{"appeared user", d.Appeared[0],
			nil, &State{Outcome: audit.OutcomeOK, GroupID: ptr[int64](2), GroupName: ptr("Users")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got.Before, tt.before) {
				t.Errorf("Before = %+v, want %+v", tt.got.Before, tt.before)
			}
			if !reflect.DeepEqual(tt.got.After, tt.after) {
				t.Errorf("After = %+v, want %+v", tt.got.After, tt.after)
			}
		})
	}
	if d.ChangedPairs != 3 {
		t.Errorf("ChangedPairs = %d, want 3 (the error kind change is no change)", d.ChangedPairs)
	}
}

// TestCompareWarnings checks the warnings about incomplete reports and
// reports passed in the wrong order.
func TestCompareWarnings(t *testing.T) {
	later := fixtureStart.Add(7 * 24 * time.Hour)
	results := func() []*audit.Result { return []*audit.Result{users(1, 1), users(1, 2)} }
	tests := []struct {
		name     string
		old, new fixture
		want     []string // substrings, one per expected warning, in order
	}{
		{"both complete", fixture{results: results()}, fixture{started: later, results: results()}, nil},
		{"new interrupted",
			fixture{results: results()},
			fixture{started: later, interrupted: true, extraPairs: 3, results: results()},
			[]string{"new report", "new.json is interrupted, with results for 2 of 5 pairs", "may show as disappeared"}},
		{"old interrupted",
			fixture{interrupted: true, extraPairs: 1, results: results()},
			fixture{started: later, results: results()},
			[]string{"old report", "old.json is interrupted, with results for 2 of 3 pairs", "may show as appeared"}},
		{"arguments swapped",
			fixture{started: later, results: results()},
			fixture{results: results()},
			[]string{"the new report", "new.json started at 2026-03-01T12:00:00Z, before the old report", "pass the older report first"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := compareFixtures(t, tt.old, tt.new)
			wantCount := 0
			if tt.want != nil {
				wantCount = 1
			}
			if len(d.Warnings) != wantCount {
				t.Fatalf("Warnings = %q, want %d", d.Warnings, wantCount)
			}
			for _, part := range tt.want {
				if !strings.Contains(d.Warnings[0], part) {
					t.Errorf("warning %q does not contain %q", d.Warnings[0], part)
				}
			}
		})
	}
}

// TestCompareIncompleteInfo checks that Info carries the run state read
// from each report.
func TestCompareIncompleteInfo(t *testing.T) {
	d := compareFixtures(t,
		fixture{results: []*audit.Result{users(1, 1)}},
		fixture{interrupted: true, extraPairs: 4, results: []*audit.Result{users(1, 1)}})

	if d.Old.Incomplete() || !d.Old.Complete || d.Old.Results != 1 || d.Old.Pairs != 1 {
		t.Errorf("Old = %+v, want complete with 1 result of 1 pair", d.Old)
	}
	if !d.New.Incomplete() || !d.New.Interrupted || d.New.Results != 1 || d.New.Pairs != 5 {
		t.Errorf("New = %+v, want interrupted with 1 result of 5 pairs", d.New)
	}
	if d.Old.StartedAt != "2026-03-01T12:00:00Z" || d.Old.Mode != "audit" {
		t.Errorf("Old started_at %q, mode %q", d.Old.StartedAt, d.Old.Mode)
	}
}
