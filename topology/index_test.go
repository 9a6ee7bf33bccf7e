package topology_test

// The Model's indexes (a host's links, the links on a switch port, a
// host's NICs, the placements, the graph) against a straightforward scan
// of what Build returns, on a generated site with faults and on a host wide
// enough to take the map and binary-search paths.

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/topology"
)

func naiveLinkOf(m *topology.Model, host, nic string) *topology.Link {
	for _, l := range m.Links {
		if l.Host == host && l.NIC == nic {
			return l
		}
	}
	return nil
}

func naiveLinksOnPort(m *topology.Model, sw, port string) []*topology.Link {
	var out []*topology.Link
	for _, l := range m.Links {
		if l.Switch == sw && topology.NormalizePortName(l.Port) == topology.NormalizePortName(port) {
			out = append(out, l)
		}
	}
	return out
}

func naiveNIC(h *topology.HostNode, name string) *topology.NIC {
	var out *topology.NIC
	for i := range h.NICs {
		if h.NICs[i].Name == name {
			out = &h.NICs[i]
		}
	}
	return out
}

func naivePort(s *topology.SwitchNode, name string) *topology.Port {
	for i := range s.Ports {
		if topology.NormalizePortName(s.Ports[i].Name) == topology.NormalizePortName(name) {
			return &s.Ports[i]
		}
	}
	return nil
}

func naiveLAGOf(s *topology.SwitchNode, port string) *topology.LAG {
	var out *topology.LAG
	for i := range s.LAGs {
		for _, mem := range s.LAGs[i].Members {
			if topology.NormalizePortName(mem) == topology.NormalizePortName(port) {
				out = &s.LAGs[i] // the last LAG listing it, as the index keeps it
			}
		}
	}
	return out
}

// checkIndexes compares every index lookup of m with the scan.
func checkIndexes(t *testing.T, m *topology.Model) {
	t.Helper()
	for i, l := range m.Links {
		if l.ID != int64(i) {
			t.Errorf("link %d has ID %d", i, l.ID)
		}
		if i > 0 {
			p := m.Links[i-1]
			if c := strings.Compare(p.Host, l.Host); c > 0 || c == 0 && topology.CompareNames(p.NIC, l.NIC) >= 0 {
				t.Errorf("links not sorted: %s %s before %s %s", p.Host, p.NIC, l.Host, l.NIC)
			}
		}
	}
	for _, h := range m.Hosts {
		names := []string{"absent0", "", strings.ToUpper(h.Name)}
		for _, n := range h.NICs {
			names = append(names, n.Name)
		}
		for _, b := range h.Bonds {
			names = append(names, b.Name)
			for _, s := range b.Slaves {
				names = append(names, s.Name)
			}
		}
		for _, n := range names {
			if got, want := m.LinkOf(h.Name, n), naiveLinkOf(m, h.Name, n); got != want {
				t.Errorf("LinkOf(%s, %s) = %v, want %v", h.Name, n, got, want)
			}
			if got, want := h.NIC(n), naiveNIC(h, n); got != want {
				t.Errorf("%s NIC(%s) = %v, want %v", h.Name, n, got, want)
			}
		}
		facts := h.BondFacts()
		for bi := range facts {
			for si := range facts[bi].Slaves {
				sf := &facts[bi].Slaves[si]
				l := naiveLinkOf(m, h.Name, sf.Slave.Name)
				if sf.Link != l {
					t.Errorf("%s %s placed on link %v, want %v", h.Name, sf.Slave.Name, sf.Link, l)
					continue
				}
				if l == nil {
					continue
				}
				s := m.Switch(l.Switch)
				if sf.Switch != s || sf.Port != naivePort(s, l.Port) || sf.LAG != naiveLAGOf(s, l.Port) || sf.Domain != s.Domain {
					t.Errorf("%s %s: placement %v %v %v, want %v %v %v", h.Name, sf.Slave.Name,
						sf.Switch, sf.Port, sf.LAG, s, naivePort(s, l.Port), naiveLAGOf(s, l.Port))
				}
				if p := m.Place(l); p != sf.Placement {
					t.Errorf("%s %s: Place = %+v, Build placed it %+v", h.Name, sf.Slave.Name, p, sf.Placement)
				}
			}
		}
	}
	for _, s := range m.Switches {
		names := []string{"absent0"}
		for _, p := range s.Ports {
			names = append(names, p.Name, strings.ToUpper(p.Name))
		}
		for _, n := range names {
			if got, want := m.LinksOnPort(s.Name, n), naiveLinksOnPort(m, s.Name, n); !slices.Equal(got, want) {
				t.Errorf("LinksOnPort(%s, %s) = %v, want %v", s.Name, n, got, want)
			}
		}
	}
	if got := m.LinksOnPort("no-such-switch", "eth0"); got != nil {
		t.Errorf("LinksOnPort on an unknown switch = %v", got)
	}
	// the graph, built on first use: one line per link and uplink
	g := m.Graph()
	if g != m.Graph() {
		t.Error("Graph built twice")
	}
	lines := 0
	for _, h := range m.Hosts {
		for _, s := range m.Switches {
			n := g.LinesBetween(h.ID, s.ID).Len()
			want := 0
			for _, l := range m.Links {
				if l.Host == h.Name && l.Switch == s.Name {
					want++
				}
			}
			if n != want {
				t.Errorf("graph: %d lines %s–%s, want %d", n, h.Name, s.Name, want)
			}
			lines += n
		}
	}
	if lines != len(m.Links) {
		t.Errorf("graph: %d host lines, want %d", lines, len(m.Links))
	}
}

