package report

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/accessaudit/accessaudit/audit"
)

// This file compares a workbook, as a spreadsheet program shows its cells,
// with the JSON report written from the same entries. The expectations come
// from the JSON report and the workbook rules of the package documentation,
// never from the workbook itself.

// summaryView is the Summary sheet as text, split into its sections.
type summaryView struct {
	title    string
	notes    []string // lines between the title and the status line
	status   string
	outcomes map[string]string
	groups   [][2]string // name and count, in sheet order
	run      map[string]string
	input    map[string]string
	accounts [][]string // one row per account, with the header first
	total    []string   // the "All accounts" row
}

// sheetRows returns the rows of a sheet as text, padded to width cells.
func sheetRows(t *testing.T, f *excelize.File, sheet string, width int) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("read sheet %q: %v", sheet, err)
	}
	for i, row := range rows {
		for len(row) < width {
			row = append(row, "")
		}
		rows[i] = row
	}
	return rows
}

// parseSummary reads the Summary sheet into its sections, found by their
// headings in column A.
func parseSummary(t *testing.T, f *excelize.File) summaryView {
	t.Helper()
	rows := sheetRows(t, f, SheetSummary, 8)
	v := summaryView{outcomes: map[string]string{}, run: map[string]string{}, input: map[string]string{}}
	if len(rows) < 3 {
		t.Fatalf("Summary has %d rows, want a title, notes and sections", len(rows))
	}

	v.title = rows[0][0]
	i := 1
	for ; i < len(rows) && rows[i][0] != ""; i++ {
		v.notes = append(v.notes, rows[i][0])
	}
	if len(v.notes) > 0 {
		v.status, v.notes = v.notes[len(v.notes)-1], v.notes[:len(v.notes)-1]
	}

	section := ""
	for _, row := range rows[i:] {
		switch row[0] {
		case "Outcomes", "Groups (ok results)", "Run", "Coverage by account":
			section = row[0]
			continue
		case "":
			continue
		}

		switch section {
		case "Outcomes":
			v.outcomes[row[0]] = row[1]
		case "Groups (ok results)":
			v.groups = append(v.groups, [2]string{row[0], row[1]})
		case "Run":
			v.run[row[0]] = row[1]
			if row[3] != "" {
				v.input[row[3]] = row[4]
			}
		case "Coverage by account":
			switch {
			case row[0] == "All accounts":
				v.total = row[:8]
			case row[1] != "": // the explanation line has one cell
				v.accounts = append(v.accounts, row[:8])
			}
		}
	}
	return v
}

