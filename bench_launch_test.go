package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// benchLaunchEnv turns TestBenchLaunch into the launcher of one tool run.
//
// The driver does not start the tool itself because of how Linux counts
// peak memory. Go starts a child with vfork semantics (CLONE_VM), and when
// the child calls execve the kernel records the peak RSS of the memory it
// leaves, which is the driver's, as the child's starting ru_maxrss. After
// the driver has written a million-row workbook in-process, every child
// would report the driver's peak instead of its own. The launcher is a fresh
// process with a small peak, so the tool's ru_maxrss is its own.
const benchLaunchEnv = "ACCESSAUDIT_BENCH_LAUNCH"

// launchSpec is the command a launcher runs and where it writes its report.
type launchSpec struct {
	Path    string        `json:"path"`
	Args    []string      `json:"args"`
	Env     []string      `json:"env"`
	Timeout time.Duration `json:"timeout"`
	Report  string        `json:"report"` // file for the launchReport
}

// launchReport is what a launcher found out about its command.
type launchReport struct {
	Wall     time.Duration `json:"wall"`
	ExitCode int           `json:"exit_code"`
	Error    string        `json:"error"`     // why the command could not run, if it could not
	PeakRSS  int64         `json:"peak_rss"`  // bytes, the command's ru_maxrss
	FloorRSS int64         `json:"floor_rss"` // bytes, the launcher's own peak when it started the command
	Stdout   string        `json:"stdout"`
	Stderr   string        `json:"stderr"`
}

// TestBenchLaunch runs the command that ACCESSAUDIT_BENCH_LAUNCH describes
// and writes a launchReport.
func TestBenchLaunch(t *testing.T) {
	raw := os.Getenv(benchLaunchEnv)
	if raw == "" {
		t.Skip("the launcher of TestBenchDriver; it starts this test itself")
	}
	var spec launchSpec
	if err := json.Unmarshal([]byte(raw), &spec); err != nil {
		t.Fatalf("%s: %v", benchLaunchEnv, err)
	}

	report := runLaunchSpec(spec)
	data, err := json.Marshal(report)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(spec.Report, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func runLaunchSpec(spec launchSpec) launchReport {
	ctx, cancel := context.WithTimeout(context.Background(), spec.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, spec.Path, spec.Args...)
	cmd.Env = spec.Env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr

	report := launchReport{FloorRSS: ownPeakRSS()}
	start := time.Now()
	err := cmd.Run()
	report.Wall = time.Since(start)
	report.Stdout, report.Stderr = stdout.String(), stderr.String()

	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		report.ExitCode = exit.ExitCode()
	case err != nil:
		report.Error = err.Error()
		return report
	}
	if usage, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		report.PeakRSS = usage.Maxrss * 1024 // Linux reports ru_maxrss in KiB
	}
	return report
}

// ownPeakRSS returns the peak RSS of this process in bytes (VmHWM in
// /proc/self/status), or 0 where that file does not exist.
func ownPeakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kib, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kib * 1024
		}
	}
	return 0
}

// launch runs path with args and env through a launcher process and returns
// its report. It fails the test when the launcher fails, or when the peak
// RSS of the command is not above the launcher's own, which it would hide.
func launch(t *testing.T, dir, path string, args, env []string) launchReport {
	t.Helper()
	reportPath := filepath.Join(dir, "launch.json")
	spec, err := json.Marshal(launchSpec{Path: path, Args: args, Env: env, Timeout: toolTimeout, Report: reportPath})
	if err != nil {
		t.Fatal(err)
	}
	_ = os.Remove(reportPath)

	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchLaunch$", "-test.count=1")
	cmd.Env = append(os.Environ(), benchLaunchEnv+"="+string(spec))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("launcher: %v\n%s", err, out)
	}
	data, err := os.ReadFile(reportPath)
	if err != nil {
		t.Fatalf("launcher left no report: %v", err)
	}
	var report launchReport
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatalf("launcher report: %v", err)
	}
	if report.Error != "" {
		t.Fatalf("launcher could not run %s: %s", path, report.Error)
	}
	if report.PeakRSS <= report.FloorRSS {
		t.Fatalf("peak RSS of %s (%d bytes) is not above the launcher's own (%d bytes), so it is not the command's", path, report.PeakRSS, report.FloorRSS)
	}
	return report
}
