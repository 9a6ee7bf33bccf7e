// The walks here are hand-written: no public FortiSwitch recording with
// interface, trunk or LLDP rows was found (librenms
// tests/snmpsim/fortiswitch.snmprec has sysObjectID and fsSystemInfo only).
// Their layout follows these sources:
//
//   - FORTINET-FORTISWITCH-MIB (librenms mibs/fortinet): fnFortiSwitchMib =
//     1.3.6.1.4.1.12356.106, sysObjectIDs under fsModel (.106.1),
//     fsTrunkMember = .106.3.1, a scalar DisplayString (SIZE(0..82)).
//   - fsTrunkMember's value, "8EF5920000001-0: port23 ::8EPTQ21000003-0:
//     port27 ::GT61FTK21000002: port24 ::" from FortiSwitchOS 7.6.6
//     (FS-124E-FPOE), and "_FlInK1_ICL0_: port51 ::", as quoted by a public
//     FortiSwitch SNMP integration (src/utils/fortiswitchTrunkMap.ts), which
//     also notes that ifDescr and lldpLocPortId carry the port's
//     description, that trunks are ifTable rows named like the trunk, and
//     that ifTable "publishes no aggregation".
//   - Checkmk's FortiSwitch LLDP section (inv_lldp_cache, by thl-cmk):
//     fsTrunkMember split at "::", then at ":", members at spaces; LLDP
//     rows whose lldpRemLocalPortNum is not in lldpLocPortTable are a
//     trunk's (the number is the trunk's ifIndex) and belong to its members.
//   - FortiLink trunk names: "_FlInK1_ICL0_" (members "port47" "port48",
//     "set mclag-icl enable"), "_FlInK1_MLAG0_" toward the tier above,
//     auto-ISL trunks named after the peer's serial ("D243Z14000288-0",
//     "8DF4K17000028-0"), from published "show switch trunk" output and
//     Fortinet's FortiLink cookbook; the ICL on the highest-numbered ports.
//   - sysDescr "FortiSwitch-148F v7.2.5,build0453,230511 (GA)" with
//     sysObjectID 1.3.6.1.4.1.12356.106.1.1, as in public SNMP inventory
//     tools' test data; fsSysVersion has the same shape in the librenms
//     recording ("FortiSwitch-248D-FPOE v3.3.3,build4047,160219 (GA)").
//
// Not from any source, so chosen here and tested both ways where it
// matters: the trunks' ifType (ieee8023adLag 161 or propVirtual 53) and
// their ifIndexes (53…, after the 52 ports; FortiSwitch lets a trunk's
// snmp-index be set).
package fortinet_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/vendortest"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors/all"
	"github.com/bondaudit/bondaudit/vendors/fortinet"
)

const (
	sysDescr = "FortiSwitch-148F v7.2.5,build0453,230511 (GA)"
	sysOID   = "1.3.6.1.4.1.12356.106.1.1"
	trunkOID = "1.3.6.1.4.1.12356.106.3.1.0"

	macA = "704ca5000a01" // fsw-a
	macB = "704ca5000b01" // fsw-b, its MCLAG peer
	macD = "704ca5000d01" // fsw-d, an access switch on an auto-ISL trunk
	macG = "04d590000001" // the FortiGate
	macH = "525400000100" // host srv01's eno1
)

