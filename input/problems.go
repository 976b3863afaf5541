package input

import (
	"fmt"
	"strings"
)

// The functions below word the reasons for rejecting rows that are not valid CSV or have
// too many fields. Each reason names the place and the fix.

func bareQuoteProblem(field, line, col int, value []byte) string {
	return fmt.Sprintf("field %d (%q) contains a quote at line %d, column %d, but does not start with one; "+
		"enclose the field in quotes and double each quote inside it, or remove the quote",
		field, trimSpace(value), line, col)
}

func unclosedQuoteProblem(field, openLine, openColumn, lastLine int) string {
	if lastLine == openLine {
		return fmt.Sprintf("the quote that opens field %d at line %d, column %d is not closed before the end of the file; "+
			"close the quote, or double each quote inside a quoted field",
			field, openLine, openColumn)
	}
	return fmt.Sprintf("the quote that opens field %d at line %d, column %d is not closed before the end of the file, "+
		"so lines %d to %d were read as one field; close the quote, or double each quote inside a quoted field",
		field, openLine, openColumn, openLine, lastLine)
}

func textAfterQuoteProblem(field, openLine, line, col int, rest []byte) string {
	spanned := ""
	if line != openLine {
		spanned = fmt.Sprintf(", and the quoted field runs from line %d to line %d", openLine, line)
	}
	return fmt.Sprintf("field %d has text (%q) after its closing quote at line %d, column %d%s; "+
		"double each quote inside a quoted field, or put a delimiter after the closing quote",
		field, shorten(string(rest), 20), line, col, spanned)
}

func tooLongProblem(r *record) string {
	lines := fmt.Sprintf("line %d", r.line)
	if r.lastLine != r.line {
		lines = fmt.Sprintf("lines %d to %d", r.line, r.lastLine)
	}
	return fmt.Sprintf("row on %s is longer than 1 MiB (%d bytes); check for a missing line end or an unclosed quote",
		lines, maxRowBytes)
}

// tooWideProblem words the rejection of a row with a value past the last column.
func tooWideProblem(l *layout, width int, value []byte) string {
	if l.headerLine > 0 {
		return fmt.Sprintf("row has a value in field %d (%q) but the header has %d columns (%s); "+
			"remove the extra fields or name the column in the header",
			width, shorten(string(value), 40), l.width, shorten(strings.Join(l.headerNames, ", "), 200))
	}
	return fmt.Sprintf("row has a value in field %d (%q) but the first data row (line %d) has %d fields, "+
		"which sets the column count of a file without a header; remove the extra fields or add a header row naming every column",
		width, shorten(string(value), 40), l.widthLine, l.width)
}

// shorten cuts s to at most n characters, ending it with "…" when cut.
func shorten(s string, n int) string {
	count := 0
	for i := range s {
		if count == n {
			return s[:i] + "…"
		}
		count++
	}
	return s
}
