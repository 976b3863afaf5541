package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/time/rate"

	"github.com/accessaudit/accessaudit/audit"
	"github.com/accessaudit/accessaudit/audit/journal"
	"github.com/accessaudit/accessaudit/audit/progress"
	"github.com/accessaudit/accessaudit/input"
	"github.com/accessaudit/accessaudit/report"
)

// runConfig is everything a run needs, gathered from flags, environment
// and files before the first request.
type runConfig struct {
	inputPath    string
	inputData    []byte // input to read instead of inputPath, for the demo
	key          string
	baseURL      string
	rate         float64 // requests per second; 0 means no limit
	burst        int
	concurrency  int
	timeout      time.Duration // per attempt
	retries      int
	maxRetryWait time.Duration
	outputDir    string
	jsonPath     string
	xlsxPath     string
	formats      map[string]bool
	strict       bool
	logger       *slog.Logger
	mode         string
	approvedPath string
	failOn       map[string]bool
	journalPath  string

	progress       string       // --progress mode
	progressLogger *slog.Logger // receives --progress log lines regardless of --log-level
}

func runCommand(e env) *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "audit every pair of a CSV file against the IAM API and write the reports",
		ArgsUsage: "PAIRS.csv (or - for standard input)",
		Description: "Reads account/user ID pairs, asks GET /iam/clients/{clientId}/client-users/{userId} about each\n" +
			"unique pair under a shared rate limit, and writes a JSON report and an XLSX workbook. Prints the\n" +
			"paths of the reports on stdout. The API key comes from --api-key-file or GCORE_API_KEY.",
		Flags:  runFlags(),
		Action: func(c *cli.Context) error { return runAction(c, e) },
	}
}

func runFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "api-key-file", Usage: "read the API key from `FILE` (wins over GCORE_API_KEY)"},
		&cli.StringFlag{Name: "base-url", Value: audit.DefaultBaseURL, Usage: "API root `URL`; plain http only for loopback hosts (environment: GCORE_BASE_URL)"},
		&cli.Float64Flag{Name: "rate", Value: 10, Usage: "requests per second across all workers, retries included; 0 turns the limit off"},
		&cli.IntFlag{Name: "burst", Value: 1, Usage: "rate limiter burst, in requests"},
		&cli.IntFlag{Name: "concurrency", Value: 8, Usage: "requests in flight at most"},
		&cli.DurationFlag{Name: "timeout", Value: 30 * time.Second, Usage: "time limit per attempt, body included"},
		&cli.IntFlag{Name: "retries", Value: 5, Usage: "extra attempts for 429, 5xx other than 501, timeouts and network errors"},
		&cli.DurationFlag{Name: "max-retry-wait", Value: 2 * time.Minute, Usage: "longest Retry-After to honour; a longer one ends the pair as an error"},
		&cli.StringFlag{Name: "output-dir", Value: ".", Usage: "`DIR` for reports named accessaudit-YYYYMMDDTHHMMSSZ.json and .xlsx (created when missing); -2, -3, ... is appended when that name is taken"},
		&cli.StringFlag{Name: "json", Usage: "write the JSON report to `FILE` instead"},
		&cli.StringFlag{Name: "xlsx", Usage: "write the XLSX workbook to `FILE` instead"},
		&cli.StringFlag{Name: "format", Value: "json,xlsx", Usage: "which reports to write: json, xlsx or both"},
		&cli.BoolFlag{Name: "strict", Usage: "stop before the first request if any input row is rejected"},
		&cli.StringFlag{Name: "journal", Usage: "record every finished pair in `FILE`; a rerun with it skips pairs that already have a final outcome"},
		&cli.StringFlag{Name: "approved-admins", Usage: "CSV `FILE` of account/user pairs approved to be administrators (same format as the input)"},
		&cli.StringFlag{Name: "mode", Value: report.ModeAudit, Usage: "audit, or offboarding: every user still found in the account is a finding"},
		&cli.StringFlag{Name: "fail-on", Value: "none", Usage: "exit with status 3 when any of these is found: admin, unapproved-admin, still-has-access, forbidden (comma-separated), or none"},
		&cli.StringFlag{Name: "progress", Value: progress.ModeAuto, Usage: "auto (a bar when stderr is a terminal), bar, log (a line every 10s) or never"},
		&cli.StringFlag{Name: "log-format", Value: "text", Usage: "log lines on stderr as text or json"},
		&cli.StringFlag{Name: "log-level", Value: "warn", Usage: "least severe log lines shown: debug, info (retries), warn or error"},
	}
}

