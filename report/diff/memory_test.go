package diff

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/accessaudit/accessaudit/report"
)

// TestMemoryOneReport compares two reports of ACCESSAUDIT_MEMORY_PAIRS
// pairs each (for example 1000000), one in a hundred of them changed, and
// logs the heap that the old report's pairs take. It checks that this stays
// under 150 bytes per pair and that the heap grows by less than 16 MiB
// while the new report streams past, so the new report is never held. It is
// skipped unless the variable is set, because writing the reports takes
// a while.
func TestMemoryOneReport(t *testing.T) {
	pairs, _ := strconv.Atoi(os.Getenv("ACCESSAUDIT_MEMORY_PAIRS"))
	if pairs <= 0 {
		t.Skip("set ACCESSAUDIT_MEMORY_PAIRS to the number of pairs per report")
	}
	dir := t.TempDir()
	oldPath := writeLargeReport(t, filepath.Join(dir, "old.json"), pairs, false)
	newPath := writeLargeReport(t, filepath.Join(dir, "new.json"), pairs, true)

	oldFile, err := os.Open(oldPath)
	if err != nil {
		t.Fatal(err)
	}
	defer oldFile.Close()
	newFile, err := os.Open(newPath)
	if err != nil {
		t.Fatal(err)
	}
	defer newFile.Close()
	info, err := newFile.Stat()
	if err != nil {
		t.Fatal(err)
	}

	// The first sample is taken at the first read of the new report, when
	// the old report's map is complete.
	baseline := heapInUse()
	sampler := &heapSampler{r: newFile, step: info.Size() / 10}
	start := time.Now()
	d, err := Compare(oldFile, sampler, "old.json", "new.json")
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)

	held := sampler.samples[0] - baseline
	peak := slicesMax(sampler.samples)
	t.Logf("%d pairs: report %d MiB; old report's pairs take %d MiB (%d bytes per pair); heap grows by %d KiB while the new report streams; %d changed pairs; Compare took %s with 11 forced GCs",
		pairs, info.Size()>>20, held>>20, held/uint64(pairs), (peak-sampler.samples[0])>>10, d.ChangedPairs, elapsed.Round(time.Millisecond))
	if perPair := held / uint64(pairs); perPair > 150 {
		t.Errorf("old report's pairs take %d bytes per pair, want at most 150", perPair)
	}
	if growth := peak - sampler.samples[0]; growth > 16<<20 {
		t.Errorf("heap grew by %d MiB while reading the new report", growth>>20)
	}
	if want := pairs / 100; len(d.GroupChanges) != want {
		t.Errorf("GroupChanges has %d pairs, want %d", len(d.GroupChanges), want)
	}
}

// writeLargeReport writes a report of pairs users in 1000 accounts; with
// changed set, every hundredth user is in group 5 instead of 2.
func writeLargeReport(t *testing.T, path string, pairs int, changed bool) string {
	t.Helper()
	w, err := report.NewJSON(path, report.Tool{Name: "accessaudit", Version: "test"}, []string{"email"})
	if err != nil {
		t.Fatal(err)
	}
	policy := report.Policy{Mode: report.ModeAudit}
	sum := report.NewSummary(pairs, false)
	for i := range pairs {
		r := users(int64(i%1000+1), int64(i+1))
		if changed && i%100 == 0 {
			r = okGroup(r.ClientID, r.UserID, 5, "Engineers")
		}
		r.Seq, r.Line, r.Lines = i, i+2, []int{i + 2}
		r.Columns = []string{fmt.Sprintf("user%d@example.com", r.UserID)}
		e := policy.Entry(r)
		sum.Add(e)
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(fixtureRun(fixture{}, pairs), sum, nil); err != nil {
		t.Fatal(err)
	}
	return path
}

// heapSampler records the heap in use at the first read and then after
// every step bytes.
type heapSampler struct {
	r       io.Reader
	step    int64
	read    int64
	next    int64
	samples []uint64
}

func (s *heapSampler) Read(p []byte) (int, error) {
	if s.read >= s.next {
		s.samples = append(s.samples, heapInUse())
		s.next += s.step
	}
	n, err := s.r.Read(p)
	s.read += int64(n)
	return n, err
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func slicesMax(values []uint64) uint64 {
	var peak uint64
	for _, v := range values {
		peak = max(peak, v)
	}
	return peak
}
