package input

import (
	"errors"
	"strings"
	"testing"
)

// scanCase is one input of the format table and what Scan and Jobs must make of it.
type scanCase struct {
	name  string
	input []byte

	err        []string // parts of the fatal error; nil when Scan must succeed
	delim      rune     // checked when not 0
	encoding   string   // checked when not ""
	headerLine int      // checked when not 0; use noHeader for "no header"
	columns    []string // checked always; nil means none
	jobs       []wantJob
	duplicates int
	rejected   []wantRejection
}

// noHeader is the headerLine of a case whose input must have no header.
const noHeader = -1

// job builds a wantJob. Without columns, the job must have none.
func job(account, user int64, lines []int, columns ...string) wantJob {
	if columns == nil {
		columns = []string{}
	}
	return wantJob{pair: pair(account, user), lines: lines, columns: columns}
}

func at(lines ...int) []int { return lines }

func reject(line int, reason ...string) wantRejection {
	return wantRejection{line: line, reason: reason}
}

// scanCases returns the format table: every rule of the package comment with inputs that
// exercise it.
func scanCases() []scanCase {
	cases := []scanCase{
		// Headers and columns.
		{
			name:       "header comma LF",
			input:      []byte("client_id,user_id,email\n1001,42,alice@example.com\n1001,43,bob@example.com\n"),
			delim:      ',',
			encoding:   EncodingUTF8,
			headerLine: 1,
			columns:    []string{"email"},
			jobs:       []wantJob{job(1001, 42, at(2), "alice@example.com"), job(1001, 43, at(3), "bob@example.com")},
		},
		{
			name:       "no header",
			input:      []byte("1001,42\n1002,43\n"),
			headerLine: noHeader,
			jobs:       []wantJob{job(1001, 42, at(1)), job(1002, 43, at(2))},
		},
		{
			name:       "no header extra columns named by position",
			input:      []byte("1001,42,alice,ops\n1002,43,bob\n"),
			headerLine: noHeader,
			columns:    []string{"column3", "column4"},
			jobs:       []wantJob{job(1001, 42, at(1), "alice", "ops"), job(1002, 43, at(2), "bob", "")},
		},
		{
			name:       "no header first row sets the width",
			input:      []byte("1001,42,alice\n1002,43\n1003,44,carol,late note\n1004,45,,\n"),
			headerLine: noHeader,
			columns:    []string{"column3"},
			jobs:       []wantJob{job(1001, 42, at(1), "alice"), job(1002, 43, at(2), ""), job(1004, 45, at(4), "")},
			rejected:   []wantRejection{reject(4-1, `field 4 ("late note")`, "first data row (line 1) has 3 fields", "add a header row")},
		},
		{
			name:       "no header short first row still has two columns",
			input:      []byte("1001\n1002,43\n"),
			headerLine: noHeader,
			jobs:       []wantJob{job(1002, 43, at(2))},
			rejected:   []wantRejection{reject(1, "user ID is missing (column 2 is empty)")},
		},
		{
			name:       "header columns in any order",
			input:      []byte("email,user,client\nalice@example.com,42,1001\n"),
			headerLine: 1,
			columns:    []string{"email"},
			jobs:       []wantJob{job(1001, 42, at(2), "alice@example.com")},
		},
		{
			name:       "header empty and repeated names",
			input:      []byte("email,Account ID,User,,email\nalice@example.com,1001,42,T-17,primary\n"),
			headerLine: 1,
			columns:    []string{"email", "column4", "email (2)"},
			jobs:       []wantJob{job(1001, 42, at(2), "alice@example.com", "T-17", "primary")},
		},
		{
			name:       "header repeated name three times",
			input:      []byte("client,user,note,note,note,note (2)\n1,2,a,b,c,d\n"),
			columns:    []string{"note", "note (2)", "note (3)", "note (2) (2)"},
			jobs:       []wantJob{job(1, 2, at(2), "a", "b", "c", "d")},
			headerLine: 1,
		},
		{
			name:       "header second ID column is an extra column",
			input:      []byte("client_id,account,user_id\n1,2,3\n"),
			columns:    []string{"account"},
			jobs:       []wantJob{job(1, 3, at(2), "2")},
			headerLine: 1,
		},
		{
			name:       "header trailing empty names ignored",
			input:      []byte("client_id,user_id,email,,\n1,2,a,,\n1,3,b,c\n"),
			columns:    []string{"email"},
			jobs:       []wantJob{job(1, 2, at(2), "a")},
			rejected:   []wantRejection{reject(3, `field 4 ("c")`, "header has 3 columns (client_id, user_id, email)")},
			headerLine: 1,
		},
		{
			name:       "header names trimmed",
			input:      []byte("  client_id , user_id ,  e-mail  \n1,2,x\n"),
			columns:    []string{"e-mail"},
			jobs:       []wantJob{job(1, 2, at(2), "x")},
			headerLine: 1,
		},
		{
			name:  "header without account column",
			input: []byte("id,user_id\n1,2\n"),
			err: []string{"t.csv: line 1", `header "id,user_id"`, "no account column",
				"client_id, clientid, client, account_id, account"},
		},
		{
			name:  "header without user column",
			input: []byte("\n# export\nclient_id,login\n1,2\n"),
			err:   []string{"line 3", "no user column", "user_id, userid, user"},
		},
		{
			name:  "header without both columns",
			input: []byte("email,name\nalice,Alice\n"),
			err:   []string{"no account column", "and no user column", "If line 1 is a data row"},
		},
		{
			name:  "first row of mangled IDs read as header",
			input: []byte("1.23E+11,5.5\n"),
			err:   []string{`header "1.23E+11,5.5"`, "a first row without any valid ID is read as a header"},
		},
		{
			name:       "first row with a valid ID is data",
			input:      []byte("client_id,user_id,2024\n1,2\n"),
			headerLine: noHeader,
			columns:    []string{"column3"},
			jobs:       []wantJob{job(1, 2, at(2), "")},
			rejected:   []wantRejection{reject(1, `row looks like a header ("client_id", "user_id")`, "remove this row")},
		},
		{
			name:       "repeated header rejected",
			input:      []byte("client_id,user_id\n1,2\nclient_id,user_id\n3,4\n"),
			headerLine: 1,
			jobs:       []wantJob{job(1, 2, at(2)), job(3, 4, at(4))},
			rejected:   []wantRejection{reject(3, "row looks like a header", "only the first row")},
		},
		{
			name:       "header only",
			input:      []byte("client_id,user_id\n"),
			headerLine: 1,
		},
		{
			name:       "empty input",
			input:      []byte(""),
			headerLine: noHeader,
			delim:      ',',
		},
		{
			name:       "only comments and blank lines",
			input:      []byte("# nothing yet\n\n   \n;;;\n"),
			headerLine: noHeader,
		},

		// Columns per row.
		{
			name:       "trailing empty fields ignored",
			input:      []byte("client_id,user_id\n1,2,,,\n3,4, , \n"),
			headerLine: 1,
			jobs:       []wantJob{job(1, 2, at(2)), job(3, 4, at(3))},
		},
		{
			name:       "row wider than header rejected",
			input:      []byte("client_id,user_id,email\n1,2,a,extra\n3,4,b,,\n5,6,,,x\n"),
			headerLine: 1,
			columns:    []string{"email"},
			jobs:       []wantJob{job(3, 4, at(3), "b")},
			rejected: []wantRejection{
				reject(2, `field 4 ("extra")`, "header has 3 columns (client_id, user_id, email)", "remove the extra fields"),
				reject(4, `field 5 ("x")`),
			},
		},
		{
			name:       "row shorter than header accepted",
			input:      []byte("client_id,user_id,email,name\n1,2\n3,4,c\n"),
			headerLine: 1,
			columns:    []string{"email", "name"},
			jobs:       []wantJob{job(1, 2, at(2), "", ""), job(3, 4, at(3), "c", "")},
		},
		{
			name:       "row shorter than header without user ID",
			input:      []byte("email,client_id,user_id\na,1\n"),
			headerLine: 1,
			columns:    []string{"email"},
			rejected:   []wantRejection{reject(2, `user ID is missing (column "user_id" is empty)`)},
		},

		// Encodings.
		{
			name:     "UTF-8 BOM",
			input:    []byte("\ufeffclient_id;user_id;name\r\n1001;42;Zoë Ørsted\r\n"),
			encoding: EncodingUTF8BOM,
			delim:    ';',
			columns:  []string{"name"},
			jobs:     []wantJob{job(1001, 42, at(2), "Zoë Ørsted")},
		},
		{
			name:     "UTF-16LE BOM Excel unicode text",
			input:    utf16LE("\ufeffclient_id\tuser_id\tname\r\n1001\t42\t山田 太郎\r\n1001\t43\tZoë\r\n"),
			encoding: EncodingUTF16LEBOM,
			delim:    '\t',
			columns:  []string{"name"},
			jobs:     []wantJob{job(1001, 42, at(2), "山田 太郎"), job(1001, 43, at(3), "Zoë")},
		},
		{
			name:     "UTF-16BE BOM",
			input:    utf16BE("\ufeffclient_id,user_id,name\n1001,42,😀 emoji\n"),
			encoding: EncodingUTF16BEBOM,
			columns:  []string{"name"},
			jobs:     []wantJob{job(1001, 42, at(2), "😀 emoji")},
		},
		{
			name:     "UTF-16LE without BOM",
			input:    utf16LE("client_id,user_id\n1,2\n"),
			encoding: EncodingUTF16LE,
			jobs:     []wantJob{job(1, 2, at(2))},
		},
		{
			name:     "UTF-16BE without BOM",
			input:    utf16BE("1,2\r3,4\r"),
			encoding: EncodingUTF16BE,
			jobs:     []wantJob{job(1, 2, at(1)), job(3, 4, at(2))},
		},
		{
			name:     "UTF-16LE BOM with rejection text decoded",
			input:    utf16LE("\ufeffclient_id;user_id\r\n1,5E+11;42\r\n"),
			encoding: EncodingUTF16LEBOM,
			rejected: []wantRejection{{line: 2, reason: []string{`account ID "1,5E+11" is in scientific notation`}, text: "1,5E+11;42"}},
		},

		// Line ends.
		{
			name:  "line ends CRLF",
			input: []byte("client_id,user_id\r\n1,2\r\n\r\n3,4\r\n"),
			jobs:  []wantJob{job(1, 2, at(2)), job(3, 4, at(4))},
		},
		{
			name:  "line ends lone CR",
			input: []byte("client_id,user_id\r1,2\r\r3,4\r"),
			jobs:  []wantJob{job(1, 2, at(2)), job(3, 4, at(4))},
		},
		{
			name:  "line ends mixed",
			input: []byte("client_id,user_id\n1,2\r\n3,4\r5,6\n\r\n7,8"),
			jobs:  []wantJob{job(1, 2, at(2)), job(3, 4, at(3)), job(5, 6, at(4)), job(7, 8, at(6))},
		},
		{
			name:  "line end CR CR LF is two lines",
			input: []byte("1,2\r\r\n3,4\n"),
			jobs:  []wantJob{job(1, 2, at(1)), job(3, 4, at(3))},
		},
		{
			name:    "quoted line ends become LF",
			input:   []byte("client_id,user_id,note\r\n1,2,\"a\r\nb\rc\nd\"\r\n3,4,e\r\n"),
			columns: []string{"note"},
			jobs:    []wantJob{job(1, 2, at(2), "a\nb\nc\nd"), job(3, 4, at(6), "e")},
		},

		// Separator line.
		{
			name:       "sep line semicolon",
			input:      []byte("sep=;\nclient_id;user_id\n1;2\n"),
			delim:      ';',
			headerLine: 2,
			jobs:       []wantJob{job(1, 2, at(3))},
		},
		{
			name:       "sep line quoted and padded",
			input:      []byte("\"sep=;\";;\r\nclient_id;user_id;note\r\n1;2;a,b\r\n"),
			delim:      ';',
			headerLine: 2,
			columns:    []string{"note"},
			jobs:       []wantJob{job(1, 2, at(3), "a,b")},
		},
		{
			name:       "sep line upper case comma",
			input:      []byte("SEP=,\n1;2,3\n"),
			delim:      ',',
			headerLine: noHeader,
			rejected:   []wantRejection{reject(2, `account ID "1;2" is not an integer`)},
		},
		{
			name:       "sep line tab",
			input:      []byte("sep=\t\n\n1\t2\n"),
			delim:      '\t',
			headerLine: noHeader,
			jobs:       []wantJob{job(1, 2, at(3))},
		},
		{
			name:  "sep line backslash t",
			input: []byte("sep=\\t\n1\t2\n"),
			delim: '\t',
			jobs:  []wantJob{job(1, 2, at(2))},
		},
		{
			name:  "sep line pipe",
			input: []byte("sep=|\nclient|user\n1|2\n"),
			delim: '|',
			jobs:  []wantJob{job(1, 2, at(3))},
		},
		{
			name:       "sep line after BOM",
			input:      []byte("\ufeffsep=;\r\n# comment\r\nclient_id;user_id\r\n1;2\r\n"),
			delim:      ';',
			encoding:   EncodingUTF8BOM,
			headerLine: 3,
			jobs:       []wantJob{job(1, 2, at(4))},
		},
		{
			name:       "sep line in UTF-16LE",
			input:      utf16LE("\ufeffsep=;\r\nclient_id;user_id\r\n1;2\r\n"),
			delim:      ';',
			headerLine: 2,
			jobs:       []wantJob{job(1, 2, at(3))},
		},
		{
			name:  "sep line only on line 1",
			input: []byte("client_id;user_id\nsep=;\n1;2\n"),
			delim: ';',
			jobs:  []wantJob{job(1, 2, at(3))},
			rejected: []wantRejection{{line: 2, reason: []string{`account ID "sep=" is not an integer`,
				"user ID is missing"}, text: "sep=;"}},
		},
		{
			name:  "malformed sep line is a row",
			input: []byte("sep=ab\n1,2\n"),
			err:   []string{`header "sep=ab"`},
		},

		// Delimiter detection.
		{
			name:       "semicolon with thousands separators",
			input:      []byte("5,003;42\n5,004;43\n1;2\n"),
			delim:      ';',
			headerLine: noHeader,
			jobs:       []wantJob{job(1, 2, at(3))},
			rejected: []wantRejection{
				reject(1, `account ID "5,003" contains a thousands separator`, exportAdvice),
				reject(2, `account ID "5,004"`),
			},
		},
		{
			name:    "semicolon with decimal commas in notes",
			input:   []byte("client_id;user_id;score\n1;2;3,5\n3;4;1,25\n"),
			delim:   ';',
			columns: []string{"score"},
			jobs:    []wantJob{job(1, 2, at(2), "3,5"), job(3, 4, at(3), "1,25")},
		},
		{
			name:    "tab with commas and semicolons in notes",
			input:   []byte("client_id\tuser_id\tnote\n1\t2\ta, b; c\n"),
			delim:   '\t',
			columns: []string{"note"},
			jobs:    []wantJob{job(1, 2, at(2), "a, b; c")},
		},
		{
			name:    "comma with semicolons in notes",
			input:   []byte("1,2,a;b\n3,4,c;d;e\n"),
			delim:   ',',
			columns: []string{"column3"},
			jobs:    []wantJob{job(1, 2, at(1), "a;b"), job(3, 4, at(2), "c;d;e")},
		},
		{
			name:    "comma with quoted semicolon fields",
			input:   []byte("\"1\",\"2\",\"x;y;z\"\n"),
			delim:   ',',
			columns: []string{"column3"},
			jobs:    []wantJob{job(1, 2, at(1), "x;y;z")},
		},
		{
			name:  "semicolon header decides over comma data",
			input: []byte("account;user\n5,003;42\n"),
			delim: ';',
			rejected: []wantRejection{
				reject(2, `account ID "5,003" contains a thousands separator`),
			},
		},
		{
			name:       "no delimiter found defaults to comma",
			input:      []byte("1\n"),
			delim:      ',',
			headerLine: noHeader,
			rejected:   []wantRejection{reject(1, "user ID is missing")},
		},

		// Fields.
		{
			name:    "quoted fields with doubled quotes",
			input:   []byte("client_id,user_id,name\n\"1001\",\"42\",\"O\"\"Brien, \"\"Pat\"\"\"\n"),
			columns: []string{"name"},
			jobs:    []wantJob{job(1001, 42, at(2), `O"Brien, "Pat"`)},
		},
		{
			name:    "surrounding spaces trimmed",
			input:   []byte("client_id , user_id , note\n  1001 ,\t42\t,  two  words  \n 3 , \"4\" , \" padded \" \n"),
			columns: []string{"note"},
			jobs:    []wantJob{job(1001, 42, at(2), "two  words"), job(3, 4, at(3), "padded")},
		},
		{
			name:  "no-break spaces trimmed",
			input: []byte("\u00a01001\u00a0,\u202f42\u3000\n"),
			jobs:  []wantJob{job(1001, 42, at(1))},
		},
		{
			name:    "extra column exact text",
			input:   []byte("client_id,user_id,note\n1,2,\"=SUM(A1)\"\n3,4,  a\u00a0 b \"\"\n"),
			columns: []string{"note"},
			jobs:    []wantJob{job(1, 2, at(2), "=SUM(A1)")},
			rejected: []wantRejection{
				reject(3, `field 3 ("a\u00a0 b \"\"") contains a quote at line 3, column 12`),
			},
		},
		{
			name:  "quoted empty fields",
			input: []byte("\"\",\"\"\n1,\"2\",\"\"\n3,4,\"x\"\n"),
			jobs:  []wantJob{job(1, 2, at(2))},
			rejected: []wantRejection{
				reject(3, `field 3 ("x")`, "first data row (line 2) has 2 fields"),
			},
		},

		// Skipped lines.
		{
			name: "blank and comment lines skipped",
			input: []byte("# exported 2024-05-01\n\nclient_id;user_id\n   # indented comment\n;;;\n  ; ;\n" +
				"1;2\n\t\n\"\";\"\"\n3;4\n"),
			headerLine: 3,
			jobs:       []wantJob{job(1, 2, at(7)), job(3, 4, at(10))},
		},
		{
			name:  "hash inside a field is no comment",
			input: []byte("client,user,ticket\n1,2,#17\n\"#3\",4\n"),
			jobs:  []wantJob{job(1, 2, at(2), "#17")},
			rejected: []wantRejection{
				reject(3, `account ID "#3" is not an integer`),
			},
			columns: []string{"ticket"},
		},
		{
			name:    "comment line inside quoted field is text",
			input:   []byte("client,user,note\n1,2,\"first\n# not a comment\"\n3,4,x\n"),
			columns: []string{"note"},
			jobs:    []wantJob{job(1, 2, at(2), "first\n# not a comment"), job(3, 4, at(4), "x")},
		},

		// Line numbers.
		{
			name: "line numbers with multi-line rows",
			input: []byte("sep=;\nclient_id;user_id;note\n1001;42;\"two\nlines\"\n\n# offboarding batch 7\n1001;43;\n" +
				"abc;44\n"),
			headerLine: 2,
			columns:    []string{"note"},
			jobs:       []wantJob{job(1001, 42, at(3), "two\nlines"), job(1001, 43, at(7), "")},
			rejected:   []wantRejection{{line: 8, reason: []string{`account ID "abc"`}, text: "abc;44"}},
		},

		// IDs.
		{
			name:  "IDs leading zeros and maximum",
			input: []byte("007,0042\n9223372036854775807,1\n"),
			jobs:  []wantJob{job(7, 42, at(1)), job(9223372036854775807, 1, at(2))},
		},
		{
			name: "IDs rejected with reasons",
			input: []byte("client_id;user_id\n" +
				";42\n" + // 2
				"1001\n" + // 3
				"abc;42\n" + // 4
				"0;42\n" + // 5
				"1001;000\n" + // 6
				"-5;42\n" + // 7
				"9223372036854775808;42\n" + // 8
				"1.23E+11;42\n" + // 9
				"1001;1,23E+11\n" + // 10
				"1e5;42\n" + // 11
				"5,003;42\n" + // 12
				"5 003;42\n" + // 13
				"5\u00a0003;42\n" + // 14
				"1,234,567;42\n" + // 15
				"5.003;42\n" + // 16
				"5001.0;42\n" + // 17
				"1001;5001,00\n" + // 18
				"'5001;42\n" + // 19
				"=\"5001\";42\n" + // 20
				"+5;42\n" + // 21
				"5001.5;42\n" + // 22
				"x;y\n" + // 23
				"-0;42\n"), // 24
			delim: ';',
			rejected: []wantRejection{
				reject(2, `account ID is missing (column "client_id" is empty)`, "fill it in"),
				reject(3, `user ID is missing (column "user_id" is empty)`),
				reject(4, `account ID "abc" is not an integer`, "digits only"),
				reject(5, `account ID "0" is zero`),
				reject(6, `user ID "000" is zero`),
				reject(7, `account ID "-5" is negative`),
				reject(8, `account ID "9223372036854775808" is larger than the maximum 9223372036854775807`),
				reject(9, `account ID "1.23E+11" is in scientific notation, which a spreadsheet writes for long numbers; `+
					`format the column as Text or as Number with 0 decimals and export again`),
				reject(10, `user ID "1,23E+11" is in scientific notation`),
				reject(11, `account ID "1e5" is in scientific notation`),
				reject(12, `account ID "5,003" contains a thousands separator`, exportAdvice),
				reject(13, `account ID "5 003" contains a thousands separator`),
				reject(14, `account ID "5\u00a0003" contains a thousands separator`),
				reject(15, `account ID "1,234,567" contains a thousands separator`),
				reject(16, `account ID "5.003" contains a thousands separator or a decimal point`),
				reject(17, `account ID "5001.0" has a decimal part`, exportAdvice),
				reject(18, `user ID "5001,00" has a decimal part`),
				reject(19, `account ID "'5001" starts with an apostrophe`),
				reject(20, `account ID "=\"5001\"" is a spreadsheet formula`),
				reject(21, `account ID "+5" has a plus sign`),
				reject(22, `account ID "5001.5" is not an integer`),
				reject(23, `account ID "x" is not an integer`, `; user ID "y" is not an integer`),
				reject(24, `account ID "-0" is zero`),
			},
		},
		{
			name:  "IDs without header name columns by position",
			input: []byte("1,abc\n"),
			rejected: []wantRejection{
				reject(1, `user ID "abc" is not an integer`),
			},
		},

		// CSV syntax errors.
		{
			name:  "bare quote rejected and reading goes on",
			input: []byte("client_id,user_id,name\n1,2,John \"JJ\" Smith\n3,4,ok\n"),
			jobs:  []wantJob{job(3, 4, at(3), "ok")},
			rejected: []wantRejection{{line: 2, text: "1,2,John \"JJ\" Smith",
				reason: []string{`field 3 ("John \"JJ\" Smith") contains a quote at line 2, column 10`, "enclose the field in quotes"}}},
			columns: []string{"name"},
		},
		{
			name:  "text after closing quote",
			input: []byte("1,2,\"a\"b\n3,4,\"c\"\n"),
			jobs:  []wantJob{job(3, 4, at(2), "c")},
			rejected: []wantRejection{
				reject(1, `field 3 has text ("b") after its closing quote at line 1, column 8`),
			},
			columns: []string{"column3"},
		},
		{
			name:  "text after closing quote of a multi-line field",
			input: []byte("1,2,\"a\nb\"c\n3,4,d\n"),
			jobs:  []wantJob{job(3, 4, at(3), "d")},
			rejected: []wantRejection{{line: 1, text: "1,2,\"a\nb\"c",
				reason: []string{"at line 2, column 3", "runs from line 1 to line 2"}}},
			columns: []string{"column3"},
		},
		{
			name:  "unclosed quote swallows the rest",
			input: []byte("client_id,user_id,note\n1,2,ok\n3,4,\"oops\n5,6,lost\n\n7,8,lost too\n"),
			jobs:  []wantJob{job(1, 2, at(2), "ok")},
			rejected: []wantRejection{{line: 3, text: "3,4,\"oops\n5,6,lost\n\n7,8,lost too",
				reason: []string{"the quote that opens field 3 at line 3, column 5 is not closed before the end of the file",
					"lines 3 to 6 were read as one field"}}},
			columns: []string{"note"},
		},
		{
			name:  "unclosed quote on the last line",
			input: []byte("1,2\n\"3,4\n"),
			jobs:  []wantJob{job(1, 2, at(1))},
			rejected: []wantRejection{
				reject(2, "the quote that opens field 1 at line 2, column 1 is not closed before the end of the file;"),
			},
		},
		{
			name:  "row longer than the limit",
			input: []byte("1,2\n3,4," + strings.Repeat("x", maxRowBytes+10) + "\n5,6\n"),
			jobs:  []wantJob{job(1, 2, at(1)), job(5, 6, at(3))},
			rejected: []wantRejection{
				reject(2, "row on line 2 is longer than 1 MiB (1048576 bytes)"),
			},
		},
		{
			name:  "unclosed quote text cut at 4 KiB",
			input: []byte("1,2\n3,\"4\n" + strings.Repeat("5,6,some note\n", 200_000) + "7,8\n"),
			jobs:  []wantJob{job(1, 2, at(1))},
			rejected: []wantRejection{{line: 2, text: "3,\"4\n" + strings.Repeat("5,6,some note\n", 300)[:maxRejectedText-len("3,\"4\n")] + "…",
				reason: []string{"lines 2 to 200003 were read as one field"}}},
		},
		{
			name:  "quoted field over 1 MiB",
			input: []byte("1,2,\"" + strings.Repeat("note line\n", maxRowBytes/10+1) + "\"\n3,4\n"),
			jobs:  []wantJob{job(3, 4, at(maxRowBytes/10+3))},
			rejected: []wantRejection{
				reject(1, "row on lines 1 to 104859 is longer than 1 MiB"),
			},
		},

		// Duplicates.
		{
			name:  "duplicates keep first line columns",
			input: []byte("client_id,user_id,email\n1,2,first\n3,4,x\n1,2,second\nbad,2\n01,002,third\n"),
			jobs: []wantJob{
				job(1, 2, at(2, 4, 6), "first"),
				job(3, 4, at(3), "x"),
			},
			duplicates: 2,
			rejected:   []wantRejection{reject(5, `account ID "bad"`)},
			columns:    []string{"email"},
		},
		{
			name:  "rejected row does not name its pair",
			input: []byte("client_id,user_id\n1,2,3\n1,2\n"),
			jobs:  []wantJob{job(1, 2, at(3))},
			rejected: []wantRejection{
				reject(2, `field 3 ("3")`),
			},
		},
	}
	return append(cases, aliasCases()...)
}

