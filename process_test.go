package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/accessaudit/accessaudit/audit/simulator"
)

// binary is the accessaudit executable built once for the tests that need
// a real process (signals).
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "accessaudit-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "accessaudit")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building accessaudit:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// slowSimulator serves n users of account 7 (user 1 an administrator) with
// latency added to every answer.
func slowSimulator(t *testing.T, users int, latency time.Duration) string {
	t.Helper()
	var js strings.Builder
	js.WriteString(`{"accounts":[{"id":7,"users":[`)
	for u := 1; u <= users; u++ {
		if u > 1 {
			js.WriteString(",")
		}
		group := 2
		if u == 1 {
			group = 1
		}
		fmt.Fprintf(&js, `{"id":%d,"group":%d}`, u, group)
	}
	js.WriteString(`]}]}`)
	dir, err := simulator.LoadDirectory(strings.NewReader(js.String()))
	if err != nil {
		t.Fatal(err)
	}
	baseURL, stop, err := simulator.Start(simulator.New(dir, simulator.Options{Latency: latency}), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop(context.Background()) })
	return baseURL
}

func writePairs(t *testing.T, dir string, users int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("account_id,user_id\n")
	for u := 1; u <= users; u++ {
		fmt.Fprintf(&b, "7,%d\n", u)
	}
	path := filepath.Join(dir, "pairs.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestInterruptWritesPartialReports(t *testing.T) {
	baseURL := slowSimulator(t, 2000, 20*time.Millisecond)
	dir := t.TempDir()
	pairs := writePairs(t, dir, 2000)

	cmd := exec.Command(binary, "run", pairs, "--base-url", baseURL, "--rate", "0", "--concurrency", "4", "--output-dir", dir)
	cmd.Env = append(os.Environ(), "GCORE_API_KEY="+e2eKey)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()

	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
		t.Fatalf("exit = %v, want status %d; stderr:\n%s", err, exitInterrupted, stderr.String())
	}
	jsonPath, xlsxPath := reportPaths(t, stdout.String())
	rep := readJSONReport(t, jsonPath)
	if rep.Run.Complete || !rep.Run.Interrupted {
		t.Errorf("run complete=%v interrupted=%v, want an incomplete, interrupted run", rep.Run.Complete, rep.Run.Interrupted)
	}
	if rep.Summary.Pairs != 2000 || len(rep.Results) == 0 || len(rep.Results) >= 2000 {
		t.Errorf("summary.pairs = %d with %d results, want 2000 with some but not all results", rep.Summary.Pairs, len(rep.Results))
	}
	for i, r := range rep.Results {
		if r.Outcome != "ok" {
			t.Fatalf("result %d has outcome %q; an interrupted report lists only finished pairs", i, r.Outcome)
		}
	}
	if _, err := os.Stat(xlsxPath); err != nil {
		t.Errorf("workbook missing: %v", err)
	}
	assertNoTempFiles(t, dir)
}

// assertNoTempFiles fails when dir holds anything but the input, reports
// and journals.
func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".json") && !strings.HasSuffix(name, ".xlsx") && !strings.HasSuffix(name, ".csv") && !strings.HasSuffix(name, ".journal") {
			t.Errorf("unexpected file %s left in the output folder", name)
		}
	}
}
