package aruba_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/vendortest"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors/aruba"
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

// Test8360VSX: librenms arubaos-cx_8360. grep '47196.4.1.1.3.7' finds one
// row: 1.3.6.1.4.1.47196.4.1.1.3.7.2.1.1.0|2|3 (arubaWiredVsxIslOperState =
// inSync). lag1 (769, up), lag101 (869, down), lag102 (870, down) are
// ifType 161 with no ifStackStatus.<lag>.<port> rows.
func Test8360VSX(t *testing.T) {
	s, _ := recording(t, "arubaos-cx_8360")
	if s.Vendor != "arubaos-cx" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	m := s.MLAG
	if m == nil || m.Kind != "vsx" || m.PeerLinkUp == nil || !*m.PeerLinkUp {
		t.Fatalf("MLAG %+v, want vsx with the ISL up", m)
	}
	if m.Role != "" || m.PeerLink != "" || m.Peer != "" || m.SystemID != "" {
		t.Errorf("MLAG %+v states more than the one VSX row says", m)
	}
	if !slices.Equal(m.Evidence, []string{"ARUBAWIRED-VSX-MIB arubaWiredVsxIslOperState.0 = inSync"}) {
		t.Errorf("evidence %q", m.Evidence)
	}
	for _, n := range []string{"lag1", "lag101", "lag102"} {
		l := lag(s, n)
		if l == nil || len(l.Members) != 0 || l.MLAG != "" || l.PeerLink {
			t.Errorf("%s = %+v", n, l)
		}
	}
}

// TestCXWithoutVSXMIB: the other CX recordings have no 47196.4.1.1.3 rows
// (grep finds only sysObjectID/entPhysicalVendorType values), so no MLAG is
// claimed even though 10.06's LLDP neighbours describe lag256 as "VSX ISL".
// Membership as in ifStackTable: 10.06 ifStackStatus.1024.55/.56 = 1
// (lag256 = 1/1/55 1/1/56); arubaos-cx lag53 (821) over 53, 54; 10.07
// lag47 (815), lag51 (819) without rows.
func TestCXWithoutVSXMIB(t *testing.T) {
	for _, c := range []struct {
		rec, lag string
		members  []string
	}{
		{"arubaos-cx_10.06", "lag256", []string{"1/1/55", "1/1/56"}},
		{"arubaos-cx", "lag53", []string{"1/1/53", "1/1/54"}},
		{"arubaos-cx_10.07", "lag47", nil},
		{"arubaos-cx_10.07", "lag51", nil},
	} {
		s, _ := recording(t, c.rec)
		if s.MLAG != nil {
			t.Errorf("%s: MLAG %+v without VSX MIB rows", c.rec, s.MLAG)
		}
		l := lag(s, c.lag)
		if l == nil || !slices.Equal(l.Members, c.members) || l.Kind != topology.LAGUnknown || l.PeerLink || l.MLAG != "" {
			t.Errorf("%s %s = %+v, want members %v", c.rec, c.lag, l, c.members)
		}
	}
}

// TestProCurveRecording: librenms procurve. ifName.962 = Trk1 (ifType
// 161), ifStackStatus.962.55 = 1 (A1), .962.56 = 1 (A2); no IEEE8023-LAG-MIB
// and no hpSwitchPortTable (11.2.14.11.5.1.7.1.3) rows, so the kind is unknown.
func TestProCurveRecording(t *testing.T) {
	s, probs := recording(t, "procurve")
	if s.Vendor != "hpe-procurve" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	l := lag(s, "Trk1")
	if l == nil || !slices.Equal(l.Members, []string{"A1", "A2"}) || l.Kind != topology.LAGUnknown || l.Oper != "up" {
		t.Errorf("Trk1 = %+v", l)
	}
	for _, p := range probs {
		if strings.Contains(p, "hpSwitchPortTrunkType") {
			t.Errorf("problem %q", p)
		}
	}
}

