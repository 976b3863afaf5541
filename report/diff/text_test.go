package diff

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/accessaudit/accessaudit/audit"
)

// compareNamed writes both fixtures and compares them under the names
// old.json and new.json, so that the output does not depend on the
// temporary folder.
func compareNamed(t *testing.T, oldReport, newReport fixture) *Diff {
	t.Helper()
	dir := t.TempDir()
	oldData, err := os.ReadFile(writeFixture(t, dir, "old.json", oldReport))
	if err != nil {
		t.Fatal(err)
	}
	newData, err := os.ReadFile(writeFixture(t, dir, "new.json", newReport))
	if err != nil {
		t.Fatal(err)
	}

	d, err := Compare(bytes.NewReader(oldData), bytes.NewReader(newData), "old.json", "new.json")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func writeText(t *testing.T, d *Diff) string {
	t.Helper()
	var buf bytes.Buffer
	if err := d.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestWriteTextLayout pins the whole text form of one comparison that has
// a warning and several categories, one of them holding an unusual group
// name.
func TestWriteTextLayout(t *testing.T) {
	d := compareNamed(t,
		fixture{results: []*audit.Result{users(1001, 2001), admin(1001, 2002), forbidden(1002, 1), okGroup(1004, 9, 3009, "Ops\tteam")}},
		fixture{started: fixtureStart.Add(time.Hour), interrupted: true, extraPairs: 1,
			results: []*audit.Result{admin(1001, 2001), notFound(1001, 2002), users(1002, 1), okGroup(1004, 9, 3009, "Ops"), failed(1005, 1, audit.KindTimeout)}})

	want := `REPORT  PATH      STARTED               STATE        RESULTS
old     old.json  2026-03-01T12:00:00Z  complete     4 of 4 pairs
new     new.json  2026-03-01T13:00:00Z  interrupted  5 of 6 pairs
warning: the new report new.json is interrupted, with results for 5 of 6 pairs: a pair missing from it may not have been checked, so it may show as disappeared

CATEGORY                           PAIRS
New administrators                 1
Removed administrators             1
Group changes                      2
Coverage lost                      0
Coverage gained                    1
Other outcome changes              1
Appeared pairs                     1
Disappeared pairs                  0
Changed pairs (each counted once)  5

New administrators (1)
  ACCOUNT  USER  BEFORE         AFTER
  1001     2001  ok: Users (2)  ok: Administrators (1)

Removed administrators (1)
  ACCOUNT  USER  BEFORE                  AFTER
  1001     2002  ok: Administrators (1)  not_found

Group changes (2)
  ACCOUNT  USER  BEFORE                  AFTER
  1001     2001  ok: Users (2)           ok: Administrators (1)
  1004     9     ok: "Ops\tteam" (3009)  ok: Ops (3009)

Coverage gained (1)
  ACCOUNT  USER  BEFORE     AFTER
  1002     1     forbidden  ok: Users (2)

Other outcome changes (1)
  ACCOUNT  USER  BEFORE                  AFTER
  1001     2002  ok: Administrators (1)  not_found

Appeared pairs (1)
  ACCOUNT  USER  BEFORE  AFTER
  1005     1     absent  error: timeout
`
	if got := writeText(t, d); got != want {
		t.Errorf("WriteText:\n%s\nwant:\n%s", got, want)
	}
}

// TestWriteTextNoChanges checks that two equal reports print the report
// table and "no changes", and no category table.
func TestWriteTextNoChanges(t *testing.T) {
	results := func() []*audit.Result { return []*audit.Result{admin(1, 1), forbidden(2, 1)} }
	got := writeText(t, compareNamed(t, fixture{results: results()}, fixture{started: fixtureStart.Add(time.Hour), results: results()}))

	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("WriteText printed %d lines, want 5:\n%s", len(lines), got)
	}
	if lines[4] != "no changes" {
		t.Errorf("last line = %q, want %q", lines[4], "no changes")
	}
	if strings.Contains(got, "CATEGORY") || strings.Contains(got, "warning:") {
		t.Errorf("output of equal complete reports has a category table or a warning:\n%s", got)
	}
}

// TestWriteTextAlignsColumns checks that the AFTER column starts at the
// same offset in every row of a category whose cells differ in width.
func TestWriteTextAlignsColumns(t *testing.T) {
	d := compareNamed(t,
		fixture{results: []*audit.Result{forbidden(1, 1), forbidden(123456789012, 5), forbidden(3, 77777)}},
		fixture{results: []*audit.Result{admin(1, 1), okGroup(123456789012, 5, 5, "Engineers with a long name"), notFound(3, 77777)}})
	got := writeText(t, d)

	section := got[strings.Index(got, "Coverage gained (3)"):]
	rows := strings.Split(section, "\n")[1:5]
	column := strings.Index(rows[0], "AFTER")
	for i, after := range []string{"ok: Administrators (1)", "not_found", "ok: Engineers with a long name (5)"} {
		if at := strings.Index(rows[i+1], after); at != column {
			t.Errorf("row %q: %q starts at %d, want %d", rows[i+1], after, at, column)
		}
	}
}
