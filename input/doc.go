// Package input reads the CSV file of account/user pairs that accessaudit audits.
//
// Reading takes two passes over a [Source]. [Scan] reads the input once, validates every
// row and returns an [Index]: the counts, the rejected rows and a map from each unique
// pair to its position. [Index.Jobs] reads the input again and yields one [audit.Job] per
// unique pair. Neither pass holds the file in memory. Memory grows with the number of
// unique pairs (one map entry each), the repeated lines of duplicated pairs and the
// rejected rows. A single row is parsed up to 1 MiB.
//
// # Rows
//
// Each row holds an account ID (the API's clientId) and a user ID (userId). An ID is a
// positive integer that fits in int64, written with digits only. Leading zeros are
// allowed, so 007 is 7. Other columns, such as an e-mail address, a name or a ticket,
// are carried through to the reports as text.
//
//	client_id,user_id,email
//	1001,42,alice@example.com
//	1001,43,bob@example.com
//
// # Header
//
// The first row that is neither blank nor a comment is a header when none of its fields
// is a valid ID. Header names are matched ignoring case, spaces, '_' and '-':
//
//	account ID   client_id, clientid, client, account_id, account
//	user ID      user_id, userid, user
//
// So "Client ID", "ACCOUNT-ID" and "userId" all match. When several columns match, the
// first one is the ID column and the others are extra columns. A header that lacks the
// account or the user column makes Scan fail with a [*HeaderError] that lists the
// accepted names. The other header fields name the extra columns: an empty name becomes
// columnN, where N is the 1-based position of the field, and a repeated name gets " (2)",
// " (3)", ... appended.
//
//	email,Account ID,User,,email
//	alice@example.com,1001,42,T-17,primary
//
// Here the account ID is 1001 and the user ID 42, and the extra columns are "email",
// "column4" and "email (2)".
//
// Without a header, the first field is the account ID and the second the user ID. The
// first data row that is valid CSV sets the number of columns, and its fields after the
// second are the extra columns column3, column4, and so on:
//
//	1001,42,alice@example.com
//	1001,43
//	1001,44,carol@example.com,late note
//
// Here the rows on lines 1 and 2 are accepted and the one on line 3 is rejected, because
// line 1 has three fields. A header row that names every column avoids this.
//
// # Columns per row
//
// Empty fields at the end of a row do not count, so "1001,42,,," has two fields. A row
// with a non-empty field past the last header column (or past the width that the first
// data row sets) is rejected. A shorter row is accepted when it has both IDs, and its
// missing extra columns are empty.
//
// # Encoding, line ends and delimiter
//
// The input may be UTF-8, with or without a byte order mark, or UTF-16 with a byte order
// mark, little or big endian, as Excel saves "Unicode text". Input whose first or second
// byte is NUL is read as UTF-16 without a byte order mark. Lines may end in CRLF, LF or a
// lone CR, even mixed in one file.
//
// The delimiter is ',', ';' or a tab. An Excel separator line as the first line, such as
// sep=; or "sep=;", sets it; the name is matched ignoring case, sep=\t stands for a tab,
// and the line may be padded with delimiters. Any ASCII punctuation except '"' and '#'
// may be named there. Otherwise the delimiter is detected from the first 100 rows (within
// the first 64 KiB): each candidate splits the rows, respecting quotes, and the one under
// which most rows have two valid IDs wins, a usable header counting as one such row. Ties
// go to the candidate that splits more rows, then to the one that gives more rows the
// same number of fields, then to tab, ';' and ',' in that order. So a ';' file with
// mangled numbers such as 5,003 is still read as ';'. An input that no candidate splits
// is read with ','.
//
// # Fields
//
// Fields follow RFC 4180 quoting: a field may be enclosed in double quotes, and then it
// may contain the delimiter, line ends and doubled quotes ("") that stand for one quote.
// A line end inside a quoted field is kept as "\n". White space around every field is
// removed, quoted or not: spaces, tabs, no-break spaces and the other Unicode spaces, as
// well as U+200B and U+FEFF. Spaces and tabs may surround the quotes of a quoted field.
// An unquoted field of the form ="5001", which some exporters write to keep a spreadsheet
// from reformatting a number, is no syntax error: it is read as the text ="5001", and in
// an ID column it is rejected with advice.
//
// # Skipped lines
//
// Blank lines are skipped: lines of nothing but spaces, tabs, ',' and ';' (such as ";;;"
// in any file) and rows whose fields are all empty, such as "","". So are comment lines,
// whose first character other than spaces and tabs is '#'. Skipped lines are not rows, but
// they count as lines.
//
// # Line numbers
//
// Line numbers are 1-based physical lines as a text editor shows them, counting every
// line: the separator line, blank lines and comment lines. A row whose quoted field spans
// several lines has the number of the line where it starts.
//
//	sep=;                      line 1, the separator line
//	client_id;user_id;note     line 2, the header
//	1001;42;"two               line 3, a row that spans lines 3 and 4
//	lines"
//	                           line 5, blank
//	# offboarding batch 7      line 6, a comment
//	1001;43;                   line 7
//
// # Rejected rows
//
// A row that is not a valid pair is rejected: Index.Rejected lists its line, the reason
// and its text, and the other rows are still read. Reasons name the value and the fix:
//
//	line 4: account ID "1.23E+11" is in scientific notation, which a spreadsheet writes
//	        for long numbers; format the column as Text or as Number with 0 decimals and
//	        export again
//	line 5: user ID "5,003" contains a thousands separator; ...
//	line 6: account ID "5001.0" has a decimal part; ...
//	line 7: user ID is missing (column "user_id" is empty); fill it in or remove the row
//	line 8: account ID "0" is zero; IDs start at 1, so check the value
//
// Other reasons are a negative ID, an ID larger than 9223372036854775807, any other text,
// a value past the last column, and CSV syntax errors: a quote inside an unquoted field,
// text after a closing quote, and a quote that is never closed. An unclosed quote runs to
// the end of the file, so its reason names every line it took in. A row longer than
// 1 MiB is rejected too.
//
// # Duplicates
//
// A pair on several rows is audited once. Its job lists every line that names it, and
// its extra columns are those of its first line. Index.Rows counts every data row, so
// Rows == Pairs + len(Rejected) + Duplicates.
package input
