package audit

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// Package benchmarks of the hot paths of a run at --rate 0. The benchmark
// driver of the repository root (make bench) measures the whole engine
// against a bare net/http loop in a separate stub process. These show the
// cost and the allocations per request or per job of each part.

// benchmarkServer responds to every request with the body of an ordinary
// user.
func benchmarkServer(b *testing.B) *httptest.Server {
	b.Helper()
	body := []byte(`{"user_role":{"id":2,"name":"Users"}}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header()["Content-Type"] = []string{"application/json"}
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkClientCheck measures one Check of a pair for which the server
// returns a 200, from 8 goroutines.
func BenchmarkClientCheck(b *testing.B) {
	srv := benchmarkServer(b)
	client, err := NewClient(Config{BaseURL: srv.URL, Key: "bench", Concurrency: 8})
	if err != nil {
		b.Fatal(err)
	}
	var seq atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(4) // 4 × GOMAXPROCS goroutines
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := seq.Add(1)
			res, err := client.Check(context.Background(), Job{Pair: Pair{ClientID: 7, UserID: n}, Seq: int(n)})
			if err != nil || res.Outcome != OutcomeOK {
				b.Fatalf("Check = %v, %v; want ok", res.Outcome, err)
			}
		}
	})
}

// BenchmarkClassify measures turning a 200 response into a result.
func BenchmarkClassify(b *testing.B) {
	resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{}}
	body := []byte(`{"user_role":{"id":1,"name":"Administrators"}}`)
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if a := classify(resp, body, now); a.outcome != OutcomeOK {
			b.Fatalf("outcome = %s, want ok", a.outcome)
		}
	}
}

// instantChecker returns a result for every job at once, so that a benchmark of the
// runner measures the runner alone.
type instantChecker struct{}

func (instantChecker) Check(_ context.Context, job Job) (Result, error) {
	return Result{Job: job, Outcome: OutcomeOK, HTTPStatus: http.StatusOK, Attempts: 1}, nil
}

// BenchmarkRunner measures dispatching, re-ordering and emitting one job
// with 32 workers.
func BenchmarkRunner(b *testing.B) {
	r := &Runner{Checker: instantChecker{}, Concurrency: 32}
	b.ReportAllocs()
	for b.Loop() {
		next := 0
		stats, err := r.Run(context.Background(), jobsOf(10_000), func(res *Result) error {
			if res.Seq != next {
				b.Fatalf("result %d arrived where %d was due", res.Seq, next)
			}
			next++
			return nil
		})
		if err != nil || stats.Finished != 10_000 {
			b.Fatalf("Run = %+v, %v; want 10000 finished", stats, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*10_000), "ns/job")
}

// BenchmarkEndpoint measures building the URL of one pair.
func BenchmarkEndpoint(b *testing.B) {
	client, err := NewClient(Config{BaseURL: "http://127.0.0.1:1/v1", Key: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	n := int64(0)
	for b.Loop() {
		n++
		if u := client.endpoint(Pair{ClientID: 7, UserID: n}); len(u) < len("https://") {
			b.Fatalf("endpoint = %q", u)
		}
	}
}
