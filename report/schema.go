package report

import _ "embed"

// Schema is the JSON Schema (draft 2020-12) of the JSON report, as shipped in
// schema.json. The package tests validate every report they write against it.
//
//go:embed schema.json
var Schema []byte
