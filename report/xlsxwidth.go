package report

import (
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
)

// sizingRows is the number of rows the workbook measures before it fixes the
// column widths of the data sheets. A stream writer needs the widths before
// its first row, so these rows wait in memory until the widths are set.
const sizingRows = 100

// columnSizer picks column widths from the text of the rows it observes:
// wide enough for the longest text seen, within each column's bounds.
type columnSizer struct {
	columns []column
	widest  []float64 // widest text seen per column, in characters
}

func newColumnSizer(columns []column) *columnSizer {
	return &columnSizer{columns: columns, widest: make([]float64, len(columns))}
}

// observe measures one row of cell values, in column order.
func (s *columnSizer) observe(values []any) {
	for i, col := range s.columns {
		if col.maxWidth <= col.width || i >= len(values) {
			continue
		}
		if text, ok := cellString(values[i]); ok {
			s.widest[i] = max(s.widest[i], textWidth(text, col.maxWidth))
		}
	}
}

// widths returns the width of every column: its fixed width, or for a sized
// column the widest text seen plus a margin, between its minimum and maximum
// width. No column is narrower than the longest word of its header plus a
// margin, unless that passes its maximum width, so a header wraps between
// words and never inside one.
func (s *columnSizer) widths() []float64 {
	out := make([]float64, len(s.columns))
	for i, col := range s.columns {
		limit := max(col.width, col.maxWidth)
		w := col.width
		if col.maxWidth > col.width {
			w = min(max(s.widest[i]+2, col.width), col.maxWidth)
		}
		w = max(w, min(longestWord(col.header)+2, limit))
		out[i] = math.Ceil(w*2) / 2 // half characters keep the file tidy
	}
	return out
}

// Row heights in points. A row holds lines of the default font at
// lineHeight each, and spreadsheet programs allow at most maxRowHeight.
const (
	lineHeight   = 15
	maxRowHeight = 409
)

// rowHeight returns the height in points that shows every line of the
// wrapped text cells of a row, or 0 when one line is enough. A stream writer
// must give the height itself, because spreadsheet programs do not fit the
// height of a row to its text when they open a file. The estimate counts
// characters as textWidth does and leaves a margin for word wrapping.
func rowHeight(values []any, columns []column, widths []float64) float64 {
	most := 1
	for i, col := range columns {
		if col.format != formatWrap || i >= len(values) || i >= len(widths) {
			continue
		}
		if text, ok := cellString(values[i]); ok {
			most = max(most, wrappedLines(text, widths[i]-1, maxRowHeight/lineHeight+1))
		}
	}
	if most == 1 {
		return 0
	}
	return float64(min(most*lineHeight, maxRowHeight))
}

// wrappedLines estimates how many lines s takes in a column that holds
// perLine characters, stopping at limit.
func wrappedLines(s string, perLine float64, limit int) int {
	perLine = max(perLine, 1)
	lines := 0
	for line := range strings.SplitSeq(s, "\n") {
		lines += max(1, int(math.Ceil(textWidth(line, perLine*float64(limit))/perLine)))
		if lines >= limit {
			return limit
		}
	}
	return lines
}

// cellString returns the text that a cell value shows: a string as it is
// and a whole number in digits, looking inside an excelize.Cell.
func cellString(v any) (string, bool) {
	if c, ok := v.(excelize.Cell); ok {
		v = c.Value
	}
	switch v := v.(type) {
	case string:
		return v, true
	case int:
		return strconv.Itoa(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	}
	return "", false
}

// textWidth returns the width of the longest line of s in units of column
// width, the width of a digit of the default font. It stops counting at
// limit.
func textWidth(s string, limit float64) float64 {
	var widest, current float64
	for _, r := range s {
		if r == '\n' {
			current = 0
			continue
		}
		current += charWidth(r)
		widest = max(widest, current)
		if widest >= limit {
			return limit
		}
	}
	return widest
}

// charWidth returns the width of r relative to a digit. The values follow
// the advance widths of DejaVu Sans, the font LibreOffice uses where Calibri
// is missing and the wider of the two, rounded up, so that text measured
// here fits in Excel and in LibreOffice alike. East Asian wide characters
// count as two digits.
func charWidth(r rune) float64 {
	if r < 0x80 {
		return asciiWidths[r]
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1.1
}

// asciiWidths holds charWidth for every ASCII character, computed once,
// because row heights and column widths call charWidth for every character
// of every text cell.
var asciiWidths = func() (widths [0x80]float64) {
	for r := range rune(0x80) {
		switch {
		case strings.ContainsRune("ijlIJ.,:;'|!", r):
			widths[r] = 0.5
		case strings.ContainsRune(" frt()[]-/", r):
			widths[r] = 0.65
		case strings.ContainsRune("mwMW@%", r):
			widths[r] = 1.6
		case r >= 'A' && r <= 'Z':
			widths[r] = 1.1
		default:
			widths[r] = 1
		}
	}
	return widths
}()

// longestWord returns the length of the longest space-separated word of s.
func longestWord(s string) float64 {
	var longest float64
	for _, word := range strings.Fields(s) {
		longest = max(longest, textWidth(word, 255))
	}
	return longest
}
