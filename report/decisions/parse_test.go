package decisions

import (
	"strings"
	"testing"
)

func TestParseAction(t *testing.T) {
	tests := []struct {
		value string
		want  Action
		ok    bool
	}{
		{"Keep", Keep, true},
		{"keep", Keep, true},
		{" KEEP\t", Keep, true},
		{"Revoke", Revoke, true},
		{"rEvOkE\n", Revoke, true},
		{"Change group", ChangeGroup, true},
		{"change   GROUP", ChangeGroup, true},
		{"\u00a0Change\u00a0group\u00a0", ChangeGroup, true},
		{"Change\ngroup", ChangeGroup, true},
		{"Changegroup", "", false},
		{"Change-group", "", false},
		{"Revoked", "", false},
		{"Remove", "", false},
		{"1", "", false},
		{"TRUE", "", false},
		{"", "", false},
		{"Keep Revoke", "", false},
	}
	for _, tt := range tests {
		got, ok := parseAction(tt.value)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseAction(%q) = %q, %v; want %q, %v", tt.value, got, ok, tt.want, tt.ok)
		}
	}
}

func TestActionRequestsChange(t *testing.T) {
	for a, want := range map[Action]bool{Keep: false, Revoke: true, ChangeGroup: true, "": false} {
		if got := a.RequestsChange(); got != want {
			t.Errorf("%q.RequestsChange() = %v, want %v", a, got, want)
		}
	}
}

func TestParseID(t *testing.T) {
	tests := []struct {
		value  string
		want   int64
		reason string // part of the reason; empty when the ID is valid
	}{
		{"5001", 5001, ""},
		{"005001", 5001, ""},
		{" 5001 ", 5001, ""},
		{"5001.0", 5001, ""},
		{"5001.", 5001, ""},
		{"5.001E+3", 5001, ""},
		{"5.001e3", 5001, ""},
		{"500100E-2", 5001, ""},
		{"999999999999999", 999999999999999, ""},
		{"9.99999999999999E+14", 999999999999999, ""},
		{"1234567890123456", 1234567890123456, ""},
		{"9223372036854775807", 9223372036854775807, ""},
		{"", 0, "account ID is empty"},
		{"   ", 0, "account ID is empty"},
		{"0", 0, "account ID 0 is not positive"},
		{"0.0", 0, "account ID 0.0 is not positive"},
		{"1e-400", 0, "not positive"},
		{"9223372036854775808", 0, "is larger than 9223372036854775807"},
		{"5001.5", 0, "account ID 5001.5 is not a whole number"},
		{"5.0015E+3", 0, "is not a whole number"},
		{"1.23E+15", 0, "has more than 15 digits"},
		{"1e400", 0, "has more than 15 digits"},
		{"1000000000000000.0", 0, "has more than 15 digits"},
		{"-5001", 0, `account ID "-5001" is not a positive whole number`},
		{"+5001", 0, "is not a positive whole number"},
		{"5,001", 0, "is not a positive whole number"},
		{"5 001", 0, "is not a positive whole number"},
		{"0x1389", 0, "is not a positive whole number"},
		{"5_001", 0, "is not a positive whole number"},
		{"Inf", 0, "is not a positive whole number"},
		{"NaN", 0, "is not a positive whole number"},
		{".", 0, "is not a positive whole number"},
		{"E5", 0, "is not a positive whole number"},
		{"5E", 0, "is not a positive whole number"},
		{"5E+", 0, "is not a positive whole number"},
		{"5.0.0", 0, "is not a positive whole number"},
		{"'5001", 0, "is not a positive whole number"},
		{"abc", 0, `account ID "abc" is not a positive whole number`},
	}
	for _, tt := range tests {
		got, reason := parseID("account ID", tt.value)
		switch {
		case tt.reason == "" && (got != tt.want || reason != ""):
			t.Errorf("parseID(%q) = %d, %q; want %d", tt.value, got, reason, tt.want)
		case tt.reason != "" && (got != 0 || !strings.Contains(reason, tt.reason)):
			t.Errorf("parseID(%q) = %d, %q; want a reason with %q", tt.value, got, reason, tt.reason)
		}
	}
}

func TestQuoteSheet(t *testing.T) {
	tests := map[string]string{
		"Results":          "Results",
		"Administrators":   "Administrators",
		"Sheet_2":          "Sheet_2",
		"Results (2)":      "'Results (2)'",
		"Still has access": "'Still has access'",
		"2024":             "'2024'",
		"A1":               "'A1'",
		"XFD1048576":       "'XFD1048576'",
		"Bob's":            "'Bob''s'",
		"Ärger":            "'Ärger'",
	}
	for name, want := range tests {
		if got := quoteSheet(name); got != want {
			t.Errorf("quoteSheet(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestCellName(t *testing.T) {
	if got, want := cellName("Results", 16, 2), "Results!Q2"; got != want {
		t.Errorf("cellName = %q, want %q", got, want)
	}
	if got, want := cellName("Results (2)", 0, 1048576), "'Results (2)'!A1048576"; got != want {
		t.Errorf("cellName = %q, want %q", got, want)
	}
}

func TestSeriesNumber(t *testing.T) {
	tests := []struct {
		name string
		want int
		ok   bool
	}{
		{"Results", 1, true},
		{"Results (2)", 2, true},
		{"Results (12)", 12, true},
		{"Results (1)", 0, false},
		{"Results (0)", 0, false},
		{"Results (02)", 0, false},
		{"Results (-2)", 0, false},
		{"Results (+2)", 0, false},
		{"Results(2)", 0, false},
		{"Results (2) ", 0, false},
		{"Results copy", 0, false},
		{"results", 0, false},
		{"Administrators (2)", 0, false},
	}
	for _, tt := range tests {
		n, ok := seriesNumber(tt.name, "Results")
		if n != tt.want || ok != tt.ok {
			t.Errorf("seriesNumber(%q) = %d, %v; want %d, %v", tt.name, n, ok, tt.want, tt.ok)
		}
	}
}

func TestSeriesSheetsOrder(t *testing.T) {
	sheets := []string{"Summary", "Results (3)", "Results", "Administrators", "Results (10)", "Results (2)", "Results x"}
	got := seriesSheets(sheets, "Results")
	want := []string{"Results", "Results (2)", "Results (3)", "Results (10)"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("seriesSheets = %q, want %q", got, want)
	}
}

func TestQuoteCutsLongValues(t *testing.T) {
	long := strings.Repeat("é", maxQuoted+5)
	tests := map[string]string{
		"Remove":           `"Remove"`,
		"tab\there":        `"tab\there"`,
		long[:2*maxQuoted]: `"` + long[:2*maxQuoted] + `"`,
		long:               `"` + long[:2*maxQuoted] + `"…`,
	}
	for value, want := range tests {
		if got := quote(value); got != want {
			t.Errorf("quote(%q) = %q, want %q", value, got, want)
		}
	}
}
