package juniper_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/vendortest"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors/juniper"
)

// recording decodes a shared recording in place (the test is skipped
// when the shared fixtures are absent).
func recording(t *testing.T, name string) (*topology.Switch, []string) {
	return vendortest.Decode(vendortest.Recording(t, "librenms__"+name), name)
}

func decodeText(t *testing.T, rec string) (*topology.Switch, []string) {
	return vendortest.Decode(vendortest.Snmprec(t, rec), "test")
}

var (
	lag      = vendortest.LAG
	port     = vendortest.Port
	contains = vendortest.Contains
)

func hasEvidence(ev []string, sub string) bool {
	return slices.ContainsFunc(ev, func(e string) bool { return strings.Contains(e, sub) })
}

// TestEX4600AggregatedEthernet: librenms junos_ex4600mp. Verified with grep
// on the raw OIDs:
//
//	ifName.998 = ae0, ifType.998 = 161, ifOperStatus.998 = 1 (up)
//	ifName.514 = ae1, ifType.514 = 161, ifOperStatus.514 = 2 (down)
//	ifName.1338 = ae0.0, ifName.999 = et-0/2/0.0, ifName.1000 = et-1/2/0.0,
//	ifName.994 = et-0/2/0, ifName.996 = et-1/2/0, ifName.992 = ae1.0
//	ifStackStatus.1338.999 = 1, ifStackStatus.1338.1000 = 1 (ae0.0 over the member units)
//	ifStackStatus.999.994 = 1, ifStackStatus.1000.996 = 1 (units over their ports)
//	no ifStackStatus.998.x or .514.x row other than .0; ifStackStatus.992.0 = 2
//	no IEEE8023-LAG-MIB rows at all (so the kind stays unknown)
//	lldpRem ...1.1.9.2124973.994.2 and ...2124960.996.1 = core.example.org
func TestEX4600AggregatedEthernet(t *testing.T) {
	s, _ := recording(t, "junos_ex4600mp")
	if s.Vendor != "junos" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	ae0 := lag(s, "ae0")
	if ae0 == nil || !slices.Equal(ae0.Members, []string{"et-0/2/0", "et-1/2/0"}) {
		t.Fatalf("ae0 = %+v, want members et-0/2/0 et-1/2/0", ae0)
	}
	if ae0.Kind != topology.LAGUnknown || ae0.Oper != "up" || ae0.IfIndex != 998 {
		t.Errorf("ae0 kind %q oper %q ifindex %d; want unknown (no LAG MIB in the walk), up, 998", ae0.Kind, ae0.Oper, ae0.IfIndex)
	}
	for _, e := range []string{"ifStackStatus.1338.999 = active", "ifStackStatus.999.994 = active", "ifStackStatus.1338.1000 = active", "ifStackStatus.1000.996 = active"} {
		if !hasEvidence(ae0.Evidence, e) {
			t.Errorf("ae0 evidence lacks %q: %q", e, ae0.Evidence)
		}
	}
	ae1 := lag(s, "ae1")
	if ae1 == nil || len(ae1.Members) != 0 || ae1.Oper != "down" {
		t.Errorf("ae1 = %+v, want no members, down", ae1)
	}
	if s.MLAG != nil {
		t.Errorf("MC-LAG is not in any MIB, but MLAG = %+v", s.MLAG)
	}
	for _, n := range s.Neighbours {
		if (n.LocalPort == "et-0/2/0" || n.LocalPort == "et-1/2/0") && n.SystemName != "core.example.org" {
			t.Errorf("neighbour on %s: %+v", n.LocalPort, n)
		}
	}
}