// expectedSummary returns the Summary sheet that the JSON report doc calls
// for.
func expectedSummary(doc reportDoc) summaryView {
	run, sum := doc.Run, doc.Summary
	offboarding := run.Mode == ModeOffboarding
	itoa := strconv.Itoa

	v := summaryView{title: "Access audit report"}
	okHeader := "ok"
	outcomeLabels := []string{"ok (200)", "not_found (404)", "forbidden (403): coverage gap", "error: no answer after retries"}
	if offboarding {
		v.title = "Offboarding sweep report"
		okHeader = "Still has access"
		outcomeLabels[1] = "not_found (404): the good result"
	}

	results := sum.OK + sum.NotFound + sum.Forbidden + sum.Error
	switch {
	case run.Interrupted:
		v.status = fmt.Sprintf("Incomplete: the run was interrupted, and %d of %d pairs have no result.", sum.Pairs-results, sum.Pairs)
	case !run.Complete:
		v.status = fmt.Sprintf("Incomplete: %d of %d pairs have no result.", sum.Pairs-results, sum.Pairs)
	default:
		v.status = fmt.Sprintf("Complete: all %d pairs have a result.", sum.Pairs)
	}
	if sum.Error > 0 {
		v.status += fmt.Sprintf(" %d ended in error; see Needs attention and run again to retry them.", sum.Error)
	}

	accounts, total := expectedAccounts(doc.Results)
	gaps := 0
	for _, row := range accounts {
		if row[7] != "full" {
			gaps++
		}
	}
	unapproved := "no approved list given"
	if sum.UnapprovedAdministrators != nil {
		unapproved = itoa(*sum.UnapprovedAdministrators)
	}
	v.outcomes = map[string]string{
		"Pairs in the input":           itoa(sum.Pairs),
		"Pairs without a result":       itoa(sum.Pairs - results),
		outcomeLabels[0]:               itoa(sum.OK),
		outcomeLabels[1]:               itoa(sum.NotFound),
		outcomeLabels[2]:               itoa(sum.Forbidden),
		outcomeLabels[3]:               itoa(sum.Error),
		"Administrators":               itoa(sum.Administrators),
		"Unapproved administrators":    unapproved,
		"Accounts":                     itoa(len(accounts)),
		"Accounts with a coverage gap": itoa(gaps),
	}
	if offboarding {
		v.outcomes["Still has access: findings"] = itoa(sum.StillHasAccess)
	}

	names := make([]string, 0, len(sum.Groups))
	for name := range sum.Groups {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(sum.Groups[b], sum.Groups[a]), cmp.Compare(a, b))
	})
	for _, name := range names {
		v.groups = append(v.groups, [2]string{cellText(name), itoa(sum.Groups[name])})
	}
	if len(names) == 0 {
		v.groups = [][2]string{{"(none: no pair returned a group)", ""}}
	}

	yes := map[bool]string{true: "yes", false: "no"}
	v.run = map[string]string{
		"Mode":                             run.Mode,
		"Started (UTC)":                    run.StartedAt,
		"Finished (UTC)":                   run.FinishedAt,
		"Complete":                         yes[run.Complete],
		"Interrupted":                      yes[run.Interrupted],
		"Rate (requests/s, 0 = no limit)":  strconv.FormatFloat(run.RatePerSecond, 'f', -1, 64),
		"Burst (requests)":                 itoa(run.Burst),
		"Concurrency (requests in flight)": itoa(run.Concurrency),
		"Tool version":                     doc.Tool.Name + " " + doc.Tool.Version,
		"Base URL":                         cellText(run.BaseURL),
	}
	v.input = map[string]string{
		"File":           cellText(run.Input.Path),
		"SHA-256":        run.Input.SHA256,
		"Data rows":      itoa(run.Input.Rows),
		"Unique pairs":   itoa(run.Input.Pairs),
		"Rejected rows":  itoa(run.Input.Rejected),
		"Duplicate rows": itoa(run.Input.Duplicates),
	}

	header := []string{"Account ID", "Pairs", okHeader, "Administrators", "not_found", "forbidden", "error", "Coverage"}
	v.accounts = append([][]string{header}, accounts...)
	v.total = total
	return v
}

// expectedAccounts counts the results of the JSON report per account and
// returns the rows of the per-account table, in ascending account order,
// and its total row.
func expectedAccounts(results []resultDoc) ([][]string, []string) {
	type counts struct{ pairs, ok, admins, notFound, forbidden, errors int }
	byAccount := map[int64]*counts{}
	var total counts
	for _, r := range results {
		c := byAccount[r.ClientID]
		if c == nil {
			c = &counts{}
			byAccount[r.ClientID] = c
		}
		for _, c := range []*counts{c, &total} {
			c.pairs++
			switch r.Outcome {
			case "ok":
				c.ok++
			case "not_found":
				c.notFound++
			case "forbidden":
				c.forbidden++
			case "error":
				c.errors++
			}
			if r.Admin {
				c.admins++
			}
		}
	}

	row := func(first string, c counts) []string {
		coverage := "partial"
		switch {
		case c.forbidden+c.errors == 0:
			coverage = "full"
		case c.ok+c.notFound == 0:
			coverage = "none"
		}
		itoa := strconv.Itoa
		return []string{first, itoa(c.pairs), itoa(c.ok), itoa(c.admins), itoa(c.notFound), itoa(c.forbidden), itoa(c.errors), coverage}
	}

	ids := make([]int64, 0, len(byAccount))
	for id := range byAccount {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var rows [][]string
	for _, id := range ids {
		rows = append(rows, row(strconv.FormatInt(id, 10), *byAccount[id]))
	}
	return rows, row("All accounts", total)
}

// checkSummary compares the Summary sheet of f with the JSON report.
func checkSummary(t *testing.T, f *excelize.File, doc reportDoc) {
	t.Helper()
	got, want := parseSummary(t, f), expectedSummary(doc)

	if got.title != want.title {
		t.Errorf("Summary title = %q, want %q", got.title, want.title)
	}
	if got.status != want.status {
		t.Errorf("Summary status = %q, want %q", got.status, want.status)
	}
	checkNotes(t, got.notes, doc.Run.Mode)
	compareMaps(t, "Summary outcomes", got.outcomes, want.outcomes)
	compareMaps(t, "Summary run", got.run, want.run)
	compareMaps(t, "Summary input", got.input, want.input)
	if !slices.Equal(got.groups, want.groups) {
		t.Errorf("Summary groups = %q, want %q", got.groups, want.groups)
	}
	compareRows(t, "Summary accounts", got.accounts, want.accounts)
	if !slices.Equal(got.total, want.total) {
		t.Errorf("Summary total row = %q, want %q", got.total, want.total)
	}
}

// checkNotes checks that the notes explain in words what each outcome means
// in the mode.
func checkNotes(t *testing.T, notes []string, mode string) {
	t.Helper()
	want := []string{"403 (forbidden) is a coverage gap", "Decision"}
	if mode == ModeOffboarding {
		want = []string{
			"Offboarding sweep",
			"404 (not_found) is the good result",
			"403 (forbidden) is a coverage gap",
			"still have access: those rows are findings",
		}
	}
	text := strings.Join(notes, "\n")
	for _, phrase := range want {
		if !strings.Contains(text, phrase) {
			t.Errorf("Summary notes lack %q:\n%s", phrase, text)
		}
	}
}

func compareMaps(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for key, w := range want {
		if g, ok := got[key]; !ok || g != w {
			t.Errorf("%s %q = %q, want %q", what, key, abbreviate(g), abbreviate(w))
		}
	}
	for key, g := range got {
		if _, ok := want[key]; !ok {
			t.Errorf("%s has unexpected row %q = %q", what, key, g)
		}
	}
}

func compareRows(t *testing.T, what string, got, want [][]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s has %d rows, want %d", what, len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		for j := range max(len(got[i]), len(want[i])) {
			g, w := cellAt(got[i], j), cellAt(want[i], j)
			if g != w {
				t.Errorf("%s row %d column %d = %q, want %q", what, i+1, j+1, abbreviate(g), abbreviate(w))
			}
		}
	}
}

