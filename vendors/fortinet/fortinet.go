// Package fortinet is bondaudit's knowledge of Fortinet FortiSwitch
// (FortiSwitchOS, standalone or managed over FortiLink by a FortiGate):
// its trunks (LAGs) and the MCLAG peer it hears over LLDP on the ICL.
//
// Recognition: FortiSwitch sysObjectIDs are fsModel.<model>,
// 1.3.6.1.4.1.12356.106.1.N (FORTINET-FORTISWITCH-MIB, fnFortiSwitchMib =
// fortinet 106; librenms tests/snmpsim/fortiswitch.snmprec:
// .106.1.2482 = FortiSwitch-248D-FPOE), and its sysDescr, like
// fsSysVersion, starts with the model ("FortiSwitch-148F v7.2.5,build0453,
// 230511 (GA)"). FortiGate firewalls share enterprise 12356
// (.101.1.N), so the profile also requires "FortiSwitch" in sysDescr.
//
// Trunks: the FortiSwitch ifTable lists a trunk as an interface named like
// the trunk, but neither ifStackTable nor IEEE8023-LAG-MIB says which ports
// it holds. FORTINET-FORTISWITCH-MIB's one trunk object, fsTrunkMember
// (1.3.6.1.4.1.12356.106.3.1, a scalar DisplayString of at most 82
// characters), does: "<trunk>: <port> [<port>…] ::" repeated, e.g.
// "8EF5920000001-0: port23 ::8EPTQ21000003-0: port27 ::GT61FTK21000002:
// port24 ::" (FortiSwitchOS 7.6.6, FS-124E-FPOE, as quoted by a public
// FortiSwitch SNMP integration), several members separated by spaces (as
// Checkmk's FortiSwitch LLDP section splits them). This package makes each
// named trunk a LAG with those members.
//
// Trunk names: FortiLink names the trunks it creates itself. Toward a
// switch found by auto-ISL the trunk is named after the peer's serial
// number ("8DF4K17000028-0"), left-cut to 15 characters; a FortiGate-managed
// MCLAG pair's inter-chassis link is "_FlInK1_ICL0_" (members like "port47"
// "port48"), the pair's MCLAG toward the tier above "_FlInK1_MLAG0_", and a
// FortiLink over layer 3 "__FoRtILnk0L3__" (Fortinet's FortiLink cookbook
// and FortiSwitch configurations published with "show switch trunk").
// Whether a trunk is an ICL ("set mclag-icl enable") is not in any MIB, so
// only the reserved ICL name makes a trunk the peer link: a switch with one
// declares an MC-LAG role (Switch.MLAG, kind mc-lag) with that trunk as its
// peer link. An ICL an operator named otherwise, or an auto-ISL trunk made
// an ICL by hand, is a LAG like any other.
//
// LLDP: FortiSwitch implements LLDP-MIB. A neighbour heard on a trunk's
// member can carry the trunk's ifIndex as lldpRemLocalPortNum, a number
// lldpLocPortTable does not list (Checkmk's FortiSwitch LLDP section moves
// such rows onto the trunk's members). Such a row is placed on the trunk's
// one member when it has one, on the trunk otherwise: LLDP-MIB does not say
// which member heard it, and no member is guessed. The standard decoder's
// "matches no lldpLocPortTable row" problem is then withdrawn.
//
// Tested on hand-written walks only (no public FortiSwitch recording with
// LLDP or trunk rows was found; the librenms one has sysObjectID and
// fsSystemInfo only): see the test file's header for the sources of their
// layout.
//
// Like vendors, it does no I/O and imports only vendors and topology.
package fortinet

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

// FORTINET-FORTISWITCH-MIB.
const (
	oidTrunkMemPrefix = "1.3.6.1.4.1.12356.106.3"   // fsTrunkMemPrefix
	oidTrunkMember    = oidTrunkMemPrefix + ".1"    // fsTrunkMember (scalar, .0)
	mib               = "FORTINET-FORTISWITCH-MIB " // evidence prefix
	lldpRem           = "LLDP-MIB lldpRemTable."    // the standard decoder's neighbour source
	oidLldpRemEntry   = "1.0.8802.1.1.2.1.4.1.1"    // its problems' prefix
	maxTrunkMember    = 82                          // fsTrunkMember SIZE(0..82)
)

