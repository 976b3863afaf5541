package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/accessaudit/accessaudit/input"
)

func validateCommand(e env) *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check an input file and print what would be audited and every rejected line; sends no request",
		ArgsUsage: "PAIRS.csv (or - for standard input)",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "strict", Usage: "exit with status 2 if any row is rejected"},
		},
		Action: func(c *cli.Context) error { return validateAction(c, e) },
	}
}

// validateAction prints the input's counts, each pair to audit and each
// rejected row on stdout. It exits 0 when at least one pair is valid, and 2
// when none is or when --strict is set and a row was rejected.
func validateAction(c *cli.Context, e env) error {
	if c.NArg() != 1 {
		return usageError("validate needs exactly one input file (or - for standard input), got %d arguments", c.NArg())
	}
	path := c.Args().First()
	var src *input.Source
	var err error
	if path == "-" {
		src, err = input.OpenReader("-", e.stdin)
	} else {
		src, err = input.Open(path)
	}
	if err != nil {
		return usageError("cannot read the input: %v", err)
	}
	defer src.Close()
	ix, err := input.Scan(src)
	if err != nil {
		return usageError("%s: %v", path, err)
	}

	printCounts(e.stdout, path, ix)
	if err := printPairs(e.stdout, src, ix); err != nil {
		return usageError("%s: %v", path, err)
	}
	for _, r := range ix.Rejected {
		fmt.Fprintf(e.stdout, "line %d: rejected: %s: %q\n", r.Line, r.Reason, r.Text)
	}

	switch {
	case ix.Pairs == 0:
		return usageError("%s: no valid pair among %d data rows", path, ix.Rows)
	case c.Bool("strict") && len(ix.Rejected) > 0:
		return usageError("%s: %d rows rejected (--strict)", path, len(ix.Rejected))
	}
	return nil
}

func printCounts(w io.Writer, path string, ix *input.Index) {
	fmt.Fprintf(w, "%s: %d data rows: %d pairs to audit, %d rejected, %d duplicates (sha256 %s)\n",
		path, ix.Rows, ix.Pairs, len(ix.Rejected), ix.Duplicates, ix.SHA256)
	if len(ix.Columns) > 0 {
		fmt.Fprintf(w, "extra columns: %s\n", strings.Join(ix.Columns, ", "))
	}
}

// printPairs lists every unique pair with the lines that name it.
func printPairs(w io.Writer, src *input.Source, ix *input.Index) error {
	for job, err := range ix.Jobs(src) {
		if err != nil {
			return err
		}
		label := fmt.Sprintf("line %d", job.Line)
		if len(job.Lines) > 1 {
			label = "lines " + joinInts(job.Lines)
		}
		fmt.Fprintf(w, "%s: account %d, user %d\n", label, job.ClientID, job.UserID)
	}
	return nil
}

func joinInts(values []int) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, ", ")
}
