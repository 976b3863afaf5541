package report

import (
	"fmt"

	"github.com/accessaudit/accessaudit/audit"
)

// pendingRow is a data row that waits for the column widths: its cell values
// and the sheets it goes to.
type pendingRow struct {
	line    int
	values  []any
	targets []*sheetSeries
}

// Write adds the entry to Results and to every other data sheet it belongs
// to: Administrators, Still has access, Needs attention (forbidden and
// error). It also counts the entry for its account on the Summary sheet.
func (w *xlsxWriter) Write(e Entry) error {
	if w.closed {
		return errWriterClosed
	}
	if err := checkEntry(e, len(w.columns)); err != nil {
		return fmt.Errorf("write workbook %s: %w", w.path, err)
	}
	w.accounts.add(e)

	w.row = appendRow(w.row[:0], e, len(w.columns), w.cells)
	var buf [4]*sheetSeries
	targets := append(buf[:0], w.results)
	if e.Admin {
		targets = append(targets, w.admins)
	}
	if e.StillHasAccess && w.still != nil {
		targets = append(targets, w.still)
	}
	if e.Outcome == audit.OutcomeForbidden || e.Outcome == audit.OutcomeError {
		targets = append(targets, w.attention)
	}

	if w.pending != nil || !w.results.started() {
		return w.hold(e.Line, targets)
	}
	return w.writeRow(e.Line, w.row, targets)
}

// hold keeps the current row until the column widths are known, and begins
// the data sheets once sizingRows rows wait.
func (w *xlsxWriter) hold(line int, targets []*sheetSeries) error {
	w.sizer.observe(w.row)
	w.pending = append(w.pending, pendingRow{
		line:    line,
		values:  append([]any(nil), w.row...),
		targets: append([]*sheetSeries(nil), targets...),
	})
	if len(w.pending) < sizingRows {
		return nil
	}
	return w.beginData()
}

// beginData starts the data sheets with the widths measured so far and
// writes the rows that waited for them. It does nothing once they began.
func (w *xlsxWriter) beginData() error {
	if w.results.started() {
		return nil
	}
	widths := w.sizer.widths()
	for _, s := range []*sheetSeries{w.results, w.admins, w.still, w.attention} {
		if s == nil {
			continue
		}
		if err := s.begin(widths); err != nil {
			return fmt.Errorf("write workbook %s: %w", w.path, err)
		}
	}

	for _, p := range w.pending {
		if err := w.writeRow(p.line, p.values, p.targets); err != nil {
			return err
		}
	}
	w.pending = nil
	return nil
}

// writeRow writes one row of cell values to each of the target sheets.
func (w *xlsxWriter) writeRow(line int, values []any, targets []*sheetSeries) error {
	for _, s := range targets {
		if err := s.add(values); err != nil {
			return fmt.Errorf("write workbook %s: line %d: %w", w.path, line, err)
		}
	}
	return nil
}

// writeRejected begins the Rejected input sheet with widths measured from
// the first rejected rows and writes every rejected row.
func (w *xlsxWriter) writeRejected(rejected []Rejection) error {
	row := func(r Rejection) []any {
		return []any{
			styled(w.styles.plain.text, r.Line),
			styled(w.styles.plain.wrap, textValue(r.Reason)),
			styled(w.styles.plain.wrap, textValue(r.Text)),
		}
	}

	sizer := newColumnSizer(w.rejected.columns)
	for _, r := range rejected[:min(len(rejected), sizingRows)] {
		sizer.observe(row(r))
	}
	if err := w.rejected.begin(sizer.widths()); err != nil {
		return err
	}

	for _, r := range rejected {
		if err := w.rejected.add(row(r)); err != nil {
			return err
		}
	}
	return nil
}
