package decisions

import (
	"errors"
	"fmt"
)

// errStop ends eachRow early without an error.
var errStop = errors.New("stop reading rows")

// eachRow calls fn with the 1-based number and the stored cell values of
// every row of sheet, from row 1 on, empty rows between others included.
// It stops at the first error of fn; errStop stops it without an error.
//
// NOTE: the streaming reader of excelize v2.11.1 ends the rows quietly at
// XML it cannot parse. checkArchive catches parts damaged after they were
// packed, so this only misses a worksheet whose XML was written wrongly and
// then packed intact.
func (r *reader) eachRow(sheet string, fn func(row int, cells []string) error) error {
	rows, err := r.file.Rows(sheet)
	if err != nil {
		return fmt.Errorf("%s: sheet %q: %w", displayName(r.name), sheet, err)
	}
	defer rows.Close()

	for row := 1; rows.Next(); row++ {
		cells, err := rows.Columns(rawValues)
		if err != nil {
			return fmt.Errorf("%s: sheet %q: row %d: %w", displayName(r.name), sheet, row, err)
		}
		if err := fn(row, cells); err != nil {
			if errors.Is(err, errStop) {
				return nil
			}
			return err
		}
	}

	if err := rows.Close(); err != nil {
		return fmt.Errorf("%s: sheet %q: %w", displayName(r.name), sheet, err)
	}
	return nil
}
