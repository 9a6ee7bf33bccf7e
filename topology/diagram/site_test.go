package diagram

import (
	"fmt"
	"testing"

	"github.com/bondaudit/bondaudit/topology"
)

// Hand-written sites for the tests: snapshots as collectors would write
// them, joined by topology.Build.

const (
	chassisA = "00:1c:73:00:00:0a"
	chassisB = "00:1c:73:00:00:0b"
	chassisC = "00:1c:73:00:00:0c"
	mlagSys  = "02:1c:73:0a:0b:01"
)

// sw builds a switch with ethernet ports EthernetN, speed in Mb/s.
func sw(name, chassis string, speed int, ports ...int) *topology.Switch {
	s := &topology.Switch{Name: name, ChassisID: chassis, ChassisIDSubtype: topology.IDMAC, Vendor: "arista"}
	for _, n := range ports {
		s.Ports = append(s.Ports, topology.Port{Name: fmt.Sprintf("Ethernet%d", n), IfIndex: n, Type: "ethernet",
			Oper: "up", Speed: speed})
	}
	return s
}

// lag adds an LACP port-channel; mlag marks it multi-chassis.
func lag(s *topology.Switch, name string, mlag bool, members ...string) {
	l := topology.LAG{Name: name, Kind: topology.LAGLACP, Members: members, Oper: "up"}
	if mlag {
		l.MLAG, l.ActorSystem = mlagSys, mlagSys
	}
	s.LAGs = append(s.LAGs, l)
	for i := range s.Ports {
		for _, m := range members {
			if s.Ports[i].Name == m {
				s.Ports[i].LACP = &topology.PortLACP{Mode: "active", Status: "bundled"}
			}
		}
	}
}

// peer makes two switches an MLAG pair joined by a peer link on port n.
func peer(a, b *topology.Switch, chassisOfB string, n int) {
	a.MLAG = &topology.MLAG{Kind: "mlag", Domain: "pair", Peer: b.Name, SystemID: mlagSys}
	b.MLAG = &topology.MLAG{Kind: "mlag", Domain: "pair", Peer: a.Name, SystemID: mlagSys}
	uplink(a, b, chassisOfB, n, n)
}

// uplink records that a hears b on its port na (b's port nb) over LLDP.
func uplink(a, b *topology.Switch, chassisOfB string, na, nb int) {
	a.Neighbours = append(a.Neighbours, topology.Neighbour{LocalPort: fmt.Sprintf("Ethernet%d", na), Protocol: topology.ProtoLLDP,
		ChassisIDSubtype: topology.IDMAC, ChassisID: chassisOfB, PortIDSubtype: topology.IDIfName,
		PortID: fmt.Sprintf("Ethernet%d", nb), SystemName: b.Name})
}

// cable is one bond slave: NIC name, the chassis and port it hears over LLDP.
type cable struct {
	nic, chassis string
	port         int
}

// bondHost builds a host with one bond0 of the given mode over the cables,
// each slave 25G and, for 802.3ad, negotiated with partner system sys.
func bondHost(name string, mode topology.BondMode, sys string, cables ...cable) *topology.Host {
	h := &topology.Host{Name: name}
	b := topology.Bond{Name: "bond0", Mode: mode, MIIMon: 100}
	for i, c := range cables {
		mac := fmt.Sprintf("52:54:00:%02x:%02x:%02x", len(name), name[len(name)-1], i)
		h.NICs = append(h.NICs, topology.NIC{Name: c.nic, PermMAC: mac, Speed: 25000, State: "up", Master: "bond0"})
		sl := topology.Slave{Name: c.nic, MIIStatus: "up", Speed: 25000, PermMAC: mac}
		if mode == topology.Mode8023AD {
			sl.Partner = &topology.LACPPort{System: sys, Key: 1, Port: c.port, State: 0x3d, StateKnown: true}
		}
		b.Slaves = append(b.Slaves, sl)
		h.Neighbours = append(h.Neighbours, topology.Neighbour{LocalPort: c.nic, Protocol: topology.ProtoLLDP,
			ChassisIDSubtype: topology.IDMAC, ChassisID: c.chassis, PortIDSubtype: topology.IDIfName,
			PortID: fmt.Sprintf("Ethernet%d", c.port)})
	}
	h.Bonds = []topology.Bond{b}
	return h
}

