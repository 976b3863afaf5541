package decisions

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/accessaudit/accessaudit/audit"
	"github.com/accessaudit/accessaudit/report"
)

const (
	results = report.SheetResults
	admins  = report.SheetAdministrators
)

// summarize returns each decision as "client/user action cell", in order.
func summarize(decisions []Decision) []string {
	out := []string{}
	for _, d := range decisions {
		out = append(out, fmt.Sprintf("%d/%d %s %s", d.ClientID, d.UserID, d.Action, d.Cell))
	}
	return out
}

func TestReadDecisions(t *testing.T) {
	const header = "client_id,user_id,decision,comment\n"
	tests := []struct {
		name    string
		edit    func(rv *reviewer)
		wantCSV string
		wantAll []string // every decision, Keep included
	}{
		{
			name:    "no decisions",
			edit:    func(*reviewer) {},
			wantCSV: header,
			wantAll: []string{},
		},
		{
			name: "keep and empty not printed",
			edit: func(rv *reviewer) {
				rv.decide(results, pairUser, "Keep", "still needed")
				rv.decide(results, pairEng, "", "comment without a decision")
				rv.decide(admins, pairAdmin2, "   ", "")
			},
			wantCSV: header,
			wantAll: []string{"1001/2002 Keep Results!Q3"},
		},
		{
			name: "case and spaces ignored",
			edit: func(rv *reviewer) {
				rv.decide(results, pairUser, "  rEVOKE ", "left in March")
				rv.decide(results, pairEng, "change\u00a0  GROUP", "should be Users")
				rv.decide(results, pairLongID, "revoke\n", "  trailing spaces  ")
				rv.decide(results, pairMissing, "kEEp", "")
			},
			wantCSV: header +
				"1001,2002,Revoke,left in March\n" +
				"1002,2003,Change group,should be Users\n" +
				"1234567890123456,2007,Revoke,trailing spaces\n",
			wantAll: []string{"1001/2002 Revoke Results!Q3", "1002/2003 Change group Results!Q4", "1003/2004 Keep Results!Q5", "1234567890123456/2007 Revoke Results!Q8"},
		},
		{
			name: "same decision on two sheets printed once",
			edit: func(rv *reviewer) {
				rv.decide(results, pairAdmin, "Revoke", "no longer an admin")
				rv.decide(admins, pairAdmin, "revoke", "no longer an admin")
				rv.decide(admins, pairAdmin2, "Change group", "Users is enough")
			},
			wantCSV: header +
				"1001,2001,Revoke,no longer an admin\n" +
				"1005,2006,Change group,Users is enough\n",
			wantAll: []string{"1001/2001 Revoke Results!Q2", "1005/2006 Change group Administrators!Q3"},
		},
		{
			name: "results before administrators",
			edit: func(rv *reviewer) {
				rv.decide(admins, pairAdmin, "Revoke", "")
				rv.decide(results, pairLongID, "Revoke", "")
			},
			wantCSV: header +
				"1234567890123456,2007,Revoke,\n" +
				"1001,2001,Revoke,\n",
			wantAll: []string{"1234567890123456/2007 Revoke Results!Q8", "1001/2001 Revoke Administrators!Q2"},
		},
		{
			name: "different comments joined",
			edit: func(rv *reviewer) {
				rv.decide(results, pairAdmin, "Revoke", "first")
				rv.decide(admins, pairAdmin, "Revoke", "second")
			},
			wantCSV: header + "1001,2001,Revoke,first; second\n",
			wantAll: []string{"1001/2001 Revoke Results!Q2"},
		},
		{
			name: "comment quoted",
			edit: func(rv *reviewer) {
				rv.decide(results, pairUser, "Revoke", "left, see \"HR-12\"\r\nsecond line")
			},
			wantCSV: header + "1001,2002,Revoke,\"left, see \"\"HR-12\"\"\nsecond line\"\n",
			wantAll: []string{"1001/2002 Revoke Results!Q3"},
		},
		{
			name: "IDs stored as decimals and text",
			edit: func(rv *reviewer) {
				rv.decide(results, pairUser, "Revoke", "")
				rv.decide(results, pairEng, "Revoke", "")
				rv.decide(results, pairMissing, "Revoke", "")
				rv.decide(results, pairDenied, "Revoke", "")
				rv.setNumber(results, "B3", "1001.0")
				rv.setNumber(results, "C3", "2.002E+3")
				rv.setText(results, "B4", "1002")
				rv.setFloat(results, "C4", 2003)
				rv.setText(results, "B5", " 0001003 ")
				rv.setNumber(results, "C5", "2004.000")
				rv.setNumber(results, "B6", "1.004e3")
				rv.setText(results, "C6", "2005")
			},
			wantCSV: header +
				"1001,2002,Revoke,\n" +
				"1002,2003,Revoke,\n" +
				"1003,2004,Revoke,\n" +
				"1004,2005,Revoke,\n",
			wantAll: []string{"1001/2002 Revoke Results!Q3", "1002/2003 Revoke Results!Q4", "1003/2004 Revoke Results!Q5", "1004/2005 Revoke Results!Q6"},
		},
		{
			name: "ID read as stored, not as displayed",
			edit: func(rv *reviewer) {
				rv.decide(results, pairUser, "Revoke", "")
				rv.setFormat(results, "B3", "#,##0.00")
				rv.setFormat(results, "C3", "0.00E+00")
			},
			wantCSV: header + "1001,2002,Revoke,\n",
			wantAll: []string{"1001/2002 Revoke Results!Q3"},
		},
		{
			name: "bad ID on undecided row ignored",
			edit: func(rv *reviewer) {
				rv.setText(results, "B3", "not an ID")
				rv.setNumber(results, "C4", "2003.5")
				rv.decide(results, pairAdmin, "Revoke", "")
			},
			wantCSV: header + "1001,2001,Revoke,\n",
			wantAll: []string{"1001/2001 Revoke Results!Q2"},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeSample(t, report.ModeAudit)
			rv := openReviewer(t, path)
			tt.edit(rv)
			rv.save()

			review, err := Read(path)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if got := csvOf(t, review.Decisions); got != tt.wantCSV {
				t.Errorf("CSV:\n%s\nwant:\n%s", got, tt.wantCSV)
			}
			if got := summarize(review.Decisions); !slices.Equal(got, tt.wantAll) {
				t.Errorf("decisions = %q, want %q", got, tt.wantAll)
			}
			if len(review.Unread) != 0 {
				t.Errorf("Unread = %+v, want none", review.Unread)
			}
		})
	}
}

func TestReadCellErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(rv *reviewer)
		want []Problem // Reason contains a part of the expected reason
	}{
		{
			name: "conflict between sheets",
			edit: func(rv *reviewer) {
				rv.decide(results, pairAdmin, "Keep", "")
				rv.decide(admins, pairAdmin, "Revoke", "")
			},
			want: []Problem{{
				Cells:  []string{"Results!Q2", "Administrators!Q2"},
				Reason: "account 1001, user 2001 has different decisions (Keep in Results!Q2, Revoke in Administrators!Q2)",
			}},
		},
		{
			name: "conflict naming every cell",
			edit: func(rv *reviewer) {
				rv.decide(results, pairAdmin2, "Revoke", "")
				rv.decide(admins, pairAdmin2, "change group", "")
			},
			want: []Problem{{
				Cells:  []string{"Results!Q7", "Administrators!Q3"},
				Reason: "(Revoke in Results!Q7, Change group in Administrators!Q3)",
			}},
		},
		{
			name: "unknown values",
			edit: func(rv *reviewer) {
				rv.decide(results, pairUser, "Remove", "")
				rv.decide(admins, pairAdmin, "yes please", "")
				rv.setNumber(results, "Q4", "1")
			},
			want: []Problem{
				{Cells: []string{"Results!Q3"}, Reason: `decision "Remove" is not Keep, Revoke or Change group`},
				{Cells: []string{"Results!Q4"}, Reason: `decision "1" is not Keep, Revoke or Change group`},
				{Cells: []string{"Administrators!Q2"}, Reason: `decision "yes please" is not Keep, Revoke or Change group`},
			},
		},
		{
			name: "bad IDs on decided rows",
			edit: func(rv *reviewer) {
				rv.decide(results, pairUser, "Revoke", "")
				rv.decide(results, pairEng, "Revoke", "")
				rv.decide(results, pairAdmin2, "Revoke", "")
				rv.decide(results, pairLongID, "Revoke", "")
				rv.setNumber(results, "B3", "1001.5")
				rv.setText(results, "C3", "abc")
				rv.setText(results, "B4", "")
				rv.setNumber(results, "C7", "0")
				rv.setNumber(results, "B8", "1.234567890123456E+15")
			},
			want: []Problem{
				{Cells: []string{"Results!B3"}, Reason: "account ID 1001.5 is not a whole number"},
				{Cells: []string{"Results!C3"}, Reason: `user ID "abc" is not a positive whole number`},
				{Cells: []string{"Results!B4"}, Reason: "account ID is empty, but the row has a decision"},
				{Cells: []string{"Results!C7"}, Reason: "user ID 0 is not positive"},
				{Cells: []string{"Results!B8"}, Reason: "account ID 1.234567890123456E+15 has more than 15 digits"},
			},
		},
		{
			name: "every problem listed",
			edit: func(rv *reviewer) {
				rv.decide(results, pairAdmin, "Keep", "")
				rv.decide(admins, pairAdmin, "Revoke", "")
				rv.decide(results, pairUser, "maybe", "")
				rv.decide(results, pairEng, "Revoke", "")
				rv.setText(results, "C4", "2,003")
			},
			want: []Problem{
				{Cells: []string{"Results!Q3"}, Reason: `decision "maybe"`},
				{Cells: []string{"Results!C4"}, Reason: `user ID "2,003" is not a positive whole number`},
				{Cells: []string{"Results!Q2", "Administrators!Q2"}, Reason: "different decisions"},
			},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeSample(t, report.ModeAudit)
			rv := openReviewer(t, path)
			tt.edit(rv)
			rv.save()

			review, err := Read(path)
			if err == nil {
				t.Fatalf("Read returned %q, want an error", summarize(review.Decisions))
			}
			var cellsErr *CellsError
			if !errors.As(err, &cellsErr) {
				t.Fatalf("error %v is a %T, want *CellsError", err, err)
			}
			if !errors.Is(err, ErrInvalidCells) {
				t.Errorf("error does not wrap ErrInvalidCells")
			}
			checkProblems(t, cellsErr.Problems, tt.want)

			msg := err.Error()
			if !strings.HasPrefix(msg, path+": ") {
				t.Errorf("message %q does not start with the workbook path", msg)
			}
			for _, p := range cellsErr.Problems {
				if !strings.Contains(msg, "\n  "+p.String()) {
					t.Errorf("message %q lacks the line %q", msg, p.String())
				}
			}
		})
	}
}

