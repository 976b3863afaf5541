package progress

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestLine(t *testing.T) {
	tests := []struct {
		name        string
		done, total int
		elapsed     time.Duration
		perSecond   float64
		eta         time.Duration
	}{
		{"nothing yet", 0, 100, time.Second, 0, 0},
		{"half way", 50, 100, 10 * time.Second, 5, 10 * time.Second},
		{"done", 100, 100, 20 * time.Second, 5, 0},
		{"uneven rate", 10, 40, 3 * time.Second, 3.3, 9 * time.Second},
		{"no time passed", 5, 10, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Line(tt.done, tt.total, tt.elapsed)
			if s.PerSecond != tt.perSecond {
				t.Errorf("per second = %v, want %v", s.PerSecond, tt.perSecond)
			}
			if s.ETA != tt.eta {
				t.Errorf("eta = %s, want %s", s.ETA, tt.eta)
			}
		})
	}
}

func TestNewModes(t *testing.T) {
	logger := slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))
	tests := []struct {
		mode       string
		isTerminal bool
		wantNop    bool
		wantErr    bool
	}{
		{ModeAuto, false, true, false},
		{ModeAuto, true, false, false},
		{ModeBar, false, false, false},
		{ModeNever, true, true, false},
		{ModeLog, false, false, false},
		{"sometimes", false, false, true},
	}
	for _, tt := range tests {
		r, err := New(tt.mode, &bytes.Buffer{}, tt.isTerminal, 10, logger)
		if (err != nil) != tt.wantErr {
			t.Errorf("New(%q) error = %v, want error %v", tt.mode, err, tt.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		_, isNop := r.(nop)
		if isNop != tt.wantNop {
			t.Errorf("New(%q, terminal=%v) is a no-op: %v, want %v", tt.mode, tt.isTerminal, isNop, tt.wantNop)
		}
		r.Finish()
	}
}

func TestBarShowsCountAndRate(t *testing.T) {
	var out bytes.Buffer
	b := newBar(&out, 10)
	for range 4 {
		b.Add(1)
		time.Sleep(110 * time.Millisecond) // past the bar's redraw throttle
	}
	text := out.String()
	for _, want := range []string{"checking pairs", "4/10", "pairs/s"} {
		if !strings.Contains(text, want) {
			t.Errorf("bar output %q lacks %q", text, want)
		}
	}
	b.Finish()
}

func TestTickerLogsAtInterval(t *testing.T) {
	var out bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&out, nil))
	tk := newTicker(logger, 100, 20*time.Millisecond, time.Now)
	tk.Add(30)
	time.Sleep(70 * time.Millisecond)
	tk.Finish()

	lines := strings.Count(out.String(), "msg=progress")
	if lines < 2 {
		t.Fatalf("got %d progress lines in 70ms at a 20ms interval, want at least 2:\n%s", lines, out.String())
	}
	if !strings.Contains(out.String(), "done=30 total=100") {
		t.Errorf("progress lines %q lack done=30 total=100", out.String())
	}
}
