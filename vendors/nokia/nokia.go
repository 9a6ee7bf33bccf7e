// Package nokia is bondaudit's knowledge of Nokia (formerly Alcatel-Lucent,
// Timetra) SR OS routers and switches, enterprise 6527: their LLDP
// neighbours from TIMETRA-LLDP-MIB's remote table where LLDP-MIB's is
// empty. SR OS serves lldpLocManAddrTable but leaves lldpRemTable empty
// (the observation netdisco and Observium record beside their use of
// tmnxLldpRemTable); its own table is indexed by time mark, the local
// port's ifIndex, the destination MAC address index (nearest bridge,
// nearest non-TPMR bridge, nearest customer bridge) and the remote index,
// and its columns repeat LLDP-MIB's (chassis and port ID subtype and value,
// port description, system name and description).
//
// No shared recording is of SR OS. The public librenms recording
// tests/snmpsim/timos.snmprec (sysObjectID 6527.1.3) has no LLDP-MIB rows
// at all and three tmnxLldpRemTable rows (port ID subtype local holding
// the peer's ifIndex as text; one row on a local ifIndex its ifTable
// lacks); the tests use hand-written walks in that layout, with its
// ifTable numbering (ports 1/1/N at ifIndex 35684352 + 32768·(N-1)).
//
// Like vendors, it does no I/O and imports only vendors and topology.
package nokia

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

const (
	oidRemoteData = "1.3.6.1.4.1.6527.3.1.2.59.4" // TIMETRA-LLDP-MIB tmnxLldpRemoteSystemsData
	remEntry      = oidRemoteData + ".1.1"        // tmnxLldpRemEntry: timeMark.ifIndex.destMAC.remIndex
	manAddrIfSub  = oidRemoteData + ".2.1.3"      // tmnxLldpRemManAddrIfSubtype: …remIndex.addrSubtype.len.addr
	mib           = "TIMETRA-LLDP-MIB "
)

// SROS is Nokia SR OS (7750 SR, 7250 IXR, 7210 SAS).
var SROS = vendors.Profile{
	Name:        "nokia-sros",
	Enterprises: []int{6527},
	OIDs:        []string{oidRemoteData},
	Columns:     append(vendors.EntryColumns(remEntry, 4, 5, 6, 7, 8, 9, 10), manAddrIfSub),
	Decode:      decode,
	Tested: []string{
		"TIMETRA-LLDP-MIB tmnxLldpRemTable where LLDP-MIB has no neighbour: hand-written walks in the layout of the public librenms tests/snmpsim/timos.snmprec (7750 SR, 6527.1.3: three rows, no LLDP-MIB); no shared recording",
	},
}

var destMAC = map[int64]string{1: "nearest-bridge", 2: "nearest-non-tpmr", 3: "nearest-customer"}

func decode(w *vendors.Walk, s *topology.Switch, problems *[]topology.Problem) {
	for _, n := range s.Neighbours {
		if n.Protocol == topology.ProtoLLDP {
			return // LLDP-MIB (or LLDP-V2-MIB) named the neighbours: do not count them twice
		}
	}
	byIf := map[int]string{}
	for _, p := range s.Ports {
		byIf[p.IfIndex] = p.Name
	}
	for _, l := range s.LAGs {
		if l.IfIndex != 0 {
			byIf[l.IfIndex] = l.Name
		}
	}
	type rem struct {
		ix            []int64
		chSub, ptSub  int
		chassis, port vendors.Value
		n             topology.Neighbour
		line          int
	}
	rems := map[string]*rem{}
	var order []string
	for col := 4; col <= 10; col++ {
		for _, row := range w.Rows(remEntry + "." + strconv.Itoa(col)) {
			r := rems[row.Index]
			if r == nil {
				ix, ok := vendors.IndexInts(row.Index)
				if !ok || len(ix) != 4 {
					vendors.AddProblem(problems, row.Line, mib+"tmnxLldpRemEntry: index %q is not timeMark.ifIndex.destMAC.remIndex", row.Index)
					continue
				}
				r = &rem{ix: ix, line: row.Line}
				rems[row.Index] = r
				order = append(order, row.Index)
			}
			if !row.Value.Exists() {
				continue
			}
			switch col {
			case 4:
				n, _ := row.Value.Number()
				r.chSub = int(n)
			case 5:
				r.chassis = row.Value
			case 6:
				n, _ := row.Value.Number()
				r.ptSub = int(n)
			case 7:
				r.port = row.Value
			case 8:
				r.n.PortDescr = row.Value.Text()
			case 9:
				r.n.SystemName = strings.TrimSpace(row.Value.Text())
			case 10:
				r.n.SystemDescr = row.Value.Text()
			}
		}
	}
	if len(rems) == 0 {
		return
	}
	// IPv4 management addresses: …remIndex.1(ipV4).4.a.b.c.d
	for _, row := range w.Rows(manAddrIfSub) {
		ix, ok := vendors.IndexInts(row.Index)
		if !ok || len(ix) != 10 || ix[4] != 1 || ix[5] != 4 {
			continue
		}
		key := fmt.Sprintf("%d.%d.%d.%d", ix[0], ix[1], ix[2], ix[3])
		if r := rems[key]; r != nil {
			r.n.MgmtAddrs = append(r.n.MgmtAddrs, fmt.Sprintf("%d.%d.%d.%d", ix[6], ix[7], ix[8], ix[9]))
		}
	}
	for _, index := range order {
		r := rems[index]
		n := r.n
		n.Protocol = topology.ProtoLLDP
		n.ChassisIDSubtype, n.ChassisID = vendors.LLDPChassisID(r.chSub, r.chassis)
		n.PortIDSubtype, n.PortID = vendors.LLDPPortID(r.ptSub, r.port)
		if n.ChassisID == "" && n.PortID == "" {
			continue
		}
		ifx := r.ix[1]
		name, ok := byIf[int(ifx)]
		if !ok {
			vendors.AddProblem(problems, r.line, mib+"tmnxLldpRemEntry.%s: local ifIndex %d is not in ifTable: neighbour on no port", index, ifx)
		}
		n.LocalPort = name
		dest := destMAC[r.ix[2]]
		if dest == "" {
			dest = "destination " + strconv.FormatInt(r.ix[2], 10)
		}
		n.Source = fmt.Sprintf(mib+"tmnxLldpRemTable.%s (%s)", index, dest)
		s.Neighbours = append(s.Neighbours, n)
	}
	// The standard decoder's order: local port, chassis ID, port ID.
	slices.SortStableFunc(s.Neighbours, func(a, b topology.Neighbour) int {
		return cmp.Or(cmp.Compare(a.LocalPort, b.LocalPort), cmp.Compare(a.ChassisID, b.ChassisID), cmp.Compare(a.PortID, b.PortID))
	})
}
