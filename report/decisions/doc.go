// Package decisions reads the decisions that reviewers entered in an
// accessaudit workbook and writes the pairs to change as a CSV file that
// "accessaudit run" accepts as input.
//
// # Workbook
//
// The workbook is one that package report wrote, then opened and saved in
// Excel, LibreOffice or another spreadsheet program. Decisions are read from
// the sheets Results, Results (2), Results (3), ... and then Administrators,
// Administrators (2), ... in that order. Every one of these sheets has a
// header in row 1, and the columns are found by header name, so inserted or
// moved columns do no harm:
//
//	Account ID, User ID    the first column with that name
//	Decision               the last column with that name
//	Reviewer comment       the last column with that name
//
// The first match wins for the IDs and the last for the other two because
// the extra input columns sit between User ID and the workbook's own
// columns, and an input column may carry any of these names. A workbook
// without a Results sheet, or with a read sheet whose header lacks one of the
// four columns, is not an accessaudit workbook, and Read returns a
// *FormatError that names what is missing. A missing Administrators sheet is
// no error.
//
// # Decisions
//
// A Decision cell contains Keep, Revoke or Change group. Case is ignored,
// and so are surrounding white space and the number of spaces between words,
// so " change   GROUP " is Change group. An empty cell means undecided, and its
// row is skipped without looking at its IDs. Any other value is an error.
//
// A pair may appear on several sheets, for example on Results and on
// Administrators. The same decision in several places counts once. Two
// different decisions for one pair, such as Keep on Results and Revoke on
// Administrators, are an error that names every cell involved.
//
// # IDs
//
// Spreadsheets store IDs as numbers, and a reviewer may have turned some into
// text. An ID cell is accepted in two forms. The first is a positive whole
// number written in digits, with leading zeros allowed, up to the int64
// maximum. The second is a decimal number such as 5001.0 or 5.001E+3 whose
// value is a whole number of at most 15 digits. Spreadsheets keep 15
// significant digits of a number, so a longer ID is trusted only in digits.
//
// The reader looks at the stored value of a cell and not at its number
// format, so a cell that displays 5,001 is read as the 5001 it stores. The
// streaming reader of excelize v2.11.1 returns values without their cell
// types, so a text cell that contains 5001.0 also counts as the number 5001.
//
// # Errors
//
// Read reports every bad cell, not only the first: unknown decisions, IDs
// that are not whole numbers on rows with a decision, and pairs with
// different decisions. They come together in one *CellsError, each with the
// cells named as Excel names them (Results!P2, 'Results (2)'!P7).
//
// A file that is not a ZIP archive, or one with a damaged part, is rejected
// before any sheet is read, so a damaged sheet cannot pass as a short one.
//
// # Other sheets
//
// Decisions on other sheets, such as Still has access or Needs attention,
// are not used. Read lists every other sheet whose Decision column has
// values in Review.Unread, so the caller can warn the reviewer.
//
// # Output
//
// WriteCSV writes the header client_id,user_id,decision,comment and one row
// per pair marked Revoke or Change group, in the order in which the pairs'
// decisions first appear. Pairs marked Keep are left out.
//
//	client_id,user_id,decision,comment
//	1001,2001,Revoke,left the company in March
//	1002,2003,Change group,should be Users
package decisions
