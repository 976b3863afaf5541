package input

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// maxRejectedText is the longest row text, in bytes, that a Rejection keeps. Longer text
// is cut at a character boundary and ends with "…".
const maxRejectedText = 4 << 10

// record is one CSV row: one physical line, or several when a quoted field contains line
// ends. Its slices are reused by the next parse.
type record struct {
	line, lastLine int // first and last physical line, 1-based

	fields  [][]byte // field values, unquoted and trimmed
	buf     []byte   // storage behind fields
	ends    []int    // end of each field in buf
	text    []byte   // the row as written, lines joined by "\n", at most maxRejectedText bytes
	textCut bool     // text lost bytes to maxRejectedText
	long    bool     // the row is longer than maxRowBytes

	// problem is the reason for rejecting a row that is not valid CSV, or "" when the
	// row parsed.
	problem string
}

// field returns field i, or nil when the row has fewer fields.
func (r *record) field(i int) []byte {
	if i < len(r.fields) {
		return r.fields[i]
	}
	return nil
}

// width returns the number of fields up to the last non-empty one, so that trailing
// empty fields do not count.
func (r *record) width() int {
	n := len(r.fields)
	for n > 0 && len(r.fields[n-1]) == 0 {
		n--
	}
	return n
}

// rejectedText returns the row text for a Rejection.
func (r *record) rejectedText() string {
	if r.textCut {
		return string(r.text) + "…"
	}
	return string(r.text)
}

func (r *record) reset(line int) {
	r.line, r.lastLine = line, line
	r.fields = r.fields[:0]
	r.buf = r.buf[:0]
	r.ends = r.ends[:0]
	r.text = r.text[:0]
	r.textCut = false
	r.long = false
	r.problem = ""
}

// appendText adds one physical line to the row text, separated from the previous one by
// "\n".
func (r *record) appendText(line []byte) {
	if r.line != r.lastLine {
		r.appendTextBytes([]byte{'\n'})
	}
	r.appendTextBytes(line)
}

func (r *record) appendTextBytes(b []byte) {
	room := maxRejectedText - len(r.text)
	if len(b) <= room {
		r.text = append(r.text, b...)
		return
	}
	if !r.textCut {
		cut := room
		for cut > 0 && !utf8.RuneStart(b[cut]) {
			cut--
		}
		r.text = append(r.text, b[:cut]...)
		r.textCut = true
	}
}

// appendValue adds bytes to the field being parsed, up to maxRowBytes for the row.
func (r *record) appendValue(b []byte) {
	if len(r.buf)+len(b) > maxRowBytes {
		r.long = true
		return
	}
	r.buf = append(r.buf, b...)
}

func (r *record) endField() {
	r.ends = append(r.ends, len(r.buf))
}

// finish trims every field and builds fields from buf.
func (r *record) finish() {
	start := 0
	for _, end := range r.ends {
		r.fields = append(r.fields, trimSpace(r.buf[start:end]))
		start = end
	}
}

// blank reports whether every field is empty, as in an empty line or ";;;".
func (r *record) blank() bool {
	return r.problem == "" && r.width() == 0
}

// parser reads CSV records from physical lines. Its rules, and those of the package
// comment, differ from encoding/csv: a lone CR ends a line, surrounding white space is
// trimmed from every field, and a syntax error rejects the row instead of ending the read.
type parser struct {
	lines *lineReader
	delim byte
}

// next parses the next row that is neither a comment line nor blank into r. It returns
// false at the end of the input or after a read error (see lines.err).
func (p *parser) next(r *record) bool {
	for {
		line, long, ok := p.lines.next()
		if !ok {
			return false
		}
		if isComment(line) || isBlankLine(line, p.delim) {
			continue
		}

		r.reset(p.lines.number)
		r.appendText(line)
		if long {
			r.long = true
		} else {
			p.parse(r, line)
		}
		r.finish()
		if r.problem == "" && r.long {
			r.problem = tooLongProblem(r)
		}
		if !r.blank() {
			return true
		}
	}
}

// isComment reports whether line starts with '#' after optional spaces and tabs.
func isComment(line []byte) bool {
	for _, c := range line {
		switch c {
		case ' ', '\t':
			continue
		case '#':
			return true
		}
		return false
	}
	return false
}

// isBlankLine reports whether line has nothing but white space and delimiters, such as
// ";;;". Every candidate delimiter counts, so that such a line is blank whatever the
// delimiter of the file.
func isBlankLine(line []byte, delim byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != ',' && c != ';' && c != delim {
			return false
		}
	}
	return true
}

