package vendors

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/internal/prefault"
	"github.com/bondaudit/bondaudit/internal/quote"
	"github.com/bondaudit/bondaudit/topology"
)

type locPort struct {
	num, subtype int
	id           Value
	// desc is lldpLocPortDesc, read as text only when the port ID names
	// no interface (it is the walk's: the row is dropped with the decode)
	desc Value
	// ifIndexed: num is an ifIndex by definition (LLDP-V2-MIB's
	// lldpV2LocPortIfIndex), never a bridge port number.
	ifIndexed bool
}

// locPorts reads a local port table (LLDP-MIB lldpLocPortTable or
// LLDP-V2-MIB lldpV2LocPortTable: subtype, port ID and description in
// columns 2-4, indexed by the local port number; ifIndexed: the number is
// an ifIndex, as LLDP-V2-MIB defines it).
func (d *decoder) locPorts(cols []string, ifIndexed bool) map[int]*locPort {
	n := d.countRows(cols[3])
	v := 0
	if ifIndexed {
		v = 1
	}
	locs, lps := d.sc.locs[v], pooledSlab(&d.sc.locPorts[v], n)
	for _, c := range []int{2, 3, 4} {
		prefix := cols[c]
		for _, r := range d.w.Rows(prefix) {
			n, ok := d.intIndex(prefix, r)
			if !ok {
				continue
			}
			lp := locs[n]
			if lp == nil {
				lp = lps.new()
				lp.num, lp.ifIndexed = n, ifIndexed
				locs[n] = lp
			}
			switch c {
			case 2:
				lp.subtype, _ = num(r.Value)
			case 3:
				lp.id = r.Value
			case 4:
				lp.desc = r.Value
			}
		}
	}
	return locs
}

// lldp decodes the local port table (mapping lldpLocPortNum to ifIndex) and
// the remote tables of LLDP-MIB and LLDP-V2-MIB.
func (d *decoder) lldp() {
	locs := d.locPorts(lldpLocPortCols, false)
	byName := d.portNameIndex()
	numToIf := d.sc.numToIf
	locWhy := map[int]string{}
	mgmt := map[int]string{} // port numbers of a management port IF-MIB does not list
	// Two rows may resolve to one interface: the rows go from the highest
	// local port number down, so the port's LLDP port number and port ID
	// are those of its lowest-numbered row, on every decode.
	nums := d.locNums(locs)
	for i := len(nums) - 1; i >= 0; i-- {
		n := nums[i]
		lp := locs[n]
		ifx, why := d.resolveLocPort(lp, byName)
		if ifx == 0 {
			if name := lp.id.Text(); lp.subtype != 3 && lp.subtype != 4 && mgmtPortName(name) {
				mgmt[n] = name
				continue
			}
			locWhy[n] = why
			continue
		}
		numToIf[n] = ifx
		p := d.sc.ports[ifx]
		if n != ifx {
			p.LLDPPortNum = n
		}
		p.LLDPPortID = d.portIDOf(p, lp.subtype, lp.id)
	}
	v1Before := len(d.s.Neighbours)
	onMgmt := map[string]string{}
	d.remote(oidLldpRemEntry, 3, 4, func(ix []int64) (int, string) {
		if len(ix) != 3 {
			return 0, ""
		}
		n := int(ix[1])
		if ifx, ok := numToIf[n]; ok {
			return ifx, ""
		}
		if why, ok := locWhy[n]; ok {
			return 0, fmt.Sprintf("lldpRemLocalPortNum %d: local port unknown: %s", n, why)
		}
		if name, ok := mgmt[n]; ok {
			onMgmt[fmt.Sprintf("%d.%d.%d", ix[0], ix[1], ix[2])] = name
			return 0, fmt.Sprintf("lldpRemLocalPortNum %d is the management port %s, which IF-MIB does not list", n, quote.Q(name))
		}
		if len(locs) == 0 {
			// no lldpLocPortTable: the local port number is all there is
			ifx, how, why := d.portByNumber(n)
			if ifx == 0 {
				return 0, fmt.Sprintf("lldpRemLocalPortNum %d: local port unknown (no lldpLocPortTable): %s", n, why)
			}
			return ifx, fmt.Sprintf("lldpRemLocalPortNum %d taken as %s (no lldpLocPortTable)", n, how)
		}
		return 0, fmt.Sprintf("lldpRemLocalPortNum %d matches no lldpLocPortTable row", n)
	})
	d.placeOnMgmt(v1Before, onMgmt)
	d.lldpV2(byName, len(d.s.Neighbours) == v1Before)
}

