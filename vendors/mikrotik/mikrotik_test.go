package mikrotik_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/vendortest"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors/all"
)

func decodeText(t *testing.T, rec string) (*topology.Switch, []string) {
	return vendortest.Decode(vendortest.Snmprec(t, rec), "test")
}

// base is a hand-written RouterOS walk laid out as the librenms
// routeros_crs317 recording (sysObjectID 14988.1, sysDescr "RouterOS
// CRS317-1G-16S+", sfp-sfpplusN at ifIndex N, ether1 at 17, the bond
// server-trunk at 22 with ifType 161 and, as there, no ifStackTable rows).
const base = `1.3.6.1.2.1.1.1.0|4|RouterOS CRS317-1G-16S+
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.14988.1
1.3.6.1.2.1.1.5.0|4|crs1
1.3.6.1.2.1.2.2.1.3.1|2|6
1.3.6.1.2.1.2.2.1.3.2|2|6
1.3.6.1.2.1.2.2.1.3.17|2|6
1.3.6.1.2.1.2.2.1.3.22|2|161
1.3.6.1.2.1.2.2.1.8.1|2|1
1.3.6.1.2.1.2.2.1.8.2|2|1
1.3.6.1.2.1.2.2.1.8.17|2|1
1.3.6.1.2.1.2.2.1.8.22|2|1
1.3.6.1.2.1.31.1.1.1.1.1|4|sfp-sfpplus1
1.3.6.1.2.1.31.1.1.1.1.2|4|sfp-sfpplus2
1.3.6.1.2.1.31.1.1.1.1.17|4|ether1
1.3.6.1.2.1.31.1.1.1.1.22|4|server-trunk
`

// neighbours is MIKROTIK-MIB mtxrNeighborTable (14988.1.1.11.1.1, columns
// 2 IpAddress, 3 MacAddress, 4 Version, 5 Platform, 6 Identity, 8
// InterfaceID): a Linux host's two NICs on sfp-sfpplus1/2, a row whose
// interface (40) the walk lacks, and a row with only the interface column
// (as every row of routeros_crs317 is).
const neighbours = `1.3.6.1.4.1.14988.1.1.11.1.1.2.3|64x|C0000214
1.3.6.1.4.1.14988.1.1.11.1.1.2.4|64x|C0000214
1.3.6.1.4.1.14988.1.1.11.1.1.3.3|4x|0CC47A00000A
1.3.6.1.4.1.14988.1.1.11.1.1.3.4|4x|0CC47A00000B
1.3.6.1.4.1.14988.1.1.11.1.1.3.7|4x|0CC47A0000FF
1.3.6.1.4.1.14988.1.1.11.1.1.4.3|4|Debian GNU/Linux 12
1.3.6.1.4.1.14988.1.1.11.1.1.5.3|4|Linux
1.3.6.1.4.1.14988.1.1.11.1.1.6.3|4|db1
1.3.6.1.4.1.14988.1.1.11.1.1.6.4|4|db1
1.3.6.1.4.1.14988.1.1.11.1.1.8.3|2|1
1.3.6.1.4.1.14988.1.1.11.1.1.8.4|2|2
1.3.6.1.4.1.14988.1.1.11.1.1.8.7|2|40
1.3.6.1.4.1.14988.1.1.11.1.1.8.9|2|17
`

// TestNeighborTable: fire: LLDP-MIB is empty, so the RouterOS neighbour
// list places db1's NICs by their MAC on sfp-sfpplus1/2; the row on an
// interface the walk lacks stays on no port and says why; the row with
// nothing but an interface is no neighbour.
func TestNeighborTable(t *testing.T) {
	s, probs := decodeText(t, base+neighbours)
	if s.Vendor != "mikrotik" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	var got []string
	for _, n := range s.Neighbours {
		got = append(got, n.LocalPort+"="+n.PortID)
	}
	want := []string{"=0c:c4:7a:00:00:ff", "sfp-sfpplus1=0c:c4:7a:00:00:0a", "sfp-sfpplus2=0c:c4:7a:00:00:0b"}
	if !slices.Equal(got, want) {
		t.Fatalf("placed %q, want %q", got, want)
	}
	n := s.Neighbours[1]
	if n.Protocol != topology.ProtoLLDP || n.PortIDSubtype != topology.IDMAC || n.SystemName != "db1" ||
		n.SystemDescr != "Linux Debian GNU/Linux 12" || !slices.Equal(n.MgmtAddrs, []string{"192.0.2.20"}) ||
		!strings.Contains(n.Source, "MIKROTIK-MIB mtxrNeighborTable.3") {
		t.Errorf("sfp-sfpplus1 neighbour %+v", n)
	}
	if !vendortest.Contains(probs, "mtxrNeighborInterfaceID.7 = 40: not in ifTable") {
		t.Errorf("problems %q", probs)
	}
	// server-trunk: no ifStackTable, no IEEE8023-LAG-MIB, nothing in
	// MIKROTIK-MIB: members stay unknown.
	for _, l := range s.LAGs {
		if l.Name == "server-trunk" && len(l.Members) != 0 {
			t.Errorf("server-trunk members %v", l.Members)
		}
	}
}

