// Package linux is bondaudit's knowledge of Linux-based (Cumulus Linux, SONiC) switches: what the standard
// MIBs miss or get wrong on them, decoded from their vendor MIBs.
//
// On these switches a bond (Cumulus) or PortChannel (SONiC) is a Linux
// bonding/team device, which net-snmp and the SONiC agent may report as
// ifType ethernetCsmacd rather than ieee8023adLag. The standard decoder then
// takes the bond for a port: it neither lists it as a LAG nor accepts
// IEEE8023-LAG-MIB rows that attach ports to it. This package corrects that
// from what the walk proves:
//
//   - an interface with a dot3adAggTable row (dot3adAggIndex is the
//     aggregator's ifIndex) to which dot3adAggPortAttachedAggID (or
//     SelectedAggID) attaches ports is an aggregator: it becomes a LAG with
//     those ports as members, LACP or static by the members' LACP state as
//     the standard decoder judges it;
//   - on SONiC, whose configuration requires PortChannel names to start with
//     "PortChannel", an interface named PortChannelN with ports stacked under
//     it in ifStackTable is a LAG with those members.
//
// MLAG: Cumulus CLAG/MLAG and SONiC MCLAG have no MIB (OIDS.md "Gaps"); a
// multi-chassis bond shows only as one LACP system ID sent by two switches,
// which topology sees across walks. This package never sets Switch.MLAG or
// LAG.MLAG.
//
// Recordings: none is Cumulus (no sysObjectID under 1.3.6.1.4.1.40310, no
// "Cumulus" sysDescr in the shared fixtures). The one SONiC recording
// (librenms dell-sonic, Dell Enterprise SONiC 4.4.1) has sysObjectID
// 1.3.6.1.4.1.4413.1.2.1.2.34, which vendors' recognition list gives to the
// ubiquiti profile (enterprise 4413) before the sonic one (8072 + "SONiC"),
// so this decoder does not run on it; it has no PortChannel, no
// ifStackTable and no IEEE8023-LAG-MIB rows anyway. Everything here is tested
// on hand-written walks.
//
// Like vendors, it does no I/O and imports only vendors and topology.
package linux

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

// Cumulus is NVIDIA Cumulus Linux, with CLAG/MLAG.
var Cumulus = vendors.Profile{
	Name:        "cumulus",
	Enterprises: []int{40310},
	Decode:      decodeCumulus,
	Tested: []string{
		"Cumulus: no recording in the shared fixtures; untested on real data",
		"bonds reported as ethernetCsmacd with IEEE8023-LAG-MIB rows: hand-written walks only",
	},
}

// SONiC is SONiC (community and Dell Enterprise SONiC), with MC-LAG. It
// runs on hardware of many vendors and keeps their sysObjectID (Dell: 674
// or Broadcom's 4413): its sysDescr decides, so vendors/all tries it first.
var SONiC = vendors.Profile{
	Name:        "sonic",
	Enterprises: []int{8072, 4413, 674, 6027, 30065, 33049},
	DescrAny:    []string{"SONiC"},
	Decode:      decodeSONiC,
	Tested: []string{
		"librenms dell-sonic (Dell Enterprise SONiC 4.4.1) is recognised as ubiquiti (sysObjectID enterprise 4413), not sonic; it has no PortChannel: nothing to decode",
		"PortChannelN by name + ifStackTable, IEEE8023-LAG-MIB on ethernetCsmacd PortChannels: hand-written walks only",
	},
}

const (
	oidAggEntry     = "1.2.840.10006.300.43.1.1.1.1"
	oidAggPortEntry = "1.2.840.10006.300.43.1.2.1.1"
)

var portChannel = regexp.MustCompile(`^PortChannel\d{1,6}$`)

func decodeCumulus(w *vendors.Walk, s *topology.Switch, problems *[]topology.Problem) {
	v := newView(s)
	v.aggregators(w)
	v.finish()
}

func decodeSONiC(w *vendors.Walk, s *topology.Switch, problems *[]topology.Problem) {
	v := newView(s)
	v.aggregators(w)
	v.named(w, portChannel, "SONiC PortChannel")
	v.finish()
}

type view struct {
	s      *topology.Switch
	byIf   map[int]*topology.Port
	byName map[string][]*topology.Port
	lag    map[int]int // LAG ifIndex -> index into s.LAGs
	change bool
}

