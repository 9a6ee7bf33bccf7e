package collect_test

// Rule tests from real-format inputs: each case builds a small site with
// the sitegen model (so hosts and switches agree the way real devices do),
// writes it as raw capture folders and snmprec walks, optionally edits
// the written text the way a real device would print a fault the
// generator does not model, then runs the whole offline pipeline
// (collect.LoadSite → topology.Build → rules.Run) on the files.

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/collect/snmp"
	sg "github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

// edit replaces the n-th (1-based; 0 = every) occurrence of old by new in
// one written file.
type edit struct {
	file     string // relative to the site folder
	old, new string
	n        int
}

// lab is a small site under construction: an Arista MLAG pair (leafa,
// leafb), a standalone Arista leaf (leafc) and a Cisco access switch
// (access).
type lab struct {
	s                        *sg.Site
	leafa, leafb, leafc, acc *sg.Switch
	nextNIC                  uint64
	// previous is the previous run's inventory the audit compares with
	// (map.host-missing, map.switch-missing); nil for none.
	previous *topology.Inventory
}

func newLab() *lab {
	s := &sg.Site{}
	l := &lab{s: s}
	leaf := func(name string, id int) *sg.Switch {
		return s.NewSwitch(sg.SwitchSpec{Name: name, Vendor: sg.Arista, ID: id, Ports: 52, UplinkFrom: 49, UplinkSpeed: 100000})
	}
	l.leafa, l.leafb, l.leafc = leaf("leafa", 1), leaf("leafb", 2), leaf("leafc", 3)
	l.acc = s.NewSwitch(sg.SwitchSpec{Name: "access", Vendor: sg.CiscoIOS, ID: 4, Ports: 48})
	sg.PairMLAG(l.leafa, l.leafb, sg.MACFromUint64(0x021c73aabb01), 1000,
		[]*sg.Port{l.leafa.Port("Ethernet49"), l.leafa.Port("Ethernet50")},
		[]*sg.Port{l.leafb.Port("Ethernet49"), l.leafb.Port("Ethernet50")})
	// A spare LACP port-channel on leafc (uncabled members): like most
	// switches, leafc runs LACP somewhere, so its LAG MIB is populated.
	l.leafc.AddLAG(47, true, false, 1, l.leafc.Port("Ethernet47"), l.leafc.Port("Ethernet48"))
	return l
}

// host adds a host with one NIC per port (nil = not cabled), all of spec.
func (l *lab) host(name string, spec sg.NICSpec, ports ...*sg.Port) (*sg.Host, []*sg.NIC) {
	h := l.s.NewHost(name, sg.Debian12)
	var nics []*sg.NIC
	for i, p := range ports {
		l.nextNIC++
		nics = append(nics, h.AddNIC(fmt.Sprintf("ens1f%d", i), spec, sg.MACFromUint64(0xb8cef6000000+l.nextNIC), fmt.Sprintf("0000:3b:00.%d", i), p))
	}
	return h, nics
}

func lacpBond() *sg.Bond {
	return &sg.Bond{Name: "bond0", Mode: sg.Mode8023AD, MIIMon: 100, LACPRate: "fast", XmitHashPolicy: "layer3+4"}
}

func abBond() *sg.Bond { return &sg.Bond{Name: "bond0", Mode: sg.ModeAB, MIIMon: 100} }

func xorBond() *sg.Bond {
	return &sg.Bond{Name: "bond0", Mode: sg.ModeXOR, MIIMon: 100, XmitHashPolicy: "layer3+4"}
}

// healthy adds the correct builds: LACP on an MLAG port-channel, active-backup
// on plain ports of the pair, balance-xor on a static MLAG port-channel.
func (l *lab) healthy() {
	h, n := l.host("good-lacp", sg.ConnectX25G, l.leafa.Port("Ethernet10"), l.leafb.Port("Ethernet10"))
	h.AddBond(lacpBond(), n...)
	l.leafa.AddLAG(10, true, true, 10, n[0].Port)
	l.leafb.AddLAG(10, true, true, 10, n[1].Port)

	h, n = l.host("good-ab", sg.ConnectX25G, l.leafa.Port("Ethernet11"), l.leafb.Port("Ethernet11"))
	h.AddBond(abBond(), n...)

	h, n = l.host("good-xor", sg.ConnectX25G, l.leafa.Port("Ethernet12"), l.leafb.Port("Ethernet12"))
	h.AddBond(xorBond(), n...)
	l.leafa.AddLAG(12, false, true, 10, n[0].Port)
	l.leafb.AddLAG(12, false, true, 10, n[1].Port)
}

// audit writes the lab's site, applies edits, and audits the files.
func (l *lab) audit(t *testing.T, edits ...edit) ([]rules.Finding, *collect.Site) {
	t.Helper()
	return l.auditPost(t, edits, nil)
}

// auditPost is audit with post-processing steps after the edits.
func (l *lab) auditPost(t *testing.T, edits []edit, post []func(t *testing.T, dir string)) ([]rules.Finding, *collect.Site) {
	t.Helper()
	if err := l.s.Resolve(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := sg.WriteSite(dir, l.s); err != nil {
		t.Fatal(err)
	}
	for _, e := range edits {
		applyEdit(t, dir, e)
	}
	for _, p := range post {
		p(t, dir)
	}
	return auditDirWith(t, dir, l.previous)
}

// setOID sets (or adds) one varbind in a written snmprec walk, the way a
// device in that state would have answered.
func setOID(sw, oid, typ, value string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		p := filepath.Join(dir, "switches", sw+".snmprec")
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		found := false
		for i, ln := range lines {
			if strings.HasPrefix(ln, oid+"|") {
				lines[i] = oid + "|" + typ + "|" + value
				found = true
			}
		}
		if !found {
			lines = append(lines, oid+"|"+typ+"|"+value)
		}
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// removeFile drops a written input file.
func removeFile(rel string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(rel))); err != nil {
			t.Fatal(err)
		}
	}
}

// unreachableHost replaces a host's capture by the snapshot collect hosts
// writes for a host it could not reach.
func unreachableHost(name, why string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		if err := os.RemoveAll(filepath.Join(dir, "hosts", name)); err != nil {
			t.Fatal(err)
		}
		h := &topology.Host{Name: name, Source: "collect hosts", Collected: time.Now().UTC().Format(time.RFC3339), Unreachable: true, Error: why}
		if err := topology.SaveSnapshot(filepath.Join(dir, "hosts", name+".json"), h); err != nil {
			t.Fatal(err)
		}
	}
}

