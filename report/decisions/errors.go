package decisions

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrNotWorkbook is wrapped by every *FormatError, so callers can test for
// it with errors.Is.
var ErrNotWorkbook = errors.New("not an accessaudit workbook")

// ErrInvalidCells is wrapped by every *CellsError.
var ErrInvalidCells = errors.New("invalid cells in the reviewed workbook")

// FormatError reports a workbook that lacks a sheet or a header column that
// Read needs, so it was not written by accessaudit or lost its layout.
type FormatError struct {
	Name    string   // the workbook's path, or "-" for standard input
	Missing []string // each missing sheet or set of header columns, in sheet order
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("%s: %v: %s; pass the .xlsx report that accessaudit run wrote, with its header rows unchanged",
		displayName(e.Name), ErrNotWorkbook, strings.Join(e.Missing, "; "))
}

func (e *FormatError) Unwrap() error { return ErrNotWorkbook }

// Problem is one thing to fix in a reviewed workbook.
type Problem struct {
	Cells  []string // the cells involved, as Excel names them, such as Results!P2
	Reason string   // what is wrong, with the value and the fix
}

// String returns the problem as "cells: reason".
func (p Problem) String() string {
	return strings.Join(p.Cells, ", ") + ": " + p.Reason
}

// CellsError lists every cell of a workbook that keeps its decisions from
// being used: unknown decisions, IDs that are not whole numbers on rows
// with a decision, and pairs with different decisions.
type CellsError struct {
	Name     string    // the workbook's path, or "-" for standard input
	Problems []Problem // cell problems in sheet and row order, then conflicts in pair order
}

// Error returns one line that names the workbook and the number of problems,
// followed by one indented line per problem.
func (e *CellsError) Error() string {
	var b strings.Builder
	noun := "problems"
	if len(e.Problems) == 1 {
		noun = "problem"
	}
	fmt.Fprintf(&b, "%s: %d %s with the decisions; fix these cells and run again:", displayName(e.Name), len(e.Problems), noun)
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

func (e *CellsError) Unwrap() error { return ErrInvalidCells }

// maxQuoted is the number of characters of a cell value that messages show.
const maxQuoted = 60

// quote returns s in double quotes with Go escapes, cut after maxQuoted
// characters and then marked with "…".
func quote(s string) string {
	runes := []rune(s)
	if len(runes) <= maxQuoted {
		return strconv.Quote(s)
	}
	return strconv.Quote(string(runes[:maxQuoted])) + "…"
}

// displayName returns the workbook name for messages.
func displayName(name string) string {
	if name == "-" {
		return "standard input"
	}
	return name
}
