package diff

import (
	"errors"
	"fmt"
)

// Sentinel errors for the two ways a file can fail to be a usable report.
// ReportError wraps one of them, so callers can test with errors.Is.
var (
	// ErrInvalidReport means the file is not a complete accessaudit JSON
	// report: it is empty, truncated, not JSON, or lacks a required member.
	ErrInvalidReport = errors.New("not a valid accessaudit JSON report")

	// ErrUnsupportedVersion means the report_version is not SupportedReportVersion.
	ErrUnsupportedVersion = errors.New("unsupported report_version")
)

// ReportError is a failure to read one report. Its message starts with the
// file name, followed by the problem and, where it helps, its byte offset.
type ReportError struct {
	Path string // the report's name as given to Compare
	Err  error  // wraps ErrInvalidReport, ErrUnsupportedVersion or a read error
}

func (e *ReportError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *ReportError) Unwrap() error { return e.Err }

// invalidf returns an error that wraps ErrInvalidReport with a detail.
func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidReport, fmt.Sprintf(format, args...))
}
