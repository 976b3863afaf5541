package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// The Summary sheet is a grid of columns A to J: labels in column A,
// values and the per-account counts in the narrower columns after it. Text
// in a cell runs on over empty cells to its right, so a long value such as
// the SHA-256 needs no wide column of its own. Column D is as wide as the
// Input labels and the Administrators header of the per-account table.
var summaryWidths = []float64{32, 11, 14, 15, 11, 11, 11, 11, 11, 11}

const (
	summaryInputColumn = 4 // the Input block starts in column D, beside Run

	// summaryScale is the print scale of the Summary sheet in percent. At
	// this scale the grid fits one landscape page across on A4 and on US
	// Letter even where a spreadsheet program substitutes a font wider than
	// Calibri, and about summaryRowsPerPage rows fit one page down.
	summaryScale       = 75
	summaryRowsPerPage = 41
)

// summaryWriter writes the Summary sheet row by row with a stream writer,
// so the per-account table may have any number of rows without excelize
// holding them all in memory.
type summaryWriter struct {
	sw     *excelize.StreamWriter
	st     styles
	row    int // last row written
	maxRow int // last row the sheet may hold
}

// put writes the next row, with cells from column A on. A nil cell stays
// empty.
func (s *summaryWriter) put(cells ...any) error {
	return s.putRow(excelize.RowOpts{}, cells...)
}

// putRow writes the next row with row options.
func (s *summaryWriter) putRow(opts excelize.RowOpts, cells ...any) error {
	s.row++
	return s.sw.SetRow("A"+strconv.Itoa(s.row), cells, opts)
}

// rowsLeft returns how many more rows the sheet can hold.
func (s *summaryWriter) rowsLeft() int { return s.maxRow - s.row }

// styled returns value as a cell with the given style.
func styled(style int, value any) excelize.Cell {
	return excelize.Cell{StyleID: style, Value: value}
}

// writeSummary fills the Summary sheet: a title and what the mode means, the
// run status, the outcome counts, the groups with a chart of users per
// group, the run and input metadata, and the counts per account. Commit
// calls it once the counts are final.
func (w *xlsxWriter) writeSummary(run Run, sum *Summary) error {
	sw, err := w.file.NewStreamWriter(SheetSummary)
	if err != nil {
		return err
	}
	s := &summaryWriter{sw: sw, st: w.styles, maxRow: w.summaryRowLimit}

	if err := setStreamWidths(sw, summaryWidths); err != nil {
		return err
	}

	if err := s.writeIntro(run, sum); err != nil {
		return err
	}
	chart, err := s.writeCounts(run, sum, w.accounts)
	if err != nil {
		return err
	}
	if err := s.writeRun(run, w.tool); err != nil {
		return err
	}
	if err := s.writeAccounts(run.Mode, w.accounts); err != nil {
		return err
	}

	if chart != nil {
		if err := w.file.AddChart(SheetSummary, chart.anchor, chart.chart); err != nil {
			return fmt.Errorf("add chart of users per group: %w", err)
		}
	}
	if err := setPageLayout(w.file, SheetSummary, pageLayoutFor(SheetSummary, run, w.tool)); err != nil {
		return err
	}
	return sw.Flush()
}

// writeIntro writes the title, what the outcomes mean in this mode, and
// whether the run is complete.
func (s *summaryWriter) writeIntro(run Run, sum *Summary) error {
	if err := s.putRow(excelize.RowOpts{Height: 24}, styled(s.st.title, modeTitle(run.Mode)+" report")); err != nil {
		return err
	}
	for _, line := range modeNotes(run.Mode) {
		if err := s.put(styled(s.st.note, line)); err != nil {
			return err
		}
	}

	status, style := runStatus(run, sum), s.st.statusOK
	if !run.Complete || run.Interrupted {
		style = s.st.statusBad
	}
	if err := s.put(styled(style, status)); err != nil {
		return err
	}
	return s.put()
}