// aliasCases returns one case per accepted header name and spelling.
func aliasCases() []scanCase {
	var cases []scanCase
	spellings := func(name string) []string {
		upper := strings.ToUpper(name)
		spaced := strings.ReplaceAll(name, "_", " ")
		return []string{name, upper, spaced, " " + strings.ReplaceAll(name, "_", "-") + " "}
	}
	for _, account := range accountNames {
		for _, spelling := range spellings(account) {
			cases = append(cases, scanCase{
				name:       "account alias " + spelling,
				input:      []byte("note," + spelling + ",user_id\nx,1,2\n"),
				headerLine: 1,
				columns:    []string{"note"},
				jobs:       []wantJob{job(1, 2, at(2), "x")},
			})
		}
	}
	for _, user := range userNames {
		for _, spelling := range spellings(user) {
			cases = append(cases, scanCase{
				name:       "user alias " + spelling,
				input:      []byte(spelling + ";note;Client-ID\n2;x;1\n"),
				headerLine: 1,
				columns:    []string{"note"},
				jobs:       []wantJob{job(1, 2, at(2), "x")},
			})
		}
	}
	return cases
}

func TestScanFormats(t *testing.T) {
	for _, tc := range scanCases() {
		t.Run(tc.name, func(t *testing.T) {
			src := OpenBytes("t.csv", tc.input)
			ix, err := Scan(src)
			if tc.err != nil {
				checkFatal(t, err, tc.err)
				return
			}
			if err != nil {
				t.Fatalf("Scan: %v", err)
			}

			checkFormat(t, ix, tc)
			checkRejections(t, ix.Rejected, tc.rejected)
			if ix.Pairs != len(tc.jobs) {
				t.Errorf("Pairs = %d, want %d", ix.Pairs, len(tc.jobs))
			}
			if ix.Duplicates != tc.duplicates {
				t.Errorf("Duplicates = %d, want %d", ix.Duplicates, tc.duplicates)
			}
			if want := len(tc.jobs) + len(tc.rejected) + tc.duplicates; ix.Rows != want {
				t.Errorf("Rows = %d, want %d", ix.Rows, want)
			}

			jobs := collectJobs(t, ix, src)
			checkJobs(t, jobs, tc.jobs, len(tc.columns))
			for _, j := range tc.jobs {
				if !ix.Contains(j.pair) {
					t.Errorf("Contains(%+v) = false", j.pair)
				}
			}
		})
	}
}

