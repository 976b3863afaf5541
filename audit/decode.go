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
// when user_role has neither. Unknown fields are ignored.
func decodeRole(body []byte) (group, error) {
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
		var id int64
		if err := json.Unmarshal(fields.ID, &id); err != nil {
			return group{}, fmt.Errorf("user_role id %s is not an integer", clip(string(fields.ID), 40))
		}
		g.ID = &id
	}
	if len(fields.Name) > 0 && !bytes.Equal(fields.Name, []byte("null")) {
		var name string
		if err := json.Unmarshal(fields.Name, &name); err != nil {
			return group{}, fmt.Errorf("user_role name %s is not a string", clip(string(fields.Name), 40))
		}
		g.Name = &name
	}
	if g.ID == nil && g.Name == nil {
		return group{}, errors.New("user_role has neither id nor name")
	}
	return g, nil
}

// decodeOne decodes exactly one JSON value from body into v.
func decodeOne(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return errors.New("response body is empty")
	}
	if !json.Valid(body) {
		return fmt.Errorf("response body is not valid JSON: %s", clip(string(body), 80))
	}
	if trimmed := bytes.TrimSpace(body); trimmed[0] != '{' {
		return fmt.Errorf("response body is not a JSON object: %s", clip(string(body), 80))
	}
	return json.Unmarshal(body, v)
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