// locNums is the local port numbers of locs in increasing order (in a
// scratch slice the next call reuses): the order its rows are resolved
// in, never map order.
func (d *decoder) locNums(locs map[int]*locPort) []int {
	nums := d.sc.locNums[:0]
	for n := range locs {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	d.sc.locNums = nums
	return nums
}

// placeOnMgmt puts the LLDP-MIB neighbours decoded since index from on the
// management port their lldpLocPortTable row names (onMgmt: remote index
// -> port name) when IF-MIB has no interface for it: AOS-CX's out-of-band
// "mgmt" port (lldpLocPortNum 4000, port ID "mgmt", no ifIndex), where a
// VSX peer is heard over its keepalive link. The neighbour is on the port
// the device names, marked LocalPortUnlisted; no interface is invented for
// it (topology.Build reads it for MLAG domains only, never for hosts).
func (d *decoder) placeOnMgmt(from int, onMgmt map[string]string) {
	if len(onMgmt) == 0 {
		return
	}
	for i := from; i < len(d.s.Neighbours); i++ {
		n := &d.s.Neighbours[i]
		if name, ok := onMgmt[strings.TrimPrefix(n.Source, "LLDP-MIB lldpRemTable.")]; ok && n.LocalPort == "" {
			n.LocalPort, n.LocalPortUnlisted = name, true
		}
	}
}

// mgmtPortName reports names devices give their out-of-band management
// port: mgmt, mgmt0, oobm, Management1, management0/0 (case-insensitive).
func mgmtPortName(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"management", "mgmt", "oobm"} {
		if rest, ok := strings.CutPrefix(l, p); ok {
			return strings.Trim(rest, "0123456789/") == ""
		}
	}
	return false
}

// portNames maps normalised interface names to ifIndexes for joining
// lldpLocPortTable to IF-MIB: ifName wins over ifDescr, ifDescr over
// ifAlias, and the lowest ifIndex over higher ones, so that the join never
// depends on map order. It is built a kind of name at a time, as lookups
// need: a name found among the ifNames (the usual port ID) is what the
// whole index would answer, as are names found after ifDescr is added; an
// ifAlias is normalised only when a name is found in neither.
type portNames struct {
	d      *decoder
	m      map[string]int
	ifxs   []int // the ports' ifIndexes, in order
	passes int   // the kinds of name in m: ifName, ifDescr, ifAlias
}

// portNameIndex is the (empty) index of d's ports' names.
func (d *decoder) portNameIndex() *portNames {
	ifxs := d.sc.ifxs[:0]
	for i := range d.sc.ports {
		ifxs = append(ifxs, i)
	}
	slices.Sort(ifxs)
	d.sc.ifxs = ifxs
	d.names = portNames{d: d, m: d.sc.byName, ifxs: ifxs}
	return &d.names
}

// lookup is the ifIndex of the port whose name normalises to key.
func (pn *portNames) lookup(key []byte) (int, bool) {
	for {
		if i, ok := pn.m[string(key)]; ok {
			return i, true
		}
		if pn.passes == 3 {
			return 0, false
		}
		pn.add()
	}
}

// add adds the next kind of name. The keys are cut from one string: the
// names normalised one after the other into a buffer, then copied out at
// once.
func (pn *portNames) add() {
	pass := pn.passes
	pn.passes++
	sc := pn.d.sc
	keys, text := sc.nameKeys[:0], sc.nameText[:0]
	var kb [topology.PortKeyMax]byte
	for _, i := range pn.ifxs {
		p := pn.d.sc.ports[i]
		n := p.Name
		switch pass {
		case 1:
			n = p.Descr
		case 2:
			n = p.Alias
		}
		if n != "" {
			text = append(text, topology.NormalizePortNameTo(&kb, n)...)
			keys = append(keys, nameKey{len(text), i})
		}
	}
	sc.nameKeys, sc.nameText = keys, text
	all := string(text)
	start := 0
	for _, k := range keys {
		name := all[start:k.end]
		start = k.end
		if _, taken := pn.m[name]; !taken {
			pn.m[name] = k.ifx
		}
	}
}

