package cisco_test

import (
	"github.com/bondaudit/bondaudit/internal/fixtures"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/vendortest"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
	"github.com/bondaudit/bondaudit/vendors/all"
	"github.com/bondaudit/bondaudit/vendors/cisco"
)

// fixtureDir holds the recorded real-device walks, read in place (never
// copied into the repository).
var fixtureDir = fixtures.Path("snmp")

// decodeFixture decodes a recording with every family decoder, and with
// the standard MIBs only, for comparison.
func decodeFixture(t *testing.T, name string) (s, std *topology.Switch, problems []string) {
	t.Helper()
	w := vendortest.Recording(t, name)
	s, problems = vendortest.Decode(w, name)
	std, _ = vendors.Decode(w, name)
	return s, std, problems
}

// walk builds a walk from snmprec text (OID|type|value lines).
func walk(t testing.TB, rec string) *vendors.Walk { return vendortest.Snmprec(t, rec) }

func decode(t testing.TB, rec string) (*topology.Switch, []string) {
	return vendortest.Decode(vendortest.Snmprec(t, rec), "x")
}

func port(t testing.TB, s *topology.Switch, name string) *topology.Port {
	t.Helper()
	p := vendortest.Port(s, name)
	if p == nil {
		t.Fatalf("no port %s", name)
	}
	return p
}

func lag(t testing.TB, s *topology.Switch, name string) *topology.LAG {
	t.Helper()
	l := vendortest.LAG(s, name)
	if l == nil {
		t.Fatalf("no LAG %s in %+v", name, s.LAGs)
	}
	return l
}

func neighbours(s *topology.Switch, proto topology.Protocol) []topology.Neighbour {
	var out []topology.Neighbour
	for _, n := range s.Neighbours {
		if n.Protocol == proto {
			out = append(out, n)
		}
	}
	return out
}

func cdpOn(t testing.TB, s *topology.Switch, local string) topology.Neighbour {
	t.Helper()
	var found []topology.Neighbour
	for _, n := range neighbours(s, topology.ProtoCDP) {
		if n.LocalPort == local {
			found = append(found, n)
		}
	}
	if len(found) != 1 {
		t.Fatalf("CDP neighbours on %s: %+v", local, found)
	}
	return found[0]
}

// sameStandardFacts: the Cisco decoders add CDP neighbours, modes and VLANs
// but leave the LAG memberships and LLDP neighbours of a recording as the
// standard MIBs decode them (those are checked against an independent
// reading in vendors/fixtures_test.go).
func sameStandardFacts(t *testing.T, s, std *topology.Switch) {
	t.Helper()
	if len(s.LAGs) != len(std.LAGs) {
		t.Fatalf("LAGs %+v, standard decoder %+v", s.LAGs, std.LAGs)
	}
	for i := range s.LAGs {
		if s.LAGs[i].Name != std.LAGs[i].Name || !slices.Equal(s.LAGs[i].Members, std.LAGs[i].Members) {
			t.Errorf("LAG %s members %v, standard decoder %s %v", s.LAGs[i].Name, s.LAGs[i].Members, std.LAGs[i].Name, std.LAGs[i].Members)
		}
	}
	if got, want := neighbours(s, topology.ProtoLLDP), neighbours(std, topology.ProtoLLDP); len(got) != len(want) {
		t.Errorf("LLDP neighbours %d, standard decoder %d", len(got), len(want))
	}
}

func noLACP(t *testing.T, s *topology.Switch) {
	t.Helper()
	for _, p := range s.Ports {
		if p.LACP != nil {
			t.Errorf("%s has LACP state %+v, but the recording has no IEEE8023-LAG-MIB, CISCO-LAG-MIB or CISCO-PAGP-MIB row", p.Name, p.LACP)
		}
	}
}

func sameVLANs(a, b *topology.Port) bool {
	return a.PVID == b.PVID && slices.Equal(a.Untagged, b.Untagged) && slices.Equal(a.Tagged, b.Tagged)
}

func checkVLANs(t *testing.T, s *topology.Switch, name string, pvid int, untagged, tagged []int) {
	t.Helper()
	p := port(t, s, name)
	if p.PVID != pvid || !slices.Equal(p.Untagged, untagged) || !slices.Equal(p.Tagged, tagged) {
		t.Errorf("%s: PVID %d untagged %v tagged %v; want %d %v %v", name, p.PVID, p.Untagged, p.Tagged, pvid, untagged, tagged)
	}
}

func hasProblem(problems []string, sub string) bool {
	return slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, sub) })
}

