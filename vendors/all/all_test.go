package all

import (
	"testing"

	"github.com/bondaudit/bondaudit/vendors"
)

// TestFamiliesAreRecognised: every family package's profile name exists in
// vendors' recognition list, so its decoder is reachable.
func TestFamiliesAreRecognised(t *testing.T) {
	names := map[string]bool{}
	for _, p := range vendors.Profiles() {
		names[p.Name] = true
	}
	for _, f := range families {
		if !names[f.Name] {
			t.Errorf("family profile %q matches no recognised vendor: its decoder would never run", f.Name)
		}
	}
	if got := Identify("1.3.6.1.4.1.9.12.3.1.3.1812", "Cisco NX-OS(tm) n3000"); got.Name != "cisco-nxos" {
		t.Errorf("NX-OS identified as %s", got.Name)
	}
	if got := Identify("1.3.6.1.4.1.9.1.1208", "Cisco IOS Software, C2960X"); got.Name != "cisco-ios" {
		t.Errorf("IOS identified as %s", got.Name)
	}
	if got := Identify("1.3.6.1.4.1.99999.1", "homebrew"); got.Name != "standard" {
		t.Errorf("unknown device identified as %s", got.Name)
	}
}