// asSnapshot replaces a switch's snmprec by the JSON snapshot that
// "bondaudit collect switches" would write for it, after mutate: the way
// to state facts that only vendor MIBs carry (issue 4's decoders).
func asSnapshot(sw string, mutate func(*topology.Switch)) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		p := filepath.Join(dir, "switches", sw+".snmprec")
		w, errs, err := snmp.ReadWalkFile(p)
		if err != nil || len(errs) > 0 {
			t.Fatalf("read %s: %v %v", p, err, errs)
		}
		s, _ := vendors.Decode(w, sw)
		mutate(s)
		if err := topology.SaveSnapshot(filepath.Join(dir, "switches", sw+".json"), s); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
	}
}

func applyEdit(t *testing.T, dir string, e edit) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(e.file))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("edit: %v", err)
	}
	s := string(b)
	if !strings.Contains(s, e.old) {
		t.Fatalf("edit: %s does not contain %q", e.file, e.old)
	}
	if e.n == 0 {
		s = strings.ReplaceAll(s, e.old, e.new)
	} else {
		at := -1
		for i := 0; i < e.n; i++ {
			j := strings.Index(s[at+1:], e.old)
			if j < 0 {
				t.Fatalf("edit: %s has fewer than %d occurrences of %q", e.file, e.n, e.old)
			}
			at += 1 + j
		}
		s = s[:at] + e.new + s[at+len(e.old):]
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func auditDir(t *testing.T, dir string) ([]rules.Finding, *collect.Site) {
	t.Helper()
	return auditDirWith(t, dir, nil)
}

// auditDirWith audits the site in dir now (the files' times are the
// capture times), against the previous run's inventory prev.
func auditDirWith(t *testing.T, dir string, prev *topology.Inventory) ([]rules.Finding, *collect.Site) {
	t.Helper()
	site, err := collect.LoadSite(os.DirFS(dir), filepath.Base(dir), collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{Previous: prev})
	if err != nil {
		t.Fatal(err)
	}
	return rules.Run(m, rules.Params{Now: time.Now()}, nil), site
}

// age sets the modification time of every file under rel (a file or a
// folder of the site) back by d: a capture that stopped arriving.
func age(rel string, d time.Duration) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		mt := time.Now().Add(-d)
		err := filepath.WalkDir(filepath.Join(dir, filepath.FromSlash(rel)), func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			return os.Chtimes(p, mt, mt)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func describe(fs []rules.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "\n  %s %s %s/%s %s %s/%s: %s", f.Severity, f.Rule, f.Host, f.Bond, f.NIC, f.Switch, f.Port, f.Message)
	}
	return b.String()
}

// find returns the findings of rule for host ("" = any host).
func find(fs []rules.Finding, rule, host string) []rules.Finding {
	var out []rules.Finding
	for _, f := range fs {
		if f.Rule == rule && (host == "" || f.Host == host) {
			out = append(out, f)
		}
	}
	return out
}

// TestHealthySiteIsQuiet: the correct builds, written in the raw formats,
// produce no finding and no read problem at all. Every no-fire case below
// adds to this baseline.
func TestHealthySiteIsQuiet(t *testing.T) {
	l := newLab()
	l.healthy()
	fs, site := l.audit(t)
	if len(fs) > 0 {
		t.Errorf("healthy site has findings:%s", describe(fs))
	}
	if len(site.Problems) > 0 {
		t.Errorf("healthy site has read problems:\n  %s", strings.Join(topology.ProblemTexts(site.Problems), "\n  "))
	}
	if len(site.Hosts) != 3 || len(site.Switches) != 4 {
		t.Errorf("read %d hosts, %d switches; want 3, 4", len(site.Hosts), len(site.Switches))
	}
}

// ruleCase is a site where rule must fire for host (fire) or must stay
// silent for the whole site (!fire).
type ruleCase struct {
	name     string
	rule     string
	fire     bool
	severity rules.Severity // checked when fire and non-zero (Info is 0: use sevSet)
	sevSet   bool
	build    func(l *lab) // adds the host "x" (and whatever it needs)
	edits    []edit
	// post changes the written site where an edit is not enough (set an
	// OID's value, append rows, drop a file, re-save a switch as JSON).
	post []func(t *testing.T, dir string)
	// onSwitch: the rule's findings are about this switch (switch-only
	// rules), not about host x.
	onSwitch string
	// alsoHosts may have findings of the rule besides x.
	alsoHosts []string
}

func bondFile(host string) string { return "hosts/" + host + "/bonding/bond0" }

