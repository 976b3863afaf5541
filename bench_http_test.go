package main

import (
	"context"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/accessaudit/accessaudit/audit"
)

// benchHTTP measures requests per second of a bare net/http loop and of the
// audit engine (audit.Runner with audit.Client, --rate 0) against the stub,
// in turns, each with sz.workers requests in flight.
func benchHTTP(t *testing.T, w io.Writer, stub *benchStubProcess, sz benchSizes) []benchTarget {
	benchPhase(t, w, fmt.Sprintf("HTTP engine: %d requests, %d workers, rate unlimited", sz.httpRequests, sz.workers))

	// One short run of each warms up the stub and the CPU caches.
	bareHTTPLoop(t, stub.apiURL, sz.httpRequests/10, sz.workers)
	engineHTTPLoop(t, stub.apiURL, sz.httpRequests/10, sz.workers)

	var bare, engine, bareConns, engineConns benchSample
	for rep := range sz.repeats {
		measureBare := func() {
			stub.reset(t)
			var d time.Duration
			benchProfile(t, "http-bare", rep, func() { d = bareHTTPLoop(t, stub.apiURL, sz.httpRequests, sz.workers) })
			bare = append(bare, float64(sz.httpRequests)/d.Seconds())
			bareConns = append(bareConns, float64(checkServed(t, stub, sz.httpRequests).Connections))
		}
		measureEngine := func() {
			stub.reset(t)
			var d time.Duration
			benchProfile(t, "http-engine", rep, func() { d = engineHTTPLoop(t, stub.apiURL, sz.httpRequests, sz.workers) })
			engine = append(engine, float64(sz.httpRequests)/d.Seconds())
			engineConns = append(engineConns, float64(checkServed(t, stub, sz.httpRequests).Connections))
		}
		// Alternate the order, so that a drift in load favours neither.
		if rep%2 == 0 {
			measureBare()
			measureEngine()
		} else {
			measureEngine()
			measureBare()
		}
	}

	benchFigure(w, "bare net/http loop", bare, formatRate)
	benchFigure(w, "audit.Runner + audit.Client", engine, formatRate)
	benchFigure(w, "engine / bare, per repetition", ratios(engine, bare), formatRatio)
	benchFigure(w, "connections opened, bare loop", bareConns, formatCount)
	benchFigure(w, "connections opened, engine", engineConns, formatCount)

	ratio := ratios(engine, bare).median()
	allowed := float64(sz.workers + benchSpareConnections)
	return []benchTarget{
		{
			name:     fmt.Sprintf("HTTP: engine / bare net/http, %d workers", sz.workers),
			measured: formatRatio(ratio),
			limit:    ">= 0.800",
			pass:     ratio >= 0.8,
		},
		{
			name:     "HTTP: connections opened by the engine",
			measured: formatCount(engineConns.max()),
			limit:    fmt.Sprintf("<= %d (workers + %d)", int(allowed), benchSpareConnections),
			pass:     engineConns.max() <= allowed,
		},
	}
}

// benchSpareConnections is the "few" connections beyond one per worker that
// the engine may open.
const benchSpareConnections = 4

// checkServed fails the test unless the stub served exactly want requests
// since its last reset, and returns its counters.
func checkServed(t *testing.T, stub *benchStubProcess, want int) benchStubStats {
	t.Helper()
	st := stub.stats(t)
	if st.Requests != int64(want) {
		t.Fatalf("stub served %d requests, want %d", st.Requests, want)
	}
	return st
}

// benchRequestPath returns the API path of the n-th generated pair.
func benchRequestPath(n int) string {
	p := benchPair(n)
	return "/iam/clients/" + strconv.FormatInt(p.ClientID, 10) + "/client-users/" + strconv.FormatInt(p.UserID, 10)
}

// bareHTTPLoop sends requests GET requests from workers goroutines through
// one net/http client whose pool keeps an idle connection per worker, reads
// and discards each body, and returns the time it took. It is the ceiling
// the engine is measured against.
func bareHTTPLoop(t *testing.T, baseURL string, requests, workers int) time.Duration {
	t.Helper()
	transport := &http.Transport{MaxIdleConns: workers, MaxIdleConnsPerHost: workers, IdleConnTimeout: 90 * time.Second}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport}

	var next atomic.Int64
	var failures atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for n := next.Add(1) - 1; n < int64(requests); n = next.Add(1) - 1 {
				req, err := http.NewRequest(http.MethodGet, baseURL+benchRequestPath(int(n)), nil)
				if err != nil {
					failures.Add(1)
					continue
				}
				req.Header.Set("Authorization", "APIKey bench-key")
				resp, err := client.Do(req)
				if err != nil {
					failures.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if n := failures.Load(); n > 0 {
		t.Fatalf("bare loop: %d of %d requests failed", n, requests)
	}
	return elapsed
}

// engineHTTPLoop audits requests generated pairs with the engine of the
// tool, as "run --rate 0" sets it up, with a sink that only counts, and
// returns the time it took.
func engineHTTPLoop(t *testing.T, baseURL string, requests, workers int) time.Duration {
	t.Helper()
	client, err := audit.NewClient(audit.Config{
		BaseURL:     baseURL,
		Key:         "bench-key",
		Limiter:     rate.NewLimiter(rate.Inf, 1),
		Concurrency: workers,
		Timeout:     30 * time.Second,
		Retries:     5,
		UserAgent:   "accessaudit/bench",
	})
	if err != nil {
		t.Fatal(err)
	}
	runner := &audit.Runner{Checker: client, Concurrency: workers, Grace: 30 * time.Second}

	outcomes := make(map[audit.Outcome]int)
	next := 0
	start := time.Now()
	stats, err := runner.Run(context.Background(), benchJobs(requests), func(r *audit.Result) error {
		if r.Seq != next {
			return fmt.Errorf("result %d arrived where %d was due", r.Seq, next)
		}
		next++
		outcomes[r.Outcome]++
		return nil
	})
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("engine: %v", err)
	}
	if stats.Finished != requests || outcomes[audit.OutcomeError] > 0 {
		t.Fatalf("engine finished %d of %d pairs, outcomes %v", stats.Finished, requests, outcomes)
	}
	return elapsed
}

// benchJobs yields n jobs of generated pairs, as input.Index.Jobs does for
// an input without duplicates.
func benchJobs(n int) iter.Seq2[audit.Job, error] {
	return func(yield func(audit.Job, error) bool) {
		for i := range n {
			job := audit.Job{Pair: benchPair(i), Seq: i, Line: i + 2, Lines: []int{i + 2}, Columns: []string{benchEmail(i)}}
			if !yield(job, nil) {
				return
			}
		}
	}
}