// TestIOS2960X: librenms ios_2960x, a Catalyst 2960-X stack on IOS 15.0.
// The recording has no IEEE8023-LAG-MIB, CISCO-PAGP-MIB, CISCO-LAG-MIB,
// Q-BRIDGE-MIB or LLDP rows (grep -c of 1.2.840.10006, 1.3.6.1.4.1.9.9.98.,
// .9.9.225., 1.3.6.1.2.1.17.7.: 0), and its vlanTrunkPortTable has only the
// native VLAN (column 5) and encapsulation (column 16), no allowed-VLAN
// bitmaps (columns 4, 17-19: 0 rows).
func TestIOS2960X(t *testing.T) {
	s, std, problems := decodeFixture(t, "librenms__ios_2960x")
	if s.Vendor != "cisco-ios" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	// Its access VLANs come from vmMembershipTable (its trunks have no
	// allowed-VLAN bitmaps), and the evidence says so, not Q-BRIDGE-MIB.
	if s.VLANSource != "CISCO-VLAN-MEMBERSHIP-MIB" || std.VLANSource != "" {
		t.Errorf("VLAN source %q (standard decoder: %q)", s.VLANSource, std.VLANSource)
	}
	sameStandardFacts(t, s, std)
	// Po1 (ifName line 2623, ifIndex 5001) = Gi1/0/52 + Gi3/0/52 from
	// ifStackStatus.5001.10152 and .5001.11152 (lines 5396-5397); no LAG
	// MIB of any kind says how it negotiates: kind unknown.
	if len(s.LAGs) != 1 {
		t.Fatalf("LAGs %+v", s.LAGs)
	}
	po := lag(t, s, "Po1")
	if po.Kind != topology.LAGUnknown || !slices.Equal(po.Members, []string{"Gi1/0/52", "Gi3/0/52"}) || po.MLAGID != 0 || po.PeerLink {
		t.Errorf("Po1 %+v", po)
	}
	noLACP(t, s)
	if s.MLAG != nil {
		t.Errorf("MLAG %+v on a Catalyst without any MLAG MIB", s.MLAG)
	}
	// CDP: 7 rows of cdpCacheDeviceId (lines 8430-8436), no LLDP.
	cdp := neighbours(s, topology.ProtoCDP)
	if len(cdp) != 7 || len(s.Neighbours) != 7 {
		t.Fatalf("CDP neighbours %d of %d: %+v", len(cdp), len(s.Neighbours), s.Neighbours)
	}
	// cdpCacheTable.10152.8: DeviceId acme-fr-s-001 (8433), DevicePort
	// GigabitEthernet1/0/3 (8440), Platform cisco WS-C3850-12S (8447),
	// Address 0A364005 = 10.54.64.5 (8419), NativeVLAN 1 (8463); ifIndex
	// 10152 is Gi1/0/52 (2684).
	n := cdpOn(t, s, "Gi1/0/52")
	if n.SystemName != "acme-fr-s-001" || n.ChassisID != "acme-fr-s-001" || n.PortID != "GigabitEthernet1/0/3" || n.PortIDSubtype != topology.IDIfName ||
		n.SystemDescr != "cisco WS-C3850-12S" || !slices.Equal(n.MgmtAddrs, []string{"10.54.64.5"}) || n.PVID != 1 || n.Source != "CISCO-CDP-MIB cdpCacheTable.10152.8" {
		t.Errorf("Gi1/0/52 CDP %+v", n)
	}
	// cdpCacheTable.11152.7: the same 3850 on its Gi3/0/2 (8436, 8443):
	// both members of Po1 go to one switch.
	if n := cdpOn(t, s, "Gi3/0/52"); n.SystemName != "acme-fr-s-001" || n.PortID != "GigabitEthernet3/0/2" {
		t.Errorf("Gi3/0/52 CDP %+v", n)
	}
	// cdpCacheTable.10103.1: acme-fr-ap-011 (8430), GigabitEthernet0 (8437),
	// cisco AIR-AP2702I-UXK9 (8444), AC1B3154 = 172.27.49.84 (8416), native
	// VLAN 0 (8460) = none.
	if n := cdpOn(t, s, "Gi1/0/3"); n.SystemName != "acme-fr-ap-011" || n.PortID != "GigabitEthernet0" || n.SystemDescr != "cisco AIR-AP2702I-UXK9" ||
		!slices.Equal(n.MgmtAddrs, []string{"172.27.49.84"}) || n.PVID != 0 {
		t.Errorf("Gi1/0/3 CDP %+v", n)
	}
	// VLANs. Gi1/0/1 (10101): vlanTrunkPortEncapsulationOperType
	// notApplicable(6) (8690), vmVlan 525 (8840): access port in VLAN 525.
	checkVLANs(t, s, "Gi1/0/1", 525, []int{525}, nil)
	// Gi1/0/3 (10103): encapsulation dot1Q(4) (8692), native VLAN 534
	// (8559): a trunk whose allowed VLANs the recording lacks.
	checkVLANs(t, s, "Gi1/0/3", 534, nil, nil)
	// Po1 (5001): dot1Q (8689), native 1 (8556).
	checkVLANs(t, s, "Po1", 1, nil, nil)
	// Gi1/0/52 (10152): notApplicable (8741) and no vmMembershipTable row:
	// a member configured through its port-channel, no VLANs of its own.
	checkVLANs(t, s, "Gi1/0/52", 0, nil, nil)
	if s.VLANsKnown {
		t.Error("VLANsKnown with six trunks whose allowed VLANs are unknown")
	}
	if !hasProblem(problems, "VLANs of Po1, Gi1/0/3, Gi1/0/4, Gi1/0/5, Gi3/0/3, Gi3/0/4 unknown") {
		t.Errorf("no problem names the trunks without allowed-VLAN lists: %q", problems)
	}
	// vtpVlanTable (lines 8492-8521) lists VLANs 1, 99, 1002-1005 only,
	// while ports use 511, 525, 534, …: reported, not trusted.
	if !hasProblem(problems, "vtpVlanTable lacks VLAN(s) in use 511") {
		t.Errorf("no problem about the trimmed vtpVlanTable: %q", problems)
	}
}