// resolveLocPort finds the ifIndex of an lldpLocPortTable row, or says why
// it cannot. In order: its port ID or description naming an interface
// (ifName, ifDescr, ifAlias), a numeric local port ID that is an ifIndex
// (Junos; Alcatel-Lucent OmniSwitch, which has no subtype column and sends
// the ifIndex: port ID "1001"), a vendor string that ends exactly one
// interface's name ("1/3" for "PORT-1/3"), the port's MAC address, and last
// the port number itself (see portByNumber). A row is never put on a port
// that none of these name.
func (d *decoder) resolveLocPort(lp *locPort, byName *portNames) (int, string) {
	id := lp.id.Text()
	named := lp.subtype != 3 && lp.subtype != 4 && id != ""
	var kb [topology.PortKeyMax]byte
	if named {
		if i, ok := byName.lookup(topology.NormalizePortNameTo(&kb, id)); ok {
			return i, ""
		}
	}
	desc := lp.desc.Text()
	if desc != "" {
		if i, ok := byName.lookup(topology.NormalizePortNameTo(&kb, desc)); ok {
			return i, ""
		}
	}
	if lp.subtype == 7 || lp.subtype == 0 {
		if n, err := strconv.Atoi(id); err == nil && n > 0 && d.sc.ports[n] != nil {
			return n, ""
		}
	}
	if named {
		if i := d.portBySuffix(id); i > 0 {
			return i, ""
		}
	}
	if desc != "" {
		if i := d.portBySuffix(desc); i > 0 {
			return i, ""
		}
	}
	if lp.subtype == 3 && len(lp.id.Bytes) == 6 {
		mac := HexString(lp.id.Bytes)
		found := 0
		for i, p := range d.sc.ports {
			if p.MAC == mac && p.Type == "ethernet" {
				if found != 0 {
					found = -1
					break
				}
				found = i
			}
		}
		if found > 0 {
			return found, ""
		}
	}
	ifx, _, why := d.portByNumber(lp.num)
	if lp.ifIndexed {
		ifx, why = 0, fmt.Sprintf("ifIndex %d is no interface", lp.num)
		if d.sc.ports[lp.num] != nil {
			ifx = lp.num
		}
	}
	if ifx == 0 {
		table := "lldpLocPortTable"
		if lp.ifIndexed {
			table = "lldpV2LocPortTable"
		}
		return 0, fmt.Sprintf("%s row %d (port ID %s, description %s) names no interface and %s", table, lp.num, quote.Q(id), quote.Q(desc), why)
	}
	return ifx, ""
}

// portBySuffix finds the one interface whose ifName, ifDescr or ifAlias
// ends in s after a prefix (a vendor's "1/3" for ifName "PORT-1/3",
// "Ethernet1/3" or ifDescr "Alcatel-Lucent 1/3"), never after a digit or a
// port-number separator (/ . :). s must hold a non-digit, so that a bare
// number never matches the tail of a slot/port name; two candidates match
// nothing.
func (d *decoder) portBySuffix(s string) int {
	s = strings.TrimSpace(s)
	if s == "" || !strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' }) {
		return 0
	}
	ls := strings.ToLower(s)
	found := 0
	for i, p := range d.sc.ports {
		for _, n := range []string{p.Name, p.Descr, p.Alias} {
			ln := strings.ToLower(strings.TrimSpace(n))
			if len(ln) <= len(ls) || !strings.HasSuffix(ln, ls) {
				continue
			}
			if c := ln[len(ln)-len(ls)-1]; c >= '0' && c <= '9' || strings.IndexByte("/.:", c) >= 0 {
				continue // the tail of a longer port number: "1/1" is not "2/1/1"
			}
			if found != 0 && found != i {
				return 0
			}
			found = i
		}
	}
	return found
}