func newView(s *topology.Switch) *view {
	v := &view{s: s, byIf: map[int]*topology.Port{}, byName: map[string][]*topology.Port{}, lag: map[int]int{}}
	for i := range s.Ports {
		p := &s.Ports[i]
		v.byIf[p.IfIndex] = p
		v.byName[p.Name] = append(v.byName[p.Name], p)
	}
	for i := range s.LAGs {
		if s.LAGs[i].IfIndex != 0 {
			v.lag[s.LAGs[i].IfIndex] = i
		}
	}
	return v
}

func (v *view) finish() {
	if !v.change {
		return
	}
	for i := range v.s.LAGs {
		slices.Sort(v.s.LAGs[i].Members)
	}
	slices.SortFunc(v.s.LAGs, func(a, b topology.LAG) int { return strings.Compare(a.Name, b.Name) })
}

// makeLAG turns a port the walk proves to be an aggregate into a LAG.
func (v *view) makeLAG(ifx int, ev string) int {
	p := v.byIf[ifx]
	li, made := vendors.MakeLAG(v.s, v.lag, p, ifx, ev)
	if made {
		p.LACP = nil // an aggregate is no aggregation port
		v.change = true
	}
	return li
}

func (v *view) addMember(li int, ifx int, ev string) bool {
	l := &v.s.LAGs[li]
	p := v.byIf[ifx]
	if p == nil || ifx == l.IfIndex || slices.Contains(l.Members, p.Name) {
		return false
	}
	l.Members = append(l.Members, p.Name)
	l.Evidence = append(l.Evidence, ev)
	v.change = true
	return true
}

// named makes LAGs of interfaces whose platform-mandated name says they are
// aggregates, with the ethernet ports stacked under them.
func (v *view) named(w *vendors.Walk, re *regexp.Regexp, what string) {
	for _, hl := range w.ActiveStack() {
		hi, lo := hl[0], hl[1]
		ph, pl := v.byIf[hi], v.byIf[lo]
		if ph == nil || pl == nil || pl.Type != "ethernet" || !re.MatchString(ph.Name) {
			continue
		}
		li := v.makeLAG(hi, fmt.Sprintf("IF-MIB ifName.%d = %s (type %s): a %s by name", hi, ph.Name, ph.Type, what))
		if li >= 0 {
			v.addMember(li, lo, fmt.Sprintf("IF-MIB ifStackStatus.%d.%d = active (%s under %s)", hi, lo, pl.Name, ph.Name))
		}
	}
}

type aggRow struct {
	system string
	key    int
	line   int
}

// aggregators makes LAGs of the dot3adAggTable aggregators that the
// standard decoder took for ports, with the ports attached to them.
func (v *view) aggregators(w *vendors.Walk) {
	aggs := map[int]*aggRow{}
	for _, c := range []int{4, 7} {
		for _, r := range w.Rows(oidAggEntry + "." + strconv.Itoa(c)) {
			i, err := strconv.Atoi(r.Index)
			if err != nil || i <= 0 {
				continue
			}
			a := aggs[i]
			if a == nil {
				a = &aggRow{line: r.Line}
				aggs[i] = a
			}
			switch c {
			case 4:
				if len(r.Value.Bytes) == 6 {
					a.system = vendors.HexString(r.Value.Bytes)
				}
			case 7:
				if n, ok := r.Value.Number(); ok && n >= 0 && n < 1<<16 {
					a.key = int(n)
				}
			}
		}
	}
	if len(aggs) == 0 {
		return
	}
	individual := map[int]bool{}
	for _, r := range w.Rows(oidAggPortEntry + ".24") {
		if i, err := strconv.Atoi(r.Index); err == nil {
			if n, ok := r.Value.Number(); ok && n == 2 {
				individual[i] = true
			}
		}
	}
	// Ports whose LACP row (the standard decoder's) names an aggregator
	// that is a port of the walk, not a LAG.
	var ports []*topology.Port
	for i := range v.s.Ports {
		ports = append(ports, &v.s.Ports[i])
	}
	touched := map[int]bool{}
	for _, p := range ports {
		if p.LACP == nil || p.Type == "lag" {
			continue
		}
		agg, col := p.LACP.AttachedAgg, "dot3adAggPortAttachedAggID"
		if agg == 0 {
			agg, col = p.LACP.SelectedAgg, "dot3adAggPortSelectedAggID"
		}
		if agg == 0 || agg == p.IfIndex {
			continue
		}
		if _, known := v.lag[agg]; known && !touched[v.lag[agg]] {
			continue // the standard decoder has it
		}
		a := aggs[agg]
		ap := v.byIf[agg]
		if a == nil || ap == nil {
			continue
		}
		li := v.makeLAG(agg, fmt.Sprintf("IEEE8023-LAG-MIB dot3adAggTable row %d (dot3adAggIndex = ifIndex of %s, type %s): an aggregator", agg, ap.Name, ap.Type))
		if li < 0 {
			continue
		}
		touched[li] = true
		ev := fmt.Sprintf("IEEE8023-LAG-MIB %s.%d = %d (%s in %s)", col, p.IfIndex, agg, p.Name, ap.Name)
		if col == "dot3adAggPortSelectedAggID" {
			ev += ", not attached"
		}
		v.addMember(li, p.IfIndex, ev)
	}
	for li := range touched {
		l := &v.s.LAGs[li]
		a := aggs[l.IfIndex]
		v.kind(l)
		if l.Kind == topology.LAGLACP && a != nil && a.system != "" {
			l.ActorSystem, l.ActorKey = a.system, a.key
		}
		for _, m := range l.Members {
			for _, p := range v.byName[m] {
				if p.LACP != nil {
					v.memberState(l, p, individual[p.IfIndex])
				}
			}
		}
	}
}