func cellAt(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

// seriesRows returns the header and the data rows of a sheet and its
// overflow sheets, in sheet order.
func seriesRows(t *testing.T, f *excelize.File, base string, width int) (header []string, data [][]string) {
	t.Helper()
	for _, sheet := range f.GetSheetList() {
		if sheet != base && !strings.HasPrefix(sheet, base+" (") {
			continue
		}
		rows := sheetRows(t, f, sheet, width)
		if len(rows) == 0 {
			t.Fatalf("sheet %q is empty, want a header row", sheet)
		}
		header = rows[0]
		data = append(data, rows[1:]...)
	}
	return header, data
}

// expectedDataRow returns a data row as the workbook shows it for one
// result of the JSON report.
func expectedDataRow(r resultDoc, columns []string) []string {
	text := func(s *string) string {
		if s == nil {
			return ""
		}
		return cellText(*s)
	}
	number := func(n *int64) string {
		if n == nil {
			return ""
		}
		return strconv.FormatInt(*n, 10)
	}
	yes := map[bool]string{true: "yes", false: "no"}

	row := []string{strconv.Itoa(r.Line), strconv.FormatInt(r.ClientID, 10), strconv.FormatInt(r.UserID, 10)}
	for _, name := range columns {
		row = append(row, cellText(r.Columns[name]))
	}
	status := ""
	if r.HTTPStatus != 0 {
		status = strconv.Itoa(r.HTTPStatus)
	}
	approved := ""
	if r.Approved != nil {
		approved = yes[*r.Approved]
	}
	var lines []string
	for _, l := range r.Lines {
		lines = append(lines, strconv.Itoa(l))
	}
	return append(row, r.Outcome, status, number(r.GroupID), text(r.GroupName), yes[r.Admin], approved,
		text(r.ErrorKind), text(r.Error), strconv.Itoa(r.Attempts), strings.Join(lines, ", "), "", "")
}

// checkDataSheets compares Results, Administrators, Still has access, Needs
// attention and Rejected input with the JSON report, sheet by sheet.
func checkDataSheets(t *testing.T, f *excelize.File, doc reportDoc, columns []string) {
	t.Helper()
	header := []string{"Line", "Account ID", "User ID"}
	header = append(header, columns...)
	header = append(header, "Outcome", "HTTP status", "Group ID", "Group name", "Administrator", "Approved",
		"Error kind", "Error", "Attempts", "Lines", "Decision", "Reviewer comment")

	sheets := []struct {
		base string
		keep func(r resultDoc) bool
	}{
		{SheetResults, func(resultDoc) bool { return true }},
		{SheetAdministrators, func(r resultDoc) bool { return r.Admin }},
		{SheetNeedsAttention, func(r resultDoc) bool { return r.Outcome == "forbidden" || r.Outcome == "error" }},
	}
	if doc.Run.Mode == ModeOffboarding {
		sheets = append(sheets, struct {
			base string
			keep func(r resultDoc) bool
		}{SheetStillHasAccess, func(r resultDoc) bool { return r.StillHasAccess }})
	}

	for _, s := range sheets {
		var want [][]string
		for _, r := range doc.Results {
			if s.keep(r) {
				want = append(want, expectedDataRow(r, columns))
			}
		}
		gotHeader, got := seriesRows(t, f, s.base, len(header))
		if !slices.Equal(gotHeader, header) {
			t.Errorf("%s header = %q, want %q", s.base, gotHeader, header)
		}
		compareRows(t, s.base, got, want)
	}

	var want [][]string
	for _, r := range doc.Rejected {
		want = append(want, []string{strconv.Itoa(r.Line), cellText(r.Reason), cellText(r.Text)})
	}
	gotHeader, got := seriesRows(t, f, SheetRejected, 3)
	if !slices.Equal(gotHeader, []string{"Line", "Reason", "Text"}) {
		t.Errorf("%s header = %q", SheetRejected, gotHeader)
	}
	compareRows(t, SheetRejected, got, want)
}

// checkWorkbook compares every sheet of f with the JSON report and checks
// that no cell holds a formula.
func checkWorkbook(t *testing.T, f *excelize.File, doc reportDoc, columns []string) {
	t.Helper()
	want := []string{SheetSummary, SheetResults, SheetAdministrators, SheetNeedsAttention, SheetRejected}
	if doc.Run.Mode == ModeOffboarding {
		want = slices.Insert(want, 3, SheetStillHasAccess)
	}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}

	checkSummary(t, f, doc)
	checkDataSheets(t, f, doc, columns)
	checkNoFormulas(t, f)
}