func ruleCases() []ruleCase {
	onPair := func(b func() *sg.Bond, mutate func(*sg.Bond)) func(l *lab) {
		return func(l *lab) {
			h, n := l.host("x", sg.ConnectX25G, l.leafa.Port("Ethernet20"), l.leafb.Port("Ethernet20"))
			bd := b()
			if mutate != nil {
				mutate(bd)
			}
			h.AddBond(bd, n...)
			if bd.Mode == sg.Mode8023AD {
				l.leafa.AddLAG(20, true, true, 10, n[0].Port)
				l.leafb.AddLAG(20, true, true, 10, n[1].Port)
			}
		}
	}
	bridged := func(b func() *sg.Bond, mutate func(*sg.Bond)) func(l *lab) {
		return func(l *lab) {
			onPair(b, mutate)(l)
			h := l.s.Hosts[len(l.s.Hosts)-1]
			h.AddBridge("br0", h.Bonds[0])
		}
	}
	// Two ports of one switch, in LAG kind: "" none, "lacp", "static".
	oneSwitch := func(b func() *sg.Bond, lag string) func(l *lab) {
		return func(l *lab) {
			h, n := l.host("x", sg.ConnectX25G, l.leafc.Port("Ethernet20"), l.leafc.Port("Ethernet21"))
			h.AddBond(b(), n...)
			switch lag {
			case "lacp":
				l.leafc.AddLAG(20, true, false, 10, n[0].Port, n[1].Port)
			case "static":
				l.leafc.AddLAG(20, false, false, 10, n[0].Port, n[1].Port)
			}
		}
	}
	// One slave on the pair's leafa, one on the standalone leafc, a local
	// port-channel of kind lag on each.
	split := func(b func() *sg.Bond, lacp bool) func(l *lab) {
		return func(l *lab) {
			h, n := l.host("x", sg.ConnectX25G, l.leafa.Port("Ethernet20"), l.leafc.Port("Ethernet20"))
			h.AddBond(b(), n...)
			l.leafa.AddLAG(20, lacp, false, 10, n[0].Port)
			l.leafc.AddLAG(20, lacp, false, 10, n[1].Port)
		}
	}
	// Two LACP port-channels on one switch, one slave in each.
	twoLAGs := func(l *lab) {
		h, n := l.host("x", sg.ConnectX25G, l.leafc.Port("Ethernet20"), l.leafc.Port("Ethernet21"))
		h.AddBond(lacpBond(), n...)
		l.leafc.AddLAG(20, true, false, 10, n[0].Port)
		l.leafc.AddLAG(21, true, false, 10, n[1].Port)
	}
	set := func(f func(*sg.Bond)) func(*sg.Bond) { return f }
	onAccess := func(b func() *sg.Bond, ports ...string) func(l *lab) {
		return func(l *lab) {
			var ps []*sg.Port
			for _, p := range ports {
				ps = append(ps, l.acc.Port(p))
			}
			h, n := l.host("x", sg.ConnectX25G, ps...)
			h.AddBond(b(), n...)
		}
	}

	return []ruleCase{
		// Host bond configuration.
		{name: "ab without miimon", rule: "bond.no-link-monitor", fire: true, severity: rules.Error,
			build: onPair(abBond, set(func(b *sg.Bond) { b.MIIMon = 0 }))},
		{name: "ab with arp monitor", rule: "bond.no-link-monitor",
			build: onPair(abBond, set(func(b *sg.Bond) { b.MIIMon = 0; b.ARPInterval = 1000; b.ARPTargets = []string{"192.0.2.1"} }))},
		{name: "arp without targets", rule: "bond.arp-no-targets", fire: true, severity: rules.Error,
			build: onPair(abBond, set(func(b *sg.Bond) { b.MIIMon = 0; b.ARPInterval = 1000 }))},
		{name: "arp with targets", rule: "bond.arp-no-targets",
			build: onPair(abBond, set(func(b *sg.Bond) {
				b.MIIMon = 0
				b.ARPInterval = 1000
				b.ARPTargets = []string{"192.0.2.1", "192.0.2.2"}
			}))},
		{name: "arp monitor in bridge", rule: "bond.arp-monitor-in-bridge", fire: true, severity: rules.Error,
			build: bridged(abBond, set(func(b *sg.Bond) { b.MIIMon = 0; b.ARPInterval = 1000; b.ARPTargets = []string{"192.0.2.1"} }))},
		{name: "miimon in bridge", rule: "bond.arp-monitor-in-bridge", build: bridged(abBond, nil)},
		{name: "arp monitor outside bridge", rule: "bond.arp-monitor-in-bridge",
			build: onPair(abBond, set(func(b *sg.Bond) { b.MIIMon = 0; b.ARPInterval = 1000; b.ARPTargets = []string{"192.0.2.1"} }))},
		{name: "alb in bridge", rule: "bond.alb-in-bridge", fire: true, severity: rules.Error,
			build: bridged(abBond, set(func(b *sg.Bond) { b.Mode = sg.ModeALB }))},
		{name: "alb outside bridge", rule: "bond.alb-in-bridge", build: onPair(abBond, set(func(b *sg.Bond) { b.Mode = sg.ModeALB }))},
		{name: "lacp in bridge", rule: "bond.alb-in-bridge", build: bridged(lacpBond, nil)},
		{name: "one slave", rule: "bond.single-slave", fire: true, severity: rules.Warning,
			build: func(l *lab) {
				h, n := l.host("x", sg.ConnectX25G, l.leafa.Port("Ethernet20"))
				h.AddBond(abBond(), n...)
			}},
		{name: "two slaves", rule: "bond.single-slave", build: onPair(abBond, nil)},
		{name: "one slave down", rule: "bond.slave-down", fire: true, severity: rules.Warning,
			build: func(l *lab) { onPair(abBond, nil)(l); l.s.Hosts[len(l.s.Hosts)-1].NICs[1].Down = true }},
		{name: "every slave down", rule: "bond.slave-down", fire: true, severity: rules.Error,
			build: func(l *lab) {
				onPair(abBond, nil)(l)
				for _, n := range l.s.Hosts[len(l.s.Hosts)-1].NICs {
					n.Down = true
				}
			}},
		{name: "every slave up", rule: "bond.slave-down", build: onPair(abBond, nil)},
		{name: "flapping slave", rule: "bond.slave-flapping", fire: true, severity: rules.Warning,
			build: onPair(abBond, nil), edits: []edit{{file: bondFile("x"), old: "Link Failure Count: 0", new: "Link Failure Count: 7", n: 2}}},
		{name: "two link failures", rule: "bond.slave-flapping",
			build: onPair(abBond, nil), edits: []edit{{file: bondFile("x"), old: "Link Failure Count: 0", new: "Link Failure Count: 2", n: 2}}},
		{name: "slaves at 25G and 10G", rule: "bond.speed-mismatch", fire: true, severity: rules.Error,
			build: func(l *lab) {
				onPair(lacpBond, nil)(l)
				n := l.s.Hosts[len(l.s.Hosts)-1].NICs[1]
				n.Speed, n.Port.Speed = 10000, 10000
			}},
		{name: "slaves at 25G and 10G, active-backup", rule: "bond.speed-mismatch", fire: true, severity: rules.Warning,
			build: func(l *lab) {
				onPair(abBond, nil)(l)
				n := l.s.Hosts[len(l.s.Hosts)-1].NICs[1]
				n.Speed, n.Port.Speed = 10000, 10000
			}},
		{name: "same speed", rule: "bond.speed-mismatch", build: onPair(lacpBond, nil)},
		{name: "half duplex", rule: "bond.half-duplex", fire: true, severity: rules.Error,
			build: onPair(abBond, nil), edits: []edit{{file: bondFile("x"), old: "Duplex: full", new: "Duplex: half", n: 2}}},
		{name: "full duplex", rule: "bond.half-duplex", build: onPair(abBond, nil)},
		{name: "updelay 150 on miimon 100", rule: "bond.delay-not-multiple", fire: true, sevSet: true, severity: rules.Info,
			build: onPair(abBond, set(func(b *sg.Bond) { b.UpDelay = 150 }))},
		{name: "updelay 200 on miimon 100", rule: "bond.delay-not-multiple",
			build: onPair(abBond, set(func(b *sg.Bond) { b.UpDelay = 200; b.DownDelay = 100 }))},
		{name: "lacp rate slow", rule: "bond.lacp-rate-slow", fire: true, sevSet: true, severity: rules.Info,
			build: onPair(lacpBond, set(func(b *sg.Bond) { b.LACPRate = "slow" }))},
		{name: "lacp rate fast", rule: "bond.lacp-rate-slow", build: onPair(lacpBond, nil)},
		{name: "802.3ad layer2 hash", rule: "bond.hash-layer2", fire: true, sevSet: true, severity: rules.Info,
			build: onPair(lacpBond, set(func(b *sg.Bond) { b.XmitHashPolicy = "layer2" }))},
		{name: "active-backup layer2 hash", rule: "bond.hash-layer2",
			build: onPair(abBond, set(func(b *sg.Bond) { b.XmitHashPolicy = "layer2" }))},

		// LACP state seen from the host.
		{name: "lacp on plain ports", rule: "lacp.no-partner", fire: true, severity: rules.Error, build: oneSwitch(lacpBond, "")},
		{name: "lacp on a port-channel", rule: "lacp.no-partner", build: oneSwitch(lacpBond, "lacp")},
		{name: "lacp on two switches", rule: "lacp.partner-mismatch", fire: true, severity: rules.Error, build: split(lacpBond, true)},
		{name: "lacp on an mlag pair", rule: "lacp.partner-mismatch", build: onPair(lacpBond, nil)},
		{name: "lacp on two port-channels of one switch", rule: "lacp.partner-key-mismatch", fire: true, severity: rules.Error, build: twoLAGs},
		{name: "lacp on one port-channel", rule: "lacp.partner-key-mismatch", build: oneSwitch(lacpBond, "lacp")},
		{name: "aggregators split", rule: "lacp.aggregator-split", fire: true, severity: rules.Error, build: split(lacpBond, true)},
		{name: "one aggregator", rule: "lacp.aggregator-split", build: onPair(lacpBond, nil)},
		{name: "defaulted partner", rule: "lacp.not-synced", fire: true, severity: rules.Error, build: oneSwitch(lacpBond, "")},
		{name: "in sync", rule: "lacp.not-synced", build: onPair(lacpBond, nil)},
		{name: "churned", rule: "lacp.churn", fire: true, severity: rules.Warning, build: split(lacpBond, true)},
		{name: "no churn", rule: "lacp.churn", build: onPair(lacpBond, nil)},
		{name: "churn monitoring is not churned", rule: "lacp.churn", build: onPair(lacpBond, nil),
			edits: []edit{{file: bondFile("x"), old: "Actor Churn State: none", new: "Actor Churn State: monitoring", n: 1}}},

		// Host against switch.
		{name: "lacp, no port-channel", rule: "lacp.switch-not-aggregated", fire: true, severity: rules.Error, build: oneSwitch(lacpBond, "")},
		{name: "lacp, lacp port-channel", rule: "lacp.switch-not-aggregated", build: oneSwitch(lacpBond, "lacp")},
		{name: "lacp, static port-channel", rule: "lacp.switch-static-lag", fire: true, severity: rules.Error, build: oneSwitch(lacpBond, "static")},
		{name: "lacp, lacp port-channel (static)", rule: "lacp.switch-static-lag", build: oneSwitch(lacpBond, "lacp")},
		{name: "lacp, member individual", rule: "lacp.switch-port-not-bundled", fire: true, severity: rules.Error, build: split(lacpBond, true)},
		{name: "lacp, members bundled", rule: "lacp.switch-port-not-bundled", build: onPair(lacpBond, nil)},
		{name: "lacp split over two switches' port-channels", rule: "lacp.split-across-lags", fire: true, severity: rules.Error, build: split(lacpBond, true)},
		{name: "lacp split over two port-channels of one switch", rule: "lacp.split-across-lags", fire: true, severity: rules.Error, build: twoLAGs},
		{name: "lacp on one mlag port-channel", rule: "lacp.split-across-lags", build: onPair(lacpBond, nil)},
		{name: "lacp on two switches, no mlag", rule: "lacp.multi-switch-no-mlag", fire: true, severity: rules.Error, build: split(lacpBond, true)},
		{name: "lacp on an mlag pair (multi)", rule: "lacp.multi-switch-no-mlag", build: onPair(lacpBond, nil)},
		{name: "xor, no port-channel", rule: "static.switch-not-aggregated", fire: true, severity: rules.Error, build: oneSwitch(xorBond, "")},
		{name: "xor, static port-channel", rule: "static.switch-not-aggregated", build: oneSwitch(xorBond, "static")},
		{name: "xor, lacp port-channel", rule: "static.switch-lacp-lag", fire: true, severity: rules.Error, build: oneSwitch(xorBond, "lacp")},
		{name: "xor, static port-channel (lacp)", rule: "static.switch-lacp-lag", build: oneSwitch(xorBond, "static")},
		{name: "xor on two switches, no mlag", rule: "static.multi-switch-no-mlag", fire: true, severity: rules.Error, build: split(xorBond, false)},
		{name: "xor on a static mlag port-channel", rule: "static.multi-switch-no-mlag", build: func(l *lab) {}},
		{name: "active-backup on an lacp port-channel", rule: "independent.switch-aggregated", fire: true, severity: rules.Error, build: oneSwitch(abBond, "lacp")},
		{name: "active-backup on a static port-channel", rule: "independent.switch-aggregated", fire: true, severity: rules.Error, build: oneSwitch(abBond, "static")},
		{name: "active-backup on plain ports", rule: "independent.switch-aggregated", build: oneSwitch(abBond, "")},
		// Host-only: the switch is not in the site; its LLDP link-aggregation
		// TLV, heard by the host, is the evidence.
		{name: "host-only: LLDP says the port is aggregated", rule: "independent.switch-aggregated", fire: true, severity: rules.Error,
			build: oneSwitch(abBond, "static"), post: []func(*testing.T, string){removeFile("switches/leafc.snmprec")}},
		{name: "host-only: LACPDUs heard on the slaves (l2.pcap)", rule: "independent.switch-aggregated", fire: true, severity: rules.Error,
			build: onPair(abBond, nil), post: []func(*testing.T, string){removeFile("switches/leafa.snmprec"), removeFile("switches/leafb.snmprec"),
				lacpduPcap("x", "ens1f0", "ens1f1")}},
		{name: "host-only: LLDP says the port is not aggregated", rule: "independent.switch-aggregated",
			build: oneSwitch(abBond, ""), post: []func(*testing.T, string){removeFile("switches/leafc.snmprec")}},
		{name: "active-backup on one switch", rule: "redundancy.single-switch", fire: true, severity: rules.Warning, build: oneSwitch(abBond, "")},
		{name: "lacp on one switch", rule: "redundancy.single-switch", fire: true, sevSet: true, severity: rules.Info, build: oneSwitch(lacpBond, "lacp")},
		{name: "active-backup on two switches", rule: "redundancy.single-switch", build: onPair(abBond, nil)},

		// The rest of the catalogue (issue 3).
		{name: "balance-rr in a bridge", rule: "bond.mode-in-bridge", fire: true, severity: rules.Warning,
			build: bridged(xorBond, set(func(b *sg.Bond) { b.Mode = sg.ModeRR }))},
		{name: "balance-tlb in a bridge", rule: "bond.mode-in-bridge", fire: true, sevSet: true, severity: rules.Info,
			build: bridged(abBond, set(func(b *sg.Bond) { b.Mode = sg.ModeTLB }))},
		{name: "active-backup in a bridge", rule: "bond.mode-in-bridge", build: bridged(abBond, nil)},
		{name: "balance-rr outside a bridge", rule: "bond.mode-in-bridge", build: onPair(xorBond, set(func(b *sg.Bond) { b.Mode = sg.ModeRR }))},
		{name: "arp monitor on 802.3ad", rule: "bond.arp-monitor-wrong-mode", fire: true, severity: rules.Warning,
			build: onPair(lacpBond, set(func(b *sg.Bond) { b.MIIMon, b.ARPInterval, b.ARPTargets = 0, 1000, []string{"10.0.0.1"} }))},
		{name: "arp monitor and miimon", rule: "bond.arp-monitor-wrong-mode", fire: true, severity: rules.Warning,
			build: onPair(abBond, set(func(b *sg.Bond) { b.ARPInterval, b.ARPTargets = 1000, []string{"10.0.0.1"} }))},
		{name: "arp monitor alone on active-backup", rule: "bond.arp-monitor-wrong-mode",
			build: onPair(abBond, set(func(b *sg.Bond) { b.MIIMon, b.ARPInterval, b.ARPTargets = 0, 1000, []string{"10.0.0.1"} }))},
		{name: "two hosts in one port-channel", rule: "lacp.shared-partner", fire: true, severity: rules.Error, alsoHosts: []string{"y"},
			build: func(l *lab) {
				h, n := l.host("x", sg.ConnectX25G, l.leafc.Port("Ethernet20"), l.leafc.Port("Ethernet21"))
				h.AddBond(lacpBond(), n...)
				hy, ny := l.host("y", sg.ConnectX25G, l.leafc.Port("Ethernet22"), l.leafc.Port("Ethernet23"))
				hy.AddBond(lacpBond(), ny...)
				l.leafc.AddLAG(20, true, false, 10, n[0].Port, n[1].Port, ny[0].Port, ny[1].Port)
			}},
		{name: "each host its own port-channel", rule: "lacp.shared-partner",
			build: func(l *lab) {
				onPair(lacpBond, nil)(l)
				hy, ny := l.host("y", sg.ConnectX25G, l.leafc.Port("Ethernet22"), l.leafc.Port("Ethernet23"))
				hy.AddBond(lacpBond(), ny...)
				l.leafc.AddLAG(22, true, false, 10, ny[0].Port, ny[1].Port)
			}},
		{name: "lacp_active off facing a passive port-channel", rule: "lacp.both-passive", fire: true, severity: rules.Error,
			build: oneSwitch(lacpBond, "lacp"),
			edits: []edit{{file: bondFile("x"), old: "LACP active: on", new: "LACP active: off"},
				{file: "hosts/x/ip-link.json", old: `"ad_lacp_active":"on"`, new: `"ad_lacp_active":"off"`}},
			post: []func(*testing.T, string){asSnapshot("leafc", passivePorts("Ethernet20", "Ethernet21"))}},
		{name: "lacp_active on facing a passive port-channel", rule: "lacp.both-passive",
			build: oneSwitch(lacpBond, "lacp"),
			post:  []func(*testing.T, string){asSnapshot("leafc", passivePorts("Ethernet20", "Ethernet21"))}},
		{name: "lacp_active off facing an active port-channel", rule: "lacp.both-passive",
			build: oneSwitch(lacpBond, "lacp"),
			edits: []edit{{file: bondFile("x"), old: "LACP active: on", new: "LACP active: off"},
				{file: "hosts/x/ip-link.json", old: `"ad_lacp_active":"on"`, new: `"ad_lacp_active":"off"`}}},
		{name: "port-channel with another host's port", rule: "lag.foreign-member", fire: true, severity: rules.Error,
			build: func(l *lab) {
				oneSwitch(lacpBond, "")(l)
				_, ny := l.host("y", sg.ConnectX25G, l.leafc.Port("Ethernet22"))
				x := l.s.Hosts[len(l.s.Hosts)-2]
				l.leafc.AddLAG(20, true, false, 10, x.NICs[0].Port, x.NICs[1].Port, ny[0].Port)
			}},
		{name: "port-channel with the bond's ports only", rule: "lag.foreign-member", build: oneSwitch(lacpBond, "lacp")},
		{name: "port-channel with a dead member", rule: "lag.member-missing", fire: true, severity: rules.Warning,
			build: func(l *lab) {
				h, n := l.host("x", sg.ConnectX25G, l.leafc.Port("Ethernet20"), l.leafc.Port("Ethernet21"))
				h.AddBond(lacpBond(), n...)
				l.leafc.AddLAG(20, true, false, 10, n[0].Port, n[1].Port, l.leafc.Port("Ethernet22"))
			}},
		{name: "slave outside the port-channel of the others", rule: "lag.member-missing", fire: true, severity: rules.Warning,
			build: func(l *lab) {
				h, n := l.host("x", sg.ConnectX25G, l.leafc.Port("Ethernet20"), l.leafc.Port("Ethernet21"))
				h.AddBond(lacpBond(), n...)
				l.leafc.AddLAG(20, true, false, 10, n[0].Port)
			}},
		{name: "complete port-channel", rule: "lag.member-missing", build: oneSwitch(lacpBond, "lacp")},
		{name: "complete mlag port-channel", rule: "lag.member-missing", build: onPair(lacpBond, nil)},
		{name: "ports under one bond in different VLANs", rule: "vlan.member-mismatch", fire: true, severity: rules.Error,
			build: withVLANs(func(l *lab) {
				onPair(abBond, nil)(l)
				l.leafa.Port("Ethernet20").PVID, l.leafb.Port("Ethernet20").PVID = 10, 20
			})},
		{name: "ports under one bond with different tagged VLANs", rule: "vlan.member-mismatch", fire: true, severity: rules.Error,
			build: withVLANs(func(l *lab) {
				onPair(abBond, nil)(l)
				l.leafa.Port("Ethernet20").Tagged, l.leafb.Port("Ethernet20").Tagged = []int{100, 200}, []int{100}
			})},
		{name: "ports under one bond in the same VLANs", rule: "vlan.member-mismatch",
			build: withVLANs(func(l *lab) {
				onPair(abBond, nil)(l)
				l.leafa.Port("Ethernet20").Tagged, l.leafb.Port("Ethernet20").Tagged = []int{100, 200}, []int{100, 200}
			})},
		{name: "mlag port-channels in the same VLANs", rule: "vlan.member-mismatch", build: withVLANs(onPair(lacpBond, nil))},
		{name: "host VLAN missing on one port", rule: "vlan.host-vlan-not-carried", fire: true, severity: rules.Error,
			build: withVLANs(func(l *lab) {
				onPair(abBond, set(func(b *sg.Bond) { b.VLANs = []int{100} }))(l)
				l.leafa.Port("Ethernet20").Tagged = []int{100}
			})},
		{name: "host VLAN carried on both ports", rule: "vlan.host-vlan-not-carried",
			build: withVLANs(func(l *lab) {
				onPair(abBond, set(func(b *sg.Bond) { b.VLANs = []int{100} }))(l)
				l.leafa.Port("Ethernet20").Tagged, l.leafb.Port("Ethernet20").Tagged = []int{100}, []int{100, 200}
			})},
		{name: "no VLAN data from the switch", rule: "vlan.host-vlan-not-carried",
			build: onPair(abBond, set(func(b *sg.Bond) { b.VLANs = []int{100} }))},
		{name: "25G NIC on a port at 10G", rule: "link.speed-mismatch", fire: true, severity: rules.Warning,
			build: onPair(abBond, nil), post: []func(*testing.T, string){setOID("leafa", ifHighSpeed(20), "66", "10000")}},
		{name: "25G NIC on a 25G port", rule: "link.speed-mismatch", build: onPair(abBond, nil)},
		{name: "jumbo bond on a 1500 port", rule: "link.mtu-too-small", fire: true, severity: rules.Warning,
			build: onPair(abBond, set(func(b *sg.Bond) { b.MTU = 9000 })), post: []func(*testing.T, string){setOID("leafa", ifMtu(20), "2", "1500")}},
		{name: "jumbo bond on jumbo ports", rule: "link.mtu-too-small", build: onPair(abBond, set(func(b *sg.Bond) { b.MTU = 9000 }))},
		{name: "1500 bond with VLANs on a 1500 port", rule: "link.mtu-too-small",
			build: onPair(abBond, set(func(b *sg.Bond) { b.MTU, b.VLANs = 1500, []int{100} })), post: []func(*testing.T, string){setOID("leafa", ifMtu(20), "2", "1500")}},
		{name: "NIC up, port down", rule: "link.state-mismatch", fire: true, severity: rules.Warning,
			build: onPair(abBond, nil), post: []func(*testing.T, string){setOID("leafa", ifOper(20), "2", "2")}},
		{name: "NIC up, port up", rule: "link.state-mismatch", build: onPair(abBond, nil)},
		{name: "NIC down, port down", rule: "link.state-mismatch",
			build: func(l *lab) {
				onPair(abBond, nil)(l)
				l.s.Hosts[len(l.s.Hosts)-1].NICs[1].Down = true
			}},
		{name: "balance-xor MAC on two switches' plain ports", rule: "fdb.mac-flap", fire: true, severity: rules.Warning,
			build: func(l *lab) {
				h, n := l.host("x", sg.ConnectX25G, l.leafc.Port("Ethernet20"), l.acc.Port("Gi1/0/20"))
				h.AddBond(xorBond(), n...)
				for _, nic := range n {
					nic.Port.Switch.FDB = append(nic.Port.Switch.FDB, sg.FDBEntry{VLAN: 1, MAC: n[0].PermMAC, Port: nic.Port})
				}
			}},
		{name: "active-backup MAC on the active port only", rule: "fdb.mac-flap", build: onPair(abBond, nil)},
		{name: "host port not edge, updelay 0", rule: "stp.host-port-not-edge", fire: true, severity: rules.Warning,
			build: onPair(abBond, nil), post: []func(*testing.T, string){setOID("leafa", stpOperEdge(20), "2", "2"), setOID("leafa", "1.3.6.1.2.1.17.2.11.0", "2", "1500")}},
		{name: "host port is edge", rule: "stp.host-port-not-edge",
			build: onPair(abBond, nil), post: []func(*testing.T, string){setOID("leafa", stpOperEdge(20), "2", "1"), setOID("leafa", "1.3.6.1.2.1.17.2.11.0", "2", "1500")}},
		{name: "host port not edge, updelay above forward delay", rule: "stp.host-port-not-edge",
			build: onPair(abBond, set(func(b *sg.Bond) { b.UpDelay = 31000 })), post: []func(*testing.T, string){setOID("leafa", stpOperEdge(20), "2", "2"), setOID("leafa", "1.3.6.1.2.1.17.2.11.0", "2", "1500")}},
		{name: "host LLDP and switch LLDP disagree", rule: "map.lldp-conflict", fire: true, severity: rules.Error,
			build: onPair(abBond, nil), edits: []edit{{file: "hosts/x/lldp.json", old: `"Ethernet20"`, new: `"Ethernet30"`, n: 1}}},
		{name: "host LLDP and switch LLDP agree", rule: "map.lldp-conflict", build: onPair(abBond, nil)},
		{name: "switch walk unreadable", rule: "map.switch-unreachable", fire: true, severity: rules.Warning, onSwitch: "leafc",
			build: oneSwitch(abBond, ""), post: []func(*testing.T, string){garble("switches/leafc.snmprec")}},
		{name: "switch heard by hosts but not in the site", rule: "map.switch-unreachable", fire: true, severity: rules.Warning, onSwitch: "leafc",
			build: oneSwitch(abBond, ""), post: []func(*testing.T, string){removeFile("switches/leafc.snmprec")}},
		{name: "every switch read", rule: "map.switch-unreachable", build: oneSwitch(abBond, "")},
		{name: "host x could not be collected over SSH", rule: "map.host-unreachable", fire: true, severity: rules.Warning,
			build: onPair(abBond, nil), post: []func(*testing.T, string){unreachableHost("x", "10.0.0.9:22: connection refused (3 attempts)")}},
		{name: "host x collected", rule: "map.host-unreachable", build: onPair(abBond, nil)},
		{name: "port-channel members at 25G and 10G", rule: "switch.lag-speed-mismatch", fire: true, severity: rules.Warning, onSwitch: "leafc",
			build: oneSwitch(lacpBond, "lacp"), post: []func(*testing.T, string){setOID("leafc", ifHighSpeed(21), "66", "10000")}},
		{name: "port-channel members at one speed", rule: "switch.lag-speed-mismatch", build: oneSwitch(lacpBond, "lacp")},
		{name: "mlag port-channel down on one peer", rule: "switch.mlag-inconsistent", fire: true, severity: rules.Warning,
			build: onPair(lacpBond, nil), post: []func(*testing.T, string){setOID("leafb", ifOper(1000020), "2", "2")}},
		{name: "mlag port-channel up on both peers", rule: "switch.mlag-inconsistent", build: onPair(lacpBond, nil)},
		{name: "mlag peer link down", rule: "switch.mlag-peer-link-down", fire: true, severity: rules.Error, onSwitch: "leafa",
			build: func(*lab) {}, post: []func(*testing.T, string){setOID("leafa", ifOper(1001000), "2", "2")}},
		{name: "mlag peer link up", rule: "switch.mlag-peer-link-down", build: func(*lab) {}},

		{name: "both slaves on one stack member", rule: "redundancy.single-module", fire: true, sevSet: true, severity: rules.Info,
			build: onAccess(abBond, "Gi1/0/20", "Gi1/0/21"), post: []func(*testing.T, string){entityStack("access", map[int]int{10120: 1, 10121: 1, 10122: 2})}},
		{name: "slaves on two stack members", rule: "redundancy.single-module",
			build: onAccess(abBond, "Gi1/0/20", "Gi1/0/22"), post: []func(*testing.T, string){entityStack("access", map[int]int{10120: 1, 10121: 1, 10122: 2})}},
		{name: "one switch without ENTITY-MIB", rule: "redundancy.single-module", build: onAccess(abBond, "Gi1/0/20", "Gi1/0/21")},

		{name: "slaves on mlx5_core and ice", rule: "bond.nic-mismatch", fire: true, sevSet: true, severity: rules.Info,
			build: onPair(abBond, nil), post: []func(*testing.T, string){ethtoolFile("x", "ens1f0", "mlx5_core", "0000:3b:00.0"), ethtoolFile("x", "ens1f1", "ice", "0000:5e:00.0")}},
		{name: "slaves on one driver", rule: "bond.nic-mismatch",
			build: onPair(abBond, nil), post: []func(*testing.T, string){ethtoolFile("x", "ens1f0", "mlx5_core", "0000:3b:00.0"), ethtoolFile("x", "ens1f1", "mlx5_core", "0000:3b:00.1")}},
		{name: "drivers unknown (no ethtool -i)", rule: "bond.nic-mismatch", build: onPair(abBond, nil)},

		// Mapping.
		{name: "slave cabled to nothing known", rule: "map.unmapped-slave", fire: true, severity: rules.Warning,
			build: func(l *lab) {
				h, n := l.host("x", sg.ConnectX25G, l.leafa.Port("Ethernet20"), nil)
				h.AddBond(abBond(), n...)
			}},
		{name: "every slave mapped", rule: "map.unmapped-slave", build: onPair(abBond, nil)},

		// Freshness and disappearance (the audit runs now; files' times are capture times).
		{name: "host capture three days old", rule: "map.stale-capture", fire: true, severity: rules.Warning,
			build: onPair(abBond, nil), post: []func(*testing.T, string){age("hosts/x", 72*time.Hour)}},
		{name: "switch walk two days old", rule: "map.stale-capture", fire: true, severity: rules.Warning, onSwitch: "leafc",
			build: onPair(abBond, nil), post: []func(*testing.T, string){age("switches/leafc.snmprec", 48*time.Hour)}},
		{name: "captures an hour old", rule: "map.stale-capture",
			build: onPair(abBond, nil), post: []func(*testing.T, string){age("hosts/x", time.Hour), age("switches/leafc.snmprec", time.Hour)}},
		{name: "host x of the previous run has no capture now", rule: "map.host-missing", fire: true, severity: rules.Warning,
			build: func(l *lab) { l.previous = &topology.Inventory{Hosts: []string{"x"}, Source: "report.json"} }},
		{name: "host x of the previous run is back", rule: "map.host-missing",
			build: func(l *lab) {
				onPair(abBond, nil)(l)
				l.previous = &topology.Inventory{Hosts: []string{"x"}, Source: "report.json"}
			}},
		{name: "switch spine9 of the previous run has no walk now", rule: "map.switch-missing", fire: true, severity: rules.Warning, onSwitch: "spine9",
			build: func(l *lab) {
				l.previous = &topology.Inventory{Switches: []string{"leafa", "spine9"}, Source: "report.json"}
			}},
		{name: "switch leafc of the previous run unreadable now", rule: "map.switch-missing",
			build: func(l *lab) {
				l.previous = &topology.Inventory{Switches: []string{"leafa", "leafb", "leafc", "access"}, Source: "report.json"}
			}, post: []func(*testing.T, string){func(t *testing.T, dir string) {
				if err := os.WriteFile(filepath.Join(dir, "switches", "leafc.snmprec"), []byte("garbage\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}}},
	}
}

// TestRulesFromCaptureFiles runs every case on top of the healthy baseline.
func TestRulesFromCaptureFiles(t *testing.T) {
	covered := map[string][2]bool{}
	for _, c := range ruleCases() {
		t.Run(c.rule+"/"+c.name, func(t *testing.T) {
			l := newLab()
			l.healthy()
			c.build(l)
			fs, site := l.auditPost(t, c.edits, c.post)
			got := find(fs, c.rule, "")
			if c.fire {
				mine := find(fs, c.rule, "x")
				if c.onSwitch != "" {
					mine = nil
					for _, f := range got {
						if f.Switch == c.onSwitch {
							mine = append(mine, f)
						}
					}
				}
				for _, h := range c.alsoHosts {
					mine = append(mine, find(fs, c.rule, h)...)
				}
				if len(mine) == 0 {
					t.Fatalf("%s did not fire for host x (or switch %q); findings:%s\nproblems: %q", c.rule, c.onSwitch, describe(fs), topology.ProblemTexts(site.Problems))
				}
				if len(mine) != len(got) {
					t.Errorf("%s also fired for other hosts:%s", c.rule, describe(got))
				}
				if c.severity != 0 || c.sevSet {
					for _, f := range mine {
						if f.Severity != c.severity {
							t.Errorf("%s severity %s, want %s", c.rule, f.Severity, c.severity)
						}
					}
				}
				t.Logf("fired:%s", describe(mine))
				for _, f := range mine {
					if f.Message == "" || len(f.Evidence) == 0 {
						t.Errorf("%s finding lacks message or evidence: %+v", c.rule, f)
					}
				}
			} else if len(got) > 0 {
				t.Errorf("%s fired where it must not:%s", c.rule, describe(got))
			}
		})
		cv := covered[c.rule]
		if c.fire {
			cv[0] = true
		} else {
			cv[1] = true
		}
		covered[c.rule] = cv
	}
	// Every registered rule of the catalogue has cases (policy.* comes
	// from the policy file: rules/policy_test.go and cmd's golden test).
	for _, r := range rules.Registry() {
		if _, ok := covered[r.ID]; !ok && !strings.HasPrefix(r.ID, "policy.") {
			t.Errorf("rule %s has no case here", r.ID)
		}
	}
	// Every rule with cases has both kinds.
	var ids []string
	for id := range covered {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if cv := covered[id]; !cv[0] || !cv[1] {
			t.Errorf("rule %s: fire case %v, no-fire case %v; want both", id, cv[0], cv[1])
		}
		if _, ok := rules.Lookup(id); !ok {
			t.Errorf("rule %s has cases but is not registered", id)
		}
	}
}

// OIDs the cases set on Arista walks (ifIndex = port number; Port-ChannelN
// = 1000000+N; dot1dBasePort = port number).
func ifHighSpeed(ifIndex int) string { return fmt.Sprintf("1.3.6.1.2.1.31.1.1.1.15.%d", ifIndex) }
func ifMtu(ifIndex int) string       { return fmt.Sprintf("1.3.6.1.2.1.2.2.1.4.%d", ifIndex) }
func ifOper(ifIndex int) string      { return fmt.Sprintf("1.3.6.1.2.1.2.2.1.8.%d", ifIndex) }
func stpOperEdge(basePort int) string {
	return fmt.Sprintf("1.3.6.1.2.1.17.2.19.1.3.%d", basePort)
}

// withVLANs makes every switch expose Q-BRIDGE-MIB VLAN membership.
func withVLANs(build func(l *lab)) func(l *lab) {
	return func(l *lab) {
		build(l)
		for _, sw := range l.s.Switches {
			sw.VLANs = true
		}
	}
}

// passivePorts marks ports as LACP passive, as CISCO-LAG-MIB or a vendor
// API reports the configured mode.
func passivePorts(ports ...string) func(*topology.Switch) {
	return func(s *topology.Switch) {
		for i := range s.Ports {
			if slices.Contains(ports, s.Ports[i].Name) && s.Ports[i].LACP != nil {
				s.Ports[i].LACP.Mode = "passive"
			}
		}
	}
}

// garble truncates a written file to something no reader accepts.
func garble(rel string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(rel)), []byte("this is not a walk\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// entityStack adds an ENTITY-MIB tree to a written walk: one stack with a
// chassis per member, and each given ifIndex's port entity in its member's
// chassis, linked by entAliasMappingIdentifier, as a Catalyst stack reports.
func entityStack(sw string, member map[int]int) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		const phys, alias = "1.3.6.1.2.1.47.1.1.1.1", "1.3.6.1.2.1.47.1.3.2.1.2"
		set := func(oid, typ, v string) { setOID(sw, oid, typ, v)(t, dir) }
		set(phys+".5.1", "2", "11") // stack
		set(phys+".4.1", "2", "0")
		members := map[int]bool{}
		for _, m := range member {
			members[m] = true
		}
		for m := range members {
			ch := 1 + m
			set(fmt.Sprintf("%s.5.%d", phys, ch), "2", "3") // chassis
			set(fmt.Sprintf("%s.4.%d", phys, ch), "2", "1")
			set(fmt.Sprintf("%s.6.%d", phys, ch), "2", fmt.Sprint(m))
		}
		for ifIndex, m := range member {
			ent := 1000 + ifIndex
			set(fmt.Sprintf("%s.5.%d", phys, ent), "2", "10") // port
			set(fmt.Sprintf("%s.4.%d", phys, ent), "2", fmt.Sprint(1+m))
			set(fmt.Sprintf("%s.6.%d", phys, ent), "2", fmt.Sprint(ifIndex%100))
			set(fmt.Sprintf("%s.%d.0", alias, ent), "6", fmt.Sprintf("1.3.6.1.2.1.2.2.1.1.%d", ifIndex))
		}
	}
}

// TestSingleModuleNeedsTwoModules: an agent that models its one chassis as
// a one-member stack (Nexus 3064, Aruba CX do) must not make every bond on
// it "single module".
func TestSingleModuleNeedsTwoModules(t *testing.T) {
	l := newLab()
	l.healthy()
	h, n := l.host("x", sg.ConnectX25G, l.acc.Port("Gi1/0/20"), l.acc.Port("Gi1/0/21"))
	h.AddBond(abBond(), n...)
	fs, _ := l.auditPost(t, nil, []func(*testing.T, string){entityStack("access", map[int]int{10120: 1, 10121: 1, 10122: 1})})
	if got := find(fs, "redundancy.single-module", ""); len(got) > 0 {
		t.Errorf("single-module fired on a one-member stack:%s", describe(got))
	}
}

// ethtoolFile writes hosts/<host>/ethtool/<nic> as a capture script would:
// { ethtool NIC; ethtool -i NIC; } > ethtool/NIC.
func ethtoolFile(host, nic, driver, bus string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		text := "Settings for " + nic + ":\n" +
			"\tSupported ports: [ FIBRE ]\n" +
			"\tSupported link modes:   25000baseCR/Full\n" +
			"\tSpeed: 25000Mb/s\n" +
			"\tDuplex: Full\n" +
			"\tAuto-negotiation: off\n" +
			"\tPort: Direct Attach Copper\n" +
			"\tPHYAD: 0\n" +
			"\tTransceiver: internal\n" +
			"\tLink detected: yes\n" +
			"driver: " + driver + "\n" +
			"version: 6.1.0-18-amd64\n" +
			"firmware-version: 16.35.2000 (MT_0000000080)\n" +
			"expansion-rom-version: \n" +
			"bus-info: " + bus + "\n" +
			"supports-statistics: yes\n" +
			"supports-test: yes\n" +
			"supports-eeprom-access: no\n" +
			"supports-register-dump: no\n" +
			"supports-priv-flags: yes\n"
		p := filepath.Join(dir, "hosts", host, "ethtool", nic)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// lacpduPcap writes hosts/<host>/l2.pcapng as `tcpdump -i any` on a recent
// tcpdump (pcapng, interfaces named) would: LACPDUs a switch port running
// LACP sends, heard on each NIC.
func lacpduPcap(host string, nics ...string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		f, err := os.Create(filepath.Join(dir, "hosts", host, "l2.pcapng"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		w, err := pcapgo.NewNgWriterInterface(f, pcapgo.NgInterface{Name: nics[0], LinkType: layers.LinkTypeEthernet}, pcapgo.DefaultNgWriterOptions)
		if err != nil {
			t.Fatal(err)
		}
		ids := []int{0}
		for _, n := range nics[1:] {
			id, err := w.AddInterface(pcapgo.NgInterface{Name: n, LinkType: layers.LinkTypeEthernet})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		for i := range nics {
			src := []byte{0x44, 0x4c, 0xa8, 0x00, 0x10, byte(20 + i)}
			frame := append([]byte{0x01, 0x80, 0xc2, 0x00, 0x00, 0x02}, src...)
			frame = append(frame, 0x88, 0x09, 0x01, 0x01) // slow protocols, LACP v1
			// actor: prio 32768, system 44:4c:a8:00:10:00, key 20, port prio 32768, port 20+i, state activity|aggregation|defaulted
			frame = append(frame, 0x01, 0x14, 0x80, 0x00, 0x44, 0x4c, 0xa8, 0x00, 0x10, 0x00, 0x00, 0x14, 0x80, 0x00, 0x00, byte(20+i), 0x45, 0, 0, 0)
			// partner: nothing heard
			frame = append(frame, 0x02, 0x14)
			frame = append(frame, make([]byte, 18)...)
			frame = append(frame, 0x03, 0x10, 0x00, 0x00)
			frame = append(frame, make([]byte, 12)...)
			frame = append(frame, 0x00, 0x00)
			frame = append(frame, make([]byte, 50)...)
			ci := gopacket.CaptureInfo{Timestamp: time.Date(2026, 12, 2, 1, 0, i, 0, time.UTC), CaptureLength: len(frame), Length: len(frame), InterfaceIndex: ids[i]}
			if err := w.WritePacket(ci, frame); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
	}
}
