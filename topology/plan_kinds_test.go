package topology

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// kindsSite: host web01 bond0 (802.3ad, miimon 100, slow rate) with
// slaves eth0 and eth1 and an ARP-monitored bond1 with slave eth2; switch
// leaf1 (MLAG domain dc1, system 02:1c:73:00:00:99) with Po1 (LACP, Et1
// and Et2) and a plain Et3.
func kindsSite() ([]*Host, []*Switch) {
	h := &Host{Name: "web01", NICs: []NIC{{Name: "eth0", MTU: 1500}, {Name: "eth1", MTU: 1500}, {Name: "eth2", MTU: 1500}},
		Bonds: []Bond{
			{Name: "bond0", Mode: Mode8023AD, MIIMon: 100, LACPRate: "slow", XmitHashPolicy: "layer2", MTU: 1500,
				Slaves: []Slave{{Name: "eth0", Actor: &LACPPort{State: LACPActivity, StateKnown: true}}, {Name: "eth1"}}},
			{Name: "bond1", Mode: ModeActiveBackup, ARPInterval: 1000, ARPTargets: []string{"192.0.2.1"}, Slaves: []Slave{{Name: "eth2"}}},
		}}
	s := &Switch{Name: "leaf1", MLAG: &MLAG{Domain: "dc1", SystemID: "02:1c:73:00:00:99"},
		Ports: []Port{{Name: "Ethernet1", LACP: &PortLACP{Mode: "active", Status: "bundled", Actor: &LACPPort{Key: 1}, Partner: &LACPPort{System: "52:54:00:00:01:00"}}},
			{Name: "Ethernet2"}, {Name: "Ethernet3", MTU: 1500}, {Name: "Port-Channel1", Type: "lag", MTU: 1500}},
		LAGs: []LAG{{Name: "Port-Channel1", Kind: LAGLACP, Members: []string{"Ethernet1", "Ethernet2"}, ActorSystem: "02:1c:73:00:00:01", ActorKey: 1}}}
	return []*Host{h}, []*Switch{s}
}

