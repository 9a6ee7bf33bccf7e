package vendors

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/internal/prefault"
	"github.com/bondaudit/bondaudit/internal/quote"
	"github.com/bondaudit/bondaudit/topology"
)

// OIDs of the standard MIBs (OIDS.md).
const (
	oidSysDescr    = "1.3.6.1.2.1.1.1.0"
	oidSysObjectID = "1.3.6.1.2.1.1.2.0"
	oidSysName     = "1.3.6.1.2.1.1.5.0"

	oidIfEntry  = "1.3.6.1.2.1.2.2.1"
	oidIfXEntry = "1.3.6.1.2.1.31.1.1.1"
	oidIfStack  = "1.3.6.1.2.1.31.1.2.1.3"

	oidAggEntry     = "1.2.840.10006.300.43.1.1.1.1"
	oidAggPortEntry = "1.2.840.10006.300.43.1.2.1.1"

	oidLldpLocChassisSubtype = "1.0.8802.1.1.2.1.3.1.0"
	oidLldpLocChassisID      = "1.0.8802.1.1.2.1.3.2.0"
	oidLldpLocPortEntry      = "1.0.8802.1.1.2.1.3.7.1"
	oidLldpRemEntry          = "1.0.8802.1.1.2.1.4.1.1"
	oidLldpRemManAddrIfSub   = "1.0.8802.1.1.2.1.4.2.1.3"
	oidLldpXdot3RemLinkAgg   = "1.0.8802.1.1.2.1.5.4623.1.3.3.1"
	oidLldpXdot3RemMFS       = "1.0.8802.1.1.2.1.5.4623.1.3.4.1.1"
	oidLldpXdot1RemPVID      = "1.0.8802.1.1.2.1.5.32962.1.3.1.1.1"
	oidLldpV2LocPortEntry    = "1.3.111.2.802.1.1.13.1.3.7.1"
	oidLldpV2RemEntry        = "1.3.111.2.802.1.1.13.1.4.1.1"

	oidBaseBridgeAddress = "1.3.6.1.2.1.17.1.1.0"
	oidBasePortIfIndex   = "1.3.6.1.2.1.17.1.4.1.2"
	oidDot1dTpFdbPort    = "1.3.6.1.2.1.17.4.3.1.2"
	oidDot1dTpFdbStatus  = "1.3.6.1.2.1.17.4.3.1.3"
	oidDot1qTpFdbPort    = "1.3.6.1.2.1.17.7.1.2.2.1.2"
	oidDot1qTpFdbStatus  = "1.3.6.1.2.1.17.7.1.2.2.1.3"
	oidDot1qVlanFdbID    = "1.3.6.1.2.1.17.7.1.4.2.1.3"
	oidDot1qCurEgress    = "1.3.6.1.2.1.17.7.1.4.2.1.4"
	oidDot1qCurUntagged  = "1.3.6.1.2.1.17.7.1.4.2.1.5"
	oidDot1qStatEgress   = "1.3.6.1.2.1.17.7.1.4.3.1.2"
	oidDot1qStatUntagged = "1.3.6.1.2.1.17.7.1.4.3.1.4"
	oidDot1qPvid         = "1.3.6.1.2.1.17.7.1.4.5.1.1"
)

// Decode turns one switch's walk into a switch snapshot. name is the
// fallback switch name (the file stem) when sysName is missing or redacted.
// problems name what could not be decoded, with the OID and the line of
// the walk (the caller places them in its file).
func Decode(w *Walk, name string) (*topology.Switch, []topology.Problem) {
	return DecodeWith(w, name, nil)
}

// DecodeWith is Decode recognising the device among profs (in recognition
// order; vendors/all lists every family): the family's decoder runs after
// the standard one. Decode recognises no family (Vendor "standard").
func DecodeWith(w *Walk, name string, profs []Profile) (*topology.Switch, []topology.Problem) {
	d := newDecoder(w, &topology.Switch{Schema: topology.SwitchSchema})
	defer d.sc.release()
	d.system(name)
	d.interfaces()
	d.bridge()
	d.lags()
	d.lldp()
	d.cdp()
	d.vlans()
	d.fdb()
	d.stp()
	d.modules()
	d.finish()
	p := Identify(profs, d.s.SysObjectID, d.s.SysDescr)
	d.s.Vendor = p.Name
	if p.Decode != nil {
		p.Decode(w, d.s, &d.problems)
	}
	compact(d.s)
	if !w.HasSubtree(oidIfEntry) && !w.HasSubtree(oidIfXEntry) {
		// Nothing to audit: no ports. Say so instead of an empty switch
		// that every rule passes.
		d.s.Unreachable, d.s.Error = true, NarrowView
		d.problems = append(d.problems, topology.Problem{What: NarrowView})
	}
	return d.s, d.problems
}

// NarrowView is the problem of a walk (live or recorded) without IF-MIB's
// interface tables: typically an SNMP view limited to the system group.
const NarrowView = "SNMP view shows no IF-MIB ifTable or ifXTable, so no port can be checked: " +
	"the agent's view is too narrow; grant the bondaudit user a view including 1.3.6.1.2.1.2 (interfaces) and " +
	"1.3.6.1.2.1.31 (ifMIB), and the other subtrees bondaudit walks (BRIDGE-MIB, Q-BRIDGE-MIB, " +
	"IEEE8023-LAG-MIB, LLDP-MIB), e.g. net-snmp: view bondaudit included .1.3.6.1.2.1; Cisco: snmp-server view bondaudit mib-2 included"

