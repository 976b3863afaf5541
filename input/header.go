package input

import (
	"errors"
	"fmt"
	"strings"

	"github.com/accessaudit/accessaudit/audit"
)

// accountNames and userNames are the accepted header names of the two ID columns.
// Matching ignores case, spaces, '_' and '-'.
var (
	accountNames = []string{"client_id", "clientid", "client", "account_id", "account"}
	userNames    = []string{"user_id", "userid", "user"}
)

// ErrMissingColumn is wrapped by the *HeaderError that Scan returns for a header without
// an account or user column.
var ErrMissingColumn = errors.New("header lacks the account or user column")

// HeaderError reports a header row that lacks the account column, the user column or
// both. Its message lists the accepted names.
type HeaderError struct {
	Name           string // input name as the user gave it, "-" for standard input
	Line           int    // 1-based line of the header
	Header         string // the header row as written
	MissingAccount bool
	MissingUser    bool
}

func (e *HeaderError) Error() string {
	var missing []string
	if e.MissingAccount {
		missing = append(missing, "no account column (accepted names: "+strings.Join(accountNames, ", ")+")")
	}
	if e.MissingUser {
		missing = append(missing, "no user column (accepted names: "+strings.Join(userNames, ", ")+")")
	}
	return fmt.Sprintf("%s: line %d: header %q has %s; rename the header fields. If line %d is a data row, "+
		"fix its IDs, because a first row without any valid ID is read as a header",
		displayName(e.Name), e.Line, shorten(e.Header, 80), strings.Join(missing, " and "), e.Line)
}

func (e *HeaderError) Unwrap() error { return ErrMissingColumn }

// layout is where the IDs and the extra columns are in each row.
type layout struct {
	headerLine  int      // 1-based line of the header; 0 when the file has none
	headerNames []string // header fields as written, trimmed, for messages
	account     int      // 0-based field index of the account ID
	user        int      // 0-based field index of the user ID
	width       int      // number of columns; 0 until known in a file without header
	widthLine   int      // line of the first data row, which sets width when there is no header
	extra       []int    // field indexes of the extra columns, in order
	columns     []string // names of the extra columns, unique
}

// isHeader reports whether r, the first row, is a header: it parsed and none of its
// fields is a valid ID.
func isHeader(r *record) bool {
	if r.problem != "" {
		return false
	}
	for _, f := range r.fields {
		if validID(f) {
			return false
		}
	}
	return true
}

// headerLayout returns the layout that header row r describes. The ID columns are the
// first fields that carry an accepted name. Later fields with such a name are extra
// columns.
func headerLayout(name string, r *record) (*layout, error) {
	l := &layout{headerLine: r.line, account: -1, user: -1, width: r.width()}
	for i, f := range r.fields[:l.width] {
		l.headerNames = append(l.headerNames, string(f))
		switch {
		case l.account < 0 && isAccountName(f):
			l.account = i
		case l.user < 0 && isUserName(f):
			l.user = i
		}
	}
	if l.account < 0 || l.user < 0 {
		return nil, &HeaderError{Name: name, Line: r.line, Header: string(r.text),
			MissingAccount: l.account < 0, MissingUser: l.user < 0}
	}

	var names []string
	for i, f := range r.fields[:l.width] {
		if i == l.account || i == l.user {
			continue
		}
		l.extra = append(l.extra, i)
		names = append(names, string(f))
	}
	l.columns = uniqueNames(names, l.extra)
	return l, nil
}

// headerlessLayout returns the layout of a file without header: account ID first, user
// ID second. The width is set later by setWidth.
func headerlessLayout() *layout {
	return &layout{account: 0, user: 1}
}

// setWidth fixes the column count of a file without header from its first data row that
// parsed: the position of its last non-empty field, and at least 2.
func (l *layout) setWidth(r *record) {
	l.width = max(2, r.width())
	l.widthLine = r.line

	var names []string
	for i := 2; i < l.width; i++ {
		l.extra = append(l.extra, i)
		names = append(names, "")
	}
	l.columns = uniqueNames(names, l.extra)
}

// uniqueNames names the extra columns: an empty name becomes columnN, N being the 1-based
// field position, and a repeated name gets " (2)", " (3)", ... appended.
func uniqueNames(names []string, positions []int) []string {
	used := make(map[string]bool, len(names))
	unique := make([]string, len(names))
	for i, name := range names {
		if name == "" {
			name = fmt.Sprintf("column%d", positions[i]+1)
		}
		candidate := name
		for n := 2; used[candidate]; n++ {
			candidate = fmt.Sprintf("%s (%d)", name, n)
		}
		used[candidate] = true
		unique[i] = candidate
	}
	return unique
}

// classify returns the pair in row r, or the reason the row is rejected.
func (l *layout) classify(r *record) (audit.Pair, string) {
	if r.problem != "" {
		return audit.Pair{}, r.problem
	}
	if w := r.width(); l.width > 0 && w > l.width {
		return audit.Pair{}, tooWideProblem(l, w, r.field(w-1))
	}

	accountValue, userValue := r.field(l.account), r.field(l.user)
	account, accountKind := parseID(accountValue)
	user, userKind := parseID(userValue)
	if accountKind == idValid && userKind == idValid {
		return audit.Pair{ClientID: account, UserID: user}, ""
	}

	if isAccountName(accountValue) && isUserName(userValue) {
		return audit.Pair{}, fmt.Sprintf("row looks like a header (%q, %q), but only the first row is read as "+
			"a header, and only when none of its fields is a valid ID; remove this row",
			accountValue, userValue)
	}
	var reasons []string
	if accountKind != idValid {
		reasons = append(reasons, idProblem("account ID", l.columnLabel(l.account), accountValue, accountKind))
	}
	if userKind != idValid {
		reasons = append(reasons, idProblem("user ID", l.columnLabel(l.user), userValue, userKind))
	}
	return audit.Pair{}, strings.Join(reasons, "; ")
}

// columnLabel names field i for a message: by its header name, or by position.
func (l *layout) columnLabel(i int) string {
	if l.headerLine > 0 {
		return fmt.Sprintf("column %q", l.headerNames[i])
	}
	return fmt.Sprintf("column %d", i+1)
}

// extraColumns returns the extra column values of row r, "" for the ones it lacks.
func (l *layout) extraColumns(r *record) []string {
	values := make([]string, len(l.extra))
	for i, field := range l.extra {
		values[i] = string(r.field(field))
	}
	return values
}

func isAccountName(b []byte) bool { return matchesName(b, accountNames) }

func isUserName(b []byte) bool { return matchesName(b, userNames) }

// matchesName reports whether header field b is one of names, ignoring case, spaces, '_'
// and '-'.
func matchesName(b []byte, names []string) bool {
	if len(b) > 32 {
		return false
	}
	key := normalizeName(string(b))
	for _, name := range names {
		if key == normalizeName(name) {
			return true
		}
	}
	return false
}

func normalizeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || isTrimmed(r) {
			return -1
		}
		return r
	}, strings.ToLower(s))
}
