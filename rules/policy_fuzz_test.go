package rules

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// FuzzParsePolicy: any policy.yaml is refused with errors that name the
// file, or gives a policy whose every waiver has a rule, a reason and an
// expiry, whose overrides are real severities; applying it to findings
// suppresses exactly as trying every waiver on every finding does.
func FuzzParsePolicy(f *testing.F) {
	for _, s := range []string{
		"severity:\n  bond.lacp-rate-slow: warning\ndisabled: [bond.hash-layer2]\nthresholds: {slave_flapping: 5}\nrequire_switch_redundancy: true\n",
		"waivers:\n  - rule: lacp.no-partner\n    host: web02\n    port: \"Ethernet*\"\n    reason: CHG-1\n    expires: 2027-01-31\n  - {rule: \"lacp.*\", switch: leaf?, reason: r, expires: \"2026-11-30\"}\n",
		"waivers:\n  - {rule: nosuch, reason: x, expires: 2026-13-01}\n  - {rule: bond.single-slave}\n  - [a]\n",
		"severity: {x: fatal}\nthresholds: {slave_flapping: -1, other: 2}\nunknown: 1\n",
	} {
		f.Add([]byte(s))
	}
	now := time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)
	findings := []Finding{
		{Rule: "lacp.no-partner", Host: "web02", Bond: "bond0", Port: "Et1", Status: StatusFail, Severity: Error},
		{Rule: "bond.single-slave", Host: "db01", Status: StatusFail, Severity: Warning},
		{Rule: "vlan.mismatch", Switch: "leaf1", Port: "Ethernet1", Status: StatusFail, Severity: Warning},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePolicy(data, "policy.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "policy.yaml") {
				t.Fatalf("error does not name the file: %q", err)
			}
			return
		}
		for _, w := range p.Waivers {
			if w.Rule == "" || w.Reason == "" || w.Expires.IsZero() || w.Line < 1 {
				t.Fatalf("waiver %+v", w)
			}
		}
		for id, sev := range p.Severity {
			if sev != Error && sev != Warning && sev != Info {
				t.Fatalf("severity of %s: %v", id, sev)
			}
		}
		if got, want := p.Apply(findings, now), naiveApply(p, findings, now); !reflect.DeepEqual(got, want) {
			t.Fatalf("indexed Apply differs from the scan:\n got  %+v\n want %+v", got, want)
		}
	})
}
