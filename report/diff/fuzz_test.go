package diff

import (
	"bytes"
	"cmp"
	"errors"
	"os"
	"slices"
	"testing"

	"github.com/accessaudit/accessaudit/audit"
)

// FuzzReadReport feeds arbitrary bytes to the report reader and to Compare
// on both sides, and neither may panic. Every error must wrap one of the two
// sentinels. Every accepted result must have positive IDs and a known
// outcome, and an accepted comparison must have sorted lists.
func FuzzReadReport(f *testing.F) {
	real, err := os.ReadFile(writeFixture(f, f.TempDir(), "seed.json", fixture{results: []*audit.Result{
		admin(1, 1), users(1, 2), notFound(2, 1), forbidden(3, 1), failed(4, 1, audit.KindTimeout), okNoName(5, 1, 77),
	}}))
	if err != nil {
		f.Fatal(err)
	}
	base := []byte(minimalReport(minimalResult))

	for _, seed := range [][]byte{
		real, real[:len(real)/2], base, []byte(minimalReport("")), []byte("{}"), []byte("[]"), []byte(""),
		[]byte(`{"report_version":2,"results":[]}`),
		[]byte(`{"results":[{"client_id":1,"user_id":1,"outcome":"ok","group_id":1}],"report_version":1,"run":{"complete":false},"summary":{"pairs":3}}`),
	} {
		f.Add(seed)
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := readReport(bytes.NewReader(data), func(r *record) error {
			if r.ClientID < 1 || r.UserID < 1 || outcomeCode(r.Outcome) == 0 {
				t.Errorf("accepted result %+v", *r)
			}
			return nil
		})
		checkSentinel(t, err)

		for _, pair := range [][2][]byte{{base, data}, {data, base}} {
			d, err := Compare(bytes.NewReader(pair[0]), bytes.NewReader(pair[1]), "old.json", "new.json")
			checkSentinel(t, err)
			if err == nil {
				checkSorted(t, d)
			}
		}
	})
}

func checkSentinel(t *testing.T, err error) {
	t.Helper()
	if err != nil && !errors.Is(err, ErrInvalidReport) && !errors.Is(err, ErrUnsupportedVersion) {
		t.Errorf("error %v wraps neither sentinel", err)
	}
}

func checkSorted(t *testing.T, d *Diff) {
	t.Helper()
	for cat := range categoryCount {
		changes := *d.list(cat)
		sorted := slices.IsSortedFunc(changes, func(a, b Change) int {
			return cmp.Or(cmp.Compare(a.ClientID, b.ClientID), cmp.Compare(a.UserID, b.UserID))
		})
		if !sorted {
			t.Errorf("%s is not sorted: %v", categoryTitles[cat], pairsOf(changes))
		}
	}
}