// modeNotes explains in plain words what each outcome means for a reviewer
// in the given mode, and what the colours mark.
func modeNotes(mode string) []string {
	if mode == ModeOffboarding {
		return []string{
			"Offboarding sweep: every listed user should be gone from the account.",
			"404 (not_found) is the good result: the user is no longer in the account (green).",
			"403 (forbidden) is a coverage gap: the API key cannot see the account, so the user may still have access (yellow).",
			"Users still found (200, any group) still have access: those rows are findings (orange, sheet Still has access).",
		}
	}
	return []string{
		"Access audit: the group each listed user holds in each account, as the Gcore IAM API returned it.",
		"Administrators are the findings to review (orange, sheet Administrators). 404 (not_found) means the user is not in the account.",
		"403 (forbidden) is a coverage gap: the API key cannot see the account, so the user's group is unknown (yellow).",
		"Reviewers fill in Decision (Keep, Revoke or Change group) and Reviewer comment on Results or Administrators.",
	}
}

// runStatus returns one line that states whether every pair has a result.
func runStatus(run Run, sum *Summary) string {
	missing := sum.Pairs - sum.Results()
	var status string
	switch {
	case run.Interrupted:
		status = fmt.Sprintf("Incomplete: the run was interrupted, and %d of %d pairs have no result.", missing, sum.Pairs)
	case !run.Complete:
		status = fmt.Sprintf("Incomplete: %d of %d pairs have no result.", missing, sum.Pairs)
	default:
		status = fmt.Sprintf("Complete: all %d pairs have a result.", sum.Pairs)
	}
	if sum.Error > 0 {
		status += fmt.Sprintf(" %d ended in error; see Needs attention and run again to retry them.", sum.Error)
	}
	return status
}

// outcomeLabels returns the Summary labels of the four outcomes, in the
// order ok, not_found, forbidden, error, worded for the mode.
func outcomeLabels(mode string) [4]string {
	if mode == ModeOffboarding {
		return [4]string{
			"ok (200)",
			"not_found (404): the good result",
			"forbidden (403): coverage gap",
			"error: no answer after retries",
		}
	}
	return [4]string{
		"ok (200)",
		"not_found (404)",
		"forbidden (403): coverage gap",
		"error: no answer after retries",
	}
}

// writeCounts writes the outcome counts and, below them, the count of ok
// results per group, and returns the chart that goes to their right, or nil
// when no result has a group.
func (s *summaryWriter) writeCounts(run Run, sum *Summary, accounts accountTally) (*groupChart, error) {
	top := s.row + 1
	labels := outcomeLabels(run.Mode)
	unapproved := any("no approved list given")
	if sum.UnapprovedAdministrators != nil {
		unapproved = *sum.UnapprovedAdministrators
	}

	rows := [][2]any{
		{"Pairs in the input", sum.Pairs},
		{"Pairs without a result", sum.Pairs - sum.Results()},
		{labels[0], sum.OK},
		{labels[1], sum.NotFound},
		{labels[2], sum.Forbidden},
		{labels[3], sum.Error},
		{"Administrators", sum.Administrators},
		{"Unapproved administrators", unapproved},
	}
	if run.Mode == ModeOffboarding {
		rows = append(rows, [2]any{"Still has access: findings", sum.StillHasAccess})
	}
	rows = append(rows,
		[2]any{"Accounts", len(accounts)},
		[2]any{"Accounts with a coverage gap", accounts.gaps()},
	)

	if err := s.put(styled(s.st.heading, "Outcomes"), styled(s.st.heading, nil), styled(s.st.heading, nil)); err != nil {
		return nil, err
	}
	for _, row := range rows {
		if err := s.put(row[0], styled(s.st.value, row[1])); err != nil {
			return nil, err
		}
	}
	if err := s.put(); err != nil {
		return nil, err
	}

	groupsHeader := s.row + 1
	drawn, err := s.writeGroups(sum)
	if err != nil {
		return nil, err
	}
	bottom := s.row
	if err := s.put(); err != nil {
		return nil, err
	}

	if drawn == 0 {
		return nil, nil
	}
	return newGroupChart(top, bottom, groupsHeader, drawn), nil
}

