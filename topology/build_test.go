package topology

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// leaf builds a switch with ethernet ports named prefix+N for the given numbers.
func leaf(name, chassis, prefix string, ports ...int) *Switch {
	s := &Switch{Name: name, ChassisID: chassis, ChassisIDSubtype: IDMAC}
	for _, n := range ports {
		s.Ports = append(s.Ports, Port{Name: prefix + itoa(n), IfIndex: n, Type: "ethernet", Oper: "up"})
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

func host(name string, nics ...NIC) *Host {
	return &Host{Name: name, NICs: nics}
}

func lldp(local, chassis, portID, subtype string) Neighbour {
	return Neighbour{LocalPort: local, Protocol: ProtoLLDP, ChassisIDSubtype: IDMAC, ChassisID: chassis,
		PortIDSubtype: subtype, PortID: portID}
}

type linkRow struct {
	Host, NIC, Switch, Port string
	Evidence                EvidenceKind // kinds joined by ","
}

func linkRows(m *Model) []linkRow {
	var out []linkRow
	for _, l := range m.Links {
		out = append(out, linkRow{l.Host, l.NIC, l.Switch, l.Port, EvidenceKind(strings.Join(EvidenceStrings(l.Evidence), ","))})
	}
	return out
}

func TestBuildJoinSources(t *testing.T) {
	const leafA, leafB = "00:1c:73:00:00:0a", "00:1c:73:00:00:0b"
	tests := []struct {
		name      string
		hosts     []*Host
		switches  []*Switch
		want      []linkRow
		conflicts int
	}{
		{
			name: "host LLDP with abbreviated port name",
			hosts: []*Host{func() *Host {
				h := host("web01", NIC{Name: "eth0", PermMAC: "52:54:00:00:01:00"})
				h.Neighbours = []Neighbour{lldp("eth0", "00-1C-73-00-00-0A", "Eth1/7", IDIfName)}
				return h
			}()},
			switches: []*Switch{leaf("leaf1", leafA, "Ethernet1/", 7, 8)},
			want:     []linkRow{{"web01", "eth0", "leaf1", "Ethernet1/7", EvLLDPHost}},
		},
		{
			name:  "switch LLDP names the NIC by permanent MAC (slave carries the bond MAC)",
			hosts: []*Host{host("web01", NIC{Name: "eth1", MAC: "52:54:00:00:01:00", PermMAC: "52:54:00:00:01:01", Master: "bond0"})},
			switches: []*Switch{func() *Switch {
				s := leaf("leaf1", leafA, "Ethernet", 1, 2)
				s.Neighbours = []Neighbour{{LocalPort: "Ethernet2", Protocol: ProtoLLDP, ChassisID: "52:54:00:00:01:00",
					PortIDSubtype: IDMAC, PortID: "52:54:00:00:01:01", PortDescr: "eth1", SystemName: "web01.example.net"}}
				return s
			}()},
			want: []linkRow{{"web01", "eth1", "leaf1", "Ethernet2", EvLLDPSwitch}},
		},
		{
			name:  "switch LLDP names the NIC by system name and ifname",
			hosts: []*Host{host("web01.example.net", NIC{Name: "eno1", PermMAC: "52:54:00:00:01:01"})},
			switches: []*Switch{func() *Switch {
				s := leaf("leaf1", leafA, "Gi1/0/", 1, 2)
				s.Neighbours = []Neighbour{{LocalPort: "GigabitEthernet1/0/2", Protocol: ProtoLLDP, ChassisID: "aa:bb:cc:dd:ee:ff",
					PortIDSubtype: IDLocal, PortID: "eno1", SystemName: "web01"}}
				return s
			}()},
			want: []linkRow{{"web01.example.net", "eno1", "leaf1", "Gi1/0/2", EvLLDPSwitch}},
		},
		{
			name: "LACP partner system and port number match the switch actor",
			hosts: []*Host{{Name: "db01", NICs: []NIC{{Name: "eth0"}, {Name: "eth1"}},
				Bonds: []Bond{{Name: "bond0", Mode: Mode8023AD, MAC: "52:54:00:00:02:00", Slaves: []Slave{
					{Name: "eth0", Partner: &LACPPort{System: "02:1c:73:00:00:99", Key: 7, Port: 5, State: 0x3d, StateKnown: true}},
					{Name: "eth1", Partner: &LACPPort{System: "02:1c:73:00:00:99", Key: 7, Port: 6, State: 0x3d, StateKnown: true}},
				}}}}},
			switches: []*Switch{func() *Switch {
				s := leaf("leaf1", leafA, "Ethernet", 5, 6)
				for i := range s.Ports {
					s.Ports[i].LACP = &PortLACP{Actor: &LACPPort{System: "02:1C:73:00:00:99", Key: 7, Port: s.Ports[i].IfIndex}}
				}
				return s
			}()},
			want: []linkRow{{"db01", "eth0", "leaf1", "Ethernet5", EvLACP}, {"db01", "eth1", "leaf1", "Ethernet6", EvLACP}},
		},
		{
			name: "switch LACP partner names the host bond's actor system and port",
			hosts: []*Host{{Name: "db01", NICs: []NIC{{Name: "eth0"}},
				Bonds: []Bond{{Name: "bond0", Mode: Mode8023AD, MAC: "52:54:00:00:02:00", Slaves: []Slave{
					{Name: "eth0", Actor: &LACPPort{Port: 1}},
				}}}}},
			switches: []*Switch{func() *Switch {
				s := leaf("leaf1", leafA, "Ethernet", 5)
				s.Ports[0].LACP = &PortLACP{Partner: &LACPPort{System: "52:54:00:00:02:00", Port: 1}}
				return s
			}()},
			want: []linkRow{{"db01", "eth0", "leaf1", "Ethernet5", EvLACP}},
		},
		{
			name: "FDB: active-backup active slave transmits with the bond MAC on one edge port",
			hosts: []*Host{{Name: "app01", NICs: []NIC{{Name: "eth0", PermMAC: "52:54:00:00:03:00", Master: "bond0"}, {Name: "eth1", PermMAC: "52:54:00:00:03:01", Master: "bond0"}},
				Bonds: []Bond{{Name: "bond0", Mode: ModeActiveBackup, MAC: "52:54:00:00:03:00", ActiveSlave: "eth1",
					Slaves: []Slave{{Name: "eth0"}, {Name: "eth1"}}}}}},
			switches: []*Switch{func() *Switch {
				s := leaf("acc1", leafA, "Gi1/0/", 9, 10, 48)
				s.FDB = []FDBEntry{{MAC: "5254.0000.0300", VLAN: 10, Port: "Gi1/0/10"}, {MAC: "52:54:00:00:03:00", VLAN: 20, Port: "Gi1/0/10"}}
				return s
			}()},
			want: []linkRow{{"app01", "eth1", "acc1", "Gi1/0/10", EvFDB}},
		},
		{
			name:  "FDB: a MAC learned on two edge ports (on one switch or two) proves neither",
			hosts: []*Host{{Name: "app01", NICs: []NIC{{Name: "eth0", PermMAC: "52:54:00:00:03:00"}, {Name: "eth1", PermMAC: "52:54:00:00:03:01"}}}},
			switches: []*Switch{func() *Switch {
				s := leaf("acc1", leafA, "Gi1/0/", 9, 10, 11)
				s.FDB = []FDBEntry{{MAC: "52:54:00:00:03:00", VLAN: 10, Port: "Gi1/0/9"}, {MAC: "5254.0000.0300", VLAN: 10, Port: "Gi1/0/10"},
					{MAC: "52:54:00:00:03:01", VLAN: 10, Port: "Gi1/0/11"}}
				return s
			}(), func() *Switch {
				s := leaf("acc2", leafB, "Gi1/0/", 11)
				s.FDB = []FDBEntry{{MAC: "52:54:00:00:03:01", VLAN: 10, Port: "Gi1/0/11"}}
				return s
			}()},
			want: nil,
		},
		{
			name: "FDB: a NIC's own MAC overrides the bond MAC its active-backup bond gave it, learned or not",
			hosts: []*Host{{Name: "app01", NICs: []NIC{{Name: "eth0", PermMAC: "52:54:00:00:03:00", Master: "bond0"}, {Name: "eth1", PermMAC: "52:54:00:00:03:01"}},
				Bonds: []Bond{{Name: "bond0", Mode: ModeActiveBackup, MAC: "52:54:00:00:03:00", ActiveSlave: "eth1",
					Slaves: []Slave{{Name: "eth0"}}}}}},
			switches: []*Switch{func() *Switch {
				s := leaf("acc1", leafA, "Gi1/0/", 9)
				s.FDB = []FDBEntry{{MAC: "52:54:00:00:03:00", Port: "Gi1/0/9"}}
				return s
			}()},
			want: nil,
		},
		{
			name:  "FDB: the all-zero MAC is a MAC like any other",
			hosts: []*Host{{Name: "app01", NICs: []NIC{{Name: "eth0", PermMAC: "00:00:00:00:00:00"}}}},
			switches: []*Switch{func() *Switch {
				s := leaf("acc1", leafA, "Gi1/0/", 9)
				s.FDB = []FDBEntry{{MAC: "0000.0000.0000", Port: "Gi1/0/9"}}
				return s
			}()},
			want: []linkRow{{"app01", "eth0", "acc1", "Gi1/0/9", EvFDB}},
		},
		{
			name:  "FDB entry on a LAG member is not used",
			hosts: []*Host{{Name: "app01", NICs: []NIC{{Name: "eth0", PermMAC: "52:54:00:00:03:00"}}}},
			switches: []*Switch{func() *Switch {
				s := leaf("acc1", leafA, "Gi1/0/", 9, 10)
				s.LAGs = []LAG{{Name: "Po9", Kind: LAGLACP, Members: []string{"Gi1/0/9"}}}
				s.FDB = []FDBEntry{{MAC: "52:54:00:00:03:00", Port: "Gi1/0/9"}}
				return s
			}()},
			want: nil,
		},
		{
			name: "host and switch LLDP agree: one link, both evidence kinds",
			hosts: []*Host{func() *Host {
				h := host("web01", NIC{Name: "eth0", PermMAC: "52:54:00:00:01:00"})
				h.Neighbours = []Neighbour{lldp("eth0", leafA, "Ethernet7", IDIfName)}
				return h
			}()},
			switches: []*Switch{func() *Switch {
				s := leaf("leaf1", leafA, "Ethernet", 7)
				s.Neighbours = []Neighbour{{LocalPort: "Ethernet7", Protocol: ProtoLLDP, PortIDSubtype: IDMAC, PortID: "52:54:00:00:01:00"}}
				return s
			}()},
			want: []linkRow{{"web01", "eth0", "leaf1", "Ethernet7", EvLLDPHost + "," + EvLLDPSwitch}},
		},
		{
			name: "host and switch LLDP disagree: conflict, host LLDP wins",
			hosts: []*Host{func() *Host {
				h := host("web01", NIC{Name: "eth0", PermMAC: "52:54:00:00:01:00"})
				h.Neighbours = []Neighbour{lldp("eth0", leafA, "Ethernet7", IDIfName)}
				return h
			}()},
			switches: []*Switch{func() *Switch {
				s := leaf("leaf1", leafA, "Ethernet", 7, 8)
				s.Neighbours = []Neighbour{{LocalPort: "Ethernet8", Protocol: ProtoLLDP, PortIDSubtype: IDMAC, PortID: "52:54:00:00:01:00"}}
				return s
			}()},
			want:      []linkRow{{"web01", "eth0", "leaf1", "Ethernet7", EvLLDPHost}},
			conflicts: 1,
		},
		{
			name: "Junos sends the ifIndex as a local port ID",
			hosts: []*Host{func() *Host {
				h := host("web01", NIC{Name: "eth0"})
				h.Neighbours = []Neighbour{{LocalPort: "eth0", Protocol: ProtoLLDP, ChassisIDSubtype: IDMAC, ChassisID: leafB,
					PortIDSubtype: IDLocal, PortID: "517", PortDescr: "xe-0/0/1"}}
				return h
			}()},
			switches: []*Switch{func() *Switch {
				s := leaf("qfx1", leafB, "xe-0/0/", 0, 1)
				s.Ports[1].IfIndex = 517
				return s
			}()},
			want: []linkRow{{"web01", "eth0", "qfx1", "xe-0/0/1", EvLLDPHost}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Build(tt.hosts, tt.switches, BuildOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, linkRows(m)); diff != "" {
				t.Errorf("links (-want +got):\n%s", diff)
			}
			if len(m.Conflicts) != tt.conflicts {
				t.Errorf("conflicts = %d %+v, want %d", len(m.Conflicts), m.Conflicts, tt.conflicts)
			}
		})
	}
}

func TestBuildDomainsAndGraph(t *testing.T) {
	const sys = "02:00:00:00:00:42"
	a := leaf("leaf1a", "00:00:00:00:0a:01", "Ethernet", 1, 49)
	b := leaf("leaf1b", "00:00:00:00:0b:01", "Ethernet", 1, 49)
	c := leaf("leaf2", "00:00:00:00:0c:01", "Ethernet", 1)
	for _, s := range []*Switch{a, b} {
		s.LAGs = []LAG{{Name: "Port-Channel1", Kind: LAGLACP, Members: []string{"Ethernet1"}, ActorSystem: sys}}
	}
	h := &Host{Name: "web01", NICs: []NIC{{Name: "eth0"}, {Name: "eth1"}, {Name: "eth2"}},
		Bonds: []Bond{{Name: "bond0", Mode: Mode8023AD, Slaves: []Slave{{Name: "eth0"}, {Name: "eth1"}, {Name: "eth2"}}}},
		Neighbours: []Neighbour{
			lldp("eth0", a.ChassisID, "Ethernet1", IDIfName),
			lldp("eth1", b.ChassisID, "Ethernet1", IDIfName),
			lldp("eth2", a.ChassisID, "Ethernet49", IDIfName),
			lldp("eth2", "de:ad:be:ef:00:01", "Ethernet9", IDIfName), // a switch not in the site
		}}
	dup := &Host{Name: "web01", Source: "hosts/web01-copy.json"}
	m, err := Build([]*Host{h, dup}, []*Switch{c, b, a}, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(m.Domains); got != 1 {
		t.Fatalf("domains = %d, want 1", got)
	}
	if diff := cmp.Diff([]string{"leaf1a", "leaf1b"}, m.Domains[0].Switches); diff != "" {
		t.Errorf("domain members (-want +got):\n%s", diff)
	}
	if m.Domains[0].SystemID != sys {
		t.Errorf("domain system ID = %q, want %q", m.Domains[0].SystemID, sys)
	}
	if !m.SameDomain("leaf1a", "leaf1b") || m.SameDomain("leaf1a", "leaf2") || !m.SameDomain("leaf2", "leaf2") {
		t.Errorf("SameDomain wrong")
	}
	// switches sorted, IDs after hosts, stable
	if m.Switches[0].Name != "leaf1a" || m.Switches[0].ID != 1 || m.Switches[2].Name != "leaf2" {
		t.Errorf("switch order/IDs: %s=%d …", m.Switches[0].Name, m.Switches[0].ID)
	}
	// two parallel lines web01—leaf1a survive in the multigraph
	if n := m.Graph().LinesBetween(0, 1).Len(); n != 2 {
		t.Errorf("lines web01-leaf1a = %d, want 2", n)
	}
	if len(m.Problems) != 1 || !strings.Contains(m.Problems[0], "duplicate host name") {
		t.Errorf("problems = %q", m.Problems)
	}
	if len(m.Unresolved) != 1 || m.Unresolved[0].Neighbour.ChassisID != "de:ad:be:ef:00:01" {
		t.Errorf("unresolved = %+v", m.Unresolved)
	}
	if l := m.LinksOnPort("leaf1a", "Et1"); len(l) != 1 || l[0].NIC != "eth0" {
		t.Errorf("LinksOnPort(leaf1a, Et1) = %+v", l)
	}
	if m.Switch("leaf1a").LAGOf("Eth1") == nil {
		t.Errorf("LAGOf by abbreviated name failed")
	}
}

func TestBuildDomainFromHostPartner(t *testing.T) {
	// Two switches with no LACP MIB data at all: the host's bond sees one
	// partner system on both, so they must be one MLAG domain.
	a := leaf("sw-a", "00:00:00:00:0a:01", "swp", 46)
	b := leaf("sw-b", "00:00:00:00:0b:01", "swp", 46)
	p := func(port int) *LACPPort {
		return &LACPPort{System: "44:38:39:ff:00:01", Key: 3, Port: port, State: 0x3f, StateKnown: true}
	}
	h := &Host{Name: "kvm1", NICs: []NIC{{Name: "eno1"}, {Name: "eno2"}},
		Bonds:      []Bond{{Name: "bond0", Mode: Mode8023AD, Slaves: []Slave{{Name: "eno1", Partner: p(46)}, {Name: "eno2", Partner: p(1046)}}}},
		Neighbours: []Neighbour{lldp("eno1", a.ChassisID, "swp46", IDIfName), lldp("eno2", b.ChassisID, "swp46", IDIfName)}}
	m, _ := Build([]*Host{h}, []*Switch{a, b}, BuildOptions{})
	if !m.SameDomain("sw-a", "sw-b") {
		t.Fatalf("switches not grouped; domains=%+v", m.Domains)
	}
	// …but a defaulted partner proves nothing.
	h.Bonds[0].Slaves[1].Partner.State |= LACPDefaulted
	a2 := leaf("sw-a", "00:00:00:00:0a:01", "swp", 46)
	b2 := leaf("sw-b", "00:00:00:00:0b:01", "swp", 46)
	m, _ = Build([]*Host{h}, []*Switch{a2, b2}, BuildOptions{})
	if m.SameDomain("sw-a", "sw-b") {
		t.Errorf("defaulted partner grouped the switches")
	}
}

func TestNormalize(t *testing.T) {
	macs := map[string]string{
		"00:1C:73:B3:AF:BB": "00:1c:73:b3:af:bb",
		"0-1c-73-b3-af-bb":  "00:1c:73:b3:af:bb",
		"001c.73b3.afbb":    "00:1c:73:b3:af:bb",
		"001c73b3afbb":      "00:1c:73:b3:af:bb",
		"00 1C 73 B3 AF BB": "00:1c:73:b3:af:bb",
		"xx:xx:xx:xx:xx:xx": "",
		"eth0":              "",
		"":                  "",
	}
	for in, want := range macs {
		if got := NormalizeMAC(in); got != want {
			t.Errorf("NormalizeMAC(%q) = %q, want %q", in, got, want)
		}
	}
	same := [][2]string{{"Gi1/0/1", "GigabitEthernet1/0/1"}, {"Eth1/1", "Ethernet1/1"}, {"Et23", "Ethernet23"},
		{"Po7", "Port-Channel7"}, {"Te1/0/1", "TenGigabitEthernet1/0/1"}, {"TenGigabitEthernet 0/1", "Te0/1"},
		{"Hu1/0/1", "HundredGigE1/0/1"}, {"xe-0/0/1", "XE-0/0/1"}}
	for _, p := range same {
		if !SamePort(p[0], p[1]) {
			t.Errorf("SamePort(%q, %q) = false", p[0], p[1])
		}
	}
	differ := [][2]string{{"Gi1/0/1", "Gi1/0/10"}, {"Et1", "Fa1"}, {"xe-0/0/1", "ge-0/0/1"}, {"Po1", "Gi1"}}
	for _, p := range differ {
		if SamePort(p[0], p[1]) {
			t.Errorf("SamePort(%q, %q) = true", p[0], p[1])
		}
	}
}

func TestNameModule(t *testing.T) {
	for _, c := range []struct {
		name string
		n    int
		ok   bool
	}{
		{"Gi2/0/1", 2, true}, {"xe-0/0/3", 0, true}, {"Ethernet3/1/1", 3, true}, {"ge-1/0/5.0", 1, true},
		{"Ethernet1/49", 0, false}, {"Ethernet7", 0, false}, {"Po10", 0, false}, {"Gi1//1", 0, false},
	} {
		if n, ok := NameModule(c.name); n != c.n || ok != c.ok {
			t.Errorf("NameModule(%q) = %d, %v; want %d, %v", c.name, n, ok, c.n, c.ok)
		}
	}
}
