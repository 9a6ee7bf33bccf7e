package sitegen

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/bondaudit/bondaudit/topology"
)

// rec appends snmprec lines ("OID|TYPE|VALUE", snmpsim's format).
type rec struct{ b []byte }

// o starts a line with oid (no trailing dot).
func (r *rec) o(oid string) *rec { r.b = append(r.b, oid...); return r }

// i appends one index sub-identifier.
func (r *rec) i(n int) *rec {
	r.b = append(r.b, '.')
	r.b = strconv.AppendInt(r.b, int64(n), 10)
	return r
}

func (r *rec) typ(t string) {
	r.b = append(r.b, '|')
	r.b = append(r.b, t...)
	r.b = append(r.b, '|')
}

// integer writes an Integer32 (type 2).
func (r *rec) integer(v int) {
	r.typ("2")
	r.b = strconv.AppendInt(r.b, int64(v), 10)
	r.b = append(r.b, '\n')
}

// unsigned writes a Gauge32/Unsigned32 (66) or TimeTicks (67) value.
func (r *rec) unsigned(t string, v uint64) {
	r.typ(t)
	r.b = strconv.AppendUint(r.b, v, 10)
	r.b = append(r.b, '\n')
}

// str writes an OCTET STRING, hex-encoded (4x) when it holds anything but
// printable ASCII, as snmpsim's recorders do.
func (r *rec) str(s string) {
	plain := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			plain = false
			break
		}
	}
	if plain {
		r.typ("4")
		r.b = append(r.b, s...)
	} else {
		r.typ("4x")
		for i := 0; i < len(s); i++ {
			r.b = append(r.b, hexDigits[s[i]>>4], hexDigits[s[i]&15])
		}
	}
	r.b = append(r.b, '\n')
}

func (r *rec) mac(m MAC) {
	r.typ("4x")
	r.b = m.appendHex(r.b)
	r.b = append(r.b, '\n')
}

// bits writes an LACP state as IEEE8023-LAG-MIB LacpState BITS.
func (r *rec) bits(state topology.LACPState) {
	r.typ("4x")
	v := reverseBits(uint8(state))
	r.b = append(r.b, hexDigits[v>>4], hexDigits[v&15], '\n')
}

func (r *rec) oid(v string) {
	r.typ("6")
	r.b = append(r.b, v...)
	r.b = append(r.b, '\n')
}

// ifEntry is one IF-MIB row: a port or a LAG.
type ifEntry struct {
	ifIndex int
	port    *Port
	lag     *LAG
}

// OIDs written, in the order they sort.
const (
	oidLLDPLocal   = "1.0.8802.1.1.2.1.3"
	oidLLDPLocPort = "1.0.8802.1.1.2.1.3.7.1"
	oidLLDPRem     = "1.0.8802.1.1.2.1.4.1.1"
	oidAggEntry    = "1.2.840.10006.300.43.1.1.1.1"
	oidAggPort     = "1.2.840.10006.300.43.1.2.1.1"
	oidSystem      = "1.3.6.1.2.1.1"
	oidIfEntry     = "1.3.6.1.2.1.2.2.1"
	oidBase        = "1.3.6.1.2.1.17.1"
	oidBasePort    = "1.3.6.1.2.1.17.1.4.1"
	oidQFdb        = "1.3.6.1.2.1.17.7.1.2.2.1"
	oidQPvid       = "1.3.6.1.2.1.17.7.1.4.5.1.1"
	oidIfX         = "1.3.6.1.2.1.31.1.1.1"
	oidIfStack     = "1.3.6.1.2.1.31.1.2.1.3"
)