// writeGroups writes the groups table, largest group first, and returns the
// number of groups the chart draws.
func (s *summaryWriter) writeGroups(sum *Summary) (int, error) {
	if err := s.put(styled(s.st.heading, "Groups (ok results)"), styled(s.st.heading, "Users"), styled(s.st.heading, nil)); err != nil {
		return 0, err
	}

	names := make([]string, 0, len(sum.Groups))
	for name := range sum.Groups {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(sum.Groups[b], sum.Groups[a]), cmp.Compare(a, b))
	})
	if len(names) == 0 {
		return 0, s.put("(none: no pair returned a group)")
	}

	// The accounts section and the notes below need a few rows; a groups
	// table that would leave none for them ends early with a note.
	shown := min(len(names), max(s.rowsLeft()-summaryReserve, 0))
	for _, name := range names[:shown] {
		if err := s.put(cellText(name), styled(s.st.value, sum.Groups[name])); err != nil {
			return 0, err
		}
	}
	if shown < len(names) {
		note := fmt.Sprintf("%d more groups are not listed, because a sheet holds %d rows; the JSON report has them all.", len(names)-shown, excelize.TotalRows)
		if err := s.put(note); err != nil {
			return 0, err
		}
	}
	return min(shown, chartMaxGroups), nil
}

// summaryReserve is the number of rows kept free below the groups table for
// the run and input metadata and the start of the accounts section.
const summaryReserve = 40

// writeRun writes the run metadata in columns A and B and, beside it, the
// input metadata in columns D and E. The tool version and the base URL come
// last, below the input block, so long values run on over the empty cells
// to their right.
func (s *summaryWriter) writeRun(run Run, tool Tool) error {
	left := [][2]any{
		{"Mode", run.Mode},
		{"Started (UTC)", formatTime(run.StartedAt)},
		{"Finished (UTC)", formatTime(run.FinishedAt)},
		{"Complete", yesNo(run.Complete)},
		{"Interrupted", yesNo(run.Interrupted)},
		{"Rate (requests/s, 0 = no limit)", run.RatePerSecond},
		{"Burst (requests)", run.Burst},
		{"Concurrency (requests in flight)", run.Concurrency},
		{"Tool version", tool.Name + " " + tool.Version},
		{"Base URL", run.BaseURL},
	}
	right := [][2]any{
		{"File", inputName(run.Input.Path)},
		{"SHA-256", run.Input.SHA256},
		{"Data rows", run.Input.Rows},
		{"Unique pairs", run.Input.Pairs},
		{"Rejected rows", run.Input.Rejected},
		{"Duplicate rows", run.Input.Duplicates},
	}

	heading := make([]any, len(summaryWidths))
	for i := range heading {
		heading[i] = styled(s.st.heading, nil)
	}
	heading[0] = styled(s.st.heading, "Run")
	heading[summaryInputColumn-1] = styled(s.st.heading, "Input")
	if err := s.put(heading...); err != nil {
		return err
	}

	for i, l := range left {
		cells := make([]any, summaryInputColumn+1)
		cells[0], cells[1] = textCell(l[0]), styled(s.st.value, textCell(l[1]))
		if i < len(right) {
			r := right[i]
			cells[summaryInputColumn-1], cells[summaryInputColumn] = r[0], styled(s.st.value, textCell(r[1]))
		}
		if err := s.put(cells...); err != nil {
			return err
		}
	}
	return s.put()
}

// textCell passes text through cellText and leaves other values as they are.
func textCell(v any) any {
	if text, ok := v.(string); ok {
		return cellText(text)
	}
	return v
}

// inputName returns the input path as the reports name it.
func inputName(path string) string {
	if path == "-" {
		return "- (standard input)"
	}
	return path
}
