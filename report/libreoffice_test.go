package report

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// requireSoffice is the environment variable that turns a missing soffice
// or pdftotext from a skip into a failure, for CI machines that install
// them.
const requireSoffice = "ACCESSAUDIT_REQUIRE_SOFFICE"

// sofficeTimeout bounds one conversion. LibreOffice needs about a second
// on a warm machine and up to tens of seconds on a cold one.
const sofficeTimeout = 3 * time.Minute

// lookTool returns the path of an external program. When the program is
// missing it skips the test with a message naming it, or fails the test
// when requireSoffice is set to 1.
func lookTool(t *testing.T, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	msg := fmt.Sprintf("%s is not on PATH, so this check of the workbook in LibreOffice is skipped; install %s to run it", name, install)
	if os.Getenv(requireSoffice) == "1" {
		t.Fatalf("%s (%s=1 requires it)", msg, requireSoffice)
	}
	t.Skip(msg)
	return ""
}

// convertWithSoffice converts files to format with LibreOffice headless,
// into outDir. Each call uses a fresh user profile, so a LibreOffice the
// user has open neither interferes nor notices.
func convertWithSoffice(soffice, format, outDir, profile string, files []string) error {
	ctx, cancel := context.WithTimeout(context.Background(), sofficeTimeout)
	defer cancel()

	args := []string{
		"--headless", "--norestore", "--nologo",
		"-env:UserInstallation=" + (&url.URL{Scheme: "file", Path: filepath.ToSlash(profile)}).String(),
		"--convert-to", format, "--outdir", outDir,
	}
	cmd := exec.CommandContext(ctx, soffice, append(args, files...)...)
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("soffice --convert-to %s: %w\n%s", format, err, output.String())
	}

	for _, file := range files {
		base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
		converted := filepath.Join(outDir, base+"."+strings.SplitN(format, ":", 2)[0])
		if _, err := os.Stat(converted); err != nil {
			return fmt.Errorf("soffice did not write %s: %w\n%s", converted, err, output.String())
		}
	}
	return nil
}

// TestLibreOffice writes the review run in each mode as a workbook and a JSON
// report. LibreOffice opens each workbook and saves it again as XLSX and as
// PDF, and the test compares what LibreOffice saved with the JSON report,
// the cells sheet by sheet and the printed pages. So the workbook is shown
// to open in a real spreadsheet program with every value intact and to
// print as the package documentation describes.
func TestLibreOffice(t *testing.T) {
	soffice := lookTool(t, "soffice", "LibreOffice Calc (Debian: libreoffice-calc-nogui)")
	if testing.Short() && os.Getenv(requireSoffice) != "1" {
		t.Skip("LibreOffice conversion skipped in -short mode")
	}

	dir := t.TempDir()
	var files []string
	docs := map[string]reportDoc{}
	for _, policy := range reviewPolicies() {
		sub := filepath.Join(dir, fmt.Sprintf("%s-%v", policy.Mode, policy.Approved != nil))
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		path, doc := writeReviewReports(t, sub, policy)
		// Give every workbook its own name, since soffice writes all its
		// output into one folder.
		named := filepath.Join(dir, filepath.Base(sub)+".xlsx")
		if err := os.Rename(path, named); err != nil {
			t.Fatal(err)
		}
		files = append(files, named)
		docs[named] = doc
	}

	// One soffice process per output format, both at once: each conversion
	// costs mostly LibreOffice's start-up.
	xlsxDir, pdfDir := filepath.Join(dir, "xlsx"), filepath.Join(dir, "pdf")
	var wg sync.WaitGroup
	var xlsxErr, pdfErr error
	wg.Go(func() {
		xlsxErr = convertWithSoffice(soffice, "xlsx:Calc MS Excel 2007 XML", xlsxDir, filepath.Join(dir, "profile-xlsx"), files)
	})
	wg.Go(func() {
		pdfErr = convertWithSoffice(soffice, "pdf:calc_pdf_Export", pdfDir, filepath.Join(dir, "profile-pdf"), files)
	})
	wg.Wait()
	if xlsxErr != nil {
		t.Fatal(xlsxErr)
	}
	if pdfErr != nil {
		t.Fatal(pdfErr)
	}

	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".xlsx")
		doc := docs[file]
		t.Run("cells "+name, func(t *testing.T) {
			f, err := excelize.OpenFile(filepath.Join(xlsxDir, name+".xlsx"))
			if err != nil {
				t.Fatalf("open the workbook LibreOffice saved: %v", err)
			}
			defer f.Close()
			checkWorkbook(t, f, doc, reviewColumns)
			checkReviewerFeatures(t, f)
		})
		t.Run("pages "+name, func(t *testing.T) {
			pdftotext := lookTool(t, "pdftotext", "poppler-utils")
			checkPrintedPages(t, pdftotext, filepath.Join(pdfDir, name+".pdf"), doc)
		})
	}
}

