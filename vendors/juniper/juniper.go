// Package juniper is bondaudit's knowledge of Juniper Junos switches: what the standard
// MIBs miss or get wrong on them, decoded from their vendor MIBs.
//
// What Junos does differently, as seen in the recordings (librenms
// junos_ex4600mp, junos_mx5t-isis, junos_qfx5100):
//
//   - Aggregated Ethernet (aeN) is ifType ieee8023adLag, but its members are
//     not stacked under it in ifStackTable. Junos stacks the bundle's
//     logical unit over the members' logical units instead: ae0.0 over
//     et-0/2/0.0 and et-1/2/0.0, each of which is stacked over its physical
//     port (et-0/2/0.0 over et-0/2/0). The standard decoder only reads
//     aggregate -> physical rows, so it sees ae0 without members; this
//     decoder follows aeN -> aeN.U -> member.U -> member.
//   - Where Junos fills IEEE8023-LAG-MIB, dot3adAggPortTable rows may be
//     indexed by a member's logical unit (xe-0/0/0.0) and point at the
//     bundle or one of its units; such rows are mapped to the physical port
//     and the aeN interface.
//   - Q-BRIDGE-MIB dot1qVlanStaticEgressPorts/UntaggedPorts (and the
//     current-table columns) are not PortList bitmaps on Junos but text:
//     comma-separated dot1dBasePort numbers ("0,4097,4099"). The standard
//     decoder reads the text as a bitmap and assigns VLANs to the wrong
//     ports; this decoder rereads it.
//   - LLDP: lldpRemLocalPortNum is the lldpLocPortNum, which in every Junos
//     recording equals the ifIndex; lldpLocPortId is either the interface
//     name (MX 19.4) or the ifIndex as text (QFX 14.1, EX4600), without an
//     lldpLocPortIdSubtype column. The standard decoder already joins both
//     forms to the right interface (name first, then lldpLocPortNum as
//     ifIndex), so there is nothing to fix there.
//   - MC-LAG (ICCP, mc-ae) has no MIB in the librenms set (OIDS.md "Gaps"),
//     so this decoder never sets Switch.MLAG or LAG.MLAG: multi-chassis
//     bundles on Junos can only be recognised across switches (a shared
//     LACP system ID), not from one walk.
//
// Like vendors, it does no I/O and imports only vendors and topology.
package juniper

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

// Junos is Juniper Junos (EX, QFX, MX).
var Junos = vendors.Profile{
	Name:        "junos",
	Enterprises: []int{2636},
	Decode:      decode,
	Tested: []string{
		"librenms junos_ex4600mp (EX4600 virtual chassis: ae0 members via unit stacking, text VLAN port lists)",
		"librenms junos_qfx5100 (QFX5100 JUNOS 14.1X53: no ae, text VLAN port lists, LLDP port id = ifIndex)",
		"librenms junos_mx5t-isis (MX5-T JUNOS 19.4: no ae, LLDP port id = name)",
		"IEEE8023-LAG-MIB rows on logical units: hand-written walks only (no recording has them)",
		"MC-LAG: no MIB, not decoded",
	},
}

const (
	oidAggPortEntry   = "1.2.840.10006.300.43.1.2.1.1"
	oidBasePortIfIdx  = "1.3.6.1.2.1.17.1.4.1.2"
	oidCurEgress      = "1.3.6.1.2.1.17.7.1.4.2.1.4"
	oidCurUntagged    = "1.3.6.1.2.1.17.7.1.4.2.1.5"
	oidStaticEgress   = "1.3.6.1.2.1.17.7.1.4.3.1.2"
	oidStaticUntagged = "1.3.6.1.2.1.17.7.1.4.3.1.4"
)

// sw indexes a decoded switch for the fix-ups.
type sw struct {
	s      *topology.Switch
	byIf   map[int]*topology.Port
	byName map[string]int  // exact ifName -> ifIndex
	stack  map[int][]int   // ifStack higher -> lowers (active rows only)
	under  map[[2]int]bool // active (higher, lower) pairs
	lagIdx map[int]int     // LAG ifIndex -> index into s.LAGs
	rowOf  map[int]int     // physical port -> the dot3adAggPortTable row (a unit) describing it
}

