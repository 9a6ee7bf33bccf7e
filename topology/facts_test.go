package topology

import (
	"testing"
)

// factsSite: web01's bond0 (802.3ad) has four slaves: eth0 on leaf1 Et1
// (in Po1, leaf1 and leaf2 one MLAG domain), eth1 on leaf2 Et1, eth2 not
// mapped, eth3 on leaf1 Et2 (in no LAG).
func factsSite(t *testing.T, slaves []Slave, mode BondMode) *Model {
	t.Helper()
	const chA, chB = "00:1c:73:00:00:0a", "00:1c:73:00:00:0b"
	h := host("web01",
		NIC{Name: "eth0", PermMAC: "52:54:00:00:01:00", Speed: 25000},
		NIC{Name: "eth1", PermMAC: "52:54:00:00:01:01", Speed: 10000},
		NIC{Name: "eth2", PermMAC: "52:54:00:00:01:02"},
		NIC{Name: "eth3", PermMAC: "52:54:00:00:01:03"})
	h.Bonds = []Bond{{Name: "bond0", Mode: mode, Slaves: slaves}}
	h.Neighbours = []Neighbour{lldp("eth0", chA, "Ethernet1", IDIfName), lldp("eth1", chB, "Ethernet1", IDIfName),
		lldp("eth3", chA, "Et2", IDIfName)}
	l1, l2 := leaf("leaf1", chA, "Ethernet", 1, 2), leaf("leaf2", chB, "Ethernet", 1, 2)
	l1.LAGs = []LAG{{Name: "Po1", Kind: LAGLACP, Members: []string{"Ethernet1"}}}
	l1.MLAG = &MLAG{Kind: "mlag", Domain: "pair1", Peer: "leaf2"}
	m, err := Build([]*Host{h}, []*Switch{l1, l2}, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestBondFactsPlacement(t *testing.T) {
	m := factsSite(t, []Slave{{Name: "eth0"}, {Name: "eth1"}, {Name: "eth2"}, {Name: "eth3"}}, Mode8023AD)
	bfs := m.Host("web01").BondFacts()
	if len(bfs) != 1 || len(bfs[0].Slaves) != 4 {
		t.Fatalf("facts: %+v", bfs)
	}
	bf := bfs[0]
	if bf.Class != ClassLACP || !bf.RunsLACP || bf.Mode != Mode8023AD || bf.Bond != &m.Host("web01").Bonds[0] {
		t.Errorf("bond facts: class %q lacp %v mode %q", bf.Class, bf.RunsLACP, bf.Mode)
	}
	for i, want := range []struct {
		sw, port, lag, domain string
		speed                 int
	}{
		{"leaf1", "Ethernet1", "Po1", "pair1", 25000},
		{"leaf2", "Ethernet1", "", "pair1", 10000},
		{"", "", "", "", 0},
		{"leaf1", "Ethernet2", "", "pair1", 0},
	} {
		sf := &bf.Slaves[i]
		var sw, port, lag, dom string
		if sf.Switch != nil {
			sw = sf.Switch.Name
		}
		if sf.Port != nil {
			port = sf.Port.Name
		}
		if sf.LAG != nil {
			lag = sf.LAG.Name
		}
		if sf.Domain != nil {
			dom = sf.Domain.Name
		}
		if sw != want.sw || port != want.port || lag != want.lag || dom != want.domain || sf.Speed != want.speed || sf.Mapped() != (want.sw != "") {
			t.Errorf("slave %s: placed %q %q %q %q speed %d, want %+v", sf.Slave.Name, sw, port, lag, dom, sf.Speed, want)
		}
		if sf.Mapped() && sf.Link != m.LinkOf("web01", sf.Slave.Name) {
			t.Errorf("slave %s: link is not the model's", sf.Slave.Name)
		}
		if sf.NIC != m.Host("web01").NIC(sf.Slave.Name) || sf.PermMAC != MAC(sf.NIC.PermMAC) {
			t.Errorf("slave %s: NIC %v perm %q", sf.Slave.Name, sf.NIC, sf.PermMAC)
		}
	}
	if p := m.Place(m.LinkOf("web01", "eth0")); p.LAG == nil || p.LAG.Name != "Po1" || p.Domain == nil {
		t.Errorf("Place(eth0) = %+v", p)
	}
	if p := m.Place(nil); p.Mapped() {
		t.Error("Place(nil) is mapped")
	}
}

// TestSlaveFactsLinkAndPartner: "down" is decided once and in any case;
// a partner is real when its system is a usable MAC and it is not
// defaulted.
func TestSlaveFactsLinkAndPartner(t *testing.T) {
	const sys = "00:1c:73:00:00:99"
	for _, c := range []struct {
		name          string
		slave         Slave
		up, down      bool
		partnerSystem MAC
		defaulted     bool
		real          bool
	}{
		{"unreported", Slave{}, true, false, "", false, false},
		{"up", Slave{MIIStatus: "up"}, true, false, "", false, false},
		{"Down in capitals", Slave{MIIStatus: "Down"}, false, true, "", false, false},
		{"down", Slave{MIIStatus: "down"}, false, true, "", false, false},
		{"going back", Slave{MIIStatus: "going back"}, false, false, "", false, false},
		{"real partner", Slave{Partner: &LACPPort{System: sys, Port: 1, State: 61, StateKnown: true}}, true, false, sys, false, true},
		{"partner in another form", Slave{Partner: &LACPPort{System: "001C.7300.0099", Port: 1}}, true, false, sys, false, true},
		{"zero partner", Slave{Partner: &LACPPort{System: ZeroMAC, State: 0x47, StateKnown: true}}, true, false, "", true, false},
		{"defaulted partner", Slave{Partner: &LACPPort{System: sys, State: LACPDefaulted | LACPActivity, StateKnown: true}}, true, false, sys, true, false},
		{"defaulted bit, state unknown", Slave{Partner: &LACPPort{System: sys, State: LACPDefaulted}}, true, false, sys, false, true},
		{"no system printed", Slave{Partner: &LACPPort{State: 61, StateKnown: true}}, true, false, "", false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			sl := c.slave
			sl.Name = "eth0"
			m := factsSite(t, []Slave{sl}, Mode8023AD)
			sf := &m.Host("web01").BondFacts()[0].Slaves[0]
			if sf.Up != c.up || sf.Down != c.down || sf.MII != LinkState(c.slave.MIIStatus) {
				t.Errorf("up %v down %v, want %v %v", sf.Up, sf.Down, c.up, c.down)
			}
			if sf.PartnerSystem != c.partnerSystem || sf.PartnerDefaulted != c.defaulted || sf.PartnerReal() != c.real {
				t.Errorf("partner %q defaulted %v real %v, want %q %v %v", sf.PartnerSystem, sf.PartnerDefaulted, sf.PartnerReal(), c.partnerSystem, c.defaulted, c.real)
			}
		})
	}
}

func TestBondFactsClass(t *testing.T) {
	for _, c := range []struct {
		mode  BondMode
		class Class
		lacp  bool
	}{
		{Mode8023AD, ClassLACP, true},
		{"4", ClassLACP, true},
		{ModeActiveBackup, ClassIndependent, false},
		{ModeBalanceRR, ClassStatic, false},
		{"balance-tcp", ClassUnknown, false}, // an OVS mode on a Linux bond
	} {
		m := factsSite(t, []Slave{{Name: "eth0"}}, c.mode)
		bf := m.Host("web01").BondFacts()[0]
		if bf.Class != c.class || bf.RunsLACP != c.lacp {
			t.Errorf("mode %q: class %q lacp %v, want %q %v", c.mode, bf.Class, bf.RunsLACP, c.class, c.lacp)
		}
	}
}

func TestBondFactsMAC(t *testing.T) {
	for _, c := range []struct {
		in   string
		want MAC
	}{
		{"52:54:00:00:01:00", "52:54:00:00:01:00"},
		{"52-54-00-00-01-0A", "52:54:00:00:01:0a"},
		{ZeroMAC, ""},
		{"garbage", ""},
		{"", ""},
	} {
		h := host("web01", NIC{Name: "eth0"})
		h.Bonds = []Bond{{Name: "bond0", Mode: ModeActiveBackup, MAC: c.in, Slaves: []Slave{{Name: "eth0"}},
			ActiveAggregator: &Aggregator{ID: 1, PartnerMAC: c.in}}}
		m, err := Build([]*Host{h}, nil, BuildOptions{})
		if err != nil {
			t.Fatal(err)
		}
		bf := m.Host("web01").BondFacts()[0]
		if bf.MAC != c.want || bf.AggregatorPartner != c.want {
			t.Errorf("bond and aggregator partner MAC %q: facts %q, %q, want %q", c.in, bf.MAC, bf.AggregatorPartner, c.want)
		}
	}
}