// smallSite: leafA+leafB an MLAG pair, leafC standalone, uplinked to leafA.
//
//	web1   802.3ad over leafA Port-Channel1 + leafB Port-Channel1 (MLAG)
//	db1    802.3ad over leafC Port-Channel5 = Ethernet5 + Ethernet6
//	app1   active-backup over leafA Ethernet3 + leafC Ethernet3
//	stor1  balance-alb over leafC Ethernet7 + Ethernet8 (plain ports)
func smallSite(t testing.TB) *topology.Model {
	t.Helper()
	a, b, c := sw("leafA", chassisA, 25000, 1, 3, 48, 49), sw("leafB", chassisB, 25000, 1, 49), sw("leafC", chassisC, 25000, 3, 5, 6, 7, 8, 48)
	lag(a, "Port-Channel1", true, "Ethernet1")
	lag(b, "Port-Channel1", true, "Ethernet1")
	lag(c, "Port-Channel5", false, "Ethernet5", "Ethernet6")
	peer(a, b, chassisB, 49)
	uplink(c, a, chassisA, 48, 48)
	hosts := []*topology.Host{
		bondHost("web1", topology.Mode8023AD, mlagSys, cable{"eth0", chassisA, 1}, cable{"eth1", chassisB, 1}),
		bondHost("db1", topology.Mode8023AD, "44:4c:a8:00:00:0c", cable{"eth0", chassisC, 5}, cable{"eth1", chassisC, 6}),
		bondHost("app1", topology.ModeActiveBackup, "", cable{"eno1", chassisA, 3}, cable{"eno2", chassisC, 3}),
		bondHost("stor1", topology.ModeBalanceALB, "", cable{"eno1", chassisC, 7}, cable{"eno2", chassisC, 8}),
	}
	return build(t, hosts, []*topology.Switch{a, b, c})
}

func build(t testing.TB, hosts []*topology.Host, switches []*topology.Switch) *topology.Model {
	t.Helper()
	m, err := topology.Build(hosts, switches, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Problems) > 0 {
		t.Fatalf("site problems: %v", m.Problems)
	}
	return m
}

// pairSite: n hosts, each with an 802.3ad bond over one MLAG pair
// (leafA Port-ChannelN + leafB Port-ChannelN), plus a third switch with
// one host, so a focus on the pair has something to leave out.
func pairSite(t testing.TB, n int) *topology.Model {
	t.Helper()
	ports := make([]int, 0, n+1)
	for i := 1; i <= n; i++ {
		ports = append(ports, i)
	}
	ports = append(ports, 1000)
	a, b := sw("leafA", chassisA, 25000, ports...), sw("leafB", chassisB, 25000, ports...)
	c := sw("leafC", chassisC, 10000, 1, 2)
	peer(a, b, chassisB, 1000)
	var hosts []*topology.Host
	for i := 1; i <= n; i++ {
		pc := fmt.Sprintf("Port-Channel%d", i)
		lag(a, pc, true, fmt.Sprintf("Ethernet%d", i))
		lag(b, pc, true, fmt.Sprintf("Ethernet%d", i))
		hosts = append(hosts, bondHost(fmt.Sprintf("host%03d", i), topology.Mode8023AD, mlagSys,
			cable{"eth0", chassisA, i}, cable{"eth1", chassisB, i}))
	}
	hosts = append(hosts, bondHost("lonely", topology.ModeActiveBackup, "", cable{"eth0", chassisC, 1}, cable{"eth1", chassisC, 2}))
	return build(t, hosts, []*topology.Switch{a, b, c})
}
