package topology

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// dswitch is a switch with the named ethernet ports, up.
func dswitch(name, chassis string, ports ...string) *Switch {
	s := &Switch{Name: name, ChassisID: chassis, ChassisIDSubtype: IDMAC}
	for i, p := range ports {
		s.Ports = append(s.Ports, Port{Name: p, IfIndex: i + 1, Type: "ethernet", Oper: "up"})
	}
	return s
}

// dport returns the switch's port called name.
func dport(t *testing.T, s *Switch, name string) *Port {
	t.Helper()
	for i := range s.Ports {
		if s.Ports[i].Name == name {
			return &s.Ports[i]
		}
	}
	t.Fatalf("%s has no port %s", s.Name, name)
	return nil
}

// cable is a NIC's LLDP view of the switch port it is cabled to.
type dcable struct{ nic, chassis, port string }

// dhost is a host with one bond over the given slaves, each NIC cabled
// as given (by the host's LLDP).
func dhost(name string, bond Bond, cables ...dcable) *Host {
	h := &Host{Name: name}
	for _, s := range bond.Slaves {
		h.NICs = append(h.NICs, NIC{Name: s.Name, Master: bond.Name, State: "up"})
	}
	if bond.Name != "" {
		h.Bonds = []Bond{bond}
	}
	for _, c := range cables {
		h.Neighbours = append(h.Neighbours, Neighbour{LocalPort: c.nic, Protocol: ProtoLLDP, ChassisIDSubtype: IDMAC,
			ChassisID: c.chassis, PortIDSubtype: IDIfName, PortID: c.port})
	}
	return h
}

func dslaves(names ...string) []Slave {
	var out []Slave
	for _, n := range names {
		out = append(out, Slave{Name: n, MIIStatus: "up"})
	}
	return out
}

