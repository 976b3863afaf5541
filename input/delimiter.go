package input

import (
	"bytes"
	"strings"
)

// The delimiter is detected from the first sampleRows rows within the first sampleBytes
// bytes of text.
const (
	sampleBytes = 64 << 10
	sampleRows  = 100
)

// candidateDelimiters are the delimiters that detection chooses from. On a full tie the
// first wins, because a semicolon file often contains commas in mangled numbers such as
// 5,003, while a comma file rarely contains semicolons or tabs.
var candidateDelimiters = []byte{'\t', ';', ','}

// sepDelimiters are the delimiters that an Excel separator line may name.
const sepDelimiters = ",;\t|:!$%&'()*+-./<=>?@[\\]^_`{}~"

// parseSepLine reports whether line is an Excel separator line, such as sep=; or "sep=;",
// and returns its delimiter. The name is matched ignoring case, "\t" may stand for a tab,
// and the line may end in delimiters, as when a spreadsheet pads it to the row width.
func parseSepLine(line []byte) (byte, bool) {
	s := bytes.TrimLeft(line, " ")
	quoted := len(s) > 0 && s[0] == '"'
	if quoted {
		s = s[1:]
	}
	if len(s) < 5 || !bytes.EqualFold(s[:4], []byte("sep=")) {
		return 0, false
	}

	delim, rest := s[4], s[5:]
	if delim == '\\' && len(rest) > 0 && rest[0] == 't' {
		delim, rest = '\t', rest[1:]
	}
	if strings.IndexByte(sepDelimiters, delim) < 0 {
		return 0, false
	}
	if quoted {
		if len(rest) == 0 || rest[0] != '"' {
			return 0, false
		}
		rest = rest[1:]
	}

	for _, c := range rest {
		if c != delim && c != ' ' && c != '\t' {
			return 0, false
		}
	}
	return delim, true
}

// delimiterScore measures how well a candidate delimiter splits the sample. Scores are
// compared field by field, ids first.
type delimiterScore struct {
	ids        int // rows whose two ID fields are valid IDs, plus one for a usable header
	split      int // rows with at least two fields, trailing empty ones included
	consistent int // rows with as many fields as the first of those rows
}

func (a delimiterScore) better(b delimiterScore) bool {
	switch {
	case a.ids != b.ids:
		return a.ids > b.ids
	case a.split != b.split:
		return a.split > b.split
	}
	return a.consistent > b.consistent
}

// detectDelimiter chooses the delimiter of sample, the start of the text. atEOF reports
// that sample is the whole text. Otherwise its last line, which may be partial, is
// ignored. A sample that no candidate splits gets ','.
func detectDelimiter(sample []byte, atEOF bool) byte {
	if !atEOF {
		if i := bytes.LastIndexAny(sample, "\r\n"); i >= 0 {
			sample = sample[:i+1]
		}
	}

	best, bestScore := byte(','), delimiterScore{}
	for _, delim := range candidateDelimiters {
		score := scoreDelimiter(sample, delim)
		if score.better(bestScore) {
			best, bestScore = delim, score
		}
	}
	return best
}

// scoreDelimiter parses sample with delim and scores the result.
func scoreDelimiter(sample []byte, delim byte) delimiterScore {
	p := parser{lines: newTextLineReader(sample), delim: delim}
	var r record
	var score delimiterScore
	l := headerlessLayout()
	firstWidth := -1

	for rows := 0; rows < sampleRows && p.next(&r); rows++ {
		if r.problem != "" {
			continue
		}
		if len(r.fields) >= 2 {
			score.split++
			if firstWidth < 0 {
				firstWidth = len(r.fields)
			}
			if len(r.fields) == firstWidth {
				score.consistent++
			}
		}

		if rows == 0 && isHeader(&r) {
			if header, err := headerLayout("", &r); err == nil {
				l = header
				score.ids++
			}
			continue
		}
		if validID(r.field(l.account)) && validID(r.field(l.user)) {
			score.ids++
		}
	}
	return score
}
