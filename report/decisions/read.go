package decisions

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/accessaudit/accessaudit/audit"
	"github.com/accessaudit/accessaudit/report"
)

// Review is the content of a reviewed workbook that Read returns.
type Review struct {
	// Decisions contains every pair with a decision, Keep included, once, in
	// the order in which its decision first appears: the Results sheets
	// before the Administrators sheets, each sheet from top to bottom.
	Decisions []Decision

	// Unread lists the other sheets with a Decision column that contains
	// values, such as Still has access. Read does not use their decisions.
	Unread []UnreadSheet
}

// UnreadSheet is a sheet whose decisions Read does not use.
type UnreadSheet struct {
	Sheet string // the sheet's name
	First string // the first Decision cell with a value, such as 'Still has access'!P2
	Count int    // Decision cells with a value, below the header
}

// rawValues makes excelize return the values that cells store rather than
// the text their number formats display. An ID cell formatted as "#,##0"
// then reads 5001, not 5,001.
var rawValues = excelize.Options{RawCellValue: true}

// Read reads the decisions of the workbook at path. It returns a
// *FormatError when the workbook lacks the Results sheet or a header column,
// a *CellsError that lists every bad cell, or an error when the file is not
// a readable workbook.
//
// Rows are streamed, so memory grows with the pairs that have a decision
// rather than with the rows. Still, excelize v2.11.1 reads the whole file
// into memory, keeps the shared strings there and unpacks worksheets larger
// than 16 MiB to temporary files, which Read removes before it returns.
func Read(path string) (*Review, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the workbook: %w", err)
	}
	defer file.Close()

	info, err := file.Stat()
	if err != nil {
		return nil, fmt.Errorf("cannot read the workbook: %w", err)
	}
	return readArchive(path, file, info.Size())
}

// ReadReader is Read for a workbook that arrives as a stream, such as
// standard input. name is used in messages, with "-" shown as standard
// input. The whole stream is read into memory first.
func ReadReader(name string, r io.Reader) (*Review, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read the workbook: %w", displayName(name), err)
	}
	return readArchive(name, bytes.NewReader(data), int64(len(data)))
}

// readArchive checks and opens the workbook of size bytes in r, and reads
// its decisions.
func readArchive(name string, r io.ReaderAt, size int64) (*Review, error) {
	if err := checkArchive(r, size); err != nil {
		return nil, notXLSX(name, err)
	}
	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size))
	if err != nil {
		if f != nil {
			_ = f.Close() // the open error matters more
		}
		return nil, notXLSX(name, err)
	}

	review, err := read(name, f)

	// Close removes the temporary files of large worksheets.
	if closeErr := f.Close(); closeErr != nil && err == nil {
		return nil, fmt.Errorf("%s: remove temporary files: %w", displayName(name), closeErr)
	}
	return review, err
}

// notXLSX explains that a file is not a readable workbook.
func notXLSX(name string, err error) error {
	return fmt.Errorf("%s: cannot read the file as an .xlsx workbook: %w; pass the .xlsx report that accessaudit run wrote",
		displayName(name), err)
}

// read reads the decisions of an open workbook in three steps: check the
// headers of every sheet to read, read the decisions, then look for
// decisions on the other sheets.
func read(name string, f *excelize.File) (*Review, error) {
	r := &reader{name: name, file: f, index: make(map[audit.Pair]int)}
	sheets := f.GetSheetList()

	plan, err := r.plan(sheets)
	if err != nil {
		return nil, err
	}

	for _, s := range plan {
		if err := r.readSheet(s.name, s.cols); err != nil {
			return nil, err
		}
	}
	decisions := r.decisions()
	if len(r.problems) > 0 {
		return nil, &CellsError{Name: name, Problems: r.problems}
	}

	return &Review{Decisions: decisions, Unread: r.unreadSheets(sheets, plan)}, nil
}

// reader collects the decisions of one workbook.
type reader struct {
	name     string
	file     *excelize.File
	index    map[audit.Pair]int // position of each decided pair in votes
	votes    []pairVotes        // decided pairs in order of first appearance
	problems []Problem
}

// pairVotes is every decision found for one pair.
type pairVotes struct {
	pair     audit.Pair
	actions  []Action
	cells    []string // the Decision cell of each action
	comments []string // distinct non-empty comments of the decided rows
}

// plannedSheet is a sheet to read and the positions of its columns.
type plannedSheet struct {
	name string
	cols columns
}

