package vendors_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/vendors"
)

// panosV2 is the hand-written LLDP-V2-MIB-only walk of
// collect/snmp/testdata/lldpv2-panos.snmprec (its header names the real
// layout it follows: a Palo Alto PA-3060).
func panosV2(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "collect", "snmp", "testdata", "lldpv2-panos.snmprec"))
	if err != nil {
		t.Fatal(err)
	}
	var keep []string
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(l, "#") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// v2Rem renders an lldpV2RemTable row (time mark 0, destination address
// row 1) on local ifIndex ifx, in the layout of panosV2.
func v2Rem(ifx, idx, chassisHex, sys string) string {
	p := "1.3.111.2.802.1.1.13.1.4.1.1."
	ix := ".0." + ifx + ".1." + idx
	return p + "5" + ix + "|2|4\n" +
		p + "6" + ix + "|4x|" + chassisHex + "\n" +
		p + "7" + ix + "|2|5\n" +
		p + "8" + ix + "|4|Ethernet46\n" +
		p + "10" + ix + "|4|" + sys + "\n"
}

// TestLLDPV2WhereLLDPMIBIsAbsent: a device with LLDP-V2-MIB only has its
// neighbours read from lldpV2RemTable, on the interface
// lldpV2RemLocalIfIndex names, with the port IDs of lldpV2LocPortTable.
func TestLLDPV2WhereLLDPMIBIsAbsent(t *testing.T) {
	s, probs := texts(vendors.Decode(walk(t, panosV2(t)), "fw"))
	got := neighbourPorts(s)
	if got["switch123.sjc.aristanetworks.com"] != "ethernet1/13" || got["switch124.sjc.aristanetworks.com"] != "ethernet1/14" || len(s.Neighbours) != 2 {
		t.Errorf("neighbours %v, problems %v", got, probs)
	}
	for _, n := range s.Neighbours {
		if !strings.HasPrefix(n.Source, "LLDP-V2-MIB lldpV2RemTable.0.1") || n.ChassisID == "" || n.PortID != "Ethernet46" {
			t.Errorf("neighbour %+v", n)
		}
	}
	if p := portNamed(t, s, "ethernet1/13"); p.LLDPPortID != "ethernet1/13" {
		t.Errorf("ethernet1/13 LLDP port ID %q", p.LLDPPortID)
	}
}

// TestLLDPV2NotWhereLLDPMIBHasNeighbours: a device that fills both MIBs
// (one agent behind both) has each neighbour once, from LLDP-MIB.
func TestLLDPV2NotWhereLLDPMIBHasNeighbours(t *testing.T) {
	rec := panosV2(t) + "\n" + `1.0.8802.1.1.2.1.3.7.1.2.18|2|5
1.0.8802.1.1.2.1.3.7.1.3.18|4|ethernet1/13
` + lldpRem("18", "1", "28993abf2646", "switch123.sjc.aristanetworks.com")
	s, probs := texts(vendors.Decode(walk(t, rec), "fw"))
	if len(s.Neighbours) != 1 || !strings.HasPrefix(s.Neighbours[0].Source, "LLDP-MIB ") || s.Neighbours[0].LocalPort != "ethernet1/13" {
		t.Errorf("neighbours %+v, problems %v", s.Neighbours, probs)
	}
}

// TestLLDPV2LocalPortResolution: the same resolution as LLDP-MIB's. An
// lldpV2LocPortTable row whose index is no interface but whose port ID
// names one (ifIndex 7, port ID "ethernet1/1") places its neighbour there;
// a row on an index that is no interface and has no local port row stays
// on no port, with a problem; and the number is never read as a bridge
// port (dot1dBasePort 9 = ifIndex 19 does not place index 9).
func TestLLDPV2LocalPortResolution(t *testing.T) {
	rec := panosV2(t) + "\n" + `1.3.6.1.2.1.17.1.4.1.2.9|2|19
1.3.111.2.802.1.1.13.1.3.7.1.2.7|2|5
1.3.111.2.802.1.1.13.1.3.7.1.3.7|4|ethernet1/1
` + v2Rem("7", "3", "28993abf0001", "web01") + v2Rem("9", "4", "28993abf0002", "web02")
	s, probs := texts(vendors.Decode(walk(t, rec), "fw"))
	got := neighbourPorts(s)
	if got["web01"] != "ethernet1/1" {
		t.Errorf("web01 on %q, want ethernet1/1 (problems %v)", got["web01"], probs)
	}
	if got["web02"] != "" {
		t.Errorf("web02 on %q, want no port", got["web02"])
	}
	if !hasProblem(probs, "lldpV2RemLocalIfIndex 9 is no interface") {
		t.Errorf("no problem says why web02 is unplaced: %v", probs)
	}
}
