// Package report writes the audit results as a JSON report and an XLSX
// workbook.
//
// Results arrive one at a time, in input order, from one goroutine. Policy
// turns each audit.Result into an Entry (administrator, approved, still has
// access), Summary counts the entries as they pass, and every Writer streams
// them to disk. No type in this package keeps all entries in memory, so a run
// of a million pairs writes its reports with flat memory use.
//
// Both writers produce a report atomically: they write to temporary files in
// the report's folder and rename the finished file into place on Commit, so
// a reader never sees half a report. Abort removes the temporary files.
//
// The JSON layout is described by the JSON Schema in Schema (schema.json in
// this folder). The workbook has the sheets Summary, Results, Administrators,
// Still has access (offboarding mode only), Needs attention and Rejected
// input, in that order. A data sheet that reaches the row limit of a
// worksheet continues in "Results (2)", "Results (3)" and so on.
//
// The workbook is meant to be read on screen and on paper. The Summary sheet
// opens with what the outcomes mean in the run's mode and whether the run is
// complete, then the counts by outcome and by group with a bar chart of users
// per group, the run and input metadata, and a table of counts per account
// that shows where forbidden and error responses leave a coverage gap. It
// prints at a fixed scale, its overview on the first page and the
// per-account table from the next page on unless it fits. The data sheets
// have a frozen header row, an autofilter and a Decision drop-down list; they
// print in landscape, one page across, with the header row on every page.
// Every sheet prints with a page header that names the sheet and the page.
//
// The xlsx writer keeps three things beyond excelize's stream buffers: the
// first 100 rows, until their text has set the column widths; one small
// counter per account for the per-account table; and the rejected rows it is
// given at Commit.
package report