func TestApplyPlanNewKinds(t *testing.T) {
	ms := func(v int) *int { return &v }
	for _, c := range []struct {
		name   string
		change Change
		check  func(h *Host, s *Switch) string // "" when right
	}{
		{"bond_params miimon turns ARP monitoring off",
			Change{BondParams: &BondParamsChange{Host: "web01", Bond: "bond1", Miimon: ms(100)}},
			func(h *Host, _ *Switch) string {
				if b := h.Bonds[1]; b.MIIMon != 100 || b.ARPInterval != 0 || !slices.Equal(b.ARPTargets, []string{"192.0.2.1"}) {
					return fmt.Sprintf("bond1 %+v", b)
				}
				return ""
			}},
		{"bond_params arp_interval turns miimon off, targets replaced",
			Change{BondParams: &BondParamsChange{Host: "web01", Bond: "bond0", ARPInterval: ms(500), ARPIPTargets: []string{"192.0.2.9"}}},
			func(h *Host, _ *Switch) string {
				if b := h.Bonds[0]; b.MIIMon != 0 || b.ARPInterval != 500 || !slices.Equal(b.ARPTargets, []string{"192.0.2.9"}) {
					return fmt.Sprintf("bond0 %+v", b)
				}
				return ""
			}},
		{"bond_params both monitors given: both set as written",
			Change{BondParams: &BondParamsChange{Host: "web01", Bond: "bond1", Miimon: ms(100), ARPInterval: ms(0), ARPIPTargets: []string{}}},
			func(h *Host, _ *Switch) string {
				if b := h.Bonds[1]; b.MIIMon != 100 || b.ARPInterval != 0 || b.ARPTargets == nil || len(b.ARPTargets) != 0 {
					return fmt.Sprintf("bond1 %+v", b)
				}
				return ""
			}},
		{"bond_params lacp_rate and hash; the actor's timeout bit follows the rate",
			Change{BondParams: &BondParamsChange{Host: "web01", Bond: "bond0", LACPRate: "fast", XmitHashPolicy: "layer3+4"}},
			func(h *Host, _ *Switch) string {
				b := h.Bonds[0]
				if b.LACPRate != "fast" || b.XmitHashPolicy != "layer3+4" || b.MIIMon != 100 || b.Slaves[0].Actor.State&LACPTimeout == 0 {
					return fmt.Sprintf("bond0 %+v actor %+v", b, b.Slaves[0].Actor)
				}
				return ""
			}},
		{"lag_kind static: members on, LACP state gone",
			Change{LAGKind: &LAGKindChange{Switch: "leaf1", LAG: "po1", Kind: LAGStatic}},
			func(_ *Host, s *Switch) string {
				l, p := s.LAGs[0], s.Ports[0]
				if l.Kind != LAGStatic || l.ActorSystem != "" || p.LACP.Mode != "on" || p.LACP.Status != "" || p.LACP.Partner != nil || s.Ports[1].LACP.Mode != "on" {
					return fmt.Sprintf("LAG %+v port %+v", l, p.LACP)
				}
				return ""
			}},
		{"lag_kind lacp: members active",
			Change{LAGKind: &LAGKindChange{Switch: "leaf1", LAG: "Port-Channel1", Kind: "LACP"}},
			func(_ *Host, s *Switch) string {
				if s.LAGs[0].Kind != LAGLACP || s.Ports[1].LACP == nil || s.Ports[1].LACP.Mode != "active" {
					return fmt.Sprintf("LAG %+v", s.LAGs[0])
				}
				return ""
			}},
		{"mlag: the LAG joins the switch's domain with its system ID",
			Change{MLAG: &MLAGChange{Switch: "leaf1", LAG: "Port-Channel1", MLAGID: 10}},
			func(_ *Host, s *Switch) string {
				if l := s.LAGs[0]; l.MLAGID != 10 || l.MLAG != "dc1" || l.ActorSystem != "02:1c:73:00:00:99" || s.Ports[0].LACP.Status != "" {
					return fmt.Sprintf("LAG %+v", l)
				}
				return ""
			}},
		{"mlag 0: out of the domain",
			Change{MLAG: &MLAGChange{Switch: "leaf1", LAG: "Port-Channel1", MLAGID: 0}},
			func(_ *Host, s *Switch) string {
				if l := s.LAGs[0]; l.MLAGID != 0 || l.MLAG != "" {
					return fmt.Sprintf("LAG %+v", l)
				}
				return ""
			}},
		{"mtu of a bond: the bond and its slaves",
			Change{MTU: &MTUChange{Host: "web01", NIC: "bond0", MTU: 9000}},
			func(h *Host, _ *Switch) string {
				if h.Bonds[0].MTU != 9000 || h.NICs[0].MTU != 9000 || h.NICs[1].MTU != 9000 || h.NICs[2].MTU != 1500 {
					return fmt.Sprintf("bond0 MTU %d NICs %+v", h.Bonds[0].MTU, h.NICs)
				}
				return ""
			}},
		{"mtu of a NIC",
			Change{MTU: &MTUChange{Host: "web01", NIC: "eth2", MTU: 9000}},
			func(h *Host, _ *Switch) string {
				if h.NICs[2].MTU != 9000 || h.NICs[0].MTU != 1500 {
					return fmt.Sprintf("NICs %+v", h.NICs)
				}
				return ""
			}},
		{"mtu of a switch port, by another spelling",
			Change{MTU: &MTUChange{Switch: "leaf1", Port: "Po1", MTU: 9214}},
			func(_ *Host, s *Switch) string {
				if s.Ports[3].MTU != 9214 || s.Ports[2].MTU != 1500 {
					return fmt.Sprintf("ports %+v", s.Ports)
				}
				return ""
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			hs, ss := kindsSite()
			if err := ApplyPlan(hs, ss, []Change{c.change}); err != nil {
				t.Fatal(err)
			}
			if msg := c.check(hs[0], ss[0]); msg != "" {
				t.Error(msg)
			}
		})
	}
}

