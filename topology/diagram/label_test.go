package diagram

import (
	"slices"
	"testing"
)

// TestMarkedLabel: an element is labelled with its worst mark's problem's
// primary rule and the count of the other rules on it, not every rule ID.
func TestMarkedLabel(t *testing.T) {
	cases := []struct {
		marks []Mark
		want  []string
	}{
		{nil, nil},
		{[]Mark{{Rule: "bond.hash-layer2", Severity: SevInfo}}, []string{"bond.hash-layer2"}},
		{[]Mark{
			{Rule: "lacp.no-partner", Severity: SevError, Problem: "lacp.switch-not-aggregated"},
			{Rule: "lacp.not-synced", Severity: SevError, Problem: "lacp.switch-not-aggregated"},
			{Rule: "lacp.switch-not-aggregated", Severity: SevError},
			{Rule: "redundancy.single-switch", Severity: SevInfo},
		}, []string{"lacp.switch-not-aggregated +3"}},
		// the primary need not be drawn on this edge itself
		{[]Mark{
			{Rule: "lacp.not-synced", Severity: SevError, Problem: "lacp.multi-switch-no-mlag"},
			{Rule: "lacp.churn", Severity: SevWarning, Problem: "lacp.multi-switch-no-mlag"},
		}, []string{"lacp.multi-switch-no-mlag +2"}},
		// the worse problem wins over the name order
		{[]Mark{
			{Rule: "bond.hash-layer2", Severity: SevInfo},
			{Rule: "static.switch-not-aggregated", Severity: SevError},
		}, []string{"static.switch-not-aggregated +1"}},
	}
	for i, c := range cases {
		var k Marked
		for _, m := range c.marks {
			k.add(m)
		}
		if got := k.Label(); !slices.Equal(got, c.want) {
			t.Errorf("case %d: label %q, want %q", i, got, c.want)
		}
	}
}
