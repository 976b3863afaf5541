package input

import "testing"

func TestParseID(t *testing.T) {
	tests := []struct {
		value string
		want  int64
		kind  idKind
	}{
		{"1", 1, idValid},
		{"42", 42, idValid},
		{"007", 7, idValid},
		{"9223372036854775807", 9223372036854775807, idValid},
		{"00000000000000000000009223372036854775807", 9223372036854775807, idValid},
		{"9223372036854775808", 0, idOverflow},
		{"18446744073709551616", 0, idOverflow},
		{"99999999999999999999999999", 0, idOverflow},
		{"", 0, idMissing},
		{"0", 0, idZero},
		{"0000", 0, idZero},
		{"-0", 0, idZero},
		{"-7", 0, idNegative},
		{"+7", 0, idSign},
		{"1.23E+11", 0, idScientific},
		{"1,23E+11", 0, idScientific},
		{"1E11", 0, idScientific},
		{"4.5e-3", 0, idScientific},
		{"E5", 0, idNotInteger},
		{"1e", 0, idNotInteger},
		{"5,003", 0, idThousands},
		{"5,000", 0, idThousands},
		{"12,345,678", 0, idThousands},
		{"5 003", 0, idThousands},
		{"5\u00a0003", 0, idThousands},
		{"5\u202f003", 0, idThousands},
		{"5'003", 0, idThousands},
		{"1.234.567", 0, idThousands},
		{"5.003", 0, idThousandsOrDecimal},
		{"5.000", 0, idThousandsOrDecimal},
		{"5001.0", 0, idDecimal},
		{"5001,00", 0, idDecimal},
		{"5001.", 0, idDecimal},
		{"5001.000", 0, idDecimal},
		{"5001.5", 0, idNotInteger},
		{"50,03", 0, idNotInteger},
		{"5,0003", 0, idNotInteger},
		{"'5001", 0, idApostrophe},
		{`="5001"`, 0, idFormula},
		{`="`, 0, idNotInteger},
		{`=""`, 0, idNotInteger},
		{"0x1F", 0, idNotInteger},
		{"١٢٣", 0, idNotInteger},
		{"abc", 0, idNotInteger},
		{"-", 0, idNotInteger},
		{"1 2", 0, idNotInteger},
	}
	for _, tc := range tests {
		t.Run(tc.value, func(t *testing.T) {
			got, kind := parseID([]byte(tc.value))
			if got != tc.want || kind != tc.kind {
				t.Errorf("parseID(%q) = %d, kind %d; want %d, kind %d", tc.value, got, kind, tc.want, tc.kind)
			}
		})
	}
}
