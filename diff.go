package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/accessaudit/accessaudit/report/diff"
)

// diffFailOnValues are the conditions --fail-on of diff accepts.
const diffFailOnValues = "new-admin or none"

func diffCommand(e env) *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "show what changed between two JSON reports: administrators, groups, coverage and pairs",
		ArgsUsage: "OLD.json NEW.json (either may be - for standard input)",
		Description: "Compares the reports pair by pair and prints new and removed administrators, group changes,\n" +
			"coverage lost and gained (403 before or after), other outcome changes, and pairs that appeared or\n" +
			"disappeared. Exits 0 whether or not anything changed, 3 with --fail-on new-admin when an\n" +
			"administrator appeared, and 2 when a report cannot be read or has another report_version than 1.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print the changes as one JSON object instead of tables"},
			&cli.StringFlag{Name: "fail-on", Value: "none", Usage: "exit with status 3 when a condition is met: " + diffFailOnValues},
		},
		Action: func(c *cli.Context) error { return diffAction(c, e) },
	}
}

// diffAction compares the two reports and prints the changes on stdout. In
// --json mode the warnings also go to stderr, because stdout is read by a
// program; the text form prints them itself.
func diffAction(c *cli.Context, e env) error {
	if c.NArg() != 2 {
		return usageError("diff needs exactly two reports, OLD.json and NEW.json (arguments given: %d)", c.NArg())
	}
	failOnNewAdmin, err := parseDiffFailOn(c.String("fail-on"))
	if err != nil {
		return err
	}

	d, err := compareReports(c.Args().Get(0), c.Args().Get(1), e.stdin)
	if err != nil {
		return usageError("%v", err)
	}

	if c.Bool("json") {
		for _, warning := range d.Warnings {
			fmt.Fprintf(e.stderr, "accessaudit: warning: %s\n", warning)
		}
		err = d.WriteJSON(e.stdout)
	} else {
		err = d.WriteText(e.stdout)
	}
	if err != nil {
		return fatalError(fmt.Errorf("write the changes to stdout: %w", err))
	}

	if failOnNewAdmin && len(d.NewAdmins) > 0 {
		noun := "administrators"
		if len(d.NewAdmins) == 1 {
			noun = "administrator"
		}
		return &exitError{code: exitFailOn, err: fmt.Errorf("%d new %s (--fail-on new-admin)", len(d.NewAdmins), noun)}
	}
	return nil
}

// parseDiffFailOn reads --fail-on of diff: a comma-separated list of
// new-admin and none, case and spaces ignored. It returns whether a new
// administrator fails the command.
func parseDiffFailOn(list string) (newAdmin bool, err error) {
	for _, value := range strings.Split(list, ",") {
		switch strings.ToLower(strings.TrimSpace(value)) {
		case "new-admin":
			newAdmin = true
		case "none", "":
		default:
			return false, usageError("invalid --fail-on %q for diff: use %s", list, diffFailOnValues)
		}
	}
	return newAdmin, nil
}

// compareReports compares the reports at oldPath and newPath, where "-"
// reads standard input. At most one of them may be "-".
func compareReports(oldPath, newPath string, stdin io.Reader) (*diff.Diff, error) {
	if oldPath == "-" && newPath == "-" {
		return nil, errors.New("only one of the two reports can be read from standard input")
	}
	if oldPath != "-" && newPath != "-" {
		return diff.CompareFiles(oldPath, newPath)
	}

	path := oldPath
	if path == "-" {
		path = newPath
	}
	f, err := diff.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	if oldPath == "-" {
		return diff.Compare(stdin, f, "standard input", newPath)
	}
	return diff.Compare(f, stdin, oldPath, "standard input")
}
