package main

import (
	"fmt"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The benchmark driver. "make bench" runs TestBenchDriver with
// ACCESSAUDIT_BENCH=full and "make bench-smoke" with ACCESSAUDIT_BENCH=smoke;
// without that variable it is skipped, so "go test ./..." never runs it.
// BENCHMARKS.md explains the measurements and records their results.
//
// Optional variables:
//   - ACCESSAUDIT_BENCH_ONLY: comma-separated phases to run, of http, input,
//     reports, memory and rate (default all).
//   - ACCESSAUDIT_BENCH_REPEATS: repetitions of each measurement, in place of
//     5 (full) or 1 (smoke). The whole runs on the large input repeat at most
//     3 times.
//   - ACCESSAUDIT_BENCH_PROFILE: a folder for CPU profiles of the first
//     repetition of the engine, the bare HTTP loop, the report writers, the
//     bare report writers and the input scan.

// benchRateCase is one run of the rate measurement: pairs at rate per second.
type benchRateCase struct {
	rate  float64
	pairs int
}

// benchSizes sets how big and how often each measurement is.
type benchSizes struct {
	repeats      int // repetitions of each measurement
	largeRepeats int // repetitions of the whole run on the large input
	workers      int // --concurrency of the HTTP and whole-run measurements
	httpRequests int
	inputRows    int
	reportRows   int
	smallPairs   int
	largePairs   int
	rates        []benchRateCase
	enforce      bool // a missed target fails the test
}

// benchSizesFor returns the sizes for a value of ACCESSAUDIT_BENCH, and
// false for any other value.
func benchSizesFor(mode string) (benchSizes, bool) {
	switch mode {
	case "full":
		return benchSizes{
			repeats: 5, largeRepeats: 3, workers: 32,
			httpRequests: 200_000,
			inputRows:    1_000_000,
			reportRows:   1_000_000,
			smallPairs:   100_000, largePairs: 1_000_000,
			rates:   []benchRateCase{{rate: 10, pairs: 100}, {rate: 200, pairs: 2000}},
			enforce: true,
		}, true
	case "smoke":
		return benchSizes{
			repeats: 1, largeRepeats: 1, workers: 32,
			httpRequests: 10_000,
			inputRows:    20_000,
			reportRows:   10_000,
			smallPairs:   2_000, largePairs: 20_000,
			rates: []benchRateCase{{rate: 50, pairs: 100}},
		}, true
	}
	return benchSizes{}, false
}

func TestBenchDriver(t *testing.T) {
	sizes, ok := benchSizesFor(os.Getenv("ACCESSAUDIT_BENCH"))
	if !ok {
		t.Skip("set ACCESSAUDIT_BENCH=full or smoke to run the benchmark driver (make bench)")
	}
	if n, err := strconv.Atoi(os.Getenv("ACCESSAUDIT_BENCH_REPEATS")); err == nil && n > 0 {
		sizes.repeats, sizes.largeRepeats = n, min(n, 3)
	}
	phases := benchPhases(t)
	dir := t.TempDir()
	out := os.Stdout
	printMachine(out)
	stub := startBenchStub(t)

	var targets []benchTarget
	if phases["http"] {
		targets = append(targets, benchHTTP(t, out, stub, sizes)...)
	}
	if phases["input"] {
		targets = append(targets, benchInput(t, out, dir, sizes)...)
	}
	if phases["reports"] {
		targets = append(targets, benchReports(t, out, dir, sizes)...)
	}
	if phases["memory"] {
		targets = append(targets, benchMemory(t, out, stub, dir, sizes)...)
	}
	if phases["rate"] {
		targets = append(targets, benchRateLimits(t, out, stub, dir, sizes)...)
	}

	fmt.Fprintf(out, "\nload average at the end: %s\n", loadAverage())
	printTargets(out, targets, sizes.enforce)
	for _, tg := range targets {
		if sizes.enforce && !tg.pass {
			t.Errorf("target missed: %s: %s, want %s", tg.name, tg.measured, tg.limit)
		}
	}
}

// benchPhaseNames are the phases of the driver, in the order they run.
var benchPhaseNames = []string{"http", "input", "reports", "memory", "rate"}

// benchPhases returns the phases that ACCESSAUDIT_BENCH_ONLY selects, or
// every phase when it is empty.
func benchPhases(t *testing.T) map[string]bool {
	t.Helper()
	only := os.Getenv("ACCESSAUDIT_BENCH_ONLY")
	phases := make(map[string]bool)
	for _, name := range benchPhaseNames {
		phases[name] = only == ""
	}
	for name := range strings.SplitSeq(only, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if !slices.Contains(benchPhaseNames, name) {
			t.Fatalf("invalid phase %q in ACCESSAUDIT_BENCH_ONLY: use any of %s", name, strings.Join(benchPhaseNames, ", "))
		}
		phases[name] = true
	}
	return phases
}

// startCPUProfile starts a CPU profile written to path and returns the
// function that stops it.
func startCPUProfile(t *testing.T, path string) func() {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatalf("create CPU profile: %v", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		t.Fatalf("start CPU profile: %v", err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			t.Errorf("write CPU profile %s: %v", path, err)
		}
	}
}
