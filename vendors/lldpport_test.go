package vendors_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

// lldpRem renders one LLDP-MIB lldpRemTable row (time mark 0) on local port
// number num: a MAC chassis ID and system name, as every real recording in
// ../shared/fixtures/snmp/ lays them out.
func lldpRem(num, idx, chassisHex, sys string) string {
	p := "1.0.8802.1.1.2.1.4.1.1."
	ix := ".0." + num + "." + idx
	return p + "4" + ix + "|2|4\n" +
		p + "5" + ix + "|4x|" + chassisHex + "\n" +
		p + "6" + ix + "|2|7\n" +
		p + "7" + ix + "|4|eth0\n" +
		p + "9" + ix + "|4|" + sys + "\n"
}

func neighbourPorts(s *topology.Switch) map[string]string {
	m := map[string]string{}
	for _, n := range s.Neighbours {
		m[n.SystemName] = n.LocalPort
	}
	return m
}

func hasProblem(probs []string, parts ...string) bool {
	for _, p := range probs {
		all := true
		for _, part := range parts {
			all = all && strings.Contains(p, part)
		}
		if all {
			return true
		}
	}
	return false
}

// TestLLDPPortNumberBridgePortWins: without lldpLocPortTable the local port
// number is an ifIndex on some devices and a dot1dBasePort on bridges. The
// layout follows the device (IF-MIB ifIndex 1 is the software
// loopback "lo", ifType 24, while BRIDGE-MIB dot1dBasePortIfIndex.1 points
// at the first Ethernet port): the Ethernet-like reading wins. When both
// readings are Ethernet ports, neither is taken and a problem says why.
func TestLLDPPortNumberBridgePortWins(t *testing.T) {
	rec := base + `1.3.6.1.2.1.2.2.1.3.100|2|24
1.3.6.1.2.1.31.1.1.1.1.100|4|lo
1.3.6.1.2.1.17.1.4.1.2.100|2|3
1.3.6.1.2.1.17.1.4.1.2.2|2|4
` + lldpRem("100", "1", "b8cef6a10600", "web01") + lldpRem("2", "1", "b8cef6a10700", "web02") + lldpRem("1", "1", "b8cef6a10800", "web03")
	s, probs := texts(vendors.Decode(walk(t, rec), "x"))
	got := neighbourPorts(s)
	if got["web01"] != "Ethernet3" {
		t.Errorf("port number 100 (ifIndex lo, bridge port Ethernet3): placed on %q, want Ethernet3; problems %v", got["web01"], probs)
	}
	if got["web02"] != "" {
		t.Errorf("port number 2 (ifIndex Ethernet2, bridge port Ethernet4): placed on %q, want no port", got["web02"])
	}
	if !hasProblem(probs, "lldpRemLocalPortNum 2", "Ethernet2", "Ethernet4", "neither is the only Ethernet-like one") {
		t.Errorf("no problem says why port number 2 is unplaced: %v", probs)
	}
	if got["web03"] != "Ethernet1" {
		t.Errorf("port number 1 (ifIndex only): placed on %q, want Ethernet1", got["web03"])
	}
}

// vendorPorts is a switch whose ifName carries a vendor prefix ("PORT-1/3")
// and whose LLDP local port table has no subtype column and a short port
// ID ("1/3"): the layout the issue describes; the table without column 2
// is that of the Alcatel-Lucent OmniSwitch recording
// (librenms__aos6.snmprec, lldpLocPortTable columns 3 only).
const vendorPorts = `1.3.6.1.2.1.1.1.0|4|Generic L2 switch
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.1
1.3.6.1.2.1.1.5.0|4|edge7
1.3.6.1.2.1.2.2.1.3.11|2|6
1.3.6.1.2.1.2.2.1.3.12|2|6
1.3.6.1.2.1.2.2.1.3.13|2|6
1.3.6.1.2.1.2.2.1.3.14|2|6
1.3.6.1.2.1.31.1.1.1.1.11|4|PORT-1/1
1.3.6.1.2.1.31.1.1.1.1.12|4|PORT-1/2
1.3.6.1.2.1.31.1.1.1.1.13|4|PORT-1/3
1.3.6.1.2.1.31.1.1.1.1.14|4|PORT-1/13
1.3.6.1.2.1.31.1.1.1.18.12|4|uplink-core
`