// checkReviewerFeatures checks that the features a reviewer works with came
// through LibreOffice: the autofilter, the Decision drop-down list and the
// header row repeated on every printed page. The frozen header row is not
// checked here: LibreOffice 7.4 saves no view settings, frozen panes among
// them, when it converts without a window.
func checkReviewerFeatures(t *testing.T, f *excelize.File) {
	t.Helper()
	names := map[string]map[string]string{} // defined name, sheet, range
	for _, dn := range f.GetDefinedName() {
		if names[dn.Name] == nil {
			names[dn.Name] = map[string]string{}
		}
		names[dn.Name][dn.Scope] = dn.RefersTo
	}

	for _, sheet := range f.GetSheetList()[1:] {
		if names["_xlnm._FilterDatabase"][sheet] == "" {
			t.Errorf("%s: no autofilter after LibreOffice", sheet)
		}
		if titles := names["_xlnm.Print_Titles"][sheet]; !strings.HasSuffix(titles, "$1:$1") {
			t.Errorf("%s: print titles %q after LibreOffice, want row 1", sheet, titles)
		}
		if sheet == SheetRejected {
			continue
		}
		dvs, err := f.GetDataValidations(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(dvs) != 1 || !strings.Contains(dvs[0].Formula1, "Change group") {
			t.Errorf("%s: Decision list after LibreOffice = %+v, want one list of %v", sheet, dvs, DecisionValues)
		}
	}
}

// pageHeader matches the first line of a printed page: the sheet name on
// the left and the page number on the right.
var pageHeader = regexp.MustCompile(`^\s*(\S.*?)\s{2,}.*Page (\d+) of (\d+)\s*$`)

// checkPrintedPages reads the PDF that LibreOffice printed from the
// workbook, page by page. Every page must have its page header, the sheets
// must print in order with their header row on every page, and the first
// page must hold the whole overview of the Summary sheet.
func checkPrintedPages(t *testing.T, pdftotext, pdf string, doc reportDoc) {
	t.Helper()
	out, err := exec.Command(pdftotext, "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", pdf, err)
	}
	pages := strings.Split(strings.TrimRight(string(out), "\f"), "\f")

	var sheets []string // the sheet of each page
	for i, page := range pages {
		first, _, _ := strings.Cut(strings.TrimLeft(page, "\n"), "\n")
		m := pageHeader.FindStringSubmatch(first)
		if m == nil {
			t.Fatalf("page %d starts with %q, want the sheet name and Page N of M", i+1, first)
		}
		if want := fmt.Sprintf("%d of %d", i+1, len(pages)); m[2]+" of "+m[3] != want {
			t.Errorf("page %d is numbered %s of %s, want %s", i+1, m[2], m[3], want)
		}
		sheets = append(sheets, m[1])
	}

	want := []string{SheetSummary, SheetResults, SheetAdministrators, SheetNeedsAttention, SheetRejected}
	if doc.Run.Mode == ModeOffboarding {
		want = slices.Insert(want, 3, SheetStillHasAccess)
	}
	if got := slices.Compact(slices.Clone(sheets)); !slices.Equal(got, want) {
		t.Errorf("pages print sheets %q, want %q in that order", got, want)
	}

	// The first page is the overview: every label with its value beside it,
	// and the chart.
	overview := pages[0]
	sum := expectedSummary(doc)
	for label, value := range sum.run {
		if !regexp.MustCompile(regexp.QuoteMeta(label) + `\s+` + regexp.QuoteMeta(value)).MatchString(overview) {
			t.Errorf("page 1 lacks %q beside its value %q", label, value)
		}
	}
	for _, phrase := range []string{sum.title, sum.status, "Users per group", "SHA-256", doc.Run.Input.SHA256} {
		if !strings.Contains(overview, phrase) {
			t.Errorf("page 1 lacks %q", phrase)
		}
	}

	for i, page := range pages {
		if sheets[i] != SheetSummary && sheets[i] != SheetRejected && !strings.Contains(page, "Reviewer comment") {
			t.Errorf("page %d (%s) lacks the header row with Reviewer comment", i+1, sheets[i])
		}
	}
}
