//go:build vmtest

package vmtest

// The in-guest half of issue 16's "Proof": the iproute2 commands a fix plan
// renders for bond-parameter and mode changes are applied for real to the
// guest's bonding driver, and a fresh capture of the guest then audits
// clean for those bonds.

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect/host"
	"github.com/bondaudit/bondaudit/rules/fix/render"
	"github.com/bondaudit/bondaudit/topology"
)

// applyIPRoute2 runs an iproute2 script in the guest: one `ip …` command a
// line, run in order with the guest's real ip (no shell: fields split on
// white space); blank lines, `#` comments and `set -e` are skipped, any
// other line fails the test. A failing command fails the test with its
// output.
func applyIPRoute2(t *testing.T, script string) {
	t.Helper()
	// The guest's /bin/sh is dash; PATH puts iproute2's ip first (busybox
	// has an ip applet too).
	env := append(os.Environ(), "PATH=/sbin:/usr/sbin:/bin:/usr/bin")
	which := exec.Command("/bin/sh", "-c", "command -v ip")
	which.Env = env
	if out, err := which.Output(); err != nil || !strings.Contains(string(out), "sbin/ip") {
		t.Fatalf("the guest's sh finds ip at %q (%v), want iproute2's", out, err)
	}
	cmd := exec.Command("/bin/sh", "-c", script)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the script failed: %v\n%s\n--- script:\n%s", err, out, script)
	}
}

// hostOnly are the rules a host-only audit may still report on a correct
// bond: the guest's "switches" are namespaces no site lists and no LLDP
// names, so every slave is unmapped (map.unmapped-slave is about the
// site's evidence, not about the bond a plan changes).
var hostOnly = []string{"map.unmapped-slave"}

// findingsOf audits h alone and lists the rules that fire on bond (those
// of hostOnly left out).
func findingsOf(t *testing.T, h *topology.Host, bond string) []string {
	t.Helper()
	var out []string
	for _, r := range fired(audit(t, h), bond) {
		if !slices.Contains(hostOnly, r) {
			out = append(out, r)
		}
	}
	return out
}

