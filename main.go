// Command accessaudit reports which IAM group every listed user holds in
// every listed Gcore account, flags administrators, accounts the key cannot
// see (403) and users not in the account (404), and writes a JSON report and
// an XLSX workbook.
//
// Run "accessaudit help" for the commands, and README.md for the input
// format, the reports and the exit statuses.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"
)

// Exit statuses; README.md lists what each one means to a caller.
const (
	exitOK          = 0
	exitFatal       = 1
	exitUsage       = 2
	exitFailOn      = 3
	exitPairErrors  = 4
	exitInterrupted = 130
)

// version and commit are set at build time with
// -ldflags "-X main.version=... -X main.commit=..."; see the Makefile.
var (
	version = "dev"
	commit  = ""
)

// exitError carries an exit status through urfave/cli to main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError returns an error that exits with status 2.
func usageError(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// fatalError returns an error that exits with status 1.
func fatalError(err error) error {
	return &exitError{code: exitFatal, err: err}
}

// env is the part of the process a command may use: its standard streams
// and environment. Tests build their own.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// stderrIsTerminal is true when stderr is a terminal, so a person is likely watching it.
	stderrIsTerminal bool
}

func main() {
	e := env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv,
		stderrIsTerminal: isTerminal(os.Stderr)}
	os.Exit(execute(context.Background(), e, os.Args))
}

// execute runs the command line args and returns the exit status. Errors are
// printed on stderr here, in one place.
func execute(ctx context.Context, e env, args []string) int {
	app := newApp(e)
	if len(args) > 1 && !strings.HasPrefix(args[1], "-") && args[1] != "help" && args[1] != "h" && app.Command(args[1]) == nil {
		fmt.Fprintf(e.stderr, "accessaudit: unknown command %q; run accessaudit --help for the list\n", args[1])
		return exitUsage
	}
	err := app.RunContext(ctx, reorderArgs(app, args))
	if err == nil {
		return exitOK
	}

	code := exitFatal
	var coded *exitError
	switch {
	case errors.As(err, &coded):
		code = coded.code
	case isUsageProblem(err):
		code = exitUsage
	}
	if coded == nil || coded.err != nil && coded.err.Error() != "" {
		fmt.Fprintf(e.stderr, "accessaudit: %v\n", err)
	}
	return code
}

// isUsageProblem recognises the errors urfave/cli returns for a bad command
// line, which it does not type.
func isUsageProblem(err error) bool {
	msg := err.Error()
	for _, part := range []string{"flag provided but not defined", "invalid value", "flag needs an argument", "Required flag", "No help topic", "invalid boolean"} {
		if strings.Contains(msg, part) {
			return true
		}
	}
	return false
}

func newApp(e env) *cli.App {
	app := &cli.App{
		Name:            "accessaudit",
		Usage:           "audit which IAM group users hold in Gcore accounts",
		Version:         versionString(),
		Reader:          e.stdin,
		Writer:          e.stdout,
		ErrWriter:       e.stderr,
		HideHelpCommand: false,
		ExitErrHandler:  func(*cli.Context, error) {}, // execute maps errors to exit statuses
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageError("%v (see --help)", err)
		},
		Commands: []*cli.Command{
			runCommand(e),
			demoCommand(e),
			validateCommand(e),
			simulateCommand(e),
			diffCommand(e),
			decisionsCommand(e),
			schemaCommand(e),
			versionCommand(e),
		},
	}

	// A bad flag of a command returns a usage error, instead of urfave/cli's
	// "Incorrect Usage" and the whole help on stdout, which belongs to the
	// report paths.
	for _, cmd := range app.Commands {
		cmd.OnUsageError = func(_ *cli.Context, err error, _ bool) error {
			return usageError("%v (see accessaudit %s --help)", err, cmd.Name)
		}
		cmd.HideHelpCommand = true
	}
	return app
}

// reorderArgs moves the flags of a command in front of its arguments, so
// that "run pairs.csv --rate 5" works like "run --rate 5 pairs.csv":
// urfave/cli v2 stops reading flags at the first argument. "--" ends the
// flags, and "-" is an argument (standard input).
func reorderArgs(app *cli.App, args []string) []string {
	if len(args) < 3 {
		return args
	}
	cmd := app.Command(args[1])
	if cmd == nil {
		return args
	}
	takesValue := make(map[string]bool)
	for _, flag := range cmd.Flags {
		valued := true
		if doc, ok := flag.(cli.DocGenerationFlag); ok {
			valued = doc.TakesValue()
		}
		for _, name := range flag.Names() {
			takesValue[name] = valued
		}
	}

	flags := []string{}
	positional := []string{}
	rest := args[2:]
	for i := 0; i < len(rest); i++ {
		arg := rest[i]
		if arg == "--" {
			positional = append(positional, rest[i+1:]...)
			break
		}
		if arg == "-" || !strings.HasPrefix(arg, "-") {
			positional = append(positional, arg)
			continue
		}
		flags = append(flags, arg)
		name := strings.TrimLeft(arg, "-")
		if !strings.Contains(name, "=") && takesValue[name] && i+1 < len(rest) {
			flags = append(flags, rest[i+1])
			i++
		}
	}

	out := append([]string{args[0], args[1]}, flags...)
	if len(positional) > 0 {
		out = append(out, "--")
		out = append(out, positional...)
	}
	return out
}

// versionString returns the version with the commit when known.
func versionString() string {
	rev := commit
	if rev == "" {
		if info, ok := debug.ReadBuildInfo(); ok {
			for _, s := range info.Settings {
				if s.Key == "vcs.revision" && len(s.Value) >= 12 {
					rev = s.Value[:12]
				}
			}
		}
	}
	if rev == "" {
		return version
	}
	return version + " (" + rev + ")"
}

// newLogger returns the logger for stderr in the format of --log-format.
// The level is Warn unless --log-level lowers it, so a healthy run off a
// terminal stays silent.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, usageError("invalid --log-level %q: use debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch format {
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usageError("invalid --log-format %q: use text or json", format)
}

// isTerminal reports whether f is a terminal.
func isTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}
