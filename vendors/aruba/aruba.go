// Package aruba is bondaudit's knowledge of HPE Aruba (AOS-CX, ProCurve/AOS-S) switches: what the standard
// MIBs miss or get wrong on them, decoded from their vendor MIBs.
//
// AOS-CX names its LAGs lagN (ifType ieee8023adLag), which the standard
// decoder already reads; up to 10.06 their members are stacked under them in
// ifStackTable, from 10.07 on they are not (librenms arubaos-cx_10.07,
// arubaos-cx_8360) and no other MIB in the recordings names them. What this
// package adds for CX is VSX (ARUBAWIRED-VSX-MIB) and the older MCLAG
// (ARUBAWIRED-MCLAG-MIB): the switch's role, the ISL (peer link) and its
// state, the keepalive peer, and which LAGs are multi-chassis.
//
// For ProCurve/AOS-S, trunks (TrkN, ifType ieee8023adLag or, on some
// releases, propMultiplexor) and their members come from ifStackTable
// (standard decoder); whether a trunk runs LACP or is static ("trunk") is in
// the HP CONFIG-MIB hpSwitchPortTable (hpSwitchPortTrunkType), which this
// package reads when the walk has it. The one ProCurve recording (librenms
// procurve) does not.
//
// Like vendors, it does no I/O and imports only vendors and topology.
package aruba