// kind judges LACP or static from the members' LACP rows, as the standard
// decoder does.
func (v *view) kind(l *topology.LAG) {
	rows, bundledNoPartner := 0, 0
	for _, m := range l.Members {
		for _, p := range v.byName[m] {
			if p.LACP == nil || p.LACP.Actor == nil || !p.LACP.Actor.StateKnown {
				continue
			}
			rows++
			st := p.LACP.Actor.State
			partner := ""
			if p.LACP.Partner != nil {
				partner = p.LACP.Partner.System
			}
			if st&topology.LACPActivity != 0 || partner != "" && partner != topology.ZeroMAC {
				l.Kind = topology.LAGLACP
				l.Evidence = append(l.Evidence, fmt.Sprintf("IEEE8023-LAG-MIB dot3adAggPortActorOperState.%d = %d, partner %s: LACP runs on %s", p.IfIndex, st, cmp.Or(partner, "none"), m))
				return
			}
			const bundled = topology.LACPCollecting | topology.LACPDistributing
			if p.LACP.AttachedAgg == l.IfIndex && st&bundled == bundled {
				bundledNoPartner++
			}
		}
	}
	if rows > 0 && bundledNoPartner == rows {
		l.Kind = topology.LAGStatic
		l.Evidence = append(l.Evidence, fmt.Sprintf("IEEE8023-LAG-MIB: %d member(s) collecting/distributing with no LACP activity and no partner: static (mode on)", rows))
	}
}

// memberState sets a member's mode and status the way the standard decoder
// does for members of the LAGs it knows.
func (v *view) memberState(l *topology.LAG, p *topology.Port, individual bool) {
	pl := p.LACP
	switch l.Kind {
	case topology.LAGLACP:
		if pl.Actor != nil && pl.Actor.StateKnown {
			pl.Mode = "passive"
			if pl.Actor.State&topology.LACPActivity != 0 {
				pl.Mode = "active"
			}
		}
	case topology.LAGStatic:
		pl.Mode = "on"
	default:
		pl.Mode = ""
	}
	pl.Status = ""
	if !p.Oper.Up() {
		pl.Status = "down"
		return
	}
	if pl.Actor == nil || !pl.Actor.StateKnown {
		return
	}
	st := pl.Actor.State
	const bundled = topology.LACPSync | topology.LACPCollecting | topology.LACPDistributing
	switch {
	case pl.AttachedAgg != 0 && st&bundled == bundled:
		pl.Status = "bundled"
	case individual:
		pl.Status = "individual"
	case st&topology.LACPDefaulted != 0:
		pl.Status = "defaulted"
	case pl.SelectedAgg != 0 && pl.AttachedAgg == 0:
		pl.Status = "standby"
	case st&topology.LACPSync == 0:
		pl.Status = "suspended"
	case st&(topology.LACPCollecting|topology.LACPDistributing) != topology.LACPCollecting|topology.LACPDistributing:
		pl.Status = "standby"
	}
}
