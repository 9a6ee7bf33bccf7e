package topology_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/topology"
)

// Build's join indexes (MAC keys, the LACP join tables) against scans of
// the snapshots, on generated sites with faults and on the demo site.
func TestJoinIndexesGeneratedSites(t *testing.T) {
	for _, o := range []sitegen.Options{
		{Hosts: 80, Switches: 6, Seed: 3, MinSlaves: 2, MaxSlaves: 8, FaultRate: 0.4},
		{Hosts: 60, Switches: 4, Seed: 11, FaultRate: 0.9},
		{Hosts: 150, Switches: 6, Seed: 5, MaxSlaves: 8}, // Build adds its host MACs in batches: several here
	} {
		site := loadGenerated(t, o)
		checkJoin(t, site.Hosts, site.Switches)
		checkHeard(t, site.Hosts, site.Switches)
	}
}

// buildSite is site's Model.
func buildSite(t *testing.T, site *collect.Site) *topology.Model {
	t.Helper()
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// diffCase is two Models to compare and whether they differ.
type diffCase struct {
	name     string
	old, new *topology.Model
	drift    bool
}

// loadGenerated writes a generated site and reads it.
func loadGenerated(t *testing.T, o sitegen.Options) *collect.Site {
	t.Helper()
	dir := t.TempDir()
	if _, err := sitegen.Write(dir, o); err != nil {
		t.Fatal(err)
	}
	site, err := collect.LoadSite(os.DirFS(dir), "gen", collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return site
}

func TestJoinIndexesDemoSite(t *testing.T) {
	site, err := collect.LoadSite(demo.FS(), "demo", collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkJoin(t, site.Hosts, site.Switches)
	checkHeard(t, site.Hosts, site.Switches)
}

// TestJoinIndexesAmbiguous: MACs and LACP keys several ports, hosts or
// slaves share, MACs in other forms, an LACP port past 16 bits.
func TestJoinIndexesAmbiguous(t *testing.T) {
	lacp := func(sys string, port int) *topology.PortLACP {
		return &topology.PortLACP{Actor: &topology.LACPPort{System: sys, Port: port}, Partner: &topology.LACPPort{System: "52:54:00:aa:00:01", Port: port}}
	}
	sw := []*topology.Switch{
		{Name: "a", ChassisID: "00:1c:73:00:00:01", BaseMAC: "001C.7300.0001", Ports: []topology.Port{
			{Name: "Ethernet1", MAC: "00:1c:73:00:01:01", LACP: lacp("02:1c:73:00:00:01", 1)},
			{Name: "Ethernet2", MAC: "00:1c:73:00:01:01", LACP: lacp("02:1c:73:00:00:01", 1)},
			{Name: "Ethernet3", MAC: "00-1C-73-00-01-03", LACP: lacp("02:1c:73:00:00:01", 70000)},
			{Name: "Ethernet4", MAC: "00:00:00:00:00:00", LACP: lacp("02:1c:73:00:00:01", 70000)},
			{Name: "Ethernet5", MAC: "00:1c:73:00:01:05", LACP: lacp("02:1C:73:00:00:01", 5)},
		}},
		{Name: "b", ChassisID: "B-chassis", Ports: []topology.Port{
			{Name: "Ethernet1", MAC: "00:1c:73:00:01:05", LACP: lacp("02:1c:73:00:00:01", 6)},
			{Name: "Ethernet2", MAC: "00:1c:73:00:02:02", LACP: lacp("00:00:00:00:00:00", 2)},
		}},
		{Name: "c", ChassisID: "00:1C:73:00:00:01"},
	}
	bond := func(mac string, ports ...int) topology.Bond {
		bd := topology.Bond{Name: "bond0", MAC: mac}
		for i, p := range ports {
			bd.Slaves = append(bd.Slaves, topology.Slave{Name: "eth" + string(rune('0'+i)), PermMAC: mac,
				Actor: &topology.LACPPort{Port: p}, Partner: &topology.LACPPort{System: "02:1c:73:00:00:01", Port: p}})
		}
		return bd
	}
	hosts := []*topology.Host{
		{Name: "h1", NICs: []topology.NIC{{Name: "eth0", MAC: "52:54:00:aa:00:01"}, {Name: "eth1", PermMAC: "52:54:00:aa:00:01", Master: "bond0"}},
			Bonds: []topology.Bond{bond("52:54:00:aa:00:01", 1, 1, 70000)}},
		{Name: "h2", NICs: []topology.NIC{{Name: "eth0", PermMAC: "52:54:00:AA:00:01"}, {Name: "eth9", MAC: "52:54:00:aa:00:09"}},
			Bonds: []topology.Bond{bond("52-54-00-aa-00-02", 5, 6, 70001)}},
	}
	checkJoin(t, hosts, sw)
}

func checkJoin(t *testing.T, hosts []*topology.Host, switches []*topology.Switch) {
	t.Helper()
	bad := topology.CheckJoinIndexes(hosts, switches)
	for i, s := range bad {
		if i == 20 {
			t.Errorf("… %d more", len(bad)-i)
			break
		}
		t.Error(s)
	}
}

// Build leaves no per-port records of its own in the Model.
func TestBuildDropsPortRecords(t *testing.T) {
	site, err := collect.LoadSite(demo.FS(), "demo", collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := topology.PortRecords(m); n != 0 {
		t.Errorf("%d switches keep Build's port records", n)
	}
}

func checkHeard(t *testing.T, hosts []*topology.Host, switches []*topology.Switch) {
	t.Helper()
	bad, n := topology.CheckHeard(hosts, switches)
	if n == 0 {
		t.Errorf("no switch neighbour recorded: the site is not what the test needs")
	}
	for i, s := range bad {
		if i == 20 {
			t.Errorf("… %d more", len(bad)-i)
			break
		}
		t.Error(s)
	}
}

// Build's per-host passes run in spans side by side: one span and many
// must build the same Model (links in the same order with the same IDs,
// the same evidence, conflicts and bond facts), on generated sites with
// faults (conflicting claims among them) and the demo site.
func TestBuildSpansAgree(t *testing.T) {
	var sites []*collect.Site
	for _, o := range []sitegen.Options{
		{Hosts: 300, Switches: 8, Seed: 5, MinSlaves: 2, MaxSlaves: 6, FaultRate: 0.5},
		{Hosts: 120, Switches: 6, Seed: 17, FaultRate: 0.9},
	} {
		site := loadGenerated(t, o)
		// Conflicting claims: on every third switch, each LLDP neighbour
		// is said to be on the port of the one after it, so the host's
		// LLDP and the switch's disagree.
		for i, sw := range site.Switches {
			if n := sw.Neighbours; i%3 == 0 && len(n) > 1 {
				first := n[0].LocalPort
				for j := range n[:len(n)-1] {
					n[j].LocalPort = n[j+1].LocalPort
				}
				n[len(n)-1].LocalPort = first
			}
		}
		sites = append(sites, site)
	}
	demoSite, err := collect.LoadSite(demo.FS(), "demo", collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sites = append(sites, demoSite)
	conflicts, dualHomed := 0, 0
	for si, site := range sites {
		restore := topology.SetSpans(1, 1<<30)
		one, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
		restore()
		if err != nil {
			t.Fatal(err)
		}
		for _, runs := range []int{2, 3, 7} {
			restore := topology.SetSpans(runs, 1)
			many, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
			restore()
			if err != nil {
				t.Fatal(err)
			}
			if a, b := modelDigest(one), modelDigest(many); a != b {
				t.Errorf("site %d: %d spans build another model than one span:\n%s", si, runs, firstDiff(a, b))
			}
		}
		if len(one.Links) == 0 {
			t.Fatalf("site %d: no links", si)
		}
		conflicts += len(one.Conflicts)
		for _, d := range one.Domains {
			for _, e := range d.Evidence {
				if strings.Contains(e, "negotiate LACP with one partner system") {
					dualHomed++
				}
			}
		}
	}
	if conflicts == 0 {
		t.Error("no site has conflicting claims: their order is not compared")
	}
	if dualHomed == 0 {
		t.Error("no domain has a dual-homed bond in its evidence: the order of those unions is not compared")
	}
}

// modelDigest is what Build made, as text: links, conflicts, and each
// host's bond facts.
func modelDigest(m *topology.Model) string {
	var b strings.Builder
	for i, l := range m.Links {
		fmt.Fprintf(&b, "link %d id=%d %s %s -> %s %s %v\n", i, l.ID, l.Host, l.NIC, l.Switch, l.Port, l.Evidence)
	}
	for _, c := range m.Conflicts {
		fmt.Fprintf(&b, "conflict %s %s %v\n", c.Host, c.NIC, c.Claims)
	}
	for _, d := range m.Domains {
		fmt.Fprintf(&b, "domain %s %s %v %s %q\n", d.Name, d.Kind, d.Switches, d.SystemID, d.Evidence)
	}
	for _, h := range m.Hosts {
		for _, bf := range h.BondFacts() {
			fmt.Fprintf(&b, "bond %s %s %s %s %s %v\n", h.Name, bf.Bond.Name, bf.Mode, bf.MAC, bf.AggregatorPartner, bf.RunsLACP)
			for _, sf := range bf.Slaves {
				pl := sf.Placement
				sw, port := "", ""
				if pl.Switch != nil {
					sw = pl.Switch.Name
				}
				if pl.Port != nil {
					port = pl.Port.Name
				}
				dom := ""
				if pl.Domain != nil {
					dom = fmt.Sprint(pl.Domain.Switches)
				}
				fmt.Fprintf(&b, "  slave %s %s %d %s %s %v %s %s %s\n", sf.Slave.Name, sf.MII, sf.Speed, sf.PermMAC, sf.PartnerSystem, sf.PartnerDefaulted, sw, port, dom)
			}
		}
	}
	return b.String()
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  one:  %s\n  many: %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines vs %d", len(al), len(bl))
}

// Diff's port VLAN drift against the naive version on a generated site
// and a copy whose VLANs changed on some ports (host ports and LAGs:
// PVIDs, tagged and untagged sets), both ways, and on the site against
// itself (nothing).
func TestDiffVLANsGenerated(t *testing.T) {
	o := sitegen.Options{Hosts: 150, Switches: 6, Seed: 9, MinSlaves: 2, MaxSlaves: 4, FaultRate: 0.3}
	build := func(site *collect.Site) *topology.Model { return buildSite(t, site) }
	a := build(loadGenerated(t, o))
	site := loadGenerated(t, o)
	changed := 0
	for si, s := range site.Switches {
		for pi := range s.Ports {
			p := &s.Ports[pi]
			switch (si*31 + pi) % 7 {
			case 0:
				p.PVID += 3
			case 1:
				p.Tagged = append(p.Tagged, 999)
			case 2:
				p.Untagged = nil
			default:
				continue
			}
			changed++
		}
	}
	b := build(site)
	// one switch changed, the others not (Diff skips unchanged switches)
	one := loadGenerated(t, o)
	one.Switches[1].Ports[2].PVID += 5
	one.Switches[1].Ports[5].Tagged = append(one.Switches[1].Ports[5].Tagged, 4000)
	c1 := build(one)
	for _, c := range []diffCase{{"itself", a, a, false}, {"VLANs changed", a, b, true}, {"VLANs changed, backwards", b, a, true},
		{"one switch changed", a, c1, true}, {"one switch changed, against all changed", c1, b, true}} {
		got, naive := topology.DiffVLANsBoth(c.old, c.new)
		if d := gocmp.Diff(naive, got); d != "" {
			t.Errorf("%s: Diff's port VLANs differ from the naive version's (-naive +new):\n%s", c.name, d)
		}
		if c.drift != (len(got) > 0) {
			t.Errorf("%s: %d drifted ports (%d ports changed)", c.name, len(got), changed)
		}
	}
}

// TestDiffLAGsSkipsOnlyUnchanged: Diff's LAG drift with its skip of
// unchanged switches equals the drift without it, on generated sites with
// LAGs added, removed, renamed and changed on some switches, and on LAG
// names that are one once normalised (where the skip must not apply).
func TestDiffLAGsSkipsOnlyUnchanged(t *testing.T) {
	o := sitegen.Options{Hosts: 120, Switches: 6, Seed: 4, FaultRate: 0.3}
	build := func(site *collect.Site) *topology.Model { return buildSite(t, site) }
	a := build(loadGenerated(t, o))
	site := loadGenerated(t, o)
	s1, s3, s5 := site.Switches[1], site.Switches[3], site.Switches[5]
	s1.LAGs[1].Kind = topology.LAGStatic
	s5.LAGs[0].Members = append(s5.LAGs[0].Members, "Ethernet99") // only members change here
	s3.LAGs = append(s3.LAGs[:2], s3.LAGs[3:]...)
	s3.LAGs = append(s3.LAGs, topology.LAG{Name: "Port-Channel900", Kind: topology.LAGLACP, Members: []string{"Ethernet48"}})
	b := build(site)
	dup := loadGenerated(t, o)
	for _, s := range dup.Switches {
		if len(s.LAGs) > 0 {
			l := s.LAGs[0]
			l.Name = strings.ToLower(l.Name)
			l.Members = []string{"Ethernet77"}
			s.LAGs = append(s.LAGs, l) // same name as LAGs[0] once normalised
		}
	}
	d := build(dup)
	for _, c := range []diffCase{{"itself", a, a, false}, {"three switches changed", a, b, true}, {"backwards", b, a, true},
		{"duplicate names, itself", d, d, true}, {"duplicate names against none", a, d, true}} {
		got, slow := topology.DiffLAGsBoth(c.old, c.new)
		if diff := gocmp.Diff(slow, got); diff != "" {
			t.Errorf("%s: LAG drift differs without the skip (-slow +got):\n%s", c.name, diff)
		}
		n := len(got.LAGsAdded) + len(got.LAGsRemoved) + len(got.LAGsChanged)
		if c.drift != (n > 0) {
			t.Errorf("%s: %d LAG changes", c.name, n)
		}
	}
}