// TestIOSXEC9600SVL: librenms iosxe_c9600-svl, Catalyst 9600 StackWise
// Virtual on IOS-XE 17.12. No LAG of any kind (the independent oracle finds
// none either), no LLDP; 23 CDP rows, the SVL links hearing the switch
// itself ("Cat9600_SVL").
func TestIOSXEC9600SVL(t *testing.T) {
	s, std, problems := decodeFixture(t, "librenms__iosxe_c9600-svl")
	if s.Vendor != "cisco-ios" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	sameStandardFacts(t, s, std)
	if len(s.LAGs) != 0 || s.MLAG != nil {
		t.Errorf("LAGs %+v MLAG %+v", s.LAGs, s.MLAG)
	}
	noLACP(t, s)
	if cdp := neighbours(s, topology.ProtoCDP); len(cdp) != 23 || len(s.Neighbours) != 23 {
		t.Fatalf("CDP %d of %d neighbours", len(cdp), len(s.Neighbours))
	}
	// cdpCacheTable.1.23: MX066-J-03-SW.cisco.com (16497) port
	// GigabitEthernet1/0/46 (16520), cisco WS-C2960X-48TS-L (16543),
	// 0A1F7983 = 10.31.121.131 (16451), native VLAN 11 (16612); ifIndex 1
	// is Gi0/0 (3962).
	n := cdpOn(t, s, "Gi0/0")
	if n.SystemName != "MX066-J-03-SW.cisco.com" || n.PortID != "GigabitEthernet1/0/46" || n.SystemDescr != "cisco WS-C2960X-48TS-L" ||
		!slices.Equal(n.MgmtAddrs, []string{"10.31.121.131"}) || n.PVID != 11 {
		t.Errorf("Gi0/0 CDP %+v", n)
	}
	// cdpCacheTable.45.60: Cat9600_SVL (16498) TwentyFiveGigE2/1/0/42
	// (16521), cisco C9606R (16544); ifIndex 45 is Twe1/1/0/42 (4005).
	if n := cdpOn(t, s, "Twe1/1/0/42"); n.SystemName != "Cat9600_SVL" || n.PortID != "TwentyFiveGigE2/1/0/42" || n.SystemDescr != "cisco C9606R" {
		t.Errorf("Twe1/1/0/42 CDP %+v", n)
	}
	// The only switchports: ifIndex 44 (Twe1/1/0/41, 4004) and 140
	// (Twe2/1/0/41, 4100), not trunking (16754-16755), vmVlan 4094
	// (16756-16757). No trunk leaves VLANs unknown: VLANsKnown.
	checkVLANs(t, s, "Twe1/1/0/41", 4094, []int{4094}, nil)
	checkVLANs(t, s, "Twe2/1/0/41", 4094, []int{4094}, nil)
	checkVLANs(t, s, "Twe1/1/0/42", 0, nil, nil)
	if !s.VLANsKnown {
		t.Error("VLANsKnown false although every switchport's VLANs were read")
	}
	// vtpVlanTable (16700-16714) has VLANs 1, 1002-1005 only.
	if !hasProblem(problems, "vtpVlanTable lacks VLAN(s) in use 4094 (vmVlan.44)") {
		t.Errorf("problems %q", problems)
	}
}

// TestIOSXEIE3200: librenms iosxe_ie32008t2s-ios17-12. No CDP rows (grep
// 1.3.6.1.4.1.9.9.23: 0), two LLDP neighbours left as they are; one trunk
// and nine access ports.
func TestIOSXEIE3200(t *testing.T) {
	s, std, problems := decodeFixture(t, "librenms__iosxe_ie32008t2s-ios17-12")
	if s.Vendor != "cisco-ios" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	sameStandardFacts(t, s, std)
	noLACP(t, s)
	if cdp := neighbours(s, topology.ProtoCDP); len(cdp) != 0 {
		t.Errorf("CDP neighbours %+v from a walk without cdpCacheTable", cdp)
	}
	if len(s.LAGs) != 0 {
		t.Errorf("LAGs %+v", s.LAGs)
	}
	// Gi1/1 (ifIndex 1, line 471): dot1Q (1427), native VLAN 1 (1416).
	checkVLANs(t, s, "Gi1/1", 1, nil, nil)
	// Gi1/2 (2): notApplicable (1428), no vmVlan row.
	checkVLANs(t, s, "Gi1/2", 0, nil, nil)
	// Gi1/3, Gi1/5, Gi1/9: notApplicable (1429, 1431, 1435), vmVlan 200,
	// 15, 888 (1450, 1452, 1456).
	checkVLANs(t, s, "Gi1/3", 200, []int{200}, nil)
	checkVLANs(t, s, "Gi1/5", 15, []int{15}, nil)
	checkVLANs(t, s, "Gi1/9", 888, []int{888}, nil)
	if s.VLANsKnown || !hasProblem(problems, "VLANs of Gi1/1 unknown") {
		t.Errorf("VLANsKnown %v, problems %q", s.VLANsKnown, problems)
	}
	// vtpVlanTable (1328-1354) has every VLAN the ports use: no complaint.
	if hasProblem(problems, "vtpVlanTable lacks") {
		t.Errorf("problems %q", problems)
	}
}

// TestNXOSN3K: librenms nxos_n3k-3064pq, Nexus 3064PQ NX-OS 7.0(3)I7(8).
// The recording has no CISCO-VPC-MIB rows (grep 1.3.6.1.4.1.9.9.807.: 0):
// no vPC is decoded from it (TestVPC covers the MIB).
func TestNXOSN3K(t *testing.T) {
	s, std, problems := decodeFixture(t, "librenms__nxos_n3k-3064pq")
	if s.Vendor != "cisco-nxos" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	sameStandardFacts(t, s, std)
	noLACP(t, s)
	if s.MLAG != nil {
		t.Errorf("MLAG %+v without CISCO-VPC-MIB rows", s.MLAG)
	}
	// port-channel10 (ifIndex 369098761, line 1970, propVirtual 127) has no
	// member rows anywhere.
	if l := lag(t, s, "port-channel10"); l.Kind != topology.LAGUnknown || len(l.Members) != 0 || l.PeerLink || l.MLAGID != 0 {
		t.Errorf("port-channel10 %+v", l)
	}
	// One LLDP neighbour (unchanged) plus 2 CDP rows (4817-4860).
	if cdp := neighbours(s, topology.ProtoCDP); len(cdp) != 2 || len(s.Neighbours) != 3 {
		t.Fatalf("neighbours %+v", s.Neighbours)
	}
	// cdpCacheTable.436404224.11730945: DeviceId <private> (4824),
	// DevicePort Ethernet1/49 (4826), Platform N3K-C3064PQ-10GE (4828),
	// PrimaryMgmtAddr "10.4.1.1" as text (4852), NativeVLAN 1 (4834);
	// cdpCacheAddress 001122334455 (4820) is no IP address and is dropped.
	n := cdpOn(t, s, "Ethernet1/49")
	if n.PortID != "Ethernet1/49" || n.SystemDescr != "N3K-C3064PQ-10GE" || !slices.Equal(n.MgmtAddrs, []string{"10.4.1.1"}) || n.PVID != 1 || n.SystemName != "<private>" {
		t.Errorf("Ethernet1/49 CDP %+v", n)
	}
	// cdpCacheTable.83886080.6029313: mgmt0 (1969) hears GigabitEthernet0/0
	// (4825); no usable address (4819: 6 octets, 4851: empty).
	if n := cdpOn(t, s, "mgmt0"); n.PortID != "GigabitEthernet0/0" || len(n.MgmtAddrs) != 0 {
		t.Errorf("mgmt0 CDP %+v", n)
	}
	// port-channel10: dot1Q (4980), native VLAN 1 (4927).
	checkVLANs(t, s, "port-channel10", 1, nil, nil)
	if s.VLANsKnown || !hasProblem(problems, "VLANs of port-channel10") {
		t.Errorf("VLANsKnown %v, problems %q", s.VLANsKnown, problems)
	}
}

