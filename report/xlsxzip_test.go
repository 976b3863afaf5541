package report

import (
	"archive/zip"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestMarkZip64Headers(t *testing.T) {
	f := writeSampleXLSX(t, Policy{Mode: ModeAudit}, MaxDataRows)
	path := filepath.Join(t.TempDir(), "copy.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}

	file, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()

	// A threshold of 1 byte marks every non-empty part as if it were over
	// 4 GiB.
	if err := markZip64Headers(file, 1); err != nil {
		t.Fatalf("markZip64Headers: %v", err)
	}

	info, _ := file.Stat()
	archive, err := zip.NewReader(file, info.Size())
	if err != nil {
		t.Fatalf("archive unreadable after marking: %v", err)
	}
	for _, part := range archive.File {
		offset, err := localHeaderOffset(file, part)
		if err != nil {
			t.Fatal(err)
		}
		var version [2]byte
		if _, err := file.ReadAt(version[:], offset+4); err != nil {
			t.Fatal(err)
		}
		want := uint16(20)
		if part.UncompressedSize64 > 1 || part.CompressedSize64 > 1 {
			want = zip64Version
		}
		if got := binary.LittleEndian.Uint16(version[:]); got != want {
			t.Errorf("%s: version needed %d, want %d", part.Name, got, want)
		}
	}

	reopened, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("workbook unreadable after marking: %v", err)
	}
	defer reopened.Close()
	if got, _ := reopened.GetCellValue(SheetResults, "A1"); got != ColumnLine {
		t.Errorf("Results!A1 = %q after marking, want %q", got, ColumnLine)
	}
}

// TestXLSXColumnsSorted checks the raw sheet XML: Excel repairs a workbook
// whose <col> elements are not in ascending order.
func TestXLSXColumnsSorted(t *testing.T) {
	dir := t.TempDir()
	writeXLSX(t, dir, Policy{Mode: ModeAudit}, MaxDataRows, sampleColumns, sampleResults(), sampleRejected)

	archive, err := zip.OpenReader(filepath.Join(dir, "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer archive.Close()

	colMin := regexp.MustCompile(`<col min="(\d+)"`)
	sheets := 0
	for _, part := range archive.File {
		if !strings.HasPrefix(part.Name, "xl/worksheets/sheet") {
			continue
		}
		sheets++
		rc, err := part.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}

		last := 0
		for _, m := range colMin.FindAllSubmatch(data, -1) {
			n, _ := strconv.Atoi(string(m[1]))
			if n <= last {
				t.Errorf("%s: <col min=%d> after <col min=%d>, want ascending order", part.Name, n, last)
			}
			last = n
		}
	}
	if sheets != 5 {
		t.Errorf("found %d worksheets, want 5", sheets)
	}
}
