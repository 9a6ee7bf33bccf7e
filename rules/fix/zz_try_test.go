package fix

import (
	"fmt"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
)

func TestZZTry(t *testing.T) {
	site, err := collect.LoadSite(demo.FS(), "demo", collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	fs := rules.Run(m, rules.Params{Now: now}, nil)
	start := time.Now()
	r := Plan(m, fs, Options{Now: now})
	t.Logf("took %v", time.Since(start))
	var steps []collect.PlanStep
	for _, s := range r.Changes {
		steps = append(steps, collect.PlanStep{Change: s.Change, Comment: s.Problem + ": " + s.Why})
	}
	b, _ := collect.FormatPlan("", steps)
	t.Logf("\n%s", b)
	for _, u := range r.Unfixable {
		t.Logf("UNFIXABLE %s %s %s: %s", u.Problem, u.Rule, u.Severity, u.Reason)
	}
	for _, p := range r.Problems {
		t.Logf("%s %s %s %s left=%d", p.ID, p.Severity, p.Rule, p.Outcome, len(p.Left))
	}
	for _, f := range r.Added {
		t.Logf("ADDED %s %s", f.Rule, fmt.Sprint(f.Key()))
	}
}
