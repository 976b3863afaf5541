package audit

import (
	"context"
	"fmt"
	"iter"
	"time"

	"golang.org/x/sync/errgroup"
)

// Checker returns the final Result for one job. *Client is the real one, and tests may pass others.
type Checker interface {
	Check(ctx context.Context, job Job) (Result, error)
}

// Runner fans jobs out to a bounded number of workers and hands their
// results to a sink in input order.
type Runner struct {
	Checker     Checker
	Concurrency int           // requests in flight at most; default 8
	Window      int           // results held for re-ordering at most; default max(64*Concurrency, 1024)
	Grace       time.Duration // how long in-flight requests may go on after ctx ends; 0 cancels them at once
}

// Stats counts what a run did.
type Stats struct {
	Dispatched int // jobs handed to a worker
	Finished   int // jobs that reached a final outcome and went to the sink
}

// finished is a worker's report on one job. ok is false when the job was
// cut short (interruption or a rejected key) and has no final outcome.
type finished struct {
	result Result
	ok     bool
}

// Run dispatches jobs until they run out, ctx ends, the key is rejected,
// jobs yields an error, or sink fails. It calls sink from the calling
// goroutine, once per finished job, in input order (by Job.Seq, which must
// count up from 0), holding at most Window results while it waits for a slow
// one. Jobs cut short are skipped. When ctx ends, dispatching stops at once
// and requests in flight get Grace to finish.
//
// A Checker error stops the run unless it came from the end of ctx, which
// only cuts its job short. Run returns that Checker error (such as
// ErrKeyRejected), the error of jobs, or the error of sink. The end of ctx
// is not an error, so callers check ctx themselves.
func (r *Runner) Run(ctx context.Context, jobs iter.Seq2[Job, error], sink func(*Result) error) (Stats, error) {
	concurrency := r.Concurrency
	if concurrency <= 0 {
		concurrency = 8
	}
	window := r.Window
	if window <= 0 {
		window = max(64*concurrency, 1024)
	}

	// Requests outlive ctx by Grace so that an interruption lets them end.
	requests, cancelRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRequests()
	stopGrace := context.AfterFunc(ctx, func() {
		time.AfterFunc(r.Grace, cancelRequests)
	})
	defer stopGrace()

	dispatch, stopDispatch := context.WithCancelCause(ctx)
	defer stopDispatch(nil)

	results := make(chan finished, window)
	slots := make(chan struct{}, window)
	var stats Stats
	dispatchDone := make(chan error, 1)
	go func() {
		dispatchDone <- r.dispatch(dispatch, requests, jobs, slots, results, concurrency, &stats)
		close(results)
	}()

	sinkErr := r.emit(results, slots, window, sink, stopDispatch, &stats)
	dispatchErr := <-dispatchDone
	if sinkErr != nil {
		return stats, sinkErr
	}
	return stats, dispatchErr
}

// dispatch hands jobs to a pool of concurrency workers in one errgroup
// (SetLimit(concurrency)), taking a re-ordering slot first so that no more
// than Window results wait for the sink. The workers live for the whole run,
// so a job costs a channel send rather than a new goroutine whose stack
// grows again in net/http. A worker returns only a Checker error that is not
// due to the end of requests. That error cancels the group, which stops the
// dispatching. A failed pair is a Result, never a group error.
func (r *Runner) dispatch(ctx, requests context.Context, jobs iter.Seq2[Job, error],
	slots chan<- struct{}, results chan<- finished, concurrency int, stats *Stats) error {
	g, work := errgroup.WithContext(ctx)
	g.SetLimit(concurrency)

	queue := make(chan Job) // unbuffered: a job leaves only when a worker is free
	for range concurrency {
		g.Go(func() error {
			// Each worker derives its own context, so that the per-attempt
			// contexts of the Checker register with it rather than all with
			// requests, whose lock every worker would take twice a request.
			own, cancel := context.WithCancel(requests)
			defer cancel()
			for job := range queue {
				res, err := r.Checker.Check(own, job)
				results <- finished{result: res, ok: err == nil}
				if err != nil && requests.Err() == nil {
					return err // a rejected key or a local failure
				}
			}
			return nil
		})
	}

	readErr := feed(work, jobs, slots, queue, stats)
	close(queue)
	if err := g.Wait(); err != nil {
		return err
	}
	if readErr != nil {
		return fmt.Errorf("reading input: %w", readErr)
	}
	return nil
}

// feed sends jobs to the workers until they run out, ctx ends or jobs
// yields an error, which it returns.
func feed(ctx context.Context, jobs iter.Seq2[Job, error], slots chan<- struct{}, queue chan<- Job, stats *Stats) error {
	for job, err := range jobs {
		if err != nil {
			return err
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return nil
		}
		select {
		case queue <- job:
			stats.Dispatched++
		case <-ctx.Done():
			return nil
		}
	}
	return nil
}

// emit re-orders results by Seq and passes finished ones to sink. A result
// waits in a ring of window entries indexed by Seq modulo window: every
// result in flight holds a slot, so its Seq is less than window ahead of
// the next one due and no two share an entry. After a sink error emit keeps
// draining so workers never block, but calls sink no more and stops
// dispatching.
func (r *Runner) emit(results <-chan finished, slots <-chan struct{}, window int, sink func(*Result) error,
	stopDispatch context.CancelCauseFunc, stats *Stats) error {
	pending := make([]finished, window)
	filled := make([]bool, window)
	next := 0
	var sinkErr error
	for f := range results {
		at := f.result.Seq % window
		pending[at], filled[at] = f, true
		for at := next % window; filled[at]; at = next % window {
			head := pending[at]
			pending[at], filled[at] = finished{}, false
			next++
			<-slots
			if !head.ok || sinkErr != nil {
				continue
			}
			if err := sink(&head.result); err != nil {
				sinkErr = err
				stopDispatch(err)
				continue
			}
			stats.Finished++
		}
	}
	return sinkErr
}