func runAction(c *cli.Context, e env) error {
	cfg, err := parseRunConfig(c, e)
	if err != nil {
		return err
	}
	ctx, stop := interruptContext(c.Context, e, runInterruptMessage)
	defer stop()
	return executeRun(ctx, e, cfg)
}

// parseRunConfig checks the flags and reads the key. Every error is a usage
// error (exit status 2) and none contains the key.
func parseRunConfig(c *cli.Context, e env) (runConfig, error) {
	if c.NArg() != 1 {
		return runConfig{}, usageError("run needs exactly one input file (or - for standard input), got %d arguments", c.NArg())
	}
	logger, err := newLogger(e.stderr, c.String("log-format"), c.String("log-level"))
	if err != nil {
		return runConfig{}, err
	}
	cfg := runConfig{
		inputPath:    c.Args().First(),
		baseURL:      baseURL(c, e),
		rate:         c.Float64("rate"),
		burst:        c.Int("burst"),
		concurrency:  c.Int("concurrency"),
		timeout:      c.Duration("timeout"),
		retries:      c.Int("retries"),
		maxRetryWait: c.Duration("max-retry-wait"),
		outputDir:    c.String("output-dir"),
		jsonPath:     c.String("json"),
		xlsxPath:     c.String("xlsx"),
		strict:       c.Bool("strict"),
		logger:       logger,
		mode:         c.String("mode"),
		approvedPath: c.String("approved-admins"),
		journalPath:  c.String("journal"),
		progress:     c.String("progress"),
	}

	if cfg.progressLogger, err = newLogger(e.stderr, c.String("log-format"), "info"); err != nil {
		return runConfig{}, err
	}
	if err := cfg.checkLimits(); err != nil {
		return runConfig{}, err
	}
	if err := cfg.parseChoices(c.String("format"), c.String("fail-on")); err != nil {
		return runConfig{}, err
	}

	if _, err := audit.ParseBaseURL(cfg.baseURL); err != nil {
		return runConfig{}, usageError("%v", err)
	}
	if cfg.key, err = readKey(c.String("api-key-file"), e, logger); err != nil {
		return runConfig{}, err
	}
	return cfg, nil
}

// baseURL returns --base-url, or GCORE_BASE_URL when the flag is not given.
// The variable is read through env rather than by urfave/cli, so that tests
// control it like every other input.
func baseURL(c *cli.Context, e env) string {
	if fromEnv := strings.TrimSpace(e.getenv("GCORE_BASE_URL")); fromEnv != "" && !c.IsSet("base-url") {
		return fromEnv
	}
	return c.String("base-url")
}

// parseChoices reads --format and --fail-on and checks that --json, --xlsx
// and --mode agree with them.
func (cfg *runConfig) parseChoices(formatList, failOnList string) error {
	var err error
	if cfg.formats, err = parseFormats(formatList); err != nil {
		return err
	}
	if cfg.jsonPath != "" && !cfg.formats["json"] || cfg.xlsxPath != "" && !cfg.formats["xlsx"] {
		return usageError("--json or --xlsx names a report that --format %q leaves out; add it to --format", formatList)
	}
	if cfg.mode != report.ModeAudit && cfg.mode != report.ModeOffboarding {
		return usageError("invalid --mode %q: use audit or offboarding", cfg.mode)
	}
	cfg.failOn, err = parseFailOn(failOnList, cfg.approvedPath != "")
	return err
}