func TestIndexesGeneratedSite(t *testing.T) {
	dir := t.TempDir()
	if _, err := sitegen.Write(dir, sitegen.Options{Hosts: 150, Switches: 9, Seed: 3, MinSlaves: 2, MaxSlaves: 8, FaultRate: 0.4}); err != nil {
		t.Fatal(err)
	}
	site, err := collect.LoadSite(os.DirFS(dir), "gen", collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Links) < 300 {
		t.Fatalf("only %d links: the site is not what the test needs", len(m.Links))
	}
	checkIndexes(t, m)
}

// TestIndexesWideHost: a host with more NICs than the scan threshold (so
// its NICs get a map and its links a binary search), a NIC name listed
// twice, and port names in several forms.
func TestIndexesWideHost(t *testing.T) {
	const chassis = "00:1c:73:00:00:0a"
	sw := &topology.Switch{Name: "leaf1", ChassisID: chassis, ChassisIDSubtype: topology.IDMAC}
	h := &topology.Host{Name: "wide"}
	for i := 1; i <= 40; i++ {
		sw.Ports = append(sw.Ports, topology.Port{Name: fmt.Sprintf("Ethernet1/%d", i), IfIndex: i, Type: "ethernet", Oper: "up"})
		nic := fmt.Sprintf("eth%d", i)
		h.NICs = append(h.NICs, topology.NIC{Name: nic, PermMAC: fmt.Sprintf("52:54:00:00:01:%02x", i)})
		if i%3 != 0 { // some unmapped
			h.Neighbours = append(h.Neighbours, topology.Neighbour{LocalPort: nic, Protocol: topology.ProtoLLDP,
				ChassisIDSubtype: topology.IDMAC, ChassisID: chassis, PortIDSubtype: topology.IDIfName,
				PortID: fmt.Sprintf("Eth1/%d", i)})
		}
	}
	h.NICs = append(h.NICs, topology.NIC{Name: "eth5", MTU: 9000}) // a duplicate: the last is kept
	// a second port named Ethernet1/3 in short form, which only LACP maps
	// eth3 to: the link names it, and it is placed on the first
	sw.Ports = append(sw.Ports, topology.Port{Name: "Eth1/3", IfIndex: 99, Oper: "up",
		LACP: &topology.PortLACP{Actor: &topology.LACPPort{System: chassis, Port: 3}}})
	h.Bonds = []topology.Bond{{Name: "bond0", Mode: topology.Mode8023AD, Slaves: []topology.Slave{{Name: "eth1"}, {Name: "eth2"},
		{Name: "eth3", Partner: &topology.LACPPort{System: chassis, Port: 3}}}}}
	sw.LAGs = []topology.LAG{{Name: "Port-Channel1", Members: []string{"Eth1/1", "Ethernet1/2"}}}
	m, err := topology.Build([]*topology.Host{h}, []*topology.Switch{sw}, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Links) <= 16 {
		t.Fatalf("%d links: want more than the scan threshold", len(m.Links))
	}
	if l := m.LinkOf("wide", "eth3"); l == nil || l.Port != "Eth1/3" {
		t.Errorf("eth3's link = %+v, want LACP's port Eth1/3", l)
	}
	if n := m.Host("wide").NIC("eth5"); n == nil || n.MTU != 9000 {
		t.Errorf("NIC(eth5) = %+v, want the last one listed", n)
	}
	checkIndexes(t, m)
}

