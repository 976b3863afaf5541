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
// All stream writers stay open until finish, because the autofilter refers
// to its sheet by position, and the positions are final only when no more
// overflow sheets can be inserted. Each open writer keeps up to about
// excelize.StreamChunkSize (16 MiB) in memory and spills the rest to a
// temporary file.
type sheetSeries struct {
	file        *excelize.File
	base        string
	columns     []column
	header      []any // header cells with the header style
	decisionCol int   // 1-based column of Decision; 0 when the sheet has none
	limit       int   // data rows per sheet
	sheets      []*seriesSheet
}

// seriesSheet is one sheet of a series.
type seriesSheet struct {
	name   string
	stream *excelize.StreamWriter
	rows   int // data rows written below the header
}

// newSheetSeries adds the first sheet of the series as the last sheet of f
// and writes its header.
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
	if err := s.start(base); err != nil {
		return nil, err
	}
	return s, nil
}

// start opens the stream writer of an existing, empty sheet and writes its
// header. Panes and column widths must precede the first row.
func (s *sheetSeries) start(name string) error {
	sw, err := s.file.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("start sheet %q: %w", name, err)
	}

	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("freeze header of sheet %q: %w", name, err)
	}
	// excelize v2.11.1 puts each new width before the earlier ones, and a
	// stream writer writes them unsorted; Excel expects <col> elements in
	// ascending order, so set the widths from the last column to the first.
	for i := len(s.columns) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, s.columns[i].width); err != nil {
			return fmt.Errorf("set column width in sheet %q: %w", name, err)
		}
	}
	if err := sw.SetRow("A1", s.header); err != nil {
		return fmt.Errorf("write header of sheet %q: %w", name, err)
	}

	s.sheets = append(s.sheets, &seriesSheet{name: name, stream: sw})
	return nil
}

// add writes one data row, continuing in a new overflow sheet when the
// current sheet is full.
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
	if err := current.stream.SetRow(cell, values); err != nil {
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

// finish adds the autofilter and the Decision drop-down list to every sheet
// of the series and flushes its stream writer. Call it only when every sheet
// of the workbook exists, so sheet positions no longer change.
func (s *sheetSeries) finish() error {
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
