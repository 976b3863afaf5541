package report

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// numFmtInteger is Excel's built-in number format "0": IDs show every digit
// instead of switching to scientific notation past 11 digits.
const numFmtInteger = 1

// styles holds the style IDs of the workbook.
type styles struct {
	header  int // bold on a grey fill, for header rows
	heading int // bold, for the section titles on the Summary sheet
	id      int // whole number without scientific notation
	admin   int // fill that marks an administrator row
	adminID int // administrator fill with the id number format
}

// newStyles registers the styles in f.
func newStyles(f *excelize.File) (styles, error) {
	adminFill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FCE4D6"}}

	var s styles
	var err error
	add := func(id *int, style excelize.Style) {
		if err == nil {
			*id, err = f.NewStyle(&style)
		}
	}

	add(&s.header, excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center"},
	})
	add(&s.heading, excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}})
	add(&s.id, excelize.Style{NumFmt: numFmtInteger})
	add(&s.admin, excelize.Style{Fill: adminFill})
	add(&s.adminID, excelize.Style{Fill: adminFill, NumFmt: numFmtInteger})

	if err != nil {
		return styles{}, fmt.Errorf("create workbook style: %w", err)
	}
	return s, nil
}
