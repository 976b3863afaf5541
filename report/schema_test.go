package report

import (
	"bytes"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestSchemaRejectsInvalidReports checks that the schema is strict: each case
// breaks one rule of a valid report.
func TestSchemaRejectsInvalidReports(t *testing.T) {
	valid := writeSampleJSON(t, t.TempDir(), Policy{Mode: ModeAudit, Approved: sampleApproved}, sampleRun(ModeAudit))

	type object = map[string]any
	result := func(doc object, i int) object { return doc["results"].([]any)[i].(object) }

	tests := []struct {
		name   string
		mutate func(doc object)
	}{
		{"unknown top-level field", func(doc object) { doc["extra"] = true }},
		{"missing rejected", func(doc object) { delete(doc, "rejected") }},
		{"wrong report version", func(doc object) { doc["report_version"] = 2 }},
		{"unknown run field", func(doc object) { doc["run"].(object)["user"] = "x" }},
		{"local start time", func(doc object) { doc["run"].(object)["started_at"] = "2026-03-01T13:00:00+01:00" }},
		{"unknown mode", func(doc object) { doc["run"].(object)["mode"] = "sweep" }},
		{"sha256 not hex", func(doc object) { doc["run"].(object)["input"].(object)["sha256"] = "xyz" }},
		{"unknown outcome", func(doc object) { result(doc, 0)["outcome"] = "fine" }},
		{"unknown error kind", func(doc object) { result(doc, 6)["error_kind"] = "oops" }},
		{"error without kind", func(doc object) { result(doc, 6)["error_kind"] = nil }},
		{"kind on not_found", func(doc object) { result(doc, 4)["error_kind"] = "timeout" }},
		{"group on forbidden", func(doc object) { result(doc, 5)["group_id"] = 1 }},
		{"admin on not_found", func(doc object) { result(doc, 4)["admin"] = true }},
		{"missing approved", func(doc object) { delete(result(doc, 0), "approved") }},
		{"unknown result field", func(doc object) { result(doc, 0)["role"] = "admin" }},
		{"empty lines", func(doc object) { result(doc, 0)["lines"] = []any{} }},
		{"non-text column", func(doc object) { result(doc, 0)["columns"].(object)["email"] = 5 }},
		{"summary groups null", func(doc object) { doc["summary"].(object)["groups"] = nil }},
		{"rejected line zero", func(doc object) { doc["rejected"].([]any)[0].(object)["line"] = 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(valid))
			if err != nil {
				t.Fatal(err)
			}
			tt.mutate(doc.(object))
			if err := reportSchema(t).Validate(doc); err == nil {
				t.Error("schema accepts the broken report")
			}
		})
	}
}
