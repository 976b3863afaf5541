package diff

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/accessaudit/accessaudit/report"
)

// SupportedReportVersion is the only report_version this package reads.
const SupportedReportVersion = report.JSONReportVersion

// reader streams one JSON report with the token API of encoding/json and
// decodes one result at a time. It relies on no line layout and no member
// order, so a report re-indented or key-sorted by another tool still reads.
type reader struct {
	dec  *json.Decoder
	info Info
	read map[string]bool // top-level members already read

	versionSeen  bool
	completeSeen bool
	pairsSeen    bool
}

// readReport reads a report from r and passes each element of "results" to
// visit, in file order. It returns the report's Info, with Path left empty,
// or an error that wraps ErrInvalidReport or ErrUnsupportedVersion. An
// unsupported report_version that precedes "results", as in every report
// accessaudit writes, stops the read before any result is visited.
func readReport(r io.Reader, visit func(*record) error) (Info, error) {
	rd := &reader{
		dec:  json.NewDecoder(bufio.NewReaderSize(r, 64<<10)),
		read: make(map[string]bool),
	}
	if err := rd.readObject(visit); err != nil {
		return Info{}, err
	}
	return rd.info, nil
}

// readObject reads the top-level object member by member, then checks that
// nothing follows it and that every required member was present.
func (rd *reader) readObject(visit func(*record) error) error {
	tok, err := rd.dec.Token()
	if errors.Is(err, io.EOF) {
		return invalidf("the file is empty")
	}
	if err != nil {
		return rd.explain(err, "", -1)
	}
	if tok != json.Delim('{') {
		return invalidf("the file contains a JSON %s, not an object", tokenKind(tok))
	}

	for rd.dec.More() {
		if err := rd.readMember(visit); err != nil {
			return err
		}
	}
	if err := rd.expectDelim('}', ""); err != nil {
		return err
	}

	if _, err := rd.dec.Token(); !errors.Is(err, io.EOF) {
		return invalidf("unexpected data after the end of the report near byte %d", rd.dec.InputOffset())
	}
	return rd.checkRequired()
}

// readMember reads one member of the top-level object. Members this package
// does not use, such as "rejected", are skipped token by token.
func (rd *reader) readMember(visit func(*record) error) error {
	tok, err := rd.dec.Token()
	if err != nil {
		return rd.explain(err, "", -1)
	}
	key, _ := tok.(string) // the decoder only returns strings in key position

	switch key {
	case "report_version", "run", "summary", "results":
		if rd.read[key] {
			return invalidf("%q appears twice in the report object", key)
		}
		rd.read[key] = true
	}

	switch key {
	case "report_version":
		return rd.readVersion()
	case "run":
		return rd.readRun()
	case "summary":
		return rd.readSummary()
	case "results":
		return rd.readResults(visit)
	}
	return rd.skipValue(key)
}

// readVersion reads report_version and rejects every value but
// SupportedReportVersion, including 1.0 and "1".
func (rd *reader) readVersion() error {
	var raw json.RawMessage
	start := rd.dec.InputOffset()
	if err := rd.dec.Decode(&raw); err != nil {
		return rd.explain(err, "report_version", start)
	}
	if v, err := strconv.Atoi(string(raw)); err != nil || v != SupportedReportVersion {
		return fmt.Errorf("%w %s: this accessaudit reads version %d only; compare the reports with the accessaudit release that wrote them",
			ErrUnsupportedVersion, clip(string(raw)), SupportedReportVersion)
	}
	rd.versionSeen = true
	return nil
}

// runMember is the part of the "run" object that Info needs.
type runMember struct {
	StartedAt   string `json:"started_at"`
	FinishedAt  string `json:"finished_at"`
	Complete    *bool  `json:"complete"`
	Interrupted bool   `json:"interrupted"`
	Mode        string `json:"mode"`
}

func (rd *reader) readRun() error {
	var run runMember
	start := rd.dec.InputOffset()
	if err := rd.dec.Decode(&run); err != nil {
		return rd.explain(err, "run", start)
	}
	if run.Complete == nil {
		return invalidf(`"run" has no "complete" member`)
	}

	rd.completeSeen = true
	rd.info.StartedAt, rd.info.FinishedAt = run.StartedAt, run.FinishedAt
	rd.info.Complete, rd.info.Interrupted = *run.Complete, run.Interrupted
	rd.info.Mode = run.Mode
	return nil
}

// summaryMember is the part of the "summary" object that Info needs.
type summaryMember struct {
	Pairs *int `json:"pairs"`
}

