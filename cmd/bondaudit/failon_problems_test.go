package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/rules/report"
)

// TestFailOnProblems: audit's exit status, which counts problems, is the
// one counting findings gives, at every --fail-on, on the demo and on the
// --baseline path (only the new findings left, some of them consequences
// whose cause is old).
func TestFailOnProblems(t *testing.T) {
	v1, v2 := driftSites(t)
	base := filepath.Join(t.TempDir(), "last.json")
	if code, _, errs := runCLI(t, "audit", v1, "--save-baseline", base, "--fail-on", "never"); code != 0 {
		t.Fatalf("save: exit %d: %s", code, errs)
	}
	for _, run := range []struct {
		name string
		args []string
	}{
		{"demo", []string{"audit", "demo"}},
		{"demo --rule lacp.no-partner", []string{"audit", "demo", "--rule", "lacp.no-partner"}},
		{"drifted against baseline", []string{"audit", v2, "--baseline", base}},
		{"demo against its own baseline", []string{"audit", v1, "--baseline", base}},
	} {
		_, out, _ := runCLI(t, append(run.args, "--format", "json", "--fail-on", "never")...)
		var doc struct {
			Findings []report.FindingJSON `json:"findings"`
			Groups   []report.ProblemJSON `json:"problem_groups"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%s: %v", run.name, err)
		}
		var fs []rules.Finding
		for _, j := range doc.Findings {
			sev, _ := rules.ParseSeverity(j.Severity)
			fs = append(fs, rules.Finding{Rule: j.Rule, Severity: sev, Status: rules.Status(j.Status), Host: j.Host, Bond: j.Bond,
				NIC: j.NIC, Switch: j.Switch, Port: j.Port, Message: j.Message, Domain: j.Domain})
		}
		for _, th := range []string{"error", "warning", "info", "never"} {
			code, _, errs := runCLI(t, append(run.args, "--fail-on", th)...)
			f, _ := rules.ParseFailOn(th)
			want := 0
			if f.Fails(fs) {
				want = 1
			}
			if code != want {
				t.Errorf("%s --fail-on %s: exit %d, the findings say %d (%s)", run.name, th, code, want, errs)
			}
			if got := f.FailsProblems(rules.Group(fs)); got != (want == 1) {
				t.Errorf("%s --fail-on %s: problems say %v, findings %v", run.name, th, got, want == 1)
			}
		}
		if run.name == "demo" && (len(doc.Findings) != 30 || len(doc.Groups) != 13) {
			t.Errorf("demo: %d findings in %d problems, want 30 in 13", len(doc.Findings), len(doc.Groups))
		}
	}
}