// checkLimits rejects numbers that would make the run hang or meaningless.
func (cfg *runConfig) checkLimits() error {
	switch {
	case cfg.rate < 0 || math.IsNaN(cfg.rate) || math.IsInf(cfg.rate, 0):
		return usageError("invalid --rate %v: use requests per second, 0 or more (0 turns the limit off)", cfg.rate)
	case cfg.burst < 1:
		return usageError("invalid --burst %d: use 1 or more", cfg.burst)
	case cfg.concurrency < 1:
		return usageError("invalid --concurrency %d: use 1 or more", cfg.concurrency)
	case cfg.timeout <= 0:
		return usageError("invalid --timeout %s: use a positive duration such as 30s", cfg.timeout)
	case cfg.retries < 0:
		return usageError("invalid --retries %d: use 0 or more", cfg.retries)
	case cfg.maxRetryWait <= 0:
		return usageError("invalid --max-retry-wait %s: use a positive duration such as 2m", cfg.maxRetryWait)
	}
	return nil
}

// parseFormats reads --format: a comma-separated subset of json and xlsx.
func parseFormats(list string) (map[string]bool, error) {
	formats := make(map[string]bool)
	for _, f := range strings.Split(list, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f != "json" && f != "xlsx" {
			return nil, usageError("invalid --format %q: use json, xlsx or json,xlsx", list)
		}
		formats[f] = true
	}
	return formats, nil
}

// failOnConditions are the accepted --fail-on items.
var failOnConditions = []string{"admin", "unapproved-admin", "still-has-access", "forbidden"}

// parseFailOn reads --fail-on: "none" or a comma-separated list of
// failOnConditions. unapproved-admin needs an approved list.
func parseFailOn(list string, haveApproved bool) (map[string]bool, error) {
	conditions := make(map[string]bool)
	for _, item := range strings.Split(list, ",") {
		item = strings.ToLower(strings.TrimSpace(item))
		switch {
		case item == "none" || item == "":
			continue
		case !slices.Contains(failOnConditions, item):
			return nil, usageError("invalid --fail-on item %q: use none or any of %s", item, strings.Join(failOnConditions, ", "))
		case item == "unapproved-admin" && !haveApproved:
			return nil, usageError("--fail-on unapproved-admin needs --approved-admins FILE")
		}
		conditions[item] = true
	}
	return conditions, nil
}

// failOnMet returns the --fail-on conditions that the summary meets.
func failOnMet(conditions map[string]bool, sum *report.Summary) []string {
	counts := map[string]int{
		"admin":            sum.Administrators,
		"still-has-access": sum.StillHasAccess,
		"forbidden":        sum.Forbidden,
	}
	if sum.UnapprovedAdministrators != nil {
		counts["unapproved-admin"] = *sum.UnapprovedAdministrators
	}
	var met []string
	for _, c := range failOnConditions {
		if conditions[c] && counts[c] > 0 {
			met = append(met, fmt.Sprintf("%s (%d)", c, counts[c]))
		}
	}
	return met
}

// readKey returns the API key from the key file, or else from
// GCORE_API_KEY. A key file that other users can read gets a warning.
func readKey(path string, e env, logger *slog.Logger) (string, error) {
	if path == "" {
		key := strings.TrimSpace(e.getenv("GCORE_API_KEY"))
		if key == "" {
			return "", usageError("%v", audit.ErrMissingKey)
		}
		return key, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", usageError("cannot read --api-key-file: %v", err)
	}
	if info, err := os.Stat(path); err == nil && info.Mode().Perm()&0o077 != 0 {
		logger.Warn("key file is readable by other users; run chmod 600 on it", "path", path, "mode", info.Mode().Perm().String())
	}
	key := strings.TrimSpace(string(data))
	if key == "" {
		return "", usageError("--api-key-file %s is empty: put the API key in it", path)
	}
	return key, nil
}