// portByNumber reads an LLDP local port number as an interface: it is the
// ifIndex on some devices and the dot1dBasePort on bridges (LLDP-MIB's
// LldpPortNumber: "the same value as the dot1dBasePort" on an 802.1D/Q
// bridge, the ifIndex otherwise; devices differ, see Uninett/nav#319). When both name
// an interface and they differ, the Ethernet-like one wins (port number 1
// is ifIndex 1 "lo" but bridge port 1 "GigabitEthernet 1/1"); two
// Ethernet-like ones (or none) leave the port unknown. how says which
// reading was taken, why why none was.
func (d *decoder) portByNumber(n int) (ifx int, how, why string) {
	byIf := 0
	if d.sc.ports[n] != nil {
		byIf = n
	}
	byBridge := 0
	if b, ok := d.sc.basePort[n]; ok && d.sc.ports[b] != nil {
		byBridge = b
	}
	switch {
	case byIf == 0 && byBridge == 0:
		return 0, "", fmt.Sprintf("port number %d is neither an ifIndex nor a dot1dBasePort", n)
	case byBridge == 0 || byBridge == byIf:
		return byIf, "ifIndex", ""
	case byIf == 0:
		return byBridge, fmt.Sprintf("dot1dBasePort (ifIndex %d)", byBridge), ""
	}
	ethIf, ethBridge := d.sc.ports[byIf].Type == "ethernet", d.sc.ports[byBridge].Type == "ethernet"
	switch {
	case ethBridge && !ethIf:
		return byBridge, fmt.Sprintf("dot1dBasePort (ifIndex %d)", byBridge), ""
	case ethIf && !ethBridge:
		return byIf, "ifIndex", ""
	}
	return 0, "", fmt.Sprintf("port number %d is ifIndex %d (%s) and dot1dBasePort of ifIndex %d (%s), and neither is the only Ethernet-like one",
		n, byIf, quote.Q(d.sc.ports[byIf].Name), byBridge, quote.Q(d.sc.ports[byBridge].Name))
}

