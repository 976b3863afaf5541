package audit

import "unicode/utf8"

// decodeRoleFast reads a 200 body of the exact form the API sends,
// {"user_role": {"id": 1, "name": "Administrators"}}, without encoding/json,
// whose decoder took about a fifth of the client's CPU per request. The body
// must be an object with the one key "user_role", whose value is an object
// with the key "id" (an integer of at most 18 digits), the key "name" (a
// string without escapes) or both. Neither key may repeat, they may come in
// either order, and any JSON white space is allowed. For such a body
// encoding/json gives the same group, and ok is true. For any other body, ok
// is false and decodeRole's general path decides.
func decodeRoleFast(body []byte) (g group, ok bool) {
	s := roleScanner{b: body}
	if !s.byte('{') || !s.key("user_role") || !s.byte('{') {
		return group{}, false
	}
	for first := true; ; first = false {
		if s.byte('}') {
			break
		}
		if !first && !s.byte(',') {
			return group{}, false
		}
		switch {
		case g.ID == nil && s.key("id"):
			id, ok := s.integer()
			if !ok {
				return group{}, false
			}
			g.ID = &id
		case g.Name == nil && s.key("name"):
			name, ok := s.plainString()
			if !ok {
				return group{}, false
			}
			g.Name = &name
		default:
			return group{}, false
		}
	}
	if (g.ID == nil && g.Name == nil) || !s.byte('}') {
		return group{}, false
	}
	s.space()
	return g, s.i == len(s.b)
}

// roleScanner walks a body for decodeRoleFast. Every method skips leading
// JSON white space and reports false, moving nowhere useful, when the text
// does not match; the caller then gives up.
type roleScanner struct {
	b []byte
	i int
}

func (s *roleScanner) space() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

// byte consumes c.
func (s *roleScanner) byte(c byte) bool {
	s.space()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// key consumes "name" and the colon after it. It leaves the position
// unchanged when the next key is another one, so the caller can try the
// next name.
func (s *roleScanner) key(name string) bool {
	s.space()
	start := s.i
	end := start + len(name) + 2
	if end > len(s.b) || s.b[start] != '"' || string(s.b[start+1:end-1]) != name || s.b[end-1] != '"' {
		return false
	}
	s.i = end
	if !s.byte(':') {
		s.i = start
		return false
	}
	return true
}

// integer consumes a JSON integer of at most 18 digits: an optional minus
// sign, then 0 or a digit 1-9 followed by more digits.
func (s *roleScanner) integer() (int64, bool) {
	s.space()
	negative := s.i < len(s.b) && s.b[s.i] == '-'
	if negative {
		s.i++
	}
	start := s.i
	var n int64
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		n = n*10 + int64(s.b[s.i]-'0')
		s.i++
	}
	digits := s.i - start
	if digits == 0 || digits > 18 || (digits > 1 && s.b[start] == '0') {
		return 0, false
	}
	if s.i < len(s.b) && (s.b[s.i] == '.' || s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		return 0, false
	}
	if negative {
		n = -n
	}
	return n, true
}

// plainString consumes a JSON string without escapes whose text is valid
// UTF-8 without control characters, and returns that text.
func (s *roleScanner) plainString() (string, bool) {
	if !s.byte('"') {
		return "", false
	}
	start := s.i
	for s.i < len(s.b) && s.b[s.i] != '"' {
		if c := s.b[s.i]; c == '\\' || c < 0x20 {
			return "", false
		}
		s.i++
	}
	if s.i == len(s.b) || !utf8.Valid(s.b[start:s.i]) {
		return "", false
	}
	s.i++ // the closing quote
	return string(s.b[start : s.i-1]), true
}
