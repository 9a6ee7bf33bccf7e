package huawei_test

import (
	"slices"
	"testing"

	"github.com/bondaudit/bondaudit/internal/vendortest"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors/huawei"
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

// TestYunShan: librenms yunshan matches the huawei profile (sysObjectID
// 1.3.6.1.4.1.2011.2.23.1247). Raw OIDs: ifName.43/45/47 = Eth-Trunk1/2/53
// (ifType 161, up); ifStackStatus.43.2/.43.3, .45.4/.45.5, .47.34/.47.35 = 1
// (100GE1/0/1+2, 1/0/3+4, 1/0/33+34); ifName.44/46/48 = Eth-Trunk*-mpls
// (ifType 166, not trunks); no 2011.5.25.41 or 2011.5.25.178 rows.
func TestYunShan(t *testing.T) {
	s, _ := recording(t, "yunshan")
	if s.Vendor != "huawei" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	want := map[string][]string{
		"Eth-Trunk1":  {"100GE1/0/1", "100GE1/0/2"},
		"Eth-Trunk2":  {"100GE1/0/3", "100GE1/0/4"},
		"Eth-Trunk53": {"100GE1/0/33", "100GE1/0/34"},
	}
	if len(s.LAGs) != len(want) {
		t.Errorf("LAGs %+v", s.LAGs)
	}
	for n, m := range want {
		l := lag(s, n)
		if l == nil || !slices.Equal(l.Members, m) || l.Kind != topology.LAGUnknown || l.Oper != "up" {
			t.Errorf("%s = %+v, want %v", n, l, m)
		}
	}
	if s.MLAG != nil {
		t.Errorf("MLAG %+v", s.MLAG)
	}
}

// TestVRP5720: librenms vrp_5720 (2011.2.23.291) has no Eth-Trunk in
// ifTable and no trunk or M-LAG rows.
func TestVRP5720(t *testing.T) {
	s, _ := recording(t, "vrp_5720")
	if s.Vendor != "huawei" || len(s.LAGs) != 0 || s.MLAG != nil {
		t.Errorf("vendor %q LAGs %+v MLAG %+v", s.Vendor, s.LAGs, s.MLAG)
	}
}

// vrp: 10GE1/0/1..4 (ifIndex 6..9); Eth-Trunk1 (ifIndex 60) and
// Eth-Trunk2 (61) reported as ethernetCsmacd, as some VRP agents do.
const vrp = `1.3.6.1.2.1.1.1.0|4|Huawei Versatile Routing Platform Software VRP (R) software, Version 8.180 (CE6850 V200R005C10)
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2011.2.239.12
1.3.6.1.2.1.2.2.1.3.6|2|6
1.3.6.1.2.1.2.2.1.3.7|2|6
1.3.6.1.2.1.2.2.1.3.8|2|6
1.3.6.1.2.1.2.2.1.3.9|2|6
1.3.6.1.2.1.2.2.1.3.60|2|6
1.3.6.1.2.1.2.2.1.3.61|2|6
1.3.6.1.2.1.2.2.1.8.6|2|1
1.3.6.1.2.1.2.2.1.8.7|2|1
1.3.6.1.2.1.2.2.1.8.8|2|1
1.3.6.1.2.1.2.2.1.8.9|2|2
1.3.6.1.2.1.2.2.1.8.60|2|1
1.3.6.1.2.1.2.2.1.8.61|2|1
1.3.6.1.2.1.31.1.1.1.1.6|4|10GE1/0/1
1.3.6.1.2.1.31.1.1.1.1.7|4|10GE1/0/2
1.3.6.1.2.1.31.1.1.1.1.8|4|10GE1/0/3
1.3.6.1.2.1.31.1.1.1.1.9|4|10GE1/0/4
1.3.6.1.2.1.31.1.1.1.1.60|4|Eth-Trunk1
1.3.6.1.2.1.31.1.1.1.1.61|4|Eth-Trunk2
`

const (
	trunkIf  = "1.3.6.1.4.1.2011.5.25.41.1.3.3.1."
	trunkMem = "1.3.6.1.4.1.2011.5.25.41.1.4.1.1."
)

// trunks: hwTrunkIndex 0 = Eth-Trunk1 (manual, normalMode) with 10GE1/0/1
// and 10GE1/0/2 selected; hwTrunkIndex 1 = Eth-Trunk2 (lacpMode) with
// 10GE1/0/3 selected (active) and 10GE1/0/4 deselected and down (passive).
const trunks = trunkIf + "2.0|2|1\n" + trunkIf + "3.0|2|1\n" + trunkIf + "4.0|2|60\n" + trunkIf + "9.0|2|2\n" +
	trunkIf + "2.1|2|2\n" + trunkIf + "3.1|2|1\n" + trunkIf + "4.1|2|61\n" + trunkIf + "9.1|2|3\n" +
	trunkMem + "2.0.6|2|1\n" + trunkMem + "3.0.6|2|1\n" + trunkMem + "6.0.6|2|1\n" +
	trunkMem + "2.0.7|2|1\n" + trunkMem + "3.0.7|2|1\n" + trunkMem + "6.0.7|2|1\n" +
	trunkMem + "2.1.8|2|1\n" + trunkMem + "3.1.8|2|1\n" + trunkMem + "6.1.8|2|1\n" + trunkMem + "14.1.8|2|2\n" +
	trunkMem + "2.1.9|2|1\n" + trunkMem + "3.1.9|2|2\n" + trunkMem + "6.1.9|2|2\n" + trunkMem + "14.1.9|2|3\n"

func TestEthTrunkStaticVsLACP(t *testing.T) {
	s, probs := decodeText(t, vrp+trunks)
	t1, t2 := lag(s, "Eth-Trunk1"), lag(s, "Eth-Trunk2")
	if t1 == nil || t1.Kind != topology.LAGStatic || !slices.Equal(t1.Members, []string{"10GE1/0/1", "10GE1/0/2"}) || t1.IfIndex != 60 {
		t.Fatalf("Eth-Trunk1 %+v", t1)
	}
	if !contains(t1.Evidence, "HUAWEI-IF-EXT-MIB hwTrunkIfWorkingMode.0 = normalMode") {
		t.Errorf("Eth-Trunk1 evidence %q", t1.Evidence)
	}
	if t2 == nil || t2.Kind != topology.LAGLACP || !slices.Equal(t2.Members, []string{"10GE1/0/3", "10GE1/0/4"}) {
		t.Fatalf("Eth-Trunk2 %+v", t2)
	}
	if !contains(t2.Evidence, "HUAWEI-IF-EXT-MIB hwTrunkIfWorkingMode.1 = lacpMode") {
		t.Errorf("Eth-Trunk2 evidence %q", t2.Evidence)
	}
	if p := port(s, "Eth-Trunk1"); p.Type != "lag" {
		t.Errorf("Eth-Trunk1 port type %q", p.Type)
	}
	for _, c := range []struct{ port, mode, status string }{
		{"10GE1/0/1", "on", "bundled"},
		{"10GE1/0/2", "on", "bundled"},
		{"10GE1/0/3", "active", "bundled"},
		{"10GE1/0/4", "passive", "down"},
	} {
		p := port(s, c.port)
		if p.LACP == nil || p.LACP.Mode != c.mode || p.LACP.Status != c.status {
			t.Errorf("%s LACP %+v, want mode %s status %s", c.port, p.LACP, c.mode, c.status)
		}
	}
	if p := port(s, "10GE1/0/4"); !contains(p.LACP.Evidence, "hwTrunkSelectStatus.1.9 = trunkDeselected") {
		t.Errorf("10GE1/0/4 evidence %q", p.LACP.Evidence)
	}
	if len(probs) != 0 {
		t.Errorf("problems %q", probs)
	}
}

// TestEthTrunkDeselectedUp: a deselected member that is up is suspended.
func TestEthTrunkDeselectedUp(t *testing.T) {
	rec := vrp + trunkIf + "4.1|2|61\n" + trunkIf + "9.1|2|3\n" + trunkMem + "3.1.8|2|2\n" + trunkMem + "6.1.8|2|1\n"
	s, _ := decodeText(t, rec)
	if p := port(s, "10GE1/0/3"); p.LACP == nil || p.LACP.Status != "suspended" {
		t.Errorf("10GE1/0/3 %+v", p.LACP)
	}
}

// TestEthTrunkByIfStack: an Eth-Trunk of ifType 6 with ports stacked under
// it is a LAG even without HUAWEI-IF-EXT-MIB.
func TestEthTrunkByIfStack(t *testing.T) {
	rec := vrp + "1.3.6.1.2.1.31.1.2.1.3.60.6|2|1\n1.3.6.1.2.1.31.1.2.1.3.60.7|2|1\n"
	s, _ := decodeText(t, rec)
	if l := lag(s, "Eth-Trunk1"); l == nil || !slices.Equal(l.Members, []string{"10GE1/0/1", "10GE1/0/2"}) || l.Kind != topology.LAGUnknown {
		t.Errorf("Eth-Trunk1 %+v", l)
	}
	if lag(s, "Eth-Trunk2") != nil {
		t.Error("Eth-Trunk2 has no stacked ports and no trunk row, yet is a LAG")
	}
}

func TestMLAG(t *testing.T) {
	const dfs = "1.3.6.1.4.1.2011.5.25.178.8.1.3.1."
	rec := vrp + dfs + "1.1|66|1\n" + dfs + "2.1|4x|00e0fc000001\n" + dfs + "3.1|4|dfs-group\n" + dfs + "4.1|4|10.1.1.2\n"
	s, _ := decodeText(t, rec)
	m := s.MLAG
	if m == nil || m.Kind != "mlag" || m.Domain != "dfs-group-1" || m.SystemID != "00:e0:fc:00:00:01" || m.Peer != "10.1.1.2" {
		t.Fatalf("MLAG %+v", m)
	}
	if !contains(m.Evidence, "HUAWEI-M-LAG-MIB hwsysMac.1 = 00:e0:fc:00:00:01") {
		t.Errorf("evidence %q", m.Evidence)
	}
	if m.PeerLinkUp != nil || m.PeerLink != "" {
		t.Errorf("peer link claimed without data: %+v", m)
	}
}

func TestTrunkRowForUnknownInterface(t *testing.T) {
	_, probs := decodeText(t, vrp+trunkIf+"4.5|2|999\n")
	if !contains(probs, "hwTrunkIfIndex.5 = 999: no such interface") {
		t.Errorf("problems %q", probs)
	}
}

func TestProfile(t *testing.T) {
	if huawei.VRP.Name != "huawei" || huawei.VRP.Decode == nil || len(huawei.VRP.OIDs) == 0 {
		t.Errorf("profile %+v", huawei.VRP)
	}
}

// FuzzDecode: any walk with a Huawei sysObjectID decodes without panicking.
func FuzzDecode(f *testing.F) {
	f.Add(vendortest.Seed(vrp+trunks, 2, 400))
	f.Add(vendortest.Seed(vrp+"1.3.6.1.2.1.31.1.2.1.3.60.6|2|1\n1.3.6.1.4.1.2011.5.25.178.8.1.3.1.1.1|66|1\n1.3.6.1.4.1.2011.5.25.178.8.1.3.1.4.1|4x|0a010102\n", 2, 400))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, _ := vendortest.Decode(vendortest.FuzzWalk(data, "1.3.6.1.4.1.2011.2.23.291", ""), "fuzz")
		if s == nil || s.Vendor != "huawei" {
			t.Fatalf("not decoded as huawei: %+v", s)
		}
		for _, l := range s.LAGs {
			if slices.Contains(l.Members, l.Name) {
				t.Fatalf("%s is its own member", l.Name)
			}
		}
	})
}