func TestApplyPlanNewKindsErrors(t *testing.T) {
	ms := func(v int) *int { return &v }
	for _, c := range []struct {
		change Change
		want   string
	}{
		{Change{BondParams: &BondParamsChange{Host: "nope", Bond: "bond0", Miimon: ms(100)}}, `bond_params: no host "nope"`},
		{Change{BondParams: &BondParamsChange{Host: "web01", Bond: "bond9", Miimon: ms(100)}}, `bond_params: host web01 has no bond "bond9"`},
		{Change{BondParams: &BondParamsChange{Host: "web01", Bond: "bond0", LACPRate: "quick"}}, `lacp_rate "quick"`},
		{Change{BondParams: &BondParamsChange{Host: "web01", Bond: "bond0", XmitHashPolicy: "layer9"}}, `xmit_hash_policy "layer9"`},
		{Change{BondParams: &BondParamsChange{Host: "web01", Bond: "bond0", Miimon: ms(-1)}}, "negative"},
		{Change{LAGKind: &LAGKindChange{Switch: "leaf1", LAG: "Po9", Kind: LAGStatic}}, `lag_kind: switch leaf1 has no LAG "Po9"`},
		{Change{LAGKind: &LAGKindChange{Switch: "leaf1", LAG: "Po1", Kind: LAGUnknown}}, "want lacp or static"},
		{Change{LAGKind: &LAGKindChange{Switch: "leafX", LAG: "Po1", Kind: LAGStatic}}, `lag_kind: no switch "leafX"`},
		{Change{MLAG: &MLAGChange{Switch: "leaf1", LAG: "Po7", MLAGID: 7}}, `mlag: switch leaf1 has no LAG "Po7"`},
		{Change{MTU: &MTUChange{Host: "web01", NIC: "eth9", MTU: 9000}}, `mtu: host web01 has no NIC or bond "eth9"`},
		{Change{MTU: &MTUChange{Switch: "leaf1", Port: "Ethernet9", MTU: 9000}}, `mtu: switch leaf1 has no port "Ethernet9"`},
		{Change{MTU: &MTUChange{Switch: "leaf1", Port: "Ethernet1"}}, "above 0"},
	} {
		hs, ss := kindsSite()
		err := ApplyPlan(hs, ss, []Change{c.change})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.change, err, c.want)
		}
	}
}

// TestPlanForgetsLACPOfLAGKindAndMLAG: after lag_kind or mlag the bond
// slaves on the LAG's members renegotiate: Model.Plan forgets their
// partner and aggregator; bond_params and mtu leave the negotiation alone.
func TestPlanForgetsLACPOfLAGKindAndMLAG(t *testing.T) {
	m := planModelSite(t)
	for _, c := range []struct {
		change Change
		stale  bool
	}{
		{Change{LAGKind: &LAGKindChange{Switch: "leaf1", LAG: "Po1", Kind: LAGStatic}}, true},
		{Change{MLAG: &MLAGChange{Switch: "leaf1", LAG: "Po1", MLAGID: 3}}, true},
		{Change{BondParams: &BondParamsChange{Host: "web01", Bond: "bond0", XmitHashPolicy: "layer3+4"}}, false},
		{Change{MTU: &MTUChange{Host: "web01", NIC: "bond0", MTU: 9000}}, false},
	} {
		n, err := m.Plan([]Change{c.change})
		if err != nil {
			t.Fatal(err)
		}
		sf := n.Host("web01").BondFacts()[0].Slaves
		// eth0 is on Ethernet1, Po1's member; eth1 on Ethernet2, in no LAG
		if got := sf[0].Slave.Partner == nil && sf[0].PartnerSystem == ""; got != c.stale {
			t.Errorf("%+v: eth0's partner forgotten %v, want %v", c.change, got, c.stale)
		}
		if sf[1].Slave.Partner == nil {
			t.Errorf("%+v: eth1 (not on the LAG) lost its partner", c.change)
		}
	}
	if !m.Host("web01").BondFacts()[0].Slaves[0].PartnerReal() {
		t.Error("Plan changed the model it was called on")
	}
}
