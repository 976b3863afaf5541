package simulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/accessaudit/accessaudit/audit"
)

// The JSON shapes of a directory file. They stay apart from the exported
// types so that durations can be strings in the file and time.Duration in
// Go, and so that errors can name the file's fields.
type (
	directoryFile struct {
		Groups   []groupJSON   `json:"groups"`
		Accounts []accountJSON `json:"accounts"`
		Faults   []faultJSON   `json:"faults"`
	}
	groupJSON struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	accountJSON struct {
		ID        int64      `json:"id"`
		Name      string     `json:"name"`
		Forbidden bool       `json:"forbidden"`
		Users     []userJSON `json:"users"`
	}
	userJSON struct {
		ID    int64  `json:"id"`
		Group int64  `json:"group"`
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	faultJSON struct {
		ClientID    int64   `json:"client_id"`
		UserID      int64   `json:"user_id"`
		Times       int     `json:"times"`
		Status      int     `json:"status"`
		Body        *string `json:"body"`
		BodyBytes   int64   `json:"body_bytes"`
		ContentType string  `json:"content_type"`
		RetryAfter  string  `json:"retry_after"`
		Location    string  `json:"location"`
		Delay       string  `json:"delay"`
		BodyDelay   string  `json:"body_delay"`
		Disconnect  string  `json:"disconnect"`
	}
)

// LoadDirectoryFile reads the directory file at path with LoadDirectory.
// Errors about the content start with the path and wrap ErrInvalidDirectory.
func LoadDirectoryFile(path string) (*Directory, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read directory file: %w", err)
	}

	dir, err := LoadDirectory(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return dir, nil
}

// LoadDirectory reads one directory JSON object, described in the package
// comment, from r and validates it. It rejects unknown fields, values of the
// wrong type and anything after the object. Every error about the content
// wraps ErrInvalidDirectory and names a line and column or an entry such as
// accounts[2].users[0].
func LoadDirectory(r io.Reader) (*Directory, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read directory: %w", err)
	}

	file, err := decodeDirectory(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidDirectory, err)
	}

	dir, err := file.directory()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidDirectory, err)
	}
	if err := dir.Validate(); err != nil {
		return nil, err
	}
	return dir, nil
}

func decodeDirectory(data []byte) (*directoryFile, error) {
	start := bytes.TrimLeft(data, " \t\r\n")
	if len(start) == 0 {
		return nil, errors.New(`the input is empty; a directory is a JSON object such as {"accounts": []}`)
	}
	if start[0] != '{' {
		line, column := position(data, int64(len(data)-len(start))+1)
		return nil, fmt.Errorf(`line %d, column %d: a directory is a JSON object such as {"accounts": []}`, line, column)
	}

	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var file directoryFile
	if err := dec.Decode(&file); err != nil {
		return nil, describeJSONError(data, err)
	}

	end := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		rest := bytes.TrimLeft(data[end:], " \t\r\n")
		line, column := position(data, int64(len(data)-len(rest))+1)
		return nil, fmt.Errorf("line %d, column %d: unexpected data after the directory object; "+
			"a file holds one object", line, column)
	}
	return &file, nil
}

// describeJSONError rewrites an encoding/json error with a line and column
// and the file's own words instead of Go type names.
func describeJSONError(data []byte, err error) error {
	var syntax *json.SyntaxError
	var wrongType *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		line, column := position(data, syntax.Offset)
		return fmt.Errorf("line %d, column %d: %s", line, column, syntax.Error())

	case errors.As(err, &wrongType):
		line, column := position(data, wrongType.Offset)
		return fmt.Errorf("line %d, column %d: %s must be %s, not %s",
			line, column, wrongType.Field, jsonKind(wrongType.Type), wrongType.Value)

	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the JSON ends early; look for a missing } or ]")
	}

	// DisallowUnknownFields errors carry no offset, so find the key.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if offset := findKey(data, strings.Trim(name, `"`)); offset >= 0 {
			line, column := position(data, offset+1)
			return fmt.Errorf("line %d, column %d: unknown field %s; check its spelling", line, column, name)
		}
		return fmt.Errorf("unknown field %s; check its spelling", name)
	}
	return err
}

// jsonKind names the JSON value that fits the Go type t.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer in the int64 range"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "an array"
	case reflect.Struct:
		return "an object"
	}
	return t.String()
}

// findKey returns the offset of the first object key name in data, or -1.
func findKey(data []byte, name string) int64 {
	quoted, _ := json.Marshal(name)
	from := 0
	for {
		i := bytes.Index(data[from:], quoted)
		if i < 0 {
			return -1
		}
		at := from + i
		after := bytes.TrimLeft(data[at+len(quoted):], " \t\r\n")
		if len(after) > 0 && after[0] == ':' {
			return int64(at)
		}
		from = at + len(quoted)
	}
}

// position returns the 1-based line and column, in characters, of the byte
// before offset, which is where encoding/json reports a problem.
func position(data []byte, offset int64) (line, column int) {
	offset = min(max(offset, 1), int64(len(data)))
	before := data[:max(offset-1, 0)]

	line = bytes.Count(before, []byte("\n")) + 1
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	column = utf8.RuneCount(before[lineStart:]) + 1
	return line, column
}

// directory converts the decoded file into a Directory. Only durations can
// fail here; Validate checks everything else.
func (f *directoryFile) directory() (*Directory, error) {
	dir := &Directory{}
	for _, g := range f.Groups {
		dir.Groups = append(dir.Groups, Group(g))
	}

	for _, a := range f.Accounts {
		account := Account{ID: a.ID, Name: a.Name, Forbidden: a.Forbidden}
		for _, u := range a.Users {
			account.Users = append(account.Users, User(u))
		}
		dir.Accounts = append(dir.Accounts, account)
	}

	for i, fj := range f.Faults {
		fault, err := fj.fault()
		if err != nil {
			return nil, fmt.Errorf("faults[%d].%w", i, err)
		}
		dir.Faults = append(dir.Faults, fault)
	}
	return dir, nil
}

func (fj *faultJSON) fault() (Fault, error) {
	delay, err := parseDuration("delay", fj.Delay)
	if err != nil {
		return Fault{}, err
	}
	bodyDelay, err := parseDuration("body_delay", fj.BodyDelay)
	if err != nil {
		return Fault{}, err
	}

	return Fault{
		Pair:        audit.Pair{ClientID: fj.ClientID, UserID: fj.UserID},
		Times:       fj.Times,
		Status:      fj.Status,
		Body:        fj.Body,
		BodyBytes:   fj.BodyBytes,
		ContentType: fj.ContentType,
		RetryAfter:  fj.RetryAfter,
		Location:    fj.Location,
		Delay:       delay,
		BodyDelay:   bodyDelay,
		Disconnect:  Disconnect(fj.Disconnect),
	}, nil
}

// parseDuration parses a Go duration; an empty text means zero.
func parseDuration(field, text string) (time.Duration, error) {
	if text == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(text)
	if err != nil {
		return 0, fmt.Errorf(`%s: %q is not a duration; write it like "200ms", "1.5s" or "2m"`, field, text)
	}
	return d, nil
}