// cxBase: an AOS-CX switch with lag1 (769: 1/1/1, 1/1/2) and lag256 (1024:
// 1/1/55, 1/1/56) stacked in ifStackTable, as on 10.06.
const cxBase = `1.3.6.1.2.1.1.1.0|4|Aruba JL635A 8325 GL.10.06.0110
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.47196.4.1.1.1.50
1.3.6.1.2.1.1.5.0|4|cx1
1.3.6.1.2.1.2.2.1.3.1|2|6
1.3.6.1.2.1.2.2.1.3.2|2|6
1.3.6.1.2.1.2.2.1.3.55|2|6
1.3.6.1.2.1.2.2.1.3.56|2|6
1.3.6.1.2.1.2.2.1.3.769|2|161
1.3.6.1.2.1.2.2.1.3.1024|2|161
1.3.6.1.2.1.2.2.1.8.769|2|1
1.3.6.1.2.1.2.2.1.8.1024|2|1
1.3.6.1.2.1.31.1.1.1.1.1|4|1/1/1
1.3.6.1.2.1.31.1.1.1.1.2|4|1/1/2
1.3.6.1.2.1.31.1.1.1.1.55|4|1/1/55
1.3.6.1.2.1.31.1.1.1.1.56|4|1/1/56
1.3.6.1.2.1.31.1.1.1.1.769|4|lag1
1.3.6.1.2.1.31.1.1.1.1.1024|4|lag256
1.3.6.1.2.1.31.1.2.1.3.769.1|2|1
1.3.6.1.2.1.31.1.2.1.3.769.2|2|1
1.3.6.1.2.1.31.1.2.1.3.1024.55|2|1
1.3.6.1.2.1.31.1.2.1.3.1024.56|2|1
`

const vsx = "1.3.6.1.4.1.47196.4.1.1.3.7."

func vsxRows(islState string) string {
	return vsx + "1.1.1.0|4|lag256\n" +
		vsx + "1.2.5.0|2|1\n" +
		vsx + "1.2.6.0|4x|0a000002\n" +
		vsx + "1.3.1.1.2.769|2|2\n" +
		vsx + "1.3.1.1.2.1024|2|1\n" +
		vsx + "1.4.1.0|2|1\n" +
		vsx + "2.1.1.0|2|" + islState + "\n" +
		vsx + "2.1.6.0|4|02:01:00:00:01:00\n" +
		vsx + "2.2.1.0|2|3\n"
}

func TestVSXHandWritten(t *testing.T) {
	s, _ := decodeText(t, cxBase+vsxRows("3"))
	m := s.MLAG
	if m == nil || m.Kind != "vsx" || m.Role != "primary" || m.PeerLink != "lag256" || m.Peer != "10.0.0.2" || m.PeerLinkUp == nil || !*m.PeerLinkUp {
		t.Fatalf("MLAG %+v", m)
	}
	for _, e := range []string{"arubaWiredVsxDeviceRole.0 = primary", "arubaWiredVsxIslPort.0 = lag256", "arubaWiredVsxKeepAliveOperState.0 = inSyncEstablished", "arubaWiredVsxKeepAlivePeerIPAddr.0 = 10.0.0.2"} {
		if !slices.ContainsFunc(m.Evidence, func(s string) bool { return strings.Contains(s, e) }) {
			t.Errorf("evidence lacks %q: %q", e, m.Evidence)
		}
	}
	if l := lag(s, "lag256"); !l.PeerLink || l.MLAG != "" {
		t.Errorf("lag256 %+v, want the peer link, not multi-chassis", l)
	}
	l := lag(s, "lag1")
	if l.MLAG != "vsx" || l.MLAGID != 1 || !slices.Equal(l.Members, []string{"1/1/1", "1/1/2"}) {
		t.Errorf("lag1 %+v", l)
	}
	if !slices.ContainsFunc(l.Evidence, func(s string) bool {
		return strings.Contains(s, "ARUBAWIRED-VSX-MIB arubaWiredVsxAggregatorType.769 = multiChassis")
	}) {
		t.Errorf("lag1 evidence %q", l.Evidence)
	}
}

func TestVSXISLDown(t *testing.T) {
	for _, st := range []string{"1", "2"} { // init, outSync
		s, _ := decodeText(t, cxBase+vsxRows(st))
		if s.MLAG == nil || s.MLAG.PeerLinkUp == nil || *s.MLAG.PeerLinkUp {
			t.Errorf("ISL state %s: MLAG %+v, want peer link down", st, s.MLAG)
		}
	}
}

