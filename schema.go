package main

import (
	"github.com/urfave/cli/v2"

	"github.com/accessaudit/accessaudit/report"
)

func schemaCommand(e env) *cli.Command {
	return &cli.Command{
		Name:  "schema",
		Usage: "print the JSON Schema (draft 2020-12) of the JSON report",
		Action: func(c *cli.Context) error {
			if c.NArg() != 0 {
				return usageError("schema takes no arguments, got %q", c.Args().Slice())
			}
			_, err := e.stdout.Write(report.Schema)
			return err
		},
	}
}