// TestLLDPLocPortByVendorString: lldpLocPortId "1/3" is ifName "PORT-1/3"
// (and not "PORT-1/13"), lldpLocPortDesc "uplink-core" is an ifAlias; a
// row that names no interface (port ID "9/9", port number 9 neither an
// ifIndex nor a bridge port) puts its neighbour on no port, with a problem.
func TestLLDPLocPortByVendorString(t *testing.T) {
	rec := vendorPorts + `1.0.8802.1.1.2.1.3.7.1.3.3|4|1/3
1.0.8802.1.1.2.1.3.7.1.3.5|4|x
1.0.8802.1.1.2.1.3.7.1.4.5|4|uplink-core
1.0.8802.1.1.2.1.3.7.1.3.9|4|9/9
1.0.8802.1.1.2.1.3.7.1.3.13|4|1/13
` + lldpRem("3", "1", "b8cef6a10600", "web01") + lldpRem("5", "1", "b8cef6a10700", "web02") +
		lldpRem("9", "1", "b8cef6a10800", "web03") + lldpRem("13", "1", "b8cef6a10900", "web04")
	s, probs := texts(vendors.Decode(walk(t, rec), "x"))
	got := neighbourPorts(s)
	want := map[string]string{"web01": "PORT-1/3", "web02": "PORT-1/2", "web03": "", "web04": "PORT-1/13"}
	for sys, port := range want {
		if got[sys] != port {
			t.Errorf("%s: placed on %q, want %q (problems %v)", sys, got[sys], port, probs)
		}
	}
	if !hasProblem(probs, "lldpRemLocalPortNum 9", `port ID "9/9"`, "names no interface", "neither an ifIndex nor a dot1dBasePort") {
		t.Errorf("no problem says why port number 9 is unplaced: %v", probs)
	}
}

// TestLLDPLocPortSuffixAmbiguous: "1/3" ends both "PORT-1/3" and
// "LAG-1/3": the device did not say which, so no port is taken.
func TestLLDPLocPortSuffixAmbiguous(t *testing.T) {
	rec := vendorPorts + `1.3.6.1.2.1.2.2.1.3.50|2|161
1.3.6.1.2.1.31.1.1.1.1.50|4|LAG-1/3
1.0.8802.1.1.2.1.3.7.1.3.7|4|1/3
` + lldpRem("7", "1", "b8cef6a10600", "web01")
	s, probs := texts(vendors.Decode(walk(t, rec), "x"))
	if got := neighbourPorts(s)["web01"]; got != "" {
		t.Errorf("placed on %q, want no port", got)
	}
	if !hasProblem(probs, "lldpRemLocalPortNum 7", "names no interface") {
		t.Errorf("no problem says why: %v", probs)
	}
}

// TestOmniSwitchNeighboursPlaced: the Alcatel-Lucent OmniSwitch recordings
// number LLDP ports by dot1dBasePort and send the ifIndex as lldpLocPortId
// ("1001") with no subtype column (aos6 entirely, aos7 for its 10G and
// stack-member ports). Every neighbour is placed; the samples below were
// checked by hand against the recordings: lldpRemTable index
// time.portNum.remIndex -> lldpLocPortId.portNum -> ifName, and the same
// answer through dot1dBasePortIfIndex.portNum.
func TestOmniSwitchNeighboursPlaced(t *testing.T) {
	cases := []struct {
		file string
		n    int
		want map[string]string // lldpRemTable index -> local port
	}{
		// aos6: locPortId.19 = 1019 = ifName 1/19; .26 = 1026 = 1/26;
		// .154 = 2026 = 2/26 (dot1dBasePortIfIndex.154 = 2026 too);
		// .1 = 1001 = 1/1; .50 = 1050 = 1/50.
		{"librenms__aos6.snmprec", 26, map[string]string{"1.19.51": "1/19", "1.26.137": "1/26", "1.154.84": "2/26", "1.1.4": "1/1", "1.50.3": "1/50"}},
		// aos7: no subtype on 41-54, 2089-2102, 4097-: locPortId.41 =
		// 1041 = 1/1/41; .2089 = 101041 = 2/1/41; .4098 = 201002 =
		// 3/1/2; subtype 7 rows: .257 = 2001 = 1/2/1.
		{"librenms__aos7.snmprec", 203, map[string]string{"1.41.363": "1/1/41", "1.2089.696": "2/1/41", "1.4098.380": "3/1/2"}},
	}
	for _, c := range cases {
		s, probs := recording(t, c.file)
		var n int
		got := map[string]string{}
		for _, nb := range s.Neighbours {
			if !strings.HasPrefix(nb.Source, "LLDP-MIB lldpRemTable.") {
				continue
			}
			n++
			ix := strings.TrimPrefix(nb.Source, "LLDP-MIB lldpRemTable.")
			got[ix] = nb.LocalPort
			if nb.LocalPort == "" {
				t.Errorf("%s: neighbour %s (%s) has no local port", c.file, ix, nb.ChassisID)
			}
		}
		if n != c.n {
			t.Errorf("%s: %d LLDP neighbours, want %d", c.file, n, c.n)
		}
		for ix, port := range c.want {
			if got[ix] != port {
				t.Errorf("%s: lldpRemTable.%s on %q, want %q", c.file, ix, got[ix], port)
			}
		}
		if slices.ContainsFunc(probs, func(p string) bool { return strings.Contains(p, "lldpRemLocalPortNum") }) {
			t.Errorf("%s: local-port problems left: %v", c.file, probs)
		}
	}
}