// checkNoFormulas fails the test for any cell of f that holds a formula.
func checkNoFormulas(t *testing.T, f *excelize.File) {
	t.Helper()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
					t.Errorf("%s!%s holds formula %q, want a value", sheet, ref, formula)
				}
			}
		}
	}
}

// reviewColumns are the extra input columns of reviewResults.
var reviewColumns = []string{"E-mail", "Full name", "Note"}

// reviewResults covers every outcome and error kind, both administrator
// rules, an unknown group and a group without a name. Its text is
// formula-like, non-ASCII, multi-line, XML-forbidden and over-long, and it
// has IDs of more than 15 digits, a pair on several lines, and accounts with
// full, partial and no coverage.
func reviewResults() []*audit.Result {
	long := strings.Repeat("Lorem ipsum dolor sit amet, ", 1500) // 42,000 characters, past a cell
	job := func(line int, client, user int64, columns ...string) audit.Job {
		return audit.Job{Pair: audit.Pair{ClientID: client, UserID: user}, Seq: line - 2, Line: line, Lines: []int{line}, Columns: columns}
	}
	ok := func(j audit.Job, id int64, name *string) *audit.Result {
		return &audit.Result{Job: j, Outcome: audit.OutcomeOK, HTTPStatus: 200, GroupID: &id, GroupName: name, Attempts: 1}
	}
	failed := func(j audit.Job, outcome audit.Outcome, status int, kind audit.ErrorKind, msg string, attempts int) *audit.Result {
		return &audit.Result{Job: j, Outcome: outcome, HTTPStatus: status, ErrorKind: kind, Error: msg, Attempts: attempts}
	}

	repeated := job(20, 1009, 2018, "grace@example.com", "Grace Hopper", "listed three times")
	repeated.Lines = []int{20, 25, 31}
	return []*audit.Result{
		ok(job(2, 1001, 2001, "alice@example.com", "Alice Ångström", `=HYPERLINK("http://127.0.0.1","x")`), 1, ptr("Administrators")),
		ok(job(3, 1001, 2002, "bob@example.com", "李雷 (Li Lei)", "+1+2"), 2, ptr("Users")),
		ok(job(4, 1001, 2003, "carol@example.com", "Carol 🙂", "-5"), 3009, ptr("Purge and Prefetch only (API+Web)")),
		ok(job(5, 1002, 2004, "", "مرحبا بالعالم", "@SUM(A1)"), 4242, ptr("Billing viewers")),
		ok(job(6, 1002, 2005, "dave@example.com", "Dave", "line one\nline two"), 77, nil),
		ok(job(7, 1002, 2006, "erin@example.com", "Erin\x07Bell", "  padded  "), 3022, ptr(" administrators ")),
		failed(job(8, 1003, 2007, "frank@example.com"), audit.OutcomeNotFound, 404, "", "user not found", 1),
		failed(job(9, 1004, 2008, "gina@example.com"), audit.OutcomeForbidden, 403, "", "you do not have permission for account 1004", 1),
		failed(job(10, 1005, 2009), audit.OutcomeError, 503, audit.KindServerError, "503 Service Unavailable after 6 attempts", 6),
		failed(job(11, 1005, 2010), audit.OutcomeError, 429, audit.KindRateLimited, "Retry-After 600s exceeds --max-retry-wait 2m0s", 1),
		failed(job(12, 1006, 2011), audit.OutcomeError, 0, audit.KindTimeout, "no response within 30s", 6),
		failed(job(13, 1006, 2012), audit.OutcomeError, 0, audit.KindNetwork, "connection refused", 6),
		failed(job(14, 1007, 2013), audit.OutcomeError, 200, audit.KindInvalidResponse, "response has no user_role", 1),
		failed(job(15, 1007, 2014), audit.OutcomeError, 302, audit.KindUnexpectedStatus, "redirect to http://127.0.0.1/login", 1),
		ok(job(16, 1234567890123456, 2015, "henry@example.com", "Henry", "account ID of 16 digits"), 1, ptr("Administrators")),
		failed(job(17, 1008, 9876543210987654, "ida@example.com", "Ida", "user ID of 16 digits"), audit.OutcomeNotFound, 404, "", "", 1),
		ok(job(18, 1009, 2017, "jo@example.com", "Jo", long), 2, ptr("Users")),
		ok(repeated, 5, ptr("Engineers")),
		failed(job(23, 1004, 2019, "kim@example.com", "Kim", "gone from a partly covered account"), audit.OutcomeNotFound, 404, "", "", 1),
	}
}

