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
package report
