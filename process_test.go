package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/accessaudit/accessaudit/audit"
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
	baseURL, _ := slowSimulatorWithServer(t, users, latency)
	return baseURL
}

func slowSimulatorWithServer(t *testing.T, users int, latency time.Duration) (string, *simulator.Server) {
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
	server := simulator.New(dir, simulator.Options{Latency: latency})
	baseURL, stop, err := simulator.Start(server, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop(context.Background()) })
	return baseURL, server
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

// startRun starts the real binary on pairs with a journal and returns the
// command with its stdout buffer.
func startRun(t *testing.T, baseURL, pairs, outDir, journalPath string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(binary, "run", pairs, "--base-url", baseURL, "--rate", "0", "--concurrency", "4",
		"--output-dir", outDir, "--journal", journalPath)
	cmd.Env = append(os.Environ(), "GCORE_API_KEY="+e2eKey)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stdout, &stderr
}

// journalPairs returns the pairs recorded in a journal file, by
// "client/user", counting how often each appears.
func journalPairs(t *testing.T, path string) map[string]int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the journal: %v", err)
	}
	pairs := make(map[string]int)
	for _, line := range strings.Split(string(data), "\n") {
		var rec struct {
			ClientID int64 `json:"client_id"`
			UserID   int64 `json:"user_id"`
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.ClientID > 0 {
			pairs[fmt.Sprintf("%d/%d", rec.ClientID, rec.UserID)]++
		}
	}
	return pairs
}

// stripRun removes what may differ between two runs of the same input
// against the same server: the timestamps.
func stripRun(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	run := doc["run"].(map[string]any)
	delete(run, "started_at")
	delete(run, "finished_at")
	out, _ := json.MarshalIndent(doc, "", " ")
	return string(out)
}

func TestKilledRunResumesFromJournal(t *testing.T) {
	const users = 600
	baseURL, server := slowSimulatorWithServer(t, users, 15*time.Millisecond)
	dir := t.TempDir()
	pairs := writePairs(t, dir, users)

	// A clean run gives the reference report.
	cleanDir := filepath.Join(dir, "clean")
	clean, cleanOut, cleanErr := startRun(t, baseURL, pairs, cleanDir, filepath.Join(dir, "clean.journal"))
	if err := clean.Wait(); err != nil {
		t.Fatalf("clean run: %v; stderr:\n%s", err, cleanErr.String())
	}
	cleanJSON, _ := reportPaths(t, cleanOut.String())
	if _, err := os.Stat(filepath.Join(dir, "clean.journal")); !os.IsNotExist(err) {
		t.Errorf("a complete run left its journal behind (stat: %v)", err)
	}
	hitsBefore := hitsPerUser(server, users)

	// A second run is killed halfway, then resumed with the same journal.
	journalPath := filepath.Join(dir, "resume.journal")
	resumeDir := filepath.Join(dir, "resume")
	killed, _, _ := startRun(t, baseURL, pairs, resumeDir, journalPath)
	time.Sleep(800 * time.Millisecond)
	if err := killed.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = killed.Wait()
	recorded := journalPairs(t, journalPath)
	if len(recorded) == 0 || len(recorded) >= users {
		t.Fatalf("journal holds %d pairs after the kill, want some but not all %d", len(recorded), users)
	}
	if entries, _ := os.ReadDir(resumeDir); len(entries) > 0 {
		for _, e := range entries {
			if !strings.HasPrefix(e.Name(), ".") {
				t.Errorf("the killed run left %s, a file under a report name", e.Name())
			}
		}
	}

	resumed, resumedOut, resumedErr := startRun(t, baseURL, pairs, resumeDir, journalPath)
	if err := resumed.Wait(); err != nil {
		t.Fatalf("resumed run: %v; stderr:\n%s", err, resumedErr.String())
	}
	resumedJSON, _ := reportPaths(t, resumedOut.String())

	if got, want := stripRun(t, resumedJSON), stripRun(t, cleanJSON); got != want {
		t.Errorf("resumed report differs from the clean one (timestamps aside)")
	}
	entries, _ := os.ReadDir(resumeDir)
	if len(entries) != 2 {
		names := []string{}
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("after the resumed run the output folder holds %v, want the two reports only", names)
	}
	hitsAfter := hitsPerUser(server, users)
	for user := 1; user <= users; user++ {
		key := fmt.Sprintf("7/%d", user)
		if n := hitsAfter[user] - hitsBefore[user]; recorded[key] > 0 && n != 1 {
			t.Errorf("pair %s was in the journal but was queried %d times across the killed and resumed runs", key, n)
		}
	}
	if _, err := os.Stat(journalPath); !os.IsNotExist(err) {
		t.Errorf("the resumed, complete run left its journal behind (stat: %v)", err)
	}
}

func hitsPerUser(s *simulator.Server, users int) []int64 {
	hits := make([]int64, users+1)
	for u := 1; u <= users; u++ {
		hits[u] = s.Hits(audit.Pair{ClientID: 7, UserID: int64(u)})
	}
	return hits
}