// plan returns the sheets to read, in reading order, after checking that
// each has the columns that Read needs. It returns a *FormatError naming
// everything that is missing.
func (r *reader) plan(sheets []string) ([]plannedSheet, error) {
	var plan []plannedSheet
	var missing []string
	for _, base := range readSeries {
		for _, sheet := range seriesSheets(sheets, base) {
			header, err := r.header(sheet)
			if err != nil {
				return nil, err
			}
			cols := findColumns(header)
			if names := cols.missing(); len(names) > 0 {
				noun := "column"
				if len(names) > 1 {
					noun = "columns"
				}
				missing = append(missing, fmt.Sprintf("sheet %q lacks the %s %s in row 1", sheet, noun, strings.Join(names, ", ")))
			}
			plan = append(plan, plannedSheet{sheet, cols})
		}
	}

	if len(plan) == 0 || plan[0].name != report.SheetResults {
		missing = append([]string{fmt.Sprintf("there is no sheet named %q", report.SheetResults)}, missing...)
	}
	if len(missing) > 0 {
		return nil, &FormatError{Name: r.name, Missing: missing}
	}
	return plan, nil
}

// header returns the cells of row 1 of sheet.
func (r *reader) header(sheet string) ([]string, error) {
	var header []string
	err := r.eachRow(sheet, func(_ int, cells []string) error {
		header = cells
		return errStop
	})
	return header, err
}

// readSheet adds the decisions of the data rows of sheet.
func (r *reader) readSheet(sheet string, cols columns) error {
	return r.eachRow(sheet, func(row int, cells []string) error {
		if row > 1 {
			r.readRow(sheet, row, cells, cols)
		}
		return nil
	})
}

// readRow adds the decision of one data row, or a problem for each bad
// cell. A row without a decision is skipped without a look at its IDs.
func (r *reader) readRow(sheet string, row int, cells []string, cols columns) {
	value := cellAt(cells, cols.decision)
	if normalizeSpaces(value) == "" {
		return
	}
	cell := cellName(sheet, cols.decision, row)

	action, known := parseAction(value)
	if !known {
		r.addProblem("decision "+quote(value)+" is not Keep, Revoke or Change group (case and spaces are ignored); choose one of them or clear the cell", cell)
	}
	client, clientOK := r.readID(sheet, row, cells, cols.account, "account ID")
	user, userOK := r.readID(sheet, row, cells, cols.user, "user ID")

	if known && clientOK && userOK {
		r.addVote(audit.Pair{ClientID: client, UserID: user}, action, cell, cellAt(cells, cols.comment))
	}
}

// readID parses the ID in column col of a row, or adds a problem.
func (r *reader) readID(sheet string, row int, cells []string, col int, role string) (int64, bool) {
	id, reason := parseID(role, cellAt(cells, col))
	if reason != "" {
		r.addProblem(reason, cellName(sheet, col, row))
		return 0, false
	}
	return id, true
}

func (r *reader) addProblem(reason string, cells ...string) {
	r.problems = append(r.problems, Problem{Cells: cells, Reason: reason})
}

// addVote records a decision about pair found in cell.
func (r *reader) addVote(pair audit.Pair, action Action, cell, comment string) {
	i, seen := r.index[pair]
	if !seen {
		i = len(r.votes)
		r.index[pair] = i
		r.votes = append(r.votes, pairVotes{pair: pair})
	}

	v := &r.votes[i]
	v.actions = append(v.actions, action)
	v.cells = append(v.cells, cell)
	if c := cleanComment(comment); c != "" && !slices.Contains(v.comments, c) {
		v.comments = append(v.comments, c)
	}
}

// decisions returns one decision per pair, and adds a problem for each pair
// with different decisions.
func (r *reader) decisions() []Decision {
	decisions := make([]Decision, 0, len(r.votes))
	for _, v := range r.votes {
		if !v.agree() {
			r.addProblem(v.conflict(), v.cells...)
			continue
		}
		decisions = append(decisions, Decision{
			Pair:    v.pair,
			Action:  v.actions[0],
			Comment: strings.Join(v.comments, "; "),
			Cell:    v.cells[0],
		})
	}
	return decisions
}

// agree reports whether every decision about the pair is the same.
func (v *pairVotes) agree() bool {
	for _, a := range v.actions[1:] {
		if a != v.actions[0] {
			return false
		}
	}
	return true
}

// conflict describes the different decisions about the pair.
func (v *pairVotes) conflict() string {
	found := make([]string, len(v.actions))
	for i, a := range v.actions {
		found[i] = fmt.Sprintf("%s in %s", a, v.cells[i])
	}
	return fmt.Sprintf("account %d, user %d has different decisions (%s); make them the same or clear all but one",
		v.pair.ClientID, v.pair.UserID, strings.Join(found, ", "))
}

// cleanComment trims a Reviewer comment and writes its line breaks as "\n",
// as Excel does inside a cell.
func cleanComment(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.TrimSpace(s)
}
