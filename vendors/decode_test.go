package vendors_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/vendortest"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

// walk builds a walk from snmprec text (OID|type|value lines).
func walk(t *testing.T, rec string) *vendors.Walk {
	t.Helper()
	vbs, errs := snmp.ReadSnmprec(strings.NewReader(rec), "test.snmprec")
	if len(errs) > 0 {
		t.Fatalf("test input: %v", errs)
	}
	return vendors.NewWalk(vbs)
}

// base is a 4-port switch: Ethernet1-4 (ifIndex 1-4), Port-Channel10 (1000010).
const base = `1.3.6.1.2.1.1.1.0|4|Arista Networks EOS version 4.28
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.30065.1.3011.7050.3741.48
1.3.6.1.2.1.1.5.0|4|leaf9
1.3.6.1.2.1.2.2.1.3.1|2|6
1.3.6.1.2.1.2.2.1.3.2|2|6
1.3.6.1.2.1.2.2.1.3.3|2|6
1.3.6.1.2.1.2.2.1.3.4|2|6
1.3.6.1.2.1.2.2.1.3.1000010|2|161
1.3.6.1.2.1.2.2.1.8.1|2|1
1.3.6.1.2.1.2.2.1.8.2|2|1
1.3.6.1.2.1.2.2.1.8.3|2|1
1.3.6.1.2.1.2.2.1.8.4|2|2
1.3.6.1.2.1.31.1.1.1.1.1|4|Ethernet1
1.3.6.1.2.1.31.1.1.1.1.2|4|Ethernet2
1.3.6.1.2.1.31.1.1.1.1.3|4|Ethernet3
1.3.6.1.2.1.31.1.1.1.1.4|4|Ethernet4
1.3.6.1.2.1.31.1.1.1.1.1000010|4|Port-Channel10
1.3.6.1.2.1.31.1.2.1.3.1000010.1|2|1
1.3.6.1.2.1.31.1.2.1.3.1000010.2|2|1
`

// aggPort renders a dot3adAggPortTable row: actor state BITS (MIB order),
// partner system, attached aggregator.
func aggPort(ifIndex, bits, partner, attached string) string {
	p := "1.2.840.10006.300.43.1.2.1.1."
	return p + "9." + ifIndex + "|4x|" + partner + "\n" +
		p + "13." + ifIndex + "|2|" + attached + "\n" +
		p + "21." + ifIndex + "|4x|" + bits + "\n"
}

func TestBitsOrder(t *testing.T) {
	// 0xBC = lacpActivity, aggregation, sync, collecting, distributing in
	// MIB BITS order = LACPDU state 61, what Linux prints (OIDS.md).
	s, _ := vendors.Decode(walk(t, base+aggPort("1", "bc", "021c73000001", "1000010")+aggPort("2", "bc", "021c73000001", "1000010")), "x")
	var p *topology.Port
	for i := range s.Ports {
		if s.Ports[i].Name == "Ethernet1" {
			p = &s.Ports[i]
		}
	}
	if p == nil || p.LACP == nil || p.LACP.Actor == nil {
		t.Fatalf("no LACP state on Ethernet1: %+v", p)
	}
	if p.LACP.Actor.State != 61 || p.LACP.Status != "bundled" || p.LACP.Mode != "active" {
		t.Errorf("actor state %d status %q mode %q; want 61 bundled active", p.LACP.Actor.State, p.LACP.Status, p.LACP.Mode)
	}
}

func lagOf(s *topology.Switch, name string) *topology.LAG {
	for i := range s.LAGs {
		if s.LAGs[i].Name == name {
			return &s.LAGs[i]
		}
	}
	return nil
}

