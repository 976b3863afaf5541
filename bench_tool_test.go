package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// toolTimeout bounds one run of the tool, so that a run that hangs fails
// the driver instead of stalling it.
const toolTimeout = 15 * time.Minute

// toolRun is one run of the accessaudit binary as a separate process.
type toolRun struct {
	wall     time.Duration
	peakRSS  int64 // bytes, the process's ru_maxrss
	floorRSS int64 // bytes, the launcher's peak, below which peakRSS could not go
}

// runTool runs "accessaudit run" with args against the stub, and never
// against any other API: --base-url names the stub and GCORE_BASE_URL is
// set to it as well. It writes both reports to a folder of its own that it
// removes afterwards, and fails the test unless the run exits 0 and prints
// the two report paths.
func runTool(t *testing.T, stub *benchStubProcess, dir string, args ...string) toolRun {
	t.Helper()
	out, err := os.MkdirTemp(dir, "reports-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(out)

	base := []string{"run", "--base-url", stub.apiURL, "--output-dir", out, "--progress", "never"}
	env := append(os.Environ(), "GCORE_API_KEY=bench-key", "GCORE_BASE_URL="+stub.apiURL)
	report := launch(t, dir, binary, append(base, args...), env)
	if report.ExitCode != 0 {
		t.Fatalf("accessaudit %s: exit status %d\nstderr:\n%s", strings.Join(args, " "), report.ExitCode, report.Stderr)
	}
	if paths := strings.Fields(report.Stdout); len(paths) != 2 {
		t.Fatalf("accessaudit %s printed %q, want the paths of two reports", strings.Join(args, " "), report.Stdout)
	}
	return toolRun{wall: report.Wall, peakRSS: report.PeakRSS, floorRSS: report.FloorRSS}
}

// benchMemory runs the whole tool at --rate 0 on a small and a large input
// and compares their peak RSS.
func benchMemory(t *testing.T, w io.Writer, stub *benchStubProcess, dir string, sz benchSizes) []benchTarget {
	benchPhase(t, w, fmt.Sprintf("Whole runs: %d and %d pairs, --rate 0 --concurrency %d, both reports", sz.smallPairs, sz.largePairs, sz.workers))

	var floor benchSample
	measure := func(pairs, repeats int) (rss, wall, speed, conns benchSample) {
		path := writeBenchInput(t, dir, pairs)
		for range repeats {
			stub.reset(t)
			freshHeap()
			run := runTool(t, stub, dir, "--rate", "0", "--concurrency", strconv.Itoa(sz.workers), path)
			st := checkServed(t, stub, pairs)
			rss = append(rss, float64(run.peakRSS))
			floor = append(floor, float64(run.floorRSS))
			wall = append(wall, run.wall.Seconds())
			speed = append(speed, float64(pairs)/run.wall.Seconds())
			conns = append(conns, float64(st.Connections))
		}
		return rss, wall, speed, conns
	}
	smallRSS, smallWall, smallRate, smallConns := measure(sz.smallPairs, sz.repeats)
	largeRSS, largeWall, largeRate, largeConns := measure(sz.largePairs, sz.largeRepeats)

	label := func(pairs int) string { return fmt.Sprintf("%d pairs (%d rows)", pairs, benchRows(pairs)) }
	benchFigure(w, "peak RSS, "+label(sz.smallPairs), smallRSS, formatMiB)
	benchFigure(w, "peak RSS, "+label(sz.largePairs), largeRSS, formatMiB)
	benchFigure(w, "wall time, "+label(sz.smallPairs), smallWall, formatSeconds)
	benchFigure(w, "wall time, "+label(sz.largePairs), largeWall, formatSeconds)
	benchFigure(w, "pairs per second end to end, small input", smallRate, formatRate)
	benchFigure(w, "pairs per second end to end, large input", largeRate, formatRate)
	benchFigure(w, "connections opened, small input", smallConns, formatCount)
	benchFigure(w, "connections opened, large input", largeConns, formatCount)
	benchFigure(w, "peak RSS of the launcher, a floor for the above", floor, formatMiB)

	growth := largeRSS.median() / smallRSS.median()
	const limit = 300 << 20
	return []benchTarget{
		{
			name:     fmt.Sprintf("Memory: peak RSS of a %d-pair run", sz.largePairs),
			measured: formatMiB(largeRSS.max()),
			limit:    "< " + formatMiB(limit),
			pass:     largeRSS.max() < limit,
		},
		{
			name:     fmt.Sprintf("Memory: peak RSS %d / %d pairs", sz.largePairs, sz.smallPairs),
			measured: formatRatio(growth),
			limit:    "< 2.500",
			pass:     growth < 2.5,
		},
	}
}

// benchRateLimits runs the tool at each configured rate with burst 1 and
// checks the finish time against pairs/rate and the busiest second at the
// stub against rate + burst.
func benchRateLimits(t *testing.T, w io.Writer, stub *benchStubProcess, dir string, sz benchSizes) []benchTarget {
	var targets []benchTarget
	for _, rc := range sz.rates {
		benchPhase(t, w, fmt.Sprintf("Rate: %d pairs at --rate %g --burst 1 (ideal %.1f s)", rc.pairs, rc.rate, float64(rc.pairs)/rc.rate))
		path := writeBenchInput(t, dir, rc.pairs)
		ideal := float64(rc.pairs) / rc.rate
		allowed := ideal*0.02 + 1

		var wall, span, busiest, deviation benchSample
		for range sz.repeats {
			stub.reset(t)
			stub.record(t)
			run := runTool(t, stub, dir, "--rate", strconv.FormatFloat(rc.rate, 'f', -1, 64), "--burst", "1", path)
			at := stub.arrivals(t)
			if len(at) != rc.pairs {
				t.Fatalf("stub saw %d requests at --rate %g, want %d", len(at), rc.rate, rc.pairs)
			}
			wall = append(wall, run.wall.Seconds())
			span = append(span, time.Duration(at[len(at)-1]-at[0]).Seconds())
			busiest = append(busiest, float64(busiestArrivalSecond(at)))
			deviation = append(deviation, math.Abs(run.wall.Seconds()-ideal))
		}

		benchFigure(w, "wall time of the run", wall, formatSeconds)
		benchFigure(w, "first to last request at the stub", span, formatSeconds)
		benchFigure(w, "|wall time - pairs/rate|", deviation, formatSeconds)
		benchFigure(w, "requests in the busiest second at the stub", busiest, formatCount)

		targets = append(targets,
			benchTarget{
				name:     fmt.Sprintf("Rate %g/s: worst |wall - %d/%g|", rc.rate, rc.pairs, rc.rate),
				measured: formatSeconds(deviation.max()),
				limit:    "<= " + formatSeconds(allowed),
				pass:     deviation.max() <= allowed,
			},
			benchTarget{
				name:     fmt.Sprintf("Rate %g/s: busiest second at the stub", rc.rate),
				measured: formatCount(busiest.max()),
				limit:    fmt.Sprintf("<= %g (rate + burst)", rc.rate+1),
				pass:     busiest.max() <= rc.rate+1,
			})
	}
	return targets
}

// busiestArrivalSecond returns the most arrivals (nanosecond offsets) inside any
// closed interval of one second.
func busiestArrivalSecond(arrivals []int64) int {
	at := slices.Sorted(slices.Values(arrivals))
	busiest, first := 0, 0
	for last := range at {
		for at[last]-at[first] > int64(time.Second) {
			first++
		}
		busiest = max(busiest, last-first+1)
	}
	return busiest
}

// benchProfile runs fn, and when ACCESSAUDIT_BENCH_PROFILE names a folder,
// writes a CPU profile of the first repetition there as NAME.pprof.
func benchProfile(t *testing.T, name string, rep int, fn func()) {
	t.Helper()
	dir := os.Getenv("ACCESSAUDIT_BENCH_PROFILE")
	if dir == "" || rep != 0 {
		fn()
		return
	}
	stop := startCPUProfile(t, filepath.Join(dir, name+".pprof"))
	defer stop()
	fn()
}