// TestEX4600TextVLANLists: the Junos Q-BRIDGE port lists are text. Raw OIDs:
//
//	dot1dBasePortIfIndex.3 = 998 (ae0), .4 = 514 (ae1), .4096 = 539 (ge-0/0/0), .579 = 630 (mge-2/0/41)
//	dot1qVlanStaticEgressPorts.19 = "3,4", .250 = "3,4", .7 = "3,662", most others = "3"
//	dot1qVlanStaticEgressPorts.30 = "3,4096,4097,...,579,..." (321 entries)
//	dot1qVlanStaticUntaggedPorts.30 = "4096,4097,...,4143", .1 = "4434,..."; all others empty
//
// The standard decoder reads "3" (0x33) as a bitmap: base ports 3,4,7,8, so
// ae1 would carry every VLAN ae0 carries.
func TestEX4600TextVLANLists(t *testing.T) {
	s, probs := recording(t, "junos_ex4600mp")
	if !s.VLANsKnown {
		t.Fatal("VLANsKnown false")
	}
	if p := port(s, "ae1"); p == nil || !slices.Equal(p.Tagged, []int{19, 250}) || len(p.Untagged) != 0 {
		t.Errorf("ae1 VLANs %+v, want tagged 19 250", p)
	}
	if p := port(s, "ae0"); p == nil || len(p.Tagged) != 59 || !slices.Contains(p.Tagged, 7) || !slices.Contains(p.Tagged, 999) || len(p.Untagged) != 0 {
		t.Errorf("ae0 VLANs %+v, want 59 tagged incl. 7 and 999", p)
	}
	if p := port(s, "ge-0/0/0"); p == nil || !slices.Equal(p.Untagged, []int{30}) || len(p.Tagged) != 0 {
		t.Errorf("ge-0/0/0 VLANs %+v, want untagged 30", p)
	}
	if p := port(s, "mge-2/0/41"); p == nil || !slices.Equal(p.Tagged, []int{30, 33}) || p.PVID != 30 {
		t.Errorf("mge-2/0/41 VLANs %+v, want tagged 30 33, pvid 30", p)
	}
	_ = probs
}

// TestQFX5100: librenms junos_qfx5100 (no ae). Raw OIDs:
//
//	dot1dBasePortIfIndex.4097 = 513 (xe-0/0/0), .4099 = 518 (xe-0/0/1), .4098 = 520 (xe-0/0/2); no row for 4106
//	dot1qVlanStaticEgressPorts.23 = "0,4097,4099", .3856 = "4106,0,4097,4099", .3884 = "4102,4104,0,4097,4099",
//	  .4002 = "0,4097,4099,4101,4105", .4004 = "0,4097,4099,4098", .4005 = "0,4097,4099,4103"
//	dot1qVlanStaticUntaggedPorts.4004 = "4098", .3856 = "4106"
//	lldpLocPortId.513 = "513", lldpRem...7.35684499.513.3 = "2150" (devicea), ...35688385.518.4 = "2447" (deviceb)
func TestQFX5100(t *testing.T) {
	s, probs := recording(t, "junos_qfx5100")
	if len(s.LAGs) != 0 {
		t.Errorf("LAGs %+v, want none", s.LAGs)
	}
	want := []int{23, 3856, 3884, 4002, 4004, 4005}
	for _, n := range []string{"xe-0/0/0", "xe-0/0/1"} {
		if p := port(s, n); p == nil || !slices.Equal(p.Tagged, want) || len(p.Untagged) != 0 {
			t.Errorf("%s VLANs %+v, want tagged %v", n, p, want)
		}
	}
	if p := port(s, "xe-0/0/2"); p == nil || !slices.Equal(p.Untagged, []int{4004}) || len(p.Tagged) != 0 || p.PVID != 4004 {
		t.Errorf("xe-0/0/2 VLANs %+v, want untagged 4004, pvid 4004", p)
	}
	if !slices.ContainsFunc(probs, func(p string) bool {
		return strings.Contains(p, "dot1qVlanStaticEgressPorts.3856") && strings.Contains(p, "4106")
	}) {
		t.Errorf("unmapped base port 4106 not reported: %q", probs)
	}
	got := map[string]string{}
	for _, n := range s.Neighbours {
		got[n.LocalPort] = n.SystemName + " " + n.PortID
	}
	if got["xe-0/0/0"] != "devicea 2150" || got["xe-0/0/1"] != "deviceb 2447" {
		t.Errorf("neighbours %v", got)
	}
}

// TestMX5T: librenms junos_mx5t-isis: no ae, no Q-BRIDGE VLAN tables, LLDP
// port ids are names (lldpLocPortId.556 = xe-0/0/1, lldpRem...9.92.556.1 = lab-er2).
func TestMX5T(t *testing.T) {
	s, _ := recording(t, "junos_mx5t-isis")
	if len(s.LAGs) != 0 || s.VLANsKnown || s.MLAG != nil {
		t.Errorf("LAGs %+v VLANsKnown %v MLAG %+v; want none, false, nil", s.LAGs, s.VLANsKnown, s.MLAG)
	}
	for _, n := range s.Neighbours {
		if n.LocalPort == "xe-0/0/1" && n.SystemName != "lab-er2" {
			t.Errorf("xe-0/0/1 neighbour %+v", n)
		}
	}
}