// interruptContext returns a context that ends at the first SIGINT or
// SIGTERM, after printing onSignal on stderr. A second signal exits the
// process at once with status 130, without reports.
func interruptContext(parent context.Context, e env, onSignal string) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-signals:
			fmt.Fprintf(e.stderr, "accessaudit: %s: %s\n", sig, onSignal)
			cancel(errInterrupted)
		case <-done:
			return
		}
		select {
		case sig := <-signals:
			fmt.Fprintf(e.stderr, "accessaudit: %s again: exiting at once; no report was written\n", sig)
			os.Exit(exitInterrupted)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(signals)
		close(done)
		cancel(nil)
	}
}

// runInterruptMessage is the message run and demo print at the first signal.
const runInterruptMessage = "finishing requests in flight and writing partial reports; send it again to quit at once"

var errInterrupted = errors.New("interrupted")

// executeRun reads the input, audits every pair and writes the reports.
func executeRun(ctx context.Context, e env, cfg runConfig) error {
	started := time.Now().UTC()

	src, ix, err := scanInput(cfg, e)
	if err != nil {
		return err
	}
	defer src.Close()
	approved, err := loadApproved(cfg)
	if err != nil {
		return err
	}
	client, err := newClient(cfg)
	if err != nil {
		return usageError("%v", err)
	}
	journal, err := openJournal(cfg, ix.SHA256)
	if err != nil {
		return err
	}
	defer journal.Close()
	var checker audit.Checker = client
	if journal != nil {
		checker = journal.Checker(client)
	}

	writers, err := openReports(cfg, started, ix.Columns)
	if err != nil {
		return err
	}
	defer abortAll(writers)

	bar, err := progress.New(cfg.progress, e.stderr, e.stderrIsTerminal, ix.Pairs, cfg.progressLogger)
	if err != nil {
		return usageError("%v", err)
	}
	out := &reportSink{
		writers:  writers,
		policy:   report.Policy{Mode: cfg.mode, Approved: approved},
		summary:  report.NewSummary(ix.Pairs, approved != nil),
		errors:   newPairErrorLog(cfg.logger),
		progress: bar,
	}
	runner := &audit.Runner{Checker: checker, Concurrency: cfg.concurrency, Grace: cfg.timeout}
	stats, err := runner.Run(ctx, ix.Jobs(src), out.add)
	out.close()
	if err != nil {
		return fatalError(err)
	}

	run := report.Run{
		StartedAt: started, FinishedAt: time.Now().UTC(),
		Complete: stats.Finished == ix.Pairs, Interrupted: ctx.Err() != nil,
		Mode: cfg.mode, BaseURL: cfg.baseURL,
		RatePerSecond: cfg.rate, Burst: cfg.burst, Concurrency: cfg.concurrency,
		Input: report.Input{Path: src.Name(), SHA256: ix.SHA256, Rows: ix.Rows, Pairs: ix.Pairs,
			Rejected: len(ix.Rejected), Duplicates: ix.Duplicates},
	}
	if err := commitAll(writers, run, out.summary, rejections(ix), e.stdout); err != nil {
		return fatalError(err)
	}
	if run.Complete && out.summary.Error == 0 {
		if err := journal.Remove(); err != nil {
			cfg.logger.Warn("cannot remove the journal of a finished run; delete it before the next run", "path", cfg.journalPath, "error", err)
		}
	}
	return finishRun(e, cfg, run, out.summary)
}

// openJournal opens --journal, or returns a nil journal without the flag.
// A journal of another run, or one that is damaged or in use, is a usage
// error: the operator must decide what to do with it.
func openJournal(cfg runConfig, inputSHA256 string) (*journalFile, error) {
	if cfg.journalPath == "" {
		return nil, nil
	}
	j, err := journal.Open(cfg.journalPath, journal.Header{InputSHA256: inputSHA256, BaseURL: cfg.baseURL, Mode: cfg.mode})
	switch {
	case errors.Is(err, journal.ErrMismatch), errors.Is(err, journal.ErrCorrupt), errors.Is(err, journal.ErrLocked):
		return nil, usageError("%v", err)
	case err != nil:
		return nil, fatalError(fmt.Errorf("cannot open --journal: %w", err))
	}
	if n := j.Recorded(); n > 0 {
		cfg.logger.Info("resuming from journal", "path", cfg.journalPath, "finished_pairs", n)
	}
	return &journalFile{j}, nil
}

