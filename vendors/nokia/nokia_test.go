package nokia_test

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

// base is a hand-written SR OS walk: sysObjectID and ifTable as in the
// librenms timos recording (tests/snmpsim/timos.snmprec: 1/1/1 at ifIndex
// 35684352, 1/1/2 at 35717120, lag-1 at 1342177281).
const base = `1.3.6.1.2.1.1.1.0|4|TiMOS-B-16.0.R6 both/hops Nokia 7750 SR Copyright (c) 2000-2019 Nokia.
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.6527.1.3
1.3.6.1.2.1.1.5.0|4|pe1
1.3.6.1.2.1.2.2.1.2.35684352|4|1/1/1, 10-Gig Ethernet
1.3.6.1.2.1.2.2.1.2.35717120|4|1/1/2, 10-Gig Ethernet
1.3.6.1.2.1.2.2.1.2.1342177281|4|lag-1, LAG Group
1.3.6.1.2.1.2.2.1.3.35684352|2|6
1.3.6.1.2.1.2.2.1.3.35717120|2|6
1.3.6.1.2.1.2.2.1.3.1342177281|2|161
1.3.6.1.2.1.2.2.1.8.35684352|2|1
1.3.6.1.2.1.2.2.1.8.35717120|2|1
1.3.6.1.2.1.2.2.1.8.1342177281|2|1
1.3.6.1.2.1.31.1.1.1.1.35684352|4|1/1/1
1.3.6.1.2.1.31.1.1.1.1.35717120|4|1/1/2
1.3.6.1.2.1.31.1.1.1.1.1342177281|4|lag-1
1.3.6.1.2.1.31.1.2.1.3.1342177281.35684352|2|1
1.3.6.1.2.1.31.1.2.1.3.1342177281.35717120|2|1
`

// tmnx is TIMETRA-LLDP-MIB tmnxLldpRemTable (6527.3.1.2.59.4.1.1, index
// timeMark.ifIndex.destMAC.remIndex, columns 4–10 as LLDP-MIB's) with a
// host's lldpd on both lag-1 members (port ID subtype 3 MAC = the NIC) and
// a management address in tmnxLldpRemManAddrTable (…59.4.2.1.3, index
// …remIndex.1.4.a.b.c.d). Row 35717120.1.2 has an ifIndex (99) the walk
// does not have.
const tmnx = `1.3.6.1.4.1.6527.3.1.2.59.4.1.1.4.0.35684352.1.1|2|4
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.4.0.35717120.1.2|2|4
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.4.0.99.1.3|2|4
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.5.0.35684352.1.1|4x|0CC47A000001
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.5.0.35717120.1.2|4x|0CC47A000001
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.5.0.99.1.3|4x|0CC47A000009
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.6.0.35684352.1.1|2|3
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.6.0.35717120.1.2|2|3
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.6.0.99.1.3|2|5
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.7.0.35684352.1.1|4x|0CC47A00000A
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.7.0.35717120.1.2|4x|0CC47A00000B
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.7.0.99.1.3|4|eth9
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.8.0.35684352.1.1|4|eno1
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.8.0.35717120.1.2|4|eno2
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.9.0.35684352.1.1|4|db1
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.9.0.35717120.1.2|4|db1
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.10.0.35684352.1.1|4|Debian GNU/Linux 12
1.3.6.1.4.1.6527.3.1.2.59.4.2.1.3.0.35684352.1.1.1.4.192.0.2.10|2|2
`

// A standard LLDP-MIB row (lldpRemTable, local port 35684352).
const lldpMIB = `1.0.8802.1.1.2.1.4.1.1.4.0.35684352.1|2|4
1.0.8802.1.1.2.1.4.1.1.5.0.35684352.1|4x|0CC47A000001
1.0.8802.1.1.2.1.4.1.1.6.0.35684352.1|2|3
1.0.8802.1.1.2.1.4.1.1.7.0.35684352.1|4x|0CC47A00000A
1.0.8802.1.1.2.1.4.1.1.9.0.35684352.1|4|db1
`

