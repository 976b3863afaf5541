package diff

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/accessaudit/accessaudit/audit"
)

// comparer holds the old report's pairs while the new report streams past.
type comparer struct {
	pairs map[audit.Pair]entry // the old report's pairs, then the new-only ones
	syms  *symbols
	diff  *Diff
}

// CompareFiles opens the reports at oldPath and newPath and compares them
// as Compare does.
func CompareFiles(oldPath, newPath string) (*Diff, error) {
	oldFile, err := Open(oldPath)
	if err != nil {
		return nil, err
	}
	defer oldFile.Close()

	newFile, err := Open(newPath)
	if err != nil {
		return nil, err
	}
	defer newFile.Close()

	return Compare(oldFile, newFile, oldPath, newPath)
}

// Open opens the report at path for reading. Its error is a *ReportError
// that names path.
func Open(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		var cause error = err
		var pathErr *os.PathError
		if errors.As(err, &pathErr) {
			cause = pathErr.Err
		}
		return nil, &ReportError{Path: path, Err: fmt.Errorf("cannot open the report: %w", cause)}
	}
	return f, nil
}

// Compare reads the old report to the end, then streams the new one past
// it, and returns what changed. oldName and newName name the reports in
// Info.Path, in warnings and in errors.
//
// Memory: the old report's pairs are held in a map of 24-byte entries,
// with each distinct group name and error kind stored once, about 100 bytes
// per pair in all (see the package documentation). The new report's results
// are decoded one at a time and kept only when they changed. Neither report
// is held as text.
//
// Every error is a *ReportError naming the report. Any report_version but
// SupportedReportVersion wraps ErrUnsupportedVersion. ErrInvalidReport is
// wrapped for a report that is not valid JSON, is truncated, or lacks
// report_version, run, summary or results. It is also wrapped when a report
// lists a pair twice or has a result without positive IDs and a known
// outcome.
func Compare(oldReport, newReport io.Reader, oldName, newName string) (*Diff, error) {
	c := &comparer{pairs: make(map[audit.Pair]entry), syms: newSymbols(), diff: newDiff()}

	oldInfo, err := readReport(oldReport, c.addOld)
	if err != nil {
		return nil, &ReportError{Path: oldName, Err: err}
	}
	newInfo, err := readReport(newReport, c.compareNew)
	if err != nil {
		return nil, &ReportError{Path: newName, Err: err}
	}
	c.collectDisappeared()

	d := c.diff
	d.Old, d.New = oldInfo, newInfo
	d.Old.Path, d.New.Path = oldName, newName
	d.Warnings = warnings(d.Old, d.New)
	for cat := range categoryCount {
		sortChanges(*d.list(cat))
	}
	return d, nil
}

func newDiff() *Diff {
	d := &Diff{Version: Version, Warnings: []string{}}
	for cat := range categoryCount {
		*d.list(cat) = []Change{}
	}
	return d
}

// addOld stores one result of the old report.
func (c *comparer) addOld(r *record) error {
	p := r.pair()
	if _, dup := c.pairs[p]; dup {
		return fmt.Errorf("account %d, user %d is listed twice", p.ClientID, p.UserID)
	}
	c.pairs[p] = c.syms.newEntry(r)
	return nil
}

// compareNew compares one result of the new report with the old report's
// entry for its pair, and marks the pair as seen in the map.
func (c *comparer) compareNew(r *record) error {
	p := r.pair()
	after := c.syms.newEntry(r)
	before, inOld := c.pairs[p]
	if before.has(matched) || before.has(onlyNew) {
		return fmt.Errorf("account %d, user %d is listed twice", p.ClientID, p.UserID)
	}

	if inOld {
		before.flags |= matched
		c.pairs[p] = before
	} else {
		c.pairs[p] = entry{flags: onlyNew}
	}
	c.record(p, before, after)
	return nil
}

// collectDisappeared records the old pairs that the new report did not list.
func (c *comparer) collectDisappeared() {
	for p, before := range c.pairs {
		if before.has(present) && !before.has(matched) {
			c.record(p, before, entry{})
		}
	}
}

// record adds the pair to every category it fits.
func (c *comparer) record(p audit.Pair, before, after entry) {
	var change *Change
	for cat := range categoryCount {
		if !belongs(cat, before, after) {
			continue
		}
		if change == nil {
			change = &Change{ClientID: p.ClientID, UserID: p.UserID,
				Before: c.syms.state(before), After: c.syms.state(after)}
			c.diff.ChangedPairs++
		}
		list := c.diff.list(cat)
		*list = append(*list, *change)
	}
}

func sortChanges(changes []Change) {
	slices.SortFunc(changes, func(a, b Change) int {
		return cmp.Or(cmp.Compare(a.ClientID, b.ClientID), cmp.Compare(a.UserID, b.UserID))
	})
}

// warnings returns the sentences that limit what the lists mean.
func warnings(oldInfo, newInfo Info) []string {
	out := []string{}
	for _, side := range []struct {
		role string
		info Info
	}{{"old", oldInfo}, {"new", newInfo}} {
		if side.info.Incomplete() {
			out = append(out, incompleteWarning(side.role, side.info))
		}
	}

	oldStart, oldErr := time.Parse(time.RFC3339, oldInfo.StartedAt)
	newStart, newErr := time.Parse(time.RFC3339, newInfo.StartedAt)
	if oldErr == nil && newErr == nil && newStart.Before(oldStart) {
		out = append(out, fmt.Sprintf("the new report %s started at %s, before the old report %s (%s); pass the older report first",
			newInfo.Path, newInfo.StartedAt, oldInfo.Path, oldInfo.StartedAt))
	}
	return out
}

func incompleteWarning(role string, info Info) string {
	shownAs := "disappeared"
	if role == "old" {
		shownAs = "appeared"
	}
	return fmt.Sprintf("the %s report %s is %s, with results for %d of %d pairs: a pair missing from it may not have been checked, so it may show as %s",
		role, info.Path, runState(info), info.Results, info.Pairs, shownAs)
}
