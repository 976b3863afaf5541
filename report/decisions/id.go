package decisions

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// maxDecimalID is the largest ID accepted in decimal notation such as
// 5001.0 or 5.001E+3. Spreadsheets hold numbers as IEEE doubles and keep 15
// significant digits, so a longer number may have been rounded. The report
// package writes such IDs as text for the same reason.
const maxDecimalID = 999_999_999_999_999

// parseID returns the ID stored in a cell. role names the column in the
// message, such as "account ID". value is the stored value of the cell. On
// failure parseID returns a reason that shows the value and the fix.
func parseID(role, value string) (int64, string) {
	s := strings.TrimSpace(value)
	if s == "" {
		return 0, role + " is empty, but the row has a decision; restore the ID or clear the decision"
	}

	if allDigits(s) {
		return parseDigits(role, s)
	}
	if isDecimal(s) {
		return parseDecimal(role, s)
	}
	return 0, fmt.Sprintf("%s %s is not a positive whole number; restore the ID from the audit input", role, quote(value))
}

// parseDigits parses an ID written in digits only, leading zeros allowed.
func parseDigits(role, s string) (int64, string) {
	id, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil:
		return 0, fmt.Sprintf("%s %s is larger than %d, the largest ID; restore the ID from the audit input", role, s, int64(math.MaxInt64))
	case id == 0:
		return 0, fmt.Sprintf("%s %s is not positive; restore the ID from the audit input", role, s)
	}
	return id, ""
}

// parseDecimal parses an ID that a spreadsheet stored as a decimal number,
// such as 5001.0 or 5.001E+3. The value must be a positive whole number of
// at most 15 digits.
func parseDecimal(role, s string) (int64, string) {
	// isDecimal has ruled out syntax errors. A range error returns 0 or +Inf,
	// which the checks below reject.
	v, _ := strconv.ParseFloat(s, 64)
	switch {
	case v != math.Trunc(v):
		return 0, fmt.Sprintf("%s %s is not a whole number; restore the ID from the audit input", role, s)
	case v < 1:
		return 0, fmt.Sprintf("%s %s is not positive; restore the ID from the audit input", role, s)
	case v > maxDecimalID:
		return 0, fmt.Sprintf("%s %s has more than 15 digits, which a spreadsheet number may have rounded; "+
			"format the cell as text and type the ID from the audit input", role, s)
	}
	return int64(v), ""
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// isDecimal reports whether s is an unsigned decimal number with a fraction,
// an exponent or both: digits, an optional '.' with more digits, and an
// optional exponent such as E+3 or e-2. It rejects what ParseFloat also
// accepts but no spreadsheet stores: signs, hexadecimal, '_', Inf and NaN.
func isDecimal(s string) bool {
	mantissa, exponent, hasExponent := strings.Cut(strings.ToUpper(s), "E")
	whole, fraction, _ := strings.Cut(mantissa, ".")
	if whole == "" && fraction == "" {
		return false
	}
	if (whole != "" && !allDigits(whole)) || (fraction != "" && !allDigits(fraction)) {
		return false
	}
	if !hasExponent {
		return true
	}

	exponent = strings.TrimPrefix(strings.TrimPrefix(exponent, "+"), "-")
	return allDigits(exponent)
}
