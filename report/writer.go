package report

// Writer is one report file. Write is called once per entry, in input order;
// Commit finishes the file atomically and Abort discards it. A Writer is not
// safe for concurrent use.
type Writer interface {
	// Write adds one entry to the report. It returns an error when the entry
	// does not fit the report (an unknown outcome, or more extra columns than
	// the header names) or when the temporary file cannot be written.
	Write(e Entry) error

	// Commit writes the run, the summary and the rejected rows, then moves
	// the finished report to Path: it writes a temporary file in the same
	// folder, syncs it to disk and renames it. After Commit, with or without
	// an error, no temporary file remains and the Writer accepts no more
	// calls except Abort.
	Commit(run Run, sum *Summary, rejected []Rejection) error

	// Abort removes every temporary file and leaves no report at Path. It
	// does nothing after Commit, so it is safe to defer.
	Abort() error

	// Path returns the path of the final report.
	Path() string
}
