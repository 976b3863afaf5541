package report

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// numFmtInteger is Excel's built-in number format "0": IDs show every digit
// instead of switching to scientific notation past 11 digits.
const numFmtInteger = 1

// Fill colours, as RGB hex. The Summary sheet explains them to the reader.
const (
	colorHeader  = "D9D9D9" // grey: header rows
	colorFinding = "FCE4D6" // orange: administrators, and users who still have access in offboarding mode
	colorGap     = "FFF2CC" // yellow: forbidden and error, the coverage gaps
	colorGood    = "E2EFDA" // green: not_found in offboarding mode, the good result
	colorBad     = "C00000" // red text: an incomplete run
	colorOK      = "375623" // dark green text: a complete run
)

// cellStyles holds the styles of one kind of data row. Every cell is aligned
// to the top left: the top so a row whose long text wraps still reads
// across, the left so an ID never runs into the text beside it.
type cellStyles struct {
	text int // text that stays on one line
	wrap int // text that wraps within the column width
	id   int // whole number without scientific notation
}

// styles holds the style IDs of the workbook.
type styles struct {
	header int // bold on a grey fill, wrapped, for header rows

	plain   cellStyles // an ordinary data row
	finding cellStyles // an administrator, or a user who still has access in offboarding mode
	gap     int        // the Outcome cell of a forbidden or error row
	good    int        // the Outcome cell of a not_found row in offboarding mode

	// Summary sheet.
	title       int // the sheet title
	heading     int // a section title
	note        int // a line of explanation
	statusOK    int // the run status line of a complete run
	statusBad   int // the run status line of an incomplete run
	value       int // a value beside its label, aligned left
	tableHeader int // a header of the per-account table, centred
	tableID     int // an account ID in the per-account table, aligned left
	count       int // a count in the per-account table, centred
	gapCount    int // a count of forbidden or error pairs above zero
	gapText     int // the Coverage cell of an account with a gap
	total       int // the total row of the per-account table
	totalText   int // the label of the total row
}

// newStyles registers the styles in f.
func newStyles(f *excelize.File) (styles, error) {
	fill := func(color string) excelize.Fill {
		return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
	}
	top := &excelize.Alignment{Horizontal: "left", Vertical: "top"}
	wrapTop := &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}
	left := &excelize.Alignment{Horizontal: "left", Vertical: "top"}
	center := &excelize.Alignment{Horizontal: "center"}
	topBorder := []excelize.Border{{Type: "top", Color: "808080", Style: 1}}

	var s styles
	var err error
	add := func(id *int, style excelize.Style) {
		if err == nil {
			*id, err = f.NewStyle(&style)
		}
	}

	add(&s.header, excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      fill(colorHeader),
		Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	})

	add(&s.plain.text, excelize.Style{Alignment: top})
	add(&s.plain.wrap, excelize.Style{Alignment: wrapTop})
	add(&s.plain.id, excelize.Style{NumFmt: numFmtInteger, Alignment: top})
	add(&s.finding.text, excelize.Style{Fill: fill(colorFinding), Alignment: top})
	add(&s.finding.wrap, excelize.Style{Fill: fill(colorFinding), Alignment: wrapTop})
	add(&s.finding.id, excelize.Style{Fill: fill(colorFinding), NumFmt: numFmtInteger, Alignment: top})
	add(&s.gap, excelize.Style{Fill: fill(colorGap), Alignment: top})
	add(&s.good, excelize.Style{Fill: fill(colorGood), Alignment: top})

	add(&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}})
	add(&s.heading, excelize.Style{
		Font:   &excelize.Font{Bold: true, Size: 12},
		Border: []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
	})
	add(&s.note, excelize.Style{})
	add(&s.statusOK, excelize.Style{Font: &excelize.Font{Bold: true, Color: colorOK}})
	add(&s.statusBad, excelize.Style{Font: &excelize.Font{Bold: true, Color: colorBad}})
	add(&s.value, excelize.Style{Alignment: left})
	add(&s.tableID, excelize.Style{NumFmt: numFmtInteger, Alignment: left})
	add(&s.tableHeader, excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      fill(colorHeader),
		Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
	})
	add(&s.count, excelize.Style{Alignment: center})
	add(&s.gapCount, excelize.Style{Fill: fill(colorGap), Alignment: center})
	add(&s.gapText, excelize.Style{Fill: fill(colorGap), Alignment: center})
	add(&s.total, excelize.Style{Font: &excelize.Font{Bold: true}, Border: topBorder, Alignment: center})
	add(&s.totalText, excelize.Style{Font: &excelize.Font{Bold: true}, Border: topBorder, Alignment: &excelize.Alignment{Horizontal: "left"}})

	if err != nil {
		return styles{}, fmt.Errorf("create workbook style: %w", err)
	}
	return s, nil
}