// FortiSwitch is Fortinet FortiSwitchOS.
var FortiSwitch = vendors.Profile{
	Name:        "fortiswitch",
	Enterprises: []int{12356},
	DescrAny:    []string{"FortiSwitch"},
	OIDs:        []string{oidTrunkMemPrefix},
	Columns:     []string{oidTrunkMember},
	Decode:      decode,
	Tested: []string{
		"fsTrunkMember trunks, FortiLink MCLAG ICL (_FlInK1_ICL0_) and the peer heard over LLDP on it, an auto-ISL trunk's neighbour that is no peer: hand-written walks only",
		"layout from FORTINET-FORTISWITCH-MIB (librenms mibs/fortinet), the fsTrunkMember value quoted from FortiSwitchOS 7.6.6 (FS-124E-FPOE) by a public FortiSwitch SNMP integration, Checkmk's FortiSwitch LLDP section (rows under a trunk's ifIndex), FortiLink trunk names from Fortinet's FortiLink cookbook and published 'show switch trunk' output",
		"librenms fortiswitch (FortiSwitch-248D-FPOE v3.3.3, real): sysObjectID and fsSystemInfo only, no interface, trunk or LLDP rows",
	},
}

var (
	iclName  = regexp.MustCompile(`(?i)^_flink\d+_icl\d+_$`)
	mlagName = regexp.MustCompile(`(?i)^_flink\d+_mlag\d+_$`)
)

type trunk struct {
	name    string
	members []string
}

// parseTrunkMember splits fsTrunkMember's value into trunks. cut reports
// that the value fills the MIB's 82 characters without ending in "::": its
// last entry may have lost characters and is left out.
func parseTrunkMember(v string) (ts []trunk, bad []string, cut bool) {
	v = strings.TrimSpace(v)
	chunks := strings.Split(v, "::")
	if last := len(chunks) - 1; strings.TrimSpace(chunks[last]) != "" && len(v) >= maxTrunkMember {
		chunks, cut = chunks[:last], true
	}
	for _, c := range chunks {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		name, ports, ok := strings.Cut(c, ":")
		name = strings.TrimSpace(name)
		members := strings.Fields(ports)
		if !ok || name == "" || len(members) == 0 {
			bad = append(bad, c)
			continue
		}
		ts = append(ts, trunk{name, members})
	}
	return ts, bad, cut
}

func decode(w *vendors.Walk, s *topology.Switch, problems *[]topology.Problem) {
	var r vendors.Row
	found := false
	for _, row := range w.Rows(oidTrunkMember) {
		r, found = row, true
		break
	}
	if !found {
		return
	}
	ts, bad, cut := parseTrunkMember(r.Value.Text())
	for _, b := range bad {
		vendors.AddProblem(problems, r.Line, mib+"fsTrunkMember.%s: entry %q is not \"trunk: ports\": skipped", r.Index, b)
	}
	if cut {
		vendors.AddProblem(problems, r.Line, mib+"fsTrunkMember.%s fills the MIB's %d characters without a closing \"::\": its last entry may be cut and is left out", r.Index, maxTrunkMember)
	}
	port := map[string]int{} // name -> index in s.Ports
	for i := range s.Ports {
		if _, dup := port[s.Ports[i].Name]; !dup {
			port[s.Ports[i].Name] = i
		}
	}
	memberOf := map[string]string{}
	for _, l := range s.LAGs {
		for _, m := range l.Members {
			memberOf[m] = l.Name
		}
	}
	byIf := map[int]int{} // trunk ifIndex -> index in s.LAGs
	for _, t := range ts {
		pi, ok := port[t.name]
		if !ok {
			vendors.AddProblem(problems, r.Line, mib+"fsTrunkMember: trunk %q is not in ifTable (FortiSwitchOS drops a trunk's interface while it is down): no LAG recorded for members %s", t.name, strings.Join(t.members, " "))
			continue
		}
		var members []string
		for _, m := range t.members {
			mi, ok := port[m]
			switch {
			case !ok || s.Ports[mi].Type == "lag":
				vendors.AddProblem(problems, r.Line, mib+"fsTrunkMember: trunk %q member %q is no port in ifTable: left out", t.name, m)
			case memberOf[m] != "" && memberOf[m] != t.name:
				vendors.AddProblem(problems, r.Line, mib+"fsTrunkMember: %q is a member of %q and %q: left in %q", m, memberOf[m], t.name, memberOf[m])
			default:
				members = append(members, m)
				memberOf[m] = t.name
			}
		}
		ev := fmt.Sprintf(mib+"fsTrunkMember.%s: %s: %s", r.Index, t.name, strings.Join(t.members, " "))
		li := slices.IndexFunc(s.LAGs, func(l topology.LAG) bool { return l.Name == t.name })
		if li < 0 {
			p := &s.Ports[pi]
			p.Type = "lag"
			s.LAGs = append(s.LAGs, topology.LAG{Name: p.Name, IfIndex: p.IfIndex, Kind: topology.LAGUnknown, Oper: p.Oper})
			li = len(s.LAGs) - 1
		}
		l := &s.LAGs[li]
		switch {
		case len(l.Members) == 0:
			l.Members = members
		case !slices.Equal(l.Members, members):
			vendors.AddProblem(problems, r.Line, mib+"fsTrunkMember says %s holds %s, the standard MIBs %s: the standard MIBs kept", t.name, strings.Join(members, " "), strings.Join(l.Members, " "))
		}
		l.Evidence = append(l.Evidence, ev)
		if l.IfIndex != 0 {
			byIf[l.IfIndex] = li
		}
		switch {
		case iclName.MatchString(t.name):
			l.PeerLink = true
			if s.MLAG == nil {
				s.MLAG = &topology.MLAG{Kind: "mc-lag", PeerLink: l.Name}
			}
			s.MLAG.Evidence = append(s.MLAG.Evidence, ev+" (FortiLink's name for an MCLAG inter-chassis link)")
		case mlagName.MatchString(t.name):
			l.MLAG = "mc-lag"
		}
	}
	placeOnTrunks(s, byIf, problems)
}

