package report

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// maxCellUnits is the most text a cell holds, in UTF-16 code units, which is
// how Excel counts its 32,767 character limit.
const maxCellUnits = excelize.TotalCellChars

// maxExactID is the largest ID written as a number: spreadsheets hold
// numbers as IEEE doubles, which show 15 significant digits, so a longer ID
// is written as text to keep every digit.
const maxExactID = 999_999_999_999_999

// cellText returns s ready for a worksheet cell. Invalid UTF-8 and characters
// that XML 1.0 forbids become U+FFFD, and text longer than a cell can hold is
// cut and ends with a marker that gives the full length and where to find
// the full text.
func cellText(s string) string {
	if fitsCell(s) {
		return s
	}

	clean := replaceForbidden(s)
	if utf16Len(clean) <= maxCellUnits {
		return clean
	}
	return cutText(clean, utf8.RuneCountInString(clean))
}

// fitsCell reports whether s can be written unchanged: valid UTF-8, only
// characters XML 1.0 allows, and short enough. A string of at most
// maxCellUnits bytes never has more UTF-16 units than that.
func fitsCell(s string) bool {
	if len(s) > maxCellUnits {
		return false
	}
	for _, r := range s {
		if r == utf8.RuneError || !xmlAllowed(r) {
			return false
		}
	}
	return true
}

// replaceForbidden replaces invalid UTF-8 bytes and characters outside the
// XML 1.0 Char production by U+FFFD.
func replaceForbidden(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s { // an invalid byte arrives as utf8.RuneError
		if !xmlAllowed(r) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

// xmlAllowed reports whether XML 1.0 allows r in a document: tab, line feed,
// carriage return, and U+0020 to U+10FFFF without surrogates, U+FFFE and
// U+FFFF.
func xmlAllowed(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20:
		return false
	case r >= 0xD800 && r <= 0xDFFF:
		return false
	case r == 0xFFFE || r == 0xFFFF:
		return false
	}
	return r <= utf8.MaxRune
}

// cutText shortens s, which has runes characters, to fit a cell together
// with the cut marker.
func cutText(s string, runes int) string {
	marker := "… [cut: full text of " + strconv.Itoa(runes) + " characters in the JSON report]"
	keep := maxCellUnits - utf16Len(marker)

	units := 0
	for i, r := range s {
		units += utf16.RuneLen(r)
		if units > keep {
			return s[:i] + marker
		}
	}
	return s + marker
}

// utf16Len returns the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// idValue returns an ID as a number cell value, or as text when it has more
// digits than a spreadsheet number keeps exactly.
func idValue(id int64) any {
	if id > maxExactID || id < -maxExactID {
		return strconv.FormatInt(id, 10)
	}
	return id
}