// AppendSnmprec appends sw's SNMP agent contents in snmprec format, lines
// sorted by OID as snmpsim requires: system group, IF-MIB ifTable, ifXTable
// and ifStackTable, LLDP-MIB local data, local ports and remote table,
// IEEE8023-LAG-MIB dot3adAggTable and dot3adAggPortTable, BRIDGE-MIB
// dot1dBasePortTable and Q-BRIDGE-MIB dot1qPvid and dot1qTpFdbTable. The
// site must be resolved.
func AppendSnmprec(b []byte, sw *Switch) []byte {
	r := &rec{b: b}
	ifs := make([]ifEntry, 0, len(sw.Ports)+len(sw.LAGs))
	for _, p := range sw.Ports {
		ifs = append(ifs, ifEntry{ifIndex: p.IfIndex, port: p})
	}
	for _, l := range sw.LAGs {
		ifs = append(ifs, ifEntry{ifIndex: l.IfIndex, lag: l})
	}
	slices.SortFunc(ifs, func(a, b ifEntry) int { return cmp.Compare(a.ifIndex, b.ifIndex) })

	appendLLDP(r, sw)
	appendLAGMIB(r, sw)

	// SNMPv2-MIB system group.
	r.o(oidSystem).i(1).i(0).str(sw.SysDescr)
	r.o(oidSystem).i(2).i(0).oid(sw.SysObjectID)
	r.o(oidSystem).i(3).i(0).unsigned("67", uint64(sw.UptimeTicks))
	r.o(oidSystem).i(4).i(0).str(sw.Contact)
	r.o(oidSystem).i(5).i(0).str(sw.Name)
	r.o(oidSystem).i(6).i(0).str(sw.Location)
	r.o("1.3.6.1.2.1.2.1.0").integer(len(ifs))

	// IF-MIB ifTable.
	for col := 1; col <= 8; col++ {
		for _, e := range ifs {
			r.o(oidIfEntry).i(col).i(e.ifIndex)
			p, l := e.port, e.lag
			switch col {
			case 1:
				r.integer(e.ifIndex)
			case 2:
				if p != nil {
					r.str(p.Descr)
				} else {
					r.str(l.Descr)
				}
			case 3:
				switch {
				case p != nil:
					r.integer(6)
				case sw.Vendor == CiscoIOS:
					r.integer(53) // propVirtual, as IOS reports Port-channels
				default:
					r.integer(161)
				}
			case 4:
				if p != nil {
					r.integer(p.MTU)
				} else {
					r.integer(sw.mtu)
				}
			case 5:
				r.unsigned("66", min(uint64(ifSpeed(e))*1000000, 4294967295))
			case 6:
				if p != nil {
					r.mac(p.MAC)
				} else {
					r.mac(l.MAC)
				}
			case 7:
				if p == nil || p.AdminUp {
					r.integer(1)
				} else {
					r.integer(2)
				}
			case 8:
				r.integer(ifOper(sw, e))
			}
		}
	}

	// BRIDGE-MIB.
	bps := make([]ifEntry, 0, len(ifs))
	for _, e := range ifs {
		bp := e.ifIndex
		if e.port != nil {
			bp = e.port.BasePort
		} else {
			bp = e.lag.BasePort
		}
		bps = append(bps, ifEntry{ifIndex: bp, port: e.port, lag: e.lag})
	}
	slices.SortFunc(bps, func(a, b ifEntry) int { return cmp.Compare(a.ifIndex, b.ifIndex) })
	r.o(oidBase).i(1).i(0).mac(sw.ChassisMAC)
	r.o(oidBase).i(2).i(0).integer(len(bps))
	for col := 1; col <= 2; col++ {
		for _, e := range bps {
			r.o(oidBasePort).i(col).i(e.ifIndex)
			switch {
			case col == 1:
				r.integer(e.ifIndex)
			case e.port != nil:
				r.integer(e.port.IfIndex)
			default:
				r.integer(e.lag.IfIndex)
			}
		}
	}
	// Q-BRIDGE-MIB dot1qTpFdbTable, dot1qVlanStaticTable, then dot1qPvid.
	for col := 2; col <= 3; col++ {
		for _, f := range sw.FDB {
			r.o(oidQFdb).i(col).i(f.VLAN)
			r.b = append(r.b, '.')
			r.b = f.MAC.appendDotted(r.b)
			if col == 2 {
				r.integer(f.Port.BasePort)
			} else {
				r.integer(3) // learned
			}
		}
	}
	// dot1qVlanStaticTable (…1.4.3) sorts before dot1qPvid (…1.4.5)
	if sw.VLANs {
		appendVLANStatic(r, bps)
	}
	for _, e := range bps {
		pvid := 0
		if e.port != nil {
			pvid = e.port.PVID
		} else {
			pvid = e.lag.PVID
		}
		r.o(oidQPvid).i(e.ifIndex).unsigned("66", uint64(pvid))
	}

	// IF-MIB ifXTable.
	for _, col := range [...]int{1, 15, 18} {
		for _, e := range ifs {
			r.o(oidIfX).i(col).i(e.ifIndex)
			p, l := e.port, e.lag
			switch col {
			case 1:
				if p != nil {
					r.str(p.Name)
				} else {
					r.str(l.Name)
				}
			case 15:
				r.unsigned("66", uint64(ifSpeed(e)))
			case 18:
				if p != nil {
					r.str(p.Alias)
				} else {
					r.str(l.Alias)
				}
			}
		}
	}

	// IF-MIB ifStackTable: LAG over members, 0 on top of what nothing is
	// stacked on, 0 below physical ports.
	type stackRow struct{ hi, lo int }
	rows := make([]stackRow, 0, 2*len(ifs))
	for _, e := range ifs {
		if e.port != nil {
			if e.port.LAG == nil {
				rows = append(rows, stackRow{0, e.ifIndex})
			} else {
				rows = append(rows, stackRow{e.port.LAG.IfIndex, e.ifIndex})
			}
			rows = append(rows, stackRow{e.ifIndex, 0})
			continue
		}
		rows = append(rows, stackRow{0, e.ifIndex})
		if len(e.lag.Members) == 0 {
			rows = append(rows, stackRow{e.ifIndex, 0})
		}
	}
	slices.SortFunc(rows, func(a, b stackRow) int {
		if c := cmp.Compare(a.hi, b.hi); c != 0 {
			return c
		}
		return cmp.Compare(a.lo, b.lo)
	})
	for _, row := range rows {
		r.o(oidIfStack).i(row.hi).i(row.lo).integer(1)
	}
	return r.b
}