func TestLAGKind(t *testing.T) {
	for _, c := range []struct {
		name, rows string
		want       topology.LAGKind
	}{
		{"lacp: activity and partner", aggPort("1", "bc", "021c73000001", "1000010") + aggPort("2", "bc", "021c73000001", "1000010"), topology.LAGLACP},
		{"lacp: passive member with a partner", aggPort("1", "3c", "021c73000001", "1000010"), topology.LAGLACP},
		{"static: bundled, no activity, no partner", aggPort("1", "3c", "000000000000", "1000010") + aggPort("2", "3c", "000000000000", "1000010"), topology.LAGStatic},
		{"static: members absent from a populated LAG MIB", aggPort("3", "bc", "021c73000009", "0"), topology.LAGStatic},
		{"unknown: no LAG MIB at all", "", topology.LAGUnknown},
		{"unknown: waiting, no activity, no partner", aggPort("1", "20", "000000000000", "0") + aggPort("2", "20", "000000000000", "0"), topology.LAGUnknown},
	} {
		s, _ := vendors.Decode(walk(t, base+c.rows), "x")
		l := lagOf(s, "Port-Channel10")
		if l == nil {
			t.Fatalf("%s: no Port-Channel10", c.name)
		}
		if l.Kind != c.want {
			t.Errorf("%s: kind %q, want %q (evidence %q)", c.name, l.Kind, c.want, l.Evidence)
		}
		if !slices.Equal(l.Members, []string{"Ethernet1", "Ethernet2"}) {
			t.Errorf("%s: members %v", c.name, l.Members)
		}
	}
}

// TestLLDPLocalPortNumIsNotIfIndex: lldpRemLocalPortNum 7 is lldpLocPortNum
// 7, whose port ID names Ethernet3 (ifIndex 3), as on Dell OS10 or Huawei.
func TestLLDPLocalPortNumIsNotIfIndex(t *testing.T) {
	rec := base + `1.0.8802.1.1.2.1.3.7.1.2.7|2|5
1.0.8802.1.1.2.1.3.7.1.3.7|4|Ethernet3
1.0.8802.1.1.2.1.4.1.1.4.0.7.1|2|4
1.0.8802.1.1.2.1.4.1.1.5.0.7.1|4x|b8cef6a10600
1.0.8802.1.1.2.1.4.1.1.6.0.7.1|2|3
1.0.8802.1.1.2.1.4.1.1.7.0.7.1|4x|b8cef6a10601
1.0.8802.1.1.2.1.4.1.1.9.0.7.1|4|web01
`
	s, probs := texts(vendors.Decode(walk(t, rec), "x"))
	if len(s.Neighbours) != 1 {
		t.Fatalf("neighbours %+v, problems %v", s.Neighbours, probs)
	}
	n := s.Neighbours[0]
	if n.LocalPort != "Ethernet3" || n.ChassisID != "b8:ce:f6:a1:06:00" || n.PortID != "b8:ce:f6:a1:06:01" || n.PortIDSubtype != topology.IDMAC || n.SystemName != "web01" {
		t.Errorf("neighbour %+v", n)
	}
}

func TestVLANBitmapsThroughBasePorts(t *testing.T) {
	// base ports 1-4 = ifIndex 1-4; VLAN 10 egress on ports 1,2 untagged on 1;
	// VLAN 20 egress on 2 and 4 (0x50 = 0101 0000: ports 2 and 4).
	rec := base + `1.3.6.1.2.1.17.1.4.1.2.1|2|1
1.3.6.1.2.1.17.1.4.1.2.2|2|2
1.3.6.1.2.1.17.1.4.1.2.3|2|3
1.3.6.1.2.1.17.1.4.1.2.4|2|4
1.3.6.1.2.1.17.7.1.4.3.1.2.10|4x|c0
1.3.6.1.2.1.17.7.1.4.3.1.2.20|4x|50
1.3.6.1.2.1.17.7.1.4.3.1.4.10|4x|80
1.3.6.1.2.1.17.7.1.4.3.1.4.20|4x|00
1.3.6.1.2.1.17.7.1.4.5.1.1.1|66|10
1.3.6.1.2.1.17.7.1.2.2.1.2.10.184.206.246.161.6.0|2|1
`
	s, probs := texts(vendors.Decode(walk(t, rec), "x"))
	if len(probs) > 0 {
		t.Errorf("problems: %v", probs)
	}
	got := map[string][3][]int{}
	for _, p := range s.Ports {
		got[p.Name] = [3][]int{{p.PVID}, p.Untagged, p.Tagged}
	}
	if g := got["Ethernet1"]; g[0][0] != 10 || !slices.Equal(g[1], []int{10}) || len(g[2]) != 0 {
		t.Errorf("Ethernet1: %v", g)
	}
	if g := got["Ethernet2"]; !slices.Equal(g[2], []int{10, 20}) || len(g[1]) != 0 {
		t.Errorf("Ethernet2: %v", g)
	}
	if g := got["Ethernet4"]; !slices.Equal(g[2], []int{20}) {
		t.Errorf("Ethernet4: %v", g)
	}
	if len(s.FDB) != 1 || s.FDB[0].MAC != "b8:ce:f6:a1:06:00" || s.FDB[0].Port != "Ethernet1" || s.FDB[0].VLAN != 10 {
		t.Errorf("FDB %+v", s.FDB)
	}
}

