// Package journal records every finished pair of a run in a file. A rerun
// after a crash, an interruption or errors skips the pairs that already have
// a final outcome and sends requests only for the rest.
//
// A journal is a JSON Lines file. Line 1 is the header, which ties the file
// to one input, base URL and mode:
//
//	{"journal_version":1,"input_sha256":"9f86d0…","base_url":"https://api.gcore.com","mode":"audit"}
//
// Every later line is one finished pair, with the fields of the JSON report:
//
//	{"client_id":5001,"user_id":7,"outcome":"ok","http_status":200,"group_id":1,"group_name":"Administrators","error_kind":null,"error":null,"attempts":1}
//
// A pair may appear on several lines (an error, then the ok of a rerun); the
// last line wins. Outcomes ok, forbidden and not_found are final and a rerun
// reuses them; an error line only records that the pair was tried.
//
// Each line reaches the file in one write, so a process killed at any moment
// (SIGKILL included) leaves every earlier line intact and at most the last
// line torn. Open drops such a torn last line.
//
// The journal does not receive the API key and writes only the fields above.
// Their error texts come from audit.Client, which removes the key from them.
package journal

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"sync/atomic"

	"github.com/accessaudit/accessaudit/audit"
)

// Version is the journal_version this package writes and reads.
const Version = 1

// Header identifies the run a journal belongs to. It is the first line of
// the file.
type Header struct {
	InputSHA256 string // hex SHA-256 of the input file's bytes
	BaseURL     string // API root; compared after audit.ParseBaseURL, so a trailing slash makes no difference
	Mode        string // "audit" or "offboarding"
}

var (
	// ErrMismatch means the journal was written for another input, base URL,
	// mode or journal version. Callers treat it as a usage error (exit 2).
	ErrMismatch = errors.New("journal belongs to another run")

	// ErrCorrupt means a line other than the last one cannot be read, or
	// line 1 is not a journal header.
	ErrCorrupt = errors.New("journal is damaged or not a journal")

	// ErrLocked means another process holds the journal open.
	ErrLocked = errors.New("journal is in use by another process")

	// ErrWrite means appending a result to the journal failed. The Checker
	// returns it so that the run stops instead of going on unrecorded.
	ErrWrite = errors.New("journal write failed")
)

// MismatchError reports the first header field that differs between the
// journal file and the current run. It unwraps to ErrMismatch.
type MismatchError struct {
	Path     string
	Field    string // journal_version, input_sha256, base_url or mode
	Recorded string // the value in the file
	Current  string // the value of this run
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("journal %s belongs to another run: its %s is %q, this run's is %q; delete the journal to start afresh, or pass another journal path",
		e.Path, fieldLabels[e.Field], e.Recorded, e.Current)
}

func (e *MismatchError) Unwrap() error { return ErrMismatch }

// fieldLabels names the header fields in error messages.
var fieldLabels = map[string]string{
	"journal_version": "journal version",
	"input_sha256":    "input SHA-256",
	"base_url":        "base URL",
	"mode":            "mode",
}

// LineError reports a line of the journal that cannot be read. It unwraps
// to ErrCorrupt.
type LineError struct {
	Path   string
	Line   int // 1-based
	Reason string
}

func (e *LineError) Error() string {
	return fmt.Sprintf("journal %s: line %d: %s; delete the journal to start afresh, or pass another journal path",
		e.Path, e.Line, e.Reason)
}

func (e *LineError) Unwrap() error { return ErrCorrupt }

// Journal is an open journal file. All its methods and the Checker it
// returns are safe for concurrent use. Where the platform has flock(2), it
// holds an exclusive lock on the file until Close or Remove.
type Journal struct {
	path    string
	records *index // final outcomes loaded by Open; read-only afterwards
	resumed atomic.Int64

	mu     sync.Mutex
	file   *os.File // nil after Close or Remove
	size   int64    // bytes of complete lines in the file
	broken error    // the first failed append; later appends return it
}

// Open opens the journal at path, creating it with mode 0600 and writing
// the header when it is missing or empty.
//
// An existing journal must carry the same header as h, or Open returns a
// *MismatchError. Open loads the final outcome of every pair, with later
// lines winning. A torn or unreadable last line, which a crash during a
// write leaves behind, is cut off. An unreadable line elsewhere is a
// *LineError that names it. A journal that another process holds open
// gives ErrLocked.
func Open(path string, h Header) (*Journal, error) {
	h.BaseURL = canonicalBaseURL(h.BaseURL)

	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot open journal: %w", err)
	}
	if err := lock(f); err != nil {
		f.Close()
		if errors.Is(err, ErrLocked) {
			return nil, fmt.Errorf("%w: %s; wait for the other run to finish or pass another journal path", ErrLocked, path)
		}
		return nil, fmt.Errorf("cannot lock journal %s: %w", path, err)
	}

	j := &Journal{path: path, file: f, records: newIndex()}
	if err := j.load(h); err != nil {
		f.Close()
		return nil, err
	}
	return j, nil
}

// Path returns the path the journal was opened with.
func (j *Journal) Path() string { return j.path }

// Final returns the recorded final outcome (ok, forbidden or not_found) of
// p as a Result whose Job holds only the pair. It consults what Open loaded,
// not what this run appended, because a run checks each pair once.
func (j *Journal) Final(p audit.Pair) (audit.Result, bool) {
	rec, ok := j.records.get(p)
	if !ok {
		return audit.Result{}, false
	}
	return j.records.result(audit.Job{Pair: p}, rec), true
}

// Recorded returns how many pairs have a final outcome in the journal as
// Open loaded it.
func (j *Journal) Recorded() int { return j.records.len() }

// Resumed returns how many results the Checker has taken from the journal
// so far in this run.
func (j *Journal) Resumed() int { return int(j.resumed.Load()) }

// Close syncs the file to disk and releases it. Later appends fail with
// ErrWrite. Closing twice is not an error.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.closeLocked()
}

// Remove deletes the journal file and closes it. Call it instead of Close
// after a run in which every pair reached a final outcome, so that the next
// run starts afresh. The file is deleted before the lock is released, so
// that no other run can open it in between.
func (j *Journal) Remove() error {
	j.mu.Lock()
	defer j.mu.Unlock()

	removeErr := os.Remove(j.path)
	if errors.Is(removeErr, fs.ErrNotExist) {
		removeErr = nil // already gone is what the caller wants
	}
	if j.file != nil {
		_ = j.file.Close()
		j.file = nil
	}
	if removeErr != nil {
		return fmt.Errorf("cannot remove journal: %w; delete it by hand before the next run", removeErr)
	}
	return nil
}

func (j *Journal) closeLocked() error {
	if j.file == nil {
		return nil
	}
	syncErr := j.file.Sync()
	closeErr := j.file.Close()
	j.file = nil
	if err := errors.Join(syncErr, closeErr); err != nil {
		return fmt.Errorf("closing journal %s: %w", j.path, err)
	}
	return nil
}

// canonicalBaseURL returns raw as audit.ParseBaseURL normalizes it, or raw
// unchanged when it does not parse.
func canonicalBaseURL(raw string) string {
	u, err := audit.ParseBaseURL(raw)
	if err != nil {
		return raw
	}
	return u.String()
}
