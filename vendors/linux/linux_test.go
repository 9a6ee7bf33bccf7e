package linux_test

import (
	"github.com/bondaudit/bondaudit/internal/fixtures"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/vendortest"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
	"github.com/bondaudit/bondaudit/vendors/all"
	"github.com/bondaudit/bondaudit/vendors/linux"
)

func readRecording(t *testing.T, name string) *vendors.Walk {
	return vendortest.Recording(t, "librenms__"+name)
}

func decodeText(t *testing.T, rec string) (*topology.Switch, []string) {
	return vendortest.Decode(vendortest.Snmprec(t, rec), "test")
}

var (
	fixtureDir = fixtures.Path("snmp")
	lag        = vendortest.LAG
	port       = vendortest.Port
)

// TestCumulusRecording: no shared recording is Cumulus (grep finds no
// sysObjectID under 1.3.6.1.4.1.40310 and no "Cumulus" sysDescr).
func TestCumulusRecording(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(fixtureDir, "*.snmprec"))
	if len(files) == 0 {
		t.Skipf("shared SNMP fixtures not present at %s", fixtureDir)
	}
	for _, f := range files {
		w, _, err := snmp.ReadWalkFile(f)
		if err != nil {
			continue
		}
		oid, _ := w.Get("1.3.6.1.2.1.1.2.0")
		descr, _ := w.Get("1.3.6.1.2.1.1.1.0")
		if strings.HasPrefix(oid.OID+".", "1.3.6.1.4.1.40310.") || strings.Contains(strings.ToLower(descr.Text()), "cumulus") {
			t.Errorf("%s is a Cumulus recording: assert what it shows here", filepath.Base(f))
		}
	}
	t.Skip("Cumulus: no recording in the shared fixtures; untested on real data (hand-written walks below)")
}

// TestDellSONiC: librenms dell-sonic. sysObjectID.0 = 1.3.6.1.4.1.4413.1.2.1.2.34
// and sysDescr "SONiC Software Version: SONiC.4.4.1-Lite ..."; vendors'
// recognition gives enterprise 4413 to ubiquiti before sonic (8072), so
// all.Profiles does not run the SONiC decoder. ifType: 55 x 6 (Eth1/1…54,
// eth0), 1 x 136 (Vlan1); no PortChannel, no ifStackTable, no
// IEEE8023-LAG-MIB rows. Run through a sonic profile that matches it, the
// decoder changes nothing.
func TestDellSONiC(t *testing.T) {
	w := readRecording(t, "dell-sonic")
	s, _ := vendors.DecodeWith(w, "dell-sonic", all.Profiles())
	t.Logf("dell-sonic is recognised as %q", s.Vendor)
	if len(s.LAGs) != 0 || s.MLAG != nil {
		t.Errorf("LAGs %+v MLAG %+v", s.LAGs, s.MLAG)
	}
	asSONiC := []vendors.Profile{{Name: "sonic", Enterprises: []int{4413}, DescrAny: []string{"SONiC"}, Decode: linux.SONiC.Decode}}
	s2, _ := vendors.DecodeWith(w, "dell-sonic", asSONiC)
	if s2.Vendor != "sonic" || len(s2.LAGs) != 0 || s2.MLAG != nil || len(s2.Ports) != len(s.Ports) || len(s2.Neighbours) != len(s.Neighbours) {
		t.Errorf("SONiC decoder on dell-sonic: vendor %q, %d LAGs, MLAG %+v, %d/%d ports, %d/%d neighbours",
			s2.Vendor, len(s2.LAGs), s2.MLAG, len(s2.Ports), len(s.Ports), len(s2.Neighbours), len(s.Neighbours))
	}
}

// cumulus: swp1, swp2 (ifIndex 3, 4) and bond0 (ifIndex 10), all
// ethernetCsmacd as net-snmp reports Linux bonds.
const cumulus = `1.3.6.1.2.1.1.1.0|4|Cumulus Linux version 4.4.0 running on Mellanox SN2100
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.40310
1.3.6.1.2.1.2.2.1.3.1|2|24
1.3.6.1.2.1.2.2.1.3.3|2|6
1.3.6.1.2.1.2.2.1.3.4|2|6
1.3.6.1.2.1.2.2.1.3.10|2|6
1.3.6.1.2.1.2.2.1.8.3|2|1
1.3.6.1.2.1.2.2.1.8.4|2|1
1.3.6.1.2.1.2.2.1.8.10|2|1
1.3.6.1.2.1.31.1.1.1.1.1|4|lo
1.3.6.1.2.1.31.1.1.1.1.3|4|swp1
1.3.6.1.2.1.31.1.1.1.1.4|4|swp2
1.3.6.1.2.1.31.1.1.1.1.10|4|bond0
`

func aggPort(ifIndex, partner, attached, bits string) string {
	p := "1.2.840.10006.300.43.1.2.1.1."
	return p + "9." + ifIndex + "|4x|" + partner + "\n" +
		p + "13." + ifIndex + "|2|" + attached + "\n" +
		p + "21." + ifIndex + "|4x|" + bits + "\n"
}

const aggTable = "1.2.840.10006.300.43.1.1.1.1.4.10|4x|443839ff0001\n1.2.840.10006.300.43.1.1.1.1.7.10|2|1\n"

