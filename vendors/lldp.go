package vendors

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
)

type locPort struct {
	num, subtype int
	id           Value
	desc         string
}

// lldp decodes the local port table (mapping lldpLocPortNum to ifIndex) and
// the remote tables of LLDP-MIB and LLDP-V2-MIB.
func (d *decoder) lldp() {
	locs := map[int]*locPort{}
	for _, c := range []int{2, 3, 4} {
		prefix := oidLldpLocPortEntry + "." + strconv.Itoa(c)
		for _, r := range d.w.Column(prefix) {
			n, ok := d.intIndex(prefix, r)
			if !ok {
				continue
			}
			lp := locs[n]
			if lp == nil {
				lp = &locPort{num: n}
				locs[n] = lp
			}
			switch c {
			case 2:
				lp.subtype, _ = num(r.Value)
			case 3:
				lp.id = r.Value
			case 4:
				lp.desc = r.Value.Text()
			}
		}
	}
	// name index for joining lldpLocPortTable to IF-MIB
	// ifName wins over ifDescr, and the lowest ifIndex over higher ones,
	// so that the join never depends on map order.
	byName := map[string]int{}
	ifxs := make([]int, 0, len(d.ports))
	for i := range d.ports {
		ifxs = append(ifxs, i)
	}
	slices.Sort(ifxs)
	for _, pass := range []func(*topology.Port) string{
		func(p *topology.Port) string { return p.Name },
		func(p *topology.Port) string { return p.Descr },
	} {
		for _, i := range ifxs {
			if n := pass(d.ports[i]); n != "" {
				k := topology.NormalizePortName(n)
				if _, taken := byName[k]; !taken {
					byName[k] = i
				}
			}
		}
	}
	numToIf := map[int]int{}
	for n, lp := range locs {
		ifx := d.resolveLocPort(lp, byName)
		if ifx == 0 {
			continue
		}
		numToIf[n] = ifx
		p := d.ports[ifx]
		if n != ifx {
			p.LLDPPortNum = n
		}
		_, p.LLDPPortID = portID(lp.subtype, lp.id)
	}
	// V2 local ports are indexed by ifIndex.
	v2sub := map[int]int{}
	for _, r := range d.w.Column(oidLldpV2LocPortEntry + ".2") {
		if i, ok := d.intIndex(oidLldpV2LocPortEntry+".2", r); ok {
			v2sub[i], _ = num(r.Value)
		}
	}
	for _, r := range d.w.Column(oidLldpV2LocPortEntry + ".3") {
		if i, ok := d.intIndex(oidLldpV2LocPortEntry+".3", r); ok {
			if p := d.ports[i]; p != nil && p.LLDPPortID == "" {
				_, p.LLDPPortID = portID(v2sub[i], r.Value)
			}
		}
	}

	d.remote(oidLldpRemEntry, 3, 4, func(ix []int64) (int, string) {
		if len(ix) != 3 {
			return 0, ""
		}
		n := int(ix[1])
		if ifx, ok := numToIf[n]; ok {
			return ifx, ""
		}
		if len(locs) == 0 && d.ports[n] != nil {
			// no lldpLocPortTable: the local port number is all there is
			return n, fmt.Sprintf("lldpRemLocalPortNum %d taken as ifIndex (no lldpLocPortTable)", n)
		}
		return 0, fmt.Sprintf("lldpRemLocalPortNum %d matches no lldpLocPortTable row", n)
	})
	d.remote(oidLldpV2RemEntry, 4, 5, func(ix []int64) (int, string) {
		if len(ix) != 4 {
			return 0, ""
		}
		return int(ix[1]), ""
	})
}

// resolveLocPort finds the ifIndex of an lldpLocPortTable row: by its port
// ID (ifName/ifAlias/local names), by its description, by a numeric local
// ID that is an ifIndex (Junos), and last by the port number itself.
func (d *decoder) resolveLocPort(lp *locPort, byName map[string]int) int {
	id := lp.id.Text()
	if lp.subtype != 3 && lp.subtype != 4 && id != "" {
		if i, ok := byName[topology.NormalizePortName(id)]; ok {
			return i
		}
	}
	if lp.desc != "" {
		if i, ok := byName[topology.NormalizePortName(lp.desc)]; ok {
			return i
		}
	}
	if lp.subtype == 7 {
		if n, err := strconv.Atoi(id); err == nil && d.ports[n] != nil {
			return n
		}
	}
	if lp.subtype == 3 && len(lp.id.Bytes) == 6 {
		mac := HexString(lp.id.Bytes)
		found := 0
		for i, p := range d.ports {
			if p.MAC == mac && p.Type == "ethernet" {
				if found != 0 {
					found = -1
					break
				}
				found = i
			}
		}
		if found > 0 {
			return found
		}
	}
	if d.ports[lp.num] != nil {
		return lp.num
	}
	return 0
}