func checkFatal(t *testing.T, err error, parts []string) {
	t.Helper()
	if err == nil {
		t.Fatal("Scan succeeded, want an error")
	}
	for _, part := range parts {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q lacks %q", err, part)
		}
	}
	var headerErr *HeaderError
	if !errors.As(err, &headerErr) || !errors.Is(err, ErrMissingColumn) {
		t.Errorf("error %v is no *HeaderError wrapping ErrMissingColumn", err)
	}
}

func checkFormat(t *testing.T, ix *Index, tc scanCase) {
	t.Helper()
	if tc.delim != 0 && ix.Delimiter != tc.delim {
		t.Errorf("Delimiter = %q, want %q", ix.Delimiter, tc.delim)
	}
	if tc.encoding != "" && ix.Encoding != tc.encoding {
		t.Errorf("Encoding = %q, want %q", ix.Encoding, tc.encoding)
	}
	switch {
	case tc.headerLine == noHeader && ix.HeaderLine != 0:
		t.Errorf("HeaderLine = %d, want no header", ix.HeaderLine)
	case tc.headerLine > 0 && ix.HeaderLine != tc.headerLine:
		t.Errorf("HeaderLine = %d, want %d", ix.HeaderLine, tc.headerLine)
	}
	if ix.Columns == nil {
		t.Error("Columns is nil")
	}
	if len(ix.Columns) != len(tc.columns) || strings.Join(ix.Columns, "|") != strings.Join(tc.columns, "|") {
		t.Errorf("Columns = %q, want %q", ix.Columns, tc.columns)
	}
	if len(ix.SHA256) != 64 {
		t.Errorf("SHA256 = %q, want 64 hex digits", ix.SHA256)
	}
	if ix.Size != int64(len(tc.input)) {
		t.Errorf("Size = %d, want %d", ix.Size, len(tc.input))
	}
}

func TestHeaderErrorNamesStandardInput(t *testing.T) {
	src, err := OpenReader("-", strings.NewReader("name\nalice\n"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()

	_, err = Scan(src)
	if err == nil || !strings.HasPrefix(err.Error(), "standard input: line 1: ") {
		t.Errorf("Scan error %v, want one starting with the input name and line", err)
	}
}

func TestRejectionString(t *testing.T) {
	r := Rejection{Line: 7, Reason: `user ID "abc" is not an integer`, Text: "1,abc"}
	if got, want := r.String(), `line 7: user ID "abc" is not an integer`; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