// remote decodes a remote-systems table whose index has idxLen integers;
// firstCol is the chassis ID subtype column (4 in V1, 5 in V2). local maps
// an index to the local ifIndex (0 = unknown) and a note.
func (d *decoder) remote(entry string, idxLen, firstCol int, local func([]int64) (int, string)) {
	// Each row's neighbour is appended to the switch's as the row is first
	// seen (nb is its place there); rows that turn out incomplete are
	// dropped at the end. The chassis and port IDs are decoded as they are
	// read: their subtype columns come first.
	// The rows, in the order first seen: every column lists them in the
	// same (index) order, so a row is looked for first where the previous
	// one of the column was found, and in the map, made on the first
	// miss, only when it is not there.
	cols := lldpRemCols
	if entry != oidLldpRemEntry {
		cols = lldpV2RemCols
	}
	n := d.countRows(cols[firstCol])
	v := 0
	if entry != oidLldpRemEntry {
		v = 1
	}
	slab := pooledSlab(&d.sc.rems[v], n)
	order := make([]*remRow, 0, n)
	first := len(d.s.Neighbours)
	d.s.Neighbours = slices.Grow(d.s.Neighbours, n)
	prefault.TouchSpare(d.s.Neighbours)
	var rems map[string]*remRow
	next := 0 // where the next row of a column is expected in order
	// While order is in strictly increasing index order (CompareOID),
	// as it is when the first column lists every row, a row is found by
	// binary search, and one beyond the last is new at once: the map is
	// made only for rows first seen out of order.
	sorted := true
	find := func(index string) *remRow {
		if next < len(order) && order[next].index == index {
			next++
			return order[next-1]
		}
		if sorted {
			if len(order) == 0 || CompareOID(order[len(order)-1].index, index) < 0 {
				return nil
			}
			i, ok := slices.BinarySearchFunc(order, index, func(r *remRow, t string) int { return CompareOID(r.index, t) })
			if !ok || order[i].index != index {
				return nil
			}
			next = i + 1
			return order[i]
		}
		if rems == nil {
			rems = make(map[string]*remRow, len(order))
			for _, r := range order {
				rems[r.index] = r
			}
		}
		r := rems[index]
		if r != nil {
			next = r.pos + 1
		}
		return r
	}
	var ixBuf [8]int64
	get := func(index string, line int) *remRow {
		r := find(index)
		if r == nil {
			ix, ok := appendIndexInts(ixBuf[:0], index)
			if !ok {
				d.problemf(line, "%s: index %q is not numeric", entry, index)
				return nil
			}
			r = slab.new()
			r.index, r.line, r.pos, r.nb = index, line, len(order), len(d.s.Neighbours)
			if len(ix) <= len(r.ixa) {
				r.ix = r.ixa[:copy(r.ixa[:], ix)]
			} else {
				r.ix = slices.Clone(ix)
			}
			if rems != nil {
				rems[index] = r
			}
			if sorted && len(order) > 0 && CompareOID(order[len(order)-1].index, index) >= 0 {
				sorted = false
			}
			order = append(order, r)
			next = len(order)
			d.s.Neighbours = append(d.s.Neighbours, topology.Neighbour{})
		}
		return r
	}
	nb := func(r *remRow) *topology.Neighbour { return &d.s.Neighbours[r.nb] }
	for ci := range 7 {
		prefix := cols[firstCol+ci]
		next = 0
		for _, row := range d.w.Rows(prefix) {
			r := get(row.Index, row.Line)
			if r == nil || !row.Value.Exists() {
				continue
			}
			switch ci {
			case 0:
				r.chSub, _ = num(row.Value)
			case 1:
				b := nb(r)
				b.ChassisIDSubtype, b.ChassisID = chassisID(&d.str, r.chSub, row.Value)
				r.haveCh = true
			case 2:
				r.ptSub, _ = num(row.Value)
			case 3:
				b := nb(r)
				b.PortIDSubtype, b.PortID = d.portID(r.ptSub, row.Value)
				r.havePt = true
			case 4:
				nb(r).PortDescr = d.text(row.Value)
			case 5:
				nb(r).SystemName = d.text(row.Value)
			case 6:
				nb(r).SystemDescr = d.text(row.Value)
			}
		}
	}
	isV1 := entry == oidLldpRemEntry
	if len(order) == 0 && !isV1 {
		return // (V1: a neighbour may be in lldpRemManAddrTable alone)
	}
	// 802.3 / 802.1 extensions share the V1 index.
	if isV1 {
		aggs := newSlab[topology.LinkAgg](len(order))
		next = 0
		for _, row := range d.w.Rows(oidLldpXdot3RemLinkAgg + ".1") {
			if r := find(row.Index); r != nil && len(row.Value.Bytes) >= 1 {
				st := row.Value.Bytes[0]
				b := nb(r)
				if b.LinkAgg == nil {
					b.LinkAgg = aggs.new()
				}
				b.LinkAgg.Capable, b.LinkAgg.Enabled = st&0x80 != 0, st&0x40 != 0
			}
		}
		next = 0
		for _, row := range d.w.Rows(oidLldpXdot3RemLinkAgg + ".2") {
			if r := find(row.Index); r != nil && nb(r).LinkAgg != nil {
				nb(r).LinkAgg.PortID, _ = num(row.Value)
			}
		}
		next = 0
		for _, row := range d.w.Rows(oidLldpXdot3RemMFS) {
			if r := find(row.Index); r != nil {
				nb(r).MaxFrameSize, _ = num(row.Value)
			}
		}
		next = 0
		for _, row := range d.w.Rows(oidLldpXdot1RemPVID) {
			if r := find(row.Index); r != nil {
				nb(r).PVID, _ = num(row.Value)
			}
		}
		// management addresses: index = time.port.rem.addrSubtype.len.addr…
		// A neighbour may be known from this table alone (a remote row
		// whose other columns the agent left out): it gets a row too.
		var manBuf [24]int64
		next = 0
		for _, row := range d.w.Rows(oidLldpRemManAddrIfSub) {
			ix, ok := appendIndexInts(manBuf[:0], row.Index)
			if !ok || len(ix) < 5 {
				continue
			}
			a := manAddr(ix[3:])
			if a == "" {
				continue
			}
			r := get(fmt.Sprintf("%d.%d.%d", ix[0], ix[1], ix[2]), row.Line)
			if r != nil && !slices.Contains(nb(r).MgmtAddrs, a) {
				nb(r).MgmtAddrs = append(nb(r).MgmtAddrs, a)
			}
		}
	}
	// Complete the neighbours in place, dropping the incomplete rows
	// (kept ones move down over them: r.nb only grows along order).
	kept := first
	for _, r := range order {
		index := r.index
		n := nb(r)
		n.Protocol = topology.ProtoLLDP
		if !r.haveCh {
			n.ChassisIDSubtype, n.ChassisID = chassisID(&d.str, r.chSub, Value{})
		}
		if !r.havePt {
			n.PortIDSubtype, n.PortID = d.portID(r.ptSub, Value{})
		}
		n.SystemName = strings.TrimSpace(n.SystemName)
		if n.ChassisID == "" && n.PortID == "" {
			// An incomplete row (no lldpRemChassisId/lldpRemPortId): kept
			// when its name, port description or a management address
			// says who the neighbour is, skipped with the reason otherwise.
			if n.SystemName == "" && n.PortDescr == "" && len(n.MgmtAddrs) == 0 {
				d.problemf(r.line, "%s.%s: remote row has no chassis ID, port ID, system name, port description or management address: skipped", entry, index)
				continue
			}
			n.ChassisIDSubtype, n.PortIDSubtype = "", ""
		}
		ifx, note := local(r.ix)
		if len(r.ix) != idxLen {
			d.problemf(r.line, "%s: index %s has %d parts, want %d: local port unknown", entry, index, len(r.ix), idxLen)
		} else if note != "" {
			d.problemf(r.line, "%s.%s: %s", entry, index, note)
		}
		if ifx != 0 {
			n.LocalPort = d.portName(ifx)
		}
		if n.LocalPort == "" && ifx != 0 {
			n.LocalPort = "ifIndex" + strconv.Itoa(ifx)
		}
		src := evKey{form: lineRemV1, lo: index}
		if !isV1 {
			src.form = lineRemV2
		}
		n.Source = d.evLine(src)
		d.s.Neighbours[kept] = *n
		kept++
	}
	clear(d.s.Neighbours[kept:])
	d.s.Neighbours = d.s.Neighbours[:kept]
}

