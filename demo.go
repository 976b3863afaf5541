package main

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/accessaudit/accessaudit/audit/progress"
	"github.com/accessaudit/accessaudit/audit/simulator"
	"github.com/accessaudit/accessaudit/report"
)

// The demo's input and the directory the simulated API serves. Both are
// compiled in, so "accessaudit demo" works from any folder.
var (
	//go:embed testdata/sample.csv
	demoInput []byte
	//go:embed testdata/directory.json
	demoDirectory []byte
)

// demoKey is the key the demo sends to its own simulated API.
const demoKey = "demo-key"

func demoCommand(e env) *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "audit the bundled sample against a simulated IAM API on a loopback port; needs no key and no network",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "output-dir", Value: "accessaudit-demo", Usage: "`DIR` for the two reports (created when missing)"},
		},
		Action: func(c *cli.Context) error { return demoAction(c, e) },
	}
}

func demoAction(c *cli.Context, e env) error {
	if c.NArg() != 0 {
		return usageError("demo takes no arguments, got %q", c.Args().Slice())
	}
	logger, err := newLogger(e.stderr, "text", "warn")
	if err != nil {
		return err
	}
	dir, err := simulator.LoadDirectory(bytes.NewReader(demoDirectory))
	if err != nil {
		return fatalError(fmt.Errorf("bundled demo directory: %w", err))
	}
	baseURL, stopServer, err := simulator.Start(simulator.New(dir, simulator.Options{Key: demoKey}), "127.0.0.1:0")
	if err != nil {
		return fatalError(fmt.Errorf("starting the simulated API: %w", err))
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = stopServer(ctx)
	}()

	cfg := runConfig{
		inputPath:    "sample.csv",
		inputData:    demoInput,
		key:          demoKey,
		baseURL:      baseURL,
		rate:         100,
		burst:        1,
		concurrency:  8,
		timeout:      10 * time.Second,
		retries:      5,
		maxRetryWait: time.Minute,
		outputDir:    c.String("output-dir"),
		formats:      map[string]bool{"json": true, "xlsx": true},
		logger:       logger,
		mode:         report.ModeAudit,
		progress:     progress.ModeAuto,
	}
	ctx, stop := interruptContext(c.Context, e, runInterruptMessage)
	defer stop()
	return executeRun(ctx, e, cfg)
}