// listen collects the guest live, listening on the slaves for LACPDUs.
func listen(t *testing.T) *topology.Host {
	t.Helper()
	h, problems, err := host.Collect(context.Background(), host.CollectOptions{Listen: 4 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Logf("collect problem: %s", p)
	}
	return h
}

// TestIPRoute2FixesBondParams: an 802.3ad bond with no link monitoring,
// slow LACP and layer2 hashing, facing a fast LACP partner; the plan's
// bond_params change (miimon 100, lacp_rate fast, layer3+4) applied with
// ip, then a fresh capture audits clean for the bond.
func TestIPRoute2FixesBondParams(t *testing.T) {
	netns(t, "fixsw1")
	pair(t, "fp0", "fq0", "fixsw1")
	pair(t, "fp1", "fq1", "fixsw1")
	ip(t, "link", "add", "fixp", "type", "bond", "mode", "802.3ad", "miimon", "0", "lacp_rate", "slow", "xmit_hash_policy", "layer2")
	ip(t, "link", "set", "fp0", "master", "fixp")
	ip(t, "link", "set", "fp1", "master", "fixp")
	ip(t, "-n", "fixsw1", "link", "add", "pcf", "type", "bond", "mode", "802.3ad", "miimon", "100", "lacp_rate", "fast")
	ip(t, "-n", "fixsw1", "link", "set", "fq0", "master", "pcf")
	ip(t, "-n", "fixsw1", "link", "set", "fq1", "master", "pcf")
	ip(t, "link", "set", "fixp", "up")
	ip(t, "-n", "fixsw1", "link", "set", "pcf", "up")
	lacpUp(t, "fixp", 2, true)
	before := findingsOf(t, capture(t), "fixp")
	for _, want := range []string{"bond.no-link-monitor", "bond.lacp-rate-slow", "bond.hash-layer2"} {
		if !slices.Contains(before, want) {
			t.Errorf("before the fix: %v, want %s", before, want)
		}
	}

	// The plan's change, typed as bondaudit fix renders it for iproute2.
	miimon := 100
	applyIPRoute2(t, render.IPRoute2Script([]topology.Change{{BondParams: &topology.BondParamsChange{Host: "vm", Bond: "fixp",
		Miimon: &miimon, LACPRate: "fast", XmitHashPolicy: "layer3+4"}}}))

	lacpUp(t, "fixp", 2, true)
	h := sameAsCapture(t, "fixp") // a fresh capture, and the live collector agreeing with it
	b := bondOf(t, h, "fixp")
	if b.MIIMon != 100 || b.LACPRate != "fast" || b.XmitHashPolicy != "layer3+4" || string(b.Mode) != "802.3ad" {
		t.Errorf("after the script: mode %s miimon %d lacp_rate %s hash %s", b.Mode, b.MIIMon, b.LACPRate, b.XmitHashPolicy)
	}
	if after := findingsOf(t, capture(t), "fixp"); len(after) > 0 {
		t.Errorf("after the fix the capture still audits %v (before: %v)", after, before)
	}
	t.Logf("before: %v", before)
}

// TestIPRoute2FixesBondMode: an active-backup bond whose "switch" runs
// LACP on both ports (independent.switch-aggregated, from the LACPDUs the
// slaves hear); the plan's bond_mode change to 802.3ad (with fast LACP and
// layer3+4) applied with ip, then the bond negotiates with its partner and
// a fresh capture, and a live collection listening for LACPDUs, audit
// clean for the bond.
func TestIPRoute2FixesBondMode(t *testing.T) {
	netns(t, "fixsw2")
	pair(t, "fm0", "fn0", "fixsw2")
	pair(t, "fm1", "fn1", "fixsw2")
	ip(t, "link", "add", "fixm", "type", "bond", "mode", "active-backup", "miimon", "100")
	ip(t, "link", "set", "fm0", "master", "fixm")
	ip(t, "link", "set", "fm1", "master", "fixm")
	ip(t, "link", "set", "fixm", "up")
	ip(t, "-n", "fixsw2", "link", "add", "pcm", "type", "bond", "mode", "802.3ad", "miimon", "100", "lacp_rate", "fast")
	ip(t, "-n", "fixsw2", "link", "set", "fn0", "master", "pcm")
	ip(t, "-n", "fixsw2", "link", "set", "fn1", "master", "pcm")
	ip(t, "-n", "fixsw2", "link", "set", "pcm", "up")
	time.Sleep(2 * time.Second)
	before := findingsOf(t, listen(t), "fixm")
	if !slices.Contains(before, "independent.switch-aggregated") {
		t.Errorf("before the fix: %v, want independent.switch-aggregated", before)
	}

	// The plan's changes, typed as bondaudit fix renders them for iproute2
	// (the mode change releases and re-adds the slaves the kernel lists).
	applyIPRoute2(t, render.IPRoute2Script([]topology.Change{
		{BondMode: &topology.BondModeChange{Host: "vm", Bond: "fixm", Mode: "802.3ad"}},
		{BondParams: &topology.BondParamsChange{Host: "vm", Bond: "fixm", LACPRate: "fast", XmitHashPolicy: "layer3+4"}}}))

	lacpUp(t, "fixm", 2, true)
	h := sameAsCapture(t, "fixm")
	b := bondOf(t, h, "fixm")
	if string(b.Mode) != "802.3ad" || len(b.Slaves) != 2 || b.LACPRate != "fast" || b.MIIMon != 100 {
		t.Errorf("after the script: mode %s, %d slaves, lacp_rate %s, miimon %d", b.Mode, len(b.Slaves), b.LACPRate, b.MIIMon)
	}
	if after := findingsOf(t, capture(t), "fixm"); len(after) > 0 {
		t.Errorf("after the fix the capture still audits %v (before: %v)", after, before)
	}
	if after := findingsOf(t, listen(t), "fixm"); len(after) > 0 {
		t.Errorf("after the fix a live collection listening for LACPDUs audits %v (before: %v)", after, before)
	}
	t.Logf("before: %v", before)
}
