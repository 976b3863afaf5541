package diff

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/accessaudit/accessaudit/audit"
)

// TestWriteJSONRoundTrip checks that the JSON form decodes back into the
// same Diff, has every documented member, and writes empty lists as [].
func TestWriteJSONRoundTrip(t *testing.T) {
	d := compareNamed(t,
		fixture{results: []*audit.Result{users(1, 1), okGroup(1, 2, 5, "R&D <ops>")}},
		fixture{results: []*audit.Result{admin(1, 1), okGroup(1, 2, 6, "R&D <ops>")}})
	var buf bytes.Buffer
	if err := d.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()

	var back Diff
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(&back, d) {
		t.Errorf("decoded output differs:\n got %+v\nwant %+v", back, *d)
	}

	var members map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &members); err != nil {
		t.Fatal(err)
	}
	want := []string{"appeared", "changed_pairs", "coverage_gained", "coverage_lost", "diff_version", "disappeared",
		"group_changes", "new", "new_admins", "old", "outcome_changes", "removed_admins", "warnings"}
	var got []string
	for name := range members {
		got = append(got, name)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("members = %v, want %v", got, want)
	}

	for _, empty := range []string{"warnings", "removed_admins", "coverage_lost", "appeared", "disappeared"} {
		if string(members[empty]) != "[]" {
			t.Errorf("%s = %s, want []", empty, members[empty])
		}
	}
	if string(members["diff_version"]) != "1" {
		t.Errorf("diff_version = %s, want 1", members["diff_version"])
	}
	if !strings.Contains(out, `"group_name": "R&D <ops>"`) {
		t.Errorf("group name is escaped or missing:\n%s", out)
	}
	if !strings.HasSuffix(out, "}\n") {
		t.Error("output does not end with a newline")
	}
}