func lldpNeighbours(s *topology.Switch) []topology.Neighbour {
	var out []topology.Neighbour
	for _, n := range s.Neighbours {
		if n.Protocol == topology.ProtoLLDP {
			out = append(out, n)
		}
	}
	return out
}

// TestTimetraRemTable: fire: LLDP-MIB is empty, so the TIMETRA-LLDP-MIB
// rows place the host's NICs on 1/1/1 and 1/1/2 by the ifIndex in their
// index; the row whose ifIndex is not in ifTable stays on no port and says
// why.
func TestTimetraRemTable(t *testing.T) {
	s, probs := decodeText(t, base+tmnx)
	if s.Vendor != "nokia-sros" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	ns := lldpNeighbours(s)
	if len(ns) != 3 {
		t.Fatalf("%d LLDP neighbours, want 3: %+v", len(ns), ns)
	}
	var ports []string
	for _, n := range ns {
		ports = append(ports, n.LocalPort+"="+n.PortID)
	}
	want := []string{"=eth9", "1/1/1=0c:c4:7a:00:00:0a", "1/1/2=0c:c4:7a:00:00:0b"}
	if !slices.Equal(ports, want) {
		t.Errorf("placed %q, want %q", ports, want)
	}
	n := ns[1]
	if n.ChassisIDSubtype != topology.IDMAC || n.ChassisID != "0c:c4:7a:00:00:01" || n.PortIDSubtype != topology.IDMAC ||
		n.SystemName != "db1" || n.PortDescr != "eno1" || n.SystemDescr != "Debian GNU/Linux 12" || !slices.Equal(n.MgmtAddrs, []string{"192.0.2.10"}) {
		t.Errorf("1/1/1 neighbour %+v", n)
	}
	if !strings.Contains(n.Source, "TIMETRA-LLDP-MIB tmnxLldpRemTable.0.35684352.1.1 (nearest-bridge)") {
		t.Errorf("source %q", n.Source)
	}
	if ns[0].PortIDSubtype != topology.IDIfName || !vendortest.Contains(probs, "local ifIndex 99 is not in ifTable") {
		t.Errorf("unplaced row %+v, problems %q", ns[0], probs)
	}
}

// TestTimetraNotWhenLLDPMIB: no fire: LLDP-MIB has a remote row, so the
// TIMETRA rows are not added (one neighbour, not four).
func TestTimetraNotWhenLLDPMIB(t *testing.T) {
	s, _ := decodeText(t, base+lldpMIB+tmnx)
	ns := lldpNeighbours(s)
	if len(ns) != 1 || strings.HasPrefix(ns[0].Source, "TIMETRA") {
		t.Errorf("neighbours %+v", ns)
	}
}

// TestTimetraOtherFamily: no fire: the same rows on a device of another
// family (an OmniSwitch sysObjectID) are not read.
func TestTimetraOtherFamily(t *testing.T) {
	rec := strings.Replace(base, "1.3.6.1.4.1.6527.1.3", "1.3.6.1.4.1.6486.801.1.1.2.1.11.1.9", 1) + tmnx
	s, _ := decodeText(t, rec)
	if s.Vendor == "nokia-sros" || len(lldpNeighbours(s)) != 0 {
		t.Errorf("vendor %q, neighbours %+v", s.Vendor, s.Neighbours)
	}
}

// TestRecognition: a 6527 sysObjectID (SR OS 7750: 6527.1.3; 7210 SAS:
// 6527.6.2.1.2.2.1) picks the profile; OmniSwitch (6486) and others do not.
func TestRecognition(t *testing.T) {
	for oid, want := range map[string]bool{
		"1.3.6.1.4.1.6527.1.3":                true,
		"1.3.6.1.4.1.6527.6.2.1.2.2.1":        true,
		"1.3.6.1.4.1.6486.800.1.1.2.1.13.1.2": false,
		"1.3.6.1.4.1.14988.1":                 false,
		"1.3.6.1.4.1.65270.1":                 false,
	} {
		if got := all.Identify(oid, "TiMOS").Name == "nokia-sros"; got != want {
			t.Errorf("%s: nokia-sros %v, want %v", oid, got, want)
		}
	}
}

