package report

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCellText(t *testing.T) {
	emoji := "😀" // two UTF-16 units
	tests := []struct {
		name string
		in   string
		want string // checked exactly unless wantCut
		cut  bool
	}{
		{name: "plain", in: "alice@example.com", want: "alice@example.com"},
		{name: "formula-like unchanged", in: "=SUM(A1)", want: "=SUM(A1)"},
		{name: "tab newline return kept", in: "a\tb\nc\rd", want: "a\tb\nc\rd"},
		{name: "control characters", in: "a\x00b\x1fc\x0bd", want: "a\uFFFDb\uFFFDc\uFFFDd"},
		{name: "noncharacters", in: "a\uFFFEb\uFFFFc", want: "a\uFFFDb\uFFFDc"},
		{name: "invalid UTF-8", in: "a\xffb\xc3", want: "a\uFFFDb\uFFFD"},
		{name: "exactly at the limit", in: strings.Repeat("x", maxCellUnits), want: strings.Repeat("x", maxCellUnits)},
		{name: "emoji at the limit", in: strings.Repeat(emoji, maxCellUnits/2) + "x", want: strings.Repeat(emoji, maxCellUnits/2) + "x"},
		{name: "one past the limit", in: strings.Repeat("x", maxCellUnits+1), cut: true},
		{name: "emoji past the limit", in: strings.Repeat(emoji, maxCellUnits), cut: true},
		{name: "long with forbidden", in: strings.Repeat("\x01é", maxCellUnits), cut: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cellText(tt.in)
			if units := utf16Len(got); units > maxCellUnits {
				t.Fatalf("result has %d UTF-16 units, want at most %d", units, maxCellUnits)
			}
			if !tt.cut {
				if got != tt.want {
					t.Errorf("cellText = %q, want %q", abbreviate(got), abbreviate(tt.want))
				}
				return
			}

			marker := "… [cut: full text of " + strconv.Itoa(utf8.RuneCountInString(tt.in)) + " characters in the JSON report]"
			if !strings.HasSuffix(got, marker) {
				t.Errorf("cut text ends with %q, want marker %q", abbreviate(got[len(got)-80:]), marker)
			}
			if !utf8.ValidString(got) {
				t.Error("cut text is not valid UTF-8")
			}
			kept := strings.TrimSuffix(got, marker)
			if clean := replaceForbidden(tt.in); !strings.HasPrefix(clean, kept) {
				t.Error("cut text is not a prefix of the cleaned input")
			}
			if utf16Len(got) < maxCellUnits-1 {
				t.Errorf("cut text has %d units, want the cell filled to within one unit of %d", utf16Len(got), maxCellUnits)
			}
		})
	}
}

func abbreviate(s string) string {
	if len(s) > 60 {
		return s[:30] + "…" + s[len(s)-30:]
	}
	return s
}

func TestIDValue(t *testing.T) {
	tests := []struct {
		id   int64
		want any
	}{
		{1, int64(1)},
		{999_999_999_999_999, int64(999_999_999_999_999)},
		{1_000_000_000_000_000, "1000000000000000"},
		{9_223_372_036_854_775_807, "9223372036854775807"},
	}
	for _, tt := range tests {
		if got := idValue(tt.id); got != tt.want {
			t.Errorf("idValue(%d) = %#v, want %#v", tt.id, got, tt.want)
		}
	}
}

func FuzzCellText(f *testing.F) {
	for _, seed := range []string{"", "abc", "=1+1", "\x00\xff", "\uFFFE", "a\tb\r\n", "😀é"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := cellText(in)

		if !utf8.ValidString(got) {
			t.Fatalf("cellText(%q) is not valid UTF-8", abbreviate(in))
		}
		for _, r := range got {
			if !xmlAllowed(r) {
				t.Fatalf("cellText(%q) contains %U, which XML 1.0 forbids", abbreviate(in), r)
			}
		}
		if utf16Len(got) > maxCellUnits {
			t.Fatalf("cellText(%q) has %d UTF-16 units", abbreviate(in), utf16Len(got))
		}
		if fitsCell(in) && got != in {
			t.Fatalf("cellText changed clean short text %q", abbreviate(in))
		}
		if utf8.RuneCountInString(in) == utf8.RuneCountInString(got) && got != replaceForbidden(in) {
			t.Fatalf("uncut text %q is not the cleaned input", abbreviate(in))
		}
	})
}