func index(w *vendors.Walk, s *topology.Switch) *sw {
	x := &sw{s: s, byIf: map[int]*topology.Port{}, byName: map[string]int{}, stack: map[int][]int{}, under: map[[2]int]bool{}, lagIdx: map[int]int{}, rowOf: map[int]int{}}
	for i := range s.Ports {
		p := &s.Ports[i]
		x.byIf[p.IfIndex] = p
		if _, dup := x.byName[p.Name]; !dup && p.Name != "" {
			x.byName[p.Name] = p.IfIndex
		}
	}
	for i, l := range s.LAGs {
		if l.IfIndex != 0 {
			x.lagIdx[l.IfIndex] = i
		}
	}
	for _, hl := range w.ActiveStack() {
		hi, lo := hl[0], hl[1]
		if !x.under[[2]int{hi, lo}] {
			x.under[[2]int{hi, lo}] = true
			x.stack[hi] = append(x.stack[hi], lo)
		}
	}
	for hi := range x.stack {
		slices.Sort(x.stack[hi])
	}
	return x
}

func (x *sw) name(ifx int) string {
	if p := x.byIf[ifx]; p != nil {
		return p.Name
	}
	return "ifIndex" + strconv.Itoa(ifx)
}

// unitOf returns the ifIndex of the interface a Junos logical unit
// ("xe-0/0/0.0") belongs to, when the name has that form and the parent is
// in the walk; 0 otherwise.
func (x *sw) unitOf(ifx int) int {
	p := x.byIf[ifx]
	if p == nil {
		return 0
	}
	base, unit, ok := strings.Cut(p.Name, ".")
	if !ok || base == "" || unit == "" || strings.Contains(unit, ".") {
		return 0
	}
	if _, err := strconv.Atoi(unit); err != nil {
		return 0
	}
	parent, ok := x.byName[base]
	if !ok || parent == ifx {
		return 0
	}
	return parent
}

// physicalOf returns the physical (ethernet) port behind a member
// reference: the port itself, or the parent of a logical unit. The
// evidence says how the unit was tied to the port.
func (x *sw) physicalOf(ifx int) (int, string) {
	p := x.byIf[ifx]
	if p == nil {
		return 0, ""
	}
	if p.Type == "ethernet" {
		return ifx, ""
	}
	parent := x.unitOf(ifx)
	if parent == 0 || x.byIf[parent].Type != "ethernet" {
		return 0, ""
	}
	if x.under[[2]int{ifx, parent}] {
		return parent, fmt.Sprintf("IF-MIB ifStackStatus.%d.%d = active (%s is a unit of %s)", ifx, parent, p.Name, x.byIf[parent].Name)
	}
	return parent, fmt.Sprintf("ifName %s is logical unit %s of %s", p.Name, p.Name[strings.IndexByte(p.Name, '.')+1:], x.byIf[parent].Name)
}

// lagOf returns the LAG an aggregator reference names: the aeN interface
// itself or one of its logical units.
func (x *sw) lagOf(ifx int) (int, bool) {
	if i, ok := x.lagIdx[ifx]; ok {
		return i, true
	}
	if parent := x.unitOf(ifx); parent != 0 {
		if i, ok := x.lagIdx[parent]; ok {
			return i, true
		}
	}
	return 0, false
}

func decode(w *vendors.Walk, s *topology.Switch, problems *[]topology.Problem) {
	x := index(w, s)
	added := map[int]bool{} // LAGs whose membership this decoder changed
	x.unitStacking(added)
	x.lagMIB(w, added)
	for i := range s.LAGs {
		if added[i] {
			slices.Sort(s.LAGs[i].Members)
			x.rekind(i)
		}
	}
	x.vlans(w, problems)
}

func (x *sw) addMember(li int, member string, ev ...string) bool {
	l := &x.s.LAGs[li]
	if member == "" || member == l.Name || slices.Contains(l.Members, member) {
		return false
	}
	l.Members = append(l.Members, member)
	for _, e := range ev {
		if e != "" {
			l.Evidence = append(l.Evidence, e)
		}
	}
	return true
}

