package report

import (
	"fmt"
	"slices"

	"github.com/xuri/excelize/v2"
)

// sheetSeries is one data sheet and its overflow sheets ("Results",
// "Results (2)", ...). Every sheet of the series has the same header, a
// frozen header row and an autofilter. Rows go to the last sheet until it
// holds limit data rows.
//
// The first sheet exists from newSheetSeries on, so the sheet order is fixed
// early, but its stream writer starts only in begin, once the column widths
// are known. All stream writers stay open until finish, because the
// autofilter and the print titles refer to their sheet by position, and the
// positions are final only when no more overflow sheets can be inserted.
// Each open writer keeps up to about excelize.StreamChunkSize (16 MiB) in
// memory and spills the rest to a temporary file.
type sheetSeries struct {
	file        *excelize.File
	base        string
	columns     []column
	widths      []float64 // column widths in characters, set by begin
	header      []any     // header cells with the header style
	decisionCol int       // 1-based column of Decision; 0 when the sheet has none
	limit       int       // data rows per sheet
	sheets      []*seriesSheet
}

// seriesSheet is one sheet of a series.
type seriesSheet struct {
	name   string
	stream *excelize.StreamWriter
	rows   int // data rows written below the header
}

// headerHeight is the height of a header row in points: two lines, so that
// a header wider than its column wraps instead of being cut.
const headerHeight = 30

// newSheetSeries adds the first sheet of the series as the last sheet of f.
// Its header and rows follow once begin has set the column widths.
func newSheetSeries(f *excelize.File, base string, columns []column, st styles, limit int) (*sheetSeries, error) {
	s := &sheetSeries{file: f, base: base, columns: columns, limit: limit}
	for i, col := range columns {
		s.header = append(s.header, excelize.Cell{StyleID: st.header, Value: col.header})

		// An input column may also be named Decision; the workbook's own
		// column comes after the input columns, so the last match wins.
		if col.header == ColumnDecision {
			s.decisionCol = i + 1
		}
	}

	if _, err := f.NewSheet(base); err != nil {
		return nil, fmt.Errorf("add sheet %q: %w", base, err)
	}
	return s, nil
}

// begin sets the column widths, one per column, and starts the first sheet.
// It does nothing when the series has already begun.
func (s *sheetSeries) begin(widths []float64) error {
	if len(s.sheets) > 0 {
		return nil
	}
	s.widths = widths
	return s.start(s.base)
}

// started reports whether begin has run.
func (s *sheetSeries) started() bool { return len(s.sheets) > 0 }

// start opens the stream writer of an existing, empty sheet and writes its
// header. The sheet properties go first because the stream writer writes
// them when it opens; panes and column widths must precede the first row.
func (s *sheetSeries) start(name string) error {
	if err := s.file.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fitToPage}); err != nil {
		return fmt.Errorf("set page fitting of sheet %q: %w", name, err)
	}
	sw, err := s.file.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("start sheet %q: %w", name, err)
	}

	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("freeze header of sheet %q: %w", name, err)
	}
	if err := setStreamWidths(sw, s.widths); err != nil {
		return fmt.Errorf("set column width in sheet %q: %w", name, err)
	}
	if err := sw.SetRow("A1", s.header, excelize.RowOpts{Height: headerHeight}); err != nil {
		return fmt.Errorf("write header of sheet %q: %w", name, err)
	}

	s.sheets = append(s.sheets, &seriesSheet{name: name, stream: sw})
	return nil
}

// setStreamWidths sets the width of every column of a stream writer.
// excelize v2.11.1 puts each new width before the earlier ones, and a stream
// writer writes them unsorted; Excel expects <col> elements in ascending
// order, so the widths go in from the last column to the first.
func setStreamWidths(sw *excelize.StreamWriter, widths []float64) error {
	for i := len(widths) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, widths[i]); err != nil {
			return err
		}
	}
	return nil
}

// add writes one data row, continuing in a new overflow sheet when the
// current sheet is full. The series must have begun.
func (s *sheetSeries) add(values []any) error {
	current := s.sheets[len(s.sheets)-1]
	if current.rows >= s.limit {
		if err := s.overflow(current.name); err != nil {
			return err
		}
		current = s.sheets[len(s.sheets)-1]
	}

	cell, err := excelize.CoordinatesToCellName(1, current.rows+2)
	if err != nil {
		return err
	}
	opts := excelize.RowOpts{Height: rowHeight(values, s.columns, s.widths)}
	if err := current.stream.SetRow(cell, values, opts); err != nil {
		return fmt.Errorf("write row %d of sheet %q: %w", current.rows+2, current.name, err)
	}
	current.rows++
	return nil
}

// overflow adds the next sheet of the series right after previous.
func (s *sheetSeries) overflow(previous string) error {
	name := OverflowSheetName(s.base, len(s.sheets)+1)
	if _, err := s.file.NewSheet(name); err != nil {
		return fmt.Errorf("add sheet %q: %w", name, err)
	}

	// NewSheet appends at the end; move the sheet in front of the one that
	// follows previous, unless previous is the last sheet.
	list := s.file.GetSheetList()
	at := slices.Index(list, previous)
	if next := at + 1; at >= 0 && next < len(list) && list[next] != name {
		if err := s.file.MoveSheet(name, list[next]); err != nil {
			return fmt.Errorf("move sheet %q after %q: %w", name, previous, err)
		}
	}
	return s.start(name)
}

// finish adds the autofilter, the Decision drop-down list, the page set-up
// and the print titles to every sheet of the series and flushes its stream
// writer. A series that never began begins with its minimum widths. Call
// finish only when every sheet of the workbook exists, so sheet positions no
// longer change.
func (s *sheetSeries) finish(page pageLayout) error {
	if err := s.begin(newColumnSizer(s.columns).widths()); err != nil {
		return err
	}
	lastCol, err := excelize.ColumnNumberToName(len(s.columns))
	if err != nil {
		return err
	}

	for _, sh := range s.sheets {
		lastRow := sh.rows + 1
		if err := s.file.AutoFilter(sh.name, fmt.Sprintf("A1:%s%d", lastCol, lastRow), nil); err != nil {
			return fmt.Errorf("add autofilter to sheet %q: %w", sh.name, err)
		}
		if s.decisionCol > 0 && sh.rows > 0 {
			if err := s.addDecisionList(sh.name, lastRow); err != nil {
				return err
			}
		}
		if err := setPageLayout(s.file, sh.name, page); err != nil {
			return err
		}
		if err := setPrintTitles(s.file, sh.name, 1); err != nil {
			return err
		}
		if err := sh.stream.Flush(); err != nil {
			return fmt.Errorf("write sheet %q: %w", sh.name, err)
		}
	}
	return nil
}

// addDecisionList offers DecisionValues as a drop-down list in the Decision
// cells of rows 2 to lastRow. Other values draw a warning, not a refusal,
// because the tool that reads the decisions ignores case and spaces.
func (s *sheetSeries) addDecisionList(sheet string, lastRow int) error {
	col, err := excelize.ColumnNumberToName(s.decisionCol)
	if err != nil {
		return err
	}

	dv := excelize.NewDataValidation(true)
	dv.SetSqref(fmt.Sprintf("%s2:%s%d", col, col, lastRow))
	if err := dv.SetDropList(DecisionValues); err != nil {
		return err
	}
	dv.SetError(excelize.DataValidationErrorStyleWarning, "Decision", "Choose Keep, Revoke or Change group.")

	if err := s.file.AddDataValidation(sheet, dv); err != nil {
		return fmt.Errorf("add decision list to sheet %q: %w", sheet, err)
	}
	return nil
}
