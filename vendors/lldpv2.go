package vendors

import (
	"fmt"
)

// lldpV2 decodes LLDP-V2-MIB (IEEE 802.1AB-2009, 1.3.111.2.802.1.1.13).
// Its local port table (lldpV2LocPortTable) is indexed by
// lldpV2LocPortIfIndex and gives the port ID each port sends; its remote
// table (lldpV2RemTable) is indexed by lldpV2RemTimeMark,
// lldpV2RemLocalIfIndex, lldpV2RemLocalDestMACAddress (a row of
// lldpV2DestAddressTable: nearest bridge, nearest customer bridge, …) and
// lldpV2RemIndex, its columns one above LLDP-MIB's (chassis ID subtype is
// column 5). Neighbours are read from it only when LLDP-MIB gave none
// (v1Empty): devices that implement both mirror one agent, and the
// neighbour would be counted twice.
//
// The local interface goes through the same resolution as LLDP-MIB's: the
// local port's port ID or description naming an interface wins over the
// bare number, which is read as an ifIndex only (the MIB says it is one).
func (d *decoder) lldpV2(byName *portNames, v1Empty bool) {
	locs := d.locPorts(lldpV2LocPortCols, true)
	ifxOf := map[int]int{}
	why := map[int]string{}
	// in increasing ifIndex order: a port two rows resolve to sends the
	// port ID of the lowest (the first that gives one), on every decode
	for _, n := range d.locNums(locs) {
		lp := locs[n]
		ifx, w := d.resolveLocPort(lp, byName)
		if ifx == 0 {
			why[n] = w
			continue
		}
		ifxOf[n] = ifx
		if p := d.sc.ports[ifx]; p.LLDPPortID == "" {
			p.LLDPPortID = d.portIDOf(p, lp.subtype, lp.id)
		}
	}
	if !v1Empty {
		return
	}
	d.remote(oidLldpV2RemEntry, 4, 5, func(ix []int64) (int, string) {
		if len(ix) != 4 {
			return 0, ""
		}
		n := int(ix[1])
		if ifx, ok := ifxOf[n]; ok {
			return ifx, ""
		}
		if w, ok := why[n]; ok {
			return 0, fmt.Sprintf("lldpV2RemLocalIfIndex %d: local port unknown: %s", n, w)
		}
		if d.sc.ports[n] != nil {
			return n, ""
		}
		return 0, fmt.Sprintf("lldpV2RemLocalIfIndex %d is no interface and has no lldpV2LocPortTable row", n)
	})
}