// journalFile lets a run call Close and Remove on a journal that may be
// absent (nil).
type journalFile struct{ *journal.Journal }

func (j *journalFile) Close() error {
	if j == nil {
		return nil
	}
	return j.Journal.Close()
}

func (j *journalFile) Remove() error {
	if j == nil {
		return nil
	}
	return j.Journal.Remove()
}

// reportSink receives results in input order and passes each to every
// report writer, the summary, the error log and the progress display.
type reportSink struct {
	writers  []report.Writer
	policy   report.Policy
	summary  *report.Summary
	errors   *pairErrorLog
	progress progress.Reporter
}

func (s *reportSink) add(r *audit.Result) error {
	entry := s.policy.Entry(r)
	s.summary.Add(entry)
	s.errors.add(r)
	s.progress.Add(1)
	for _, w := range s.writers {
		if err := w.Write(entry); err != nil {
			return fmt.Errorf("writing %s: %w", w.Path(), err)
		}
	}
	return nil
}

func (s *reportSink) close() {
	s.progress.Finish()
	s.errors.close()
}

// finishRun prints the summary line where the contract wants it and
// returns the run's exit status as an error, nil for status 0.
func finishRun(e env, cfg runConfig, run report.Run, sum *report.Summary) error {
	met := failOnMet(cfg.failOn, sum)
	code := exitStatus(run.Interrupted, sum, met)
	if code != exitOK || e.stderrIsTerminal {
		fmt.Fprintln(e.stderr, summaryLine(run, sum))
	}
	if len(met) > 0 {
		fmt.Fprintf(e.stderr, "accessaudit: --fail-on met: %s\n", strings.Join(met, ", "))
	}
	if code != exitOK {
		return &exitError{code: code, err: errors.New("")}
	}
	return nil
}

// exitStatus maps a finished run to its exit status: 130 when interrupted,
// 4 when some pair ended in error, 3 when a --fail-on condition is met,
// else 0.
func exitStatus(interrupted bool, sum *report.Summary, failOnMet []string) int {
	switch {
	case interrupted:
		return exitInterrupted
	case sum.Error > 0:
		return exitPairErrors
	case len(failOnMet) > 0:
		return exitFailOn
	}
	return exitOK
}

// loadApproved reads the --approved-admins list with the input reader. It
// returns nil without a list. Rejected rows are logged; a list without any
// valid pair is a usage error, since it would flag every administrator.
func loadApproved(cfg runConfig) (map[audit.Pair]bool, error) {
	if cfg.approvedPath == "" {
		return nil, nil
	}
	src, err := input.Open(cfg.approvedPath)
	if err != nil {
		return nil, usageError("cannot read --approved-admins: %v", err)
	}
	defer src.Close()
	ix, err := input.Scan(src)
	if err != nil {
		return nil, usageError("--approved-admins %s: %v", cfg.approvedPath, err)
	}
	logRejections(cfg.logger, cfg.approvedPath, ix.Rejected)
	if ix.Pairs == 0 {
		return nil, usageError("--approved-admins %s: no valid pair among %d data rows", cfg.approvedPath, ix.Rows)
	}

	approved := make(map[audit.Pair]bool, ix.Pairs)
	for job, err := range ix.Jobs(src) {
		if err != nil {
			return nil, usageError("--approved-admins %s: %v", cfg.approvedPath, err)
		}
		approved[job.Pair] = true
	}
	return approved, nil
}

