package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
)

func TestDecodeScalarsMatchUnmarshal(t *testing.T) {
	ints := []string{`0`, `-0`, `7`, `-7`, `123456789012345678`, `-123456789012345678`,
		`9223372036854775807`, `-9223372036854775808`, `9223372036854775808`, `1.5`, `1e3`, `1E0`,
		`"1"`, `true`, `null`, `{}`, `[1]`}
	for _, raw := range ints {
		t.Run("int "+raw, func(t *testing.T) {
			var want int64
			wantErr := json.Unmarshal([]byte(raw), &want)
			got, err := decodeInt(json.RawMessage(raw))
			if (err != nil) != (wantErr != nil) {
				t.Fatalf("decodeInt(%s) error = %v, json.Unmarshal error = %v", raw, err, wantErr)
			}
			if err == nil && got != want {
				t.Errorf("decodeInt(%s) = %d, json.Unmarshal gives %d", raw, got, want)
			}
		})
	}

	strs := []string{`""`, `"Users"`, `" administrators "`, `"Ünïcödé 管理员"`, `"tab\tescaped"`,
		`"quote \" inside"`, `"\u0041dmin"`, `"bad \xff byte"`, `"surrogate \ud800"`, `7`, `null`, `{}`}
	for _, raw := range strs {
		t.Run("string "+raw, func(t *testing.T) {
			var want string
			wantErr := json.Unmarshal([]byte(raw), &want)
			got, err := decodeString(json.RawMessage(raw))
			if (err != nil) != (wantErr != nil) {
				t.Fatalf("decodeString(%s) error = %v, json.Unmarshal error = %v", raw, err, wantErr)
			}
			if err == nil && got != want {
				t.Errorf("decodeString(%s) = %q, json.Unmarshal gives %q", raw, got, want)
			}
		})
	}
}

// referenceDecodeRole is decodeRole as it was before its fast paths: every
// value goes through json.Valid and json.Unmarshal. The fuzz test holds the
// two to the same results.
func referenceDecodeRole(body []byte) (group, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return group{}, errors.New("response body is empty")
	}
	if !json.Valid(body) {
		return group{}, fmt.Errorf("response body is not valid JSON: %s", clip(string(body), 80))
	}
	if trimmed := bytes.TrimSpace(body); trimmed[0] != '{' {
		return group{}, fmt.Errorf("response body is not a JSON object: %s", clip(string(body), 80))
	}

	var envelope struct {
		UserRole json.RawMessage `json:"user_role"`
	}
	if err := json.Unmarshal(body, &envelope); err != nil {
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

func FuzzDecodeRoleMatchesReference(f *testing.F) {
	for _, seed := range []string{
		`{"user_role":{"id":1,"name":"Administrators"}}`, `{"user_role":{"id":-0,"name":"\u0041"}}`,
		`{"user_role":{"id":99999999999999999999}}`, `{"user_role":{"id":1e2}}`, `{"user_role":{"name":"bad \xff"}}`,
		`{"User_Role":{"ID":5},"user_role":{"name":"x"}}`, `{"user_role":[]}`, ` [1] `, `{"user_role":`, ``,
		`{"user_role":{"id":"7","name":null}}`, `{"user_role":{"id":3,"id":null,"name":"n"}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := decodeRole(body)
		want, wantErr := referenceDecodeRole(body)
		if fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("decodeRole(%q) error = %v, reference error = %v", body, err, wantErr)
		}
		if err != nil {
			return
		}
		if !equalPtr(got.ID, want.ID) || !equalPtr(got.Name, want.Name) {
			t.Fatalf("decodeRole(%q) = %s, reference = %s", body, describeGroup(got), describeGroup(want))
		}
	})
}

func equalPtr[T comparable](a, b *T) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

func describeGroup(g group) string {
	s := "id <nil>"
	if g.ID != nil {
		s = fmt.Sprintf("id %d", *g.ID)
	}
	if g.Name != nil {
		return s + fmt.Sprintf(", name %q", *g.Name)
	}
	return s + ", name <nil>"
}

func TestDecodeRoleFastTakesOnlyPlainBodies(t *testing.T) {
	tests := []struct {
		body string
		ok   bool
		id   string // "" for none
		name string // "-" for none
	}{
		{`{"user_role":{"id":1,"name":"Administrators"}}`, true, "1", "Administrators"},
		{" {\n  \"user_role\" : { \"name\" : \"Users\" ,\t\"id\" : 2 }\r\n} ", true, "2", "Users"},
		{`{"user_role":{"id":-0}}`, true, "0", "-"},
		{`{"user_role":{"name":"管理员"}}`, true, "", "管理员"},
		{`{"user_role":{"id":123456789012345678}}`, true, "123456789012345678", "-"},
		{`{"user_role":{"id":1234567890123456789}}`, false, "", "-"},
		{`{"user_role":{"id":01}}`, false, "", "-"},
		{`{"user_role":{"id":1.0}}`, false, "", "-"},
		{`{"user_role":{"id":1e2}}`, false, "", "-"},
		{`{"user_role":{"id":null}}`, false, "", "-"},
		{`{"user_role":{"id":1,"id":2}}`, false, "", "-"},
		{`{"user_role":{"name":"A\u0064min"}}`, false, "", "-"},
		{"{\"user_role\":{\"name\":\"bad \xff\"}}", false, "", "-"},
		{`{"user_role":{}}`, false, "", "-"},
		{`{"user_role":{"id":1},"extra":true}`, false, "", "-"},
		{`{"User_Role":{"id":1}}`, false, "", "-"},
		{`{"user_role":{"id":1}} x`, false, "", "-"},
		{`{"user_role":{"id":1,}}`, false, "", "-"},
		{`{"user_role":{"id":1`, false, "", "-"},
		{``, false, "", "-"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			g, ok := decodeRoleFast([]byte(tt.body))
			if ok != tt.ok {
				t.Fatalf("decodeRoleFast ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if got := describeGroup(g); got != describeGroup(expectedGroup(t, tt.id, tt.name)) {
				t.Errorf("decodeRoleFast = %s, want %s", got, describeGroup(expectedGroup(t, tt.id, tt.name)))
			}
		})
	}
}

// expectedGroup builds a group from a decimal id ("" for none) and a name
// ("-" for none).
func expectedGroup(t *testing.T, id, name string) group {
	t.Helper()
	var g group
	if id != "" {
		n, err := decodeInt(json.RawMessage(id))
		if err != nil {
			t.Fatal(err)
		}
		g.ID = &n
	}
	if name != "-" {
		g.Name = &name
	}
	return g
}