// TestUplinksHeardFromBothEnds: a spine–leaf mesh where every cable is
// heard from both ends (LLDP, one end naming ports in short form) and
// again over CDP is one uplink per cable with the evidence of each side,
// as a scan of the uplinks per neighbour found it.
func TestUplinksHeardFromBothEnds(t *testing.T) {
	const spines, leaves = 4, 24
	var sws []*topology.Switch
	mac := func(i int) string { return fmt.Sprintf("00:1c:73:00:%02x:%02x", i/256, i%256) }
	for i := 0; i < spines+leaves; i++ {
		name := fmt.Sprintf("leaf%02d", i-spines)
		if i < spines {
			name = fmt.Sprintf("spine%d", i)
		}
		s := &topology.Switch{Name: name, ChassisID: mac(i), ChassisIDSubtype: topology.IDMAC}
		for p := 1; p <= leaves; p++ {
			s.Ports = append(s.Ports, topology.Port{Name: fmt.Sprintf("Ethernet1/%d", p), IfIndex: p, Type: "ethernet", Oper: "up"})
		}
		sws = append(sws, s)
	}
	hear := func(s *topology.Switch, local string, peer int, port string, proto topology.Protocol) {
		s.Neighbours = append(s.Neighbours, topology.Neighbour{LocalPort: local, Protocol: proto, ChassisIDSubtype: topology.IDMAC,
			ChassisID: mac(peer), PortIDSubtype: topology.IDIfName, PortID: port})
	}
	for sp := 0; sp < spines; sp++ {
		for l := 0; l < leaves; l++ {
			li := spines + l
			hear(sws[sp], fmt.Sprintf("Ethernet1/%d", l+1), li, fmt.Sprintf("Eth1/%d", sp+1), topology.ProtoLLDP)
			hear(sws[li], fmt.Sprintf("Ethernet1/%d", sp+1), sp, fmt.Sprintf("Ethernet1/%d", l+1), topology.ProtoLLDP)
			hear(sws[li], fmt.Sprintf("Ethernet1/%d", sp+1), sp, fmt.Sprintf("Eth1/%d", l+1), topology.ProtoCDP)
		}
	}
	m, err := topology.Build(nil, sws, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Uplinks) != spines*leaves {
		t.Fatalf("%d uplinks, want one per cable (%d)", len(m.Uplinks), spines*leaves)
	}
	for i, u := range m.Uplinks {
		if u.ID != int64(i) {
			t.Errorf("uplink %d has ID %d", i, u.ID)
		}
		leaf, spine := u.A, u.B
		if strings.HasPrefix(leaf, "spine") {
			leaf, spine = spine, leaf
		}
		want := []string{"lldp@" + u.A, "lldp@" + u.B, "cdp@" + leaf}
		if u.A == leaf {
			want = []string{"lldp@" + leaf, "cdp@" + leaf, "lldp@" + spine}
		}
		if !slices.Equal(u.Evidence, want) {
			t.Errorf("%s %s ↔ %s %s: evidence %v, want %v", u.A, u.APort, u.B, u.BPort, u.Evidence, want)
		}
	}
}
