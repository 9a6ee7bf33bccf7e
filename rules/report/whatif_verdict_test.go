package report

import (
	"testing"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
)

// Breaks: a bond losing connectivity, or a plan adding an error, and
// nothing less (a bond of unknown outcome is listed, not counted).
func TestWhatIfBreaks(t *testing.T) {
	isolated := &topology.Impact{Bonds: []topology.BondImpact{{Outcome: topology.OutcomeIsolated}}}
	degraded := &topology.Impact{Bonds: []topology.BondImpact{{Outcome: topology.OutcomeRedundancy}}}
	unknown := &topology.Impact{Bonds: []topology.BondImpact{{Outcome: topology.OutcomeUnknown, Unknown: []string{"eth1"}}}}
	planWith := func(sev rules.Severity, st rules.Status) *Plan {
		return &Plan{Delta: rules.Delta{New: []rules.Finding{{Rule: "x", Severity: sev, Status: st}}}}
	}
	for _, c := range []struct {
		name string
		w    WhatIf
		want bool
	}{
		{"a bond cut off", WhatIf{Impact: isolated}, true},
		{"redundancy lost only", WhatIf{Impact: degraded}, false},
		{"a bond that may be cut off (unknown port)", WhatIf{Impact: unknown}, false},
		{"plan adds an error", WhatIf{Impact: degraded, Plan: planWith(rules.Error, rules.StatusFail)}, true},
		{"plan adds a warning", WhatIf{Impact: degraded, Plan: planWith(rules.Warning, rules.StatusFail)}, false},
		{"plan adds a waived error", WhatIf{Plan: planWith(rules.Error, rules.StatusSuppressed)}, false},
		{"nothing", WhatIf{}, false},
	} {
		if got := c.w.Breaks(); got != c.want {
			t.Errorf("%s: Breaks() = %v, want %v", c.name, got, c.want)
		}
	}
}
