package rules

import (
	"strings"
	"testing"
)

// TestHelpTeachesTheFix: "bondaudit explain" gives, for every rule, the fix
// per platform: FixHost has an iproute2, a NetworkManager and a netplan line
// (or is one "Nothing on the host" line), FixSwitch a Cisco, an Arista and a
// Junos line (or is one "Nothing on the switch" line), and at least one side
// says what to change.
func TestHelpTeachesTheFix(t *testing.T) {
	hostLabels := []string{"iproute2:", "NetworkManager:", "netplan:"}
	switchLabels := []string{"Cisco IOS/NX-OS:", "Arista EOS:", "Junos:"}
	for _, r := range Registry() {
		if strings.TrimSpace(r.Summary) == "" || strings.TrimSpace(r.Why) == "" {
			t.Errorf("%s: Summary or Why is empty", r.ID)
		}
		hostNothing := checkFix(t, r.ID, "FixHost", r.FixHost, "Nothing on the host", hostLabels)
		switchNothing := checkFix(t, r.ID, "FixSwitch", r.FixSwitch, "Nothing on the switch", switchLabels)
		// policy.* rules are about the policy file, not the network: their
		// fix is in policy.yaml, so both sides may say "Nothing".
		if hostNothing && switchNothing && !strings.HasPrefix(r.ID, "policy.") {
			t.Errorf("%s: neither FixHost nor FixSwitch says what to change", r.ID)
		}
		for field, text := range map[string]string{"Summary": r.Summary, "Why": r.Why, "FixHost": r.FixHost,
			"FixSwitch": r.FixSwitch, "Evidence": r.Evidence, "References": strings.Join(r.References, "\n")} {
			for i, line := range strings.Split(text, "\n") {
				if len(line) > 200 {
					t.Errorf("%s %s line %d is %d characters long (max 200): %q", r.ID, field, i+1, len(line), line)
				}
				if line != strings.TrimRight(line, " \t") {
					t.Errorf("%s %s line %d has trailing whitespace", r.ID, field, i+1)
				}
			}
		}
	}
}

// checkFix checks one fix text: either a single line starting with nothing
// (it reports true then), or a line per platform, each starting with its
// label.
func checkFix(t *testing.T, id, field, text, nothing string, labels []string) bool {
	t.Helper()
	if strings.HasPrefix(text, nothing) && !strings.Contains(text, "\n") {
		return true
	}
	// Otherwise one line per platform; a "Nothing" lead may come first
	// (a fix needed only in some cases, or an alternative).
	if !hasAllLabels(text, labels) {
		t.Errorf("%s: %s neither is one line starting %q nor has a line for each of %q:\n%s", id, field, nothing, labels, text)
	}
	return false
}

// hasAllLabels reports whether every label starts a line of text.
func hasAllLabels(text string, labels []string) bool {
	for _, l := range labels {
		found := false
		for _, line := range strings.Split(text, "\n") {
			if strings.HasPrefix(line, l+" ") {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}