// scanInput opens and checks the input. Rejected rows are logged as
// warnings; with --strict any of them stops the run.
func scanInput(cfg runConfig, e env) (*input.Source, *input.Index, error) {
	var src *input.Source
	var err error
	switch {
	case cfg.inputData != nil:
		src, err = input.OpenReader(cfg.inputPath, bytes.NewReader(cfg.inputData))
	case cfg.inputPath == "-":
		src, err = input.OpenReader("-", e.stdin)
	default:
		src, err = input.Open(cfg.inputPath)
	}
	if err != nil {
		return nil, nil, usageError("cannot read the input: %v", err)
	}
	ix, err := input.Scan(src)
	if err != nil {
		src.Close()
		return nil, nil, usageError("%v", err)
	}

	logRejections(cfg.logger, cfg.inputPath, ix.Rejected)
	switch {
	case ix.Pairs == 0 && ix.Rows == 0:
		src.Close()
		return nil, nil, usageError("%s: no data rows: the input is empty or contains only a header, blank lines and comments; add account/user pairs", cfg.inputPath)
	case ix.Pairs == 0:
		src.Close()
		return nil, nil, usageError("%s: no valid pair among %s; fix the rejected lines above", cfg.inputPath, plural(ix.Rows, "data row"))
	case cfg.strict && len(ix.Rejected) > 0:
		src.Close()
		return nil, nil, usageError("%s: %s rejected and --strict is set; fix them or drop --strict", cfg.inputPath, plural(len(ix.Rejected), "row"))
	}
	return src, ix, nil
}

// maxLoggedRejections limits the warnings for rejected rows; the reports
// list every one of them.
const maxLoggedRejections = 20

func logRejections(logger *slog.Logger, path string, rejected []input.Rejection) {
	for i, r := range rejected {
		if i == maxLoggedRejections {
			logger.Warn("more rows rejected; the reports list them all", "input", path, "more", len(rejected)-i)
			return
		}
		logger.Warn("row rejected", "input", path, "line", r.Line, "reason", r.Reason)
	}
}

func rejections(ix *input.Index) []report.Rejection {
	out := make([]report.Rejection, len(ix.Rejected))
	for i, r := range ix.Rejected {
		out[i] = report.Rejection{Line: r.Line, Reason: r.Reason, Text: r.Text}
	}
	return out
}

// openReports decides the report paths and opens a writer for each format.
// Writers write to temporary files beside their final path, so a failure
// to create one shows before the first request.
func openReports(cfg runConfig, started time.Time, columns []string) ([]report.Writer, error) {
	stamp := freeStamp(cfg, "accessaudit-"+started.Format("20060102T150405Z"))
	tool := report.Tool{Name: "accessaudit", Version: versionString()}
	var writers []report.Writer
	for _, format := range []string{"json", "xlsx"} {
		if !cfg.formats[format] {
			continue
		}
		path := cfg.jsonPath
		if format == "xlsx" {
			path = cfg.xlsxPath
		}
		if path == "" {
			if err := os.MkdirAll(cfg.outputDir, 0o755); err != nil {
				abortAll(writers)
				return nil, fatalError(fmt.Errorf("cannot create --output-dir: %w", err))
			}
			path = filepath.Join(cfg.outputDir, stamp+"."+format)
		}
		removeStaleTemps(cfg.logger, filepath.Dir(path))
		w, err := openReport(format, path, tool, columns, cfg.mode)
		if err != nil {
			abortAll(writers)
			return nil, fatalError(fmt.Errorf("cannot write the %s report: %w", format, err))
		}
		writers = append(writers, w)
	}
	return writers, nil
}

// removeStaleTemps deletes temporary report files that a killed run left in
// dir; a folder that cannot be listed is left for openReport to report.
func removeStaleTemps(logger *slog.Logger, dir string) {
	removed, _ := report.RemoveStale(dir)
	for _, path := range removed {
		logger.Info("removed a temporary file of an earlier run that was killed", "path", path)
	}
}

