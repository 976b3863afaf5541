package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxBodyBytes caps how much of a response body the client reads: 1 MiB.
// A longer body ends the pair as invalid_response.
const MaxBodyBytes = 1 << 20

// group is the user_role object of a 200 answer. Either field may be absent,
// but not both.
type group struct {
	ID   *int64
	Name *string
}

// decodeRole parses a 200 body such as {"user_role": {"id": 1, "name": "Administrators"}}.
// It fails when the body is not one JSON object, when user_role is missing,
// null or not an object, when id is not an integer or name not a string, and
// when user_role has neither. Unknown fields are ignored. A body of the
// usual form takes decodeRoleFast's path and skips encoding/json.
func decodeRole(body []byte) (group, error) {
	if g, ok := decodeRoleFast(body); ok {
		return g, nil
	}

	var envelope struct {
		UserRole json.RawMessage `json:"user_role"`
	}
	if err := decodeOne(body, &envelope); err != nil {
		return group{}, err
	}
	raw := bytes.TrimSpace(envelope.UserRole)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return group{}, errors.New("response has no user_role")
	}
	if raw[0] != '{' {
		return group{}, errors.New("user_role is not an object")
	}

	var fields struct {
		ID   json.RawMessage `json:"id"`
		Name json.RawMessage `json:"name"`
	}
	if err := json.Unmarshal(raw, &fields); err != nil {
		return group{}, fmt.Errorf("user_role is not valid JSON: %v", err)
	}
	var g group
	if len(fields.ID) > 0 && !bytes.Equal(fields.ID, []byte("null")) {
		id, err := decodeInt(fields.ID)
		if err != nil {
			return group{}, fmt.Errorf("user_role id %s is not an integer", clip(string(fields.ID), 40))
		}
		g.ID = &id
	}
	if len(fields.Name) > 0 && !bytes.Equal(fields.Name, []byte("null")) {
		name, err := decodeString(fields.Name)
		if err != nil {
			return group{}, fmt.Errorf("user_role name %s is not a string", clip(string(fields.Name), 40))
		}
		g.Name = &name
	}
	if g.ID == nil && g.Name == nil {
		return group{}, errors.New("user_role has neither id nor name")
	}
	return g, nil
}

// decodeOne decodes exactly one JSON object from body into v. It reports an
// empty body, invalid JSON and a value that is not an object in that order
// of precedence. json.Unmarshal checks the whole body before it decodes
// anything, so json.Valid runs only to tell the errors apart.
func decodeOne(body []byte, v any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return errors.New("response body is empty")
	}
	if trimmed[0] != '{' {
		if !json.Valid(body) {
			return invalidJSON(body)
		}
		return fmt.Errorf("response body is not a JSON object: %s", clip(string(body), 80))
	}
	if err := json.Unmarshal(body, v); err != nil {
		if !json.Valid(body) {
			return invalidJSON(body)
		}
		return err
	}
	return nil
}

func invalidJSON(body []byte) error {
	return fmt.Errorf("response body is not valid JSON: %s", clip(string(body), 80))
}

// decodeInt decodes a JSON value that must be an integer that fits int64,
// as json.Unmarshal into an int64 does. Group IDs come as plain digits with
// an optional minus sign, which are parsed directly. Anything else goes to
// json.Unmarshal, which accepts or rejects it.
func decodeInt(raw json.RawMessage) (int64, error) {
	digits := raw
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 18 { // 18 digits always fit int64
		return unmarshalInt(raw)
	}
	var n int64
	for _, d := range digits {
		if d < '0' || d > '9' {
			return unmarshalInt(raw)
		}
		n = n*10 + int64(d-'0')
	}
	if raw[0] == '-' {
		n = -n
	}
	return n, nil
}

func unmarshalInt(raw json.RawMessage) (int64, error) {
	var n int64
	err := json.Unmarshal(raw, &n)
	return n, err
}

// decodeString decodes a JSON value that must be a string, as json.Unmarshal
// into a string does. A quoted string without escapes and in valid UTF-8 is
// its own text; anything else goes to json.Unmarshal, which also replaces
// invalid UTF-8.
func decodeString(raw json.RawMessage) (string, error) {
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' {
		text := raw[1 : n-1]
		if bytes.IndexByte(text, '\\') < 0 && bytes.IndexByte(text, '"') < 0 && utf8.Valid(text) {
			return string(text), nil
		}
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

// apiMessage extracts a short human message from an error body: the
// "message", "detail", "error" or "errors" string of a JSON object, or else
// the body itself, clipped to 200 characters. It returns "" for an empty body.
func apiMessage(body []byte) string {
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) == nil {
		for _, key := range []string{"message", "detail", "error", "errors"} {
			var text string
			if json.Unmarshal(fields[key], &text) == nil && strings.TrimSpace(text) != "" {
				return clip(text, 200)
			}
		}
	}
	return clip(string(body), 200)
}

// clip makes s printable on one line and at most n runes long.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	return string(runes[:n]) + "…"
}