// parse splits the row that starts with line into fields, reading more lines while a
// quoted field is open.
func (p *parser) parse(r *record, line []byte) {
	if bytes.IndexByte(line, '"') < 0 {
		p.split(r, line)
		return
	}

	pos := 0
	for {
		start := skipBlanks(line, pos, p.delim)
		if start < len(line) && line[start] == '"' {
			var done bool
			line, pos, done = p.parseQuoted(r, line, start)
			if done {
				return
			}
			continue
		}

		value, rest, more := cutField(line[pos:], p.delim)
		if i := bytes.IndexByte(value, '"'); i >= 0 && !isFormula(trimSpace(value)) {
			r.problem = bareQuoteProblem(len(r.ends)+1, r.lastLine, column(line, pos+i), value)
			return
		}
		r.appendValue(value)
		r.endField()
		if !more {
			return
		}
		pos = len(line) - len(rest)
	}
}

// split splits a line without quotes into fields, the common case.
func (p *parser) split(r *record, line []byte) {
	for {
		value, rest, more := cutField(line, p.delim)
		r.appendValue(value)
		r.endField()
		if !more {
			return
		}
		line = rest
	}
}

// parseQuoted parses the quoted field whose opening quote is line[open]. It returns the
// line and position where parsing goes on, and done when the row has ended, either at the
// line end after the field or with r.problem set.
func (p *parser) parseQuoted(r *record, line []byte, open int) (_ []byte, pos int, done bool) {
	field := len(r.ends) + 1
	openLine, openColumn := r.lastLine, column(line, open)
	i := open + 1

	for {
		q := bytes.IndexByte(line[i:], '"')
		if q < 0 {
			// The field goes on past the line end: keep the line end as "\n".
			r.appendValue(line[i:])
			r.appendValue([]byte{'\n'})

			next, long, ok := p.lines.next()
			if !ok {
				r.problem = unclosedQuoteProblem(field, openLine, openColumn, r.lastLine)
				return nil, 0, true
			}
			r.lastLine = p.lines.number
			r.appendText(next)
			if long {
				r.long = true
			}
			line, i = next, 0
			continue
		}

		r.appendValue(line[i : i+q])
		i += q + 1
		if i < len(line) && line[i] == '"' {
			r.appendValue([]byte{'"'})
			i++
			continue
		}

		// The closing quote: only blanks may follow before the delimiter or line end.
		after := skipBlanks(line, i, p.delim)
		switch {
		case after == len(line):
			r.endField()
			return nil, 0, true
		case line[after] == p.delim:
			r.endField()
			return line, after + 1, false
		}
		r.problem = textAfterQuoteProblem(field, openLine, r.lastLine, column(line, after), line[after:])
		return nil, 0, true
	}
}

// cutField returns the text up to the first delimiter and the text after it. more is
// false when line contains no delimiter.
func cutField(line []byte, delim byte) (value, rest []byte, more bool) {
	i := bytes.IndexByte(line, delim)
	if i < 0 {
		return line, nil, false
	}
	return line[:i], line[i+1:], true
}

// skipBlanks returns the position of the first byte at or after pos that is neither a
// space nor a tab, a tab being skipped only when it is not the delimiter.
func skipBlanks(line []byte, pos int, delim byte) int {
	for pos < len(line) && (line[pos] == ' ' || line[pos] == '\t' && delim != '\t') {
		pos++
	}
	return pos
}

// column returns the 1-based character column of byte offset i in line.
func column(line []byte, i int) int {
	return utf8.RuneCount(line[:i]) + 1
}

// trimSpace removes surrounding white space: Unicode spaces, including the no-break
// spaces some spreadsheets write, and the zero-width characters U+200B and U+FEFF.
func trimSpace(b []byte) []byte {
	// Fast path: ASCII text with no space at either end.
	if len(b) == 0 || b[0] < utf8.RuneSelf && b[len(b)-1] < utf8.RuneSelf &&
		!isASCIISpace(b[0]) && !isASCIISpace(b[len(b)-1]) {
		return b
	}
	return bytes.TrimFunc(b, isTrimmed)
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func isTrimmed(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}

// isFormula reports whether an unquoted field has the form ="text", which some exporters
// write to keep a spreadsheet from changing a number. Its quotes are not CSV syntax.
func isFormula(value []byte) bool {
	return len(value) >= 3 && value[0] == '=' && value[1] == '"' && value[len(value)-1] == '"' &&
		bytes.IndexByte(value[2:len(value)-1], '"') < 0
}
