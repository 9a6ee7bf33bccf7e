package rules

import (
	"github.com/bondaudit/bondaudit/internal/fixtures"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/topology"
)

func TestRegistrySortedUniqueAndDocumented(t *testing.T) {
	ids := []string{}
	for _, r := range Registry() {
		ids = append(ids, r.ID)
		if r.Title == "" || r.Summary == "" || r.Why == "" || r.FixHost == "" || r.FixSwitch == "" || r.Evidence == "" || r.Check == nil {
			t.Errorf("%s: help text or check missing", r.ID)
		}
		if got, ok := Lookup(r.ID); !ok || got.ID != r.ID {
			t.Errorf("Lookup(%q) = %q, %v", r.ID, got.ID, ok)
		}
	}
	if !slices.IsSorted(ids) {
		t.Errorf("registry not sorted: %v", ids)
	}
	if len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Errorf("duplicate rule IDs: %v", ids)
	}
	if _, ok := Lookup("bond.nope"); ok {
		t.Error("Lookup found a rule that does not exist")
	}
}

// TestRegistryMatchesCatalogue: the registry and RULES.md hold the same
// rule IDs with the same default severities.
func TestRegistryMatchesCatalogue(t *testing.T) {
	b, err := os.ReadFile(fixtures.Shared("RULES.md"))
	if err != nil {
		t.Skipf("RULES.md not present beside the repository: %v", err)
	}
	row := regexp.MustCompile("(?m)^\\| ([a-z0-9]+\\.[a-z0-9-]+) \\| (error|warning|info)")
	cat := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(b), -1) {
		cat[m[1]] = m[2]
	}
	if len(cat) < 40 {
		t.Fatalf("parsed only %d rules from RULES.md", len(cat))
	}
	// The project's own additions (CATALOGUE-ADDITIONS.md): RULES.md is
	// given and read-only; a row in both must agree on the severity.
	add, err := os.ReadFile("CATALOGUE-ADDITIONS.md")
	if err != nil {
		t.Fatal(err)
	}
	added := row.FindAllStringSubmatch(string(add), -1)
	if len(added) == 0 {
		t.Fatal("parsed no rules from CATALOGUE-ADDITIONS.md")
	}
	for _, m := range added {
		if sev, ok := cat[m[1]]; ok && sev != m[2] {
			t.Errorf("%s: CATALOGUE-ADDITIONS.md says %s, RULES.md says %s", m[1], m[2], sev)
		}
		cat[m[1]] = m[2]
	}
	for _, r := range Registry() {
		sev, ok := cat[r.ID]
		if !ok {
			// policy.* findings come from the policy file (an expired
			// waiver), not from the catalogue.
			if !strings.HasPrefix(r.ID, "policy.") {
				t.Errorf("%s is in neither RULES.md nor CATALOGUE-ADDITIONS.md", r.ID)
			}
			continue
		}
		if sev != r.Severity.String() {
			t.Errorf("%s: default severity %s, RULES.md says %s", r.ID, r.Severity, sev)
		}
	}
	// And the other way: the catalogue is implemented whole.
	for id := range cat {
		if _, ok := Lookup(id); !ok {
			t.Errorf("RULES.md rule %s is not registered", id)
		}
	}
}

func TestClassOf(t *testing.T) {
	for _, c := range []struct {
		kind string
		mode topology.BondMode
		want Class
	}{
		{"", "802.3ad", ClassLACP}, {"bonding", "4", ClassLACP},
		{"", "balance-rr", ClassStatic}, {"", "balance-xor", ClassStatic}, {"", "broadcast", ClassStatic},
		{"", "active-backup", ClassIndependent}, {"", "balance-tlb", ClassIndependent}, {"", "balance-alb", ClassIndependent},
		{"ovs", "balance-tcp", ClassLACP}, {"ovs", "balance-slb", ClassIndependent}, {"ovs", "active-backup", ClassIndependent},
		{"team", "lacp", ClassLACP}, {"team", "loadbalance", ClassStatic}, {"team", "activebackup", ClassIndependent},
		{"", "quantum entanglement", ClassUnknown}, {"team", "802.3ad", ClassUnknown},
	} {
		if got := ClassOf(&topology.Bond{Kind: c.kind, Mode: c.mode}); got != c.want {
			t.Errorf("ClassOf(%s %q) = %q, want %q", c.kind, c.mode, got, c.want)
		}
	}
}

func TestSeverityText(t *testing.T) {
	for _, s := range []Severity{Info, Warning, Error} {
		b, _ := s.MarshalText()
		var back Severity
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("%v round trip: %v %v", s, back, err)
		}
	}
	if _, err := ParseSeverity("critical"); err == nil || !strings.Contains(err.Error(), "warning") {
		t.Errorf("ParseSeverity(critical) error %v should list the allowed values", err)
	}
	if !(Error > Warning && Warning > Info) {
		t.Error("severity order")
	}
}