// TestCiscoSBIsNotIOS: the CBS350 recording is Cisco Business (cisco-sb),
// which these decoders do not handle.
func TestCiscoSBIsNotIOS(t *testing.T) {
	s, _, _ := decodeFixture(t, "librenms__ciscosb_cbs350-4x")
	if s.Vendor != "cisco-sb" {
		t.Errorf("vendor %q", s.Vendor)
	}
	if len(neighbours(s, topology.ProtoCDP)) != 0 {
		t.Error("CDP neighbours decoded on a cisco-sb switch")
	}
}

// iosBase is a Catalyst: Gi1/0/1-4 (ifIndex 10101-10104, Gi1/0/4 down), Po1
// (5001, propVirtual) over Gi1/0/1+2 by ifStackTable, Po2 (5002) with no
// ifStackTable rows.
const iosBase = `1.3.6.1.2.1.1.1.0|4|Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E2
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.9.1.1208
1.3.6.1.2.1.1.5.0|4|acc1
1.3.6.1.2.1.2.2.1.3.5001|2|53
1.3.6.1.2.1.2.2.1.3.5002|2|53
1.3.6.1.2.1.2.2.1.3.10101|2|6
1.3.6.1.2.1.2.2.1.3.10102|2|6
1.3.6.1.2.1.2.2.1.3.10103|2|6
1.3.6.1.2.1.2.2.1.3.10104|2|6
1.3.6.1.2.1.2.2.1.8.5001|2|1
1.3.6.1.2.1.2.2.1.8.5002|2|1
1.3.6.1.2.1.2.2.1.8.10101|2|1
1.3.6.1.2.1.2.2.1.8.10102|2|1
1.3.6.1.2.1.2.2.1.8.10103|2|1
1.3.6.1.2.1.2.2.1.8.10104|2|2
1.3.6.1.2.1.31.1.1.1.1.5001|4|Po1
1.3.6.1.2.1.31.1.1.1.1.5002|4|Po2
1.3.6.1.2.1.31.1.1.1.1.10101|4|Gi1/0/1
1.3.6.1.2.1.31.1.1.1.1.10102|4|Gi1/0/2
1.3.6.1.2.1.31.1.1.1.1.10103|4|Gi1/0/3
1.3.6.1.2.1.31.1.1.1.1.10104|4|Gi1/0/4
1.3.6.1.2.1.31.1.2.1.3.5001.10101|2|1
1.3.6.1.2.1.31.1.2.1.3.5001.10102|2|1
`

const (
	clagAdmin = "1.3.6.1.4.1.9.9.225.1.3.1.1.1."
	clagProto = "1.3.6.1.4.1.9.9.225.1.2.1.1.1."
	pagpEthc  = "1.3.6.1.4.1.9.9.98.1.1.1.1.1."
	pagpGroup = "1.3.6.1.4.1.9.9.98.1.1.1.1.8."
	pagpOper  = "1.3.6.1.4.1.9.9.98.1.2.1.1.1."
)

func row(prefix, index, typ, value string) string {
	return prefix + index + "|" + typ + "|" + value + "\n"
}

