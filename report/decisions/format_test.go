package decisions

import (
	"archive/zip"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/accessaudit/accessaudit/report"
)

func TestReadNotOurWorkbook(t *testing.T) {
	tests := []struct {
		name  string
		build func(t *testing.T, path string) // writes the workbook at path
		want  []string                        // FormatError.Missing
	}{
		{
			name: "new workbook",
			build: func(t *testing.T, path string) {
				saveNew(t, path, nil)
			},
			want: []string{`there is no sheet named "Results"`},
		},
		{
			name: "results without decision columns",
			build: func(t *testing.T, path string) {
				saveNew(t, path, func(f *excelize.File) {
					mustDo(t, f.SetSheetName("Sheet1", "Results"))
					mustDo(t, f.SetSheetRow("Results", "A1", &[]string{"Line", "Account ID", "User ID", "Outcome"}))
				})
			},
			want: []string{`sheet "Results" lacks the columns "Decision", "Reviewer comment" in row 1`},
		},
		{
			name: "results without comment column",
			build: func(t *testing.T, path string) {
				saveNew(t, path, func(f *excelize.File) {
					mustDo(t, f.SetSheetName("Sheet1", "Results"))
					mustDo(t, f.SetSheetRow("Results", "A1", &[]string{"Account ID", "User ID", " Decision "}))
				})
			},
			want: []string{`sheet "Results" lacks the column "Reviewer comment" in row 1`},
		},
		{
			name: "empty results sheet",
			build: func(t *testing.T, path string) {
				saveNew(t, path, func(f *excelize.File) {
					mustDo(t, f.SetSheetName("Sheet1", "Results"))
				})
			},
			want: []string{`sheet "Results" lacks the columns "Account ID", "User ID", "Decision", "Reviewer comment" in row 1`},
		},
		{
			name: "results sheet renamed",
			build: func(t *testing.T, path string) {
				writeWorkbook(t, path, report.ModeAudit, sampleExtra, sampleResults())
				rv := openReviewer(t, path)
				mustDo(t, rv.file.SetSheetName(results, "Results (old)"))
				rv.save()
			},
			want: []string{`there is no sheet named "Results"`},
		},
		{
			name: "administrators header changed",
			build: func(t *testing.T, path string) {
				writeWorkbook(t, path, report.ModeAudit, sampleExtra, sampleResults())
				rv := openReviewer(t, path)
				rv.setText(admins, "R1", "Comment")
				rv.setText(admins, "B1", "Account")
				rv.save()
			},
			want: []string{`sheet "Administrators" lacks the columns "Account ID", "Reviewer comment" in row 1`},
		},
		{
			name: "overflow sheet without header",
			build: func(t *testing.T, path string) {
				writeWorkbook(t, path, report.ModeAudit, sampleExtra, sampleResults())
				rv := openReviewer(t, path)
				if _, err := rv.file.NewSheet("Results (2)"); err != nil {
					t.Fatal(err)
				}
				rv.setText("Results (2)", "A2", "1")
				rv.save()
			},
			want: []string{`sheet "Results (2)" lacks the columns "Account ID", "User ID", "Decision", "Reviewer comment" in row 1`},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "book.xlsx")
			tt.build(t, path)

			_, err := Read(path)
			var formatErr *FormatError
			if !errors.As(err, &formatErr) {
				t.Fatalf("error %v is a %T, want *FormatError", err, err)
			}
			if !errors.Is(err, ErrNotWorkbook) {
				t.Errorf("error does not wrap ErrNotWorkbook")
			}
			if !slices.Equal(formatErr.Missing, tt.want) {
				t.Errorf("Missing = %q, want %q", formatErr.Missing, tt.want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, path+": not an accessaudit workbook: ") {
				t.Errorf("message %q does not start with the path and \"not an accessaudit workbook\"", msg)
			}
		})
	}
}

func TestReadUnreadableFiles(t *testing.T) {
	sample, err := os.ReadFile(writeSample(t, report.ModeAudit))
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		data []byte
	}{
		{"empty file", nil},
		{"CSV text", []byte("client_id,user_id\n1001,2001\n")},
		{"truncated workbook", sample[:len(sample)/2]},
		{"damaged worksheet data", damagePart(t, sample, "xl/worksheets/sheet2.xml")},
		{"damaged styles", damagePart(t, sample, "xl/styles.xml")},
		{"damaged central directory", damageTail(sample)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "book.xlsx")
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}

			review, err := Read(path)
			if err == nil {
				t.Fatalf("Read returned %q, want an error", summarize(review.Decisions))
			}
			if errors.Is(err, ErrNotWorkbook) || errors.Is(err, ErrInvalidCells) {
				t.Errorf("error %v is about the content, want one about the file", err)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, path+": ") || !strings.Contains(msg, ".xlsx") {
				t.Errorf("message %q should name the file and say that an .xlsx workbook is expected", msg)
			}
		})
	}

	t.Run("missing file", func(t *testing.T) {
		_, err := Read(filepath.Join(t.TempDir(), "missing.xlsx"))
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("error %v, want one that wraps fs.ErrNotExist", err)
		}
	})
}

// damagePart returns a copy of the workbook with bytes inverted in the
// middle of the compressed data of the named part. It fails the test when
// the part is missing, so the damage always lands where it is meant to.
func damagePart(t *testing.T, workbook []byte, part string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(workbook), int64(len(workbook)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != part {
			continue
		}
		offset, err := f.DataOffset()
		if err != nil {
			t.Fatal(err)
		}
		damaged := bytes.Clone(workbook)
		middle := offset + int64(f.CompressedSize64/2)
		for i := middle; i < middle+4 && i < offset+int64(f.CompressedSize64); i++ {
			damaged[i] ^= 0xFF
		}
		return damaged
	}
	t.Fatalf("workbook has no part %q", part)
	return nil
}

// damageTail returns a copy of the workbook whose last 22 bytes, the end of
// central directory record of a ZIP archive without a comment, are zeros.
func damageTail(workbook []byte) []byte {
	damaged := bytes.Clone(workbook)
	clear(damaged[len(damaged)-22:])
	return damaged
}

// saveNew saves a new excelize workbook, changed by edit, at path.
func saveNew(t *testing.T, path string, edit func(f *excelize.File)) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if edit != nil {
		edit(f)
	}
	mustDo(t, f.SaveAs(path))
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