// walk is a FortiSwitch 148F walk: port1..port52 (ifIndex = N, ifType 6,
// ifDescr the operator's description, lldpLocPortTable rows numbered by
// ifIndex with the description as port ID, as the sources describe),
// trunks as ifTable rows 53… of ifType trunkType with no ifStackTable
// rows, fsTrunkMember, and the LLDP remote rows given.
func walk(name, chassis string, trunkType int, trunks []string, members string, rems ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "1.3.6.1.2.1.1.1.0|4|%s\n1.3.6.1.2.1.1.2.0|6|%s\n1.3.6.1.2.1.1.5.0|4|%s\n", sysDescr, sysOID, name)
	descr := map[int]string{1: "srv01 eno1", 49: "FortiLink", 51: "ICL-1", 52: "ICL-2"}
	for i := 1; i <= 52; i++ {
		d := descr[i]
		if d == "" {
			d = fmt.Sprintf("port%d", i)
		}
		fmt.Fprintf(&b, "1.3.6.1.2.1.2.2.1.2.%d|4|%s\n1.3.6.1.2.1.2.2.1.3.%d|2|6\n1.3.6.1.2.1.2.2.1.8.%d|2|1\n1.3.6.1.2.1.31.1.1.1.1.%d|4|port%d\n", i, d, i, i, i, i)
		fmt.Fprintf(&b, "1.0.8802.1.1.2.1.3.7.1.2.%d|2|5\n1.0.8802.1.1.2.1.3.7.1.3.%d|4|%s\n", i, i, d)
	}
	for i, t := range trunks {
		x := 53 + i
		fmt.Fprintf(&b, "1.3.6.1.2.1.2.2.1.2.%d|4|%s\n1.3.6.1.2.1.2.2.1.3.%d|2|%d\n1.3.6.1.2.1.2.2.1.8.%d|2|1\n1.3.6.1.2.1.31.1.1.1.1.%d|4|%s\n", x, t, x, trunkType, x, x, t)
	}
	fmt.Fprintf(&b, "1.0.8802.1.1.2.1.3.1.0|2|4\n1.0.8802.1.1.2.1.3.2.0|4x|%s\n", chassis)
	fmt.Fprintf(&b, "%s|4|%s\n", trunkOID, members)
	for _, r := range rems {
		b.WriteString(r)
	}
	return b.String()
}

// rem is an LLDP-MIB remote row under timeMark 0, local port num, index:
// chassis ID subtype macAddress(4), port ID subtype (5 interfaceName, 3
// macAddress) and ID, system name.
func rem(num, idx int, chassis string, portSub int, port, sys string) string {
	p := "1.0.8802.1.1.2.1.4.1.1."
	ix := fmt.Sprintf(".0.%d.%d", num, idx)
	typ := "4"
	if portSub == 3 {
		typ = "4x"
	}
	return p + "4" + ix + "|2|4\n" + p + "5" + ix + "|4x|" + chassis + "\n" +
		fmt.Sprintf("%s6%s|2|%d\n%s7%s|%s|%s\n%s9%s|4|%s\n", p, ix, portSub, p, ix, typ, port, p, ix, sys)
}

// pairTrunks: each MCLAG peer's trunks (ifIndex 53, 54, 55) and
// fsTrunkMember: the ICL on the two highest ports, the MCLAG toward the
// FortiGate on port49, an operator-named trunk to a host on port1.
var pairTrunks = []string{"_FlInK1_ICL0_", "_FlInK1_MLAG0_", "srv01"}

const pairMembers = "_FlInK1_ICL0_: port51 port52 ::_FlInK1_MLAG0_: port49 ::srv01: port1 ::"

// mclagPeer: one of the pair, hearing its peer only over LLDP on the ICL
// (rows under the ICL trunk's ifIndex 53, which lldpLocPortTable does not
// list), the FortiGate on the FortiLink MCLAG trunk (ifIndex 54) and host
// srv01 on port1.
func mclagPeer(name, chassis, peerChassis, peerName string, trunkType int) string {
	return walk(name, chassis, trunkType, pairTrunks, pairMembers,
		rem(53, 1, peerChassis, 5, "port51", peerName),
		rem(53, 2, peerChassis, 5, "port52", peerName),
		rem(54, 3, macG, 5, "port4", "FG100FTK20000001"),
		rem(1, 4, macH, 3, macH, "srv01"))
}

func decode(t *testing.T, rec string) (*topology.Switch, []string) {
	t.Helper()
	return vendortest.Decode(vendortest.Snmprec(t, rec), "test")
}

func placed(s *topology.Switch) []string {
	var out []string
	for _, n := range s.Neighbours {
		out = append(out, n.SystemName+"@"+n.LocalPort)
	}
	slices.Sort(out)
	return out
}

func TestRecognition(t *testing.T) {
	for _, c := range []struct{ oid, descr, want string }{
		{sysOID, sysDescr, "fortiswitch"},
		{"1.3.6.1.4.1.12356.106.1.2482", "FortiSwitch-248D-FPOE v3.3.3,build4047,160219 (GA)", "fortiswitch"},
		// a FortiGate: same enterprise, no "FortiSwitch" in sysDescr
		{"1.3.6.1.4.1.12356.101.1.1001", "FortiGate-100F v7.2.5,build1517,230606 (GA)", "standard"},
	} {
		if got := all.Identify(c.oid, c.descr).Name; got != c.want {
			t.Errorf("%s %q: %s, want %s", c.oid, c.descr, got, c.want)
		}
	}
	if fortinet.FortiSwitch.Decode == nil || len(fortinet.FortiSwitch.Tested) == 0 {
		t.Errorf("profile %+v", fortinet.FortiSwitch)
	}
}

