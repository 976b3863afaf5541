package journal_test

import (
	"context"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/accessaudit/accessaudit/audit"
	"github.com/accessaudit/accessaudit/audit/journal"
)

// benchmarkLines returns n result lines with the mix of a real audit: most
// users found in one of the known groups, some 404s and 403s with the API's
// usual message, and a few errors.
func benchmarkLines(n int) string {
	groups := []string{
		`"group_id":1,"group_name":"Administrators"`,
		`"group_id":2,"group_name":"Users"`,
		`"group_id":5,"group_name":"Engineers"`,
		`"group_id":3009,"group_name":"Purge and Prefetch only (API+Web)"`,
	}
	var b strings.Builder
	b.WriteString(headerLine)
	for i := range n {
		client, user := int64(100000+i/50), int64(1000000+i)
		switch i % 10 {
		case 7:
			b.WriteString(record(client, user, "not_found", `"http_status":404,"group_id":null,"group_name":null,"error_kind":null,"error":"User not found","attempts":1`))
		case 8:
			b.WriteString(record(client, user, "forbidden", `"http_status":403,"group_id":null,"group_name":null,"error_kind":null,"error":"Forbidden","attempts":1`))
		case 9:
			b.WriteString(record(client, user, "error", `"http_status":503,"group_id":null,"group_name":null,"error_kind":"server_error","error":"HTTP 503 Service Unavailable","attempts":6`))
		default:
			b.WriteString(record(client, user, "ok", `"http_status":200,`+groups[i%len(groups)]+`,"error_kind":null,"error":null,"attempts":1`))
		}
	}
	return b.String()
}

// BenchmarkOpenMillion opens a journal of a million pairs, nine in ten of
// them final, and reports the heap that the open journal retains per final
// pair. ns/op divided by a million is the load time per line.
func BenchmarkOpenMillion(b *testing.B) {
	const pairs = 1_000_000
	path := b.TempDir() + "/run.journal"
	if err := os.WriteFile(path, []byte(benchmarkLines(pairs)), 0o600); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()

	for b.Loop() {
		before := heapInUse()
		j, err := journal.Open(path, testHeader)
		if err != nil {
			b.Fatal(err)
		}
		retained := heapInUse() - before
		b.ReportMetric(float64(retained)/float64(j.Recorded()), "heap-bytes/pair")
		j.Close()
	}
}

// BenchmarkAppend measures one Checker call that appends its result.
func BenchmarkAppend(b *testing.B) {
	j, err := journal.Open(b.TempDir()+"/run.journal", testHeader)
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	check := j.Checker(newFakeChecker(nil))
	b.ResetTimer()

	i := int64(0)
	for b.Loop() {
		i++
		if _, err := check.Check(context.Background(), audit.Job{Pair: pair(i, i)}); err != nil {
			b.Fatal(err)
		}
	}
}

// heapInUse returns the live heap after a full collection.
func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
