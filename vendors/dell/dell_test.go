package dell_test

import (
	"slices"
	"strconv"
	"testing"

	"github.com/bondaudit/bondaudit/internal/vendortest"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors/dell"
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

// TestZ9100VLT: librenms dnos_z9100-on. Raw OIDs (grep 6027.3.17):
//
//	dellNetVLTDomainId.1 (…17.1.1.1.1.1) = 1
//	dellNetVLTIclIfIndex.1 (….4.1) = 1258342400, which has no ifTable/ifXTable row
//	dellNetVLTRole.1 (….5.1) = 1 primary; dellNetVLTPeerStatus.1 (….6.1) = 1 peerUp
//	dellNetVLTIclStatus.1 (….7.1) = 1 linkUp; dellNetVLTHBeatStatus.1 (….8.1) = 1 linkUp
//	dellNetVLTRemoteMacAddr.1 (….12.1) = 3C2C30167480; dellNetVLTCfgSysMacAddr.1 (….21.1) = 000000000000
//	dellNetVLTDetail rows (…17.1.3.1.{1..4}.N) for N = 1..8, 11, 51..55, 61..65, 71..75, with
//	  PeerLagID.N = N; LocalStatus.1 = 0, PeerStatus.1 = 1; LocalStatus/PeerStatus.51..55 = 0
//	ifName.1258291712 = "Port-channel 1" (ifStackStatus.1258291712.2113038 = 1: hundredGigE 1/32),
//	ifName.1258317312 … 1258319360 = "Port-channel 51" … "Port-channel 55"; no other port-channel in ifTable
func TestZ9100VLT(t *testing.T) {
	s, _ := recording(t, "dnos_z9100-on")
	if s.Vendor != "dell-os9" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	m := s.MLAG
	if m == nil || m.Kind != "vlt" || m.Domain != "vlt-1" || m.Role != "primary" || m.Peer != "3c:2c:30:16:74:80" {
		t.Fatalf("MLAG %+v", m)
	}
	if m.PeerLinkUp == nil || !*m.PeerLinkUp {
		t.Errorf("ICL status linkUp, but PeerLinkUp %v", m.PeerLinkUp)
	}
	if m.SystemID != "" || m.PeerLink != "" {
		t.Errorf("system ID %q (configured MAC is zero), peer link %q (ICL not in ifTable)", m.SystemID, m.PeerLink)
	}
	for _, e := range []string{"dellNetVLTPeerStatus.1 = peerUp", "dellNetVLTIclIfIndex.1 = 1258342400", "dellNetVLTHBeatStatus.1 = linkUp"} {
		if !contains(m.Evidence, e) {
			t.Errorf("evidence lacks %q: %q", e, m.Evidence)
		}
	}
	po1 := lag(s, "Port-channel 1")
	if po1 == nil || po1.MLAG != "vlt-1" || po1.MLAGID != 1 || !slices.Equal(po1.Members, []string{"hundredGigE 1/32"}) || po1.PeerLink {
		t.Errorf("Port-channel 1 %+v", po1)
	}
	if !contains(po1.Evidence, "dellNetVLTDetailLocalStatus.1 = down, dellNetVLTDetailPeerStatus.1 = up") {
		t.Errorf("Port-channel 1 evidence %q", po1.Evidence)
	}
	for n := 51; n <= 55; n++ {
		l := lag(s, "Port-channel "+strconv.Itoa(n))
		if l == nil || l.MLAG != "vlt-1" || l.MLAGID != n || len(l.Members) != 2 || l.Kind != topology.LAGUnknown {
			t.Errorf("Port-channel %d %+v", n, l)
		}
	}
	if l := lag(s, "Port-channel 51"); !slices.Equal(l.Members, []string{"TenGigabitEthernet 1/1/1", "TenGigabitEthernet 1/2/1"}) {
		t.Errorf("Port-channel 51 members %v", l.Members)
	}
}

// TestS4048: librenms dnos_s4048 has no 6027.3.17 or 6027.3.2 rows; its 24
// port-channels come from ifStackTable (Po53 = fortyGigE 1/53 + 1/54 via
// ifStackStatus.1258318336.2105349/.2105861; Po45/46 no rows).
func TestS4048(t *testing.T) {
	s, _ := recording(t, "dnos_s4048")
	if s.MLAG != nil {
		t.Errorf("MLAG %+v without a VLT MIB", s.MLAG)
	}
	if len(s.LAGs) != 24 {
		t.Errorf("%d LAGs", len(s.LAGs))
	}
	if l := lag(s, "Port-channel 53"); l == nil || !slices.Equal(l.Members, []string{"fortyGigE 1/53", "fortyGigE 1/54"}) || l.MLAG != "" {
		t.Errorf("Port-channel 53 %+v", l)
	}
	if l := lag(s, "Port-channel 45"); l == nil || len(l.Members) != 0 {
		t.Errorf("Port-channel 45 %+v", l)
	}
}

// TestOS10: librenms dell-os10: ifName.43/45/49 = port-channel1/2/1000
// (ifType 161), no ifStackStatus rows for them, no VLT MIB: nothing added.
func TestOS10(t *testing.T) {
	s, _ := recording(t, "dell-os10")
	if s.Vendor != "dell-os10" || s.MLAG != nil {
		t.Errorf("vendor %q MLAG %+v", s.Vendor, s.MLAG)
	}
	for _, n := range []string{"port-channel1", "port-channel2", "port-channel1000"} {
		if l := lag(s, n); l == nil || len(l.Members) != 0 || l.MLAG != "" || l.PeerLink {
			t.Errorf("%s %+v", n, l)
		}
	}
}

// os9: Te 0/1..0/4 (ifIndex 1..4), Po 10 (1258296320) and Po 100
// (1258342400), no ifStackTable rows.
const os9 = `1.3.6.1.2.1.1.1.0|4|Dell Networking OS Operating System Version: 2.0 Application Software Version: 9.14(1.5) Series: S4048-ON
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.6027.1.3.20
1.3.6.1.2.1.2.2.1.3.1|2|6
1.3.6.1.2.1.2.2.1.3.2|2|6
1.3.6.1.2.1.2.2.1.3.3|2|6
1.3.6.1.2.1.2.2.1.3.4|2|6
1.3.6.1.2.1.2.2.1.3.1258296320|2|161
1.3.6.1.2.1.2.2.1.3.1258342400|2|161
1.3.6.1.2.1.2.2.1.8.1|2|1
1.3.6.1.2.1.2.2.1.8.2|2|1
1.3.6.1.2.1.2.2.1.8.3|2|1
1.3.6.1.2.1.2.2.1.8.4|2|2
1.3.6.1.2.1.2.2.1.8.1258342400|2|2
1.3.6.1.2.1.31.1.1.1.1.1|4|TenGigabitEthernet 0/1
1.3.6.1.2.1.31.1.1.1.1.2|4|TenGigabitEthernet 0/2
1.3.6.1.2.1.31.1.1.1.1.3|4|TenGigabitEthernet 0/3
1.3.6.1.2.1.31.1.1.1.1.4|4|TenGigabitEthernet 0/4
1.3.6.1.2.1.31.1.1.1.1.1258296320|4|Port-channel 10
1.3.6.1.2.1.31.1.1.1.1.1258342400|4|Port-channel 100
`

const vlt = "1.3.6.1.4.1.6027.3.17.1."

func TestVLTPeerDown(t *testing.T) {
	rec := os9 + vlt + "1.1.1.1|66|7\n" +
		vlt + "1.1.4.1|2|1258342400\n" +
		vlt + "1.1.5.1|2|2\n" +
		vlt + "1.1.6.1|2|2\n" +
		vlt + "1.1.7.1|2|2\n" +
		vlt + "1.1.12.1|4x|3c2c30167480\n" +
		vlt + "1.1.21.1|4x|020000000007\n" +
		vlt + "3.1.1.10|66|10\n" +
		vlt + "3.1.2.10|66|20\n" +
		vlt + "3.1.3.10|2|1\n" +
		vlt + "3.1.4.10|2|0\n"
	s, _ := decodeText(t, rec)
	m := s.MLAG
	if m == nil || m.Kind != "vlt" || m.Domain != "vlt-7" || m.Role != "secondary" || m.PeerLink != "Port-channel 100" || m.SystemID != "02:00:00:00:00:07" {
		t.Fatalf("MLAG %+v", m)
	}
	if m.PeerLinkUp == nil || *m.PeerLinkUp {
		t.Errorf("ICL linkDown, PeerLinkUp %v", m.PeerLinkUp)
	}
	if !contains(m.Evidence, "dellNetVLTPeerStatus.1 = peerDown") || !contains(m.Evidence, "dellNetVLTIclStatus.1 = linkDown") {
		t.Errorf("evidence %q", m.Evidence)
	}
	if l := lag(s, "Port-channel 100"); !l.PeerLink {
		t.Errorf("Po100 %+v", l)
	}
	l := lag(s, "Port-channel 10")
	if l.MLAG != "vlt-7" || l.MLAGID != 0 || !contains(l.Evidence, "dellNetVLTDetailPeerLagID.10 = 20") || !contains(l.Evidence, "dellNetVLTDetailPeerStatus.10 = down") {
		t.Errorf("Po10 %+v (peer LAG 20 differs: no common MLAG ID)", l)
	}
}

const agg = "1.3.6.1.4.1.6027.3.2.1.1."

func TestLinkAggregationMIB(t *testing.T) {
	rec := os9 +
		agg + "1.1.3.10|66|1258296320\n" +
		agg + "1.1.4.10|66|2\n" +
		agg + "1.1.6.10|4|Te 0/1 Te 0/2 \n" +
		agg + "1.1.7.10|2|1\n" +
		agg + "7.1.2.1|66|10\n" +
		agg + "7.1.5.1|4x|bc\n" +
		agg + "7.1.7.1|4x|bc\n" +
		agg + "7.1.5.2|4x|a2\n"
	s, probs := decodeText(t, rec)
	l := lag(s, "Port-channel 10")
	if l == nil || !slices.Equal(l.Members, []string{"TenGigabitEthernet 0/1", "TenGigabitEthernet 0/2"}) || l.Kind != topology.LAGLACP {
		t.Fatalf("Po10 %+v", l)
	}
	if !contains(l.Evidence, `dot3aAggCfgPortListString.10 = "Te 0/1 Te 0/2"`) || !contains(l.Evidence, "dot3aAggCfgLacpSupported.10 = true") {
		t.Errorf("evidence %q", l.Evidence)
	}
	p1, p2 := port(s, "TenGigabitEthernet 0/1"), port(s, "TenGigabitEthernet 0/2")
	if p1.LACP == nil || p1.LACP.Status != "bundled" || p1.LACP.Mode != "active" || p1.LACP.Actor.State != 61 || p1.LACP.Actor.Key != 10 || p1.LACP.Partner.State != 61 {
		t.Errorf("Te 0/1 LACP %+v", p1.LACP)
	}
	if p2.LACP == nil || p2.LACP.Status != "defaulted" {
		t.Errorf("Te 0/2 LACP %+v", p2.LACP)
	}
	if len(probs) != 0 {
		t.Errorf("problems %q", probs)
	}
}

func TestLinkAggregationMIBStatic(t *testing.T) {
	rec := os9 +
		agg + "1.1.3.10|66|1258296320\n" +
		agg + "1.1.6.10|4|Te 0/3 Fo 9/9\n" +
		agg + "1.1.7.10|2|2\n" +
		agg + "7.1.5.3|4x|3c\n"
	s, probs := decodeText(t, rec)
	l := lag(s, "Port-channel 10")
	if !slices.Equal(l.Members, []string{"TenGigabitEthernet 0/3"}) || l.Kind != topology.LAGStatic {
		t.Fatalf("Po10 %+v", l)
	}
	if p := port(s, "TenGigabitEthernet 0/3"); p.LACP == nil || p.LACP.Mode != "on" || p.LACP.Status != "bundled" {
		t.Errorf("Te 0/3 LACP %+v", p.LACP)
	}
	if !contains(probs, `"Fo 9/9" names no interface`) {
		t.Errorf("problems %q", probs)
	}
}

// TestLinkAggregationMIBDisagrees: members from ifStackTable win; a port
// the Dell MIB adds is reported, not added.
func TestLinkAggregationMIBDisagrees(t *testing.T) {
	rec := os9 + "1.3.6.1.2.1.31.1.2.1.3.1258296320.1|2|1\n" +
		agg + "1.1.3.10|66|1258296320\n" +
		agg + "1.1.6.10|4|Te 0/1 Te 0/4\n"
	s, probs := decodeText(t, rec)
	if l := lag(s, "Port-channel 10"); !slices.Equal(l.Members, []string{"TenGigabitEthernet 0/1"}) {
		t.Errorf("Po10 %+v", l)
	}
	if !contains(probs, "lists TenGigabitEthernet 0/4, which ifStackTable does not put under Port-channel 10") {
		t.Errorf("problems %q", probs)
	}
}

func TestProfiles(t *testing.T) {
	if dell.OS9.Name != "dell-os9" || dell.OS9.Decode == nil || dell.OS10.Name != "dell-os10" || len(dell.OS10.Tested) == 0 {
		t.Errorf("profiles %+v %+v", dell.OS9, dell.OS10)
	}
}

// FuzzDecode: any walk with an OS9 (or OS10, first byte odd) sysObjectID
// decodes without panicking.
func FuzzDecode(f *testing.F) {
	f.Add(append([]byte{0}, vendortest.Seed(os9+vlt+"1.1.4.1|2|1258342400\n"+vlt+"1.1.7.1|2|1\n"+vlt+"3.1.2.10|66|10\n", 2, 400)...))
	f.Add(append([]byte{0}, vendortest.Seed(os9+agg+"1.1.3.10|66|1258296320\n"+agg+"1.1.6.10|4|Te 0/1 Te 0/2\n"+agg+"7.1.5.1|4x|bc\n", 2, 400)...))
	f.Add(append([]byte{1}, vendortest.Seed(os9, 2, 400)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		oid, vendor := "1.3.6.1.4.1.6027.1.3.20", "dell-os9"
		if data[0]&1 == 1 {
			oid, vendor = "1.3.6.1.4.1.674.11000.5000.100.2.1.7", "dell-os10"
		}
		s, _ := vendortest.Decode(vendortest.FuzzWalk(data[1:], oid, ""), "fuzz")
		if s == nil || s.Vendor != vendor {
			t.Fatalf("not decoded as %s: %+v", vendor, s)
		}
	})
}