// TestMCLAGPeerOnICL: the trunks become LAGs with fsTrunkMember's members
// (whatever the trunks' ifType), the ICL is the peer link of an MC-LAG
// role, the MCLAG toward the FortiGate is multi-chassis, and the rows
// under a trunk's ifIndex are placed: the peer's two on the ICL trunk
// (two members: which one heard which row, LLDP-MIB does not say), the
// FortiGate's on port49 (the trunk's one member), with no "matches no
// lldpLocPortTable row" problem left.
func TestMCLAGPeerOnICL(t *testing.T) {
	for _, typ := range []int{161, 53} {
		s, probs := decode(t, mclagPeer("fsw-a", macA, macB, "S148FFTF23000002", typ))
		if s.Vendor != "fortiswitch" {
			t.Fatalf("ifType %d: vendor %q", typ, s.Vendor)
		}
		for name, want := range map[string][]string{"_FlInK1_ICL0_": {"port51", "port52"}, "_FlInK1_MLAG0_": {"port49"}, "srv01": {"port1"}} {
			l := vendortest.LAG(s, name)
			if l == nil || !slices.Equal(l.Members, want) || l.IfIndex == 0 {
				t.Errorf("ifType %d: %s = %+v, want members %v", typ, name, l, want)
				continue
			}
			if !vendortest.Contains(l.Evidence, "FORTINET-FORTISWITCH-MIB fsTrunkMember.0: "+name+": ") {
				t.Errorf("ifType %d: %s evidence %q", typ, name, l.Evidence)
			}
			if p := vendortest.Port(s, name); p == nil || p.Type != "lag" {
				t.Errorf("ifType %d: port %s = %+v, want type lag", typ, name, p)
			}
		}
		if l := vendortest.LAG(s, "_FlInK1_ICL0_"); !l.PeerLink || l.MLAG != "" {
			t.Errorf("ifType %d: ICL %+v, want the peer link", typ, l)
		}
		if l := vendortest.LAG(s, "_FlInK1_MLAG0_"); l.PeerLink || l.MLAG != "mc-lag" {
			t.Errorf("ifType %d: FortiLink MCLAG trunk %+v, want multi-chassis", typ, l)
		}
		if l := vendortest.LAG(s, "srv01"); l.PeerLink || l.MLAG != "" {
			t.Errorf("ifType %d: srv01 trunk %+v", typ, l)
		}
		if m := s.MLAG; m == nil || m.Kind != "mc-lag" || m.PeerLink != "_FlInK1_ICL0_" || !vendortest.Contains(m.Evidence, "MCLAG inter-chassis link") {
			t.Errorf("ifType %d: MLAG %+v", typ, m)
		}
		want := []string{"FG100FTK20000001@port49", "S148FFTF23000002@_FlInK1_ICL0_", "S148FFTF23000002@_FlInK1_ICL0_", "srv01@port1"}
		if got := placed(s); !slices.Equal(got, want) {
			t.Errorf("ifType %d: neighbours %v, want %v", typ, got, want)
		}
		for _, n := range s.Neighbours {
			if n.LocalPort == "_FlInK1_ICL0_" && !strings.Contains(n.Source, "which one heard it, LLDP-MIB does not say") {
				t.Errorf("source %q", n.Source)
			}
		}
		if len(probs) != 0 {
			t.Errorf("ifType %d: problems %q", typ, probs)
		}
	}
}

// TestMCLAGPeerWithoutLocPortTable: with no lldpLocPortTable at all (a case
// Checkmk's FortiSwitch section rebuilds from ifName), the local port
// numbers are read as ifIndexes and the rows land the same way.
func TestMCLAGPeerWithoutLocPortTable(t *testing.T) {
	var kept []string
	for _, l := range strings.Split(mclagPeer("fsw-a", macA, macB, "S148FFTF23000002", 161), "\n") {
		if !strings.HasPrefix(l, "1.0.8802.1.1.2.1.3.7.1.") {
			kept = append(kept, l)
		}
	}
	s, probs := decode(t, strings.Join(kept, "\n"))
	want := []string{"FG100FTK20000001@port49", "S148FFTF23000002@_FlInK1_ICL0_", "S148FFTF23000002@_FlInK1_ICL0_", "srv01@port1"}
	if got := placed(s); !slices.Equal(got, want) {
		t.Errorf("neighbours %v, want %v", got, want)
	}
	for _, p := range probs {
		if strings.Contains(p, "lldpRemLocalPortNum 53") || strings.Contains(p, "lldpRemLocalPortNum 54") {
			t.Errorf("problem left for a placed row: %q", p)
		}
	}
}

