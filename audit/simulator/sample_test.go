package simulator

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"os"
	"testing"

	"github.com/accessaudit/accessaudit/audit"
)

// The bundled demo input and the directory that the demo serves for it.
const (
	sampleDirectoryPath = "../../testdata/directory.json"
	samplePairsPath     = "../../testdata/sample.csv"
)

// readSamplePairs returns the unique valid pairs of the sample CSV in input
// order. It reads just enough of the format for this test: a UTF-8 BOM, ";"
// as delimiter, a header row, "#" comments, digits-only IDs and at most five
// fields per row.
func readSamplePairs(t *testing.T) []audit.Pair {
	t.Helper()
	data, err := os.ReadFile(samplePairsPath)
	if err != nil {
		t.Fatal(err)
	}

	reader := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	reader.Comma = ';'
	reader.Comment = '#'
	reader.FieldsPerRecord = -1
	records, err := reader.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", samplePairsPath, err)
	}

	var pairs []audit.Pair
	seen := make(map[audit.Pair]bool)
	for _, record := range records[1:] {
		if len(record) < 2 || len(record) > 5 {
			continue
		}
		clientID, clientErr := parseID("account", record[0])
		userID, userErr := parseID("user", record[1])
		if clientErr != nil || userErr != nil {
			continue
		}

		p := audit.Pair{ClientID: clientID, UserID: userID}
		if !seen[p] {
			seen[p] = true
			pairs = append(pairs, p)
		}
	}
	return pairs
}

func TestSampleDirectoryAnswersSample(t *testing.T) {
	dir, err := LoadDirectoryFile(sampleDirectoryPath)
	if err != nil {
		t.Fatalf("LoadDirectoryFile: %v", err)
	}
	if len(dir.Faults) != 0 {
		t.Errorf("%s has %d faults; the demo needs none so that it exits 0", sampleDirectoryPath, len(dir.Faults))
	}
	pairs := readSamplePairs(t)
	_, baseURL := serve(t, dir, Options{})

	forbidden := make(map[int64]bool)
	for _, account := range dir.Accounts {
		forbidden[account.ID] = account.Forbidden
	}
	defaultGroups := make(map[int64]bool)
	for _, g := range DefaultGroups() {
		defaultGroups[g.ID] = true
	}

	statuses := make(map[int]int)
	forbiddenAccounts := make(map[int64]bool)
	admins, otherGroups := 0, 0
	for _, p := range pairs {
		got := mustGet(t, pairURL(baseURL, p))
		statuses[got.status]++

		want := dir.Lookup(p)
		if got.status != want.Status {
			t.Errorf("%v: status = %d, Lookup says %d", p, got.status, want.Status)
		}
		if forbidden[p.ClientID] != (got.status == http.StatusForbidden) {
			t.Errorf("%v: status %d, but the account's forbidden flag is %v", p, got.status, forbidden[p.ClientID])
		}
		switch {
		case got.status == http.StatusForbidden:
			forbiddenAccounts[p.ClientID] = true
		case got.status != http.StatusOK:
		case want.Group.ID == audit.AdministratorsGroupID:
			admins++
		case !defaultGroups[want.Group.ID]:
			otherGroups++
		}
	}

	t.Logf("%d unique pairs: %v, %d administrators", len(pairs), statuses, admins)
	if len(pairs) < 250 {
		t.Errorf("the sample has %d unique valid pairs, want about 300", len(pairs))
	}
	if statuses[http.StatusOK] < len(pairs)*3/4 {
		t.Errorf("%d of %d pairs found, want most of them", statuses[http.StatusOK], len(pairs))
	}
	if statuses[http.StatusNotFound] == 0 {
		t.Error("no pair responses 404")
	}
	if n := len(forbiddenAccounts); n < 2 || n > 3 {
		t.Errorf("%d accounts response 403, want 2 or 3", n)
	}
	if admins < 10 || admins > 20 {
		t.Errorf("%d administrators, want about 15", admins)
	}
	if otherGroups != 1 {
		t.Errorf("%d pairs are in a group outside DefaultGroups, want 1", otherGroups)
	}
	for status := range statuses {
		if status != http.StatusOK && status != http.StatusForbidden && status != http.StatusNotFound {
			t.Errorf("%d pairs get %d, want only 200, 403 and 404", statuses[status], status)
		}
	}
}

// TestSampleHasMessyRows checks that the sample keeps the rows that the
// input reader must reject or fold, so the demo shows them.
func TestSampleHasMessyRows(t *testing.T) {
	data, err := os.ReadFile(samplePairsPath)
	if err != nil {
		t.Fatal(err)
	}

	checks := []struct {
		name string
		text string
	}{
		{"UTF-8 BOM", "\ufeffAccount ID;"},
		{"CRLF line ends", ";Ticket\r\n"},
		{"blank line", "\r\n\r\n"},
		{"comment line", "\r\n# "},
		{"scientific notation", "E+11;"},
		{"decimal account", "\r\n5001.0;"},
		{"empty user ID", ";;"},
		{"negative user ID", ";-"},
		{"quoted delimiter", `"ACC-2291; ACC-2304"`},
		{"doubled quotes", `""`},
		{"non-ASCII name", "Łukasz"},
		{"diaeresis", "Zoë"},
	}
	for _, c := range checks {
		if !bytes.Contains(data, []byte(c.text)) {
			t.Errorf("%s: the sample has no %q", c.name, c.text)
		}
	}
	if bytes.Count(data, []byte("\n")) != bytes.Count(data, []byte("\r\n")) {
		t.Error("the sample mixes LF and CRLF line ends")
	}
}
