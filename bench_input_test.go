package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/accessaudit/accessaudit/audit"
	"github.com/accessaudit/accessaudit/input"
)

// benchDuplicateEvery is how often the generated input repeats a pair: after
// every benchDuplicateEvery-1 new pairs comes one row that repeats an
// earlier pair, so that the duplicate index has work to do.
const benchDuplicateEvery = 50

// benchAccounts is the number of distinct accounts in generated inputs.
const benchAccounts = 5000

// benchPair returns the n-th unique pair of the generated inputs. The user
// IDs are multiples of 20 apart from n, so benchOutcome(UserID) depends on n
// modulo 20.
func benchPair(n int) audit.Pair {
	return audit.Pair{ClientID: int64(100000 + n%benchAccounts), UserID: int64(2000000 + n)}
}

// benchEmail is the extra column of the n-th pair.
func benchEmail(n int) string { return "user" + strconv.Itoa(n) + "@example.com" }

// benchRows returns the number of data rows writeBenchInput writes for
// pairs unique pairs.
func benchRows(pairs int) int { return pairs + pairs/(benchDuplicateEvery-1) }

// writeBenchInput writes a CSV of pairs unique pairs with a header and an
// e-mail column, as an export from a directory has, and returns its path.
func writeBenchInput(t *testing.T, dir string, pairs int) string {
	t.Helper()
	path := filepath.Join(dir, fmt.Sprintf("pairs-%d.csv", pairs))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	_, _ = io.WriteString(w, "client_id,user_id,email\n")
	writeRow := func(n int) {
		p := benchPair(n)
		_, _ = fmt.Fprintf(w, "%d,%d,%s\n", p.ClientID, p.UserID, benchEmail(n))
	}
	for n := range pairs {
		writeRow(n)
		if n%(benchDuplicateEvery-1) == benchDuplicateEvery-2 {
			writeRow(n / 2)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// benchInput measures reading and validating an input (input.Scan, the
// duplicate index included) and, for information, reading its jobs again.
func benchInput(t *testing.T, w io.Writer, dir string, sz benchSizes) []benchTarget {
	benchPhase(t, w, fmt.Sprintf("Input: read and validate %d rows", sz.inputRows))
	pairs := sz.inputRows * (benchDuplicateEvery - 1) / benchDuplicateEvery
	path := writeBenchInput(t, dir, pairs)

	var scan, jobs benchSample
	for rep := range sz.repeats {
		var scanTime, jobsTime time.Duration
		benchProfile(t, "input-scan", rep, func() { scanTime, jobsTime = scanBenchInput(t, path, benchRows(pairs)) })
		scan = append(scan, scanTime.Seconds())
		jobs = append(jobs, jobsTime.Seconds())
	}

	benchFigure(w, "input.Scan (read, validate, index)", scan, formatSeconds)
	benchFigure(w, "input.Index.Jobs (second read, for the runner)", jobs, formatSeconds)
	scale := float64(1_000_000) / float64(benchRows(pairs))
	return []benchTarget{{
		name:     fmt.Sprintf("Input: read and validate %d rows", sz.inputRows),
		measured: formatSeconds(scan.median()),
		limit:    fmt.Sprintf("< %s", formatSeconds(1/scale)),
		pass:     scan.median() < 1/scale,
	}}
}

// scanBenchInput scans the input at path and then reads its jobs, and
// returns how long each took.
func scanBenchInput(t *testing.T, path string, rows int) (scan, jobs time.Duration) {
	t.Helper()
	src, err := input.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()

	start := time.Now()
	ix, err := input.Scan(src)
	scan = time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if ix.Rows != rows || len(ix.Rejected) != 0 {
		t.Fatalf("input.Scan read %d rows with %d rejected, want %d rows and none rejected", ix.Rows, len(ix.Rejected), rows)
	}

	start = time.Now()
	n := 0
	for _, err := range ix.Jobs(src) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	jobs = time.Since(start)
	if n != ix.Pairs {
		t.Fatalf("Jobs yielded %d jobs, want %d", n, ix.Pairs)
	}
	return scan, jobs
}