// remote decodes a remote-systems table whose index has idxLen integers;
// firstCol is the chassis ID subtype column (4 in V1, 5 in V2). local maps
// an index to the local ifIndex (0 = unknown) and a note.
func (d *decoder) remote(entry string, idxLen, firstCol int, local func([]int64) (int, string)) {
	type rem struct {
		ix            []int64
		b             topology.Neighbour
		chSub, ptSub  int
		chassis, port Value
		line          int
	}
	rems := map[string]*rem{}
	var order []string
	get := func(index string, line int) *rem {
		r := rems[index]
		if r == nil {
			ix, ok := IndexInts(index)
			if !ok {
				d.problemf(line, "%s: index %q is not numeric", entry, index)
				return nil
			}
			r = &rem{ix: ix, line: line}
			rems[index] = r
			order = append(order, index)
		}
		return r
	}
	cols := []int{firstCol, firstCol + 1, firstCol + 2, firstCol + 3, firstCol + 4, firstCol + 5, firstCol + 6}
	for ci, c := range cols {
		prefix := entry + "." + strconv.Itoa(c)
		for _, row := range d.w.Column(prefix) {
			r := get(row.Index, row.Line)
			if r == nil || !row.Value.Exists() {
				continue
			}
			switch ci {
			case 0:
				r.chSub, _ = num(row.Value)
			case 1:
				r.chassis = row.Value
			case 2:
				r.ptSub, _ = num(row.Value)
			case 3:
				r.port = row.Value
			case 4:
				r.b.PortDescr = row.Value.Text()
			case 5:
				r.b.SystemName = row.Value.Text()
			case 6:
				r.b.SystemDescr = row.Value.Text()
			}
		}
	}
	isV1 := entry == oidLldpRemEntry
	if len(rems) == 0 && !isV1 {
		return // (V1: a neighbour may be in lldpRemManAddrTable alone)
	}
	// 802.3 / 802.1 extensions share the V1 index.
	if isV1 {
		for _, row := range d.w.Column(oidLldpXdot3RemLinkAgg + ".1") {
			if r := rems[row.Index]; r != nil && len(row.Value.Bytes) >= 1 {
				st := row.Value.Bytes[0]
				if r.b.LinkAgg == nil {
					r.b.LinkAgg = &topology.LinkAgg{}
				}
				r.b.LinkAgg.Capable, r.b.LinkAgg.Enabled = st&0x80 != 0, st&0x40 != 0
			}
		}
		for _, row := range d.w.Column(oidLldpXdot3RemLinkAgg + ".2") {
			if r := rems[row.Index]; r != nil && r.b.LinkAgg != nil {
				r.b.LinkAgg.PortID, _ = num(row.Value)
			}
		}
		for _, row := range d.w.Column(oidLldpXdot3RemMFS) {
			if r := rems[row.Index]; r != nil {
				r.b.MaxFrameSize, _ = num(row.Value)
			}
		}
		for _, row := range d.w.Column(oidLldpXdot1RemPVID) {
			if r := rems[row.Index]; r != nil {
				r.b.PVID, _ = num(row.Value)
			}
		}
		// management addresses: index = time.port.rem.addrSubtype.len.addr…
		// A neighbour may be known from this table alone (a remote row
		// whose other columns the agent left out): it gets a row too.
		for _, row := range d.w.Column(oidLldpRemManAddrIfSub) {
			ix, ok := IndexInts(row.Index)
			if !ok || len(ix) < 5 {
				continue
			}
			a := manAddr(ix[3:])
			if a == "" {
				continue
			}
			r := get(fmt.Sprintf("%d.%d.%d", ix[0], ix[1], ix[2]), row.Line)
			if r != nil && !slices.Contains(r.b.MgmtAddrs, a) {
				r.b.MgmtAddrs = append(r.b.MgmtAddrs, a)
			}
		}
	}
	for _, index := range order {
		r := rems[index]
		n := r.b
		n.Protocol = topology.ProtoLLDP
		n.ChassisIDSubtype, n.ChassisID = chassisID(r.chSub, r.chassis)
		n.PortIDSubtype, n.PortID = portID(r.ptSub, r.port)
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
		n.Source = fmt.Sprintf("LLDP-MIB lldpRemTable.%s", index)
		if !isV1 {
			n.Source = fmt.Sprintf("LLDP-V2-MIB lldpV2RemTable.%s", index)
		}
		d.s.Neighbours = append(d.s.Neighbours, n)
	}
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
