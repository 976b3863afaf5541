package report

import (
	"fmt"

	"github.com/accessaudit/accessaudit/audit"
)

// knownOutcomes and knownErrorKinds are the values the reports may contain;
// schema.json lists the same values.
var (
	knownOutcomes = map[audit.Outcome]bool{
		audit.OutcomeOK:        true,
		audit.OutcomeNotFound:  true,
		audit.OutcomeForbidden: true,
		audit.OutcomeError:     true,
	}
	knownErrorKinds = map[audit.ErrorKind]bool{
		audit.KindRateLimited:      true,
		audit.KindServerError:      true,
		audit.KindTimeout:          true,
		audit.KindNetwork:          true,
		audit.KindInvalidResponse:  true,
		audit.KindUnexpectedStatus: true,
	}
)

// checkEntry returns an error when e does not fit a report with columns
// extra columns. The error names the first problem found: a missing result,
// a line or ID below 1, an unknown outcome, an error without a known kind, or
// more extra values than the header names.
func checkEntry(e Entry, columns int) error {
	r := e.Result
	if r == nil {
		return fmt.Errorf("report entry has no audit result")
	}

	switch {
	case r.Line < 1:
		return fmt.Errorf("result for pair %d/%d: line %d is not a 1-based line number", r.ClientID, r.UserID, r.Line)
	case r.ClientID < 1 || r.UserID < 1:
		return fmt.Errorf("line %d: pair %d/%d: IDs must be positive", r.Line, r.ClientID, r.UserID)
	case !knownOutcomes[r.Outcome]:
		return fmt.Errorf("line %d: outcome %q is not one of ok, not_found, forbidden, error", r.Line, r.Outcome)
	case r.Outcome == audit.OutcomeError && !knownErrorKinds[r.ErrorKind]:
		return fmt.Errorf("line %d: outcome error has unknown error kind %q", r.Line, r.ErrorKind)
	case len(r.Columns) > columns:
		return fmt.Errorf("line %d: %d extra column values, but the report header names %d columns", r.Line, len(r.Columns), columns)
	}
	return nil
}

// lines returns every input line of the result's pair, falling back to Line
// when the job lists none.
func lines(r *audit.Result) []int {
	if len(r.Lines) == 0 {
		return []int{r.Line}
	}
	return r.Lines
}

// columnValue returns the i-th extra column value of r; a short row has
// empty values for its missing columns.
func columnValue(r *audit.Result, i int) string {
	if i < len(r.Columns) {
		return r.Columns[i]
	}
	return ""
}