// TestChannelModes: the configured channel mode of each member (no
// recording has CISCO-LAG-MIB or CISCO-PAGP-MIB rows).
func TestChannelModes(t *testing.T) {
	for _, c := range []struct {
		name, rows string
		modes      [2]string // Gi1/0/1, Gi1/0/2
		kind       topology.LAGKind
		evidence   string
	}{
		{"LACP active", row(clagAdmin, "10101", "2", "3") + row(clagAdmin, "10102", "2", "3") + row(clagProto, "10101", "2", "1"),
			[2]string{"active", "active"}, topology.LAGLACP, "configured with channel mode active, active"},
		{"LACP passive", row(clagAdmin, "10101", "2", "4") + row(clagAdmin, "10102", "2", "4"),
			[2]string{"passive", "passive"}, topology.LAGLACP, "CISCO-LAG-MIB/CISCO-PAGP-MIB): lacp"},
		{"mode on (LAG MIB)", row(clagAdmin, "10101", "2", "2") + row(clagAdmin, "10102", "2", "2"),
			[2]string{"on", "on"}, topology.LAGStatic, "channel mode on, on"},
		{"mode on (PAgP MIB manual)", row(clagAdmin, "10101", "2", "1") + row(clagAdmin, "10102", "2", "1") + row(pagpEthc, "10101", "2", "2") + row(pagpEthc, "10102", "2", "2"),
			[2]string{"on", "on"}, topology.LAGStatic, "static"},
		{"PAgP desirable", row(pagpEthc, "10101", "2", "3") + row(pagpEthc, "10102", "2", "3") + row(pagpOper, "10101", "2", "1") + row(pagpOper, "10102", "2", "2"),
			[2]string{"desirable", "desirable"}, topology.LAGUnknown, "run PAgP (mode desirable, desirable)"},
		{"PAgP auto", row(pagpEthc, "10101", "2", "3") + row(pagpEthc, "10102", "2", "3") + row(pagpOper, "10101", "2", "3") + row(pagpOper, "10102", "2", "4"),
			[2]string{"auto", "auto"}, topology.LAGUnknown, "run PAgP (mode auto, auto)"},
		{"mixed", row(clagAdmin, "10101", "2", "3") + row(clagAdmin, "10102", "2", "2"),
			[2]string{"active", "on"}, topology.LAGUnknown, "mixed channel modes (active, on)"},
		{"LACP off, PAgP off: nothing", row(clagAdmin, "10101", "2", "1") + row(pagpEthc, "10101", "2", "1"),
			[2]string{"", ""}, topology.LAGUnknown, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, probs := decode(t, iosBase+c.rows)
			if len(probs) > 0 {
				t.Errorf("problems %q", probs)
			}
			for i, name := range []string{"Gi1/0/1", "Gi1/0/2"} {
				p := port(t, s, name)
				mode := ""
				if p.LACP != nil {
					mode = p.LACP.Mode
					if mode != "" && (len(p.LACP.Evidence) == 0 || !strings.Contains(p.LACP.Evidence[0], "."+strconv.Itoa(p.IfIndex)+" = ")) {
						t.Errorf("%s evidence %q", name, p.LACP.Evidence)
					}
				}
				if mode != c.modes[i] {
					t.Errorf("%s mode %q, want %q", name, mode, c.modes[i])
				}
			}
			l := lag(t, s, "Po1")
			if l.Kind != c.kind || !slices.Equal(l.Members, []string{"Gi1/0/1", "Gi1/0/2"}) {
				t.Errorf("Po1 kind %s members %v, want %s", l.Kind, l.Members, c.kind)
			}
			if c.evidence != "" && !hasProblem(l.Evidence, c.evidence) {
				t.Errorf("Po1 evidence %q lacks %q", l.Evidence, c.evidence)
			}
		})
	}
}

// TestPAgPGroupMembers: Po2 has no ifStackTable rows; pagpGroupIfIndex
// attaches Gi1/0/3 and Gi1/0/4 to it. Gi1/0/4 is down.
func TestPAgPGroupMembers(t *testing.T) {
	rows := row(pagpEthc, "10103", "2", "3") + row(pagpEthc, "10104", "2", "3") +
		row(pagpGroup, "10101", "2", "10101") + // its own ifIndex: not attached anywhere new
		row(pagpGroup, "10103", "2", "5002") + row(pagpGroup, "10104", "2", "5002") +
		row(pagpOper, "10103", "2", "1") + row(pagpOper, "10104", "2", "1")
	s, _ := decode(t, iosBase+rows)
	l := lag(t, s, "Po2")
	if !slices.Equal(l.Members, []string{"Gi1/0/3", "Gi1/0/4"}) || l.Kind != topology.LAGUnknown {
		t.Fatalf("Po2 %+v", l)
	}
	if !hasProblem(l.Evidence, "CISCO-PAGP-MIB pagpGroupIfIndex.10103 = 5002 (Gi1/0/3 attached to Po2)") {
		t.Errorf("Po2 evidence %q", l.Evidence)
	}
	if p := port(t, s, "Gi1/0/4"); p.LACP == nil || p.LACP.Mode != "desirable" || p.LACP.Status != "down" {
		t.Errorf("Gi1/0/4 LACP %+v", p.LACP)
	}
	if l := lag(t, s, "Po1"); !slices.Equal(l.Members, []string{"Gi1/0/1", "Gi1/0/2"}) {
		t.Errorf("Po1 members %v", l.Members)
	}
}

// TestConfiguredModeAgainstStandardKind: IEEE8023-LAG-MIB shows Po1 bundled
// with no LACP activity and no partner (static); CISCO-LAG-MIB says the
// members are configured active. The observed kind stays, the configured
// mode replaces the derived one, and both are in the evidence.
func TestConfiguredModeAgainstStandardKind(t *testing.T) {
	agg := "1.2.840.10006.300.43.1.2.1.1."
	rows := row(agg+"9.", "10101", "4x", "000000000000") + row(agg+"13.", "10101", "2", "5001") + row(agg+"21.", "10101", "4x", "3c") +
		row(agg+"9.", "10102", "4x", "000000000000") + row(agg+"13.", "10102", "2", "5001") + row(agg+"21.", "10102", "4x", "3c") +
		row(clagAdmin, "10101", "2", "3") + row(clagAdmin, "10102", "2", "3")
	s, _ := decode(t, iosBase+rows)
	l := lag(t, s, "Po1")
	if l.Kind != topology.LAGStatic || !hasProblem(l.Evidence, "but the standard MIBs show static: kind kept") {
		t.Errorf("Po1 %+v", l)
	}
	p := port(t, s, "Gi1/0/1")
	if p.LACP.Mode != "active" || !hasProblem(p.LACP.Evidence, "configured mode active replaces mode on") {
		t.Errorf("Gi1/0/1 %+v", p.LACP)
	}
}

// bitmap renders a 128-octet VLAN bitmap with the given octets set.
func bitmap(octets map[int]byte) string {
	b := make([]byte, 128)
	for i, v := range octets {
		b[i] = v
	}
	const hexd = "0123456789abcdef"
	var sb strings.Builder
	for _, c := range b {
		sb.WriteByte(hexd[c>>4])
		sb.WriteByte(hexd[c&15])
	}
	return sb.String()
}

const (
	trunk = "1.3.6.1.4.1.9.9.46.1.6.1.1."
	vtp   = "1.3.6.1.4.1.9.9.46.1.3.1.1."
	vm    = "1.3.6.1.4.1.9.9.68.1.2.2.1."
)

