package journal

import (
	"context"
	"errors"
	"fmt"

	"github.com/accessaudit/accessaudit/audit"
)

// Checker wraps next. For a job whose pair has a final outcome in the
// journal, Check returns that outcome at once, without a request or a
// rate-limiter token. The Result carries the recorded outcome, HTTP status, group,
// error text and attempt count, and the Job of the current input. Every
// other job goes to next.
//
// Every Result that next returns without an error, error outcomes included,
// is appended to the journal before Check returns. An append that fails
// returns an error wrapping ErrWrite, so the run stops instead of going on
// unrecorded. After the first failure every later append fails the same
// way. Errors from next, such as the end of ctx, pass through unchanged and
// nothing is appended.
//
// Each line is handed to the kernel in one write(2) (os.File.Write repeats
// it only after a short write, which a full disk can cause). A killed
// process therefore loses only the pairs still in flight, because written
// data lives in the page cache, not in the process. fsync would only guard
// against a crash of the operating system, so appends skip it and Close
// does it once.
//
// The returned Checker is safe for concurrent use.
func (j *Journal) Checker(next audit.Checker) audit.Checker {
	return &checker{journal: j, next: next}
}

type checker struct {
	journal *Journal
	next    audit.Checker
}

func (c *checker) Check(ctx context.Context, job audit.Job) (audit.Result, error) {
	if rec, ok := c.journal.records.get(job.Pair); ok {
		c.journal.resumed.Add(1)
		return c.journal.records.result(job, rec), nil
	}

	res, err := c.next.Check(ctx, job)
	if err != nil {
		return res, err
	}
	if err := c.journal.append(&res); err != nil {
		return res, err
	}
	return res, nil
}

// errClosed is the cause of an append after Close or Remove.
var errClosed = errors.New("the journal is closed")

// append writes the line for r at the end of the file.
func (j *Journal) append(r *audit.Result) error {
	line := encodeResult(r)

	j.mu.Lock()
	defer j.mu.Unlock()
	if j.broken != nil {
		return j.broken
	}
	if j.file == nil {
		return fmt.Errorf("%w: %s: %w", ErrWrite, j.path, errClosed)
	}

	n, err := j.file.Write(line)
	if err == nil {
		j.size += int64(n)
		return nil
	}

	// Cut a partial line, so that a later Open does not find it in the
	// middle. If the cut fails too, the partial line stays the last one,
	// because no further append happens.
	if n > 0 {
		_ = j.file.Truncate(j.size)
	}
	j.broken = fmt.Errorf("%w: %w; the results written before are kept, so rerun with the same journal once this is fixed",
		ErrWrite, err)
	return j.broken
}
