package vendors_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/vendors"
)

// TestPortsInAnyTableOrder: the decoder sizes its port list from the
// ifDescr/ifName row counts and keeps it as the switch's when the ports
// came in ifIndex order; ports a later column adds (lower ifIndexes,
// more than counted, an aggregator known only from dot3adAggTable) still
// come out in ifIndex order with their columns.
func TestPortsInAnyTableOrder(t *testing.T) {
	rec := `1.2.840.10006.300.43.1.1.1.1.4.900|4x|001c73000009
1.2.840.10006.300.43.1.2.1.1.12.5|2|900
1.2.840.10006.300.43.1.2.1.1.13.5|2|900
1.3.6.1.2.1.2.2.1.2.3|4|Ethernet3
1.3.6.1.2.1.2.2.1.2.5|4|Ethernet5
1.3.6.1.2.1.2.2.1.3.2|2|6
1.3.6.1.2.1.2.2.1.3.3|2|6
1.3.6.1.2.1.2.2.1.3.4|2|6
1.3.6.1.2.1.2.2.1.3.5|2|6
1.3.6.1.2.1.2.2.1.8.1|2|1
1.3.6.1.2.1.31.1.1.1.1.1|4|Ethernet1
1.3.6.1.2.1.31.1.1.1.1.3|4|Ethernet3
1.3.6.1.2.1.31.1.1.1.18.4|4|four
`
	s, probs := texts(vendors.Decode(walk(t, rec), "x"))
	var got []string
	for _, p := range s.Ports {
		got = append(got, p.Name+"/"+p.Type+"/"+string(p.Oper)+"/"+p.Alias)
	}
	want := []string{"Ethernet1//up/", "ifIndex2/ethernet//", "Ethernet3/ethernet//", "ifIndex4/ethernet//four", "Ethernet5/ethernet//", "aggregator900/lag//"}
	if !slices.Equal(got, want) {
		t.Errorf("ports %q, want %q (problems %q)", got, want, probs)
	}
	for i := 1; i < len(s.Ports); i++ {
		if s.Ports[i-1].IfIndex >= s.Ports[i].IfIndex {
			t.Errorf("ports out of ifIndex order: %d before %d", s.Ports[i-1].IfIndex, s.Ports[i].IfIndex)
		}
	}
	if len(s.LAGs) != 1 || !slices.Equal(s.LAGs[0].Members, []string{"Ethernet5"}) {
		t.Errorf("LAGs %+v, want aggregator900 with Ethernet5", s.LAGs)
	}
}

// TestLLDPRowsInAnyColumnOrder: lldpRemTable rows are found across
// columns whatever columns each row is in (a row missing from the first
// columns, one only in the last, one dropped as incomplete between
// others), and the neighbours come out in the order the rows were first
// seen, as they always did.
func TestLLDPRowsInAnyColumnOrder(t *testing.T) {
	rec := base + rem + `4.0.1.1|2|4
` + rem + `4.0.3.1|2|4
` + rem + `4.0.4.1|2|4
` + rem + `5.0.1.1|4x|001c73000001
` + rem + `5.0.2.1|4x|001c73000002
` + rem + `5.0.4.1|4x|001c73000004
` + rem + `6.0.3.1|2|5
` + rem + `7.0.1.1|4|eth1
` + rem + `7.0.2.1|4|eth2
` + rem + `9.0.1.1|4|host1
` + rem + `9.0.2.1|4|host2
` + rem + `9.0.4.1|4|host4
` + rem + `9.0.3.2|4|host32
` + rem + `10.0.1.1|4|one
` + rem + `10.0.2.2|4|dropped
`
	s, probs := texts(vendors.Decode(walk(t, rec), "x"))
	var got []string
	for _, n := range s.Neighbours {
		got = append(got, n.LocalPort+" "+n.ChassisIDSubtype+"="+n.ChassisID+" "+n.PortIDSubtype+"="+n.PortID+" "+n.SystemName+" "+n.SystemDescr+" "+n.Source)
	}
	want := []string{
		"Ethernet1 mac=00:1c:73:00:00:01 =eth1 host1 one LLDP-MIB lldpRemTable.0.1.1",
		"Ethernet2 =00:1c:73:00:00:02 =eth2 host2  LLDP-MIB lldpRemTable.0.2.1",
		"Ethernet3 = = host32  LLDP-MIB lldpRemTable.0.3.2",
		"Ethernet4 mac=00:1c:73:00:00:04 = host4  LLDP-MIB lldpRemTable.0.4.1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("neighbours:\n%q\nwant\n%q", got, want)
	}
	for _, index := range []string{"0.3.1", "0.2.2"} {
		if !slices.ContainsFunc(probs, func(p string) bool {
			return strings.HasSuffix(p, " 1.0.8802.1.1.2.1.4.1.1."+index+": remote row has no chassis ID, port ID, system name, port description or management address: skipped")
		}) {
			t.Errorf("no problem says row %s is skipped: %q", index, probs)
		}
	}
}
