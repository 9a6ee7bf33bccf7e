// Package alcatel is bondaudit's knowledge of Alcatel-Lucent Enterprise
// OmniSwitch (AOS 6, enterprise subtree 6486.800; AOS 7/8, 6486.801): LAG
// membership and LACP from ALCATEL-IND1-LAG-MIB where the standard tables
// (ifStackTable, IEEE8023-LAG-MIB) leave a LAG without members.
//
// What the recordings show. AOS 6 (librenms aos6, OS6350-P24) stacks its
// aggregates over their ports in ifStackTable, which the standard decoder
// reads; nothing is added there but the LACP/static kind. AOS 7 (librenms
// aos7, OS6860E-U28, a two-unit virtual chassis) has ifStackTable rows for
// its 24 aggregates with no lower layer and no IEEE8023-LAG-MIB at all; its
// alclnkaggAggTable names, per aggregate, the primary port
// (alclnkaggAggPrimaryPortIndex) and how many ports are selected and
// attached (alclnkaggAggNbrSelectedPorts/NbrAttachedPorts). The per-port
// table (alclnkaggAggPortTable, with each port's selected and attached
// aggregate) is in the MIB but in neither recording: it is decoded from the
// MIB definition and tested on hand-written walks. Where it is absent, the
// primary port is the member list only when it is the one port attached
// (and selected); with more attached, a list of the primary port alone
// would let the audit conclude the others are in no LAG, so the members
// stay unknown and the LAG's evidence names the primary port and the counts.
//
// Like vendors, it does no I/O and imports only vendors and topology.
package alcatel

