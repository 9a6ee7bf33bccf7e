// Package dell is bondaudit's knowledge of Dell (OS10, OS9/FTOS and DNOS) switches: what the standard
// MIBs miss or get wrong on them, decoded from their vendor MIBs.
//
// OS9 (FTOS, enterprise 6027) stacks port-channel members under the
// port-channel in ifStackTable (librenms dnos_s4048, dnos_z9100-on), which
// the standard decoder reads. What this package adds for OS9:
//
//   - VLT from DELL-NETWORKING-VIRTUAL-LINK-TRUNK-MIB: the domain, role,
//     peer status, the ICL (peer link) and its status, the peer's MAC, the
//     configured VLT system MAC (Switch.MLAG kind "vlt"); and which
//     port-channels are VLT port-channels (dellNetVLTDetailTable, indexed by
//     the local port-channel number) with their local and peer status.
//   - DELL-NETWORKING-LINK-AGGREGATION-MIB: port-channel members from
//     dot3aAggCfgPortListString where ifStackTable/IEEE8023-LAG-MIB give
//     none, LACP or static from dot3aAggCfgLacpSupported, and per-member
//     LACP state from its dot3adAggPortTable. No recording has this MIB; it
//     is decoded from the MIB definitions and tested on hand-written walks.
//
// OS10 (enterprise 674) has neither MIB: its DELLEMC-OS10 MIBs in the
// recording (librenms dell-os10) are chassis and BGP tables, its
// port-channels have no ifStackTable rows, and VLT shows only as LLDP
// neighbour port descriptions ("VLT"), which an administrator types. So the
// OS10 profile adds nothing and claims no VLT.
//
// Like vendors, it does no I/O and imports only vendors and topology.
package dell

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

const (
	oidVLT = "1.3.6.1.4.1.6027.3.17"
	oidLAG = "1.3.6.1.4.1.6027.3.2"

	vltDomainEntry = oidVLT + ".1.1.1" // dellNetVLTTable entry, indexed by domain
	vltDetailEntry = oidVLT + ".1.3.1" // dellNetVirtualLinkDetailsTable entry, indexed by dellNetVLTDetailLocalLagID

	aggCfgEntry  = oidLAG + ".1.1.1.1" // dot3aAggConfigEntry, indexed by dot3aAggCfgId
	aggPortEntry = oidLAG + ".1.1.7.1" // Dell dot3adAggPortEntry, indexed by dot3adAggPortIndex
)

// OS10 is Dell SmartFabric OS10, with VLT.
var OS10 = vendors.Profile{
	Name:        "dell-os10",
	Enterprises: []int{674},
	Tested: []string{
		"librenms dell-os10 (OS10 Enterprise, S4128F-ON): port-channel1/2/1000 without members in any MIB, no VLT MIB: nothing added",
	},
}

// OS9 is Dell Networking OS9 (FTOS), with VLT.
var OS9 = vendors.Profile{
	Name:        "dell-os9",
	Enterprises: []int{6027},
	OIDs:        []string{oidVLT, oidLAG},
	Columns: slices.Concat(vendors.EntryColumns(vltDomainEntry, 1, 4, 5, 6, 7, 8, 12, 21),
		vendors.EntryColumns(vltDetailEntry, 2, 3, 4),
		vendors.EntryColumns(aggCfgEntry, 3, 4, 6, 7),
		vendors.EntryColumns(aggPortEntry, 2, 3, 5, 7)),
	Decode: decodeOS9,
	Tested: []string{
		"librenms dnos_z9100-on (Z9100-ON 9.14: VLT domain 1 primary, peer up, ICL up, 20 VLT port-channel rows)",
		"librenms dnos_s4048 (S4048-ON 9.9: no VLT or LAG MIB rows; port-channels from ifStackTable)",
		"DELL-NETWORKING-LINK-AGGREGATION-MIB, VLT peer/ICL down: hand-written walks only",
	},
}