// base is a small Junos switch: ae0 (161) with unit ae0.0, xe-0/0/0 and
// xe-0/0/1 with units .0, stacked the Junos way.
const base = `1.3.6.1.2.1.1.1.0|4|Juniper Networks, Inc. qfx5100-48s-6q Ethernet Switch, kernel JUNOS 14.1X53
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2636.1.1.1.4.82.5
1.3.6.1.2.1.1.5.0|4|leaf1
1.3.6.1.2.1.2.2.1.3.500|2|161
1.3.6.1.2.1.2.2.1.3.501|2|53
1.3.6.1.2.1.2.2.1.3.510|2|6
1.3.6.1.2.1.2.2.1.3.511|2|53
1.3.6.1.2.1.2.2.1.3.520|2|6
1.3.6.1.2.1.2.2.1.3.521|2|53
1.3.6.1.2.1.2.2.1.8.500|2|1
1.3.6.1.2.1.2.2.1.8.510|2|1
1.3.6.1.2.1.2.2.1.8.520|2|2
1.3.6.1.2.1.31.1.1.1.1.500|4|ae0
1.3.6.1.2.1.31.1.1.1.1.501|4|ae0.0
1.3.6.1.2.1.31.1.1.1.1.510|4|xe-0/0/0
1.3.6.1.2.1.31.1.1.1.1.511|4|xe-0/0/0.0
1.3.6.1.2.1.31.1.1.1.1.520|4|xe-0/0/1
1.3.6.1.2.1.31.1.1.1.1.521|4|xe-0/0/1.0
`

const stacked = `1.3.6.1.2.1.31.1.2.1.3.501.511|2|1
1.3.6.1.2.1.31.1.2.1.3.501.521|2|1
1.3.6.1.2.1.31.1.2.1.3.511.510|2|1
1.3.6.1.2.1.31.1.2.1.3.521.520|2|1
`

// aggPort renders dot3adAggPortTable columns for one row: partner system,
// attached aggregator, actor and partner state (BITS, MIB order).
func aggPort(ifIndex, partner, attached, actor, pstate string) string {
	p := "1.2.840.10006.300.43.1.2.1.1."
	return p + "9." + ifIndex + "|4x|" + partner + "\n" +
		p + "13." + ifIndex + "|2|" + attached + "\n" +
		p + "21." + ifIndex + "|4x|" + actor + "\n" +
		p + "23." + ifIndex + "|4x|" + pstate + "\n"
}

func TestUnitStackingHandWritten(t *testing.T) {
	s, _ := decodeText(t, base+stacked)
	l := lag(s, "ae0")
	if l == nil || !slices.Equal(l.Members, []string{"xe-0/0/0", "xe-0/0/1"}) || l.Kind != topology.LAGUnknown {
		t.Fatalf("ae0 = %+v", l)
	}
	if lag(s, "ae0.0") != nil {
		t.Error("the logical unit ae0.0 was taken for a LAG")
	}
}

// TestLAGMIBOnUnits: dot3adAggPortTable rows indexed by the members'
// logical units, pointing at ae0 (row 511) and at its unit ae0.0 (row 521).
func TestLAGMIBOnUnits(t *testing.T) {
	// 0xBC = activity, aggregation, sync, collecting, distributing (61 in
	// LACPDU order); 0x3C = the same without activity; 0xA0 = activity +
	// aggregation only (waiting).
	rows := aggPort("511", "021c73000001", "500", "bc", "3c") + aggPort("521", "021c73000001", "501", "a0", "3c")
	s, _ := decodeText(t, base+rows)
	l := lag(s, "ae0")
	if l == nil || !slices.Equal(l.Members, []string{"xe-0/0/0", "xe-0/0/1"}) {
		t.Fatalf("ae0 = %+v, want the physical ports, not the units", l)
	}
	if l.Kind != topology.LAGLACP {
		t.Errorf("ae0 kind %q, want lacp (evidence %q)", l.Kind, l.Evidence)
	}
	if !hasEvidence(l.Evidence, "dot3adAggPortAttachedAggID.521 = 501 (xe-0/0/1.0 in ae0.0)") {
		t.Errorf("evidence %q", l.Evidence)
	}
	p0, p1, u0 := port(s, "xe-0/0/0"), port(s, "xe-0/0/1"), port(s, "xe-0/0/0.0")
	if p0.LACP == nil || p0.LACP.Status != "bundled" || p0.LACP.Mode != "active" || p0.LACP.Actor.State != 61 {
		t.Errorf("xe-0/0/0 LACP %+v, want bundled active state 61", p0.LACP)
	}
	if p1.LACP == nil || p1.LACP.Status != "down" {
		t.Errorf("xe-0/0/1 (ifOperStatus down) LACP %+v, want down", p1.LACP)
	}
	if u0.LACP != nil {
		t.Errorf("LACP state left on the unit: %+v", u0.LACP)
	}
}

