package input

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// benchmarkRows is the size of the generated input of the benchmarks.
const benchmarkRows = 1_000_000

// writeBenchmarkInput writes a CSV with a header and rows data rows of the kind a real
// export has (account, user, e-mail), with one row in 50 repeating an earlier pair, and
// returns its path.
func writeBenchmarkInput(b *testing.B, rows int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "pairs.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "client_id,user_id,email")
	for i := range rows {
		n := i
		if i%50 == 49 {
			n = i / 2
		}
		fmt.Fprintf(w, "%d,%d,user%d@example.com\n", 100000+n%5000, 2000000+n, n)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

func BenchmarkScan(b *testing.B) {
	src := openBenchmarkInput(b)
	b.ResetTimer()
	for b.Loop() {
		ix, err := Scan(src)
		if err != nil {
			b.Fatal(err)
		}
		if ix.Rows != benchmarkRows {
			b.Fatalf("Rows = %d, want %d", ix.Rows, benchmarkRows)
		}
	}
}

func BenchmarkJobs(b *testing.B) {
	src := openBenchmarkInput(b)
	ix, err := Scan(src)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		n := 0
		for _, err := range ix.Jobs(src) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != ix.Pairs {
			b.Fatalf("Jobs yielded %d jobs, want %d", n, ix.Pairs)
		}
	}
}

func openBenchmarkInput(b *testing.B) *Source {
	b.Helper()
	path := writeBenchmarkInput(b, benchmarkRows)
	src, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { src.Close() })
	if info, err := os.Stat(path); err == nil {
		b.SetBytes(info.Size())
	}
	return src
}
