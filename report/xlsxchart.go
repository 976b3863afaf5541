package report

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// groupChart is the chart of users per group and the cell it hangs from.
type groupChart struct {
	anchor string
	chart  *excelize.Chart
}

// Bounds of the chart of users per group. excelize v2.11.1 turns the chart
// size into cell anchors at 8 pixels per character of column width and 18
// pixels per default row of 15 points. Sizes in those units make the chart
// end on a cell border in every program.
const (
	chartMaxGroups = 30 // groups drawn; the table lists every group
	chartFirstCol  = 4  // column D
	chartColPixels = 8  // pixels per character of column width
	chartRowPixels = 18 // pixels per row of the default height
	chartMinRows   = 14
)

// newGroupChart returns a bar chart of the first groups of the groups table,
// to the right of the rows from top to bottom. groupsHeader is the row of
// the table header, and drawn the number of group rows the chart shows.
func newGroupChart(top, bottom, groupsHeader, drawn int) *groupChart {
	sheet := quoteSheet(SheetSummary)
	first, last := groupsHeader+1, groupsHeader+drawn

	title := "Users per group"
	if drawn == chartMaxGroups {
		title = fmt.Sprintf("Users per group (the %d largest)", chartMaxGroups)
	}
	var widthChars float64
	for _, w := range summaryWidths[chartFirstCol-1:] {
		widthChars += w
	}
	visible, vary := true, false
	axisFont := excelize.Font{Color: "404040", Size: 9}

	anchor, _ := excelize.CoordinatesToCellName(chartFirstCol, top)
	return &groupChart{anchor: anchor, chart: &excelize.Chart{
		Type:       excelize.Bar,
		VaryColors: &vary, // one colour for every bar
		Series: []excelize.ChartSeries{{
			Name:       fmt.Sprintf("%s!$B$%d", sheet, groupsHeader),
			Categories: fmt.Sprintf("%s!$A$%d:$A$%d", sheet, first, last),
			Values:     fmt.Sprintf("%s!$B$%d:$B$%d", sheet, first, last),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"4472C4"}},
		}},
		Title:    excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title, Font: &excelize.Font{Bold: true, Size: 12}}}},
		Legend:   excelize.ChartLegend{Position: "none"},
		XAxis:    excelize.ChartAxis{ReverseOrder: true, Font: axisFont}, // first group at the top
		YAxis:    excelize.ChartAxis{MajorGridLines: true, Font: axisFont},
		PlotArea: excelize.ChartPlotArea{ShowVal: true},
		Dimension: excelize.ChartDimension{
			Width:  uint(widthChars*chartColPixels) - 20,
			Height: uint(max(bottom-top+1, chartMinRows) * chartRowPixels),
		},
		Format: excelize.GraphicOptions{OffsetX: 10, PrintObject: &visible},
	}}
}
