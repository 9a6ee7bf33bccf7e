package report

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bondaudit/bondaudit/topology"
)

// TestDiffLines: every kind of change in words, as text and Markdown print it.
func TestDiffLines(t *testing.T) {
	d := &topology.Drift{
		HostsAdded: []string{"h4"}, HostsRemoved: []string{"h3"}, SwitchesAdded: []string{"sw4"}, SwitchesRemoved: []string{"sw3"},
		LinksGained:  []topology.LinkEnd{{Host: "h1", NIC: "eth2", Switch: "sw1", Port: "Ethernet9"}},
		LinksLost:    []topology.LinkEnd{{Host: "h1", NIC: "eth1", Switch: "sw1", Port: "Ethernet2"}},
		LinksMoved:   []topology.LinkMove{{Host: "h1", NIC: "eth0", From: topology.PortRef{Switch: "sw1", Port: "Ethernet1"}, To: topology.PortRef{Switch: "sw2", Port: "Ethernet4"}}},
		BondsAdded:   []topology.BondRef{{Host: "h2", Bond: "bond1", Mode: "balance-alb", Slaves: []string{"eth3", "eth4"}}},
		BondsRemoved: []topology.BondRef{{Host: "h2", Bond: "bond9", Mode: "active-backup", Slaves: []string{}}},
		BondsChanged: []topology.BondDrift{{Host: "h1", Bond: "bond0", Mode: "balance-xor",
			Changes:     []topology.FieldChange{{Field: "mode", Old: "802.3ad", New: "balance-xor"}, {Field: "lacp_rate", Old: "fast", New: ""}},
			SlavesAdded: []string{"eth2"}, SlavesRemoved: []string{"eth1"}}},
		LAGsAdded:   []topology.LAGRef{{Switch: "sw1", LAG: "Port-Channel7", Kind: "lacp", Members: []string{"Ethernet5"}}},
		LAGsRemoved: []topology.LAGRef{{Switch: "sw1", LAG: "Port-Channel5", Kind: "static", Members: []string{"Ethernet5"}}},
		LAGsChanged: []topology.LAGDrift{{Switch: "sw1", LAG: "Port-Channel1", Kind: "static",
			Changes: []topology.FieldChange{{Field: "kind", Old: "lacp", New: "static"}}, MembersAdded: []string{"Ethernet4"}, MembersRemoved: []string{"Ethernet2"}}},
		PortVLANs: []topology.PortVLANDrift{{Switch: "sw1", Port: "Ethernet1", Hosts: []string{"h1", "h2"}, PVID: &topology.IntChange{Old: 10, New: 20},
			TaggedAdded: []int{30}, TaggedRemoved: []int{40, 41}, UntaggedAdded: []int{20}, UntaggedRemoved: []int{10}}},
	}
	var got []string
	for _, l := range driftLines(d) {
		got = append(got, strings.Join([]string{l.area, l.change, l.subject, l.detail}, " | "))
	}
	want := []string{
		"host | added | h4 | ",
		"host | removed | h3 | ",
		"switch | added | sw4 | ",
		"switch | removed | sw3 | ",
		"cabling | moved | h1 eth0 | sw1 Ethernet1 → sw2 Ethernet4",
		"cabling | gained | h1 eth2 | now on sw1 Ethernet9",
		"cabling | lost | h1 eth1 | was on sw1 Ethernet2",
		"bond | added | h2 bond1 | balance-alb, slaves eth3 eth4",
		"bond | removed | h2 bond9 | active-backup, slaves none",
		"bond | changed | h1 bond0 | mode 802.3ad → balance-xor; lacp_rate fast → none; slaves +eth2 −eth1",
		"LAG | added | sw1 Port-Channel7 | lacp, members Ethernet5",
		"LAG | removed | sw1 Port-Channel5 | static, members Ethernet5",
		"LAG | changed | sw1 Port-Channel1 | kind lacp → static; members +Ethernet4 −Ethernet2",
		"VLANs | changed | sw1 Ethernet1 (h1, h2) | pvid 10 → 20; tagged +30 −40 −41; untagged +20 −10",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("drift lines (-want +got):\n%s", d)
	}
}

func TestFormatFromExt(t *testing.T) {
	for path, want := range map[string]string{"a.svg": "svg", "a.HTML": "html", "x/y.mmd": "mermaid", "a.gv": "dot", "a.txt": "dot", "": "dot"} {
		if got := Diagrams.ByExt(path); got != want {
			t.Errorf("%q: %s, want %s", path, got, want)
		}
	}
}
