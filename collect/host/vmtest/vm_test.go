//go:build vmtest

package vmtest

// These tests run inside the VM (see run_test.go), as root, on a real
// bonding driver: bonds in the root namespace, their "switches" (partner
// bonds or plain veth ends) in network namespaces.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect/host"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
)

func ip(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("/sbin/ip", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// pair makes a veth pair: a in the root namespace, b in namespace ns.
func pair(t *testing.T, a, b, ns string) {
	t.Helper()
	ip(t, "link", "add", a, "type", "veth", "peer", "name", b, "netns", ns)
}

func netns(t *testing.T, name string) {
	t.Helper()
	ip(t, "netns", "add", name)
	ip(t, "-n", name, "link", "set", "lo", "up")
}

// collect runs the live collector and returns the named bond.
func collect(t *testing.T) *topology.Host {
	t.Helper()
	h, problems, err := host.Collect(context.Background(), host.CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Logf("collect problem: %s", p)
	}
	return h
}

func bondOf(t *testing.T, h *topology.Host, name string) *topology.Bond {
	t.Helper()
	for i := range h.Bonds {
		if h.Bonds[i].Name == name {
			return &h.Bonds[i]
		}
	}
	t.Fatalf("bond %s not collected (bonds: %v)", name, h.Bonds)
	return nil
}

// capture takes the same host with stock tools, as a raw capture folder
// (ip -details -json link show, /proc/net/bonding), and reads it back.
func capture(t *testing.T) *topology.Host {
	t.Helper()
	dir := t.TempDir()
	js := ip(t, "-details", "-json", "link", "show")
	os.WriteFile(filepath.Join(dir, "hostname"), []byte("vm\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "ip-link.json"), []byte(js), 0o644)
	os.MkdirAll(filepath.Join(dir, "bonding"), 0o755)
	ents, _ := os.ReadDir("/proc/net/bonding")
	for _, e := range ents {
		b, _ := os.ReadFile(filepath.Join("/proc/net/bonding", e.Name()))
		os.WriteFile(filepath.Join(dir, "bonding", e.Name()), b, 0o644)
	}
	h, problems, err := host.ReadCaptureFS(os.DirFS(dir), ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Logf("capture problem: %s", p)
	}
	return h
}

// essentials is what must agree between the live collector and the
// stock-tool capture of the same kernel state.
type slaveFacts struct {
	Name, MII, PermMAC string
	Agg                int
	Partner            string
}
type bondFacts struct {
	Name, Mode, LACPRate, Hash, Active string
	MIIMon, UpDelay, ARPInterval       int
	Slaves                             []slaveFacts
}

func essentials(b *topology.Bond) bondFacts {
	f := bondFacts{Name: b.Name, Mode: string(b.Mode), LACPRate: b.LACPRate, Hash: b.XmitHashPolicy, Active: b.ActiveSlave,
		MIIMon: b.MIIMon, UpDelay: b.UpDelay, ARPInterval: b.ARPInterval}
	for _, s := range b.Slaves {
		sf := slaveFacts{Name: s.Name, MII: string(s.MIIStatus), PermMAC: s.PermMAC, Agg: s.AggregatorID}
		if s.Partner != nil {
			sf.Partner = topology.NormalizeMAC(s.Partner.System)
		}
		f.Slaves = append(f.Slaves, sf)
	}
	slices.SortFunc(f.Slaves, func(a, b slaveFacts) int { return strings.Compare(a.Name, b.Name) })
	return f
}

func sameAsCapture(t *testing.T, names ...string) *topology.Host {
	t.Helper()
	live, cap := collect(t), capture(t)
	for _, n := range names {
		a, b := essentials(bondOf(t, live, n)), essentials(bondOf(t, cap, n))
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Errorf("bond %s: live collection and capture disagree:\n live    %s\n capture %s", n, ja, jb)
		}
	}
	return live
}

// waitFor polls cond for up to d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(d)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func procBonding(name string) string {
	b, _ := os.ReadFile("/proc/net/bonding/" + name)
	return string(b)
}

// lacpUp waits until every slave of a bond has a partner and, when
// bundled, until actor and partner both report in sync, collecting and
// distributing (port state 61 or 63).
func lacpUp(t *testing.T, bond string, slaves int, bundled bool) {
	t.Helper()
	waitFor(t, 60*time.Second, bond+" LACP negotiation", func() bool {
		s := procBonding(bond)
		partnered := strings.Count(s, "system mac address: 00:00:00:00:00:00") == 0 && strings.Count(s, "details partner lacp pdu") == slaves
		if !partnered || !bundled {
			return partnered
		}
		return strings.Count(s, "port state: 63")+strings.Count(s, "port state: 61") >= 2*slaves
	})
}

func audit(t *testing.T, h *topology.Host) []rules.Finding {
	t.Helper()
	m, err := topology.Build([]*topology.Host{h}, nil, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return rules.Run(m, rules.Params{}, nil)
}

func fired(fs []rules.Finding, bond string) []string {
	var out []string
	for _, f := range fs {
		if f.Bond == bond && !slices.Contains(out, f.Rule) {
			out = append(out, f.Rule)
		}
	}
	slices.Sort(out)
	return out
}

// TestEveryModeMatchesCapture: for every mode the kernel offers, the live
// snapshot agrees with ip -d -j link and /proc/net/bonding.
func TestEveryModeMatchesCapture(t *testing.T) {
	netns(t, "modes")
	var names []string
	for i, mode := range []string{"balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb"} {
		b := fmt.Sprintf("m%d", i)
		pair(t, b+"a", b+"x", "modes")
		pair(t, b+"b", b+"y", "modes")
		ip(t, "link", "add", b, "type", "bond", "mode", mode, "miimon", "100", "updelay", "200")
		ip(t, "link", "set", b+"a", "master", b)
		ip(t, "link", "set", b+"b", "master", b)
		ip(t, "link", "set", b, "up")
		ip(t, "-n", "modes", "link", "set", b+"x", "up")
		ip(t, "-n", "modes", "link", "set", b+"y", "up")
		names = append(names, b)
	}
	time.Sleep(2 * time.Second)
	h := sameAsCapture(t, names...)
	for i, want := range []string{"balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb"} {
		if b := bondOf(t, h, fmt.Sprintf("m%d", i)); string(b.Mode) != want || len(b.Slaves) != 2 || b.MIIMon != 100 || b.UpDelay != 200 {
			t.Errorf("m%d: mode %s, %d slaves, miimon %d, updelay %d", i, b.Mode, len(b.Slaves), b.MIIMon, b.UpDelay)
		}
	}
}

// TestLACPWithRealPartner: an 802.3ad bond facing a real LACP partner.
func TestLACPWithRealPartner(t *testing.T) {
	netns(t, "sw1")
	pair(t, "l0", "s0", "sw1")
	pair(t, "l1", "s1", "sw1")
	ip(t, "link", "add", "lacp0", "type", "bond", "mode", "802.3ad", "miimon", "100", "lacp_rate", "fast", "xmit_hash_policy", "layer3+4")
	ip(t, "link", "set", "l0", "master", "lacp0")
	ip(t, "link", "set", "l1", "master", "lacp0")
	ip(t, "-n", "sw1", "link", "add", "pc1", "type", "bond", "mode", "802.3ad", "miimon", "100", "lacp_rate", "fast")
	ip(t, "-n", "sw1", "link", "set", "s0", "master", "pc1")
	ip(t, "-n", "sw1", "link", "set", "s1", "master", "pc1")
	ip(t, "link", "set", "lacp0", "up")
	ip(t, "-n", "sw1", "link", "set", "pc1", "up")
	lacpUp(t, "lacp0", 2, true)
	h := sameAsCapture(t, "lacp0")
	b := bondOf(t, h, "lacp0")
	var pcMAC struct {
		Address string `json:"address"`
	}
	var arr []json.RawMessage
	json.Unmarshal([]byte(ip(t, "-n", "sw1", "-j", "link", "show", "pc1")), &arr)
	json.Unmarshal(arr[0], &pcMAC)
	for _, s := range b.Slaves {
		if s.Partner == nil || topology.NormalizeMAC(s.Partner.System) != topology.NormalizeMAC(pcMAC.Address) || s.AggregatorID != b.Slaves[0].AggregatorID {
			t.Errorf("slave %s: partner %+v aggregator %d, want partner %s and one aggregator", s.Name, s.Partner, s.AggregatorID, pcMAC.Address)
		}
		if s.Actor == nil || s.Actor.State&topology.LACPDistributing == 0 {
			t.Errorf("slave %s not distributing: %+v", s.Name, s.Actor)
		}
	}
	if b.LACPRate != "fast" || b.XmitHashPolicy != "layer3+4" || b.ActiveAggregator == nil {
		t.Errorf("lacp0: rate %s hash %s aggregator %+v", b.LACPRate, b.XmitHashPolicy, b.ActiveAggregator)
	}
	for _, r := range []string{"lacp.no-partner", "lacp.aggregator-split", "lacp.not-synced", "lacp.partner-mismatch"} {
		if slices.Contains(fired(audit(t, h), "lacp0"), r) {
			t.Errorf("%s fired on a healthy LACP bond", r)
		}
	}
}

// TestActiveBackupFailover: the active slave's far end goes down; the
// bond fails over and the snapshot and audit say so.
func TestActiveBackupFailover(t *testing.T) {
	netns(t, "sw2")
	pair(t, "a0", "t0", "sw2")
	pair(t, "a1", "t1", "sw2")
	ip(t, "link", "add", "ab0", "type", "bond", "mode", "active-backup", "miimon", "100", "primary", "a0")
	ip(t, "link", "set", "a0", "master", "ab0")
	ip(t, "link", "set", "a1", "master", "ab0")
	ip(t, "link", "set", "ab0", "up")
	ip(t, "-n", "sw2", "link", "set", "t0", "up")
	ip(t, "-n", "sw2", "link", "set", "t1", "up")
	waitFor(t, 10*time.Second, "a0 active", func() bool { return strings.Contains(procBonding("ab0"), "Currently Active Slave: a0") })
	ip(t, "-n", "sw2", "link", "set", "t0", "down")
	waitFor(t, 10*time.Second, "failover to a1", func() bool { return strings.Contains(procBonding("ab0"), "Currently Active Slave: a1") })
	h := sameAsCapture(t, "ab0")
	b := bondOf(t, h, "ab0")
	if b.ActiveSlave != "a1" {
		t.Errorf("active slave %q, want a1", b.ActiveSlave)
	}
	for _, s := range b.Slaves {
		if s.Name == "a0" && s.MIIStatus != "down" {
			t.Errorf("a0 MII %q, want down", s.MIIStatus)
		}
	}
	if got := fired(audit(t, h), "ab0"); !slices.Contains(got, "bond.slave-down") {
		t.Errorf("audit after failover: %v, want bond.slave-down", got)
	}
}

// TestSplitAndMLAGLikePartners: an 802.3ad bond with legs to two different
// partners reports lacp.aggregator-split; one whose two partners share an
// ad_actor_system (an MLAG pair) reports nothing of the kind.
func TestSplitAndMLAGLikePartners(t *testing.T) {
	for _, ns := range []string{"swa", "swb", "swc", "swd"} {
		netns(t, ns)
	}
	partner := func(ns, port, bond string, extra ...string) {
		args := append([]string{"-n", ns, "link", "add", bond, "type", "bond", "mode", "802.3ad", "miimon", "100", "lacp_rate", "fast"}, extra...)
		ip(t, args...)
		ip(t, "-n", ns, "link", "set", port, "master", bond)
		ip(t, "-n", ns, "link", "set", bond, "up")
	}
	mk := func(bond string, legs [2][2]string, extra ...string) {
		ip(t, "link", "add", bond, "type", "bond", "mode", "802.3ad", "miimon", "100", "lacp_rate", "fast")
		for i, leg := range legs {
			local := fmt.Sprintf("%s%d", bond, i)
			pair(t, local, leg[1], leg[0])
			ip(t, "link", "set", local, "master", bond)
			partner(leg[0], leg[1], "pb"+bond, extra...)
		}
		ip(t, "link", "set", bond, "up")
	}
	mk("split", [2][2]string{{"swa", "pa"}, {"swb", "pb"}})
	mk("mlag", [2][2]string{{"swc", "pc"}, {"swd", "pd"}}, "ad_actor_system", "02:00:5e:10:00:01")
	lacpUp(t, "split", 2, false)
	lacpUp(t, "mlag", 2, true)
	h := sameAsCapture(t, "split", "mlag")
	fs := audit(t, h)
	if got := fired(fs, "split"); !slices.Contains(got, "lacp.aggregator-split") {
		t.Errorf("split bond: %v, want lacp.aggregator-split", got)
	}
	for _, r := range []string{"lacp.aggregator-split", "lacp.partner-mismatch", "lacp.not-synced", "lacp.no-partner"} {
		if slices.Contains(fired(fs, "mlag"), r) {
			t.Errorf("MLAG-like pair: %s fired", r)
		}
	}
	t.Logf("split: %v; mlag: %v", fired(fs, "split"), fired(fs, "mlag"))
}

// TestActiveBackupFacingLACP: an active-backup bond cabled to ports that
// run LACP (a partner 802.3ad bond). Listening on the slaves hears the
// LACPDUs, and a host-only audit reports independent.switch-aggregated
// with the LACPDU as evidence.
func TestActiveBackupFacingLACP(t *testing.T) {
	netns(t, "sw9")
	pair(t, "k0", "q0", "sw9")
	pair(t, "k1", "q1", "sw9")
	ip(t, "link", "add", "abl", "type", "bond", "mode", "active-backup", "miimon", "100")
	ip(t, "link", "set", "k0", "master", "abl")
	ip(t, "link", "set", "k1", "master", "abl")
	ip(t, "link", "set", "abl", "up")
	ip(t, "-n", "sw9", "link", "add", "pc9", "type", "bond", "mode", "802.3ad", "miimon", "100", "lacp_rate", "fast")
	ip(t, "-n", "sw9", "link", "set", "q0", "master", "pc9")
	ip(t, "-n", "sw9", "link", "set", "q1", "master", "pc9")
	ip(t, "-n", "sw9", "link", "set", "pc9", "up")
	time.Sleep(2 * time.Second)
	h, problems, err := host.Collect(context.Background(), host.CollectOptions{Listen: 4 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Logf("collect problem: %s", p)
	}
	heard := map[string]bool{}
	for _, n := range h.Neighbours {
		if n.Protocol == topology.ProtoLACP && n.LACP != nil {
			heard[n.LocalPort] = true
		}
	}
	if !heard["k0"] || !heard["k1"] {
		t.Fatalf("LACPDUs heard on %v, want k0 and k1", heard)
	}
	var ev []string
	for _, f := range audit(t, h) {
		if f.Bond == "abl" && f.Rule == "independent.switch-aggregated" {
			ev = append(ev, f.Evidence...)
		}
	}
	if !strings.Contains(strings.Join(ev, "\n"), "heard LACPDUs from system") {
		t.Errorf("no independent.switch-aggregated with LACPDU evidence for abl: %q", ev)
	}
}
