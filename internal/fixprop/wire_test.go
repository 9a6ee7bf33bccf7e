package fixprop

import (
	"testing"
)

// The fixer under test and the rules it claims to fix. lead: wire
// rules/fix here, e.g.
//
//	planFixer = func(m *topology.Model, fs []rules.Finding) ([]topology.Change, error) {
//		var out []topology.Change
//		for _, s := range fix.Plan(m, fs, fix.Options{}).Changes {
//			out = append(out, s.Change)
//		}
//		return out, nil
//	}
//	fixableRule = fix.Fixable // or the rule set rules/fix declares
var (
	planFixer   Fixer
	fixableRule func(rule string) bool
)

// TestFixPlanProperty: on every generated site (Cases: every fault alone
// on every shape it fits, every pair on one bond, random multi-host
// sites; -short samples), the fixer's plan applied with Model.Plan and
// judged again leaves no error of a fixable rule and adds no error.
func TestFixPlanProperty(t *testing.T) {
	if planFixer == nil {
		t.Skip("no fixer wired yet (rules/fix): TestPropertyProvesItself holds the harness to a hand-written one")
	}
	p := Property{Fixable: fixableRule}
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