// unitStacking adds the members Junos shows as aeN.U over member.U.
func (x *sw) unitStacking(added map[int]bool) {
	var units []int
	for ifx := range x.byIf {
		if parent := x.unitOf(ifx); parent != 0 {
			if _, ok := x.lagIdx[parent]; ok {
				units = append(units, ifx)
			}
		}
	}
	slices.Sort(units)
	for _, u := range units {
		li := x.lagIdx[x.unitOf(u)]
		for _, lo := range x.stack[u] {
			phys, how := x.physicalOf(lo)
			if phys == 0 {
				continue
			}
			ev := fmt.Sprintf("IF-MIB ifStackStatus.%d.%d = active (%s under %s, a unit of %s)", u, lo, x.name(lo), x.name(u), x.s.LAGs[li].Name)
			if how != "" {
				ev += "; " + how
			}
			if x.addMember(li, x.name(phys), ev) {
				added[li] = true
			}
		}
	}
}

type aggPort struct {
	selected, attached int
	actor, partner     topology.LACPState
	haveActor          bool
	partnerSys         string
	individual         bool
	line               int
}

// lagMIB maps IEEE8023-LAG-MIB rows that name logical units (the member's
// unit as the row index, or a unit of aeN as the aggregator) to ports and
// bundles, and moves the LACP state the standard decoder put on a unit to
// its physical port.
func (x *sw) lagMIB(w *vendors.Walk, added map[int]bool) {
	rows := map[int]*aggPort{}
	col := func(c int, f func(a *aggPort, v vendors.Value)) {
		for _, r := range w.Rows(oidAggPortEntry + "." + strconv.Itoa(c)) {
			i, err := strconv.Atoi(r.Index)
			if err != nil || i <= 0 {
				continue
			}
			a := rows[i]
			if a == nil {
				a = &aggPort{line: r.Line}
				rows[i] = a
			}
			f(a, r.Value)
		}
	}
	num := func(v vendors.Value) int {
		n, ok := v.Number()
		if !ok || n < 0 || n > 1<<31 {
			return 0
		}
		return int(n)
	}
	bits := func(v vendors.Value) (topology.LACPState, bool) {
		if v.Kind == vendors.KindOctetString && len(v.Bytes) >= 1 {
			return lacpBits(v.Bytes[0]), true
		}
		if n, ok := v.Number(); ok && n >= 0 && n < 256 {
			return lacpBits(byte(n)), true
		}
		return 0, false
	}
	col(9, func(a *aggPort, v vendors.Value) {
		if len(v.Bytes) == 6 {
			a.partnerSys = vendors.HexString(v.Bytes)
		}
	})
	col(12, func(a *aggPort, v vendors.Value) { a.selected = num(v) })
	col(13, func(a *aggPort, v vendors.Value) { a.attached = num(v) })
	col(21, func(a *aggPort, v vendors.Value) { a.actor, a.haveActor = bits(v) })
	col(23, func(a *aggPort, v vendors.Value) { a.partner, _ = bits(v) })
	col(24, func(a *aggPort, v vendors.Value) { a.individual = num(v) == 2 })

	for _, i := range slices.Sorted(maps.Keys(rows)) {
		a := rows[i]
		agg, column := a.attached, "dot3adAggPortAttachedAggID"
		if agg == 0 {
			agg, column = a.selected, "dot3adAggPortSelectedAggID"
		}
		phys, how := x.physicalOf(i)
		if phys == 0 {
			continue
		}
		li, isLAG := x.lagOf(agg)
		if agg == 0 || !isLAG {
			li = -1
		}
		if phys != i || (li >= 0 && x.s.LAGs[li].IfIndex != agg) {
			// A row the standard decoder could not place (or placed on the
			// unit): name the physical port and the aeN bundle.
			if li >= 0 {
				l := &x.s.LAGs[li]
				ev := fmt.Sprintf("IEEE8023-LAG-MIB %s.%d = %d (%s in %s)", column, i, agg, x.name(i), x.name(agg))
				if how != "" {
					ev += "; " + how
				}
				if unit := x.name(i); phys != i && slices.Contains(l.Members, unit) {
					// the standard decoder listed the unit itself
					l.Members = slices.DeleteFunc(l.Members, func(m string) bool { return m == unit })
					added[li] = true
				}
				if x.addMember(li, x.name(phys), ev) {
					added[li] = true
				}
			}
			x.moveLACP(i, phys, a, li)
		}
	}
}

