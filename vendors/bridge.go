package vendors

import (
	"fmt"
	"slices"
	"unsafe"

	"github.com/bondaudit/bondaudit/topology"
)

// vlans reads PVIDs and VLAN membership bitmaps through base ports.
func (d *decoder) vlans() {
	for _, r := range d.w.Rows(oidDot1qPvid) {
		bp, ok := d.intIndex(oidDot1qPvid, r)
		if !ok {
			continue
		}
		if p := d.sc.ports[d.sc.basePort[bp]]; p != nil {
			p.PVID, _ = num(r.Value)
			d.s.VLANSource = "Q-BRIDGE-MIB"
		}
	}
	// Current table (index timeMark.vlan) first; the static table (index
	// vlan) when the agent has no current table.
	egress, untagged := map[int][]byte{}, map[int][]byte{}
	var ixBuf [4]int64
	read := func(col string, want int, into map[int][]byte) {
		for _, r := range d.w.Rows(col) {
			ix, ok := appendIndexInts(ixBuf[:0], r.Index)
			if !ok || len(ix) != want {
				d.problemf(r.Line, "%s.%s: unexpected index", col, r.Index)
				continue
			}
			vlan := int(ix[len(ix)-1])
			into[vlan] = r.Value.Bytes
		}
	}
	read(oidDot1qCurEgress, 2, egress)
	read(oidDot1qCurUntagged, 2, untagged)
	if len(egress) == 0 {
		read(oidDot1qStatEgress, 1, egress)
		read(oidDot1qStatUntagged, 1, untagged)
	}
	d.s.VLANsKnown = len(egress) > 0
	if d.s.VLANsKnown {
		d.s.VLANSource = "Q-BRIDGE-MIB"
	}
	vids := make([]int, 0, len(egress))
	for v := range egress {
		vids = append(vids, v)
	}
	slices.Sort(vids)
	// The port of each bridge port number the lists can hold (as
	// d.sc.ports[d.sc.basePort[n]] gives it: a number without a base
	// port is ifIndex 0's), looked up once, not per bit of every list.
	bits := 0
	for _, e := range egress {
		bits = max(bits, 8*len(e))
	}
	portOf := func(n int) *topology.Port { return d.sc.ports[d.sc.basePort[n]] }
	if bits <= maxPortListBits {
		byBP := slices.Grow(d.sc.byBP[:0], bits+1)[:bits+1]
		none := d.sc.ports[0]
		for i := range byBP {
			byBP[i] = none
		}
		for bp, ifx := range d.sc.basePort {
			if bp >= 1 && bp <= bits {
				byBP[bp] = d.sc.ports[ifx]
			}
		}
		d.sc.byBP = byBP
		portOf = func(n int) *topology.Port { return byBP[n] }
	}
	for _, v := range vids {
		// The dot1dBasePort numbers set in the egress PortList (the
		// first octet's most significant bit is port 1), untagged when
		// the same bit of the untagged list is set.
		un := untagged[v]
		for i, c := range egress[v] {
			if c == 0 {
				continue
			}
			for bit := range 8 {
				if c&(0x80>>bit) == 0 {
					continue
				}
				p := portOf(i*8 + bit + 1)
				if p == nil {
					continue
				}
				if i < len(un) && un[i]&(0x80>>bit) != 0 {
					p.Untagged = append(p.Untagged, v)
				} else {
					p.Tagged = append(p.Tagged, v)
				}
			}
		}
	}
}

// maxPortListBits bounds the bridge port numbers vlans looks up in an
// array (a PortList of 8 KiB, 65,536 ports); longer lists, which only a
// broken agent sends, are read through the maps.
const maxPortListBits = 1 << 16

// fdb reads learned MAC addresses (Q-BRIDGE-MIB, else BRIDGE-MIB).
func (d *decoder) fdb() {
	fdbVLAN := map[int]int{}
	var ixBuf [8]int64
	for _, r := range d.w.Rows(oidDot1qVlanFdbID) {
		ix, ok := appendIndexInts(ixBuf[:0], r.Index)
		if !ok || len(ix) != 2 {
			continue
		}
		if f, ok := num(r.Value); ok {
			fdbVLAN[f] = int(ix[1])
		}
	}
	// A row's status is looked up in the status column, which lists the
	// rows in the same order: each search goes on from the previous
	// row's (at), with the OID made in a reused buffer.
	at := 0
	skip := func(statusCol, index string) bool {
		key := append(append(append(d.buf[:0], statusCol...), '.'), index...)
		d.buf = key
		if v, ok := d.w.getAfter(&at, unsafe.String(unsafe.SliceData(key), len(key))); ok {
			st, _ := num(v)
			return st == 2 || st == 4 || st == 5 // invalid, self, mgmt
		}
		return false
	}
	add := func(macIx []int64, vlan int, r Row) {
		bp, _ := num(r.Value)
		ifx := d.sc.basePort[bp]
		name := d.portName(ifx)
		if bp == 0 || name == "" {
			return
		}
		var b [6]byte
		for i, x := range macIx {
			if x < 0 || x > 255 {
				d.problemf(r.Line, "FDB index %s: octet out of range", r.Index)
				return
			}
			b[i] = byte(x)
		}
		d.s.FDB = append(d.s.FDB, topology.FDBEntry{MAC: d.str.hex(b[:]), VLAN: vlan, Port: name})
	}
	haveQ := false
	for _, r := range d.w.Rows(oidDot1qTpFdbPort) {
		haveQ = true
		ix, ok := appendIndexInts(ixBuf[:0], r.Index)
		if !ok || len(ix) != 7 {
			d.problemf(r.Line, "dot1qTpFdbPort.%s: index is not fdbId + 6 octets", r.Index)
			continue
		}
		if skip(oidDot1qTpFdbStatus, r.Index) {
			continue
		}
		vlan := int(ix[0])
		if v, ok := fdbVLAN[vlan]; ok {
			vlan = v
		}
		add(ix[1:], vlan, r)
	}
	if haveQ {
		return
	}
	at = 0
	for _, r := range d.w.Rows(oidDot1dTpFdbPort) {
		ix, ok := appendIndexInts(ixBuf[:0], r.Index)
		if !ok || len(ix) != 6 {
			d.problemf(r.Line, "dot1dTpFdbPort.%s: index is not 6 octets", r.Index)
			continue
		}
		if skip(oidDot1dTpFdbStatus, r.Index) {
			continue
		}
		add(ix, 0, r)
	}
}

// VLANFDB decodes the learned MACs of one VLAN context, as Cisco IOS
// serves BRIDGE-MIB per VLAN (community@vlan, or SNMPv3 context vlan-N):
// ctx holds that context's dot1dBasePortTable and dot1dTpFdbTable. Ports
// are named through s (already decoded from the main walk).
func VLANFDB(ctx *Walk, vlan int, s *topology.Switch) ([]topology.FDBEntry, []string) {
	d := newDecoder(ctx, &topology.Switch{})
	defer d.sc.release()
	for i := range s.Ports {
		if s.Ports[i].IfIndex > 0 {
			d.sc.ports[s.Ports[i].IfIndex] = &s.Ports[i]
		}
	}
	d.bridge()
	d.fdb()
	for i := range d.s.FDB {
		d.s.FDB[i].VLAN = vlan
	}
	var probs []string
	for _, p := range d.problems {
		probs = append(probs, fmt.Sprintf("VLAN %d context: %s", vlan, p))
	}
	return d.s.FDB, probs
}
