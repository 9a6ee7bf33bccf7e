package rules

import (
	"testing"

	"github.com/bondaudit/bondaudit/topology"
)

// onLLDPOnlyPair: two FortiSwitches of an MCLAG pair as the fortinet
// decoder gives them: each declares an MC-LAG role whose peer link is the
// ICL trunk (port51, port52), no peer name, no shared LACP system; fsw-a
// hears fsw-b over LLDP, either on the ICL (peer) or on an ordinary trunk
// (not the peer). web01's static bond is dual-homed on a multi-chassis
// trunk on port1 of each.
func onLLDPOnlyPair(s *site, heardOn string) {
	for _, sw := range []string{"fsw-a", "fsw-b"} {
		x := s.sw(sw, "port1", "port47", "port51", "port52")
		s.lag(sw, "_FlInK1_ICL0_", "unknown", "port51", "port52").PeerLink = true
		s.lag(sw, "isl", "unknown", "port47")
		s.lag(sw, "srv01", "static", "port1").MLAG = "mc-lag"
		x.MLAG = &topology.MLAG{Kind: "mc-lag", PeerLink: "_FlInK1_ICL0_"}
	}
	a := s.switchNamed("fsw-a")
	a.Neighbours = []topology.Neighbour{{LocalPort: heardOn, Protocol: topology.ProtoLLDP, SystemName: "fsw-b",
		PortIDSubtype: topology.IDIfName, PortID: "port51"}}
	s.bond("web01", "bond0", "balance-xor", "eth0 fsw-a port1", "eth1 fsw-b port1")
}

// TestLLDPOnlyMLAGPeer: heard on the ICL, fsw-b is fsw-a's MCLAG peer, so
// the dual-homed static bond is on one MLAG pair (no
// static.multi-switch-no-mlag), and the ICL going down is a peer link down;
// heard on another trunk, fsw-b is no peer and the bond is split across
// two unrelated switches.
func TestLLDPOnlyMLAGPeer(t *testing.T) {
	s := newSite()
	onLLDPOnlyPair(s, "_FlInK1_ICL0_")
	if fs := s.run(t, "static.multi-switch-no-mlag", Params{}, ""); len(fs) != 0 {
		t.Errorf("peer heard on the ICL: %v", fs)
	}
	s.port("fsw-a", "_FlInK1_ICL0_").Oper = "down"
	if fs := s.run(t, "switch.mlag-peer-link-down", Params{}, ""); len(fs) != 1 || fs[0].Port != "_FlInK1_ICL0_" {
		t.Errorf("ICL down: %v", fs)
	}

	s = newSite()
	onLLDPOnlyPair(s, "isl")
	if fs := s.run(t, "static.multi-switch-no-mlag", Params{}, ""); len(fs) != 1 {
		t.Errorf("heard on an ordinary trunk: %v, want the bond split across unrelated switches", fs)
	}
}
