package rules

import (
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/topology"
)

// TestUnmappedSlaveNamesWhatWasHeard: a slave that heard only a LACPDU
// (no system name, chassis or port ID) and an LLDP neighbour that sent no
// name: map.unmapped-slave names the LACPDU's actor system and port, and
// never prints an empty name ("lacp neighbour  port  is not a switch").
func TestUnmappedSlaveNamesWhatWasHeard(t *testing.T) {
	s := newSite()
	s.sw("leaf1", "Ethernet1")
	s.bond("web01", "bond0", "active-backup", "eth0", "eth1")
	h := s.hostNamed("web01")
	h.Neighbours = append(h.Neighbours,
		topology.Neighbour{LocalPort: "eth0", Protocol: topology.ProtoLACP, Source: "listen",
			LACP: &topology.LACPPort{System: "02:00:5e:00:00:09", Key: 9, Port: 7, State: full, StateKnown: true}},
		topology.Neighbour{LocalPort: "eth1", Protocol: topology.ProtoLLDP, Source: "listen"})
	fs := s.run(t, "map.unmapped-slave", Params{}, "")
	if len(fs) != 2 {
		t.Fatalf("%d findings, want 2: %+v", len(fs), fs)
	}
	msgs := fs[0].Message + "\n" + fs[1].Message
	for _, want := range []string{"lacp neighbour 02:00:5e:00:00:09 port 7 is not a switch in the site", "lldp neighbour that sent no name is not a switch in the site"} {
		if !strings.Contains(msgs, want) {
			t.Errorf("messages lack %q:\n%s", want, msgs)
		}
	}
	for _, f := range fs {
		if strings.Contains(f.Message, "  ") || strings.Contains(strings.Join(f.Evidence, "\n"), "  ") {
			t.Errorf("an empty name left a gap: %q %q", f.Message, f.Evidence)
		}
	}
}
