package fixprop

import (
	"testing"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/rules/fix"
	"github.com/bondaudit/bondaudit/topology"
)

// The fixer under test, bondaudit fix's planner, and the rules it claims
// to fix.
var (
	planFixer Fixer = func(m *topology.Model, fs []rules.Finding) ([]topology.Change, error) {
		return fix.Changes(m, fs, fix.Options{})
	}
	fixableRule = fix.Fixable
	// A bond with an unmapped slave is mapped first: its errors wait.
	blockedFinding = func(before []rules.Finding, f rules.Finding) bool {
		for _, b := range before {
			if b.Rule == "map.unmapped-slave" && b.Host == f.Host && b.Bond == f.Bond && f.Bond != "" {
				return true
			}
		}
		return false
	}
)

// TestFixPlanProperty: on every generated site (Cases: every fault alone
// on every shape it fits, every pair on one bond, random multi-host
// sites; -short samples), the fixer's plan applied with Model.Plan and
// judged again leaves no error of a fixable rule and adds no error.
func TestFixPlanProperty(t *testing.T) {
	if planFixer == nil {
		t.Skip("no fixer wired yet (rules/fix): TestPropertyProvesItself holds the harness to a hand-written one")
	}
	p := Property{Fixable: fixableRule, Blocked: blockedFinding}
	cases := Cases(seed, testing.Short())
	failed := 0
	for _, c := range cases {
		if v := p.Check(c, planFixer); v != nil {
			failed++
			if failed <= 20 {
				t.Error(v)
			}
		}
	}
	t.Logf("%d sites, %d fail the property", len(cases), failed)
}
