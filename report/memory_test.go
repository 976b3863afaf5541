package report

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
)

// TestMemoryFlat writes ACCESSAUDIT_MEMORY_PAIRS entries (for example
// 1000000) to both writers and checks that the live heap does not grow with
// the number of entries. It is skipped unless that variable is set, because
// a million entries take about a minute.
func TestMemoryFlat(t *testing.T) {
	pairs, _ := strconv.Atoi(os.Getenv("ACCESSAUDIT_MEMORY_PAIRS"))
	if pairs <= 0 {
		t.Skip("set ACCESSAUDIT_MEMORY_PAIRS to the number of entries to write")
	}

	dir := t.TempDir()
	columns := []string{"email", "note"}
	jsonWriter, err := NewJSON(filepath.Join(dir, "r.json"), sampleTool, columns)
	if err != nil {
		t.Fatal(err)
	}
	xlsxWriter, err := NewXLSX(filepath.Join(dir, "r.xlsx"), sampleTool, columns, ModeOffboarding)
	if err != nil {
		t.Fatal(err)
	}

	policy := Policy{Mode: ModeOffboarding}
	sum := NewSummary(pairs, false)
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapInuse
	}

	// Results are made one at a time, as the runner delivers them.
	var early, peak uint64
	batch := benchmarkResults(1000)
	for i := range pairs {
		r := *batch[i%len(batch)]
		r.UserID, r.Line, r.Lines = int64(i+1), i+2, []int{i + 2}
		e := policy.Entry(&r)
		sum.Add(e)
		for _, w := range []Writer{jsonWriter, xlsxWriter} {
			if err := w.Write(e); err != nil {
				t.Fatal(err)
			}
		}

		if (i+1)%(pairs/10) == 0 {
			h := heap()
			if early == 0 {
				early = h
			}
			peak = max(peak, h)
			t.Logf("%d entries: heap in use %d MiB", i+1, h>>20)
		}
	}
	for _, w := range []Writer{jsonWriter, xlsxWriter} {
		if err := w.Commit(sampleRun(ModeOffboarding), sum, nil); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("after Commit: heap in use %d MiB", heap()>>20)

	// Each open stream writer may buffer up to 16 MiB before it spills to
	// disk, so the heap may grow by that much per sheet after the first
	// tenth, but not in proportion to the entries.
	if growth := int64(peak) - int64(early); growth > 5*16<<20 {
		t.Errorf("heap grew by %d MiB between %d entries and the end", growth>>20, pairs/10)
	}
}
