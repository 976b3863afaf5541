package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/accessaudit/accessaudit/audit/simulator"
)

func simulateCommand(e env) *cli.Command {
	return &cli.Command{
		Name:  "simulate",
		Usage: "serve the simulated IAM API, to rehearse a scheduled job or a sweep without touching production",
		Description: "Serves GET /iam/clients/{clientId}/client-users/{userId} from a directory file (the bundled\n" +
			"demo directory without --directory). Pairs not in the directory answer 404. Any non-empty key\n" +
			"is accepted unless --key is given. Stops on SIGINT or SIGTERM.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "listen", Required: true, Usage: "`ADDR` to listen on, such as 127.0.0.1:8080"},
			&cli.StringFlag{Name: "directory", Usage: "directory `FILE` (JSON) of accounts, users, groups and faults"},
			&cli.StringFlag{Name: "key", Usage: "the only key to accept (default: any non-empty key)"},
			&cli.DurationFlag{Name: "latency", Usage: "delay added to every response, such as 50ms"},
			&cli.Float64Flag{Name: "rate-limit", Usage: "requests per second to accept; more get a 429 response with Retry-After (0: no limit)"},
			&cli.Float64Flag{Name: "error-rate", Usage: "share of requests, 0 to 1, that get a random 500, 502 or 503 response"},
		},
		Action: func(c *cli.Context) error { return simulateAction(c, e) },
	}
}

func simulateAction(c *cli.Context, e env) error {
	if c.NArg() != 0 {
		return usageError("simulate takes no arguments, got %q", c.Args().Slice())
	}
	dir, err := loadSimDirectory(c.String("directory"))
	if err != nil {
		return err
	}
	if rate := c.Float64("error-rate"); rate < 0 || rate > 1 {
		return usageError("invalid --error-rate %v: use a share from 0 to 1", rate)
	}
	if c.Float64("rate-limit") < 0 || c.Duration("latency") < 0 {
		return usageError("--rate-limit and --latency must not be negative")
	}
	opts := simulator.Options{
		Key:       c.String("key"),
		Latency:   c.Duration("latency"),
		RateLimit: c.Float64("rate-limit"),
		ErrorRate: c.Float64("error-rate"),
		Seed:      time.Now().UnixNano(),
	}
	if err := opts.Validate(); err != nil {
		return usageError("%v", err)
	}

	baseURL, stop, err := simulator.Start(simulator.New(dir, opts), c.String("listen"))
	if err != nil {
		return fatalError(err)
	}
	fmt.Fprintln(e.stdout, baseURL)

	ctx, stopSignals := interruptContext(c.Context, e, "stopping the simulated API")
	defer stopSignals()
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return stop(shutdown)
}

// loadSimDirectory reads the directory file, or the bundled demo directory
// when path is empty.
func loadSimDirectory(path string) (*simulator.Directory, error) {
	var r io.Reader = bytes.NewReader(demoDirectory)
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return nil, usageError("cannot read --directory: %v", err)
		}
		defer f.Close()
		r = f
	}
	dir, err := simulator.LoadDirectory(r)
	if err != nil {
		return nil, usageError("invalid --directory %s: %v", path, err)
	}
	return dir, nil
}
