package topology

import (
	"slices"
	"strings"
	"testing"
)

// vsxSwitch: an AOS-CX switch declaring VSX (as the arubaos-cx_8360
// recording does: ISL state only), ports 1/1/1-1/1/2, chassis mac.
func vsxSwitch(name, mac string, ns ...Neighbour) *Switch {
	s := leaf(name, mac, "1/1/", 1, 2)
	s.MLAG = &MLAG{Kind: "vsx"}
	s.Neighbours = ns
	return s
}

// onMgmt is a neighbour heard on the out-of-band "mgmt" port IF-MIB does
// not list (as vendors places it: LocalPortUnlisted).
func onMgmt(chassis, remotePort string) Neighbour {
	n := lldp("mgmt", chassis, remotePort, IDIfName)
	n.PortDescr = remotePort
	n.LocalPortUnlisted = true
	return n
}

func domainOf(m *Model, sw string) *Domain {
	for _, d := range m.Domains {
		if slices.Contains(d.Switches, sw) {
			return d
		}
	}
	return nil
}

func build(t *testing.T, hosts []*Host, sws ...*Switch) *Model {
	t.Helper()
	m, err := Build(hosts, sws, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

const (
	macA = "ec:67:94:50:00:0a"
	macB = "ec:67:94:50:00:0b"
	macC = "ec:67:94:50:00:0c"
)

// TestLLDPPeerOnUnlistedMgmtPort: two VSX switches each hear the other on
// the management port IF-MIB does not list, from the other's "mgmt": the
// keepalive link ties them into one VSX domain, one side alone suffices,
// and no uplink or host link is made on a port the switch does not have.
func TestLLDPPeerOnUnlistedMgmtPort(t *testing.T) {
	for _, both := range []bool{true, false} {
		a := vsxSwitch("cx-a", macA, onMgmt(macB, "mgmt"))
		b := vsxSwitch("cx-b", macB)
		if both {
			b.Neighbours = []Neighbour{onMgmt(macA, "mgmt")}
		}
		m := build(t, nil, a, b)
		d := domainOf(m, "cx-a")
		if d == nil || d.Kind != "vsx" || !slices.Equal(d.Switches, []string{"cx-a", "cx-b"}) {
			t.Fatalf("both=%v: domain %+v, want vsx cx-a+cx-b", both, d)
		}
		if !slices.ContainsFunc(d.Evidence, func(e string) bool {
			return strings.Contains(e, "cx-a hears cx-b over LLDP on its management port mgmt (not in IF-MIB)") && strings.Contains(e, "keepalive link")
		}) {
			t.Errorf("evidence %q", d.Evidence)
		}
		if len(m.Uplinks) != 0 || len(m.Links) != 0 {
			t.Errorf("uplinks %+v links %+v on a port IF-MIB does not list", m.Uplinks, m.Links)
		}
	}
}

// TestLLDPPeerOnUnlistedMgmtPortNearMisses: a neighbour on the management
// port is no MLAG peer when it is an ordinary switch (an out-of-band
// management switch's access port), when it answers from a data port
// although it declares VSX too, or when the hearing switch declares no
// MLAG; a host heard there is joined to nothing.
func TestLLDPPeerOnUnlistedMgmtPortNearMisses(t *testing.T) {
	oob := leaf("oob-sw", macC, "1/1/", 20)
	h := host("srv1", NIC{Name: "eno1", PermMAC: "52:54:00:00:01:00"})
	hostOnMgmt := Neighbour{LocalPort: "mgmt", LocalPortUnlisted: true, Protocol: ProtoLLDP, ChassisIDSubtype: IDMAC,
		ChassisID: "52:54:00:00:01:00", PortIDSubtype: IDMAC, PortID: "52:54:00:00:01:00", SystemName: "srv1"}
	plain := leaf("cx-c", macB, "1/1/", 1, 2)
	plain.Neighbours = []Neighbour{onMgmt(macA, "mgmt")}
	for name, sws := range map[string][]*Switch{
		"oob switch":           {vsxSwitch("cx-a", macA, onMgmt(macC, "1/1/20"), hostOnMgmt), oob},
		"vsx from data port":   {vsxSwitch("cx-a", macA, onMgmt(macB, "1/1/20")), vsxSwitch("cx-b", macB)},
		"hearer declares none": {plain, leaf("cx-a", macA, "1/1/", 1)},
	} {
		m := build(t, []*Host{h}, sws...)
		if len(m.Domains) != 0 {
			t.Errorf("%s: domains %+v", name, m.Domains[0])
		}
		if len(m.Links) != 0 {
			t.Errorf("%s: links %+v", name, m.Links)
		}
	}
}

// TestLLDPPeerOnPeerLink: a switch whose MLAG config names its peer link
// hears the other switch on it (on the LAG itself, as FortiSwitch places
// rows heard on an ICL trunk, or on a member): one domain. Heard on any
// other LAG, the other switch is a neighbour, not the peer.
func TestLLDPPeerOnPeerLink(t *testing.T) {
	mk := func(local string) *Switch {
		s := leaf("fsw-a", macA, "port", 1, 47, 48)
		s.Ports = append(s.Ports, Port{Name: "_FlInK1_ICL0_", IfIndex: 100, Type: "lag", Oper: "up"},
			Port{Name: "srv-trunk", IfIndex: 101, Type: "lag", Oper: "up"})
		s.LAGs = []LAG{{Name: "_FlInK1_ICL0_", IfIndex: 100, Kind: LAGUnknown, Members: []string{"port47", "port48"}, PeerLink: true},
			{Name: "srv-trunk", IfIndex: 101, Kind: LAGUnknown, Members: []string{"port1"}}}
		s.MLAG = &MLAG{Kind: "mc-lag", PeerLink: "_FlInK1_ICL0_"}
		s.Neighbours = []Neighbour{lldp(local, macB, "port47", IDIfName)}
		return s
	}
	peer := leaf("fsw-b", macB, "port", 47, 48)
	for local, want := range map[string]string{
		"_FlInK1_ICL0_": "fsw-a hears fsw-b over LLDP on its mc-lag peer link _FlInK1_ICL0_",
		"port48":        "fsw-a hears fsw-b over LLDP on its mc-lag peer link _FlInK1_ICL0_ member port48",
		"srv-trunk":     "",
		"port1":         "",
	} {
		m := build(t, nil, mk(local), peer)
		d := domainOf(m, "fsw-a")
		if want == "" {
			if d != nil {
				t.Errorf("heard on %s: domain %+v", local, d)
			}
			continue
		}
		if d == nil || d.Kind != "mc-lag" || !slices.Contains(d.Switches, "fsw-b") || !slices.Contains(d.Evidence, want) {
			t.Errorf("heard on %s: domain %+v, want evidence %q", local, d, want)
		}
	}
}

// TestLLDPPeerByKeepaliveAddress: the keepalive peer address the MLAG
// config names is among the LLDP management addresses of a neighbour:
// that neighbour is the peer, on whatever port it is heard; another
// address is not.
func TestLLDPPeerByKeepaliveAddress(t *testing.T) {
	for addr, fire := range map[string]bool{"10.0.0.2": true, "10.0.0.3": false} {
		n := lldp("1/1/1", macB, "1/1/1", IDIfName)
		n.MgmtAddrs = []string{addr}
		a := vsxSwitch("cx-a", macA, n)
		a.MLAG.Peer = "10.0.0.2"
		m := build(t, nil, a, leaf("cx-b", macB, "1/1/", 1))
		d := domainOf(m, "cx-a")
		if fire != (d != nil) {
			t.Errorf("neighbour address %s: domain %+v, want one: %v", addr, d, fire)
			continue
		}
		if fire && !slices.Contains(d.Evidence, "cx-a's vsx keepalive peer 10.0.0.2 is cx-b (its LLDP management address, heard on 1/1/1)") {
			t.Errorf("evidence %q", d.Evidence)
		}
	}
}
