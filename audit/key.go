package audit

import (
	"bytes"
	"errors"
	"strings"
)

// ErrMissingKey means no API key was supplied.
var ErrMissingKey = errors.New("missing API key: set GCORE_API_KEY or pass --api-key-file FILE")

// authorization returns the Authorization header value for key: "APIKey <token>".
// Surrounding white space is trimmed, and a key that already starts with the
// word "apikey" (any case) followed by white space has that word replaced, so
// it is never doubled.
func authorization(key string) (string, error) {
	token := strings.TrimSpace(key)
	if len(token) > len("apikey") && strings.EqualFold(token[:len("apikey")], "apikey") {
		rest := token[len("apikey"):]
		if trimmed := strings.TrimLeft(rest, " \t"); len(trimmed) < len(rest) {
			token = trimmed
		}
	}
	if token == "" {
		return "", ErrMissingKey
	}
	if strings.ContainsAny(token, "\r\n") {
		return "", errors.New("invalid API key: it contains a line break; keep the key on one line")
	}
	return "APIKey " + token, nil
}

// redactor replaces every appearance of a secret in a string. Errors and log
// lines built from server responses go through it, so a server that echoes the
// Authorization header cannot leak the key into a report or a log.
type redactor struct {
	secrets []string
}

func newRedactor(header string) redactor {
	token := strings.TrimPrefix(header, "APIKey ")
	if token == "" {
		return redactor{}
	}
	return redactor{secrets: []string{header, token}}
}

func (r redactor) clean(s string) string {
	for _, secret := range r.secrets {
		if secret != "" && strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}

// cleanBytes is clean for a byte slice. It returns b itself when no secret
// appears in it.
func (r redactor) cleanBytes(b []byte) []byte {
	for _, secret := range r.secrets {
		if secret != "" && bytes.Contains(b, []byte(secret)) {
			b = bytes.ReplaceAll(b, []byte(secret), []byte("[redacted]"))
		}
	}
	return b
}