// remRow is a row of a remote-systems table as remote reads it.
type remRow struct {
	index          string // the walk's text: not kept past the decode
	ix             []int64
	ixa            [4]int64 // ix when it fits
	nb, pos        int      // place in d.s.Neighbours and in order
	chSub, ptSub   int
	haveCh, havePt bool
	line           int
}

// manAddr decodes the address part of an lldpRemManAddrTable index
// (lldpRemManAddrSubtype, then the address, normally length-prefixed;
// Extreme SLX-OS leaves the length out: librenms slxos_slx9150
// ...4.2.1.3.471847600.4.36.1.10.15.193.50): IPv4 and IPv6; "" for other
// families, the unspecified address or a malformed index.
func manAddr(ix []int64) string {
	if len(ix) < 2 {
		return ""
	}
	var want int
	switch ix[0] {
	case 1:
		want = 4
	case 2:
		want = 16
	default:
		return ""
	}
	b := ix[1:]
	if len(b) == want+1 && b[0] == int64(want) {
		b = b[1:] // the usual length octet
	}
	if len(b) != want {
		return ""
	}
	var raw [16]byte
	for i, x := range b {
		if x < 0 || x > 255 {
			return ""
		}
		raw[i] = byte(x)
	}
	a := netip.AddrFrom16(raw)
	if want == 4 {
		a = netip.AddrFrom4([4]byte(raw[:4]))
	}
	if a.IsUnspecified() {
		return "" // 0.0.0.0: the agent's placeholder, no address
	}
	return a.String()
}