// placeOnTrunks places the LLDP-MIB neighbours whose lldpRemLocalPortNum is
// a trunk's ifIndex: on its one member, or on the trunk when it has
// several (which member heard the row, LLDP-MIB does not say).
func placeOnTrunks(s *topology.Switch, byIf map[int]int, problems *[]topology.Problem) {
	placed := map[string]bool{}
	for i := range s.Neighbours {
		n := &s.Neighbours[i]
		idx, ok := strings.CutPrefix(n.Source, lldpRem)
		if !ok {
			continue
		}
		ix, ok := vendors.IndexInts(idx)
		if !ok || len(ix) != 3 {
			continue
		}
		li, ok := byIf[int(ix[1])]
		if !ok {
			continue
		}
		l := &s.LAGs[li]
		if n.LocalPort != "" && !topology.SamePort(n.LocalPort, l.Name) {
			continue // lldpLocPortTable named another port for this number
		}
		switch len(l.Members) {
		case 1:
			n.LocalPort = l.Members[0]
			n.Source += fmt.Sprintf(" on %s: lldpRemLocalPortNum %d is trunk %s's ifIndex, its one member (fsTrunkMember)", n.LocalPort, ix[1], l.Name)
		default:
			n.LocalPort = l.Name
			n.Source += fmt.Sprintf(" on trunk %s: lldpRemLocalPortNum %d is its ifIndex (members %s; which one heard it, LLDP-MIB does not say)", l.Name, ix[1], cmp.Or(strings.Join(l.Members, " "), "none named"))
		}
		placed[idx] = true
	}
	if len(placed) == 0 {
		return
	}
	*problems = slices.DeleteFunc(*problems, func(p topology.Problem) bool {
		rest, ok := strings.CutPrefix(p.What, oidLldpRemEntry+".")
		if !ok {
			return false
		}
		idx, note, ok := strings.Cut(rest, ": ")
		return ok && placed[idx] && strings.HasPrefix(note, "lldpRemLocalPortNum "+strconv.Itoa(trunkNum(idx))+" ")
	})
	slices.SortStableFunc(s.Neighbours, func(a, b topology.Neighbour) int {
		return cmp.Or(cmp.Compare(a.LocalPort, b.LocalPort), cmp.Compare(a.ChassisID, b.ChassisID), cmp.Compare(a.PortID, b.PortID))
	})
}

// trunkNum is the local port number part of a timeMark.localPortNum.index
// remote row index.
func trunkNum(idx string) int {
	ix, _ := vendors.IndexInts(idx)
	if len(ix) != 3 {
		return -1
	}
	return int(ix[1])
}
