package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/rules/report"
)

// fuzzFile writes an input where the command reads it from: a file in
// the fuzz process's own folder (one input at a time runs in a process),
// rewritten for each input.
func fuzzFile(t *testing.T, dir, name string, data []byte) string {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// FuzzReadBaseline: any file given to --baseline is refused, or read as a
// report whose site and findings, written back as a report, read the same.
func FuzzReadBaseline(f *testing.F) {
	for _, s := range []string{
		`{"schema":"` + report.JSONSchema + `","site":"demo","findings":[{"rule":"lacp.no-partner","severity":"error","status":"fail","host":"web02","bond":"bond0","nic":"eth0","message":"m"}]}`,
		`{"schema":"` + report.JSONSchema + `","site":"s","findings":[]}`,
		`{"schema":"bondaudit.report/v0","site":"s"}`,
		`{"schema":"` + report.JSONSchema + `","findings":[{"rule":1}]}`,
		`[1,2]`,
		`{"schema":"` + report.JSONSchema + `","site":"s","summary":{"hosts":3},"findings":null} trailing`,
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		site, findings, err := report.ReadBaseline(fuzzFile(t, dir, "baseline.json", data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "not a bondaudit JSON report") {
				t.Fatalf("error does not say what is wrong: %v", err)
			}
			return
		}
		var records []report.FindingJSON
		for _, f := range findings {
			records = append(records, report.NewFindingJSON(f))
		}
		b, err := json.Marshal(map[string]any{"schema": report.JSONSchema, "site": site, "findings": records})
		if err != nil {
			t.Fatal(err)
		}
		site2, findings2, err := report.ReadBaseline(fuzzFile(t, dir, "again.json", b))
		if err != nil || site2 != site || len(findings2) != len(findings) || len(findings) > 0 && !reflect.DeepEqual(findings, findings2) {
			t.Fatalf("round trip: %q %+v, then %q %+v, %v", site, findings, site2, findings2, err)
		}
	})
}
