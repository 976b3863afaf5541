package audit

import (
	"context"
	"errors"
	"iter"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"
)

// fakeChecker answers after a random short delay; it fails with
// ErrKeyRejected for the pair numbered rejectAt (1-based user ID), if set.
type fakeChecker struct {
	inFlight, peak atomic.Int32
	calls          atomic.Int32
	rejectAt       int64
	delay          time.Duration
}

func (f *fakeChecker) Check(ctx context.Context, job Job) (Result, error) {
	f.calls.Add(1)
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for {
		p := f.peak.Load()
		if n <= p || f.peak.CompareAndSwap(p, n) {
			break
		}
	}
	d := f.delay
	if d == 0 {
		d = time.Duration(rand.N(2000)) * time.Microsecond
	}
	if err := sleep(ctx, d); err != nil {
		return Result{Job: job}, err
	}
	if job.UserID == f.rejectAt {
		return Result{Job: job}, ErrKeyRejected
	}
	return Result{Job: job, Outcome: OutcomeOK, HTTPStatus: 200, Attempts: 1}, nil
}

func jobsOf(n int) iter.Seq2[Job, error] {
	return func(yield func(Job, error) bool) {
		for i := range n {
			if !yield(Job{Pair: Pair{ClientID: 1, UserID: int64(i + 1)}, Seq: i, Line: i + 2}, nil) {
				return
			}
		}
	}
}

func TestRunnerKeepsInputOrder(t *testing.T) {
	tests := []struct {
		name        string
		jobs        int
		concurrency int
		window      int
	}{
		{"one worker", 50, 1, 0},
		{"many workers", 2000, 16, 0},
		{"tight window", 500, 8, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checker := &fakeChecker{}
			r := &Runner{Checker: checker, Concurrency: tt.concurrency, Window: tt.window}
			next := 0

			stats, err := r.Run(context.Background(), jobsOf(tt.jobs), func(res *Result) error {
				if res.Seq != next {
					t.Fatalf("sink got seq %d, want %d", res.Seq, next)
				}
				next++
				return nil
			})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if next != tt.jobs || stats.Finished != tt.jobs || stats.Dispatched != tt.jobs {
				t.Errorf("sink saw %d, stats %+v; want %d of each", next, stats, tt.jobs)
			}
			if peak := checker.peak.Load(); peak > int32(tt.concurrency) {
				t.Errorf("peak in flight = %d, want at most %d", peak, tt.concurrency)
			}
		})
	}
}

func TestRunnerStopsOnRejectedKey(t *testing.T) {
	checker := &fakeChecker{rejectAt: 10, delay: time.Millisecond}
	r := &Runner{Checker: checker, Concurrency: 4}

	_, err := r.Run(context.Background(), jobsOf(10000), func(*Result) error { return nil })
	if !errors.Is(err, ErrKeyRejected) {
		t.Fatalf("Run error = %v, want ErrKeyRejected", err)
	}
	if calls := checker.calls.Load(); calls > 100 {
		t.Errorf("%d checks started, want dispatching to stop soon after the 401", calls)
	}
}

func TestRunnerInterruptedEmitsOnlyFinished(t *testing.T) {
	checker := &fakeChecker{delay: 20 * time.Millisecond}
	r := &Runner{Checker: checker, Concurrency: 4, Grace: time.Second}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)

	last := -1
	stats, err := r.Run(ctx, jobsOf(100000), func(res *Result) error {
		if res.Seq <= last || res.Outcome != OutcomeOK {
			t.Errorf("sink got seq %d outcome %q after seq %d", res.Seq, res.Outcome, last)
		}
		last = res.Seq
		return nil
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if stats.Finished == 0 || stats.Finished >= 1000 {
		t.Errorf("finished %d jobs, want some but far fewer than the input", stats.Finished)
	}
	if stats.Finished != stats.Dispatched {
		t.Errorf("finished %d of %d dispatched; the grace period should let in-flight work end", stats.Finished, stats.Dispatched)
	}
}

func TestRunnerSinkErrorStops(t *testing.T) {
	checker := &fakeChecker{delay: time.Millisecond}
	r := &Runner{Checker: checker, Concurrency: 4}
	diskFull := errors.New("no space left on device")

	seen := 0
	_, err := r.Run(context.Background(), jobsOf(100000), func(*Result) error {
		seen++
		if seen == 5 {
			return diskFull
		}
		return nil
	})
	if !errors.Is(err, diskFull) {
		t.Fatalf("Run error = %v, want the sink's error", err)
	}
	if seen != 5 {
		t.Errorf("sink called %d times, want no call after its error", seen)
	}
}