func ifSpeed(e ifEntry) int {
	if e.port != nil {
		return e.port.Speed
	}
	return e.lag.Speed
}

func ifOper(sw *Switch, e ifEntry) int {
	if e.port != nil {
		if e.port.OperUp {
			return 1
		}
		return 2
	}
	switch {
	case e.lag.OperUp:
		return 1
	case sw.Vendor == Arista:
		return 7 // lowerLayerDown
	default:
		return 2
	}
}

// lldpPortDescr is the LLDP port description a switch sends for p.
func lldpPortDescr(p *Port) string {
	if p.Alias != "" {
		return p.Alias
	}
	return p.Descr
}

// lldpChassis is the chassis ID lldpd on h sends: the first NIC's address.
func lldpChassis(h *Host) MAC {
	if len(h.NICs) == 0 {
		return MAC{}
	}
	return h.NICs[0].PermMAC
}

// lldpSysDescr is what lldpd sends as system description.
func lldpSysDescr(h *Host) string {
	return h.OS.Pretty + " Linux " + h.OS.Kernel + " " + h.OS.KernelBuild + " x86_64"
}

func appendLLDP(r *rec, sw *Switch) {
	r.o(oidLLDPLocal).i(1).i(0).integer(4) // macAddress
	r.o(oidLLDPLocal).i(2).i(0).mac(sw.ChassisMAC)
	r.o(oidLLDPLocal).i(3).i(0).str(sw.Name)
	r.o(oidLLDPLocal).i(4).i(0).str(sw.SysDescr)
	for col := 2; col <= 4; col++ {
		for _, p := range sw.Ports {
			r.o(oidLLDPLocPort).i(col).i(p.LLDPPortNum)
			switch col {
			case 2:
				r.integer(5) // interfaceName
			case 3:
				r.str(p.Name)
			case 4:
				r.str(lldpPortDescr(p))
			}
		}
	}
	for col := 4; col <= 10; col++ {
		for _, p := range sw.Ports {
			if p.remIndex == 0 {
				continue
			}
			r.o(oidLLDPRem).i(col).i(0).i(p.LLDPPortNum).i(p.remIndex)
			if q := p.Peer; q != nil {
				switch col {
				case 4:
					r.integer(4)
				case 5:
					r.mac(q.Switch.ChassisMAC)
				case 6:
					r.integer(5)
				case 7:
					r.str(q.Name)
				case 8:
					r.str(lldpPortDescr(q))
				case 9:
					r.str(q.Switch.Name)
				case 10:
					r.str(q.Switch.SysDescr)
				}
				continue
			}
			n := p.NIC
			switch col {
			case 4:
				r.integer(4)
			case 5:
				r.mac(lldpChassis(n.Host))
			case 6:
				if n.Host.LLDPPortIDIfName {
					r.integer(5)
				} else {
					r.integer(3)
				}
			case 7:
				if n.Host.LLDPPortIDIfName {
					r.str(n.Name)
				} else {
					r.mac(n.PermMAC)
				}
			case 8:
				r.str(n.Name)
			case 9:
				r.str(n.Host.Name)
			case 10:
				r.str(lldpSysDescr(n.Host))
			}
		}
	}
}

