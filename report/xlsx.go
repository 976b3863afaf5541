package report

import (
	"archive/zip"
	"compress/flate"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"
)

// xlsxWriter streams entries into the data sheets of a workbook and writes
// the Summary and Rejected input sheets at Commit.
type xlsxWriter struct {
	path    string
	tool    Tool
	columns []string
	mode    string

	file   *excelize.File
	tmp    *os.File // the final workbook before the rename
	styles styles
	cells  rowStyles

	results   *sheetSeries
	admins    *sheetSeries
	still     *sheetSeries // nil outside offboarding mode
	attention *sheetSeries
	rejected  *sheetSeries

	// The first sizingRows rows wait in pending while sizer measures them.
	// Then the data sheets begin with the measured widths, and the pending
	// rows are written and dropped.
	sizer   *columnSizer
	pending []pendingRow

	accounts        accountTally // counts per account for the Summary sheet
	summaryRowLimit int          // last row of the Summary sheet; a parameter for tests

	row    []any // cell values of the current entry, reused
	closed bool
}

// NewXLSX starts the workbook at path. columns are the header names of the
// extra input columns, in input order. mode is ModeAudit or ModeOffboarding,
// and only offboarding adds the Still has access sheet. The temporary files
// go to the folder of path, so a folder that cannot be written fails here.
func NewXLSX(path string, tool Tool, columns []string, mode string) (Writer, error) {
	return newXLSX(path, tool, columns, mode, MaxDataRows)
}

// newXLSX is NewXLSX with the number of data rows per sheet as a parameter,
// so tests can reach the overflow sheets with a few rows.
func newXLSX(path string, tool Tool, columns []string, mode string, rowLimit int) (Writer, error) {
	if mode != ModeAudit && mode != ModeOffboarding {
		return nil, fmt.Errorf("workbook %s: mode %q is not %q or %q", path, mode, ModeAudit, ModeOffboarding)
	}
	if rowLimit < 1 {
		return nil, fmt.Errorf("workbook %s: row limit %d is below 1", path, rowLimit)
	}

	tmp, err := createTemp(path, ".tmp")
	if err != nil {
		return nil, err
	}
	w := &xlsxWriter{
		path:            path,
		tool:            tool,
		columns:         columns,
		mode:            mode,
		tmp:             tmp,
		accounts:        accountTally{},
		summaryRowLimit: excelize.TotalRows,
		// Stream writers spill rows past 16 MiB to temporary files; keeping
		// them beside the report keeps them off a RAM-backed /tmp.
		file: excelize.NewFile(excelize.Options{TmpDir: filepath.Dir(path)}),
	}

	if err := w.addSheets(rowLimit); err != nil {
		_ = w.Abort()
		return nil, fmt.Errorf("workbook %s: %w", path, err)
	}
	return w, nil
}

// addSheets creates every sheet in its final order. Overflow sheets are
// inserted later, each right after the sheet it continues.
func (w *xlsxWriter) addSheets(rowLimit int) error {
	var err error
	if w.styles, err = newStyles(w.file); err != nil {
		return err
	}
	if err = w.file.SetSheetName("Sheet1", SheetSummary); err != nil {
		return err
	}

	data := dataColumns(w.columns)
	w.cells = newRowStyles(w.styles, data, w.mode)
	w.sizer = newColumnSizer(data)
	add := func(name string, cols []column) *sheetSeries {
		if err != nil {
			return nil
		}
		var s *sheetSeries
		s, err = newSheetSeries(w.file, name, cols, w.styles, rowLimit)
		return s
	}

	w.results = add(SheetResults, data)
	w.admins = add(SheetAdministrators, data)
	if w.mode == ModeOffboarding {
		w.still = add(SheetStillHasAccess, data)
	}
	w.attention = add(SheetNeedsAttention, data)
	w.rejected = add(SheetRejected, rejectedColumns())
	return err
}

func (w *xlsxWriter) Path() string { return w.path }

// Commit writes the Rejected input and Summary sheets, finishes the data
// sheets and saves the workbook to a temporary file that it renames to the
// report path.
func (w *xlsxWriter) Commit(run Run, sum *Summary, rejected []Rejection) (err error) {
	if w.closed {
		return errWriterClosed
	}
	w.closed = true
	defer func() {
		closeErr := w.file.Close() // removes the stream writers' temporary files
		if err != nil {
			_ = discardTemp(w.tmp)
			return
		}
		if closeErr != nil {
			err = fmt.Errorf("workbook %s: remove temporary files: %w", w.path, closeErr)
		}
	}()

	if sum == nil {
		return fmt.Errorf("write workbook %s: summary is missing", w.path)
	}
	if err := w.finishSheets(run, sum, rejected); err != nil {
		return fmt.Errorf("write workbook %s: %w", w.path, err)
	}
	if err := w.save(); err != nil {
		return fmt.Errorf("write workbook %s: %w", w.path, err)
	}
	return commitTemp(w.tmp, w.path)
}

// finishSheets fills the sheets that depend on the end of the run and
// flushes every sheet.
func (w *xlsxWriter) finishSheets(run Run, sum *Summary, rejected []Rejection) error {
	if err := w.beginData(); err != nil {
		return err
	}
	if err := w.writeRejected(rejected); err != nil {
		return err
	}
	if err := w.writeSummary(run, sum); err != nil {
		return err
	}

	for _, s := range []*sheetSeries{w.results, w.admins, w.still, w.attention, w.rejected} {
		if s == nil {
			continue
		}
		if err := s.finish(pageLayoutFor(s.base, run, w.tool)); err != nil {
			return err
		}
	}

	// The Summary sheet stays active as the first sheet of NewFile. Do not
	// call SetActiveSheet here: it reads every worksheet back, and for a
	// flushed stream sheet that means parsing all its rows into memory.
	return w.file.SetDocProps(&excelize.DocProperties{
		Creator:     w.tool.Name + " " + w.tool.Version,
		Title:       modeTitle(run.Mode) + " " + formatTime(run.StartedAt),
		Description: "Mode " + run.Mode + "; input " + run.Input.Path,
	})
}

// save writes the workbook into w.tmp. excelize's File.Write assembles the
// whole ZIP archive in memory before writing it out. The ZIP writer set here
// writes to the file instead, so memory stays flat for a million rows.
//
// NOTE: this relies on File.WriteToBuffer in excelize v2.11.1 creating the
// archive only through File.ZipWriter and leaving the buffer it passes empty.
// Its fix-up of ZIP64 local headers then sees nothing, so markZip64Headers
// repeats it on the file.
func (w *xlsxWriter) save() error {
	archive := zip.NewWriter(w.tmp)
	// Deflate level 2 instead of the default 5, because compression is the
	// largest cost of a big workbook. Level 2 wrote a million rows about a
	// fifth faster into a file about a quarter larger ("make bench" on a
	// 2-core machine, recorded in BENCHMARKS.md).
	archive.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, 2)
	})
	w.file.SetZipWriter(func(io.Writer) excelize.ZipWriter { return archive })

	if err := w.file.Write(io.Discard); err != nil {
		return err
	}
	return markZip64Headers(w.tmp, math.MaxUint32)
}

// Abort discards the workbook and its temporary files. It does nothing after
// Commit.
func (w *xlsxWriter) Abort() error {
	if w.closed {
		return nil
	}
	w.closed = true

	err := w.file.Close()
	if tmpErr := discardTemp(w.tmp); err == nil {
		err = tmpErr
	}
	if err != nil {
		return fmt.Errorf("abort workbook %s: %w", w.path, err)
	}
	return nil
}
