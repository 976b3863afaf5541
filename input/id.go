package input

import (
	"fmt"
	"math"
	"strings"
)

// idKind is the problem with an ID field, or idValid when there is none.
type idKind int

const (
	idValid idKind = iota
	idMissing
	idZero
	idNegative
	idOverflow
	idScientific
	idThousands
	idThousandsOrDecimal
	idDecimal
	idApostrophe
	idFormula
	idSign
	idNotInteger
)

// parseID parses an account or user ID: digits only, leading zeros allowed, at least 1
// and at most math.MaxInt64. On failure it returns the kind of problem.
func parseID(b []byte) (int64, idKind) {
	if len(b) == 0 {
		return 0, idMissing
	}

	var v uint64
	overflow := false
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, classifyNonDigits(string(b))
		}
		d := uint64(c - '0')
		if v > (math.MaxInt64-d)/10 {
			overflow = true
		}
		v = v*10 + d
	}

	switch {
	case overflow:
		return 0, idOverflow
	case v == 0:
		return 0, idZero
	}
	return int64(v), idValid
}

// validID reports whether b is a valid ID.
func validID(b []byte) bool {
	_, kind := parseID(b)
	return kind == idValid
}

// classifyNonDigits finds the spreadsheet habit behind an ID that is not digits only.
func classifyNonDigits(s string) idKind {
	switch {
	case s[0] == '-' && allDigits(s[1:]):
		if strings.Trim(s[1:], "0") == "" {
			return idZero
		}
		return idNegative
	case s[0] == '+' && allDigits(s[1:]):
		return idSign
	case isScientific(s):
		return idScientific
	case isDecimal(s):
		return idDecimal
	}

	if kind, ok := thousandsKind(s); ok {
		return kind
	}

	switch {
	case s[0] == '\'' && allDigits(s[1:]):
		return idApostrophe
	case len(s) > 3 && strings.HasPrefix(s, `="`) && strings.HasSuffix(s, `"`) && allDigits(s[2:len(s)-1]):
		return idFormula
	}
	return idNotInteger
}

// isScientific reports whether s is a number in scientific notation such as 1.23E+11
// or, with a decimal comma, 1,23E+11.
func isScientific(s string) bool {
	mantissa, exponent, ok := cutAny(s, "eE")
	if !ok {
		return false
	}
	if exponent != "" && (exponent[0] == '+' || exponent[0] == '-') {
		exponent = exponent[1:]
	}
	whole, fraction, hasPoint := cutAny(mantissa, ".,")
	return allDigits(whole) && allDigits(exponent) && (!hasPoint || allDigits(fraction))
}

// isDecimal reports whether s is an integer with a decimal part of zeros, such as 5001.0
// or 5001,00, as a spreadsheet writes a number column formatted with decimals. A single
// group of three zeros, as in 5,000, is read as a thousands separator instead.
func isDecimal(s string) bool {
	whole, fraction, ok := cutAny(s, ".,")
	if !ok || !allDigits(whole) || strings.Trim(fraction, "0") != "" {
		return false
	}
	return !(len(whole) <= 3 && len(fraction) == 3)
}

// thousandsSeparators are the characters spreadsheets group digits with: comma, point,
// space, no-break space, narrow no-break space and apostrophe.
var thousandsSeparators = []rune{',', '.', ' ', '\u00a0', '\u202f', '\''}

// thousandsKind reports whether s is digits grouped by a thousands separator, such as
// 5,003, 1 234 567 or 5.003. A point with a single group may also be a decimal point.
func thousandsKind(s string) (idKind, bool) {
	for _, sep := range thousandsSeparators {
		groups := strings.Split(s, string(sep))
		if len(groups) < 2 || !digitGroups(groups) {
			continue
		}
		if sep == '.' && len(groups) == 2 {
			return idThousandsOrDecimal, true
		}
		return idThousands, true
	}
	return 0, false
}

// digitGroups reports whether groups are the digits of a number grouped by thousands:
// one to three digits, then groups of exactly three.
func digitGroups(groups []string) bool {
	if len(groups[0]) == 0 || len(groups[0]) > 3 || !allDigits(groups[0]) {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !allDigits(g) {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// cutAny cuts s around the first byte that is in chars.
func cutAny(s, chars string) (before, after string, found bool) {
	i := strings.IndexAny(s, chars)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

// exportAdvice ends the reasons for IDs that a spreadsheet has reformatted.
const exportAdvice = "format the column as Text or as Number with 0 decimals and export again"

// idProblem words the rejection reason for an ID. role is "account ID" or "user ID";
// column names the column, as `column "client_id"` or "column 1".
func idProblem(role, column string, value []byte, kind idKind) string {
	v := quoteValue(value)
	switch kind {
	case idMissing:
		return fmt.Sprintf("%s is missing (%s is empty); fill it in or remove the row", role, column)
	case idZero:
		return fmt.Sprintf("%s %s is zero; IDs start at 1, so check the value", role, v)
	case idNegative:
		return fmt.Sprintf("%s %s is negative; IDs are positive integers, so check the value", role, v)
	case idOverflow:
		return fmt.Sprintf("%s %s is larger than the maximum %d; check the value", role, v, int64(math.MaxInt64))
	case idScientific:
		return fmt.Sprintf("%s %s is in scientific notation, which a spreadsheet writes for long numbers; %s",
			role, v, exportAdvice)
	case idThousands:
		return fmt.Sprintf("%s %s contains a thousands separator; %s", role, v, exportAdvice)
	case idThousandsOrDecimal:
		return fmt.Sprintf("%s %s contains a thousands separator or a decimal point; %s", role, v, exportAdvice)
	case idDecimal:
		return fmt.Sprintf("%s %s has a decimal part; %s", role, v, exportAdvice)
	case idApostrophe:
		return fmt.Sprintf("%s %s starts with an apostrophe, a spreadsheet's mark for text; remove the apostrophe",
			role, v)
	case idFormula:
		return fmt.Sprintf("%s %s is a spreadsheet formula; write the digits only", role, v)
	case idSign:
		return fmt.Sprintf("%s %s has a plus sign; write the digits only", role, v)
	}
	return fmt.Sprintf("%s %s is not an integer; write the ID with digits only", role, v)
}

// quoteValue quotes a field value for a message, shortened to 40 characters.
func quoteValue(value []byte) string {
	return fmt.Sprintf("%q", shorten(string(value), 40))
}