func TestVSXNotConfigured(t *testing.T) {
	s, _ := decodeText(t, cxBase+vsx+"1.4.1.0|2|3\n")
	if s.MLAG != nil {
		t.Errorf("MLAG %+v for a switch whose VSX role is notConfigured", s.MLAG)
	}
}

func TestMCLAGHandWritten(t *testing.T) {
	const mc = "1.3.6.1.4.1.47196.4.1.1.3.2."
	rec := cxBase + mc + "1.1.1.0|2|1024\n" +
		mc + "1.3.1.1.2.769|2|2\n" +
		mc + "2.1.1.0|2|1\n" +
		mc + "2.1.6.0|2|2\n" +
		mc + "2.2.1.0|2|4\n"
	s, _ := decodeText(t, rec)
	m := s.MLAG
	if m == nil || m.Kind != "mc-lag" || m.Role != "secondary" || m.PeerLink != "lag256" || m.PeerLinkUp == nil || *m.PeerLinkUp {
		t.Fatalf("MLAG %+v", m)
	}
	if !slices.ContainsFunc(m.Evidence, func(s string) bool { return strings.Contains(s, "arubaWiredMclagKeepAliveOperState.0 = failed") }) {
		t.Errorf("evidence %q", m.Evidence)
	}
	if l := lag(s, "lag1"); l.MLAG != "mc-lag" || l.MLAGID != 1 {
		t.Errorf("lag1 %+v", l)
	}
	if l := lag(s, "lag256"); !l.PeerLink {
		t.Errorf("lag256 %+v", l)
	}
}

// pcBase: a ProCurve with Trk1 (289: A1, A2) and Trk2 (290: A3, A4).
const pcBase = `1.3.6.1.2.1.1.1.0|4|HP J9850A Switch 5406Rzl2, revision KB.16.11.0020
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.11.2.3.7.11.160
1.3.6.1.2.1.2.2.1.3.1|2|6
1.3.6.1.2.1.2.2.1.3.2|2|6
1.3.6.1.2.1.2.2.1.3.3|2|6
1.3.6.1.2.1.2.2.1.3.4|2|6
1.3.6.1.2.1.2.2.1.3.289|2|161
1.3.6.1.2.1.2.2.1.3.290|2|161
1.3.6.1.2.1.31.1.1.1.1.1|4|A1
1.3.6.1.2.1.31.1.1.1.1.2|4|A2
1.3.6.1.2.1.31.1.1.1.1.3|4|A3
1.3.6.1.2.1.31.1.1.1.1.4|4|A4
1.3.6.1.2.1.31.1.1.1.1.289|4|Trk1
1.3.6.1.2.1.31.1.1.1.1.290|4|Trk2
1.3.6.1.2.1.31.1.2.1.3.289.1|2|1
1.3.6.1.2.1.31.1.2.1.3.289.2|2|1
1.3.6.1.2.1.31.1.2.1.3.290.3|2|1
1.3.6.1.2.1.31.1.2.1.3.290.4|2|1
`

const hp = "1.3.6.1.4.1.11.2.14.11.5.1.7.1.3.1.1."

func TestProCurveTrunkTypes(t *testing.T) {
	rec := pcBase + hp + "13.1|2|1\n" + hp + "13.2|2|1\n" + hp + "13.3|2|4\n" + hp + "13.4|2|4\n" +
		hp + "14.1|2|1\n" + hp + "14.2|2|1\n" + hp + "14.3|2|2\n" + hp + "14.4|2|3\n"
	s, probs := decodeText(t, rec)
	if l := lag(s, "Trk1"); l.Kind != topology.LAGStatic || !slices.Contains(l.Evidence, "HP CONFIG-MIB hpSwitchPortTrunkType.1 = trunk (A1)") {
		t.Errorf("Trk1 %+v, want static", l)
	}
	if p := port(s, "A1"); p.LACP == nil || p.LACP.Mode != "on" {
		t.Errorf("A1 LACP %+v", p.LACP)
	}
	if l := lag(s, "Trk2"); l.Kind != topology.LAGLACP {
		t.Errorf("Trk2 %+v, want lacp", l)
	}
	if p := port(s, "A3"); p.LACP == nil || p.LACP.Mode != "active" {
		t.Errorf("A3 LACP %+v", p.LACP)
	}
	if p := port(s, "A4"); p.LACP == nil || p.LACP.Mode != "passive" {
		t.Errorf("A4 LACP %+v", p.LACP)
	}
	if len(probs) != 0 {
		t.Errorf("problems %q", probs)
	}
}