func TestMalformedRowsAreProblems(t *testing.T) {
	rec := base + "1.3.6.1.2.1.31.1.2.1.3.77|2|1\n1.3.6.1.2.1.17.7.1.2.2.1.2.10.1.2|2|1\n"
	s, probs := texts(vendors.Decode(walk(t, rec), "x"))
	all := strings.Join(probs, "\n")
	if !strings.Contains(all, "ifStackStatus.77") || !strings.Contains(all, "dot1qTpFdbPort.10.1.2") {
		t.Errorf("problems do not name the bad rows: %q", probs)
	}
	if lagOf(s, "Port-Channel10") == nil || len(s.Ports) != 5 {
		t.Errorf("the good rows were lost: %d ports", len(s.Ports))
	}
	if !strings.Contains(all, "line ") {
		t.Errorf("problems lack input line numbers: %q", probs)
	}
}

func TestRedactedSysNameFallsBackToFileName(t *testing.T) {
	s, _ := vendors.Decode(walk(t, strings.Replace(base, "|4|leaf9", "|4|<private>", 1)), "leaf9-file")
	if s.Name != "leaf9-file" {
		t.Errorf("name %q", s.Name)
	}
}

// TestIdentify: the first profile that matches wins (so order tells
// families sharing an enterprise apart), sysDescr words match in any case,
// and no match is the standard profile. The families and their order are
// vendors/all's (tested there).
func TestIdentify(t *testing.T) {
	profs := []vendors.Profile{
		{Name: "split", Enterprises: []int{9, 4413}, DescrAny: []string{"special OS"}},
		{Name: "nine", Enterprises: []int{9}},
		{Name: "late-nine", Enterprises: []int{9}},
	}
	for _, c := range []struct{ oid, descr, want string }{
		{"1.3.6.1.4.1.9.1.1208", "Vendor SPECIAL os 1.2", "split"},
		{".1.3.6.1.4.1.4413.3", "special OS", "split"},
		{"1.3.6.1.4.1.9.1.1208", "Vendor IOS", "nine"},
		{"1.3.6.1.4.1.4413.3", "other", "standard"},
		{"1.3.6.1.4.1.99999.1", "?", "standard"},
		{"1.3.6.1.2.1.9", "", "standard"},
		{"", "", "standard"},
	} {
		if p := vendors.Identify(profs, c.oid, c.descr); p.Name != c.want {
			t.Errorf("Identify(%s, %q) = %s, want %s", c.oid, c.descr, p.Name, c.want)
		}
	}
	if s, _ := vendors.Decode(walk(t, base), "x"); s.Vendor != "standard" {
		t.Errorf("vendors.Decode recognised %q: it knows no family", s.Vendor)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(vendortest.Seed(base, 2, 400))
	// Cuts of real recordings (whole ones are TestFixtures' and the vendor
	// families'; as seeds they leave the fuzzer minimising, not fuzzing).
	if files, _ := filepath.Glob(filepath.Join(fixtureDir, "*.snmprec")); len(files) > 0 {
		for _, p := range files[:min(len(files), 6)] {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(vendortest.Seed(string(b), 1, 600))
			}
		}
	}
	// the hand-written CDP walks (cdpCacheTable on any device)
	cdpWalks, _ := filepath.Glob(filepath.Join("testdata", "cdp", "*.snmprec"))
	for _, p := range cdpWalks {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		vbs, _ := snmp.ReadSnmprec(bytes.NewReader(data), "fuzz.snmprec")
		s, _ := vendors.Decode(vendors.NewWalk(vbs), "fuzz")
		if s == nil || s.Name == "" {
			t.Fatal("Decode returned no switch or no name")
		}
	})
}