// TestNotWhenLLDPMIB: no fire: with one LLDP-MIB remote row, the
// neighbour table adds nothing.
func TestNotWhenLLDPMIB(t *testing.T) {
	lldp := `1.0.8802.1.1.2.1.4.1.1.4.0.1.1|2|4
1.0.8802.1.1.2.1.4.1.1.5.0.1.1|4x|0CC47A000001
1.0.8802.1.1.2.1.4.1.1.6.0.1.1|2|3
1.0.8802.1.1.2.1.4.1.1.7.0.1.1|4x|0CC47A00000A
`
	s, _ := decodeText(t, base+lldp+neighbours)
	for _, n := range s.Neighbours {
		if strings.HasPrefix(n.Source, "MIKROTIK-MIB") {
			t.Errorf("MIKROTIK-MIB neighbour added beside LLDP-MIB: %+v", n)
		}
	}
}

// TestCRS317: no fire on the real recording: librenms routeros_crs317 has
// LLDP-MIB remote rows, and its mtxrNeighborTable has only
// mtxrNeighborInterfaceID (column 8): no neighbour comes from it.
func TestCRS317(t *testing.T) {
	s, probs := vendortest.Decode(vendortest.Recording(t, "librenms__routeros_crs317"), "crs317")
	if s.Vendor != "mikrotik" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	if len(s.Neighbours) == 0 {
		t.Fatal("no neighbours from LLDP-MIB")
	}
	for _, n := range s.Neighbours {
		if strings.HasPrefix(n.Source, "MIKROTIK-MIB") {
			t.Errorf("MIKROTIK-MIB neighbour %+v", n)
		}
	}
	// Its lldpRemTable rows have a one-part index (RouterOS's neighbour
	// number): each is placed on the port mtxrNeighborInterfaceID names
	// under the same number, and no "local port unknown" is left.
	ports := map[string]bool{}
	for _, p := range s.Ports {
		ports[p.Name] = true
	}
	for _, n := range s.Neighbours {
		if !ports[n.LocalPort] || !strings.Contains(n.Source, "mtxrNeighborInterfaceID") {
			t.Errorf("LLDP neighbour %q (%s) not placed on a port: %q", n.SystemName, n.Source, n.LocalPort)
		}
	}
	if len(s.Neighbours) != 18 {
		t.Errorf("%d neighbours, want the recording's 18", len(s.Neighbours))
	}
	for _, p := range probs {
		if strings.Contains(p, "local port unknown") {
			t.Errorf("problem left: %s", p)
		}
	}
}

// TestOnePartIndexWithoutInterface: no fire: an LLDP-MIB row with a
// one-part index whose number MIKROTIK-MIB does not list stays on no port,
// with the standard decoder's problem saying so.
func TestOnePartIndexWithoutInterface(t *testing.T) {
	s, probs := decodeText(t, base+`1.0.8802.1.1.2.1.4.1.1.9.5|4|router1
1.0.8802.1.1.2.1.4.1.1.5.5|4x|AABBCC000001
1.0.8802.1.1.2.1.4.1.1.4.5|2|4
1.3.6.1.4.1.14988.1.1.11.1.1.8.6|2|1
`)
	if len(s.Neighbours) != 1 || s.Neighbours[0].LocalPort != "" {
		t.Fatalf("neighbours %+v, want router1 on no port", s.Neighbours)
	}
	found := false
	for _, p := range probs {
		found = found || strings.Contains(p, "index 5 has 1 parts, want 3: local port unknown")
	}
	if !found {
		t.Errorf("problems %v: want the unknown local port said", probs)
	}
}

// TestRecognition: MikroTik sysObjectIDs (RouterOS 14988.1, SwOS
// 14988.2) pick the profile; others do not.
func TestRecognition(t *testing.T) {
	for oid, want := range map[string]bool{
		"1.3.6.1.4.1.14988.1":  true,
		"1.3.6.1.4.1.14988.2":  true,
		"1.3.6.1.4.1.6527.1.3": false,
		"1.3.6.1.4.1.149880.1": false,
		"1.3.6.1.4.1.9.1.1208": false,
	} {
		if got := all.Identify(oid, "RouterOS").Name == "mikrotik"; got != want {
			t.Errorf("%s: mikrotik %v, want %v", oid, got, want)
		}
	}
}

// FuzzDecode: any walk decoded as RouterOS decodes without panic.
func FuzzDecode(f *testing.F) {
	f.Add(vendortest.Seed(base+neighbours, 1, 300))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, _ := vendortest.Decode(vendortest.FuzzWalk(data, "1.3.6.1.4.1.14988.1", ""), "fuzz")
		if s == nil || s.Vendor != "mikrotik" {
			t.Fatalf("not decoded as mikrotik: %+v", s)
		}
	})
}
