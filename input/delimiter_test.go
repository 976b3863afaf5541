package input

import "testing"

func TestParseSepLine(t *testing.T) {
	tests := []struct {
		line  string
		delim byte // 0 when the line is no separator line
	}{
		{"sep=;", ';'},
		{"sep=,", ','},
		{"sep=\t", '\t'},
		{`sep=\t`, '\t'},
		{"SEP=|", '|'},
		{`"sep=;"`, ';'},
		{`"sep=;";;;`, ';'},
		{"sep=;;;", ';'},
		{"  sep=; ", ';'},
		{"sep=", 0},
		{"sep=ab", 0},
		{"sep=\"", 0},
		{"sep=#", 0},
		{"sep=a", 0},
		{`"sep=;`, 0},
		{"sep=;,", 0},
		{"separator=;", 0},
		{"client_id;user_id", 0},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			delim, ok := parseSepLine([]byte(tc.line))
			if ok != (tc.delim != 0) || delim != tc.delim {
				t.Errorf("parseSepLine(%q) = %q, %v; want %q", tc.line, delim, ok, tc.delim)
			}
		})
	}
}

func TestDetectDelimiter(t *testing.T) {
	tests := []struct {
		name   string
		sample string
		atEOF  bool
		want   byte
	}{
		{"comma", "1,2\n3,4\n", true, ','},
		{"semicolon", "1;2\n3;4\n", true, ';'},
		{"tab", "1\t2\n", true, '\t'},
		{"semicolon with thousands", "5,003;42\n5,004;43\n", true, ';'},
		{"semicolon with one good row", "5,003;42\n1;2\n", true, ';'},
		{"comma header with semicolon notes", "client_id,user_id,note\n1,2,a;b\n", true, ','},
		{"semicolon header with comma notes", "client_id;user_id;note\n1;2;a,b\n", true, ';'},
		{"quoted commas in semicolon file", "\"a,b\";1;2\n\"c,d\";3;4\n", true, ';'},
		{"comments and blanks skipped", "# a;b;c;d\n\n1,2\n", true, ','},
		{"nothing splits", "abc\ndef\n", true, ','},
		{"empty", "", true, ','},
		{"partial last line ignored", "1,2\n3,4\n5;6;7;8;9", false, ','},
		{"all invalid but more comma splits", "a,b\nc,d\ne;f\n", true, ','},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := detectDelimiter([]byte(tc.sample), tc.atEOF); got != tc.want {
				t.Errorf("detectDelimiter(%q) = %q, want %q", tc.sample, got, tc.want)
			}
		})
	}
}