func TestProCurveDisagreeingMembers(t *testing.T) {
	s, probs := decodeText(t, pcBase+hp+"13.1|2|1\n"+hp+"13.2|2|4\n"+hp+"13.3|2|6\n"+hp+"13.4|2|6\n")
	if l := lag(s, "Trk1"); l.Kind != topology.LAGUnknown {
		t.Errorf("Trk1 %+v, want unknown", l)
	}
	if !slices.ContainsFunc(probs, func(p string) bool { return strings.Contains(p, "Trk1: members disagree") }) {
		t.Errorf("problems %q", probs)
	}
	if l := lag(s, "Trk2"); l.Kind != topology.LAGLACP || l.MLAG != "distributed-trunking" {
		t.Errorf("Trk2 %+v, want lacp, distributed trunking", l)
	}
}

func TestProfiles(t *testing.T) {
	if aruba.CX.Name != "arubaos-cx" || aruba.ProCurve.Name != "hpe-procurve" || aruba.CX.Decode == nil || aruba.ProCurve.Decode == nil {
		t.Errorf("profiles %+v %+v", aruba.CX, aruba.ProCurve)
	}
}

// FuzzDecode: any walk with an AOS-CX or a ProCurve sysObjectID decodes
// without panicking (the first input byte picks the family).
func FuzzDecode(f *testing.F) {
	for _, s := range []string{cxBase + vsxRows("3"), pcBase + hp + "13.1|2|6\n" + hp + "13.2|2|7\n" + hp + "14.1|2|2\n"} {
		f.Add(append([]byte{0}, vendortest.Seed(s, 2, 400)...))
		f.Add(append([]byte{1}, vendortest.Seed(s, 2, 400)...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		oid, vendor := "1.3.6.1.4.1.47196.4.1.1.1.50", "arubaos-cx"
		if data[0]&1 == 1 {
			oid, vendor = "1.3.6.1.4.1.11.2.3.7.11.160", "hpe-procurve"
		}
		s, _ := vendortest.Decode(vendortest.FuzzWalk(data[1:], oid, ""), "fuzz")
		if s == nil || s.Vendor != vendor {
			t.Fatalf("not decoded as %s: %+v", vendor, s)
		}
	})
}

// TestProCurveTrunksOfTypePropMultiplexor: ProCurve/Aruba-OS trunks that
// the switch reports as ifType propMultiplexor (54), not ieee8023adLag
// (issue 17 item 4; pcBase's layout, Trk1 and Trk2 retyped): still the
// LAGs of their ifStackTable members, and hpSwitchPortTrunkType still gives
// their kind. A type-54 interface with another name stays a port.
func TestProCurveTrunksOfTypePropMultiplexor(t *testing.T) {
	rec := strings.NewReplacer("3.289|2|161", "3.289|2|54", "3.290|2|161", "3.290|2|54").Replace(pcBase) +
		"1.3.6.1.2.1.2.2.1.3.291|2|54\n1.3.6.1.2.1.31.1.1.1.1.291|4|Stack1\n" +
		hp + "13.1|2|1\n" + hp + "13.2|2|1\n" + hp + "13.3|2|4\n" + hp + "13.4|2|4\n"
	if !strings.Contains(rec, "289|2|54") {
		t.Fatal("test input: Trk1 not retyped")
	}
	s, probs := decodeText(t, rec)
	if s.Vendor != "hpe-procurve" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	if l := lag(s, "Trk1"); l == nil || !slices.Equal(l.Members, []string{"A1", "A2"}) || l.Kind != topology.LAGStatic {
		t.Errorf("Trk1 = %+v, want static over A1 A2 (problems %q)", l, probs)
	}
	if l := lag(s, "Trk2"); l == nil || !slices.Equal(l.Members, []string{"A3", "A4"}) || l.Kind != topology.LAGLACP {
		t.Errorf("Trk2 = %+v, want lacp over A3 A4", l)
	}
	if l := lag(s, "Stack1"); l != nil || len(s.LAGs) != 2 {
		t.Errorf("LAGs %+v: Stack1 (ifType 54) is no trunk", s.LAGs)
	}
}
