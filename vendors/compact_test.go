package vendors_test

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

// TestDecodedSwitchIsCompact: a decoded switch holds its slices at their
// length and one copy of each text and MAC its rows repeat (the system
// description every host's LLDP sends, the switch's LACP system ID on
// every port), so a site of 400 switches does not keep a copy per row
// (issue 18).
func TestDecodedSwitchIsCompact(t *testing.T) {
	// three LLDP neighbours: append would leave room for four
	var rec strings.Builder
	rec.WriteString(base)
	for port := 1; port <= 3; port++ {
		for _, col := range []string{
			"4|2|4", "5|4x|b8cef6a1060" + fmt.Sprint(port), "6|2|5", "7|4|eth0",
			"8|4|bond0 slave", "9|4|web0" + fmt.Sprint(port), "10|4|Debian GNU/Linux 12 (bookworm) Linux 6.1.0-18-amd64 #1 SMP x86_64",
		} {
			c, v, _ := strings.Cut(col, "|")
			fmt.Fprintf(&rec, "1.0.8802.1.1.2.1.4.1.1.%s.0.%d.1|%s\n", c, port, v)
		}
	}
	// the same LACP system ID on every port, as a switch sends it, and
	// one partner heard on two of them
	for port := 1; port <= 4; port++ {
		fmt.Fprintf(&rec, "1.2.840.10006.300.43.1.2.1.1.3.%d|4x|001c73aabbcc\n", port)
		fmt.Fprintf(&rec, "1.2.840.10006.300.43.1.2.1.1.9.%d|4x|b8cef6a1aa0%d\n", port, port/3)
	}
	s, _ := vendors.Decode(walk(t, rec.String()), "a")
	if len(s.Neighbours) != 3 {
		t.Fatalf("neighbours: %d, want 3", len(s.Neighbours))
	}
	if cap(s.Neighbours) != len(s.Neighbours) {
		t.Errorf("neighbours: cap %d for %d", cap(s.Neighbours), len(s.Neighbours))
	}
	same := func(what, x, y string) {
		t.Helper()
		if x != y || x == "" {
			t.Fatalf("%s: %q and %q, want the same", what, x, y)
		}
		if unsafe.StringData(x) != unsafe.StringData(y) {
			t.Errorf("%s %q: held twice", what, x)
		}
	}
	n := s.Neighbours
	same("system description of two neighbours", n[1].SystemDescr, n[0].SystemDescr)
	same("port description of two neighbours", n[2].PortDescr, n[0].PortDescr)
	other, _ := vendors.Decode(walk(t, rec.String()), "b")
	if n[0].Source != "LLDP-MIB lldpRemTable.0.1.1" {
		t.Errorf("source %q", n[0].Source)
	}
	same("a neighbour's source on two switches", other.Neighbours[0].Source, n[0].Source)
	if n[0].SystemName == n[1].SystemName {
		t.Errorf("system names: %q and %q", n[0].SystemName, n[1].SystemName)
	}
	var ports []*topology.PortLACP
	for _, p := range s.Ports {
		if p.LACP != nil && p.LACP.Actor != nil && p.LACP.Partner != nil {
			ports = append(ports, p.LACP)
		}
	}
	if len(ports) != 4 {
		t.Fatalf("ports with an LACP actor and partner: %d, want 4", len(ports))
	}
	for _, p := range ports[1:] {
		same("LACP actor system of two ports", p.Actor.System, ports[0].Actor.System)
	}
	same("LACP partner system of two ports", ports[1].Partner.System, ports[0].Partner.System)
	if ports[2].Partner.System == ports[0].Partner.System {
		t.Errorf("partner systems: %q and %q", ports[2].Partner.System, ports[0].Partner.System)
	}
}

// TestEvidenceLinesShared: the evidence lines made of integers and port
// names (a port's aggregator and actor state, a LAG's stack entries) are
// one string on every switch that reports them, kept once per site
// rather than once per port (issue 18); their text is unchanged.
func TestEvidenceLinesShared(t *testing.T) {
	rec := base + aggPort("1", "bc", "021c73000001", "1000010") + aggPort("2", "bc", "021c73000001", "1000010")
	a, _ := vendors.Decode(walk(t, rec), "a")
	b, _ := vendors.Decode(walk(t, rec), "b")
	port := func(s *topology.Switch, name string) *topology.PortLACP {
		for _, p := range s.Ports {
			if p.Name == name && p.LACP != nil {
				return p.LACP
			}
		}
		t.Fatalf("%s: no LACP on %s", s.Name, name)
		return nil
	}
	pa, pb := port(a, "Ethernet2"), port(b, "Ethernet2")
	want := []string{
		"IEEE8023-LAG-MIB dot3adAggPortAttachedAggID.2 = 1000010",
		"IEEE8023-LAG-MIB dot3adAggPortActorOperState.2 = 61 (activity,aggregation,sync,collecting,distributing)",
	}
	if len(pa.Evidence) < 2 || pa.Evidence[0] != want[0] || pa.Evidence[1] != want[1] {
		t.Fatalf("evidence %q, want it to start with %q", pa.Evidence, want)
	}
	for i := range want {
		if unsafe.StringData(pa.Evidence[i]) != unsafe.StringData(pb.Evidence[i]) {
			t.Errorf("%q: held once per switch", pa.Evidence[i])
		}
	}
	la, lb := lagOf(a, "Port-Channel10"), lagOf(b, "Port-Channel10")
	if la == nil || lb == nil || len(la.Evidence) == 0 {
		t.Fatalf("LAGs %+v %+v", la, lb)
	}
	if w := "IF-MIB ifStackStatus.1000010.1 = active (Ethernet1 under Port-Channel10)"; la.Evidence[0] != w {
		t.Errorf("LAG evidence %q, want it to start with %q", la.Evidence, w)
	}
	if unsafe.StringData(la.Evidence[0]) != unsafe.StringData(lb.Evidence[0]) {
		t.Errorf("%q: held once per switch", la.Evidence[0])
	}
}