func TestCumulusBondLACP(t *testing.T) {
	s, _ := decodeText(t, cumulus+aggTable+aggPort("3", "021c73000001", "10", "bc")+aggPort("4", "021c73000001", "10", "bc"))
	if s.Vendor != "cumulus" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	l := lag(s, "bond0")
	if l == nil || l.Kind != topology.LAGLACP || !slices.Equal(l.Members, []string{"swp1", "swp2"}) || l.ActorSystem != "44:38:39:ff:00:01" || l.ActorKey != 1 {
		t.Fatalf("bond0 %+v", l)
	}
	if !slices.Contains(l.Evidence, "IEEE8023-LAG-MIB dot3adAggPortAttachedAggID.3 = 10 (swp1 in bond0)") {
		t.Errorf("evidence %q", l.Evidence)
	}
	if p := port(s, "swp1"); p.LACP == nil || p.LACP.Status != "bundled" || p.LACP.Mode != "active" {
		t.Errorf("swp1 LACP %+v", p.LACP)
	}
	if p := port(s, "bond0"); p.Type != "lag" || p.LACP != nil {
		t.Errorf("bond0 port %+v", p)
	}
	if s.MLAG != nil || l.MLAG != "" {
		t.Errorf("MLAG claimed without a MIB: %+v %q", s.MLAG, l.MLAG)
	}
}

func TestCumulusBondStatic(t *testing.T) {
	s, _ := decodeText(t, cumulus+aggTable+aggPort("3", "000000000000", "10", "3c")+aggPort("4", "000000000000", "10", "3c"))
	l := lag(s, "bond0")
	if l == nil || l.Kind != topology.LAGStatic || l.ActorSystem != "" {
		t.Fatalf("bond0 %+v", l)
	}
	if p := port(s, "swp2"); p.LACP == nil || p.LACP.Mode != "on" || p.LACP.Status != "bundled" {
		t.Errorf("swp2 LACP %+v", p.LACP)
	}
}

// TestAttachedIDWithoutAggregatorRow: an attached ID that dot3adAggTable
// does not list (here 1, which is lo: a bonding "Aggregator ID" mistaken
// for an ifIndex would look like this) makes no LAG.
func TestAttachedIDWithoutAggregatorRow(t *testing.T) {
	s, _ := decodeText(t, cumulus+aggTable+aggPort("3", "021c73000001", "1", "bc"))
	if len(s.LAGs) != 0 {
		t.Errorf("LAGs %+v", s.LAGs)
	}
}

const sonic = `1.3.6.1.2.1.1.1.0|4|SONiC Software Version: SONiC.202205 - HwSku: Force10-S6000
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10
1.3.6.1.2.1.2.2.1.3.1|2|6
1.3.6.1.2.1.2.2.1.3.5|2|6
1.3.6.1.2.1.2.2.1.3.1000|2|6
1.3.6.1.2.1.2.2.1.3.1001|2|6
1.3.6.1.2.1.2.2.1.8.1|2|1
1.3.6.1.2.1.2.2.1.8.5|2|2
1.3.6.1.2.1.2.2.1.8.1000|2|1
1.3.6.1.2.1.31.1.1.1.1.1|4|Ethernet0
1.3.6.1.2.1.31.1.1.1.1.5|4|Ethernet4
1.3.6.1.2.1.31.1.1.1.1.1000|4|PortChannel0001
1.3.6.1.2.1.31.1.1.1.1.1001|4|PortChannel0001x
1.3.6.1.2.1.31.1.2.1.3.1000.1|2|1
1.3.6.1.2.1.31.1.2.1.3.1000.5|2|1
1.3.6.1.2.1.31.1.2.1.3.1001.1|2|1
`

func TestSONiCPortChannel(t *testing.T) {
	s, _ := decodeText(t, sonic)
	if s.Vendor != "sonic" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	l := lag(s, "PortChannel0001")
	if l == nil || !slices.Equal(l.Members, []string{"Ethernet0", "Ethernet4"}) || l.Kind != topology.LAGUnknown || l.Oper != "up" {
		t.Fatalf("PortChannel0001 %+v", l)
	}
	if lag(s, "PortChannel0001x") != nil {
		t.Error("PortChannel0001x is no SONiC PortChannel name")
	}
	if len(s.LAGs) != 1 || s.MLAG != nil {
		t.Errorf("LAGs %+v MLAG %+v", s.LAGs, s.MLAG)
	}
}

func TestProfiles(t *testing.T) {
	if linux.Cumulus.Name != "cumulus" || linux.SONiC.Name != "sonic" || !strings.Contains(strings.Join(linux.Cumulus.Tested, " "), "no recording") {
		t.Errorf("profiles %+v %+v", linux.Cumulus, linux.SONiC)
	}
}

// FuzzDecode: any walk with a Cumulus (first byte even) or SONiC
// sysObjectID decodes without panicking.
func FuzzDecode(f *testing.F) {
	f.Add(append([]byte{0}, vendortest.Seed(cumulus+aggTable+aggPort("3", "021c73000001", "10", "bc")+aggPort("4", "000000000000", "10", "3c"), 2, 400)...))
	f.Add(append([]byte{1}, vendortest.Seed(sonic+aggTable, 2, 400)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		oid, descr, vendor := "1.3.6.1.4.1.40310", "Cumulus Linux", "cumulus"
		if data[0]&1 == 1 {
			oid, descr, vendor = "1.3.6.1.4.1.8072.3.2.10", "SONiC Software Version: SONiC.202205", "sonic"
		}
		s, _ := vendortest.Decode(vendortest.FuzzWalk(data[1:], oid, descr), "fuzz")
		if s == nil || s.Vendor != vendor {
			t.Fatalf("not decoded as %s: %+v", vendor, s)
		}
		for _, l := range s.LAGs {
			if slices.Contains(l.Members, l.Name) {
				t.Fatalf("%s is its own member", l.Name)
			}
		}
	})
}
