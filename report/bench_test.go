package report

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/accessaudit/accessaudit/audit"
)

// benchmarkEntries is the number of entries each benchmark iteration writes.
const benchmarkEntries = 100_000

// benchmarkResults returns n results with the mix of a typical audit: mostly
// ordinary users, some administrators, 404s, 403s and errors.
func benchmarkResults(n int) []*audit.Result {
	results := make([]*audit.Result, n)
	for i := range n {
		r := &audit.Result{
			Job: audit.Job{
				Pair: audit.Pair{ClientID: int64(1000 + i/50), UserID: int64(500000 + i)},
				Seq:  i, Line: i + 2, Lines: []int{i + 2},
				Columns: []string{fmt.Sprintf("user%d@example.com", i), "ticket SEC-1234"},
			},
			Outcome: audit.OutcomeOK, HTTPStatus: 200, Attempts: 1,
		}
		switch i % 20 {
		case 0:
			r.GroupID, r.GroupName = ptr[int64](1), ptr("Administrators")
		case 1:
			r.Outcome, r.HTTPStatus, r.Error = audit.OutcomeNotFound, 404, "user not found"
		case 2:
			r.Outcome, r.HTTPStatus, r.Error = audit.OutcomeForbidden, 403, "forbidden"
		case 3:
			r.Outcome, r.HTTPStatus, r.ErrorKind, r.Error = audit.OutcomeError, 503, audit.KindServerError, "503 Service Unavailable"
		default:
			r.GroupID, r.GroupName = ptr[int64](2), ptr("Users")
		}
		results[i] = r
	}
	return results
}

func BenchmarkWriters(b *testing.B) {
	results := benchmarkResults(benchmarkEntries)
	newWriters := []struct {
		name string
		new  func(dir string) (Writer, error)
	}{
		{"json", func(dir string) (Writer, error) {
			return NewJSON(filepath.Join(dir, "r.json"), sampleTool, []string{"email", "note"})
		}},
		{"xlsx", func(dir string) (Writer, error) {
			return NewXLSX(filepath.Join(dir, "r.xlsx"), sampleTool, []string{"email", "note"}, ModeAudit)
		}},
	}

	for _, nw := range newWriters {
		b.Run(nw.name, func(b *testing.B) {
			b.ReportAllocs()
			policy := Policy{Mode: ModeAudit}
			for b.Loop() {
				w, err := nw.new(b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				writeReport(b, w, policy, results, sampleRun(ModeAudit), nil)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchmarkEntries), "ns/entry")
		})
	}
}