// vtpVlans renders vtpVlanTable rows (domain 1) of type ethernet, plus
// VLAN 1002 as fddi.
func vtpVlans(vlans ...int) string {
	var sb strings.Builder
	for _, v := range vlans {
		sb.WriteString(row(vtp+"2.1.", strconv.Itoa(v), "2", "1"))
		sb.WriteString(row(vtp+"3.1.", strconv.Itoa(v), "2", "1"))
	}
	sb.WriteString(row(vtp+"2.1.", "1002", "2", "1"))
	sb.WriteString(row(vtp+"3.1.", "1002", "2", "2"))
	return sb.String()
}

// trunkRows: Gi1/0/1 trunking (vlanTrunkPortDynamicStatus trunking), native
// VLAN 10, allowed VLANs 1, 10, 20, 30 (1k bitmap 40 20 08 02: VLAN 1 is
// bit 1 of octet 0, 10 bit 2 of octet 1, 20 bit 4 of octet 2, 30 bit 6 of
// octet 3; MSB first), 1002 (octet 125, 0x20), 1039 (2k bitmap, octet 1
// bit 7: 0x01, in a 2-octet value: missing octets are zero) and 4094, 4095
// (4k bitmap, octet 127 = 0x03); Gi1/0/2 access VLAN 20 (not trunking,
// vmVlan 20); Gi1/0/3 trunking by encapsulation dot1Q, native VLAN 99 not
// in its allowed list (VLAN 1 only).
func trunkRows(gi3Bitmap bool) string {
	r := row(trunk+"4.", "10101", "4x", bitmap(map[int]byte{0: 0x40, 1: 0x20, 2: 0x08, 3: 0x02, 125: 0x20})) +
		row(trunk+"5.", "10101", "2", "10") + row(trunk+"14.", "10101", "2", "1") + row(trunk+"16.", "10101", "2", "4") +
		row(trunk+"17.", "10101", "4x", "0001") + row(trunk+"19.", "10101", "4x", bitmap(map[int]byte{127: 0x03})) +
		row(trunk+"5.", "10102", "2", "1") + row(trunk+"14.", "10102", "2", "2") + row(trunk+"16.", "10102", "2", "6") +
		row(vm+"1.", "10102", "2", "1") + row(vm+"2.", "10102", "2", "20") +
		row(trunk+"5.", "10103", "2", "99") + row(trunk+"16.", "10103", "2", "4")
	if gi3Bitmap {
		r += row(trunk+"4.", "10103", "4x", "40")
	}
	return r
}

func TestTrunkBitmaps(t *testing.T) {
	s, probs := decode(t, iosBase+trunkRows(true)+vtpVlans(1, 10, 20, 99, 1039, 4094))
	if len(probs) > 0 {
		t.Errorf("problems %q", probs)
	}
	// VLAN 30 is allowed but does not exist, 1002 is fddi, 4095 is
	// reserved; the native VLAN 10 is untagged.
	checkVLANs(t, s, "Gi1/0/1", 10, []int{10}, []int{1, 20, 1039, 4094})
	checkVLANs(t, s, "Gi1/0/2", 20, []int{20}, nil)
	checkVLANs(t, s, "Gi1/0/3", 99, nil, []int{1})
	if !s.VLANsKnown {
		t.Error("VLANsKnown false with every trunk's allowed list read")
	}
}

func TestTrunkWithoutBitmapLeavesVLANsUnknown(t *testing.T) {
	s, probs := decode(t, iosBase+trunkRows(false)+vtpVlans(1, 10, 20, 99, 1039, 4094))
	checkVLANs(t, s, "Gi1/0/3", 99, nil, nil)
	checkVLANs(t, s, "Gi1/0/1", 10, []int{10}, []int{1, 20, 1039, 4094})
	if s.VLANsKnown || !hasProblem(probs, "VLANs of Gi1/0/3 unknown") {
		t.Errorf("VLANsKnown %v problems %q", s.VLANsKnown, probs)
	}
}

func TestIncompleteVtpVlanTableIsNotAFilter(t *testing.T) {
	// VLAN 20 (Gi1/0/2's access VLAN) missing from vtpVlanTable.
	s, probs := decode(t, iosBase+trunkRows(true)+vtpVlans(1, 10, 99, 1039, 4094))
	checkVLANs(t, s, "Gi1/0/1", 10, []int{10}, []int{1, 20, 30, 1002, 1039, 4094})
	if !hasProblem(probs, "vtpVlanTable lacks VLAN(s) in use 20 (vmVlan.10102)") {
		t.Errorf("problems %q", probs)
	}
}

func TestNoVtpVlanTable(t *testing.T) {
	s, _ := decode(t, iosBase+trunkRows(true))
	checkVLANs(t, s, "Gi1/0/1", 10, []int{10}, []int{1, 20, 30, 1002, 1039, 4094})
}

// TestQBridgeWins: with Q-BRIDGE-MIB data the Cisco VLAN tables are not
// mixed in.
func TestQBridgeWins(t *testing.T) {
	q := "1.3.6.1.2.1.17.1.4.1.2.1|2|10101\n1.3.6.1.2.1.17.7.1.4.5.1.1.1|66|5\n"
	s, _ := decode(t, iosBase+q+trunkRows(true))
	checkVLANs(t, s, "Gi1/0/1", 5, nil, nil)
	checkVLANs(t, s, "Gi1/0/2", 0, nil, nil)
}

// TestNoCiscoTablesNoChange: a Cisco walk without any Cisco table decodes
// as the standard decoder alone decodes it.
func TestNoCiscoTablesNoChange(t *testing.T) {
	w := walk(t, iosBase)
	s, probs := vendors.DecodeWith(w, "x", all.Profiles())
	std, stdProbs := vendors.Decode(w, "x")
	if s.Vendor != "cisco-ios" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	s.Vendor = std.Vendor
	if !slices.EqualFunc(s.Ports, std.Ports, func(a, b topology.Port) bool { return sameVLANs(&a, &b) && a.LACP == nil && b.LACP == nil }) ||
		len(s.Neighbours) != len(std.Neighbours) || s.VLANsKnown != std.VLANsKnown || len(probs) != len(stdProbs) {
		t.Errorf("decoders changed a walk without Cisco tables")
	}
}