// freeStamp returns the base name for reports in --output-dir: stamp, or
// stamp-2, stamp-3, ... when a report of that name already exists there, so
// that two runs started in the same second never overwrite each other's
// evidence.
func freeStamp(cfg runConfig, stamp string) string {
	for n := 1; ; n++ {
		candidate := stamp
		if n > 1 {
			candidate = fmt.Sprintf("%s-%d", stamp, n)
		}
		taken := false
		for _, format := range []string{"json", "xlsx"} {
			if _, err := os.Lstat(filepath.Join(cfg.outputDir, candidate+"."+format)); err == nil {
				taken = true
			}
		}
		if !taken {
			return candidate
		}
	}
}

func openReport(format, path string, tool report.Tool, columns []string, mode string) (report.Writer, error) {
	if format == "json" {
		return report.NewJSON(path, tool, columns)
	}
	return report.NewXLSX(path, tool, columns, mode)
}

// commitAll finishes every report and prints each path on stdout as soon as
// that report is in place, so a failure of a later one still lists the
// reports that were written.
func commitAll(writers []report.Writer, run report.Run, sum *report.Summary, rejected []report.Rejection, stdout io.Writer) error {
	for _, w := range writers {
		if err := w.Commit(run, sum, rejected); err != nil {
			return fmt.Errorf("writing %s failed, no report left there: %w", w.Path(), err)
		}
		fmt.Fprintln(stdout, w.Path())
	}
	return nil
}

func abortAll(writers []report.Writer) {
	for _, w := range writers {
		_ = w.Abort()
	}
}

func newClient(cfg runConfig) (*audit.Client, error) {
	limit := rate.Limit(cfg.rate)
	if cfg.rate == 0 {
		limit = rate.Inf
	}
	return audit.NewClient(audit.Config{
		BaseURL:      cfg.baseURL,
		Key:          cfg.key,
		Limiter:      rate.NewLimiter(limit, cfg.burst),
		Concurrency:  cfg.concurrency,
		Timeout:      cfg.timeout,
		Retries:      cfg.retries,
		MaxRetryWait: cfg.maxRetryWait,
		UserAgent:    "accessaudit/" + version,
		Logger:       cfg.logger,
	})
}

// summaryLine is the one-line account of a run for stderr.
func summaryLine(run report.Run, sum *report.Summary) string {
	line := fmt.Sprintf("accessaudit: %d of %s checked: %d ok, %d not found, %d forbidden, %d error; %s",
		sum.Results(), plural(sum.Pairs, "pair"), sum.OK, sum.NotFound, sum.Forbidden, sum.Error, plural(sum.Administrators, "administrator"))
	if run.Mode == report.ModeOffboarding {
		line += fmt.Sprintf("; %d still have access", sum.StillHasAccess)
	}
	if run.Input.Rejected > 0 {
		line += fmt.Sprintf("; %s rejected", plural(run.Input.Rejected, "input row"))
	}
	if run.Interrupted {
		line += "; interrupted, reports are partial"
	}
	return line
}

// plural returns n with noun, adding "s" unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// pairErrorLog logs pairs that ended in error, at most maxLoggedErrors of
// them, and then how many more there were.
type pairErrorLog struct {
	logger *slog.Logger
	logged int
	more   int
}

const maxLoggedErrors = 20

func newPairErrorLog(logger *slog.Logger) *pairErrorLog { return &pairErrorLog{logger: logger} }

func (l *pairErrorLog) add(r *audit.Result) {
	if r.Outcome != audit.OutcomeError {
		return
	}
	if l.logged == maxLoggedErrors {
		l.more++
		return
	}
	l.logged++
	l.logger.Warn("pair failed", "client_id", r.ClientID, "user_id", r.UserID, "line", r.Line,
		"error_kind", string(r.ErrorKind), "error", r.Error, "attempts", r.Attempts)
}

func (l *pairErrorLog) close() {
	if l.more > 0 {
		l.logger.Warn("more pairs failed; the reports list them all", "more", l.more)
	}
}
