// Package progress shows how far a run has come: a bar on a terminal, or a
// log line at a fixed interval for unattended runs.
package progress

import (
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// The accepted values of --progress.
const (
	ModeAuto  = "auto"  // a bar when stderr is a terminal, nothing otherwise
	ModeBar   = "bar"   // always a bar
	ModeLog   = "log"   // a log line every Interval
	ModeNever = "never" // nothing
)

// Interval is how often ModeLog writes a line.
const Interval = 10 * time.Second

// Reporter receives the count of finished pairs. Add is called from one
// goroutine; Finish must be called once at the end.
type Reporter interface {
	Add(n int)
	Finish()
}

// New returns the Reporter for mode, writing to w. total is the number of
// pairs the run will check. logger receives ModeLog lines at Info level, so
// it must let Info through.
func New(mode string, w io.Writer, isTerminal bool, total int, logger *slog.Logger) (Reporter, error) {
	switch mode {
	case ModeAuto:
		if isTerminal {
			return newBar(w, total), nil
		}
		return nop{}, nil
	case ModeBar:
		return newBar(w, total), nil
	case ModeLog:
		return newTicker(logger, total, Interval, time.Now), nil
	case ModeNever:
		return nop{}, nil
	}
	return nil, fmt.Errorf("invalid --progress %q: use auto, bar, log or never", mode)
}

type nop struct{}

func (nop) Add(int) {}
func (nop) Finish() {}

// bar draws done, total, rate and time left on one terminal line.
type bar struct {
	bar *progressbar.ProgressBar
}

func newBar(w io.Writer, total int) *bar {
	return &bar{bar: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("checking pairs"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("pairs"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
	)}
}

func (b *bar) Add(n int) { _ = b.bar.Add(n) }
func (b *bar) Finish()   { _ = b.bar.Finish() }

// ticker logs done, total, rate and time left every interval.
type ticker struct {
	logger *slog.Logger
	total  int
	now    func() time.Time
	start  time.Time

	mu   sync.Mutex
	done int
	stop chan struct{}
	wg   sync.WaitGroup
}

func newTicker(logger *slog.Logger, total int, interval time.Duration, now func() time.Time) *ticker {
	t := &ticker{logger: logger, total: total, now: now, start: now(), stop: make(chan struct{})}
	t.wg.Add(1)
	go t.loop(interval)
	return t
}

func (t *ticker) loop(interval time.Duration) {
	defer t.wg.Done()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			t.log()
		case <-t.stop:
			return
		}
	}
}

func (t *ticker) Add(n int) {
	t.mu.Lock()
	t.done += n
	t.mu.Unlock()
}

func (t *ticker) Finish() {
	close(t.stop)
	t.wg.Wait()
}

// log writes one progress line: pairs done, total, pairs per second since
// the start, and the estimated time left at that pace.
func (t *ticker) log() {
	t.mu.Lock()
	done := t.done
	t.mu.Unlock()
	line := Line(done, t.total, t.now().Sub(t.start))
	t.logger.Info("progress", "done", line.Done, "total", line.Total, "per_second", line.PerSecond, "eta", line.ETA.String())
}

// Snapshot is one measurement of a run's progress.
type Snapshot struct {
	Done, Total int
	PerSecond   float64       // pairs per second since the start, rounded to 0.1
	ETA         time.Duration // time left at that pace, rounded to the second; 0 when unknown
}

// Line computes a Snapshot from done of total pairs after elapsed time.
func Line(done, total int, elapsed time.Duration) Snapshot {
	s := Snapshot{Done: done, Total: total}
	if elapsed <= 0 || done == 0 {
		return s
	}
	perSecond := float64(done) / elapsed.Seconds()
	s.PerSecond = float64(int(perSecond*10+0.5)) / 10
	if left := total - done; left > 0 {
		s.ETA = time.Duration(float64(left) / perSecond * float64(time.Second)).Round(time.Second)
	}
	return s
}
