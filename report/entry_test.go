package report

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/accessaudit/accessaudit/audit"
)

func TestWritersRejectInvalidEntry(t *testing.T) {
	valid := func() *audit.Result {
		return &audit.Result{
			Job:     audit.Job{Pair: audit.Pair{ClientID: 1, UserID: 2}, Line: 3, Lines: []int{3}, Columns: []string{"a"}},
			Outcome: audit.OutcomeNotFound, HTTPStatus: 404, Attempts: 1,
		}
	}
	tests := []struct {
		name    string
		change  func(r *audit.Result) *audit.Result
		wantErr string
	}{
		{"nil result", func(*audit.Result) *audit.Result { return nil }, "no audit result"},
		{"line zero", func(r *audit.Result) *audit.Result { r.Line = 0; return r }, "line 0"},
		{"zero account", func(r *audit.Result) *audit.Result { r.ClientID = 0; return r }, "IDs must be positive"},
		{"unknown outcome", func(r *audit.Result) *audit.Result { r.Outcome = "maybe"; return r }, `outcome "maybe"`},
		{"error without kind", func(r *audit.Result) *audit.Result { r.Outcome = audit.OutcomeError; return r }, `unknown error kind ""`},
		{"too many columns", func(r *audit.Result) *audit.Result { r.Columns = []string{"a", "b"}; return r }, "2 extra column values"},
	}

	newWriters := map[string]func(path string) (Writer, error){
		"json": func(path string) (Writer, error) { return NewJSON(path+".json", sampleTool, []string{"email"}) },
		"xlsx": func(path string) (Writer, error) {
			return NewXLSX(path+".xlsx", sampleTool, []string{"email"}, ModeAudit)
		},
	}
	for format, newWriter := range newWriters {
		for _, tt := range tests {
			t.Run(format+"/"+tt.name, func(t *testing.T) {
				w, err := newWriter(filepath.Join(t.TempDir(), "r"))
				if err != nil {
					t.Fatal(err)
				}
				defer w.Abort()

				if err := w.Write(Entry{Result: valid()}); err != nil {
					t.Fatalf("valid entry: %v", err)
				}
				err = w.Write(Entry{Result: tt.change(valid())})
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("Write = %v, want an error containing %q", err, tt.wantErr)
				}
			})
		}
	}
}

func TestShortRowColumnsEmpty(t *testing.T) {
	r := &audit.Result{Job: audit.Job{Columns: []string{"x"}}}
	if got := columnValue(r, 0); got != "x" {
		t.Errorf("columnValue(0) = %q, want x", got)
	}
	if got := columnValue(r, 1); got != "" {
		t.Errorf("columnValue(1) = %q, want empty for a short row", got)
	}
	if got := lines(&audit.Result{Job: audit.Job{Line: 7}}); len(got) != 1 || got[0] != 7 {
		t.Errorf("lines without Lines = %v, want [7]", got)
	}
}
