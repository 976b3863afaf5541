package decisions

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/accessaudit/accessaudit/audit"
	"github.com/accessaudit/accessaudit/report"
)

// BenchmarkRead reads a workbook of 100,000 pairs in which every tenth row
// has a decision. Each iteration reads the whole workbook.
func BenchmarkRead(b *testing.B) {
	const pairs = 100_000
	path := filepath.Join(b.TempDir(), "large.xlsx")
	results := make([]*audit.Result, pairs)
	for i := range results {
		results[i] = &audit.Result{
			Job:     audit.Job{Pair: audit.Pair{ClientID: 1000 + int64(i%100), UserID: 100000 + int64(i)}, Seq: i, Line: i + 2},
			Outcome: audit.OutcomeNotFound, HTTPStatus: 404, Attempts: 1,
		}
	}
	writeWorkbook(b, path, report.ModeAudit, nil, results)
	fillDecisions(b, path, pairs)

	b.ReportAllocs()
	for b.Loop() {
		review, err := Read(path)
		if err != nil {
			b.Fatal(err)
		}
		if len(review.Decisions) != pairs/10 {
			b.Fatalf("%d decisions, want %d", len(review.Decisions), pairs/10)
		}
	}
}

// fillDecisions rewrites the Results sheet with a stream writer, so the
// large sheet is never loaded into memory at once. The new sheet keeps the
// pairs and only the columns that Read uses, and every tenth row has Revoke
// and a comment.
func fillDecisions(b *testing.B, path string, pairs int) {
	b.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()

	header := []any{"Line", "Account ID", "User ID", "Decision", "Reviewer comment"}
	sw, err := f.NewStreamWriter(report.SheetResults)
	if err != nil {
		b.Fatal(err)
	}
	if err := sw.SetRow("A1", header); err != nil {
		b.Fatal(err)
	}
	for i := range pairs {
		row := []any{i + 2, 1000 + i%100, 100000 + i, nil, nil}
		if i%10 == 0 {
			row[3], row[4] = "Revoke", "row "+strconv.Itoa(i+2)
		}
		ref, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(ref, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Save(); err != nil {
		b.Fatal(err)
	}
}