type view struct {
	s      *topology.Switch
	byIf   map[int]*topology.Port
	byName map[string]*topology.Port
	lag    map[int]*topology.LAG
	lagNo  map[int]*topology.LAG // by port-channel number
	probs  *[]topology.Problem
}

func newView(s *topology.Switch, problems *[]topology.Problem) *view {
	v := &view{s: s, byIf: map[int]*topology.Port{}, byName: map[string]*topology.Port{}, lag: map[int]*topology.LAG{}, lagNo: map[int]*topology.LAG{}, probs: problems}
	for i := range s.Ports {
		p := &s.Ports[i]
		v.byIf[p.IfIndex] = p
		v.byName[p.Name] = p
	}
	for i := range s.LAGs {
		l := &s.LAGs[i]
		if l.IfIndex != 0 {
			v.lag[l.IfIndex] = l
		}
		if n, ok := portChannelNumber(l.Name); ok {
			v.lagNo[n] = l
		}
	}
	return v
}

func (v *view) problemf(line int, format string, args ...any) {
	vendors.AddProblem(v.probs, line, format, args...)
}

func (v *view) name(ifx int) string {
	if p := v.byIf[ifx]; p != nil {
		return p.Name
	}
	return "ifIndex " + strconv.Itoa(ifx) + ", not in ifTable"
}

