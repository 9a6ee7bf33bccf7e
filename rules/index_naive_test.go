package rules

// The rules that once scanned every bond of the site per finding
// (map.conflict per conflict, map.switch-unreachable through a site-wide
// slave index) now ask the host; their old scans are kept here as the
// oracle, run on a generated site made to have conflicts and neighbours
// naming switches that are not in the site.

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/google/go-cmp/cmp/cmpopts"

	gocmp "github.com/google/go-cmp/cmp"
)

// naiveConflictBond is map.conflict's old bond lookup: every bond of the site.
func naiveConflictBond(c *Context, host, nic string) string {
	bond := ""
	for _, b := range c.bonds() {
		if b.host.Name != host {
			continue
		}
		for _, s := range b.slaves {
			if s.s.Name == nic {
				bond = b.bond.Name
			}
		}
	}
	return bond
}

// naiveMissingSwitches is map.switch-unreachable's old second half: a
// site-wide index of every slave.
func naiveMissingSwitches(c *Context) {
	slaveOf := map[[2]string]string{}
	for _, b := range c.bonds() {
		for _, s := range b.slaves {
			slaveOf[[2]string{b.host.Name, s.s.Name}] = b.bond.Name
		}
	}
	type seen struct{ bonds, ev []string }
	missing := map[string]*seen{}
	var order []string
	for _, u := range c.Model.Unresolved {
		if u.Host == "" || u.Known != "" {
			continue
		}
		bond, ok := slaveOf[[2]string{u.Host, u.Neighbour.LocalPort}]
		if !ok {
			continue
		}
		name := cmp.Or(u.Neighbour.SystemName, u.Neighbour.ChassisID)
		if name == "" {
			continue
		}
		m := missing[name]
		if m == nil {
			m = &seen{}
			missing[name] = m
			order = append(order, name)
		}
		m.bonds = append(m.bonds, fmt.Sprintf("%s %s (%s)", u.Host, bond, u.Neighbour.LocalPort))
	}
	for _, name := range order {
		c.Report(Finding{Switch: name, Message: strings.Join(missing[name].bonds, ", ")})
	}
}

