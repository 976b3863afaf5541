package report

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
)

// fitToPage is the sheet property that makes a spreadsheet program use the
// fit-to-page counts of the page set-up instead of its scale.
var fitToPage = true

// Page margins in inches: narrow at the sides to give the columns room, and
// enough at the top and bottom for the page header and footer.
var pageMargins = excelize.PageLayoutMarginsOptions{
	Left:   ptrTo(0.4),
	Right:  ptrTo(0.4),
	Top:    ptrTo(0.7),
	Bottom: ptrTo(0.7),
	Header: ptrTo(0.3),
	Footer: ptrTo(0.3),
}

// pageLayout is how one sheet prints: always landscape, with a page header
// and footer. A data sheet fits all its columns on one page across and runs
// down as many pages as it needs, with its header row repeated. The Summary
// sheet prints at a fixed scale instead, because a spreadsheet program
// ignores manual page breaks when fitting to pages.
type pageLayout struct {
	scale  uint   // percent; 0 fits the columns to one page across
	header string // header text in the codes of excelize.HeaderFooterOptions
	footer string // footer text in the same codes
}

// setPageLayout applies layout to the sheet. The sheet's fit-to-page
// property must already be set for a layout with scale 0, because a stream
// writer writes sheet properties when it opens.
func setPageLayout(f *excelize.File, sheet string, layout pageLayout) error {
	orientation := "landscape"
	opts := &excelize.PageLayoutOptions{Orientation: &orientation}
	if layout.scale > 0 {
		opts.AdjustTo = &layout.scale
	} else {
		across, down := 1, 0 // 0 pages down: as many as needed
		opts.FitToWidth, opts.FitToHeight = &across, &down
	}

	if err := f.SetPageLayout(sheet, opts); err != nil {
		return fmt.Errorf("set page layout of sheet %q: %w", sheet, err)
	}
	if err := f.SetPageMargins(sheet, &pageMargins); err != nil {
		return fmt.Errorf("set page margins of sheet %q: %w", sheet, err)
	}
	err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddHeader: layout.header, OddFooter: layout.footer})
	if err != nil {
		return fmt.Errorf("set page header of sheet %q: %w", sheet, err)
	}
	return nil
}

// setPrintTitles repeats the first rows of the sheet at the top of every
// printed page.
func setPrintTitles(f *excelize.File, sheet string, rows int) error {
	err := f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("%s!$1:$%d", quoteSheet(sheet), rows),
		Scope:    sheet,
	})
	if err != nil {
		return fmt.Errorf("repeat the header of sheet %q on every page: %w", sheet, err)
	}
	return nil
}

// quoteSheet returns a sheet name quoted for a cell reference.
func quoteSheet(sheet string) string {
	return "'" + strings.ReplaceAll(sheet, "'", "''") + "'"
}

// sheetPurpose describes each sheet in its page header.
var sheetPurpose = map[string]string{
	SheetSummary:        "What the run found",
	SheetResults:        "Every audited pair",
	SheetAdministrators: "Administrators: review each one",
	SheetStillHasAccess: "Findings: these users are still in the account",
	SheetNeedsAttention: "Coverage gaps: forbidden (403) and error, group unknown",
	SheetRejected:       "Input rows that were not audited",
}

// modeTitle names the kind of run in titles and page footers.
func modeTitle(mode string) string {
	if mode == ModeOffboarding {
		return "Offboarding sweep"
	}
	return "Access audit"
}

// pageLayoutFor returns the page layout of the sheets of series base. The
// header names the sheet, its purpose and the page; the footer names the
// run, the tool and the input file.
func pageLayoutFor(base string, run Run, tool Tool) pageLayout {
	header := `&L&"-,Bold"&A&C` + headerText(sheetPurpose[base]) + `&RPage &P of &N`
	footer := "&L" + headerText(modeTitle(run.Mode)+", started "+formatTime(run.StartedAt)) +
		"&R" + headerText(tool.Name+" "+tool.Version+", input "+inputBase(run.Input.Path))

	layout := pageLayout{header: header, footer: footer}
	if base == SheetSummary {
		layout.scale = summaryScale
	}
	return layout
}

// maxHeaderText is the longest text put into one section of a page header
// or footer, in UTF-16 code units. excelize rejects a header or footer of
// more than 255 units (MaxFieldLength), and the footer holds two sections
// of text besides its codes.
const maxHeaderText = 100

// headerText returns s ready for a page header or footer section, with "&"
// doubled so that text from the input is never read as a header code. Text
// longer than maxHeaderText units after the doubling is cut and ends in "…".
func headerText(s string) string {
	var b strings.Builder
	units := 0
	for _, r := range cellText(s) {
		piece := string(r)
		if r == '&' {
			piece = "&&"
		}
		n := utf16Len(piece)
		if units+n > maxHeaderText-1 {
			b.WriteString("…")
			break
		}
		b.WriteString(piece)
		units += n
	}
	return b.String()
}

// inputBase returns the file name of the input path for the page footer.
func inputBase(path string) string {
	if path == "-" {
		return "standard input"
	}
	return filepath.Base(path)
}

func ptrTo[T any](v T) *T { return &v }
