package report

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// TestProblemsJSON: problem_groups lists every problem once; every
// finding names one of them; counts add up to the findings; the waived
// finding's problem is suppressed; "problems" still lists the inputs not
// read (v1 stays additive).
func TestProblemsJSON(t *testing.T) {
	r := fixtureReport(t)
	var doc struct {
		Findings []FindingJSON `json:"findings"`
		Groups   []ProblemJSON `json:"problem_groups"`
		Problems []string      `json:"problems"`
	}
	if err := json.Unmarshal(render(t, JSON{}, r), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Problems) != 2 {
		t.Errorf("problems (inputs not read) = %q", doc.Problems)
	}
	count := map[string]int{}
	for _, f := range doc.Findings {
		count[f.Problem]++
	}
	total := 0
	var primaryNoPartner bool
	for _, p := range doc.Groups {
		if count[p.ID] != p.Findings || p.Findings == 0 {
			t.Errorf("problem %s (%s) says %d findings, %d findings name it", p.ID, p.Rule, p.Findings, count[p.ID])
		}
		total += p.Findings
		delete(count, p.ID)
		primaryNoPartner = primaryNoPartner || p.Rule == "lacp.no-partner"
		if p.Rule == "redundancy.single-switch" && p.Status != "suppressed" {
			t.Errorf("the waived finding's problem has status %q", p.Status)
		}
		if p.Rule == "lacp.switch-not-aggregated" && (p.Findings != 2 || p.Subject.Kind != "bond" || p.Subject.Host != "web01" || p.Severity != "error") {
			t.Errorf("problem %+v: want bond web01 bond0, error, 2 findings", p)
		}
	}
	if len(count) != 0 || total != len(doc.Findings) {
		t.Errorf("findings naming no listed problem: %v (%d in problems, %d findings)", count, total, len(doc.Findings))
	}
	if primaryNoPartner {
		t.Error("lacp.no-partner is a problem of its own beside its cause")
	}
}

// TestProblemsFormats: each format leads with or links to the problems.
func TestProblemsFormats(t *testing.T) {
	r := fixtureReport(t)
	text := string(render(t, Text{}, r))
	if !strings.Contains(text, "FINDINGS: 7 findings in 6 problems") {
		t.Errorf("text summary does not count problems:\n%s", text)
	}
	probs, details, _ := strings.Cut(text, "\nP-")
	if !regexp.MustCompile(`(?m)^  ERROR +lacp\.switch-not-aggregated +web01 bond0 +.*  \+1 finding$`).MatchString(probs) {
		t.Errorf("text: no problem line for web01 bond0 with +1 finding:\n%s", probs)
	}
	if strings.Contains(probs, "lacp.no-partner") || !strings.Contains(details, "lacp.no-partner") {
		t.Errorf("text: lacp.no-partner must be under its problem only:\n%s", text)
	}

	page := string(render(t, HTML{}, r))
	if n := strings.Count(page, `<details class="problem`); n != 6 {
		t.Errorf("html: %d problems, want 6 (the waived one is not listed)", n)
	}
	if !regexp.MustCompile(`<details class="problem sev-error" id="P-[0-9a-f]{10}" data-severity="error" data-rule="lacp.switch-not-aggregated">`).MatchString(page) {
		t.Error("html: no expandable problem for lacp.switch-not-aggregated")
	}
	if !strings.Contains(page, `data-problem="P-`) {
		t.Error("html: findings rows do not name their problem (the filters hide problems by them)")
	}

	prom := string(render(t, Prom{}, r))
	for _, want := range []string{
		`bondaudit_problems{site="dc1",severity="error"} 2`,
		`bondaudit_problems{site="dc1",severity="warning"} 2`,
		`bondaudit_problems{site="dc1",severity="info"} 2`,
		`bondaudit_problems_by_rule{site="dc1",rule="lacp.switch-not-aggregated",severity="error"} 1`,
	} {
		if !strings.Contains(prom, want+"\n") {
			t.Errorf("prom lacks %s", want)
		}
	}
	promtoolCheckMetrics(t, []byte(prom))

	var sarif struct {
		Runs []struct {
			Results []struct {
				RuleID  string `json:"ruleId"`
				Related []struct {
					Logical []struct {
						Name string `json:"name"`
					} `json:"logicalLocations"`
				} `json:"relatedLocations"`
				Props struct {
					Problem, ProblemRule string
				} `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(render(t, SARIF{}, r), &sarif); err != nil {
		t.Fatal(err)
	}
	res := sarif.Runs[0].Results
	if len(res) != len(r.Findings) {
		t.Errorf("sarif: %d results for %d findings", len(res), len(r.Findings))
	}
	for _, x := range res {
		if len(x.Related) != 1 || len(x.Related[0].Logical) != 1 || x.Related[0].Logical[0].Name != x.Props.Problem || !strings.HasPrefix(x.Props.Problem, "P-") {
			t.Errorf("sarif %s: related location %+v, problem %q", x.RuleID, x.Related, x.Props.Problem)
		}
		if x.RuleID == "lacp.no-partner" && x.Props.ProblemRule != "lacp.switch-not-aggregated" {
			t.Errorf("sarif lacp.no-partner: problem rule %q", x.Props.ProblemRule)
		}
	}
}

// TestMarksPrimary: the diagram's marks carry the problem's primary rule.
func TestMarksPrimary(t *testing.T) {
	for _, m := range Marks(fixtureReport(t).Findings) {
		if m.Rule == "lacp.no-partner" && m.Problem != "lacp.switch-not-aggregated" {
			t.Errorf("mark %+v: want problem lacp.switch-not-aggregated", m)
		}
	}
}