import (
	"fmt"
	"maps"
	"slices"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

const (
	oidLAG6 = "1.3.6.1.4.1.6486.800.1.2.1.13.1" // ALCATEL-IND1-LAG-MIB, AOS 6
	oidLAG7 = "1.3.6.1.4.1.6486.801.1.2.1.13.1" // ALCATEL-IND1-LAG-MIB, AOS 7/8

	aggEntry  = ".1.1.1.1" // alclnkaggAggEntry, indexed by the aggregate's ifIndex
	portEntry = ".1.2.1.1" // alclnkaggAggPortEntry, indexed by the port's ifIndex

	colLacpType      = 15 // alclnkaggAggLacpType: lacpOff(0), lacpOn(1)
	colNbrSelected   = 18 // alclnkaggAggNbrSelectedPorts
	colNbrAttached   = 19 // alclnkaggAggNbrAttachedPorts
	colPrimaryPort   = 20 // alclnkaggAggPrimaryPortIndex
	colSelectedAggID = 12 // alclnkaggAggPortSelectedAggID
	colAttachedAggID = 13 // alclnkaggAggPortAttachedAggID
)

// OmniSwitch is Alcatel-Lucent Enterprise OmniSwitch (AOS 6/7/8).
var OmniSwitch = vendors.Profile{
	Name:        "alcatel-lucent",
	Enterprises: []int{6486},
	OIDs:        []string{oidLAG7, oidLAG6},
	Columns:     append(lagColumns(oidLAG7), lagColumns(oidLAG6)...),
	Decode:      decode,
	Tested: []string{
		"librenms aos7 (OS6860E-U28 8.5.255.R02, real recording): 24 aggregates without ifStackTable or IEEE8023-LAG-MIB members; 0/13 (one port attached) gets its primary port 1/1/7, the others keep unknown members with the primary port in evidence; LACP from alclnkaggAggLacpType",
		"librenms aos6 (OS6350-P24 6.7.1.108.R04, real recording): members from ifStackTable, kept; LACP/static from alclnkaggAggLacpType",
		"ALCATEL-IND1-LAG-MIB alclnkaggAggPortTable (every member): hand-written walks following the MIB, no recording has it",
	},
}

// cell is one value of a table row with its input line.
type cell = vendors.Cell

// number is the cell's integer value (a signed 32-bit one).
func number(c cell) (int, bool) {
	n, ok := c.Value.Number()
	if !ok || n < -1<<31 || n >= 1<<31 {
		return 0, false
	}
	return int(n), true
}

// table reads the columns of an entry indexed by one integer above 0.
func table(w *vendors.Walk, entry string, cols ...int) map[int]map[int]cell {
	return w.IntTable(entry, 1, cols...)
}

func decode(w *vendors.Walk, s *topology.Switch, problems *[]topology.Problem) {
	byIf := map[int]*topology.Port{}
	for i := range s.Ports {
		byIf[s.Ports[i].IfIndex] = &s.Ports[i]
	}
	lags := map[int]*topology.LAG{}
	for i := range s.LAGs {
		if s.LAGs[i].IfIndex != 0 {
			lags[s.LAGs[i].IfIndex] = &s.LAGs[i]
		}
	}
	for _, base := range []string{oidLAG7, oidLAG6} {
		aggs := table(w, base+aggEntry, colLacpType, colNbrSelected, colNbrAttached, colPrimaryPort)
		ports := table(w, base+portEntry, colSelectedAggID, colAttachedAggID)
		if len(aggs) == 0 && len(ports) == 0 {
			continue
		}
		decodeLAGs(aggs, ports, byIf, lags, problems)
	}
}

const mib = "ALCATEL-IND1-LAG-MIB "

func decodeLAGs(aggs, ports map[int]map[int]cell, byIf map[int]*topology.Port, lags map[int]*topology.LAG, problems *[]topology.Problem) {
	// Members by aggregate from the port table: the attached aggregate,
	// else the selected one.
	type member struct {
		ifx int
		ev  string
	}
	members := map[int][]member{}
	for _, pix := range slices.Sorted(maps.Keys(ports)) {
		r := ports[pix]
		agg, col, what := 0, 0, ""
		if c, ok := r[colAttachedAggID]; ok {
			if n, ok := number(c); ok && n > 0 {
				agg, col, what = n, colAttachedAggID, "alclnkaggAggPortAttachedAggID"
			}
		}
		if agg == 0 {
			if c, ok := r[colSelectedAggID]; ok {
				if n, ok := number(c); ok && n > 0 {
					agg, col, what = n, colSelectedAggID, "alclnkaggAggPortSelectedAggID"
				}
			}
		}
		if agg == 0 {
			continue
		}
		p := byIf[pix]
		if p == nil {
			vendors.AddProblem(problems, r[col].Line, mib+"%s.%d = %d: port ifIndex %d is not in ifTable", what, pix, agg, pix)
			continue
		}
		if lags[agg] == nil {
			vendors.AddProblem(problems, r[col].Line, mib+"%s.%d = %d: not an aggregate of the walk", what, pix, agg)
			continue
		}
		members[agg] = append(members[agg], member{pix, fmt.Sprintf(mib+"%s.%d = %d (%s in %s)", what, pix, agg, p.Name, lags[agg].Name)})
	}

	for _, aix := range slices.Sorted(maps.Keys(lags)) {
		l := lags[aix]
		row := aggs[aix]
		if c, ok := row[colLacpType]; ok && l.Kind == topology.LAGUnknown {
			switch n, _ := number(c); n {
			case 1:
				l.Kind = topology.LAGLACP
				l.Evidence = append(l.Evidence, fmt.Sprintf(mib+"alclnkaggAggLacpType.%d = lacpOn: LACP", aix))
			case 0:
				l.Kind = topology.LAGStatic
				l.Evidence = append(l.Evidence, fmt.Sprintf(mib+"alclnkaggAggLacpType.%d = lacpOff: static", aix))
			}
		}
		if len(l.Members) > 0 {
			continue // the standard tables named them: nothing to add, nothing counted twice
		}
		if ms := members[aix]; len(ms) > 0 {
			for _, m := range ms {
				l.Members = append(l.Members, byIf[m.ifx].Name)
				l.Evidence = append(l.Evidence, m.ev)
			}
			slices.Sort(l.Members)
			continue
		}
		c, ok := row[colPrimaryPort]
		if !ok {
			continue
		}
		pix, _ := number(c)
		if pix <= 0 {
			continue // no port attached
		}
		p := byIf[pix]
		if p == nil {
			vendors.AddProblem(problems, c.Line, mib+"alclnkaggAggPrimaryPortIndex.%d = %d: not in ifTable", aix, pix)
			continue
		}
		ev := fmt.Sprintf(mib+"alclnkaggAggPrimaryPortIndex.%d = %d (%s, primary port of %s)", aix, pix, p.Name, l.Name)
		att, sel := -1, -1
		if a, ok := row[colNbrAttached]; ok {
			att, _ = number(a)
		}
		if a, ok := row[colNbrSelected]; ok {
			sel, _ = number(a)
		}
		if att != 1 || sel > 1 {
			// A partial member list would let the audit conclude that the
			// other ports are in no LAG: leave the members unknown.
			l.Evidence = append(l.Evidence, ev+fmt.Sprintf("; alclnkaggAggNbrAttachedPorts.%d = %d, alclnkaggAggNbrSelectedPorts.%d = %d: the walk names only the primary port, members left unknown", aix, att, aix, sel))
			continue
		}
		l.Members = append(l.Members, p.Name)
		ev += fmt.Sprintf("; alclnkaggAggNbrAttachedPorts.%d = 1: its only member", aix)
		l.Evidence = append(l.Evidence, ev)
	}
}

// lagColumns are the columns decode reads under one MIB root (AOS 6 or 7/8).
func lagColumns(root string) []string {
	return append(vendors.EntryColumns(root+aggEntry, colLacpType, colNbrSelected, colNbrAttached, colPrimaryPort),
		vendors.EntryColumns(root+portEntry, colSelectedAggID, colAttachedAggID)...)
}
