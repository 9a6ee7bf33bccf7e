package vendors_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

// Issue 17 item 3: incomplete LLDP remote rows and network-address IDs.
// The walks are hand-written on base (an Arista-like 4-port switch, no
// lldpLocPortTable: lldpRemLocalPortNum is taken as ifIndex).

const rem = "1.0.8802.1.1.2.1.4.1.1."

// neighbourOn returns the neighbours decoded on a local port.
func neighbourOn(s *topology.Switch, local string) []topology.Neighbour {
	var out []topology.Neighbour
	for _, n := range s.Neighbours {
		if n.LocalPort == local {
			out = append(out, n)
		}
	}
	return out
}

// TestLLDPIncompleteRemoteRows: rows whose agent left out lldpRemChassisId
// and/or lldpRemPortId. The layout is LLDP-MIB's lldpRemTable as the
// Enterasys G3G124-24P walk in librenms issue #2614 shows it (subtype
// columns present, an ID or the name column missing), and the
// lldpRemManAddrTable index of librenms procurve
// (...4.2.1.3.0.27.1.1.4.10.1.1.1 = time.port.rem.ipv4.len.addr).
//   - Ethernet1: subtypes, name and port description but no ID columns;
//   - Ethernet2: a NULL-typed chassis ID (snmprec type 5) and a port ID;
//   - Ethernet3: known only from its management address row;
//   - Ethernet4: subtypes only: nothing identifies it, skipped with a reason.
func TestLLDPIncompleteRemoteRows(t *testing.T) {
	rec := base + rem + `4.0.1.1|2|4
` + rem + `4.0.2.1|2|4
` + rem + `4.0.4.1|2|4
` + rem + `5.0.2.1|5|
` + rem + `6.0.1.1|2|5
` + rem + `6.0.2.1|2|5
` + rem + `6.0.4.1|2|5
` + rem + `7.0.2.1|4|eno2
` + rem + `8.0.1.1|4|eno1
` + rem + `9.0.1.1|4|srv-a
1.0.8802.1.1.2.1.4.2.1.3.0.3.1.1.4.10.10.20.38|2|2
`
	s, probs := texts(vendors.Decode(walk(t, rec), "x"))
	for _, n := range s.Neighbours {
		if n.ChassisID == "Null" || n.PortID == "Null" || strings.Contains(n.ChassisID, "Null") {
			t.Errorf("neighbour %+v has the kind name as an ID", n)
		}
	}
	if ns := neighbourOn(s, "Ethernet1"); len(ns) != 1 || ns[0].SystemName != "srv-a" || ns[0].PortDescr != "eno1" || ns[0].ChassisID != "" || ns[0].PortID != "" || ns[0].ChassisIDSubtype != "" {
		t.Errorf("Ethernet1: %+v, want srv-a/eno1 with no IDs", ns)
	}
	if ns := neighbourOn(s, "Ethernet2"); len(ns) != 1 || ns[0].ChassisID != "" || ns[0].PortID != "eno2" || ns[0].PortIDSubtype != topology.IDIfName {
		t.Errorf("Ethernet2: %+v, want port eno2 and no chassis ID", ns)
	}
	if ns := neighbourOn(s, "Ethernet3"); len(ns) != 1 || !slices.Equal(ns[0].MgmtAddrs, []string{"10.10.20.38"}) {
		t.Errorf("Ethernet3: %+v, want the neighbour at 10.10.20.38", ns)
	}
	if ns := neighbourOn(s, "Ethernet4"); len(ns) != 0 {
		t.Errorf("Ethernet4: %+v, want no neighbour", ns)
	}
	if !slices.ContainsFunc(probs, func(p string) bool { return strings.Contains(p, rem+"0.4.1: remote row has no chassis ID") }) {
		t.Errorf("problems %q: want the skipped row 0.4.1 named", probs)
	}
}

// TestLLDPNetworkAddressChassisID: lldpRemChassisIdSubtype networkAddress
// (5). librenms procurve records the IANA-family-prefixed binary form
// (lldpRemChassisId.0.44.2 = 4x 010A382071 = 10.56.32.113); other agents
// (the devices) give the address as text. Both are addresses;
// an IPv6 one is too, and a value that is no address stays hex.
func TestLLDPNetworkAddressChassisID(t *testing.T) {
	rec := base + rem + `4.0.1.1|2|5
` + rem + `4.0.2.1|2|5
` + rem + `4.0.3.1|2|5
` + rem + `4.0.4.1|2|5
` + rem + `5.0.1.1|4|10.10.20.38
` + rem + `5.0.2.1|4x|010a0a1426
` + rem + `5.0.3.1|4x|0220010db8000000000000000000000001
` + rem + `5.0.4.1|4x|07abcd
`
	s, probs := texts(vendors.Decode(walk(t, rec), "x"))
	want := map[string]string{"Ethernet1": "10.10.20.38", "Ethernet2": "10.10.20.38", "Ethernet3": "2001:db8::1", "Ethernet4": "07:ab:cd"}
	for local, id := range want {
		ns := neighbourOn(s, local)
		if len(ns) != 1 || ns[0].ChassisID != id || ns[0].ChassisIDSubtype != topology.IDNetwork {
			t.Errorf("%s: %+v, want network address %s (problems %q)", local, ns, id, probs)
		}
	}
}

// TestLLDPManagementAddressForms: lldpRemManAddrTable indexes as agents
// write them: length-prefixed IPv4 (librenms procurve
// ...4.2.1.3.0.27.1.1.4.10.1.1.1), IPv4 without the length octet (librenms
// slxos_slx9150 ...4.2.1.3.471847600.4.36.1.10.15.193.50), IPv6 (librenms
// ciscosb_cbs350-4x, subtype 2, length 16) and the 0.0.0.0 placeholder
// procurve and SLX-OS list beside the real address. The walk has no
// lldpRemTable rows at all: each neighbour is known from this table alone.
func TestLLDPManagementAddressForms(t *testing.T) {
	ma := "1.0.8802.1.1.2.1.4.2.1.3."
	rec := base + ma + "0.1.1.1.4.0.0.0.0|2|2\n" + ma + "0.1.1.1.4.10.1.1.1|2|2\n" +
		ma + "0.2.7.1.10.15.193.50|2|2\n" +
		ma + "0.3.9.2.16.32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.1|2|2\n" +
		ma + "0.4.2.1.0.0.0.0|2|0\n"
	s, probs := texts(vendors.Decode(walk(t, rec), "x"))
	for local, want := range map[string][]string{"Ethernet1": {"10.1.1.1"}, "Ethernet2": {"10.15.193.50"}, "Ethernet3": {"2001:db8::1"}} {
		if ns := neighbourOn(s, local); len(ns) != 1 || !slices.Equal(ns[0].MgmtAddrs, want) {
			t.Errorf("%s: %+v, want a neighbour at %v (problems %q)", local, ns, want, probs)
		}
	}
	if ns := neighbourOn(s, "Ethernet4"); len(ns) != 0 {
		t.Errorf("Ethernet4: %+v: a 0.0.0.0 placeholder identifies no neighbour", ns)
	}
}