// TestBitmapVLANsUntouched: a real PortList bitmap (0xC0 = base ports 1
// and 2) on a Junos walk is left to the standard decoder.
func TestBitmapVLANsUntouched(t *testing.T) {
	rec := base + `1.3.6.1.2.1.17.1.4.1.2.1|2|510
1.3.6.1.2.1.17.1.4.1.2.2|2|520
1.3.6.1.2.1.17.7.1.4.3.1.2.10|4x|c0
1.3.6.1.2.1.17.7.1.4.3.1.4.10|4x|40
`
	s, _ := decodeText(t, rec)
	if p := port(s, "xe-0/0/0"); !slices.Equal(p.Tagged, []int{10}) {
		t.Errorf("xe-0/0/0 %+v", p)
	}
	if p := port(s, "xe-0/0/1"); !slices.Equal(p.Untagged, []int{10}) {
		t.Errorf("xe-0/0/1 %+v", p)
	}
}

func TestTextVLANsHandWritten(t *testing.T) {
	rec := base + `1.3.6.1.2.1.17.1.4.1.2.513|2|510
1.3.6.1.2.1.17.1.4.1.2.514|2|520
1.3.6.1.2.1.17.7.1.4.3.1.2.10|4|0,513,514
1.3.6.1.2.1.17.7.1.4.3.1.4.10|4|514
1.3.6.1.2.1.17.7.1.4.3.1.2.20|4|513
1.3.6.1.2.1.17.7.1.4.3.1.4.20|4|
`
	s, probs := decodeText(t, rec)
	if p := port(s, "xe-0/0/0"); !slices.Equal(p.Tagged, []int{10, 20}) || len(p.Untagged) != 0 {
		t.Errorf("xe-0/0/0 %+v", p)
	}
	if p := port(s, "xe-0/0/1"); !slices.Equal(p.Untagged, []int{10}) || len(p.Tagged) != 0 {
		t.Errorf("xe-0/0/1 %+v", p)
	}
	if !s.VLANsKnown || len(probs) != 0 {
		t.Errorf("VLANsKnown %v problems %q", s.VLANsKnown, probs)
	}
}

func TestProfile(t *testing.T) {
	if juniper.Junos.Name != "junos" || juniper.Junos.Decode == nil || len(juniper.Junos.Tested) == 0 {
		t.Errorf("profile %+v", juniper.Junos)
	}
}

// FuzzDecode: any walk with a Junos sysObjectID decodes without panicking.
func FuzzDecode(f *testing.F) {
	f.Add(vendortest.Seed(base+stacked, 2, 400))
	f.Add(vendortest.Seed(base+aggPort("511", "021c73000001", "500", "bc", "3c")+aggPort("521", "021c73000001", "501", "a0", "3c"), 2, 400))
	f.Add(vendortest.Seed(base+"1.3.6.1.2.1.17.1.4.1.2.513|2|510\n1.3.6.1.2.1.17.7.1.4.3.1.2.10|4|0,513,514\n1.3.6.1.2.1.17.7.1.4.3.1.4.10|4|514\n", 2, 400))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, _ := vendortest.Decode(vendortest.FuzzWalk(data, "1.3.6.1.4.1.2636.1.1.1.4.82.5", ""), "fuzz")
		if s == nil || s.Vendor != "junos" {
			t.Fatalf("not decoded as junos: %+v", s)
		}
		for _, l := range s.LAGs {
			if slices.Contains(l.Members, l.Name) {
				t.Fatalf("%s is its own member", l.Name)
			}
		}
	})
}