// FuzzDecode: any walk decoded as SR OS decodes without panic.
func FuzzDecode(f *testing.F) {
	f.Add(vendortest.Seed(base+tmnx, 2, 400))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, _ := vendortest.Decode(vendortest.FuzzWalk(data, "1.3.6.1.4.1.6527.1.3", ""), "fuzz")
		if s == nil || s.Vendor != "nokia-sros" {
			t.Fatalf("not decoded as nokia-sros: %+v", s)
		}
	})
}

// timos follows the layout of the public librenms recording
// tests/snmpsim/timos.snmprec (sysObjectID 6527.1.3, no LLDP-MIB rows at
// all; its tmnxLldpRemTable has three rows, identities anonymised there
// and replaced here): time marks 13890, 14402 and 58355808; local ifIndex
// 35717120 (1/1/2), 69238784 (not in its ifTable) and 35684352 (1/1/1);
// destination 1 (nearest bridge); port ID subtype 7 (local) holding the
// peer's ifIndex as text, port description "1/1/2, 10-Gig Ethernet";
// management addresses in tmnxLldpRemManAddrTable indexed
// …remIndex.1.4.a.b.c.d.
const timos = `1.3.6.1.4.1.6527.3.1.2.59.4.1.1.4.13890.35717120.1.1|2|4
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.4.14402.69238784.1.1|2|4
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.4.58355808.35684352.1.2|2|4
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.5.13890.35717120.1.1|4x|A47B2C000001
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.5.14402.69238784.1.1|4x|A47B2C000002
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.5.58355808.35684352.1.2|4x|A47B2C000003
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.6.13890.35717120.1.1|2|7
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.6.14402.69238784.1.1|2|7
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.6.58355808.35684352.1.2|2|7
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.7.13890.35717120.1.1|4|35717120
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.7.14402.69238784.1.1|4|102793216
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.7.58355808.35684352.1.2|4|35717120
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.8.13890.35717120.1.1|4|1/1/2, 10-Gig Ethernet
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.8.14402.69238784.1.1|4|3/1/1, 10-Gig Ethernet
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.8.58355808.35684352.1.2|4|1/1/2, 10-Gig Ethernet
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.9.13890.35717120.1.1|4|pe2
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.9.14402.69238784.1.1|4|pe3
1.3.6.1.4.1.6527.3.1.2.59.4.1.1.9.58355808.35684352.1.2|4|pe4
1.3.6.1.4.1.6527.3.1.2.59.4.2.1.3.13890.35717120.1.1.1.4.192.0.2.1|2|2
1.3.6.1.4.1.6527.3.1.2.59.4.2.1.3.14402.69238784.1.1.1.4.192.0.2.2|2|2
1.3.6.1.4.1.6527.3.1.2.59.4.2.1.3.58355808.35684352.1.2.1.4.192.0.2.3|2|2
`

// TestTimosLayout: rows shaped as the public timos recording's: two
// neighbours placed on 1/1/2 and 1/1/1 by the ifIndex in the index, the
// third (ifIndex 69238784, not in ifTable) on no port with a problem; port
// IDs of subtype local keep the peer's text.
func TestTimosLayout(t *testing.T) {
	s, probs := decodeText(t, base+timos)
	ns := lldpNeighbours(s)
	var got []string
	for _, n := range ns {
		got = append(got, n.LocalPort+"="+n.SystemName+"/"+n.PortIDSubtype+":"+n.PortID+"@"+strings.Join(n.MgmtAddrs, ","))
	}
	want := []string{"=pe3/local:102793216@192.0.2.2", "1/1/1=pe4/local:35717120@192.0.2.3", "1/1/2=pe2/local:35717120@192.0.2.1"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if !vendortest.Contains(probs, "tmnxLldpRemEntry.14402.69238784.1.1: local ifIndex 69238784 is not in ifTable") {
		t.Errorf("problems %q", probs)
	}
}
