package diff

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/accessaudit/accessaudit/audit"
)

// WriteText writes d as aligned plain-text tables. The first table lists
// the two reports with their start time, state and result count, and each
// warning follows on a line that starts with "warning: ". Then comes the
// line "no changes", or a count per category followed by one table per
// non-empty category, its rows sorted by account and user.
func (d *Diff) WriteText(w io.Writer) error {
	header := [][]string{{"REPORT", "PATH", "STARTED", "STATE", "RESULTS"}}
	for _, side := range []struct {
		role string
		info Info
	}{{"old", d.Old}, {"new", d.New}} {
		header = append(header, []string{side.role, printable(side.info.Path), printable(side.info.StartedAt), runState(side.info),
			fmt.Sprintf("%d of %d pairs", side.info.Results, side.info.Pairs)})
	}
	if err := writeTable(w, "", header); err != nil {
		return err
	}
	for _, warning := range d.Warnings {
		if _, err := fmt.Fprintf(w, "warning: %s\n", warning); err != nil {
			return err
		}
	}

	if d.ChangedPairs == 0 {
		_, err := io.WriteString(w, "\nno changes\n")
		return err
	}
	if err := d.writeCounts(w); err != nil {
		return err
	}
	for cat := range categoryCount {
		if err := d.writeCategory(w, cat); err != nil {
			return err
		}
	}
	return nil
}

// writeCounts writes the number of pairs in every category, empty ones
// included, and the number of distinct changed pairs.
func (d *Diff) writeCounts(w io.Writer) error {
	rows := [][]string{{"CATEGORY", "PAIRS"}}
	for cat := range categoryCount {
		rows = append(rows, []string{categoryTitles[cat], strconv.Itoa(len(*d.list(cat)))})
	}
	rows = append(rows, []string{"Changed pairs (each counted once)", strconv.Itoa(d.ChangedPairs)})

	if _, err := io.WriteString(w, "\n"); err != nil {
		return err
	}
	return writeTable(w, "", rows)
}

// writeCategory writes the heading and table of one category, or nothing
// when it is empty.
func (d *Diff) writeCategory(w io.Writer, cat category) error {
	changes := *d.list(cat)
	if len(changes) == 0 {
		return nil
	}
	if _, err := fmt.Fprintf(w, "\n%s (%d)\n", categoryTitles[cat], len(changes)); err != nil {
		return err
	}

	rows := [][]string{{"ACCOUNT", "USER", "BEFORE", "AFTER"}}
	for _, ch := range changes {
		rows = append(rows, []string{strconv.FormatInt(ch.ClientID, 10), strconv.FormatInt(ch.UserID, 10),
			describeState(ch.Before), describeState(ch.After)})
	}
	return writeTable(w, "  ", rows)
}

// writeTable writes rows as columns separated by at least two spaces, each
// line starting with indent.
func writeTable(w io.Writer, indent string, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, row := range rows {
		if _, err := io.WriteString(tw, indent+strings.Join(row, "\t")+"\n"); err != nil {
			return err
		}
	}
	return tw.Flush()
}

// runState is the STATE column: complete, interrupted or not complete.
func runState(info Info) string {
	switch {
	case info.Interrupted:
		return "interrupted"
	case info.Incomplete():
		return "not complete"
	}
	return "complete"
}

// describeState renders a state as the outcome followed by the group or
// the error kind: "ok: Administrators (1)", "ok: group 77", "forbidden",
// "error: timeout". An absent pair is "absent".
func describeState(s *State) string {
	switch {
	case s == nil:
		return "absent"
	case s.Outcome == audit.OutcomeOK:
		return describeGroup(s.GroupID, s.GroupName)
	case s.Outcome == audit.OutcomeError && s.ErrorKind != nil:
		return "error: " + printable(string(*s.ErrorKind))
	}
	return string(s.Outcome)
}

func describeGroup(id *int64, name *string) string {
	switch {
	case id != nil && name != nil:
		return fmt.Sprintf("ok: %s (%d)", printable(*name), *id)
	case id != nil:
		return fmt.Sprintf("ok: group %d", *id)
	case name != nil:
		return "ok: " + printable(*name)
	}
	return "ok"
}

// printable returns s as it is, or quoted in Go syntax when it is empty,
// has surrounding spaces or contains a control character, which would be
// invisible or would break the alignment of the table.
func printable(s string) string {
	if s == "" || strings.TrimSpace(s) != s || strings.ContainsFunc(s, unicode.IsControl) {
		return strconv.Quote(s)
	}
	return s
}