// nxosBase: Ethernet1/1, 1/2, 1/49, 1/50; port-channel1 (the peer link,
// over 1/49+1/50) and port-channel20 (vPC 20, over 1/1), ifIndexes as NX-OS
// numbers them.
const nxosBase = `1.3.6.1.2.1.1.1.0|4|Cisco NX-OS(tm) nxos.9.3.10.bin, Software (nxos), Version 9.3(10)
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.9.12.3.1.3.1812
1.3.6.1.2.1.1.5.0|4|n9k-a
1.3.6.1.2.1.2.2.1.3.369098752|2|53
1.3.6.1.2.1.2.2.1.3.369098771|2|53
1.3.6.1.2.1.2.2.1.3.436207616|2|6
1.3.6.1.2.1.2.2.1.3.436211712|2|6
1.3.6.1.2.1.2.2.1.3.436404224|2|6
1.3.6.1.2.1.2.2.1.3.436408320|2|6
1.3.6.1.2.1.2.2.1.8.369098752|2|%s
1.3.6.1.2.1.2.2.1.8.369098771|2|1
1.3.6.1.2.1.31.1.1.1.1.369098752|4|port-channel1
1.3.6.1.2.1.31.1.1.1.1.369098771|4|port-channel20
1.3.6.1.2.1.31.1.1.1.1.436207616|4|Ethernet1/1
1.3.6.1.2.1.31.1.1.1.1.436211712|4|Ethernet1/2
1.3.6.1.2.1.31.1.1.1.1.436404224|4|Ethernet1/49
1.3.6.1.2.1.31.1.1.1.1.436408320|4|Ethernet1/50
1.3.6.1.2.1.31.1.2.1.3.369098752.436404224|2|1
1.3.6.1.2.1.31.1.2.1.3.369098752.436408320|2|1
1.3.6.1.2.1.31.1.2.1.3.369098771.436207616|2|1
`

// vpcRows: domain 10, keepalive to 10.0.0.2 alive, role primary, vPC
// system MAC 00:23:04:ee:be:0a, peer link port-channel1, vPC 20 =
// port-channel20 up and consistent, vPC 30 bound to no port-channel.
const vpcRows = `1.3.6.1.4.1.9.9.807.1.1.1.1.2.10|2|1
1.3.6.1.4.1.9.9.807.1.1.1.1.3.10|4x|0a000002
1.3.6.1.4.1.9.9.807.1.1.2.1.2.10|2|2
1.3.6.1.4.1.9.9.807.1.2.1.1.2.10|2|2
1.3.6.1.4.1.9.9.807.1.2.1.1.3.10|2|2
1.3.6.1.4.1.9.9.807.1.2.1.1.5.10|4x|002304eebe0a
1.3.6.1.4.1.9.9.807.1.4.1.1.2.10|2|369098752
1.3.6.1.4.1.9.9.807.1.4.2.1.3.10.20|2|369098771
1.3.6.1.4.1.9.9.807.1.4.2.1.3.10.30|2|0
1.3.6.1.4.1.9.9.807.1.4.2.1.4.10.20|2|3
1.3.6.1.4.1.9.9.807.1.4.2.1.5.10.20|2|1
`

func nxos(peerLinkOper string) string { return strings.Replace(nxosBase, "%s", peerLinkOper, 1) }

func TestVPC(t *testing.T) {
	s, probs := decode(t, nxos("1")+vpcRows)
	if s.Vendor != "cisco-nxos" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	if len(probs) > 0 {
		t.Errorf("problems %q", probs)
	}
	m := s.MLAG
	if m == nil {
		t.Fatal("no MLAG")
	}
	if m.Kind != "vpc" || m.Domain != "vpc-10" || m.Role != "primary" || m.SystemID != "00:23:04:ee:be:0a" || m.Peer != "10.0.0.2" ||
		m.PeerLink != "port-channel1" || m.PeerLinkUp == nil || !*m.PeerLinkUp {
		t.Errorf("MLAG %+v", m)
	}
	for _, want := range []string{"cVpcRoleStatus.10 = primary", "cVpcPeerKeepAliveStatus.10 = alive", "cVpcStatusPeerLinkIfIndex.10 = 369098752 (port-channel1), ifOperStatus up"} {
		if !hasProblem(m.Evidence, want) {
			t.Errorf("MLAG evidence %q lacks %q", m.Evidence, want)
		}
	}
	if pl := lag(t, s, "port-channel1"); !pl.PeerLink || pl.MLAG != "" || pl.MLAGID != 0 {
		t.Errorf("peer link %+v", pl)
	}
	v := lag(t, s, "port-channel20")
	if v.PeerLink || v.MLAG != "vpc-10" || v.MLAGID != 20 || !hasProblem(v.Evidence, "port-channel20 is vPC 20, cVpcStatusHostLinkStatus up, consistency success") {
		t.Errorf("vPC 20 %+v", v)
	}
}

func TestVPCPeerLinkDown(t *testing.T) {
	s, _ := decode(t, nxos("2")+strings.Replace(vpcRows, "807.1.2.1.1.2.10|2|2", "807.1.2.1.1.2.10|2|3", 1))
	if m := s.MLAG; m == nil || m.PeerLinkUp == nil || *m.PeerLinkUp || m.Role != "secondary, operational primary" {
		t.Errorf("MLAG %+v", m)
	}
}

func TestVPCOnIOSIsIgnored(t *testing.T) {
	// CISCO-VPC-MIB is decoded on NX-OS only.
	s, _ := decode(t, iosBase+vpcRows)
	if s.MLAG != nil {
		t.Errorf("MLAG %+v on IOS", s.MLAG)
	}
}