func dbuild(t *testing.T, hosts []*Host, sws []*Switch) *Model {
	t.Helper()
	m, err := Build(hosts, sws, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

const (
	dChassis1 = "00:1c:73:00:00:01"
	dChassis2 = "00:1c:73:00:00:02"
	dChassis3 = "00:1c:73:00:00:03"
	dChassis4 = "00:1c:73:00:00:04"
)

// driftPair builds the old and new site of TestDiff.
func driftPair(t *testing.T) (old, new *Model) {
	t.Helper()
	// old
	sw1 := dswitch("sw1", dChassis1, "Ethernet1", "Ethernet2", "Ethernet3", "Ethernet4", "Ethernet5", "Ethernet9", "Port-Channel1", "Port-Channel5")
	sw1.LAGs = []LAG{
		{Name: "Port-Channel1", Kind: LAGLACP, Members: []string{"Ethernet1", "Ethernet2"}, MLAG: "02:1c:73:00:00:99"},
		{Name: "Port-Channel5", Kind: LAGStatic, Members: []string{"Ethernet5"}},
	}
	sw1.VLANsKnown = true
	p := dport(t, sw1, "Ethernet1")
	p.PVID, p.Untagged, p.Tagged = 10, []int{10}, []int{40, 50}
	p = dport(t, sw1, "Port-Channel1")
	p.PVID, p.Tagged = 10, []int{40, 50}
	p = dport(t, sw1, "Ethernet9") // no host on it: its VLANs are not compared
	p.PVID = 1
	sw2 := dswitch("sw2", dChassis2, "Ethernet1")
	sw3 := dswitch("sw3", dChassis3, "Ethernet1")
	h1 := dhost("h1", Bond{Name: "bond0", Mode: Mode8023AD, MIIMon: 100, LACPRate: "fast", XmitHashPolicy: "layer3+4", Slaves: dslaves("eth0", "eth1")},
		dcable{"eth0", dChassis1, "Ethernet1"}, dcable{"eth1", dChassis1, "Ethernet2"})
	h2 := dhost("h2", Bond{Name: "bond0", Mode: ModeActiveBackup, MIIMon: 100, Slaves: dslaves("eth0", "eth1")},
		dcable{"eth0", dChassis1, "Ethernet3"}, dcable{"eth1", dChassis2, "Ethernet1"})
	h2.Bonds = append(h2.Bonds, Bond{Name: "bond9", Mode: ModeActiveBackup})
	h3 := dhost("h3", Bond{Name: "bond0", Mode: ModeActiveBackup, Slaves: dslaves("eth0")}, dcable{"eth0", dChassis3, "Ethernet1"})
	old = dbuild(t, []*Host{h1, h2, h3}, []*Switch{sw1, sw2, sw3})

	// new: h1's eth0 moved to Ethernet4, eth1 left the bond (and lost
	// its link), eth2 joined (cabled to Ethernet9); bond mode and
	// parameters changed; Port-Channel1 became static, lost Ethernet2 and
	// gained Ethernet4; Port-Channel5 went, Port-Channel7 came; Ethernet1
	// and Port-Channel1 changed VLANs, Ethernet9 too (now h1's);
	// h2 got bond1, lost bond9; h3 and sw3 went, h4 and sw4 came.
	sw1 = dswitch("sw1", dChassis1, "Ethernet1", "Ethernet2", "Ethernet3", "Ethernet4", "Ethernet5", "Ethernet9", "Port-Channel1", "Port-Channel7")
	sw1.LAGs = []LAG{
		{Name: "Port-Channel1", Kind: LAGStatic, Members: []string{"Ethernet1", "Ethernet4"}},
		{Name: "Port-Channel7", Kind: LAGLACP, Members: []string{"Ethernet5"}},
	}
	sw1.VLANsKnown = true
	p = dport(t, sw1, "Ethernet1")
	p.PVID, p.Untagged, p.Tagged = 20, []int{20}, []int{30, 50}
	p = dport(t, sw1, "Port-Channel1")
	p.PVID, p.Tagged = 10, []int{40, 50, 60}
	p = dport(t, sw1, "Ethernet9")
	p.PVID = 2
	sw2 = dswitch("sw2", dChassis2, "Ethernet1")
	sw4 := dswitch("sw4", dChassis4, "Ethernet1")
	h1 = dhost("h1", Bond{Name: "bond0", Mode: ModeBalanceXOR, MIIMon: 200, XmitHashPolicy: "layer2+3", Slaves: dslaves("eth0", "eth2")},
		dcable{"eth0", dChassis1, "Ethernet4"}, dcable{"eth2", dChassis1, "Ethernet9"})
	h2 = dhost("h2", Bond{Name: "bond0", Mode: ModeActiveBackup, MIIMon: 100, Slaves: dslaves("eth0", "eth1")},
		dcable{"eth0", dChassis1, "Ethernet3"}, dcable{"eth1", dChassis2, "Ethernet1"})
	h2.Bonds = append(h2.Bonds, Bond{Name: "bond1", Mode: ModeBalanceALB, Slaves: dslaves("eth3", "eth4")})
	h4 := dhost("h4", Bond{Name: "bond0", Mode: ModeActiveBackup, Slaves: dslaves("eth0")}, dcable{"eth0", dChassis4, "Ethernet1"})
	new = dbuild(t, []*Host{h4, h2, h1}, []*Switch{sw4, sw2, sw1})
	return old, new
}

func TestDiff(t *testing.T) {
	old, new := driftPair(t)
	got := Diff(old, new)
	want := &Drift{
		HostsAdded:      []string{"h4"},
		HostsRemoved:    []string{"h3"},
		SwitchesAdded:   []string{"sw4"},
		SwitchesRemoved: []string{"sw3"},
		LinksGained:     []LinkEnd{{"h1", "eth2", "sw1", "Ethernet9"}, {"h4", "eth0", "sw4", "Ethernet1"}},
		LinksLost:       []LinkEnd{{"h1", "eth1", "sw1", "Ethernet2"}, {"h3", "eth0", "sw3", "Ethernet1"}},
		LinksMoved:      []LinkMove{{Host: "h1", NIC: "eth0", From: PortRef{"sw1", "Ethernet1"}, To: PortRef{"sw1", "Ethernet4"}}},
		BondsAdded:      []BondRef{{"h2", "bond1", ModeBalanceALB, []string{"eth3", "eth4"}}},
		BondsRemoved:    []BondRef{{"h2", "bond9", ModeActiveBackup, []string{}}},
		BondsChanged: []BondDrift{{Host: "h1", Bond: "bond0", Mode: ModeBalanceXOR,
			Changes: []FieldChange{
				{"mode", "802.3ad", "balance-xor"},
				{"miimon", "100", "200"},
				{"lacp_rate", "fast", ""},
				{"xmit_hash_policy", "layer3+4", "layer2+3"},
			},
			SlavesAdded: []string{"eth2"}, SlavesRemoved: []string{"eth1"}}},
		LAGsAdded:   []LAGRef{{"sw1", "Port-Channel7", LAGLACP, []string{"Ethernet5"}}},
		LAGsRemoved: []LAGRef{{"sw1", "Port-Channel5", LAGStatic, []string{"Ethernet5"}}},
		LAGsChanged: []LAGDrift{{Switch: "sw1", LAG: "Port-Channel1", Kind: LAGStatic,
			Changes:      []FieldChange{{"kind", "lacp", "static"}, {"mlag", "02:1c:73:00:00:99", ""}},
			MembersAdded: []string{"Ethernet4"}, MembersRemoved: []string{"Ethernet2"}}},
		PortVLANs: []PortVLANDrift{
			{Switch: "sw1", Port: "Ethernet1", Hosts: []string{"h1"}, PVID: &IntChange{10, 20},
				TaggedAdded: []int{30}, TaggedRemoved: []int{40}, UntaggedAdded: []int{20}, UntaggedRemoved: []int{10}},
			{Switch: "sw1", Port: "Ethernet9", Hosts: []string{"h1"}, PVID: &IntChange{1, 2},
				TaggedAdded: []int{}, TaggedRemoved: []int{}, UntaggedAdded: []int{}, UntaggedRemoved: []int{}},
			{Switch: "sw1", Port: "Port-Channel1", Hosts: []string{"h1"},
				TaggedAdded: []int{60}, TaggedRemoved: []int{}, UntaggedAdded: []int{}, UntaggedRemoved: []int{}},
		},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Diff (-want +got):\n%s", d)
	}
	if got.Count() != 18 || got.Empty() {
		t.Errorf("Count %d, Empty %v", got.Count(), got.Empty())
	}

	// backwards: what was added is removed, gained is lost, moves reverse
	back := Diff(new, old)
	if !slices.Equal(back.HostsAdded, got.HostsRemoved) || !slices.Equal(back.SwitchesRemoved, got.SwitchesAdded) ||
		!slices.Equal(back.LinksGained, got.LinksLost) || !slices.Equal(back.LinksLost, got.LinksGained) ||
		len(back.LinksMoved) != 1 || back.LinksMoved[0].From != got.LinksMoved[0].To ||
		len(back.LAGsChanged) != 1 || !slices.Equal(back.LAGsChanged[0].MembersRemoved, got.LAGsChanged[0].MembersAdded) ||
		len(back.BondsChanged) != 1 || back.BondsChanged[0].Changes[0] != (FieldChange{"mode", "balance-xor", "802.3ad"}) {
		t.Errorf("Diff(new, old) is not the reverse:\n%+v", back)
	}
}

// TestDiffDeterministic: the same result, byte for byte, however often it
// runs and whatever order the snapshots were given in.
func TestDiffDeterministic(t *testing.T) {
	old, new := driftPair(t)
	first, err := json.Marshal(Diff(old, new))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		o, n := driftPair(t)
		b, _ := json.Marshal(Diff(o, n))
		if string(b) != string(first) {
			t.Fatalf("run %d differs:\n%s\n%s", i, first, b)
		}
	}
}

// TestDiffNothingChanged: the same site twice, and port names written two
// ways (Eth1/1 and Ethernet1/1, member lists in another order), is no drift;
// every list is empty, not null, in JSON.
func TestDiffNothingChanged(t *testing.T) {
	mk := func(portForm string, members []string) *Model {
		sw := dswitch("sw1", dChassis1, "Ethernet1/1", "Ethernet1/2", "Port-Channel1")
		sw.LAGs = []LAG{{Name: "Port-Channel1", Kind: LAGLACP, Members: members}}
		h := dhost("h1", Bond{Name: "bond0", Mode: Mode8023AD, MIIMon: 100, ARPTargets: nil, Slaves: dslaves("eth0", "eth1")},
			dcable{"eth0", dChassis1, portForm}, dcable{"eth1", dChassis1, "Ethernet1/2"})
		return dbuild(t, []*Host{h}, []*Switch{sw})
	}
	a := mk("Ethernet1/1", []string{"Ethernet1/1", "Ethernet1/2"})
	b := mk("Eth1/1", []string{"Eth1/2", "Ethernet1/1"})
	if len(a.Links) != 2 || len(b.Links) != 2 {
		t.Fatalf("links: %d, %d", len(a.Links), len(b.Links))
	}
	d := Diff(a, b)
	if !d.Empty() {
		t.Errorf("drift between equal sites: %+v", d)
	}
	js, _ := json.Marshal(d)
	if strings.Contains(string(js), "null") {
		t.Errorf("empty drift has null lists: %s", js)
	}
	if e := Diff(nil, nil); !e.Empty() {
		t.Errorf("Diff(nil, nil): %+v", e)
	}
	if e := Diff(nil, a); len(e.HostsAdded) != 1 || len(e.LinksGained) != 2 || len(e.BondsAdded) != 0 {
		t.Errorf("Diff(nil, site): %+v", e)
	}
}

func TestCompareNames(t *testing.T) {
	got := []string{"Ethernet10", "Ethernet2", "Gi1/0/10", "Gi1/0/9", "Ethernet1", "eth10", "eth2", "Ethernet02", "Po1", "Ethernet1/10", "Ethernet1/2"}
	slices.SortFunc(got, CompareNames)
	want := []string{"Ethernet1", "Ethernet1/2", "Ethernet1/10", "Ethernet02", "Ethernet2", "Ethernet10", "Gi1/0/9", "Gi1/0/10", "Po1", "eth2", "eth10"}
	if !slices.Equal(got, want) {
		t.Errorf("sorted %q\nwant   %q", got, want)
	}
}

// TestDiffARPValidateOff: a bond snapshot that says arp_validate "none"
// (an older live collection) and one that says nothing (a capture) are the
// same bond: no "arp_validate none → none"; a real change still shows.
func TestDiffARPValidateOff(t *testing.T) {
	mk := func(v string) *Model {
		h := dhost("h1", Bond{Name: "bond0", Mode: ModeActiveBackup, ARPInterval: 100, ARPTargets: []string{"10.0.0.1"}, ARPValidate: v, Slaves: dslaves("eth0")})
		return dbuild(t, []*Host{h}, nil)
	}
	if d := Diff(mk("none"), mk("")); len(d.BondsChanged) != 0 {
		t.Errorf("none vs unset: %+v", d.BondsChanged)
	}
	if d := Diff(mk(""), mk("all")); len(d.BondsChanged) != 1 || len(d.BondsChanged[0].Changes) != 1 || d.BondsChanged[0].Changes[0].New != "all" {
		t.Errorf("unset vs all: %+v", d.BondsChanged)
	}
}

// naiveDiffVLANs is diffVLANs as it was, the oracle of TestDiffVLANsNaive:
// it compares the VLANs of every switch port that carries a host
// link in either Model, and of the LAG (in either Model) such a port is a
// member of, on switches present in both.
func naiveDiffVLANs(d *Drift, old, new *Model) {
	type target struct {
		sw, port string // port: the new switch's name for it when it has one
	}
	hosts := map[portKey]map[string]bool{}
	var targets []target
	add := func(sw, port, host string) {
		k := portKey{sw, NormalizePortName(port)}
		if hosts[k] == nil {
			hosts[k] = map[string]bool{}
			targets = append(targets, target{sw, port})
		}
		hosts[k][host] = true
	}
	for _, m := range []*Model{old, new} {
		for _, l := range m.Links {
			add(l.Switch, l.Port, l.Host)
			for _, mm := range []*Model{old, new} {
				if s := mm.Switch(l.Switch); s != nil {
					if lag := s.LAGOf(l.Port); lag != nil {
						add(l.Switch, lag.Name, l.Host)
					}
				}
			}
		}
	}
	for _, t := range targets {
		osw, ns := old.Switch(t.sw), new.Switch(t.sw)
		if osw == nil || ns == nil {
			continue
		}
		op, np := osw.Port(t.port), ns.Port(t.port)
		if op == nil || np == nil {
			continue
		}
		v := PortVLANDrift{Switch: t.sw, Port: np.Name}
		if op.PVID != np.PVID {
			v.PVID = &IntChange{op.PVID, np.PVID}
		}
		v.TaggedAdded, v.TaggedRemoved = intSetDiff(op.Tagged, np.Tagged)
		v.UntaggedAdded, v.UntaggedRemoved = intSetDiff(op.Untagged, np.Untagged)
		if v.PVID == nil && len(v.TaggedAdded)+len(v.TaggedRemoved)+len(v.UntaggedAdded)+len(v.UntaggedRemoved) == 0 {
			continue
		}
		for h := range hosts[portKey{t.sw, NormalizePortName(t.port)}] {
			v.Hosts = append(v.Hosts, h)
		}
		slices.SortFunc(v.Hosts, CompareNames)
		d.PortVLANs = append(d.PortVLANs, v)
	}
	slices.SortFunc(d.PortVLANs, func(a, b PortVLANDrift) int {
		if c := CompareNames(a.Switch, b.Switch); c != 0 {
			return c
		}
		return CompareNames(a.Port, b.Port)
	})
}

// diffVLANs finds what the naive version found, on the drift pair both
// ways (TestDiffVLANsGenerated: on generated sites).
func TestDiffVLANsNaive(t *testing.T) {
	check := func(name string, old, new *Model) {
		t.Helper()
		var got, want Drift
		got.diffVLANs(old, new)
		naiveDiffVLANs(&want, old, new)
		if d := cmp.Diff(want.PortVLANs, got.PortVLANs); d != "" {
			t.Errorf("%s (-naive +new):\n%s", name, d)
		}
	}
	old, new := driftPair(t)
	check("drift pair", old, new)
	check("drift pair backwards", new, old)
}

// matchByScan (a few items) calls back exactly as matchByMaps does, keys
// repeated on either side among them (the last old item of a key is its
// match).
func TestMatchByScan(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	type matcher func([]string, []string, func(*string) string, func(*string), func(o, n *string), func(*string))
	trace := func(match matcher, old, new []string) []string {
		var out []string
		at := func(xs []string, p *string) int {
			for i := range xs {
				if &xs[i] == p {
					return i
				}
			}
			return -1
		}
		match(old, new, func(s *string) string { return (*s)[:1] },
			func(n *string) { out = append(out, fmt.Sprintf("added %d", at(new, n))) },
			func(o, n *string) { out = append(out, fmt.Sprintf("both %d %d", at(old, o), at(new, n))) },
			func(o *string) { out = append(out, fmt.Sprintf("removed %d", at(old, o))) })
		return out
	}
	for round := range 2000 {
		gen := func() []string {
			xs := make([]string, r.IntN(7))
			for i := range xs {
				xs[i] = string(rune('a'+r.IntN(4))) + fmt.Sprint(i)
			}
			return xs
		}
		old, new := gen(), gen()
		scan, maps := trace(matchByScan[string], old, new), trace(matchByMaps[string], old, new)
		if !slices.Equal(scan, maps) {
			t.Fatalf("round %d: old %q new %q:\nscan %q\nmaps %q", round, old, new, scan, maps)
		}
	}
}

// sameBond says "same" only when bondFields and the slave names find no
// change: a bond changed in any one field bondFields compares is not the
// same (each field of bondFields needs a case here).
func TestSameBondCoversBondFields(t *testing.T) {
	base := Bond{Name: "bond0", Mode: Mode8023AD, MIIMon: 100, ARPTargets: []string{"10.0.0.1"}, LACPRate: "fast",
		XmitHashPolicy: "layer3+4", Slaves: []Slave{{Name: "eth0"}, {Name: "eth1"}}}
	change := map[string]func(b *Bond){
		"mode":             func(b *Bond) { b.Mode = ModeActiveBackup },
		"kind":             func(b *Bond) { b.Kind = BondKindTeam },
		"miimon":           func(b *Bond) { b.MIIMon = 200 },
		"updelay":          func(b *Bond) { b.UpDelay = 5 },
		"downdelay":        func(b *Bond) { b.DownDelay = 5 },
		"arp_interval":     func(b *Bond) { b.ARPInterval = 1000 },
		"arp_ip_target":    func(b *Bond) { b.ARPTargets = []string{"10.0.0.2"} },
		"arp_validate":     func(b *Bond) { b.ARPValidate = "all" },
		"lacp_rate":        func(b *Bond) { b.LACPRate = "slow" },
		"ad_select":        func(b *Bond) { b.AdSelect = "bandwidth" },
		"xmit_hash_policy": func(b *Bond) { b.XmitHashPolicy = "layer2" },
		"min_links":        func(b *Bond) { b.MinLinks = 1 },
		"primary":          func(b *Bond) { b.Primary = "eth1" },
		"bridge":           func(b *Bond) { b.Bridge = "br0" },
	}
	for _, f := range bondFields {
		mut, ok := change[f.name]
		if !ok {
			t.Errorf("bondFields has %q: add its case here (and to sameBond)", f.name)
			continue
		}
		b := base
		b.ARPTargets = slices.Clone(base.ARPTargets)
		mut(&b)
		if f.get(&base) == f.get(&b) {
			t.Errorf("%s: the case does not change the field", f.name)
		}
		if sameBond(&base, &b) {
			t.Errorf("%s changed, sameBond says the bonds are the same", f.name)
		}
	}
	b := base
	b.Slaves = []Slave{{Name: "eth0"}, {Name: "eth2"}}
	if sameBond(&base, &b) {
		t.Error("a slave renamed: sameBond says the bonds are the same")
	}
	if !sameBond(&base, &base) {
		t.Error("a bond is not the same as itself")
	}
}
