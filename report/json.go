package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// JSONReportVersion is the value of "report_version"; it changes only when
// the report layout changes in a way that breaks readers.
const JSONReportVersion = 1

// errWriterClosed is returned by a Writer used after Commit or Abort.
var errWriterClosed = errors.New("report writer is already committed or aborted")

// jsonWriter streams the results to a spool file beside the report, because
// the run and summary that precede them in the file are only known at Commit.
type jsonWriter struct {
	path    string
	tool    Tool
	columns []string

	spool    *os.File
	spoolBuf *bufio.Writer
	line     bytes.Buffer  // one encoded result, reused
	enc      *json.Encoder // writes to line
	results  int
	closed   bool
}

// NewJSON starts the JSON report at path. columns are the header names of
// the extra input columns, in input order. It creates the spool file beside
// path at once, so a folder that cannot be written fails here, before any
// API call.
func NewJSON(path string, tool Tool, columns []string) (Writer, error) {
	spool, err := createTemp(path, ".spool")
	if err != nil {
		return nil, err
	}

	w := &jsonWriter{
		path:     path,
		tool:     tool,
		columns:  columns,
		spool:    spool,
		spoolBuf: bufio.NewWriterSize(spool, 64<<10),
	}
	w.enc = newJSONEncoder(&w.line)
	return w, nil
}

func (w *jsonWriter) Path() string { return w.path }

// Write appends the entry to the spool as one line of compact JSON.
func (w *jsonWriter) Write(e Entry) error {
	if w.closed {
		return errWriterClosed
	}
	if err := checkEntry(e, len(w.columns)); err != nil {
		return fmt.Errorf("write JSON report %s: %w", w.path, err)
	}

	w.line.Reset()
	if w.results > 0 {
		w.line.WriteByte(',')
	}
	w.line.WriteString("\n    ")
	if err := w.enc.Encode(newResultJSON(e, w.columns)); err != nil {
		return fmt.Errorf("write JSON report %s: line %d: %w", w.path, e.Line, err)
	}
	w.line.Truncate(w.line.Len() - 1) // Encode ends the value with a newline

	if _, err := w.spoolBuf.Write(w.line.Bytes()); err != nil {
		return fmt.Errorf("write JSON report spool %s: %w", w.spool.Name(), err)
	}
	w.results++
	return nil
}

// Commit writes the report in the order report_version, tool, run, summary,
// results, rejected to a temporary file, copies the spooled results into it
// and renames it to the report path.
func (w *jsonWriter) Commit(run Run, sum *Summary, rejected []Rejection) error {
	if w.closed {
		return errWriterClosed
	}
	w.closed = true
	defer func() { _ = discardTemp(w.spool) }()

	if sum == nil {
		return fmt.Errorf("write JSON report %s: summary is missing", w.path)
	}
	if err := w.spoolBuf.Flush(); err != nil {
		return fmt.Errorf("write JSON report spool %s: %w", w.spool.Name(), err)
	}

	tmp, err := createTemp(w.path, ".tmp")
	if err != nil {
		return err
	}
	if err := w.writeReport(tmp, run, sum, rejected); err != nil {
		_ = discardTemp(tmp)
		return fmt.Errorf("write JSON report %s: %w", w.path, err)
	}
	return commitTemp(tmp, w.path)
}

// writeReport writes the whole report to out.
func (w *jsonWriter) writeReport(out io.Writer, run Run, sum *Summary, rejected []Rejection) error {
	bw := bufio.NewWriterSize(out, 64<<10)
	head, err := w.head(run, sum)
	if err != nil {
		return err
	}
	_, _ = bw.Write(head)

	if _, err := w.spool.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if _, err := io.Copy(bw, w.spool); err != nil {
		return err
	}
	closeArray(bw, w.results)

	tail, err := rejectedJSON(rejected)
	if err != nil {
		return err
	}
	_, _ = bw.Write(tail)
	return bw.Flush()
}

// head returns the report up to and including the opening bracket of
// "results".
func (w *jsonWriter) head(run Run, sum *Summary) ([]byte, error) {
	summary := *sum
	if summary.Groups == nil {
		summary.Groups = map[string]int{} // an object, never null
	}

	var buf bytes.Buffer
	enc := newJSONEncoder(&buf)
	enc.SetIndent("  ", "  ")

	fmt.Fprintf(&buf, "{\n  \"report_version\": %d,\n  \"tool\": ", JSONReportVersion)
	if err := encodeTrimmed(enc, &buf, w.tool); err != nil {
		return nil, err
	}
	buf.WriteString(",\n  \"run\": ")
	if err := encodeTrimmed(enc, &buf, run.toJSON()); err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	buf.WriteString(",\n  \"summary\": ")
	if err := encodeTrimmed(enc, &buf, summary); err != nil {
		return nil, err
	}
	buf.WriteString(",\n  \"results\": [")
	return buf.Bytes(), nil
}

// rejectedJSON returns the "rejected" member and the end of the report, one
// rejected row per line.
func rejectedJSON(rejected []Rejection) ([]byte, error) {
	var buf bytes.Buffer
	enc := newJSONEncoder(&buf)

	buf.WriteString(",\n  \"rejected\": [")
	for i, r := range rejected {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString("\n    ")
		if err := encodeTrimmed(enc, &buf, r); err != nil {
			return nil, err
		}
	}
	closeArray(&buf, len(rejected))
	buf.WriteString("\n}\n")
	return buf.Bytes(), nil
}

// closeArray ends an array whose elements each started on a new line. An
// empty array stays on one line as [].
func closeArray(w io.Writer, elements int) {
	if elements > 0 {
		_, _ = io.WriteString(w, "\n  ")
	}
	_, _ = io.WriteString(w, "]")
}

// Abort removes the spool file. It does nothing after Commit.
func (w *jsonWriter) Abort() error {
	if w.closed {
		return nil
	}
	w.closed = true
	return discardTemp(w.spool)
}

// newJSONEncoder returns an encoder that keeps <, > and & as they are, so the
// report text matches the input byte for byte.
func newJSONEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// encodeTrimmed encodes v into buf, which enc writes to, without the newline
// that Encode appends.
func encodeTrimmed(enc *json.Encoder, buf *bytes.Buffer, v any) error {
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1)
	return nil
}
