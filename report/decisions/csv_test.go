package decisions

import (
	"errors"
	"slices"
	"testing"

	"github.com/accessaudit/accessaudit/audit"
	"github.com/accessaudit/accessaudit/input"
)

func TestWriteCSV(t *testing.T) {
	decisions := []Decision{
		{Pair: audit.Pair{ClientID: 1001, UserID: 2001}, Action: Revoke, Comment: "left in March"},
		{Pair: audit.Pair{ClientID: 1001, UserID: 2002}, Action: Keep, Comment: "still needed"},
		{Pair: audit.Pair{ClientID: 1002, UserID: 2003}, Action: ChangeGroup, Comment: "see \"HR-12\", then\nmove to Users"},
		{Pair: audit.Pair{ClientID: 9223372036854775807, UserID: 1}, Action: Revoke, Comment: ""},
		{Pair: audit.Pair{ClientID: 1003, UserID: 2004}, Action: Revoke, Comment: " =1+2; #tag"},
	}
	want := "client_id,user_id,decision,comment\n" +
		"1001,2001,Revoke,left in March\n" +
		"1002,2003,Change group,\"see \"\"HR-12\"\", then\nmove to Users\"\n" +
		"9223372036854775807,1,Revoke,\n" +
		"1003,2004,Revoke,\" =1+2; #tag\"\n"
	if got := csvOf(t, decisions); got != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", got, want)
	}
}

func TestWriteCSVWriteError(t *testing.T) {
	err := WriteCSV(failingWriter{}, []Decision{{Pair: audit.Pair{ClientID: 1, UserID: 2}, Action: Revoke}})
	if !errors.Is(err, errWriteFailed) {
		t.Errorf("WriteCSV error = %v, want %v", err, errWriteFailed)
	}
}

var errWriteFailed = errors.New("disk full")

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errWriteFailed }

// TestCSVIsRunInput reads the CSV back with the input reader of the run
// command: every row must be a pair, with the decision and the comment as
// extra columns that keep their exact text.
func TestCSVIsRunInput(t *testing.T) {
	decisions := []Decision{
		{Pair: audit.Pair{ClientID: 1001, UserID: 2001}, Action: Revoke, Comment: "left in March"},
		{Pair: audit.Pair{ClientID: 1002, UserID: 2003}, Action: ChangeGroup, Comment: "see \"HR-12\", then\nmove to Users; team\tB"},
		{Pair: audit.Pair{ClientID: 1234567890123456, UserID: 7}, Action: Revoke},
		{Pair: audit.Pair{ClientID: 1003, UserID: 2004}, Action: Revoke, Comment: "=HYPERLINK(\"x\") # not a comment"},
		{Pair: audit.Pair{ClientID: 1004, UserID: 2005}, Action: Revoke, Comment: "Zoë, 1,5 €; 5,003"},
	}
	data := []byte(csvOf(t, decisions))

	src := input.OpenBytes("decisions.csv", data)
	ix, err := input.Scan(src)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if len(ix.Rejected) != 0 {
		t.Fatalf("rejected rows: %v", ix.Rejected)
	}
	if ix.Pairs != len(decisions) || ix.Delimiter != ',' {
		t.Errorf("Scan found %d pairs with delimiter %q, want %d with ','", ix.Pairs, ix.Delimiter, len(decisions))
	}
	if want := []string{"decision", "comment"}; !slices.Equal(ix.Columns, want) {
		t.Errorf("extra columns = %q, want %q", ix.Columns, want)
	}

	i := 0
	for job, err := range ix.Jobs(src) {
		if err != nil {
			t.Fatalf("Jobs: %v", err)
		}
		d := decisions[i]
		if job.Pair != d.Pair {
			t.Errorf("job %d: pair %v, want %v", i, job.Pair, d.Pair)
		}
		want := []string{string(d.Action), d.Comment}
		if d.Comment == "" {
			want = want[:1]
		}
		if !slices.Equal(trimEmpty(job.Columns), want) {
			t.Errorf("job %d: columns %q, want %q", i, job.Columns, want)
		}
		i++
	}
	if i != len(decisions) {
		t.Errorf("Jobs yielded %d jobs, want %d", i, len(decisions))
	}
}

// trimEmpty drops empty values at the end of columns.
func trimEmpty(columns []string) []string {
	for len(columns) > 0 && columns[len(columns)-1] == "" {
		columns = columns[:len(columns)-1]
	}
	return columns
}