// newDecoder starts decoding w into s, with pooled scratch maps (the
// caller releases d.sc once the decode is done).
func newDecoder(w *Walk, s *topology.Switch) *decoder {
	return &decoder{w: w, s: s, sc: getScratch(), nLACP: -1}
}

type decoder struct {
	// sc holds the maps and row arrays the decode fills and drops (ports
	// by ifIndex, the LAG tables' rows, texts and macs: see scratch).
	sc       *scratch
	w        *Walk
	s        *topology.Switch
	problems []topology.Problem
	nLACP    int // cached lacpPorts, -1 = not counted
	// portArr holds the ports IF-MIB lists, allocated at once from the
	// row count: in ifIndex order (as the walk gives them) it is the
	// switch's Ports as it is (see finish). Ports beyond its capacity are
	// allocated one by one.
	portArr []topology.Port
	// names is portNameIndex's index (held here: no allocation of its own)
	names portNames
	// sortedRows is sortedAggRows, once made.
	sortedRows []*aggPortRow
	// buf is scratch for the evidence lines formatted here (see line).
	buf []byte
	// str holds the strings the switch keeps that are made here, a few
	// per port (see strs).
	str strs
}

func (d *decoder) problemf(line int, format string, args ...any) {
	AddProblem(&d.problems, line, format, args...)
}

// AddProblem adds a decoding problem found at a line of the walk (0: a
// live walk, or the walk as a whole): the reader of the walk places it in
// its file.
func AddProblem(problems *[]topology.Problem, line int, format string, args ...any) {
	if problems != nil {
		*problems = append(*problems, topology.Problem{Line: line, What: quote.Clip(fmt.Sprintf(format, args...))})
	}
}

// intIndex parses a one-integer index, reporting a problem otherwise.
func (d *decoder) intIndex(col string, r Row) (int, bool) {
	n, err := strconv.Atoi(r.Index)
	if err != nil || n < 0 {
		d.problemf(r.Line, "%s.%s: index is not an integer", col, r.Index)
		return 0, false
	}
	return n, true
}

func num(v Value) (int, bool) {
	n, ok := v.Number()
	return int(n), ok
}

// redacted reports sysName values recordings use instead of the name.
func redacted(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">")
}

func (d *decoder) system(name string) {
	s := d.s
	if v, ok := d.w.Get(oidSysDescr); ok {
		s.SysDescr = v.Text()
	}
	if v, ok := d.w.Get(oidSysObjectID); ok {
		if v.Kind == KindOID {
			// (a copy: the walk's OID text may be reused after the decode)
			s.SysObjectID = strings.Clone(strings.TrimPrefix(v.OID, "."))
		} else {
			s.SysObjectID = strings.TrimPrefix(v.Text(), ".")
		}
	}
	if v, ok := d.w.Get(oidSysName); ok && !redacted(v.Text()) {
		s.Name = v.Text()
	}
	if s.Name == "" {
		s.Name = name
	}
	if v, ok := d.w.Get(oidBaseBridgeAddress); ok && len(v.Bytes) == 6 {
		s.BaseMAC = HexString(v.Bytes)
	}
	if v, ok := d.w.Get(oidLldpLocChassisID); ok {
		sub := 0
		if sv, ok := d.w.Get(oidLldpLocChassisSubtype); ok {
			sub, _ = num(sv)
		}
		s.ChassisIDSubtype, s.ChassisID = chassisID(&d.str, sub, v)
	}
}

var operStatus = map[int]topology.LinkState{1: topology.LinkUp, 2: topology.LinkDown, 3: "testing", 4: "unknown", 5: "dormant", 6: topology.LinkNotPresent, 7: topology.LinkLowerLayerDown}

var adminStatus = map[int]topology.LinkState{1: topology.LinkUp, 2: topology.LinkDown, 3: "testing"}

// OperUp reads an ifOperStatus name (as the standard decoder sets
// Port.Oper) as the link being up (true) or down (false); nil when it says
// neither (testing, unknown, dormant, or not known).
func OperUp(oper topology.LinkState) *bool {
	var up bool
	switch oper.UpDown() {
	case topology.LinkUp:
		up = true
	case topology.LinkDown:
		up = false
	default:
		return nil
	}
	return &up
}

func portType(t int) string {
	switch t {
	case 6, 62, 69, 117, 26, 7:
		return "ethernet"
	case 161:
		return "lag"
	case 135, 136:
		return "vlan"
	}
	return "other"
}