func (rd *reader) readSummary() error {
	var sum summaryMember
	start := rd.dec.InputOffset()
	if err := rd.dec.Decode(&sum); err != nil {
		return rd.explain(err, "summary", start)
	}
	if sum.Pairs == nil || *sum.Pairs < 0 {
		return invalidf(`"summary" has no "pairs" count`)
	}

	rd.pairsSeen = true
	rd.info.Pairs = *sum.Pairs
	return nil
}

// readResults decodes the "results" array one element at a time, checks
// each element and passes it to visit.
func (rd *reader) readResults(visit func(*record) error) error {
	if err := rd.expectDelim('[', "results"); err != nil {
		return err
	}

	for rd.dec.More() {
		index := rd.info.Results + 1
		offset := rd.dec.InputOffset()
		where := fmt.Sprintf("result %d", index)

		var rec record
		if err := rd.dec.Decode(&rec); err != nil {
			return rd.explain(err, where, offset)
		}
		if err := rec.check(); err != nil {
			return invalidf("%s (near byte %d): %v", where, offset, err)
		}
		if err := visit(&rec); err != nil {
			return invalidf("%s (near byte %d): %v", where, offset, err)
		}
		rd.info.Results = index
	}
	return rd.expectDelim(']', "results")
}

// expectDelim reads the next token and fails unless it is delim. where
// names the member for the error message.
func (rd *reader) expectDelim(delim json.Delim, where string) error {
	tok, err := rd.dec.Token()
	if err != nil {
		return rd.explain(err, where, -1)
	}
	if tok != delim {
		if where == "" {
			where = "the report"
		}
		return invalidf("%s: found a JSON %s near byte %d where %q was expected", where, tokenKind(tok), rd.dec.InputOffset(), string(delim))
	}
	return nil
}

// skipValue reads and discards the next value, nested or not, without
// holding it in memory as a whole.
func (rd *reader) skipValue(key string) error {
	depth := 0
	for {
		tok, err := rd.dec.Token()
		if err != nil {
			return rd.explain(err, strconv.Quote(key), -1)
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// checkRequired fails when a member this package needs was missing.
func (rd *reader) checkRequired() error {
	switch {
	case !rd.versionSeen:
		return invalidf(`the object has no "report_version" member`)
	case !rd.read["results"]:
		return invalidf(`the object has no "results" member`)
	case !rd.completeSeen:
		return invalidf(`the object has no "run" member`)
	case !rd.pairsSeen:
		return invalidf(`the object has no "summary" member`)
	}
	return nil
}

// explain turns a decoder error into one that wraps ErrInvalidReport and
// names where it happened. Errors from the underlying reader pass through
// wrapped as they are. For an error of Decode, start is the decoder offset
// before the value, because the offsets inside the errors of Decode do not
// count from the start of the file; for an error of Token, start is -1 and
// the error's own offset is used.
func (rd *reader) explain(err error, where string, start int64) error {
	prefix := ""
	switch {
	case where != "" && start >= 0:
		prefix = fmt.Sprintf("%s (near byte %d): ", where, start)
	case where != "":
		prefix = where + ": "
	}

	var syntax *json.SyntaxError
	var typed *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return invalidf("%sthe file ends early, near byte %d; it is truncated or still being written", prefix, rd.dec.InputOffset())
	case errors.As(err, &syntax) && start >= 0:
		return invalidf("%sinvalid JSON: %v", prefix, syntax)
	case errors.As(err, &syntax):
		return invalidf("%sinvalid JSON near byte %d: %v", prefix, syntax.Offset, syntax)
	case errors.As(err, &typed) && typed.Field != "":
		return invalidf("%s%q is a JSON %s, expected %s", prefix, typed.Field, typed.Value, typed.Type)
	case errors.As(err, &typed):
		return invalidf("%sfound a JSON %s, expected an object", prefix, typed.Value)
	}
	return fmt.Errorf("%sread failed: %w", prefix, err)
}

// tokenKind names the JSON type of a token for error messages.
func tokenKind(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '[' {
			return "array"
		}
		return "object"
	case string:
		return "string"
	case float64, json.Number:
		return "number"
	case bool:
		return "boolean"
	}
	return "null"
}

// clip shortens s to at most 40 characters for an error message.
func clip(s string) string {
	const maxRunes = 40
	runes := []rune(s)
	if len(runes) <= maxRunes {
		return s
	}
	return string(runes[:maxRunes]) + "..."
}