// checkProblems compares problems with want, whose reasons are parts of the
// expected reasons.
func checkProblems(t *testing.T, got, want []Problem) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d problems, want %d: %q", len(got), len(want), got)
	}
	for i := range want {
		if !slices.Equal(got[i].Cells, want[i].Cells) {
			t.Errorf("problem %d: cells %q, want %q", i, got[i].Cells, want[i].Cells)
		}
		if !strings.Contains(got[i].Reason, want[i].Reason) {
			t.Errorf("problem %d: reason %q lacks %q", i, got[i].Reason, want[i].Reason)
		}
	}
}

func TestReadOverflowSheets(t *testing.T) {
	path := writeSample(t, report.ModeAudit)
	rv := openReviewer(t, path)
	header := rv.header(results)
	pairOverflow := audit.Pair{ClientID: 1006, UserID: 2008}
	pairAdminOverflow := audit.Pair{ClientID: 1007, UserID: 2009}

	// Added at the end of the workbook, Administrators (2) before
	// Results (2): the sheet numbers set the order, not the positions.
	rv.addSeriesSheet("Administrators (2)", header, sheetRow{pairAdminOverflow, "change group", "overflow admin"})
	rv.addSeriesSheet("Results (2)", header,
		sheetRow{pairOverflow, "Revoke", "overflow"},
		sheetRow{pairUser, "revoke", ""})
	// Neither name continues a series, so their decisions are not read.
	rv.addSeriesSheet("Results (1)", header, sheetRow{pairUser, "Keep", ""})
	rv.addSeriesSheet("Results copy", header, sheetRow{pairUser, "Keep", ""})
	rv.decide(results, pairUser, "Revoke", "from Results")
	rv.decide(admins, pairAdmin, "Keep", "")
	rv.save()

	review, err := Read(path)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}

	want := []string{
		"1001/2002 Revoke Results!Q3",
		"1006/2008 Revoke 'Results (2)'!Q2",
		"1001/2001 Keep Administrators!Q2",
		"1007/2009 Change group 'Administrators (2)'!Q2",
	}
	if got := summarize(review.Decisions); !slices.Equal(got, want) {
		t.Errorf("decisions = %q, want %q", got, want)
	}
	wantCSV := "client_id,user_id,decision,comment\n" +
		"1001,2002,Revoke,from Results\n" +
		"1006,2008,Revoke,overflow\n" +
		"1007,2009,Change group,overflow admin\n"
	if got := csvOf(t, review.Decisions); got != wantCSV {
		t.Errorf("CSV:\n%s\nwant:\n%s", got, wantCSV)
	}

	wantUnread := []UnreadSheet{
		{Sheet: "Results (1)", First: "'Results (1)'!Q2", Count: 1},
		{Sheet: "Results copy", First: "'Results copy'!Q2", Count: 1},
	}
	if !slices.Equal(review.Unread, wantUnread) {
		t.Errorf("Unread = %+v, want %+v", review.Unread, wantUnread)
	}
}