// TestWithoutFortinetDecoder: the same walk decoded with the standard MIBs
// alone leaves the peer and the FortiGate on no port and the trunks
// without members: what this package adds.
func TestWithoutFortinetDecoder(t *testing.T) {
	rec := strings.Replace(mclagPeer("fsw-a", macA, macB, "S148FFTF23000002", 161), sysOID, "1.3.6.1.4.1.99999.1", 1)
	s, probs := decode(t, rec)
	if s.Vendor == "fortiswitch" {
		t.Fatal("recognised without the enterprise")
	}
	if got := placed(s); !slices.Equal(got, []string{"FG100FTK20000001@", "S148FFTF23000002@", "S148FFTF23000002@", "srv01@port1"}) {
		t.Errorf("neighbours %v", got)
	}
	if !vendortest.Contains(probs, "lldpRemLocalPortNum 53 matches no lldpLocPortTable row") {
		t.Errorf("problems %q", probs)
	}
}

// TestMCLAGPairDomain: two FortiSwitches of a FortiLink MCLAG pair, each
// seeing the other only as an LLDP neighbour on its ICL: one MC-LAG domain
// (also when only one side's LLDP table names the other), the ICL an
// uplink between them, the host's bond slave on port1, and no host link
// on the ICL.
func TestMCLAGPairDomain(t *testing.T) {
	for _, both := range []bool{true, false} {
		a, _ := decode(t, mclagPeer("fsw-a", macA, macB, "fsw-b", 161))
		bRec := mclagPeer("fsw-b", macB, macA, "fsw-a", 161)
		if !both {
			bRec = walk("fsw-b", macB, 161, pairTrunks, pairMembers)
		}
		b, _ := decode(t, bRec)
		a.Name, b.Name = "fsw-a", "fsw-b"
		h := &topology.Host{Name: "srv01", NICs: []topology.NIC{{Name: "eno1", PermMAC: "52:54:00:00:01:00", Master: "bond0"}},
			Bonds: []topology.Bond{{Name: "bond0", Mode: topology.Mode8023AD, Slaves: []topology.Slave{{Name: "eno1", PermMAC: "52:54:00:00:01:00"}}}}}
		m, err := topology.Build([]*topology.Host{h}, []*topology.Switch{a, b}, topology.BuildOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Domains) != 1 || m.Domains[0].Kind != "mc-lag" || !slices.Equal(m.Domains[0].Switches, []string{"fsw-a", "fsw-b"}) {
			t.Fatalf("both=%v: domains %+v", both, m.Domains)
		}
		if ev := m.Domains[0].Evidence; !slices.Contains(ev, "fsw-a hears fsw-b over LLDP on its mc-lag peer link _FlInK1_ICL0_") {
			t.Errorf("both=%v: evidence %q", both, ev)
		}
		var up []string
		for _, u := range m.Uplinks {
			up = append(up, u.A+" "+u.APort+" - "+u.B+" "+u.BPort)
		}
		if !slices.Contains(up, "fsw-a _FlInK1_ICL0_ - fsw-b port51") || !slices.Contains(up, "fsw-a _FlInK1_ICL0_ - fsw-b port52") {
			t.Errorf("both=%v: uplinks %q", both, up)
		}
		if len(m.Links) != 1 || m.Links[0].Switch != "fsw-a" || m.Links[0].Port != "port1" {
			t.Errorf("both=%v: links %+v", both, m.Links)
		}
	}
}

