package diff

import (
	"encoding/json"
	"io"
)

// WriteJSON writes d as one indented JSON object with the field names of
// Diff, ending in a newline. Lists are [] rather than null when empty, and
// <, > and & are written as they are.
func (d *Diff) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}