// moveLACP gives the physical port the LACP state of its unit's row (the
// first unit's, when several units of one port have rows) and recomputes
// the member status against the physical port.
func (x *sw) moveLACP(unit, phys int, a *aggPort, li int) {
	p := x.byIf[phys]
	if p == nil {
		return
	}
	var pl topology.PortLACP
	if unit != phys {
		u := x.byIf[unit]
		if u == nil || u.LACP == nil {
			return
		}
		pl = *u.LACP
		u.LACP = nil
		if p.LACP != nil {
			return // an earlier unit's row already describes the port
		}
		pl.Evidence = append(slices.Clone(pl.Evidence), fmt.Sprintf("LACP state of logical unit %s applied to its port %s", x.name(unit), p.Name))
		x.rowOf[phys] = unit
	} else {
		if p.LACP == nil {
			return
		}
		pl = *p.LACP
	}
	if li >= 0 {
		pl.Status = vendors.MemberStatus(p, a.actor, a.haveActor, a.selected, a.attached, a.individual)
	}
	p.LACP = &pl
}

// lacpBits converts a LacpState BITS octet (bit 0 = MSB) to LACPDU order.
func lacpBits(b byte) topology.LACPState {
	var out topology.LACPState
	for i := 0; i < 8; i++ {
		if b&(0x80>>i) != 0 {
			out |= 1 << i
		}
	}
	return out
}

// rekind decides the kind of a LAG whose members this decoder found, from
// the members' LACP state, as the standard decoder does: LACP when a member
// runs it (activity or a partner heard), otherwise left as it was.
func (x *sw) rekind(li int) {
	l := &x.s.LAGs[li]
	if l.Kind == topology.LAGLACP {
		return
	}
	for _, m := range l.Members {
		ifx, ok := x.byName[m]
		if !ok {
			continue
		}
		p := x.byIf[ifx]
		if p.LACP == nil || p.LACP.Actor == nil || !p.LACP.Actor.StateKnown {
			continue
		}
		partner := ""
		if p.LACP.Partner != nil {
			partner = p.LACP.Partner.System
		}
		if p.LACP.Actor.State&topology.LACPActivity != 0 || partner != "" && partner != topology.ZeroMAC {
			l.Kind = topology.LAGLACP
			row := ifx
			if r, ok := x.rowOf[ifx]; ok {
				row = r
			}
			l.Evidence = append(l.Evidence, fmt.Sprintf("IEEE8023-LAG-MIB dot3adAggPortActorOperState.%d = %d, partner %s: LACP runs on %s", row, p.LACP.Actor.State, cmp.Or(partner, "none"), m))
			if l.ActorSystem == "" {
				l.ActorSystem, l.ActorKey = p.LACP.Actor.System, p.LACP.Actor.Key
			}
			break
		}
	}
	if l.Kind == topology.LAGLACP {
		for _, m := range l.Members {
			if p := x.byIf[x.byName[m]]; p != nil && p.LACP != nil && p.LACP.Actor != nil && p.LACP.Actor.StateKnown {
				if p.LACP.Actor.State&topology.LACPActivity != 0 {
					p.LACP.Mode = "active"
				} else {
					p.LACP.Mode = "passive"
				}
			}
		}
	}
}

// vlanList parses a Junos port list: comma-separated dot1dBasePort numbers.
func vlanList(b []byte) ([]int, bool) {
	s := strings.TrimRight(string(b), "\x00 ")
	if s == "" {
		return nil, true
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f == "" || len(f) > 9 {
			return nil, false
		}
		for _, c := range f {
			if c < '0' || c > '9' {
				return nil, false
			}
		}
		n, _ := strconv.Atoi(f)
		out = append(out, n)
	}
	return out, true
}