func TestSlaveBondMatchesScan(t *testing.T) {
	dir := t.TempDir()
	if _, err := sitegen.Write(dir, sitegen.Options{Hosts: 200, Switches: 8, Seed: 11, MinSlaves: 2, MaxSlaves: 4, FaultRate: 0.3}); err != nil {
		t.Fatal(err)
	}
	site, err := collect.LoadSite(os.DirFS(dir), "gen", collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Conflicts: every 7th host also hears, on its first slave, another
	// switch's port. Missing switches: every 5th host hears a switch that
	// is not in the site on a slave, every 10th on a NIC in no bond.
	for i, h := range site.Hosts {
		if len(h.Bonds) == 0 || len(h.Bonds[0].Slaves) == 0 {
			continue
		}
		sl := h.Bonds[0].Slaves[0].Name
		if i%7 == 0 {
			other := site.Switches[(i/7)%len(site.Switches)]
			h.Neighbours = append(h.Neighbours, topology.Neighbour{LocalPort: sl, Protocol: topology.ProtoCDP,
				SystemName: other.Name, PortID: other.Ports[len(other.Ports)-1].Name, PortIDSubtype: topology.IDIfName})
		}
		if i%5 == 0 {
			h.Neighbours = append(h.Neighbours, topology.Neighbour{LocalPort: h.Bonds[0].Slaves[len(h.Bonds[0].Slaves)-1].Name,
				Protocol: topology.ProtoLLDP, SystemName: fmt.Sprintf("ghost%d", i%3), PortID: "Ethernet9"})
		}
		if i%10 == 0 {
			h.NICs = append(h.NICs, topology.NIC{Name: "mgmt0"})
			h.Neighbours = append(h.Neighbours, topology.Neighbour{LocalPort: "mgmt0", Protocol: topology.ProtoLLDP, SystemName: "oob-switch", PortID: "1"})
		}
	}
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ix := buildIndex(m)
	var sink []Finding
	c := &Context{Model: m, rule: &mapSwitchUnreachable, out: &sink, ix: ix}

	if len(m.Conflicts) < 10 {
		t.Fatalf("%d conflicts: the site is not what the test needs", len(m.Conflicts))
	}
	withBond := 0
	for _, cf := range m.Conflicts {
		got, want := bondOfSlave(m.Host(cf.Host), cf.NIC), naiveConflictBond(c, cf.Host, cf.NIC)
		if got != want {
			t.Errorf("conflict %s %s: bond %q, want %q", cf.Host, cf.NIC, got, want)
		}
		if got != "" {
			withBond++
		}
	}
	if withBond == 0 {
		t.Error("no conflict on a bond slave: the test checks nothing")
	}
	if _, ok := slaveBond(nil, "eth0"); ok {
		t.Error("slaveBond on no host found a bond")
	}

	// what each slave heard: every neighbour on its NIC, in capture order
	several := 0
	for _, b := range ix.bonds {
		for _, s := range b.slaves {
			var want []*topology.Neighbour
			for i := range b.host.Neighbours {
				if n := &b.host.Neighbours[i]; n.LocalPort == s.s.Name {
					want = append(want, n)
				}
			}
			if !slices.Equal(s.nb, want) {
				t.Errorf("%s %s heard %v, want %v", b.host.Name, s.s.Name, s.nb, want)
			}
			if len(want) > 1 {
				several++
			}
		}
	}
	if several == 0 {
		t.Error("no slave heard two neighbours: the test checks little")
	}

	// map.switch-unreachable's missing switches, the rule's against the scan
	var got, want []Finding
	c.out = &got
	mapSwitchUnreachable.Check(c)
	c.out = &want
	naiveMissingSwitches(c)
	if len(want) < 3 {
		t.Fatalf("%d missing switches: the site is not what the test needs", len(want))
	}
	trim := func(fs []Finding) []Finding {
		var out []Finding
		for _, f := range fs {
			if !strings.HasPrefix(f.Message, "switch "+f.Switch+" faces bond slaves (") {
				continue // the unreachable switches of the rule's first half
			}
			bonds := strings.TrimPrefix(f.Message, "switch "+f.Switch+" faces bond slaves (")
			bonds = bonds[:strings.Index(bonds, ") but is not in the site")]
			out = append(out, Finding{Switch: f.Switch, Message: bonds})
		}
		return out
	}
	if d := gocmp.Diff(want, trim(got), cmpopts.IgnoreFields(Finding{}, "Rule", "Severity", "DefaultSeverity", "Status")); d != "" {
		t.Errorf("missing switches differ from the scan (-scan +rule):\n%s", d)
	}
}

// TestSharedPartnerEvidence: lacp.shared-partner formats its evidence only
// for the keys two hosts share; each finding's evidence is its own bond's
// partner line, then the other host's.
func TestSharedPartnerEvidence(t *testing.T) {
	s := newSite()
	onOneSwitch(s, "802.3ad")
	s.bond("db01", "bond0", "802.3ad", "eth0 leaf1 Ethernet3", "eth1 leaf1 Ethernet4")
	fs := s.run(t, "lacp.shared-partner", Params{}, "")
	if len(fs) != 2 {
		t.Fatalf("%d findings, want one per host", len(fs))
	}
	for _, f := range fs {
		other := map[string]string{"web01": "db01", "db01": "web01"}[f.Host]
		if len(f.Evidence) != 2 || !strings.HasPrefix(f.Evidence[0], "host "+f.Host+": ") ||
			!strings.HasPrefix(f.Evidence[1], "host "+other+": ") {
			t.Errorf("%s: evidence %q, want its own partner line, then %s's", f.Host, f.Evidence, other)
		}
		for _, e := range f.Evidence {
			if !strings.Contains(e, "partner system ") || !strings.Contains(e, ", partner key ") {
				t.Errorf("%s: evidence line %q does not name the partner system and key", f.Host, e)
			}
		}
	}
}

// TestMapEv: the map evidence line, built by hand, is the Sprintf it
// replaced, for links with no, one and several evidence kinds.
func TestMapEv(t *testing.T) {
	for _, ev := range [][]topology.EvidenceKind{nil, {topology.EvLLDPHost}, {topology.EvLLDPSwitch, topology.EvLACP, "odd\xff é"}} {
		l := &topology.Link{Host: "web<1>", NIC: "eth0", Switch: "leaf 1", Port: "Ethernet1/1", Evidence: ev}
		want := fmt.Sprintf("map: %s %s ↔ %s %s (%s)", l.Host, l.NIC, l.Switch, l.Port, strings.Join(topology.EvidenceStrings(l.Evidence), ", "))
		if got := mapEv(l); got != want {
			t.Errorf("mapEv = %q, want %q", got, want)
		}
	}
}