// TestOrdinaryNeighbourOnTrunkIsNoPeer: an access switch heard the same
// way (rows under the ifIndex of a FortiLink auto-ISL trunk named after
// its serial, on the highest ports) is placed on that trunk but is no
// MCLAG peer: without an ICL the switch declares no MC-LAG role; with one,
// a switch heard on another trunk is not its peer.
func TestOrdinaryNeighbourOnTrunkIsNoPeer(t *testing.T) {
	access := walk("fsw-d", macD, 161, nil, "")
	cases := map[string]string{
		"no ICL": walk("fsw-c", macA, 161, []string{"8EF5920000001-0"}, "8EF5920000001-0: port51 port52 ::",
			rem(53, 1, macD, 5, "port49", "fsw-d"), rem(53, 2, macD, 5, "port50", "fsw-d")),
		"ICL to another": walk("fsw-c", macA, 161, []string{"_FlInK1_ICL0_", "8EF5920000001-0"}, "_FlInK1_ICL0_: port51 port52 ::8EF5920000001-0: port47 ::",
			rem(54, 1, macD, 5, "port49", "fsw-d")),
	}
	for name, rec := range cases {
		c, probs := decode(t, rec)
		d, _ := decode(t, access)
		c.Name, d.Name = "fsw-c", "fsw-d"
		wantPort := "8EF5920000001-0"
		if name == "ICL to another" {
			wantPort = "port47"
			if c.MLAG == nil {
				t.Errorf("%s: no MC-LAG role with an ICL", name)
			}
		} else if c.MLAG != nil {
			t.Errorf("%s: MLAG %+v", name, c.MLAG)
		}
		for _, n := range c.Neighbours {
			if n.LocalPort != wantPort {
				t.Errorf("%s: neighbour on %q, want %s (problems %q)", name, n.LocalPort, wantPort, probs)
			}
		}
		if l := vendortest.LAG(c, "8EF5920000001-0"); l == nil || l.PeerLink || l.MLAG != "" {
			t.Errorf("%s: auto-ISL trunk %+v", name, l)
		}
		m, err := topology.Build(nil, []*topology.Switch{c, d}, topology.BuildOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Domains) != 0 {
			t.Errorf("%s: domains %+v", name, m.Domains[0])
		}
		if len(m.Uplinks) == 0 {
			t.Errorf("%s: the access switch is not even a neighbour", name)
		}
	}
}

// TestTrunkMemberValue: fsTrunkMember entries the decoder cannot use say
// why: an entry without ports, a member that is no port, a trunk not in
// ifTable, and a value filling the MIB's 82 characters without a closing
// "::" (its last entry may be cut: left out).
func TestTrunkMemberValue(t *testing.T) {
	trunks := []string{"t1", "t2", "t3"}
	for _, c := range []struct {
		members string
		lags    map[string][]string
		problem string
	}{
		{"t1: port1 port2 ::t2 ::", map[string][]string{"t1": {"port1", "port2"}}, `entry "t2" is not "trunk: ports"`},
		{"t1: port1 port99 ::", map[string][]string{"t1": {"port1"}}, `trunk "t1" member "port99" is no port in ifTable`},
		{"t1: port1 ::gone: port3 ::", map[string][]string{"t1": {"port1"}}, `trunk "gone" is not in ifTable`},
		{"t1: port1 port2 port3 ::t2: port4 port5 port6 port7 ::t3: port8 port9 port10 port1", map[string][]string{"t1": {"port1", "port2", "port3"}, "t2": {"port4", "port5", "port6", "port7"}},
			"its last entry may be cut and is left out"},
		{"t1: port1 ::t2: port1 ::", map[string][]string{"t1": {"port1"}}, `"port1" is a member of "t1" and "t2"`},
	} {
		if strings.HasSuffix(c.members, "port1") && len(c.members) != 82 {
			t.Fatalf("test input: %d characters, want 82", len(c.members))
		}
		s, probs := decode(t, walk("fsw", macA, 53, trunks, c.members))
		for name, want := range c.lags {
			if l := vendortest.LAG(s, name); l == nil || !slices.Equal(l.Members, want) {
				t.Errorf("%q: %s = %+v, want %v", c.members, name, l, want)
			}
		}
		if !vendortest.Contains(probs, c.problem) {
			t.Errorf("%q: problems %q, want %q", c.members, probs, c.problem)
		}
	}
}

// FuzzDecode: any walk with a FortiSwitch sysObjectID and sysDescr
// decodes without panicking.
func FuzzDecode(f *testing.F) {
	f.Add(vendortest.Seed(mclagPeer("fsw-a", macA, macB, "fsw-b", 161), 2, 400))
	f.Add([]byte(trunkOID + "|4|a: b c ::d:: e: ::"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, _ := vendortest.Decode(vendortest.FuzzWalk(data, sysOID, sysDescr), "fuzz")
		if s == nil || s.Vendor != "fortiswitch" {
			t.Fatalf("not decoded as fortiswitch: %+v", s)
		}
	})
}