// portChannelNumber reads N from an OS9 port-channel name ("Port-channel 12").
func portChannelNumber(name string) (int, bool) {
	l := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	rest, ok := strings.CutPrefix(l, "port-channel")
	if !ok || rest == "" || len(rest) > 6 {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n > 0
}

// cell is one value of a table row with its input line.
type cell = vendors.Cell

// number is the cell's integer value, from -2^31 to 2^32.
func number(c cell) (int, bool) {
	n, ok := c.Value.Number()
	if !ok || n < -1<<31 || n > 1<<32 {
		return 0, false
	}
	return int(n), true
}

// table reads the columns of an entry indexed by one integer of 0 or more.
func table(w *vendors.Walk, entry string, cols ...int) map[int]map[int]cell {
	return w.IntTable(entry, 0, cols...)
}

func mac(c cell, ok bool) string {
	if !ok || len(c.Value.Bytes) != 6 {
		return ""
	}
	m := vendors.HexString(c.Value.Bytes)
	if m == topology.ZeroMAC {
		return ""
	}
	return m
}

func enumText(m map[int]string, n int) string {
	if t, ok := m[n]; ok {
		return t
	}
	return strconv.Itoa(n)
}

var (
	vltRole       = map[int]string{0: "standAlone", 1: "primary", 2: "secondary"}
	vltPeerStatus = map[int]string{0: "notEstablished", 1: "peerUp", 2: "peerDown", 3: "linkDown"}
	vltLinkStatus = map[int]string{0: "linkNotEstablished", 1: "linkUp", 2: "linkDown", 3: "linkError"}
	vltUpDown     = map[int]string{0: "down", 1: "up"}
	truth         = map[int]string{1: "true", 2: "false"}
)

func decodeOS9(w *vendors.Walk, s *topology.Switch, problems *[]topology.Problem) {
	v := newView(s, problems)
	v.lagMIB(w)
	v.vlt(w)
}

// vlt decodes DELL-NETWORKING-VIRTUAL-LINK-TRUNK-MIB.
func (v *view) vlt(w *vendors.Walk) {
	doms := table(w, vltDomainEntry, 1, 4, 5, 6, 7, 8, 12, 21)
	if len(doms) == 0 {
		return
	}
	idx := slices.Sorted(maps.Keys(doms))
	row := doms[idx[0]]
	if len(idx) > 1 {
		v.problemf(0, "DELL-NETWORKING-VIRTUAL-LINK-TRUNK-MIB: rows for %d VLT domains %v; one expected, the first decoded", len(idx), idx)
	}
	const mib = "DELL-NETWORKING-VIRTUAL-LINK-TRUNK-MIB "
	ix := idx[0]
	dom := ix
	if c, ok := row[1]; ok {
		if n, ok := number(c); ok {
			dom = n
		}
	}
	name := "vlt-" + strconv.Itoa(dom)
	m := &topology.MLAG{Kind: "vlt", Domain: name}
	m.Evidence = append(m.Evidence, fmt.Sprintf(mib+"dellNetVLTDomainId.%d = %d", ix, dom))
	if c, ok := row[5]; ok {
		n, _ := number(c)
		if r, ok := vltRole[n]; ok {
			m.Role = r
		}
		m.Evidence = append(m.Evidence, fmt.Sprintf(mib+"dellNetVLTRole.%d = %s", ix, enumText(vltRole, n)))
	}
	if c, ok := row[6]; ok {
		n, _ := number(c)
		m.Evidence = append(m.Evidence, fmt.Sprintf(mib+"dellNetVLTPeerStatus.%d = %s", ix, enumText(vltPeerStatus, n)))
	}
	if c, ok := row[4]; ok {
		ifx, _ := number(c)
		ev := fmt.Sprintf(mib+"dellNetVLTIclIfIndex.%d = %d (%s)", ix, ifx, v.name(ifx))
		if l := v.lag[ifx]; l != nil {
			l.PeerLink = true
			l.Evidence = append(l.Evidence, ev+": the VLT interconnect (ICL)")
			m.PeerLink = l.Name
		} else if p := v.byIf[ifx]; p != nil {
			m.PeerLink = p.Name
		}
		m.Evidence = append(m.Evidence, ev)
	}
	if c, ok := row[7]; ok {
		n, _ := number(c)
		switch n {
		case 1:
			up := true
			m.PeerLinkUp = &up
		case 0, 2, 3:
			up := false
			m.PeerLinkUp = &up
		}
		m.Evidence = append(m.Evidence, fmt.Sprintf(mib+"dellNetVLTIclStatus.%d = %s", ix, enumText(vltLinkStatus, n)))
	}
	if c, ok := row[8]; ok {
		n, _ := number(c)
		m.Evidence = append(m.Evidence, fmt.Sprintf(mib+"dellNetVLTHBeatStatus.%d = %s", ix, enumText(vltLinkStatus, n)))
	}
	if c, ok := row[12]; ok {
		if a := mac(c, true); a != "" {
			m.Peer = a
			m.Evidence = append(m.Evidence, fmt.Sprintf(mib+"dellNetVLTRemoteMacAddr.%d = %s (the VLT peer)", ix, a))
		}
	}
	if c, ok := row[21]; ok {
		if a := mac(c, true); a != "" {
			m.SystemID = a
			m.Evidence = append(m.Evidence, fmt.Sprintf(mib+"dellNetVLTCfgSysMacAddr.%d = %s (configured VLT system MAC)", ix, a))
		}
	}
	v.s.MLAG = m

	// VLT port-channels, by local port-channel number.
	det := table(w, vltDetailEntry, 2, 3, 4)
	for _, lagID := range slices.Sorted(maps.Keys(det)) {
		r := det[lagID]
		l := v.lagNo[lagID]
		if l == nil {
			continue // the port-channel is not in the walk's ifTable
		}
		ev := fmt.Sprintf(mib+"dellNetVLTDetailLocalLagID.%d = %d: %s is a VLT port-channel", lagID, lagID, l.Name)
		peer := 0
		if c, ok := r[2]; ok {
			peer, _ = number(c)
			ev += fmt.Sprintf(", dellNetVLTDetailPeerLagID.%d = %d", lagID, peer)
		}
		if c, ok := r[3]; ok {
			n, _ := number(c)
			ev += fmt.Sprintf(", dellNetVLTDetailLocalStatus.%d = %s", lagID, enumText(vltUpDown, n))
		}
		if c, ok := r[4]; ok {
			n, _ := number(c)
			ev += fmt.Sprintf(", dellNetVLTDetailPeerStatus.%d = %s", lagID, enumText(vltUpDown, n))
		}
		l.MLAG = name
		if peer == lagID {
			// both peers bundle it under one number: that is its VLT ID
			l.MLAGID = lagID
		}
		l.Evidence = append(l.Evidence, ev)
	}
}

// lagMIB decodes DELL-NETWORKING-LINK-AGGREGATION-MIB.
func (v *view) lagMIB(w *vendors.Walk) {
	const mib = "DELL-NETWORKING-LINK-AGGREGATION-MIB "
	cfg := table(w, aggCfgEntry, 3, 4, 6, 7)
	ports := table(w, aggPortEntry, 2, 3, 5, 7)
	for _, id := range slices.Sorted(maps.Keys(cfg)) {
		r := cfg[id]
		c, ok := r[3]
		if !ok {
			continue
		}
		ifx, _ := number(c)
		l := v.lag[ifx]
		if l == nil {
			v.problemf(c.Line, mib+"dot3aAggCfgIfIndex.%d = %d: not a port-channel of the walk", id, ifx)
			continue
		}
		if c, ok := r[6]; ok {
			v.memberList(l, id, c)
		}
		if c, ok := r[7]; ok && l.Kind == topology.LAGUnknown {
			switch n, _ := number(c); n {
			case 1:
				l.Kind = topology.LAGLACP
				l.Evidence = append(l.Evidence, fmt.Sprintf(mib+"dot3aAggCfgLacpSupported.%d = true: LACP", id))
			case 2:
				l.Kind = topology.LAGStatic
				l.Evidence = append(l.Evidence, fmt.Sprintf(mib+"dot3aAggCfgLacpSupported.%d = false: static", id))
			}
		}
	}
	// Per-member LACP state, for members the standard MIB says nothing about.
	for li := range v.s.LAGs {
		l := &v.s.LAGs[li]
		var rows []*topology.Port
		for _, m := range l.Members {
			if p := v.byName[m]; p != nil && p.LACP == nil {
				if _, ok := ports[p.IfIndex]; ok {
					rows = append(rows, p)
				}
			}
		}
		for _, p := range rows {
			c, ok := ports[p.IfIndex][5]
			if st, known := lacpBits(c.Value); ok && known && st&topology.LACPActivity != 0 && l.Kind == topology.LAGUnknown {
				l.Kind = topology.LAGLACP
				l.Evidence = append(l.Evidence, fmt.Sprintf(mib+"dot3adAggPortActorOperState.%d = %d (activity): LACP runs on %s", p.IfIndex, st, p.Name))
			}
		}
		for _, p := range rows {
			v.portLACP(l, p, ports[p.IfIndex])
		}
	}
}

// memberList adds the members dot3aAggCfgPortListString names ("Te 0/1
// Te 0/2") to a port-channel that ifStackTable/IEEE8023-LAG-MIB left
// empty; where they did not, it reports members they disagree on.
func (v *view) memberList(l *topology.LAG, id int, c cell) {
	toks := strings.Fields(strings.TrimRight(string(c.Value.Bytes), "\x00"))
	var names []string
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		// "Te 0/1" (type and number) or "Te0/1"
		if i+1 < len(toks) && !hasDigit(t) && hasDigit(toks[i+1]) {
			t += " " + toks[i+1]
			i++
		}
		p := v.resolve(t)
		if p == nil {
			v.problemf(c.Line, "DELL-NETWORKING-LINK-AGGREGATION-MIB dot3aAggCfgPortListString.%d: %q names no interface of the walk", id, t)
			continue
		}
		names = append(names, p.Name)
	}
	known := len(l.Members) > 0
	for _, n := range names {
		if slices.Contains(l.Members, n) {
			continue
		}
		if known {
			v.problemf(c.Line, "DELL-NETWORKING-LINK-AGGREGATION-MIB dot3aAggCfgPortListString.%d lists %s, which ifStackTable does not put under %s", id, n, l.Name)
			continue
		}
		l.Members = append(l.Members, n)
		l.Evidence = append(l.Evidence, fmt.Sprintf("DELL-NETWORKING-LINK-AGGREGATION-MIB dot3aAggCfgPortListString.%d = %q: %s in %s", id, string(c.Value.Bytes), n, l.Name))
	}
	slices.Sort(l.Members)
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

// resolve finds the interface an OS9 short name denotes: "Te 0/1" is
// "TenGigabitEthernet 0/1", "fo 1/49" "fortyGigE 1/49"; the type must be a
// prefix of exactly one interface name with that slot/port.
func (v *view) resolve(short string) *topology.Port {
	if p := v.byName[short]; p != nil {
		return p
	}
	typ, num := splitName(short)
	if typ == "" || num == "" {
		return nil
	}
	var found *topology.Port
	for i := range v.s.Ports {
		p := &v.s.Ports[i]
		pt, pn := splitName(p.Name)
		if pn == num && strings.HasPrefix(strings.ToLower(pt), strings.ToLower(typ)) {
			if found != nil {
				return nil
			}
			found = p
		}
	}
	return found
}

// splitName splits "TenGigabitEthernet 0/1" or "Te0/1" into type and number.
func splitName(n string) (string, string) {
	n = strings.TrimSpace(n)
	i := strings.IndexAny(n, "0123456789")
	if i <= 0 {
		return "", ""
	}
	return strings.TrimSpace(n[:i]), strings.TrimSpace(n[i:])
}

// lacpBits converts a LacpState BITS octet (bit 0 = MSB) to LACPDU order.
func lacpBits(v vendors.Value) (topology.LACPState, bool) {
	var b byte
	switch {
	case v.Kind == vendors.KindOctetString && len(v.Bytes) >= 1:
		b = v.Bytes[0]
	default:
		n, ok := v.Number()
		if !ok || n < 0 || n > 255 {
			return 0, false
		}
		b = byte(n)
	}
	var out topology.LACPState
	for i := 0; i < 8; i++ {
		if b&(0x80>>i) != 0 {
			out |= 1 << i
		}
	}
	return out, true
}

// portLACP sets a member's LACP view from the Dell dot3adAggPortTable row
// (keys and states; this table has no system IDs).
func (v *view) portLACP(l *topology.LAG, p *topology.Port, r map[int]cell) {
	const mib = "DELL-NETWORKING-LINK-AGGREGATION-MIB "
	pl := &topology.PortLACP{AttachedAgg: l.IfIndex}
	c, ok := r[5]
	if !ok {
		return
	}
	st, ok := lacpBits(c.Value)
	if !ok {
		return
	}
	actor := topology.LACPPort{State: st, StateKnown: true}
	if k, ok := r[2]; ok {
		actor.Key, _ = number(k)
	}
	pl.Actor = &actor
	pl.Evidence = append(pl.Evidence, fmt.Sprintf(mib+"dot3adAggPortActorOperState.%d = %d", p.IfIndex, st))
	if c, ok := r[7]; ok {
		if pst, ok := lacpBits(c.Value); ok {
			partner := topology.LACPPort{State: pst, StateKnown: true}
			if k, ok := r[3]; ok {
				partner.Key, _ = number(k)
			}
			pl.Partner = &partner
			pl.Evidence = append(pl.Evidence, fmt.Sprintf(mib+"dot3adAggPortPartnerOperState.%d = %d", p.IfIndex, pst))
		}
	}
	switch l.Kind {
	case topology.LAGLACP:
		pl.Mode = "passive"
		if st&topology.LACPActivity != 0 {
			pl.Mode = "active"
		}
	case topology.LAGStatic:
		pl.Mode = "on"
	}
	const bundled = topology.LACPSync | topology.LACPCollecting | topology.LACPDistributing
	switch {
	case !p.Oper.Up():
		pl.Status = "down"
	case st&bundled == bundled:
		pl.Status = "bundled"
	case st&topology.LACPDefaulted != 0:
		pl.Status = "defaulted"
	case st&topology.LACPSync == 0:
		pl.Status = "suspended"
	default:
		pl.Status = "standby"
	}
	p.LACP = pl
}
