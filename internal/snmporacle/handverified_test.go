package snmporacle_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/fixtures"
	"github.com/bondaudit/bondaudit/internal/snmporacle"
)

// handVerified are placements read by hand from the recordings' raw OIDs
// (the OIDs are in each case's note), for the rows where the oracle had to
// choose: the oracle must produce each line.
var handVerified = []struct{ recording, line, note string }{
	{"librenms__aos6", `lldp "1/1": chassis="ac:a3:1e:c3:af:aa" sys="ar1-ade7j0c" port="ac:a3:1e:c3:af:aa"`,
		"lldpRemSysName.1.1.18 = ar1-ade7j0c: local port 1; no ifIndex 1; dot1dBasePortIfIndex.1 = 1001; ifName.1001 = 1/1 (lldpLocPortId.1 = \"1001\" names no interface); LibreNMS places it on 1/1 too"},
	{"librenms__slxos_slx9150", `lldp "Ethernet 0/48": chassis="76:6d:6e:69:63:32" sys="" port=""`,
		"local port 48: lldpLocPortId.48 = \"Ethernet 0/48\", the ifName of both 201719808 (down) and 201720128 (up, ifAlias P)"},
	{"librenms__junos_ex4600mp", `lag "ae0": "et-0/2/0 et-1/2/0"`,
		"ifType.998 = 161 (ae0); ifStack 1338.999 and 1338.1000 (ae0.0 over et-0/2/0.0, et-1/2/0.0), 999.994 and 1000.996 (units over et-0/2/0, et-1/2/0)"},
	{"librenms__yunshan", `lag "Eth-Trunk2": "100GE1/0/3 100GE1/0/4"`,
		"ifStack 45.4, 45.5 (100GE1/0/3, 100GE1/0/4) and 45.44 (Eth-Trunk1-mpls, ifType 166: not a member)"},
	{"librenms__ios_2960x", `lag "Po1": "Gi1/0/52 Gi3/0/52"`,
		"ifType.5001 = 53, ifName Po1; ifStack 5001.10152 (Gi1/0/52), 5001.11152 (Gi3/0/52)"},
	{"librenms__routeros_crs317", `lldp "ether1": chassis="64:d1:54:f2:a4:16" sys="router.jason.corp.local" port="Phones"`,
		"lldpRemTable row 21 (one-component index); mtxrNeighborInterfaceID.21 = 17; ifName.17 = ether1"},
}

func TestHandVerifiedPlacements(t *testing.T) {
	for _, h := range handVerified {
		path := fixtures.Require(t, "snmp", h.recording+".snmprec")
		lines := decodeFixture(t, path).Lines()
		if !slices.Contains(lines, h.line) {
			t.Errorf("%s: oracle lacks the hand-verified %s\n(%s)", h.recording, h.line, h.note)
		}
	}
}

// The oracle's rules on small walks shaped like the cases.
func TestOracleRules(t *testing.T) {
	cases := []struct{ name, walk, want string }{
		{"bridge port wins over a non-Ethernet ifIndex", `
1.3.6.1.2.1.2.2.1.3.1|2|24
1.3.6.1.2.1.31.1.1.1.1.1|4|lo
1.3.6.1.2.1.2.2.1.3.49|2|6
1.3.6.1.2.1.31.1.1.1.1.49|4|GigabitEthernet 1/1
1.3.6.1.2.1.17.1.4.1.2.1|2|49
1.0.8802.1.1.2.1.4.1.1.9.0.1.1|4|peer
`, `lldp "GigabitEthernet 1/1": chassis="" sys="peer" port=""`},
		{"ifIndex wins over a non-Ethernet bridge port", `
1.3.6.1.2.1.2.2.1.3.3|2|6
1.3.6.1.2.1.31.1.1.1.1.3|4|eth3
1.3.6.1.2.1.2.2.1.3.90|2|53
1.3.6.1.2.1.31.1.1.1.1.90|4|vlan1
1.3.6.1.2.1.17.1.4.1.2.3|2|90
1.0.8802.1.1.2.1.4.1.1.9.0.3.1|4|peer
`, `lldp "eth3": chassis="" sys="peer" port=""`},
		{"vendor port id 1/3 for ifName PORT-1/3", `
1.3.6.1.2.1.2.2.1.3.7|2|6
1.3.6.1.2.1.31.1.1.1.1.7|4|PORT-1/3
1.0.8802.1.1.2.1.3.7.1.3.3|4|1/3
1.0.8802.1.1.2.1.4.1.1.9.0.3.1|4|peer
`, `lldp "PORT-1/3": chassis="" sys="peer" port=""`},
		{"a number naming nothing stays unplaced", `
1.3.6.1.2.1.2.2.1.3.7|2|6
1.3.6.1.2.1.31.1.1.1.1.7|4|eth7
1.0.8802.1.1.2.1.4.1.1.9.0.5.1|4|peer
`, `lldp "?": chassis="" sys="peer" port=""`},
		{"LLDP-V2 is indexed by ifIndex", `
1.3.6.1.2.1.2.2.1.3.5|2|6
1.3.6.1.2.1.31.1.1.1.1.5|4|xe5
1.3.111.2.802.1.1.13.1.4.1.1.6.0.5.1.1|4x|001122334455
1.3.111.2.802.1.1.13.1.4.1.1.5.0.5.1.1|2|4
1.3.111.2.802.1.1.13.1.4.1.1.10.0.5.1.1|4|peer
`, `lldp "xe5": chassis="00:11:22:33:44:55" sys="peer" port=""`},
		{"CDP on its ifIndex", `
1.3.6.1.2.1.2.2.1.3.10|2|6
1.3.6.1.2.1.31.1.1.1.1.10|4|Te0/0/0/1
1.3.6.1.4.1.9.9.23.1.2.1.1.6.10.1|4|core1
1.3.6.1.4.1.9.9.23.1.2.1.1.7.10.1|4|Hu0/0/0/0
`, `cdp "Te0/0/0/1": chassis="core1" sys="core1" port="Hu0/0/0/0"`},
		{"selected aggregator when attached is missing", `
1.3.6.1.2.1.2.2.1.3.1|2|6
1.3.6.1.2.1.31.1.1.1.1.1|4|ge1
1.3.6.1.2.1.2.2.1.3.100|2|161
1.3.6.1.2.1.31.1.1.1.1.100|4|lag1
1.2.840.10006.300.43.1.2.1.1.12.1|2|100
`, `lag "lag1": "ge1"`},
		{"HP trunk of type 54", `
1.3.6.1.2.1.2.2.1.3.1|2|6
1.3.6.1.2.1.31.1.1.1.1.1|4|1
1.3.6.1.2.1.2.2.1.3.289|2|54
1.3.6.1.2.1.31.1.1.1.1.289|4|Trk1
1.3.6.1.2.1.31.1.2.1.3.289.1|2|1
`, `lag "Trk1": "1"`},
	}
	for _, c := range cases {
		w, err := snmporacle.Read(strings.NewReader(strings.TrimSpace(c.walk)))
		if err != nil {
			t.Fatal(err)
		}
		if got := snmporacle.Decode(w).Lines(); !slices.Contains(got, c.want) {
			t.Errorf("%s: want %s, got %q", c.name, c.want, got)
		}
	}
}
