package decisions

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accessaudit/accessaudit/report"
)

// TestReadAfterLibreOfficeRoundTrip saves a reviewed workbook with
// LibreOffice Calc, which rewrites every part of it, and reads the
// decisions back from the copy.
func TestReadAfterLibreOfficeRoundTrip(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice not found in PATH; install LibreOffice Calc (Debian: libreoffice-calc-nogui) to run the round trip")
	}
	if testing.Short() {
		t.Skip("-short: skipping the LibreOffice round trip, which starts LibreOffice and takes seconds")
	}

	path := writeSample(t, report.ModeAudit)
	rv := openReviewer(t, path)
	rv.decide(results, pairAdmin, "keep", "owner")
	rv.decide(admins, pairAdmin, "Keep", "")
	rv.decide(results, pairUser, " revoke ", "left, in March\nsee \"HR-12\"")
	rv.decide(results, pairEng, "change   GROUP", "Zoë: Users is enough")
	rv.decide(results, pairLongID, "Revoke", "")
	rv.decide(admins, pairAdmin2, "Revoke", "")
	rv.setNumber(results, "C4", "2003.0")
	rv.save()

	converted := convertWithLibreOffice(t, soffice, path)
	if app := readPart(t, converted, "docProps/app.xml"); !strings.Contains(app, "LibreOffice") {
		t.Fatalf("docProps/app.xml of the converted workbook does not name LibreOffice: %q", app)
	}

	review, err := Read(converted)
	if err != nil {
		t.Fatalf("Read after the round trip: %v", err)
	}
	wantAll := []string{
		"1001/2001 Keep Results!Q2",
		"1001/2002 Revoke Results!Q3",
		"1002/2003 Change group Results!Q4",
		"1234567890123456/2007 Revoke Results!Q8",
		"1005/2006 Revoke Administrators!Q3",
	}
	if got := summarize(review.Decisions); !slices.Equal(got, wantAll) {
		t.Errorf("decisions = %q, want %q", got, wantAll)
	}
	wantCSV := "client_id,user_id,decision,comment\n" +
		"1001,2002,Revoke,\"left, in March\nsee \"\"HR-12\"\"\"\n" +
		"1002,2003,Change group,Zoë: Users is enough\n" +
		"1234567890123456,2007,Revoke,\n" +
		"1005,2006,Revoke,\n"
	if got := csvOf(t, review.Decisions); got != wantCSV {
		t.Errorf("CSV:\n%s\nwant:\n%s", got, wantCSV)
	}
}

// convertWithLibreOffice opens the workbook at path in LibreOffice Calc and
// saves it as .xlsx into a new folder, with a new LibreOffice profile so
// that no user settings or running instance interfere. It returns the path
// of the saved copy.
func convertWithLibreOffice(t *testing.T, soffice, path string) string {
	t.Helper()
	outDir := t.TempDir()
	profile := t.TempDir()

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice,
		"-env:UserInstallation=file://"+filepath.ToSlash(profile),
		"--headless", "--norestore", "--nolockcheck",
		"--convert-to", "xlsx:Calc MS Excel 2007 XML",
		"--outdir", outDir, path)
	cmd.Env = append(os.Environ(), "HOME="+profile)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice --convert-to failed: %v\n%s", err, out)
	}

	converted := filepath.Join(outDir, filepath.Base(path))
	if _, err := os.Stat(converted); err != nil {
		t.Fatalf("soffice wrote no %s: %v\n%s", converted, err, out)
	}
	return converted
}

// readPart returns the content of one part of the ZIP archive at path.
func readPart(t *testing.T, path, name string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()

	f, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
