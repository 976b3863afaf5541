package decisions

import (
	"encoding/csv"
	"io"
	"strconv"
)

// CSVHeader is the header row that WriteCSV writes. The input reader of
// accessaudit finds the pair in client_id and user_id, and carries the other
// two columns through to the reports.
var CSVHeader = []string{"client_id", "user_id", "decision", "comment"}

// WriteCSV writes the header row and one row per decision that requests a
// change (Revoke or Change group), in the order given, as comma-separated
// values with "\n" line ends. Decisions to keep are left out. encoding/csv
// quotes a comment with commas, quotes or line breaks.
func WriteCSV(w io.Writer, decisions []Decision) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}

	for _, d := range decisions {
		if !d.Action.RequestsChange() {
			continue
		}
		row := []string{
			strconv.FormatInt(d.ClientID, 10),
			strconv.FormatInt(d.UserID, 10),
			string(d.Action),
			d.Comment,
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}

	cw.Flush()
	return cw.Error()
}