// reviewRejected are the rejected rows of the review run, with text that
// looks like formulas.
var reviewRejected = []Rejection{
	{Line: 19, Reason: `user ID "abc" is not an integer; write the ID with digits only`, Text: "=1+1;abc"},
	{Line: 21, Reason: `account ID "1.23E+11" is in scientific notation; format the column as Text and export again`, Text: "1.23E+11;5;Zoë"},
}

// reviewRun returns the run of reviewResults in the given mode.
func reviewRun(mode string) Run {
	run := sampleRun(mode)
	run.Input.Path = "exports/pairs & more.csv"
	run.Input.Pairs = len(reviewResults())
	run.Input.Rejected = len(reviewRejected)
	run.Input.Duplicates = 2
	run.Input.Rows = run.Input.Pairs + run.Input.Rejected + run.Input.Duplicates
	return run
}

// writeReviewReports writes the JSON report and the workbook of the review
// run into dir, from the same entries, and returns the workbook path and
// the decoded JSON report.
func writeReviewReports(t *testing.T, dir string, policy Policy) (string, reportDoc) {
	t.Helper()
	xlsxPath := filepath.Join(dir, "review-"+policy.Mode+".xlsx")
	jsonPath := filepath.Join(dir, "review-"+policy.Mode+".json")

	xw, err := NewXLSX(xlsxPath, sampleTool, reviewColumns, policy.Mode)
	if err != nil {
		t.Fatal(err)
	}
	jw, err := NewJSON(jsonPath, sampleTool, reviewColumns)
	if err != nil {
		t.Fatal(err)
	}

	run := reviewRun(policy.Mode)
	sum := NewSummary(run.Input.Pairs, policy.Approved != nil)
	for _, r := range reviewResults() {
		e := policy.Entry(r)
		sum.Add(e)
		for _, w := range []Writer{xw, jw} {
			if err := w.Write(e); err != nil {
				t.Fatalf("write line %d: %v", r.Line, err)
			}
		}
	}
	for _, w := range []Writer{xw, jw} {
		if err := w.Commit(run, sum, reviewRejected); err != nil {
			t.Fatal(err)
		}
	}

	var doc reportDoc
	dec := json.NewDecoder(bytes.NewReader(readFile(t, jsonPath)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("decode JSON report: %v", err)
	}
	return xlsxPath, doc
}

// reviewPolicies are the policies the comparison tests run: both modes, and
// audit mode with an approved list.
func reviewPolicies() []Policy {
	return []Policy{
		{Mode: ModeAudit},
		{Mode: ModeAudit, Approved: map[audit.Pair]bool{{ClientID: 1001, UserID: 2001}: true}},
		{Mode: ModeOffboarding},
	}
}

func TestXLSXMatchesJSONReport(t *testing.T) {
	for _, policy := range reviewPolicies() {
		t.Run(fmt.Sprintf("%s approved list %v", policy.Mode, policy.Approved != nil), func(t *testing.T) {
			path, doc := writeReviewReports(t, t.TempDir(), policy)
			f, err := excelize.OpenFile(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			checkWorkbook(t, f, doc, reviewColumns)
		})
	}
}