// TestCDPDetails: NX-OS device IDs carry the serial number; cdpCacheSysName
// wins when sent; IPv6 addresses; an unknown local ifIndex is a problem.
func TestCDPDetails(t *testing.T) {
	cdp := "1.3.6.1.4.1.9.9.23.1.2.1.1."
	rows := row(cdp+"3.", "436207616.1", "2", "1") + row(cdp+"4.", "436207616.1", "4x", "0a000003") +
		row(cdp+"6.", "436207616.1", "4", "n9k-b(FDO12345ABC)") + row(cdp+"7.", "436207616.1", "4", "Ethernet1/1") +
		row(cdp+"3.", "436211712.2", "2", "20") + row(cdp+"4.", "436211712.2", "4x", "20010db8000000000000000000000001") +
		row(cdp+"6.", "436211712.2", "4", "SEP001122334455") + row(cdp+"7.", "436211712.2", "4", "Port 1") +
		row(cdp+"17.", "436211712.2", "4", "phone-1") +
		row(cdp+"6.", "999.3", "4", "ghost") + row(cdp+"7.", "999.3", "4", "Gi0/1")
	s, probs := decode(t, nxos("1")+rows)
	n := cdpOn(t, s, "Ethernet1/1")
	if n.SystemName != "n9k-b" || n.ChassisID != "n9k-b(FDO12345ABC)" || n.ChassisIDSubtype != topology.IDLocal || !slices.Equal(n.MgmtAddrs, []string{"10.0.0.3"}) {
		t.Errorf("Ethernet1/1 %+v", n)
	}
	if n := cdpOn(t, s, "Ethernet1/2"); n.SystemName != "phone-1" || !slices.Equal(n.MgmtAddrs, []string{"2001:db8::1"}) || n.PortID != "Port 1" {
		t.Errorf("Ethernet1/2 %+v", n)
	}
	if n := cdpOn(t, s, "ifIndex999"); n.SystemName != "ghost" {
		t.Errorf("ifIndex999 %+v", n)
	}
	if !hasProblem(probs, "cdpCacheIfIndex 999 is no interface of the walk") || !strings.HasPrefix(probs[0], "line ") {
		t.Errorf("problems %q", probs)
	}
	// neighbours stay sorted by local port
	if !slices.IsSortedFunc(s.Neighbours, func(a, b topology.Neighbour) int { return strings.Compare(a.LocalPort, b.LocalPort) }) {
		t.Errorf("neighbours not sorted: %+v", s.Neighbours)
	}
}

func TestProfiles(t *testing.T) {
	for _, p := range []vendors.Profile{cisco.IOS, cisco.NXOS} {
		if p.Decode == nil || len(p.OIDs) == 0 || len(p.Tested) == 0 {
			t.Errorf("%s: incomplete profile", p.Name)
		}
		for _, o := range p.OIDs {
			if !strings.HasPrefix(o, "1.3.6.1.4.1.9.9.") {
				t.Errorf("%s: OID %s outside ciscoMgmt", p.Name, o)
			}
		}
	}
	if !slices.Contains(cisco.NXOS.OIDs, "1.3.6.1.4.1.9.9.807") || slices.Contains(cisco.IOS.OIDs, "1.3.6.1.4.1.9.9.807") {
		t.Error("CISCO-VPC-MIB is walked on NX-OS only")
	}
}

// FuzzDecode feeds arbitrary snmprec text, made a Cisco IOS or NX-OS device
// by its sysObjectID and sysDescr, through every decoder.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{iosBase, iosBase + trunkRows(true) + vtpVlans(1, 10, 20, 99), nxos("1") + vpcRows,
		iosBase + row(pagpEthc, "10103", "2", "3") + row(pagpGroup, "10103", "2", "5002") + row(pagpOper, "10103", "2", "1") + row(clagAdmin, "10101", "2", "3")} {
		f.Add(vendortest.Seed(seed, 2, 400))
	}
	// A cut of a real recording: the whole one is TestFixtures' (a seed that
	// large leaves the fuzzer minimising, not fuzzing).
	if b, err := os.ReadFile(filepath.Join(fixtureDir, "librenms__iosxe_ie32008t2s-ios17-12.snmprec")); err == nil {
		f.Add(vendortest.Seed(string(b), 1, 600))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		oid, descr, want := "1.3.6.1.4.1.9.1.1208", "Cisco IOS Software", "cisco-ios"
		if len(data)%2 == 1 {
			oid, descr, want = "1.3.6.1.4.1.9.12.3.1.3.1812", "Cisco NX-OS(tm)", "cisco-nxos"
		}
		w := vendortest.FuzzWalk(data, oid, descr)
		s, _ := vendortest.Decode(w, "fuzz")
		if s == nil || s.Vendor != want {
			t.Fatalf("decoded as %v, want %s", s, want)
		}
		// The decoders only add members (by pagpGroupIfIndex), and only
		// ports that were in no LAG.
		std, _ := vendors.Decode(w, "fuzz")
		if len(std.LAGs) != len(s.LAGs) {
			t.Fatalf("%d LAGs, standard decoder %d", len(s.LAGs), len(std.LAGs))
		}
		inStd := map[string]bool{}
		for _, l := range std.LAGs {
			for _, m := range l.Members {
				inStd[m] = true
			}
		}
		for i, l := range s.LAGs {
			for _, m := range std.LAGs[i].Members {
				if !slices.Contains(l.Members, m) {
					t.Fatalf("%s lost member %s", l.Name, m)
				}
			}
			for _, m := range l.Members {
				if !slices.Contains(std.LAGs[i].Members, m) && inStd[m] {
					t.Fatalf("%s gained %s, a member of another LAG", l.Name, m)
				}
			}
		}
		for _, p := range s.Ports {
			if !slices.IsSorted(p.Tagged) || slices.Contains(p.Tagged, 0) || slices.ContainsFunc(p.Tagged, func(v int) bool { return v > 4094 }) {
				t.Fatalf("%s tagged %v", p.Name, p.Tagged)
			}
		}
	})
}
