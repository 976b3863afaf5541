package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/accessaudit/accessaudit/report/decisions"
)

func decisionsCommand(e env) *cli.Command {
	return &cli.Command{
		Name:      "decisions",
		Usage:     "print the pairs that reviewers marked Revoke or Change group in a workbook, as CSV input for run",
		ArgsUsage: "REVIEWED.xlsx (or - for standard input)",
		Description: "Reads the Decision column of the Results and Administrators sheets, and of their overflow sheets\n" +
			"such as \"Results (2)\", in a workbook that accessaudit wrote and reviewers filled in. A decision is\n" +
			"Keep, Revoke or Change group, ignoring case and spaces; an empty cell means undecided.\n\n" +
			"Prints client_id,user_id,decision,comment on stdout and one row per pair marked Revoke or\n" +
			"Change group, with its Reviewer comment, in the order the decisions first appear. The output\n" +
			"is valid input for run, for example for an offboarding sweep.\n\n" +
			"Exits 2 and names the cells for an unknown decision, an ID that is not a whole number on a\n" +
			"row with a decision, or different decisions for one pair, and for a file that is not an\n" +
			"accessaudit workbook.",
		Action: func(c *cli.Context) error { return decisionsAction(c, e) },
	}
}

// decisionsAction prints the decisions to change as CSV on stdout. Every
// problem with the workbook exits 2 before anything is printed; a failed
// write to stdout exits 1.
func decisionsAction(c *cli.Context, e env) error {
	if c.NArg() != 1 {
		return usageError("decisions needs exactly one workbook (or - for standard input), got %d arguments", c.NArg())
	}
	path := c.Args().First()

	review, err := readReview(e, path)
	if err != nil {
		return usageError("%w", err)
	}

	if err := decisions.WriteCSV(e.stdout, review.Decisions); err != nil {
		return fatalError(fmt.Errorf("write the decisions to standard output: %w", err))
	}
	for _, u := range review.Unread {
		fmt.Fprintf(e.stderr, "accessaudit: warning: sheet %q has a decision in %s, the first in %s, but decisions are "+
			"read only from Results and Administrators; enter them there to include them\n", u.Sheet, countCells(u.Count), u.First)
	}
	if e.stderrIsTerminal {
		fmt.Fprintln(e.stderr, decisionsSummary(path, review.Decisions))
	}
	return nil
}

// readReview reads the workbook at path, or from standard input for "-".
func readReview(e env, path string) (*decisions.Review, error) {
	if path == "-" {
		return decisions.ReadReader(path, e.stdin)
	}
	return decisions.Read(path)
}

// decisionsSummary returns the one-line count of the decisions for a person
// watching stderr.
func decisionsSummary(path string, ds []decisions.Decision) string {
	counts := make(map[decisions.Action]int)
	for _, d := range ds {
		counts[d.Action]++
	}
	if path == "-" {
		path = "standard input"
	}
	return fmt.Sprintf("accessaudit: %s: pairs to change: %d (%d %s, %d %s); pairs to keep: %d",
		path, counts[decisions.Revoke]+counts[decisions.ChangeGroup],
		counts[decisions.Revoke], decisions.Revoke, counts[decisions.ChangeGroup], decisions.ChangeGroup,
		counts[decisions.Keep])
}

// countCells returns "1 cell" or "n cells".
func countCells(n int) string {
	if n == 1 {
		return "1 cell"
	}
	return fmt.Sprintf("%d cells", n)
}
