package simulator

import (
	"crypto/subtle"
	"strings"
)

// checkKey checks an Authorization header value of the form "APIKey <key>",
// the word in any case and followed by exactly one space. It returns the
// message for a 401 response and false when the key is not accepted. The
// message never contains the key.
func (s *Server) checkKey(header string) (string, bool) {
	if header == "" {
		return `missing Authorization header; send "Authorization: APIKey <key>"`, false
	}

	scheme, key, found := strings.Cut(header, " ")
	if !found || !strings.EqualFold(scheme, "apikey") {
		return `the Authorization header must start with "APIKey " followed by the key`, false
	}
	if key == "" || strings.TrimSpace(key) != key {
		return "the API key is empty or has surrounding white space", false
	}

	if s.opts.Key != "" && subtle.ConstantTimeCompare([]byte(key), []byte(s.opts.Key)) != 1 {
		return "invalid API key", false
	}
	return "", true
}