func appendLAGMIB(r *rec, sw *Switch) {
	var lags []*LAG
	var members []*Port
	for _, l := range sw.LAGs {
		if !l.LACP {
			continue
		}
		lags = append(lags, l)
		for _, p := range l.Members {
			if p.LACP != nil {
				members = append(members, p)
			}
		}
	}
	slices.SortFunc(lags, func(a, b *LAG) int { return cmp.Compare(a.IfIndex, b.IfIndex) })
	slices.SortFunc(members, func(a, b *Port) int { return cmp.Compare(a.IfIndex, b.IfIndex) })
	for col := 2; col <= 11; col++ {
		for _, l := range lags {
			r.o(oidAggEntry).i(col).i(l.IfIndex)
			switch col {
			case 2:
				r.mac(l.MAC)
			case 3:
				r.integer(sw.LACPPriority)
			case 4:
				r.mac(l.ActorSystem())
			case 5:
				r.integer(1) // aggregate
			case 6, 7:
				r.integer(l.Number)
			case 8:
				r.mac(l.Partner.System)
			case 9:
				r.integer(l.Partner.SystemPriority)
			case 10:
				r.integer(l.Partner.Key)
			case 11:
				r.integer(0)
			}
		}
	}
	for col := 2; col <= 24; col++ {
		for _, p := range members {
			pl := p.LACP
			r.o(oidAggPort).i(col).i(p.IfIndex)
			switch col {
			case 2:
				r.integer(pl.Actor.SystemPriority)
			case 3:
				r.mac(pl.Actor.System)
			case 4, 5:
				r.integer(pl.Actor.Key)
			case 6, 10, 16, 18:
				r.integer(0) // partner admin values
			case 7:
				r.integer(pl.Partner.SystemPriority)
			case 8:
				r.mac(MAC{})
			case 9:
				r.mac(pl.Partner.System)
			case 11:
				r.integer(pl.Partner.Key)
			case 12:
				r.integer(pl.Selected)
			case 13:
				r.integer(pl.Attached)
			case 14:
				r.integer(pl.Actor.Port)
			case 15:
				r.integer(pl.Actor.PortPriority)
			case 17:
				r.integer(pl.Partner.Port)
			case 19:
				r.integer(pl.Partner.PortPriority)
			case 20:
				r.bits(pl.ActorAdminState)
			case 21:
				r.bits(pl.Actor.State)
			case 22:
				r.bits(0)
			case 23:
				r.bits(pl.Partner.State)
			case 24:
				if pl.Individual {
					r.integer(2)
				} else {
					r.integer(1)
				}
			}
		}
	}
}

// appendVLANStatic writes dot1qVlanStaticEgressPorts and
// dot1qVlanStaticUntaggedPorts: each VLAN's member base ports as a PortList
// (first octet's high bit = base port 1). Untagged = the port's PVID.
func appendVLANStatic(r *rec, bps []ifEntry) {
	const oidQStatic = "1.3.6.1.2.1.17.7.1.4.3.1"
	egress, untagged := map[int][]int{}, map[int][]int{}
	maxBP := 0
	for _, e := range bps {
		pvid, tagged := 0, []int(nil)
		if e.port != nil {
			pvid, tagged = e.port.PVID, e.port.Tagged
		} else {
			pvid, tagged = e.lag.PVID, e.lag.Tagged
		}
		if pvid > 0 {
			egress[pvid] = append(egress[pvid], e.ifIndex)
			untagged[pvid] = append(untagged[pvid], e.ifIndex)
		}
		for _, v := range tagged {
			egress[v] = append(egress[v], e.ifIndex)
		}
		maxBP = max(maxBP, e.ifIndex)
	}
	var vids []int
	for v := range egress {
		vids = append(vids, v)
	}
	slices.Sort(vids)
	list := func(bps []int) string {
		b := make([]byte, (maxBP+7)/8)
		for _, bp := range bps {
			b[(bp-1)/8] |= 0x80 >> ((bp - 1) % 8)
		}
		return string(b)
	}
	for _, col := range [...]int{2, 4} {
		for _, v := range vids {
			r.o(oidQStatic).i(col).i(v)
			if col == 2 {
				r.str(list(egress[v]))
			} else {
				r.str(list(untagged[v]))
			}
		}
	}
}