// TestLLDPLocPortSuffixNotAPortTail: "5/7" is the tail of the stack port
// "2/5/7" (and "1/4" of "Ethernet11/4"), not a name for it.
func TestLLDPLocPortSuffixNotAPortTail(t *testing.T) {
	rec := vendorPorts + `1.3.6.1.2.1.2.2.1.3.60|2|6
1.3.6.1.2.1.31.1.1.1.1.60|4|2/5/7
1.3.6.1.2.1.2.2.1.3.61|2|6
1.3.6.1.2.1.31.1.1.1.1.61|4|Ethernet11/4
1.0.8802.1.1.2.1.3.7.1.3.7|4|5/7
1.0.8802.1.1.2.1.3.7.1.3.8|4|1/4
` + lldpRem("7", "1", "b8cef6a10600", "web01") + lldpRem("8", "1", "b8cef6a10700", "web02")
	s, probs := texts(vendors.Decode(walk(t, rec), "x"))
	got := neighbourPorts(s)
	if got["web01"] != "" || got["web02"] != "" {
		t.Errorf("placed on %q and %q, want no port (problems %v)", got["web01"], got["web02"], probs)
	}
}

// TestVSXPeerOnMgmtPort: AOS-CX (librenms__arubaos-cx_8360.snmprec) hears
// its VSX peer (chassis ec:67:94:50:4d:00) on the ISL ports 1/1/1 and
// 1/1/2 and on its out-of-band "mgmt" port (lldpLocPortNum 4000, port ID
// "mgmt"), which IF-MIB does not list: that neighbour is on "mgmt", marked
// as on a port IF-MIB does not list (the ISL rows are not), with a problem
// saying no interface stands for it.
func TestVSXPeerOnMgmtPort(t *testing.T) {
	s, probs := recording(t, "librenms__arubaos-cx_8360.snmprec")
	var got []string
	for _, n := range s.Neighbours {
		if n.ChassisID == "ec:67:94:50:4d:00" {
			got = append(got, n.LocalPort+"<-"+n.PortID)
			if n.LocalPortUnlisted != (n.LocalPort == "mgmt") {
				t.Errorf("neighbour on %s: LocalPortUnlisted = %v", n.LocalPort, n.LocalPortUnlisted)
			}
		}
	}
	slices.Sort(got)
	if want := []string{"1/1/1<-1/1/1", "1/1/2<-1/1/2", "mgmt<-mgmt"}; !slices.Equal(got, want) {
		t.Errorf("VSX peer heard on %v, want %v", got, want)
	}
	if !hasProblem(probs, "lldpRemLocalPortNum 4000", `management port "mgmt"`, "IF-MIB does not list") {
		t.Errorf("no problem notes the mgmt port: %v", probs)
	}
}

// TestMgmtNameOnlyWhenNotAnInterface: a management port IF-MIB lists is
// resolved to its interface like any other (Arista Management1); a name
// that only starts like one ("mgmt-vlan") is no management port and stays
// on no port.
func TestMgmtNameOnlyWhenNotAnInterface(t *testing.T) {
	rec := base + `1.3.6.1.2.1.2.2.1.3.999001|2|6
1.3.6.1.2.1.31.1.1.1.1.999001|4|Management1
1.0.8802.1.1.2.1.3.7.1.3.40|4|Management1
1.0.8802.1.1.2.1.3.7.1.3.41|4|mgmt-vlan
` + lldpRem("40", "1", "b8cef6a10600", "oob-sw") + lldpRem("41", "1", "b8cef6a10700", "other")
	s, probs := texts(vendors.Decode(walk(t, rec), "x"))
	got := neighbourPorts(s)
	if got["oob-sw"] != "Management1" || got["other"] != "" {
		t.Errorf("placed %v, want oob-sw on Management1 and other on no port (problems %v)", got, probs)
	}
	if hasProblem(probs, "management port") {
		t.Errorf("Management1 is an interface: %v", probs)
	}
}
