package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// benchSample is the repeated measurements of one figure.
type benchSample []float64

func (s benchSample) median() float64 {
	if len(s) == 0 {
		return 0
	}
	sorted := slices.Sorted(slices.Values(s))
	mid := len(sorted) / 2
	if len(sorted)%2 == 1 {
		return sorted[mid]
	}
	return (sorted[mid-1] + sorted[mid]) / 2
}

func (s benchSample) min() float64 { return slices.Min(s) }
func (s benchSample) max() float64 { return slices.Max(s) }

// ratios returns a[i] / b[i] for each repetition, so that a ratio compares
// two measurements taken side by side.
func ratios(a, b benchSample) benchSample {
	out := make(benchSample, min(len(a), len(b)))
	for i := range out {
		out[i] = a[i] / b[i]
	}
	return out
}

// benchFigure prints one figure as its median, its range and the number of
// repetitions, with format applied to each value.
func benchFigure(w io.Writer, name string, s benchSample, format func(float64) string) {
	fmt.Fprintf(w, "  %-50s %14s   range %s .. %s (n=%d)\n", name, format(s.median()), format(s.min()), format(s.max()), len(s))
}

func formatRate(v float64) string    { return fmt.Sprintf("%.0f/s", v) }
func formatSeconds(v float64) string { return fmt.Sprintf("%.3f s", v) }
func formatRatio(v float64) string   { return fmt.Sprintf("%.3f", v) }
func formatCount(v float64) string   { return fmt.Sprintf("%.0f", v) }
func formatMiB(v float64) string     { return fmt.Sprintf("%.1f MiB", v/(1<<20)) }

// benchTarget is one target of the performance issue with the figure that
// decides it.
type benchTarget struct {
	name     string // what is measured
	measured string // the deciding figure
	limit    string // the target, as a comparison
	pass     bool
}

// printTargets prints every target with its figure and PASS or FAIL.
func printTargets(w io.Writer, targets []benchTarget, enforced bool) {
	fmt.Fprintln(w, "\nTargets")
	for _, tg := range targets {
		status := "PASS"
		if !tg.pass {
			status = "FAIL"
		}
		fmt.Fprintf(w, "  %-4s  %-52s %-22s %s\n", status, tg.name, tg.measured, tg.limit)
	}
	if !enforced {
		fmt.Fprintln(w, "  (smoke sizes: the figures are too small to judge the targets, so a FAIL does not fail the run)")
	}
}

// printMachine prints what the figures depend on: CPUs, CPU model, Go
// version and the load average when the run starts.
func printMachine(w io.Writer) {
	fmt.Fprintf(w, "machine: %d CPUs, %s, %s %s/%s\n", runtime.NumCPU(), cpuModel(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(w, "load average at start: %s\n", loadAverage())
}

// cpuModel returns the first "model name" of /proc/cpuinfo, or "unknown CPU".
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return "unknown CPU"
}

// loadAverage returns the 1, 5 and 15 minute load averages of
// /proc/loadavg, or "unknown".
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	fields := strings.Fields(string(data))
	if len(fields) < 3 {
		return "unknown"
	}
	return strings.Join(fields[:3], " ")
}

// benchPhase prints the heading of a measurement and the current load.
func benchPhase(t *testing.T, w io.Writer, title string) {
	t.Helper()
	fmt.Fprintf(w, "\n%s (load average %s)\n", title, loadAverage())
}