type vlanRow struct {
	vlan int
	val  []byte
	line int
	oid  string
}

// vlans rereads Q-BRIDGE-MIB VLAN port lists that Junos returns as text.
func (x *sw) vlans(w *vendors.Walk, problems *[]topology.Problem) {
	read := func(col string, idxLen int) []vlanRow {
		var out []vlanRow
		for _, r := range w.Rows(col) {
			ix, ok := vendors.IndexInts(r.Index)
			if !ok || len(ix) != idxLen || ix[idxLen-1] <= 0 || ix[idxLen-1] > 4094 {
				continue
			}
			out = append(out, vlanRow{vlan: int(ix[idxLen-1]), val: r.Value.Bytes, line: r.Line, oid: col + "." + r.Index})
		}
		return out
	}
	egress, untagged := read(oidCurEgress, 2), read(oidCurUntagged, 2)
	egName, unName := "dot1qVlanCurrentEgressPorts", "dot1qVlanCurrentUntaggedPorts"
	if len(egress) == 0 {
		egress, untagged = read(oidStaticEgress, 1), read(oidStaticUntagged, 1)
		egName, unName = "dot1qVlanStaticEgressPorts", "dot1qVlanStaticUntaggedPorts"
	}
	if len(egress) == 0 {
		return
	}
	// Text lists, not bitmaps: every value is digits and commas, and some
	// value has a comma or names a port beyond what its length could hold
	// as a bitmap.
	text := false
	for _, rows := range [][]vlanRow{egress, untagged} {
		for _, r := range rows {
			ns, ok := vlanList(r.val)
			if !ok {
				return
			}
			for _, n := range ns {
				if n > 8*len(r.val) {
					text = true
				}
			}
			if strings.Contains(string(r.val), ",") {
				text = true
			}
		}
	}
	if !text {
		return
	}
	basePort := map[int]int{}
	for _, r := range w.Rows(oidBasePortIfIdx) {
		bp, err := strconv.Atoi(r.Index)
		if n, ok := r.Value.Number(); err == nil && ok && n > 0 && n < 1<<31 {
			basePort[bp] = int(n)
		}
	}
	// What the standard decoder read from these values as bitmaps is wrong.
	for i := range x.s.Ports {
		x.s.Ports[i].Tagged, x.s.Ports[i].Untagged = nil, nil
	}
	un := map[[2]int]bool{}
	for _, r := range untagged {
		ns, _ := vlanList(r.val)
		for _, bp := range ns {
			un[[2]int{r.vlan, bp}] = true
		}
	}
	filled := false
	unmapped := map[string][]string{}
	for _, r := range egress {
		ns, _ := vlanList(r.val)
		for _, bp := range ns {
			if bp == 0 {
				continue // Junos lists a base port 0 that is no interface
			}
			p := x.byIf[basePort[bp]]
			if p == nil {
				key := fmt.Sprintf("line %d: %s.%d", r.line, egName, r.vlan)
				unmapped[key] = append(unmapped[key], strconv.Itoa(bp))
				continue
			}
			if un[[2]int{r.vlan, bp}] {
				if !slices.Contains(p.Untagged, r.vlan) {
					p.Untagged = append(p.Untagged, r.vlan)
				}
			} else if !slices.Contains(p.Tagged, r.vlan) {
				p.Tagged = append(p.Tagged, r.vlan)
			}
			filled = true
		}
	}
	for i := range x.s.Ports {
		slices.Sort(x.s.Ports[i].Tagged)
		slices.Sort(x.s.Ports[i].Untagged)
	}
	keys := make([]string, 0, len(unmapped))
	for k := range unmapped {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		vendors.AddProblem(problems, 0, "%s (Junos text port list, %s alike) names dot1dBasePort %s, which dot1dBasePortIfIndex does not map to an interface", k, unName, strings.Join(unmapped[k], ","))
	}
	x.s.VLANsKnown = filled
	if filled {
		x.s.VLANSource = "Q-BRIDGE-MIB"
	}
}
