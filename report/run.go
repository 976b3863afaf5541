package report

import "time"

// Tool names the program that wrote a report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Run describes one run of the audit: the "run" object of the JSON report and
// the run rows of the workbook's Summary sheet.
type Run struct {
	StartedAt   time.Time // written in UTC with second precision
	FinishedAt  time.Time // written in UTC with second precision
	Complete    bool      // every unique pair has a result, errors included
	Interrupted bool      // the run was stopped by a signal
	Mode        string    // ModeAudit or ModeOffboarding
	BaseURL     string    // API root the requests went to

	RatePerSecond float64 // request rate limit in requests per second; 0 means no limit
	Burst         int     // rate limiter burst, in requests
	Concurrency   int     // requests in flight at most

	Input Input
}

// Input describes the input file of a run. Rows = Pairs + Rejected +
// Duplicates.
type Input struct {
	Path       string `json:"path"`       // as given on the command line; "-" for standard input
	SHA256     string `json:"sha256"`     // hex SHA-256 of the input bytes
	Rows       int    `json:"rows"`       // data rows read, without header, blank and comment lines
	Pairs      int    `json:"pairs"`      // unique valid pairs
	Rejected   int    `json:"rejected"`   // rows rejected as invalid
	Duplicates int    `json:"duplicates"` // valid rows that repeat an earlier pair
}

// Rejection is one input row that was rejected.
type Rejection struct {
	Line   int    `json:"line"`   // 1-based physical line of the input
	Reason string `json:"reason"` // cause of the rejection and the fix
	Text   string `json:"text"`   // the row as it appeared in the input
}

// runJSON is the JSON form of Run, with field names and order as in the
// report.
type runJSON struct {
	StartedAt     string  `json:"started_at"`
	FinishedAt    string  `json:"finished_at"`
	Complete      bool    `json:"complete"`
	Interrupted   bool    `json:"interrupted"`
	Mode          string  `json:"mode"`
	BaseURL       string  `json:"base_url"`
	RatePerSecond float64 `json:"rate_per_second"`
	Burst         int     `json:"burst"`
	Concurrency   int     `json:"concurrency"`
	Input         Input   `json:"input"`
}

// toJSON returns the run as the "run" object of the JSON report, with times
// in RFC 3339 and UTC.
func (r Run) toJSON() runJSON {
	return runJSON{
		StartedAt:     formatTime(r.StartedAt),
		FinishedAt:    formatTime(r.FinishedAt),
		Complete:      r.Complete,
		Interrupted:   r.Interrupted,
		Mode:          r.Mode,
		BaseURL:       r.BaseURL,
		RatePerSecond: r.RatePerSecond,
		Burst:         r.Burst,
		Concurrency:   r.Concurrency,
		Input:         r.Input,
	}
}

// formatTime formats t in RFC 3339, in UTC, with second precision.
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}