// procurveTrunk reports the names HPE ProCurve/Aruba-OS (AOS-S) gives its
// trunks, TrkN: those switches report them as ifType propMultiplexor (54),
// a type other interfaces (multiplexers, stacking ports) have too, so only
// the name makes one a LAG.
func procurveTrunk(n string) bool {
	if len(n) < 4 || !strings.EqualFold(n[:3], "trk") {
		return false
	}
	for _, c := range n[3:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// lagLikeName reports names vendors give aggregate interfaces that are not
// ifType ieee8023adLag (Cisco IOS Port-channel is propVirtual).
func lagLikeName(n string) bool {
	if strings.Contains(n, ".") {
		return false // a logical unit or subinterface (Junos ae0.0, Po1.100)
	}
	l := strings.ToLower(n)
	for _, p := range []string{"port-channel", "po", "bundle-ether", "ae", "eth-trunk", "trk", "bond", "lag", "bagg", "link-aggregation"} {
		if strings.HasPrefix(l, p) && len(l) > len(p) && (l[len(p)] >= '0' && l[len(p)] <= '9' || l[len(p)] == ' ' || l[len(p)] == '-') {
			return true
		}
	}
	return false
}

func (d *decoder) port(ifIndex int) *topology.Port {
	p := d.sc.ports[ifIndex]
	if p == nil {
		if len(d.portArr) < cap(d.portArr) {
			d.portArr = append(d.portArr, topology.Port{IfIndex: ifIndex})
			p = &d.portArr[len(d.portArr)-1]
		} else {
			p = &topology.Port{IfIndex: ifIndex}
		}
		d.sc.ports[ifIndex] = p
	}
	return p
}

// countRows is the number of rows under a column (what a decoder sizes
// its tables from before reading them).
func (d *decoder) countRows(prefix string) int {
	start, end, _ := d.w.column(prefix)
	return end - start
}

// textLike is v.Text(), or same when the text equals it: an interface's
// ifName that repeats its ifDescr is one string.
func (d *decoder) textLike(v Value, same string) string {
	b := trimText(v)
	if string(b) == same {
		return same
	}
	return d.str.bytes(b)
}

func (d *decoder) interfaces() {
	n := max(d.countRows(oidIfEntry+".2"), d.countRows(oidIfXEntry+".1"))
	d.portArr = prefault.Touched(make([]topology.Port, 0, n))
	col := func(cols []string, c int, f func(p *topology.Port, ifIndex int, r Row)) {
		prefix := cols[c]
		next := 0 // every column lists the ports in portArr's order: try there first
		for _, r := range d.w.Rows(prefix) {
			i, ok := d.intIndex(prefix, r)
			if !ok || !r.Value.Exists() {
				continue
			}
			var p *topology.Port
			if next < len(d.portArr) && d.portArr[next].IfIndex == i {
				p = &d.portArr[next]
				next++
			} else {
				p = d.port(i)
			}
			f(p, i, r)
		}
	}
	col(ifEntryCols, 2, func(p *topology.Port, _ int, r Row) { p.Descr = d.str.bytes(trimText(r.Value)) })
	col(ifEntryCols, 3, func(p *topology.Port, i int, r Row) {
		t, _ := num(r.Value)
		if t == 161 || t == 53 || t == 1 || t == 54 {
			d.sc.aggTyped[i] = t
		} else {
			delete(d.sc.aggTyped, i) // (a second row for the ifIndex: "01")
		}
		p.Type = portType(t)
	})
	col(ifEntryCols, 4, func(p *topology.Port, _ int, r Row) { p.MTU, _ = num(r.Value) })
	col(ifEntryCols, 5, func(p *topology.Port, _ int, r Row) {
		if n, ok := num(r.Value); ok && p.Speed == 0 && n > 0 && n < 4294967295 {
			p.Speed = n / 1000000
		}
	})
	col(ifEntryCols, 6, func(p *topology.Port, _ int, r Row) {
		if len(r.Value.Bytes) == 6 {
			p.MAC = d.str.hex(r.Value.Bytes)
		}
	})
	col(ifEntryCols, 7, func(p *topology.Port, _ int, r Row) { n, _ := num(r.Value); p.Admin = adminStatus[n] })
	col(ifEntryCols, 8, func(p *topology.Port, _ int, r Row) { n, _ := num(r.Value); p.Oper = operStatus[n] })
	col(ifXEntryCols, 1, func(p *topology.Port, _ int, r Row) { p.Name = d.textLike(r.Value, p.Descr) })
	col(ifXEntryCols, 15, func(p *topology.Port, _ int, r Row) {
		if n, ok := num(r.Value); ok && n > 0 {
			p.Speed = n
		}
	})
	col(ifXEntryCols, 18, func(p *topology.Port, _ int, r Row) { p.Alias = d.str.bytes(trimText(r.Value)) })
	for i, p := range d.sc.ports {
		if p.Name == "" {
			p.Name = p.Descr
		}
		if p.Name == "" {
			p.Name = "ifIndex" + strconv.Itoa(i)
		}
	}
}

func (d *decoder) bridge() {
	for _, r := range d.w.Rows(oidBasePortIfIndex) {
		bp, ok := d.intIndex(oidBasePortIfIndex, r)
		if !ok {
			continue
		}
		if n, ok := num(r.Value); ok && n > 0 {
			d.sc.basePort[bp] = n
		}
	}
}

// portName returns the name of a port by ifIndex ("" when unknown).
func (d *decoder) portName(ifIndex int) string {
	if p := d.sc.ports[ifIndex]; p != nil {
		return p.Name
	}
	return ""
}

// bitsToLACP converts an IEEE8023-LAG-MIB LacpState BITS value (bit 0 =
// lacpActivity = MSB of the first octet, RFC 2578) to LACPDU order (bit 0
// = LSB), the order the Linux bonding driver prints and topology uses.
func bitsToLACP(b []byte) topology.LACPState {
	if len(b) == 0 {
		return 0
	}
	var out topology.LACPState
	for i := 0; i < 8; i++ {
		if b[0]&(0x80>>i) != 0 {
			out |= 1 << i
		}
	}
	return out
}

type aggRow struct {
	ifIndex     int
	actorSystem string
	actorKey    int
	partner     string
}

type aggPortRow struct {
	ifIndex                    int
	actor, partner             topology.LACPPort
	selected, attached         int
	haveAttached               bool // the agent gave dot3adAggPortAttachedAggID
	individual                 bool // AggregateOrIndividual = false
	haveActorState, havePState bool
	line                       int
}

// attachedAgg is the aggregator the port is attached to; an agent without
// the dot3adAggPortAttachedAggID column is taken at its selected one.
func (a *aggPortRow) attachedAgg() int {
	if !a.haveAttached {
		return a.selected
	}
	return a.attached
}

// macOf is v as a MAC: six bytes in hex (in a's chunks; a may be nil),
// else its text normalised.
func macOf(a *strs, v Value) string {
	if len(v.Bytes) == 6 {
		return a.hex(v.Bytes)
	}
	return topology.NormalizeMAC(v.Text())
}

// mac is macOf(v), one string per distinct value on the switch.
func (d *decoder) mac(v Value) string {
	if m, ok := d.sc.macs[string(v.Bytes)]; ok {
		return m
	}
	m := macOf(&d.str, v)
	d.sc.macs[d.str.bytes(v.Bytes)] = m
	return m
}

// text is v.Text(), one string per distinct text on the switch: the
// snapshot is kept for the whole audit, and a text many rows repeat
// (each LLDP neighbour's system description) is held once, without
// allocating again for a text already seen.
func (d *decoder) text(v Value) string {
	b := trimText(v)
	if t, ok := d.sc.texts[string(b)]; ok {
		return t
	}
	t := d.str.bytes(b)
	d.sc.texts[t] = t
	return t
}

func (d *decoder) lags() {
	nAgg, nPort := d.countRows(oidAggEntry+".4"), d.countRows(oidAggPortEntry+".2")
	aggSlab, portSlab := pooledSlab(&d.sc.aggRowBuf, nAgg), pooledSlab(&d.sc.aggPortRows, nPort)
	aggCol := func(c int, f func(a *aggRow, r Row)) {
		prefix := aggEntryCols[c]
		for _, r := range d.w.Rows(prefix) {
			i, ok := d.intIndex(prefix, r)
			if !ok {
				continue
			}
			a := d.sc.aggs[i]
			if a == nil {
				a = aggSlab.new()
				a.ifIndex = i
				d.sc.aggs[i] = a
			}
			f(a, r)
		}
	}
	aggCol(4, func(a *aggRow, r Row) { a.actorSystem = d.mac(r.Value) })
	aggCol(7, func(a *aggRow, r Row) { a.actorKey, _ = num(r.Value) })
	aggCol(8, func(a *aggRow, r Row) { a.partner = d.mac(r.Value) })

	rowOrder := make([]*aggPortRow, 0, nPort) // the rows as first seen: every column's order
	portCol := func(c int, f func(a *aggPortRow, r Row)) {
		prefix := aggPortEntryCols[c]
		next := 0
		for _, r := range d.w.Rows(prefix) {
			i, ok := d.intIndex(prefix, r)
			if !ok {
				continue
			}
			var a *aggPortRow
			if next < len(rowOrder) && rowOrder[next].ifIndex == i {
				a = rowOrder[next]
				next++
			} else if a = d.sc.aggRows[i]; a == nil {
				a = portSlab.new()
				a.ifIndex, a.line = i, r.Line
				d.sc.aggRows[i] = a
				rowOrder = append(rowOrder, a)
			}
			f(a, r)
		}
	}
	portCol(2, func(a *aggPortRow, r Row) { a.actor.SystemPriority, _ = num(r.Value) })
	portCol(3, func(a *aggPortRow, r Row) { a.actor.System = d.mac(r.Value) })
	portCol(5, func(a *aggPortRow, r Row) { a.actor.Key, _ = num(r.Value) })
	portCol(7, func(a *aggPortRow, r Row) { a.partner.SystemPriority, _ = num(r.Value) })
	portCol(9, func(a *aggPortRow, r Row) { a.partner.System = d.mac(r.Value) })
	portCol(11, func(a *aggPortRow, r Row) { a.partner.Key, _ = num(r.Value) })
	portCol(12, func(a *aggPortRow, r Row) { a.selected, _ = num(r.Value) })
	portCol(13, func(a *aggPortRow, r Row) { a.attached, a.haveAttached = num(r.Value) })
	portCol(14, func(a *aggPortRow, r Row) { a.actor.Port, _ = num(r.Value) })
	portCol(15, func(a *aggPortRow, r Row) { a.actor.PortPriority, _ = num(r.Value) })
	portCol(17, func(a *aggPortRow, r Row) { a.partner.Port, _ = num(r.Value) })
	portCol(19, func(a *aggPortRow, r Row) { a.partner.PortPriority, _ = num(r.Value) })
	portCol(21, func(a *aggPortRow, r Row) {
		if r.Value.Kind == KindOctetString && len(r.Value.Bytes) >= 1 {
			a.actor.State, a.actor.StateKnown, a.haveActorState = bitsToLACP(r.Value.Bytes), true, true
		} else if n, ok := num(r.Value); ok && n >= 0 && n < 256 {
			a.actor.State, a.actor.StateKnown, a.haveActorState = bitsToLACP([]byte{byte(n)}), true, true
		}
	})
	portCol(23, func(a *aggPortRow, r Row) {
		if r.Value.Kind == KindOctetString && len(r.Value.Bytes) >= 1 {
			a.partner.State, a.partner.StateKnown, a.havePState = bitsToLACP(r.Value.Bytes), true, true
		} else if n, ok := num(r.Value); ok && n >= 0 && n < 256 {
			a.partner.State, a.partner.StateKnown, a.havePState = bitsToLACP([]byte{byte(n)}), true, true
		}
	})
	portCol(24, func(a *aggPortRow, r Row) { n, _ := num(r.Value); a.individual = n == 2 })

	// Which interfaces are aggregators: ifType 161, or a propVirtual/other
	// interface with a port-channel name; plus dot3adAggTable rows that are
	// not physical ports.
	isAgg := d.sc.isAgg
	for i, t := range d.sc.aggTyped {
		if t == 161 || (t == 53 || t == 1) && lagLikeName(d.portName(i)) || t == 54 && procurveTrunk(d.portName(i)) {
			isAgg[i] = true
		}
	}
	for i := range d.sc.aggs {
		if p := d.sc.ports[i]; p == nil || p.Type != "ethernet" {
			isAgg[i] = true
		}
	}
	evidence := d.sc.evidence
	// A LAG's first members and evidence lines (with room for what
	// lagKind and the family decoders add) are carved from two arrays.
	const firstMembers, firstLines = 4, 8
	memArr := make([]int, firstMembers*len(isAgg))
	evArr := prefault.Touched(make([]string, firstLines*len(isAgg)))
	addMember := func(agg, member int, ev string) {
		if agg == member || !isAgg[agg] {
			return
		}
		if slices.Contains(d.sc.lagMembers[agg], member) {
			return
		}
		if d.sc.lagMembers[agg] == nil && len(memArr) > 0 {
			d.sc.lagMembers[agg], memArr = memArr[:0:firstMembers], memArr[firstMembers:]
			evidence[agg], evArr = evArr[:0:firstLines], evArr[firstLines:]
		}
		d.sc.lagMembers[agg] = append(d.sc.lagMembers[agg], member)
		evidence[agg] = append(evidence[agg], ev)
	}
	// ifStackTable: higher = aggregate, lower = physical port.
	var ixBuf [4]int64
	for _, r := range d.w.Rows(oidIfStack) {
		ix, ok := appendIndexInts(ixBuf[:0], r.Index)
		if !ok || len(ix) != 2 {
			d.problemf(r.Line, "ifStackStatus.%s: index is not higher.lower", r.Index)
			continue
		}
		hi, lo := int(ix[0]), int(ix[1])
		if hi == 0 || lo == 0 {
			continue
		}
		if st, _ := num(r.Value); st != 1 {
			continue
		}
		if d.sc.ports[lo] != nil && d.sc.ports[lo].Type == "ethernet" {
			addMember(hi, lo, d.evLine(evKey{form: lineStack, i: hi, v: lo, lo: d.portName(lo), hi: d.portName(hi)}))
		}
	}
	// IEEE8023-LAG-MIB: the aggregator a port is attached to or, when the
	// attached one is missing, 0, the port itself or no aggregator, the
	// one it has selected.
	for _, a := range d.sortedAggRows() {
		switch {
		case a.attached != 0 && a.attached != a.ifIndex && isAgg[a.attached]:
			addMember(a.attached, a.ifIndex, d.lacpLine(lineAttached, a.ifIndex, a.attached))
		case a.selected != 0 && a.selected != a.ifIndex:
			why := "not attached"
			if !a.haveAttached {
				why = "no dot3adAggPortAttachedAggID"
			}
			addMember(a.selected, a.ifIndex, d.line("IEEE8023-LAG-MIB dot3adAggPortSelectedAggID.", a.ifIndex, " = ", a.selected, " (", why, ")"))
		}
	}

	memberOf := d.sc.memberOf
	aggIdx := make([]int, 0, len(isAgg))
	for agg := range isAgg {
		aggIdx = append(aggIdx, agg)
	}
	slices.Sort(aggIdx)
	d.s.LAGs = prefault.Touched(make([]topology.LAG, 0, len(aggIdx)))
	// The LAGs' member lists are cut from one array, each at its length
	// (a decoder that appends to one gets a copy).
	nMembers := 0
	for _, agg := range aggIdx {
		nMembers += len(d.sc.lagMembers[agg])
	}
	memberNames := prefault.Touched(make([]string, 0, nMembers))
	for _, agg := range aggIdx {
		members := d.sc.lagMembers[agg]
		slices.Sort(members)
		p := d.sc.ports[agg]
		if p == nil {
			// an aggregator known only from dot3adAggTable: not an interface
			if len(members) == 0 {
				continue
			}
			p = d.port(agg)
			p.Name = "aggregator" + strconv.Itoa(agg)
		}
		p.Type = "lag"
		lag := topology.LAG{Name: p.Name, IfIndex: agg, Oper: p.Oper, Evidence: evidence[agg]}
		if len(members) > 0 {
			from := len(memberNames)
			for _, m := range members {
				memberNames = append(memberNames, d.portName(m))
				memberOf[m] = agg
			}
			lag.Members = memberNames[from:len(memberNames):len(memberNames)]
		}
		if a := d.sc.aggs[agg]; a != nil {
			lag.ActorSystem, lag.ActorKey = a.actorSystem, a.actorKey
		}
		lag.Kind = d.lagKind(agg, members, &lag)
		if lag.ActorSystem == "" && lag.Kind == topology.LAGLACP {
			for _, m := range members {
				if r := d.sc.aggRows[m]; r != nil && r.actor.System != "" {
					lag.ActorSystem, lag.ActorKey = r.actor.System, r.actor.Key
					break
				}
			}
		}
		if lag.Kind != topology.LAGLACP {
			lag.ActorSystem, lag.ActorKey = "", 0
		}
		d.s.LAGs = append(d.s.LAGs, lag)
	}

	// Per-port LACP state: each port's PortLACP, its actor and partner
	// and room for its evidence lines are carved from one allocation each.
	rows := d.sortedAggRows()
	pls := prefault.Touched(make([]topology.PortLACP, 0, len(rows)))
	sides := prefault.Touched(make([]topology.LACPPort, 0, 2*len(rows)))
	evs := prefault.Touched(make([]string, 3*len(rows)))
	for _, a := range rows {
		p := d.sc.ports[a.ifIndex]
		if p == nil || p.Type == "lag" {
			continue
		}
		pls = append(pls, topology.PortLACP{SelectedAgg: a.selected, AttachedAgg: a.attached})
		pl := &pls[len(pls)-1]
		if a.haveActorState || a.actor.System != "" {
			sides = append(sides, a.actor)
			pl.Actor = &sides[len(sides)-1]
		}
		if a.havePState || a.partner.System != "" {
			sides = append(sides, a.partner)
			pl.Partner = &sides[len(sides)-1]
		}
		if pl.Actor != nil && a.haveActorState {
			if pl.Actor.State&topology.LACPActivity != 0 {
				pl.Mode = "active"
			} else {
				pl.Mode = "passive"
			}
		}
		agg, member := memberOf[a.ifIndex]
		if member {
			pl.Status = d.memberStatus(a, p)
			if d.kindOf(agg) != topology.LAGLACP {
				pl.Mode = ""
				if d.kindOf(agg) == topology.LAGStatic {
					pl.Mode = "on"
				}
			}
		} else if !a.haveActorState || a.actor.State&topology.LACPActivity == 0 {
			pl.Mode = ""
		}
		pl.Evidence, evs = evs[:1:3], evs[3:]
		pl.Evidence[0] = d.lacpLine(lineAttached, a.ifIndex, a.attached)
		if !a.haveAttached {
			pl.Evidence[0] = d.line("IEEE8023-LAG-MIB: no dot3adAggPortAttachedAggID.", a.ifIndex, ", dot3adAggPortSelectedAggID.", a.ifIndex, " = ", a.selected, " taken")
		}
		if a.haveActorState {
			pl.Evidence = append(pl.Evidence, d.lacpLine(lineActorState, a.ifIndex, int(a.actor.State)))
		}
		if a.havePState {
			pl.Evidence = append(pl.Evidence, d.line("IEEE8023-LAG-MIB dot3adAggPortPartnerOperState.", a.ifIndex, " = ", lacpStateText(a.partner.State), ", partner system ", a.partner.System))
		}
		p.LACP = pl
	}
}

func (d *decoder) kindOf(agg int) topology.LAGKind {
	for _, l := range d.s.LAGs {
		if l.IfIndex == agg {
			return l.Kind
		}
	}
	return topology.LAGUnknown
}

func (d *decoder) sortedAggRows() []*aggPortRow {
	if d.sortedRows != nil || len(d.sc.aggRows) == 0 {
		return d.sortedRows
	}
	out := make([]*aggPortRow, 0, len(d.sc.aggRows))
	for _, a := range d.sc.aggRows {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *aggPortRow) int { return cmp.Compare(a.ifIndex, b.ifIndex) })
	d.sortedRows = out
	return out
}

// lagKind decides lacp / static / unknown from the members' LACP rows.
//
//   - lacp: a member's actor state has LACP activity, or a member has heard
//     an LACP partner (non-zero partner system), or the member carries LACP
//     state bits beyond "aggregation" while the switch runs LACP elsewhere;
//   - static: members are bundled (attached, collecting and distributing)
//     with no LACP activity and no partner: that only happens without LACP
//     ("mode on");
//   - unknown: no member rows (the agent does not fill the table for this
//     LAG), or members that are down/waiting with no partner, which a
//     passive LACP port and a static one report alike.
func (d *decoder) lagKind(agg int, members []int, lag *topology.LAG) topology.LAGKind {
	if len(members) == 0 {
		return topology.LAGUnknown
	}
	rows, lacp, bundledNoPartner := 0, false, 0
	for _, m := range members {
		r := d.sc.aggRows[m]
		if r == nil || !r.haveActorState {
			continue
		}
		rows++
		zeroPartner := r.partner.System == "" || r.partner.System == topology.ZeroMAC
		if r.actor.State&topology.LACPActivity != 0 || !zeroPartner {
			lacp = true
			lag.Evidence = append(lag.Evidence, d.line("IEEE8023-LAG-MIB dot3adAggPortActorOperState.", m, " = ", lacpStateText(r.actor.State), ", partner ", nonEmpty(r.partner.System), ": LACP runs on ", d.portName(m)))
			continue
		}
		const bundled = topology.LACPCollecting | topology.LACPDistributing
		if r.attachedAgg() == agg && r.actor.State&bundled == bundled {
			bundledNoPartner++
		}
	}
	switch {
	case lacp:
		return topology.LAGLACP
	case rows == 0 && d.lacpPorts() > 0:
		// The agent lists its LACP ports in dot3adAggPortTable (it has
		// some) but none of this LAG's members: they run no LACP.
		lag.Evidence = append(lag.Evidence, fmt.Sprintf("IEEE8023-LAG-MIB: no member of %s is in dot3adAggPortTable, which lists %d LACP port(s) on this switch: static (mode on)", lag.Name, d.lacpPorts()))
		return topology.LAGStatic
	case rows > 0 && bundledNoPartner == rows:
		lag.Evidence = append(lag.Evidence, fmt.Sprintf("IEEE8023-LAG-MIB: %d member(s) collecting/distributing with no LACP activity and no partner: static (mode on)", rows))
		return topology.LAGStatic
	}
	return topology.LAGUnknown
}

// lacpPorts counts ports whose dot3adAggPortTable row shows LACP running
// (activity set or a partner heard).
func (d *decoder) lacpPorts() int {
	if d.nLACP >= 0 {
		return d.nLACP
	}
	d.nLACP = 0
	for _, r := range d.sc.aggRows {
		if r.haveActorState && (r.actor.State&topology.LACPActivity != 0 || r.partner.System != "" && r.partner.System != topology.ZeroMAC) {
			d.nLACP++
		}
	}
	return d.nLACP
}

func nonEmpty(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// memberStatus maps a member's LACP row to the switch's view of it.
func (d *decoder) memberStatus(a *aggPortRow, p *topology.Port) string {
	return MemberStatus(p, a.actor.State, a.haveActorState, a.selected, a.attachedAgg(), a.individual)
}

// MakeLAG turns port p (ifIndex ifx) of s, which a vendor decoder proves
// to be an aggregate, into a LAG of unknown kind with ev as its first
// evidence, and records it in lags (LAG ifIndex -> index into s.LAGs). It
// returns the LAG's index, and whether it made it now: a LAG already in
// lags is returned as it is; no port (p nil) gives -1.
func MakeLAG(s *topology.Switch, lags map[int]int, p *topology.Port, ifx int, ev string) (int, bool) {
	if i, ok := lags[ifx]; ok {
		return i, false
	}
	if p == nil {
		return -1, false
	}
	p.Type = "lag"
	s.LAGs = append(s.LAGs, topology.LAG{Name: p.Name, IfIndex: ifx, Kind: topology.LAGUnknown, Oper: p.Oper, Evidence: []string{ev}})
	lags[ifx] = len(s.LAGs) - 1
	return lags[ifx], true
}

// MemberStatus is the switch's view of a LAG member port p from its
// IEEE8023-LAG-MIB row: the actor's LACP state (when actorKnown), the
// aggregator the port selected and the one it is attached to (0 for none)
// and whether it runs as an individual port. Vendors that decode the row
// themselves derive the status here too.
func MemberStatus(p *topology.Port, actor topology.LACPState, actorKnown bool, selected, attached int, individual bool) string {
	if !p.Oper.Up() {
		return "down"
	}
	if !actorKnown {
		return ""
	}
	st := actor
	const bundled = topology.LACPSync | topology.LACPCollecting | topology.LACPDistributing
	switch {
	case attached != 0 && st&bundled == bundled:
		return "bundled"
	case individual:
		return "individual"
	case st&topology.LACPDefaulted != 0:
		return "defaulted"
	case selected != 0 && attached == 0:
		return "standby"
	case st&topology.LACPSync == 0:
		return "suspended"
	case st&(topology.LACPCollecting|topology.LACPDistributing) != topology.LACPCollecting|topology.LACPDistributing:
		// attached and in sync, but not collecting/distributing: the
		// partner is out of sync, the port is held out of the bundle
		return "standby"
	}
	return ""
}

// chassisID decodes an LLDP chassis ID by subtype (LldpChassisIdSubtype),
// a MAC made in str.
func chassisID(str *strs, subtype int, v Value) (string, string) {
	switch subtype {
	case 4:
		if len(v.Bytes) == 6 {
			return topology.IDMAC, str.hex(v.Bytes)
		}
		if m := topology.NormalizeMAC(v.Text()); m != "" {
			return topology.IDMAC, m
		}
		return topology.IDMAC, idString(v)
	case 5:
		return topology.IDNetwork, netAddr(v.Bytes)
	case 1:
		return topology.IDChassisComponent, idString(v)
	case 2:
		return topology.IDIfAlias, idString(v)
	case 3:
		return topology.IDPortComponent, idString(v)
	case 6:
		return topology.IDIfName, idString(v)
	case 7:
		return topology.IDLocal, idString(v)
	}
	return "", idString(v)
}

// idString renders an LLDP ID value; a missing column (the zero Value) or a
// Null/exception varbind is no ID at all, not the kind's name ("Null").
func idString(v Value) string {
	if !v.Exists() {
		return ""
	}
	if v.Kind == KindOID {
		// String gives the walk's own text, which it may reuse after the
		// decode: the ID is a copy.
		return strings.Clone(v.OID)
	}
	return v.String()
}

// portID decodes an LLDP port ID by subtype (LldpPortIdSubtype), a MAC
// made in str.
func portID(str *strs, subtype int, v Value) (string, string) {
	switch subtype {
	case 1:
		return topology.IDIfAlias, v.Text()
	case 2:
		return topology.IDPortComponent, v.Text()
	case 3:
		if len(v.Bytes) == 6 {
			return topology.IDMAC, str.hex(v.Bytes)
		}
		if m := topology.NormalizeMAC(v.Text()); m != "" {
			return topology.IDMAC, m
		}
		return topology.IDMAC, idString(v)
	case 4:
		return topology.IDNetwork, netAddr(v.Bytes)
	case 5:
		return topology.IDIfName, v.Text()
	case 6:
		return topology.IDAgentCircuit, idString(v)
	case 7:
		return topology.IDLocal, v.Text()
	}
	return "", idString(v)
}

// portIDOf is the port ID p sends, portID(subtype, v), sharing p's name
// when it is that (an ifName port ID, the usual one).
func (d *decoder) portIDOf(p *topology.Port, subtype int, v Value) string {
	switch subtype {
	case 1, 2, 5, 7:
		if string(trimText(v)) == p.Name {
			return p.Name
		}
	}
	_, id := portID(&d.str, subtype, v)
	return id
}

// portID is portID(subtype, v) with its text held once per switch (see
// text): the port IDs hosts send (ens1f0np0, eth0) repeat on a switch.
func (d *decoder) portID(subtype int, v Value) (string, string) {
	switch subtype {
	case 1:
		return topology.IDIfAlias, d.text(v)
	case 2:
		return topology.IDPortComponent, d.text(v)
	case 5:
		return topology.IDIfName, d.text(v)
	case 7:
		return topology.IDLocal, d.text(v)
	}
	return portID(&d.str, subtype, v)
}

// netAddr decodes an IANA address-family-prefixed network address. Some
// agents (and recordings) give the address as text ("10.10.20.38"): that
// stays the address it names. A bare 4-octet value is IPv4 (no text
// address is that short); other unreadable values are shown as hex.
func netAddr(b []byte) string {
	if len(b) == 5 && b[0] == 1 {
		return netip.AddrFrom4([4]byte(b[1:5])).String()
	}
	if len(b) == 17 && b[0] == 2 {
		return netip.AddrFrom16([16]byte(b[1:17])).String()
	}
	if len(b) == 4 {
		return netip.AddrFrom4([4]byte(b)).String()
	}
	if len(b) == 16 && !printable(b) {
		return netip.AddrFrom16([16]byte(b)).String()
	}
	if t := strings.TrimRight(string(b), "\x00 \r\n"); printable([]byte(t)) {
		if a, err := netip.ParseAddr(strings.TrimSpace(t)); err == nil && a.Zone() == "" {
			return a.Unmap().String()
		}
	}
	return HexString(b)
}

func (d *decoder) finish() {
	if len(d.portArr) == len(d.sc.ports) && slices.IsSortedFunc(d.portArr, func(a, b topology.Port) int { return cmp.Compare(a.IfIndex, b.IfIndex) }) {
		// Every port is in portArr, in ifIndex order: it is the list.
		d.s.Ports = d.portArr
	} else {
		idx := make([]int, 0, len(d.sc.ports))
		for i := range d.sc.ports {
			idx = append(idx, i)
		}
		slices.Sort(idx)
		d.s.Ports = prefault.Touched(make([]topology.Port, 0, len(idx)))
		for _, i := range idx {
			d.s.Ports = append(d.s.Ports, *d.sc.ports[i])
		}
	}
	for i := range d.s.Ports {
		slices.Sort(d.s.Ports[i].Tagged)
		slices.Sort(d.s.Ports[i].Untagged)
	}
	sortBy(d.s.LAGs, &d.sc.perm, false, func(a, b *topology.LAG) int { return cmp.Compare(a.Name, b.Name) })
	sortBy(d.s.Neighbours, &d.sc.perm, true, func(a, b *topology.Neighbour) int {
		if c := cmp.Compare(a.LocalPort, b.LocalPort); c != 0 {
			return c
		}
		if c := cmp.Compare(a.ChassisID, b.ChassisID); c != 0 {
			return c
		}
		return cmp.Compare(a.PortID, b.PortID)
	})
	slices.SortFunc(d.s.FDB, func(a, b topology.FDBEntry) int {
		return cmp.Or(cmp.Compare(a.MAC, b.MAC), cmp.Compare(a.VLAN, b.VLAN), cmp.Compare(a.Port, b.Port))
	})
}

// columnOIDs is entry.c for c in 0..n (index c), made once: the prefixes
// the decoders read columns by, not formatted again on every decode.
func columnOIDs(entry string, n int) []string {
	out := make([]string, n+1)
	for c := range out {
		out[c] = entry + "." + strconv.Itoa(c)
	}
	return out
}

var (
	ifEntryCols       = columnOIDs(oidIfEntry, 8)
	ifXEntryCols      = columnOIDs(oidIfXEntry, 18)
	aggEntryCols      = columnOIDs(oidAggEntry, 8)
	aggPortEntryCols  = columnOIDs(oidAggPortEntry, 24)
	lldpLocPortCols   = columnOIDs(oidLldpLocPortEntry, 4)
	lldpV2LocPortCols = columnOIDs(oidLldpV2LocPortEntry, 4)
	lldpRemCols       = columnOIDs(oidLldpRemEntry, 10)
	lldpV2RemCols     = columnOIDs(oidLldpV2RemEntry, 11)
	entPhysicalCols   = columnOIDs(oidEntPhysicalEntry, 6)
)