import (
	"cmp"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

// ARUBAWIRED-VSX-MIB and ARUBAWIRED-MCLAG-MIB (OIDS.md).
const (
	oidVsx   = "1.3.6.1.4.1.47196.4.1.1.3.7"
	oidMclag = "1.3.6.1.4.1.47196.4.1.1.3.2"

	vsxIslPort            = oidVsx + ".1.1.1"       // arubaWiredVsxIslPort, DisplayString
	vsxKeepAlivePeerType  = oidVsx + ".1.2.5"       // arubaWiredVsxKeepAlivePeerIPAddrType
	vsxKeepAlivePeer      = oidVsx + ".1.2.6"       // arubaWiredVsxKeepAlivePeerIPAddr
	vsxAggType            = oidVsx + ".1.3.1.1.2"   // arubaWiredVsxAggregatorType.<ifIndex>
	vsxDeviceRole         = oidVsx + ".1.4.1"       // arubaWiredVsxDeviceRole
	vsxIslOperState       = oidVsx + ".2.1.1"       // arubaWiredVsxIslOperState
	vsxDeviceOperSystemID = oidVsx + ".2.1.6"       // arubaWiredVsxDeviceOperSystemID
	vsxKeepAliveOperState = oidVsx + ".2.2.1"       // arubaWiredVsxKeepAliveOperState
	mclagIslPort          = oidMclag + ".1.1.1"     // arubaWiredMclagIslPort, InterfaceIndex
	mclagKeepAlivePeerTyp = oidMclag + ".1.2.5"     // arubaWiredMclagKeepAlivePeerIPAddrType
	mclagKeepAlivePeer    = oidMclag + ".1.2.6"     // arubaWiredMclagKeepAlivePeerIPAddr
	mclagAggType          = oidMclag + ".1.3.1.1.2" // arubaWiredMclagAggregatorType.<ifIndex>
	mclagIslOperState     = oidMclag + ".2.1.1"     // arubaWiredMclagIslOperState
	mclagDeviceOperRole   = oidMclag + ".2.1.6"     // arubaWiredMclagDeviceOperRole
	mclagKeepAliveOper    = oidMclag + ".2.2.1"     // arubaWiredMclagKeepAliveOperState
)

// HP CONFIG-MIB hpSwitchPortTable (ProCurve/AOS-S), columns of
// hpSwitchPortEntry 1.3.6.1.4.1.11.2.14.11.5.1.7.1.3.1.1.
const (
	oidHPPortEntry   = "1.3.6.1.4.1.11.2.14.11.5.1.7.1.3.1.1"
	hpTrunkType      = oidHPPortEntry + ".13" // hpSwitchPortTrunkType
	hpTrunkLACPState = oidHPPortEntry + ".14" // hpSwitchPortTrunkLACPStatus
)

// CX is HPE Aruba AOS-CX, with VSX.
var CX = vendors.Profile{
	Name:        "arubaos-cx",
	Enterprises: []int{47196},
	OIDs:        []string{oidVsx, oidMclag},
	Columns:     append(vsxOIDs.columns(), mclagOIDs.columns()...),
	Decode:      decodeCX,
	Tested: []string{
		"librenms arubaos-cx_8360 (8360-12C LL.10.13: ARUBAWIRED-VSX-MIB arubaWiredVsxIslOperState.0 = inSync, the only VSX row)",
		"librenms arubaos-cx, arubaos-cx_10.06, arubaos-cx_10.07 (no VSX/MCLAG MIB rows; LAGs from IF-MIB only)",
		"VSX role/ISL port/keepalive/multi-chassis LAGs, ISL down, ARUBAWIRED-MCLAG-MIB: hand-written walks only",
		"VSX peer seen only over LLDP (keepalive on the mgmt port IF-MIB does not list, ISL rows on 1/1/1-2): the real arubaos-cx_8360 recording with a hand-written peer in its layout",
	},
}

// ProCurve is HPE ProCurve / Aruba AOS-S.
var ProCurve = vendors.Profile{
	Name:        "hpe-procurve",
	Enterprises: []int{11},
	OIDs:        []string{hpTrunkType, hpTrunkLACPState},
	Columns:     []string{hpTrunkType, hpTrunkLACPState},
	Decode:      decodeProCurve,
	Tested: []string{
		"librenms procurve (HP stack KA.00.00: Trk1 = A1+A2 via ifStackTable; no hpSwitchPortTable rows, so kind stays unknown)",
		"hpSwitchPortTrunkType trunk/lacpTrk/dtLacpTrk: hand-written walks only; index taken as the port's ifIndex",
		"TrkN of ifType propMultiplexor (54) with ifStackTable members (older AOS-S): hand-written walks only (the standard decoder takes type-54 interfaces named TrkN as LAGs)",
	},
}

// view indexes a decoded switch.
type view struct {
	s    *topology.Switch
	byIf map[int]*topology.Port
	lag  map[int]*topology.LAG // by ifIndex
	byNm map[string]*topology.LAG
}

func newView(s *topology.Switch) *view {
	v := &view{s: s, byIf: map[int]*topology.Port{}, lag: map[int]*topology.LAG{}, byNm: map[string]*topology.LAG{}}
	for i := range s.Ports {
		v.byIf[s.Ports[i].IfIndex] = &s.Ports[i]
	}
	for i := range s.LAGs {
		l := &s.LAGs[i]
		if l.IfIndex != 0 {
			v.lag[l.IfIndex] = l
		}
		v.byNm[strings.ToLower(l.Name)] = l
	}
	return v
}

// scalar returns a scalar's value (instance .0) and its line.
func scalar(w *vendors.Walk, oid string) (vendors.Value, bool) {
	v, ok := w.Get(oid + ".0")
	return v, ok && v.Exists()
}

func number(w *vendors.Walk, oid string) (int, bool) {
	v, ok := scalar(w, oid)
	if !ok {
		return 0, false
	}
	n, ok := v.Number()
	if !ok || n < -1<<31 || n > 1<<31 {
		return 0, false
	}
	return int(n), true
}

// inetAddress renders an InetAddress by its InetAddressType; agents that
// return the address as text are taken at their word.
func inetAddress(typ int, b []byte) string {
	switch {
	case (typ == 1 || typ == 0) && len(b) == 4:
		return netip.AddrFrom4([4]byte(b)).String()
	case (typ == 2 || typ == 0) && len(b) == 16:
		return netip.AddrFrom16([16]byte(b)).String()
	}
	s := strings.TrimRight(string(b), "\x00 ")
	if a, err := netip.ParseAddr(s); err == nil {
		return a.String()
	}
	return ""
}

var lagNum = regexp.MustCompile(`^lag(\d{1,9})$`)

var (
	vsxRoles     = map[int]string{1: "primary", 2: "secondary", 3: "notConfigured"}
	vsxIslStates = map[int]string{1: "init", 2: "outSync", 3: "inSync"}
	vsxKAStates  = map[int]string{1: "init", 2: "configured", 3: "inSyncEstablished", 4: "outofSyncEstablished", 5: "initEstablished", 6: "failed", 7: "stopped"}
	mclagKA      = map[int]string{1: "initialized", 2: "configured", 3: "established", 4: "failed", 5: "stopped"}
	mclagRoles   = map[int]string{1: "primary", 2: "secondary"}
	aggTypes     = map[int]string{1: "point2Point", 2: "multiChassis"}
)

func enumText(m map[int]string, n int) string {
	if t, ok := m[n]; ok {
		return t
	}
	return strconv.Itoa(n)
}

func decodeCX(w *vendors.Walk, s *topology.Switch, problems *[]topology.Problem) {
	v := newView(s)
	if w.HasSubtree(oidVsx) {
		v.mlag(w, "vsx", "ARUBAWIRED-VSX-MIB", "arubaWiredVsx", vsxOIDs)
	}
	if w.HasSubtree(oidMclag) && (s.MLAG == nil || s.MLAG.Kind != "vsx") {
		v.mlag(w, "mc-lag", "ARUBAWIRED-MCLAG-MIB", "arubaWiredMclag", mclagOIDs)
	} else if w.HasSubtree(oidMclag) {
		v.aggregators(w, "vsx", "ARUBAWIRED-MCLAG-MIB", "arubaWiredMclag", mclagAggType)
	}
}

type mlagOIDs struct {
	islPortText, islPortIfIndex string
	kaPeerType, kaPeer          string
	aggType                     string
	role                        string
	roles                       map[int]string
	islOper                     string
	kaOper                      string
	kaStates                    map[int]string
	systemID                    string
}

var vsxOIDs = mlagOIDs{islPortText: vsxIslPort, kaPeerType: vsxKeepAlivePeerType, kaPeer: vsxKeepAlivePeer, aggType: vsxAggType,
	role: vsxDeviceRole, roles: vsxRoles, islOper: vsxIslOperState, kaOper: vsxKeepAliveOperState, kaStates: vsxKAStates, systemID: vsxDeviceOperSystemID}

var mclagOIDs = mlagOIDs{islPortIfIndex: mclagIslPort, kaPeerType: mclagKeepAlivePeerTyp, kaPeer: mclagKeepAlivePeer, aggType: mclagAggType,
	role: mclagDeviceOperRole, roles: mclagRoles, islOper: mclagIslOperState, kaOper: mclagKeepAliveOper, kaStates: mclagKA}

// columns are the scalars (instance .0) and the aggregator column mlag
// reads.
func (o mlagOIDs) columns() []string {
	var out []string
	for _, s := range []string{o.islPortText, o.islPortIfIndex, o.kaPeerType, o.kaPeer, o.role, o.islOper, o.kaOper, o.systemID} {
		if s != "" {
			out = append(out, s+".0")
		}
	}
	return append(out, o.aggType)
}

// mlag decodes the VSX or MCLAG scalars into s.MLAG and marks the
// multi-chassis LAGs. Only the objects present are used.
func (v *view) mlag(w *vendors.Walk, kind, mib, prefix string, o mlagOIDs) {
	m := &topology.MLAG{Kind: kind}
	found := false
	ev := func(format string, args ...any) {
		m.Evidence = append(m.Evidence, mib+" "+fmt.Sprintf(format, args...))
		found = true
	}
	if n, ok := number(w, o.role); ok {
		role := enumText(o.roles, n)
		ev("%sDeviceRole.0 = %s", prefix, role)
		if n == 3 && kind == "vsx" {
			return // notConfigured: the switch is in no VSX pair
		}
		if _, known := o.roles[n]; known {
			m.Role = role
		}
	}
	if o.islPortText != "" {
		if val, ok := scalar(w, o.islPortText); ok && val.Text() != "" {
			name := val.Text()
			ev("%sIslPort.0 = %s", prefix, name)
			m.PeerLink = v.peerLink(name)
		}
	}
	if o.islPortIfIndex != "" {
		if n, ok := number(w, o.islPortIfIndex); ok && n > 0 {
			name := ""
			if l := v.lag[n]; l != nil {
				name = l.Name
				l.PeerLink = true
			} else if p := v.byIf[n]; p != nil {
				name = p.Name
			}
			ev("%sIslPort.0 = %d (%s)", prefix, n, cmp.Or(name, "not in ifTable"))
			m.PeerLink = name
		}
	}
	if n, ok := number(w, o.islOper); ok {
		ev("%sIslOperState.0 = %s", prefix, enumText(vsxIslStates, n))
		switch n {
		case 3:
			up := true
			m.PeerLinkUp = &up
		case 1, 2:
			up := false
			m.PeerLinkUp = &up
		}
	}
	if n, ok := number(w, o.kaOper); ok {
		ev("%sKeepAliveOperState.0 = %s", prefix, enumText(o.kaStates, n))
	}
	if val, ok := scalar(w, o.kaPeer); ok {
		typ, _ := number(w, o.kaPeerType)
		if a := inetAddress(typ, val.Bytes); a != "" {
			m.Peer = a
			ev("%sKeepAlivePeerIPAddr.0 = %s", prefix, a)
		}
	}
	if o.systemID != "" {
		if val, ok := scalar(w, o.systemID); ok && val.Text() != "" {
			// The device's operational VSX system ID: stated, not used as
			// the LACP system ID (the MIB does not say it is that).
			ev("%sDeviceOperSystemID.0 = %s", prefix, val.Text())
		}
	}
	if v.aggregators(w, kind, mib, prefix, o.aggType) {
		found = true
	}
	if found {
		v.s.MLAG = m
	}
}

// peerLink resolves the ISL port name to a LAG (marked as peer link) or a
// port; the name is kept as given when the walk has neither.
func (v *view) peerLink(name string) string {
	if l := v.byNm[strings.ToLower(name)]; l != nil {
		l.PeerLink = true
		return l.Name
	}
	return name
}

// aggregators marks the LAGs the aggregator table calls multiChassis.
func (v *view) aggregators(w *vendors.Walk, kind, mib, prefix, col string) bool {
	any := false
	for _, r := range w.Rows(col) {
		any = true
		ifx, err := strconv.Atoi(r.Index)
		n, ok := r.Value.Number()
		if err != nil || !ok {
			continue
		}
		l := v.lag[ifx]
		if l == nil || n != 2 {
			continue
		}
		l.MLAG = kind
		e := fmt.Sprintf("%s %sAggregatorType.%d = %s", mib, prefix, ifx, aggTypes[2])
		if m := lagNum.FindStringSubmatch(l.Name); m != nil {
			// the peers of a VSX/MCLAG pair bundle one multi-chassis LAG under one lagN
			l.MLAGID, _ = strconv.Atoi(m[1])
			e += fmt.Sprintf(" (multi-chassis LAG %d)", l.MLAGID)
		}
		l.Evidence = append(l.Evidence, e)
	}
	return any
}

var trunkTypes = map[int]string{1: "trunk", 2: "fecAuto", 3: "saTrunk", 4: "lacpTrk", 5: "none", 6: "dtLacpTrk", 7: "dtTrunk"}
var lacpStatus = map[int]string{1: "disabled", 2: "active", 3: "passive"}

// decodeProCurve sets the kind of TrkN trunks from hpSwitchPortTrunkType on
// their members, when every member with a row says the same.
func decodeProCurve(w *vendors.Walk, s *topology.Switch, problems *[]topology.Problem) {
	byName := map[string]*topology.Port{}
	for i := range s.Ports {
		byName[s.Ports[i].Name] = &s.Ports[i]
	}
	typ := map[int]int{}
	for _, r := range w.Rows(hpTrunkType) {
		i, err := strconv.Atoi(r.Index)
		if n, ok := r.Value.Number(); err == nil && ok {
			typ[i] = int(n)
		}
	}
	state := map[int]int{}
	for _, r := range w.Rows(hpTrunkLACPState) {
		i, err := strconv.Atoi(r.Index)
		if n, ok := r.Value.Number(); err == nil && ok {
			state[i] = int(n)
		}
	}
	if len(typ) == 0 {
		return
	}
	for li := range s.LAGs {
		l := &s.LAGs[li]
		seen := map[int]bool{}
		var ev []string
		for _, m := range l.Members {
			p := byName[m]
			if p == nil {
				continue
			}
			t, ok := typ[p.IfIndex]
			if !ok {
				continue
			}
			seen[t] = true
			ev = append(ev, fmt.Sprintf("HP CONFIG-MIB hpSwitchPortTrunkType.%d = %s (%s)", p.IfIndex, enumText(trunkTypes, t), m))
		}
		if len(seen) != 1 {
			if len(seen) > 1 {
				vendors.AddProblem(problems, 0, "%s: members disagree on hpSwitchPortTrunkType (%s): kind left %s", l.Name, strings.Join(ev, "; "), l.Kind)
			}
			continue
		}
		var t int
		for k := range seen {
			t = k
		}
		var kind topology.LAGKind
		mode := ""
		switch t {
		case 1, 3, 7:
			kind, mode = topology.LAGStatic, "on"
		case 4, 6:
			kind = topology.LAGLACP
		default:
			continue // fecAuto, none: say nothing
		}
		if l.Kind != topology.LAGUnknown && l.Kind != kind {
			vendors.AddProblem(problems, 0, "%s: IEEE8023-LAG-MIB says %s but %s", l.Name, l.Kind, strings.Join(ev, "; "))
			continue
		}
		l.Kind = kind
		l.Evidence = append(l.Evidence, ev...)
		if t == 6 || t == 7 {
			// distributed trunking: the trunk spans this switch and its DT peer
			l.MLAG = "distributed-trunking"
		}
		for _, m := range l.Members {
			p := byName[m]
			if p == nil {
				continue
			}
			if p.LACP == nil {
				p.LACP = &topology.PortLACP{}
			}
			switch {
			case mode != "":
				p.LACP.Mode = mode
			case state[p.IfIndex] == 2 || state[p.IfIndex] == 3:
				p.LACP.Mode = lacpStatus[state[p.IfIndex]]
			}
			if st, ok := state[p.IfIndex]; ok {
				p.LACP.Evidence = append(p.LACP.Evidence, fmt.Sprintf("HP CONFIG-MIB hpSwitchPortTrunkLACPStatus.%d = %s", p.IfIndex, enumText(lacpStatus, st)))
			}
			p.LACP.Evidence = append(p.LACP.Evidence, fmt.Sprintf("HP CONFIG-MIB hpSwitchPortTrunkType.%d = %s", p.IfIndex, enumText(trunkTypes, t)))
		}
	}
}
