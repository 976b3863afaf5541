package report

import (
	"fmt"
	"slices"
)

// summaryRow is one row of the Summary sheet: a label in column A and a value
// in column B. A heading row starts a section and is bold; a zero row is a
// blank line.
type summaryRow struct {
	label   string
	value   any
	heading bool
}

// writeSummary fills the Summary sheet: run metadata, input counts, outcome
// counts and the count of ok results by group. It uses excelize's normal
// mode, which is fine for a sheet of a few dozen rows.
func (w *xlsxWriter) writeSummary(run Run, sum *Summary) error {
	f := w.file
	if err := f.SetColWidth(SheetSummary, "A", "A", 42); err != nil {
		return err
	}
	if err := f.SetColWidth(SheetSummary, "B", "B", 70); err != nil {
		return err
	}

	for i, row := range summaryRows(run, sum, w.tool) {
		a, b := fmt.Sprintf("A%d", i+1), fmt.Sprintf("B%d", i+1)
		if row.label != "" {
			if err := f.SetCellStr(SheetSummary, a, cellText(row.label)); err != nil {
				return err
			}
		}
		if row.heading {
			if err := f.SetCellStyle(SheetSummary, a, b, w.styles.heading); err != nil {
				return err
			}
		}
		if err := setSummaryValue(w, b, row.value); err != nil {
			return fmt.Errorf("summary cell %s: %w", b, err)
		}
	}
	return nil
}

// setSummaryValue writes a number as a number and text as a string cell.
func setSummaryValue(w *xlsxWriter, cell string, value any) error {
	switch v := value.(type) {
	case nil:
		return nil
	case string:
		return w.file.SetCellStr(SheetSummary, cell, cellText(v))
	case int:
		return w.file.SetCellInt(SheetSummary, cell, int64(v))
	case float64:
		return w.file.SetCellFloat(SheetSummary, cell, v, -1, 64)
	default:
		return fmt.Errorf("unsupported value %T", value)
	}
}

// summaryRows lists the rows of the Summary sheet in order.
func summaryRows(run Run, sum *Summary, tool Tool) []summaryRow {
	unapproved := any("no approved list given")
	if sum.UnapprovedAdministrators != nil {
		unapproved = *sum.UnapprovedAdministrators
	}

	rows := []summaryRow{
		{label: "Run", heading: true},
		{label: "Tool", value: tool.Name},
		{label: "Version", value: tool.Version},
		{label: "Started (UTC)", value: formatTime(run.StartedAt)},
		{label: "Finished (UTC)", value: formatTime(run.FinishedAt)},
		{label: "Complete", value: yesNo(run.Complete)},
		{label: "Interrupted", value: yesNo(run.Interrupted)},
		{label: "Mode", value: run.Mode},
		{label: "Base URL", value: run.BaseURL},
		{label: "Rate (requests per second, 0 = no limit)", value: run.RatePerSecond},
		{label: "Burst (requests)", value: run.Burst},
		{label: "Concurrency (requests in flight)", value: run.Concurrency},
		{},
		{label: "Input", heading: true},
		{label: "Path", value: run.Input.Path},
		{label: "SHA-256", value: run.Input.SHA256},
		{label: "Data rows", value: run.Input.Rows},
		{label: "Unique pairs", value: run.Input.Pairs},
		{label: "Rejected rows", value: run.Input.Rejected},
		{label: "Duplicate rows", value: run.Input.Duplicates},
		{},
		{label: "Outcomes", heading: true},
		{label: "Pairs", value: sum.Pairs},
		{label: "Pairs without a result", value: sum.Pairs - sum.Results()},
		{label: "ok", value: sum.OK},
		{label: "not_found", value: sum.NotFound},
		{label: "forbidden", value: sum.Forbidden},
		{label: "error", value: sum.Error},
		{label: "Administrators", value: sum.Administrators},
		{label: "Unapproved administrators", value: unapproved},
		{label: "Still has access", value: sum.StillHasAccess},
		{},
		{label: "Groups (ok results)", value: "Count", heading: true},
	}

	names := make([]string, 0, len(sum.Groups))
	for name := range sum.Groups {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		rows = append(rows, summaryRow{label: name, value: sum.Groups[name]})
	}
	return rows
}
