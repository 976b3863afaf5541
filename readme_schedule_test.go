package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/accessaudit/accessaudit/audit"
	"github.com/accessaudit/accessaudit/audit/simulator"
)

// The layout of the scheduled job, as the README's table gives it.
const (
	installedBinary = "/usr/local/bin/accessaudit"
	configDir       = "/etc/accessaudit"
	stateDir        = "/var/lib/accessaudit"
)

// fakeRoot is a temporary folder that stands for "/" in the scheduled
// job's layout.
type fakeRoot struct {
	dir string
}

// newFakeRoot lays out the scheduled job's files below a temporary folder:
// the binary, the key file with keyMode, the list and the approved list.
func newFakeRoot(t *testing.T, pairs, approved string, keyMode os.FileMode) fakeRoot {
	t.Helper()
	r := fakeRoot{dir: t.TempDir()}
	for _, dir := range []string{filepath.Dir(installedBinary), configDir, stateDir} {
		if err := os.MkdirAll(r.path(dir), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(binary, r.path(installedBinary)); err != nil {
		t.Fatal(err)
	}
	files := []struct {
		name, content string
		mode          os.FileMode
	}{
		{"api-key", "scheduled-key\n", keyMode},
		{"pairs.csv", pairs, 0o600},
		{"approved-admins.csv", approved, 0o600},
	}
	for _, f := range files {
		path := r.path(configDir + "/" + f.name)
		if err := os.WriteFile(path, []byte(f.content), f.mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, f.mode); err != nil { // WriteFile's mode passes through the umask
			t.Fatal(err)
		}
	}
	return r
}

func (r fakeRoot) path(abs string) string { return filepath.Join(r.dir, abs) }

// mapPaths moves the layout's absolute paths in text below the root, and
// fails the test if any other absolute path is left, so that nothing
// touches the real /etc or /var.
func (r fakeRoot) mapPaths(t *testing.T, text string) string {
	t.Helper()
	mapped := strings.NewReplacer(
		installedBinary, r.path(installedBinary),
		configDir, r.path(configDir),
		stateDir, r.path(stateDir),
	).Replace(text)
	for _, m := range regexp.MustCompile(`(?:^|[\s>=<])(/\S*)`).FindAllStringSubmatch(mapped, -1) {
		if !strings.HasPrefix(m[1], r.dir+"/") {
			t.Fatalf("the command %q names %s, outside the scheduled job's layout", text, m[1])
		}
	}
	return mapped
}

// scheduledCommand is one of the README's scheduled command lines.
type scheduledCommand struct {
	name  string
	shell string   // the command as cron gives it to /bin/sh; empty for argv
	argv  []string // the program and arguments, run without a shell
	dir   string   // working folder before mapping
	// keyMode is the mode the key file has where the command runs.
	keyMode os.FileMode
}

// scheduledCommands extracts the command of the crontab line, of
// ExecStart= and of the CronJob's container.
func scheduledCommands(t *testing.T) []scheduledCommand {
	t.Helper()
	blocks := readmeBlocks(t)
	_, cronCommand := crontabEntry(t, onlyBlock(t, blocks, "crontab"))
	service := parseUnit(t, onlyBlock(t, blocks, "ini", "accessaudit.service"))
	job := readCronJob(t, onlyBlock(t, blocks, "yaml", "accessaudit-cronjob.yaml"))
	container := job.Spec.JobTemplate.Spec.Template.Spec.Containers[0]
	projected := configVolume(t, job).Projected

	return []scheduledCommand{
		{name: "crontab", shell: cronCommand, dir: stateDir, keyMode: 0o600},
		{name: "systemd", argv: strings.Fields(service.value(t, "Service", "ExecStart")),
			dir: service.value(t, "Service", "WorkingDirectory"), keyMode: 0o600},
		{name: "cronjob", argv: append(slices.Clone(container.Command), container.Args...), dir: "/",
			keyMode: os.FileMode(projected.DefaultMode)},
	}
}

// crontabEntry returns the schedule and the command of the one job line of
// a crontab block.
func crontabEntry(t *testing.T, b readmeBlock) (string, string) {
	t.Helper()
	entry := regexp.MustCompile(`^((?:\S+\s+){4}\S+)\s+(.+)$`)
	var jobs [][]string
	for _, line := range strings.Split(b.text, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") || regexp.MustCompile(`^[A-Z_]+=`).MatchString(trimmed) {
			continue
		}
		m := entry.FindStringSubmatch(trimmed)
		if m == nil {
			t.Fatalf("README.md crontab block: %q is not a schedule of 5 fields and a command", line)
		}
		jobs = append(jobs, m)
	}
	if len(jobs) != 1 {
		t.Fatalf("README.md crontab block has %d job lines, want 1", len(jobs))
	}
	if strings.Contains(jobs[0][2], "%") {
		t.Errorf("the crontab command contains %%, which cron turns into a newline")
	}
	return jobs[0][1], jobs[0][2]
}

func TestReadmeScheduledCommands(t *testing.T) {
	t.Parallel()
	blocks := readmeBlocks(t)
	commands := scheduledCommands(t)
	checkSetupInstallsConfig(t, onlyBlock(t, blocks, "sh", "setup"), commands)

	// The rehearsal files of the README make the run exit 3; a list without
	// rejected rows whose administrator is approved keeps it silent.
	rehearsal := readmeBlockWith(t, blocks, "> pairs.csv")
	approved := heredoc(t, rehearsal, "approved-admins.csv")
	head := regexp.MustCompile(`head -n (\d+) testdata/sample.csv > pairs.csv`).FindStringSubmatch(rehearsal.text)
	if head == nil {
		t.Fatalf("README.md line %d: the rehearsal no longer makes pairs.csv with head; update this test", rehearsal.line)
	}
	lines, _ := strconv.Atoi(head[1])
	sample, err := os.ReadFile(filepath.Join("testdata", "sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	sampleLines := strings.SplitAfter(string(sample), "\n")
	rehearsalPairs := strings.Join(sampleLines[:lines], "")
	baseURL := startSimulate(t, "--directory", filepath.Join("testdata", "directory.json"))

	quietPairs := sampleLines[0] + strings.Join(sampleLines[4:33], "") // lines 5 to 33: no rejected row, Tara Park the only administrator
	quietApproved := "account_id,user_id\n5016,65535\n"

	for _, c := range commands {
		t.Run(c.name+"/rehearsal", func(t *testing.T) {
			t.Parallel()
			root := newFakeRoot(t, rehearsalPairs, approved, c.keyMode)
			res := runScheduled(t, c, root, baseURL)
			if res.code != exitFailOn || !strings.Contains(res.stderr, "--fail-on met: unapproved-admin (1)") {
				t.Errorf("exit status %d, want %d with unapproved-admin (1) on stderr:\n%s", res.code, exitFailOn, res.stderr)
			}
			checkScheduledReports(t, c, root, res)
		})
		t.Run(c.name+"/quiet", func(t *testing.T) {
			t.Parallel()
			root := newFakeRoot(t, quietPairs, quietApproved, c.keyMode)
			res := runScheduled(t, c, root, baseURL)
			if res.code != exitOK {
				t.Errorf("exit status %d, want 0; stderr:\n%s", res.code, res.stderr)
			}
			if got := withoutKeyModeWarning(t, c, res.stderr); got != "" {
				t.Errorf("stderr of a run that needs no look = %q, want it empty so cron sends no mail", got)
			}
			checkScheduledReports(t, c, root, res)
		})
	}
}

// readmeBlockWith returns the one sh run block that contains marker.
func readmeBlockWith(t *testing.T, blocks []readmeBlock, marker string) readmeBlock {
	t.Helper()
	for _, b := range blocks {
		if b.is("sh", "run") && strings.Contains(b.text, marker) {
			return b
		}
	}
	t.Fatalf("no sh run block in README.md contains %q", marker)
	return readmeBlock{}
}

// heredoc returns the text that a block writes to name with cat > name <<'EOF'.
func heredoc(t *testing.T, b readmeBlock, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)cat > ` + regexp.QuoteMeta(name) + ` <<'EOF'\n(.*?\n)EOF\n`).FindStringSubmatch(b.text)
	if m == nil {
		t.Fatalf("README.md line %d: the block does not write %s with a here-document", b.line, name)
	}
	return m[1]
}

// checkSetupInstallsConfig fails unless the set-up block installs every
// file below /etc/accessaudit that a scheduled command reads.
func checkSetupInstallsConfig(t *testing.T, setup readmeBlock, commands []scheduledCommand) {
	t.Helper()
	pattern := regexp.MustCompile(regexp.QuoteMeta(configDir) + `/([\w.-]+)`)
	for _, c := range commands {
		for _, m := range pattern.FindAllStringSubmatch(c.shell+" "+strings.Join(c.argv, " "), -1) {
			if !regexp.MustCompile(`\b` + regexp.QuoteMeta(m[1]) + `\b`).MatchString(setup.text) {
				t.Errorf("the %s command reads %s, which the set-up block never installs", c.name, m[0])
			}
		}
	}
}

// runScheduled runs a scheduled command with its paths below root, against
// the simulator at baseURL, with the bare environment of cron or systemd.
func runScheduled(t *testing.T, c scheduledCommand, root fakeRoot, baseURL string) cliResult {
	t.Helper()
	var cmd *exec.Cmd
	if c.shell != "" {
		cmd = exec.Command("/bin/sh", "-c", root.mapPaths(t, c.shell))
	} else {
		argv := strings.Fields(root.mapPaths(t, strings.Join(c.argv, " ")))
		cmd = exec.Command(argv[0], argv[1:]...)
	}
	requireLoopback(t, "the "+c.name+" command", strings.Join(cmd.Args, " "))
	cmd.Dir = root.path(c.dir)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + root.path(stateDir), "GCORE_BASE_URL=" + baseURL}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr

	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("running the %s command: %v", c.name, err)
	}
	return cliResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// checkScheduledReports checks that a finished scheduled run wrote one
// report pair below /var/lib/accessaudit/reports, printed or logged their
// paths, and left no journal behind.
func checkScheduledReports(t *testing.T, c scheduledCommand, root fakeRoot, res cliResult) {
	t.Helper()
	jsonName, xlsxName := onlyReport(t, root.path(stateDir+"/reports"))
	wantPaths := root.path(stateDir+"/reports/"+jsonName) + "\n" + root.path(stateDir+"/reports/"+xlsxName) + "\n"

	printed := res.stdout
	if c.shell != "" {
		reportLog, err := os.ReadFile(root.path(stateDir + "/reports.log"))
		if err != nil {
			t.Fatalf("the crontab line wrote no log of report paths: %v", err)
		}
		if res.stdout != "" {
			t.Errorf("the crontab line printed %q on stdout, which cron would mail", res.stdout)
		}
		printed = string(reportLog)
	}
	if printed != wantPaths {
		t.Errorf("report paths = %q, want %q", printed, wantPaths)
	}
	if _, err := os.Stat(root.path(stateDir + "/accessaudit.journal")); !os.IsNotExist(err) {
		t.Errorf("a run that finished every pair left its journal (stat: %v)", err)
	}
}

// withoutKeyModeWarning returns stderr without the warning that the key
// file is readable by its group, which the README expects in Kubernetes,
// where the Secret's file has mode 0440.
func withoutKeyModeWarning(t *testing.T, c scheduledCommand, stderr string) string {
	t.Helper()
	if c.keyMode&0o077 == 0 {
		return stderr
	}
	var kept []string
	warned := false
	for _, line := range strings.SplitAfter(stderr, "\n") {
		if strings.Contains(line, "key file is readable by other users") {
			warned = true
			continue
		}
		kept = append(kept, line)
	}
	if !warned {
		t.Errorf("no warning about the key file of mode %v, which the README says the %s run logs", c.keyMode, c.name)
	}
	return strings.Join(kept, "")
}

func TestReadmeJournalResumesNextRun(t *testing.T) {
	t.Parallel()
	var cron scheduledCommand
	for _, c := range scheduledCommands(t) {
		if c.name == "crontab" {
			cron = c
		}
	}
	if cron.shell == "" {
		t.Fatal("no crontab command found in README.md")
	}

	// The simulator responds 503 to the first 6 requests for user 2, which
	// are the first run's attempt and its 5 retries (--retries' default),
	// and 200 after that. User 3 is not in the account.
	dir, err := simulator.LoadDirectory(strings.NewReader(`{"accounts":[{"id":7,"users":[{"id":1,"group":1},{"id":2,"group":2}]}],
		"faults":[{"client_id":7,"user_id":2,"status":503,"retry_after":"0","times":6}]}`))
	if err != nil {
		t.Fatal(err)
	}
	server := simulator.New(dir, simulator.Options{})
	baseURL, stop, err := simulator.Start(server, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop(context.Background()) })
	root := newFakeRoot(t, "account_id,user_id\n7,1\n7,2\n7,3\n", "account_id,user_id\n7,1\n", cron.keyMode)
	journal := root.path(stateDir + "/accessaudit.journal")
	admin := audit.Pair{ClientID: 7, UserID: 1}
	flaky := audit.Pair{ClientID: 7, UserID: 2}
	absent := audit.Pair{ClientID: 7, UserID: 3}

	first := runScheduled(t, cron, root, baseURL)
	if first.code != exitPairErrors {
		t.Fatalf("first run: exit status %d, want %d; stderr:\n%s", first.code, exitPairErrors, first.stderr)
	}
	if _, err := os.Stat(journal); err != nil {
		t.Fatalf("the run with a pair in error kept no journal: %v", err)
	}
	hitsBefore := map[audit.Pair]int64{admin: server.Hits(admin), flaky: server.Hits(flaky), absent: server.Hits(absent)}

	second := runScheduled(t, cron, root, baseURL)
	if second.code != exitOK || second.stderr != "" {
		t.Fatalf("second run: exit status %d with stderr %q, want 0 and nothing", second.code, second.stderr)
	}
	for pair, want := range map[audit.Pair]int64{admin: 0, flaky: 1, absent: 0} {
		if got := server.Hits(pair) - hitsBefore[pair]; got != want {
			t.Errorf("second run asked about %v %d times, want %d", pair, got, want)
		}
	}
	if _, err := os.Stat(journal); !os.IsNotExist(err) {
		t.Errorf("the second run finished every pair but kept its journal (stat: %v)", err)
	}

	reportLog, err := os.ReadFile(root.path(stateDir + "/reports.log"))
	if err != nil {
		t.Fatal(err)
	}
	paths := strings.Fields(string(reportLog))
	if len(paths) != 4 {
		t.Fatalf("reports.log = %q, want the two report paths of each run", reportLog)
	}
	_, results := readWorkflowReport(t, paths[2])
	if len(results) != 3 || results[admin].Outcome != "ok" || results[flaky].Outcome != "ok" || results[absent].Outcome != "not_found" {
		t.Errorf("resumed report results = %+v, want all 3 pairs with final outcomes", results)
	}
}