func TestReadOverflowConflict(t *testing.T) {
	path := writeSample(t, report.ModeAudit)
	rv := openReviewer(t, path)
	rv.addSeriesSheet("Results (2)", rv.header(results), sheetRow{pairUser, "Keep", ""})
	rv.decide(results, pairUser, "Revoke", "")
	rv.save()

	_, err := Read(path)
	var cellsErr *CellsError
	if !errors.As(err, &cellsErr) {
		t.Fatalf("error %v, want *CellsError", err)
	}
	checkProblems(t, cellsErr.Problems, []Problem{{
		Cells:  []string{"Results!Q3", "'Results (2)'!Q2"},
		Reason: "(Revoke in Results!Q3, Keep in 'Results (2)'!Q2)",
	}})
}

func TestReadUnreadSheets(t *testing.T) {
	path := writeSample(t, report.ModeOffboarding)
	rv := openReviewer(t, path)
	rv.decide(report.SheetStillHasAccess, pairUser, "Revoke", "")
	rv.decide(report.SheetStillHasAccess, pairEng, "revoke", "")
	rv.decide(report.SheetNeedsAttention, pairDenied, "Keep", "")
	rv.decide(results, pairAdmin2, "Revoke", "")
	rv.save()

	review, err := Read(path)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if got, want := summarize(review.Decisions), []string{"1005/2006 Revoke Results!Q7"}; !slices.Equal(got, want) {
		t.Errorf("decisions = %q, want %q", got, want)
	}
	want := []UnreadSheet{
		{Sheet: "Still has access", First: "'Still has access'!Q3", Count: 2},
		{Sheet: "Needs attention", First: "'Needs attention'!Q2", Count: 1},
	}
	if !slices.Equal(review.Unread, want) {
		t.Errorf("Unread = %+v, want %+v", review.Unread, want)
	}
}

func TestReadReaderStandardInput(t *testing.T) {
	path := writeSample(t, report.ModeAudit)
	rv := openReviewer(t, path)
	rv.decide(results, pairUser, "Revoke", "")
	rv.save()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	review, err := ReadReader("-", bytes.NewReader(data))
	if err != nil {
		t.Fatalf("ReadReader: %v", err)
	}
	if got, want := summarize(review.Decisions), []string{"1001/2002 Revoke Results!Q3"}; !slices.Equal(got, want) {
		t.Errorf("decisions = %q, want %q", got, want)
	}

	_, err = ReadReader("-", strings.NewReader("client_id,user_id\n1,2\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "standard input: ") {
		t.Errorf("error for CSV on standard input = %v, want one that starts with \"standard input: \"", err)
	}
}

func TestReadLargeIDsAsText(t *testing.T) {
	// An ID above 15 digits is text in the workbook and must come back
	// exactly; the largest int64 is the upper end.
	pair := audit.Pair{ClientID: 9223372036854775807, UserID: 1000000000000000001}
	r := sampleResults()[1]
	r.Pair = pair
	path := writeWorkbook(t, filepath.Join(t.TempDir(), "large.xlsx"), report.ModeAudit, sampleExtra, []*audit.Result{r})
	rv := openReviewer(t, path)
	rv.decide(results, pair, "Revoke", "")
	rv.save()

	review, err := Read(path)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	want := "client_id,user_id,decision,comment\n9223372036854775807,1000000000000000001,Revoke,\n"
	if got := csvOf(t, review.Decisions); got != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", got, want)
	}
}
