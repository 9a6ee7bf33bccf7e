// Package mikrotik is bondaudit's knowledge of MikroTik RouterOS (and
// SwOS) devices, enterprise 14988: their discovery neighbours from
// MIKROTIK-MIB's mtxrNeighborTable where LLDP-MIB names none.
//
// RouterOS's neighbour list (/ip neighbor) merges what MNDP, CDP and LLDP
// heard; MIKROTIK-MIB serves it as mtxrNeighborTable
// (1.3.6.1.4.1.14988.1.1.11.1.1, indexed by an arbitrary row number): the
// neighbour's IP address (column 2), MAC address (3), version (4),
// platform (5), identity (6), software ID (7) and the local interface's
// ifIndex (8). It names no remote port and no protocol: the MAC address is
// the one the discovery frame came from, the neighbour's interface, so it
// is decoded as a MAC port ID (which the model joins to a host NIC), the
// identity as the system name. Rows are LLDP-kind neighbours with a
// source saying they come from RouterOS's merged table.
//
// Bonding: MIKROTIK-MIB has no bonding or LAG membership table (its
// subtrees are wireless, queues, health, licence, hotspot, DHCP, scripts,
// neighbours, GPS, modems, interface statistics, PoE, optics, partitions);
// RouterOS bonds are ifType 161 interfaces whose slaves the standard
// decoder reads from ifStackTable, so this package adds nothing for them.
//
// Tested on: the librenms routeros_crs317 recording (real; its LLDP-MIB
// remote table has rows, so no neighbour is added, and its
// mtxrNeighborTable has only the interface column, which places those
// rows: see placeLLDP) and hand-written walks whose neighbour
// rows follow the MIB and whose ifTable follows that recording.
//
// Like vendors, it does no I/O and imports only vendors and topology.
package mikrotik

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

const (
	oidNeighbor   = "1.3.6.1.4.1.14988.1.1.11" // MIKROTIK-MIB mtxrNeighbor
	neighborEntry = oidNeighbor + ".1.1"       // mtxrNeighborTableEntry, indexed by mtxrNeighborIndex
	mib           = "MIKROTIK-MIB "
)

// RouterOS is MikroTik RouterOS / SwOS.
var RouterOS = vendors.Profile{
	Name:        "mikrotik",
	Enterprises: []int{14988},
	OIDs:        []string{oidNeighbor},
	Columns:     vendors.EntryColumns(neighborEntry, 2, 3, 4, 5, 6, 7, 8),
	Decode:      decode,
	Tested: []string{
		"librenms routeros_crs317 (CRS317-1G-16S+, real recording): LLDP-MIB has the neighbours under one-part indexes; all 18 placed through mtxrNeighborInterfaceID of the same number",
		"MIKROTIK-MIB mtxrNeighborTable where LLDP-MIB is empty: hand-written walks following the MIB, ifTable laid out as in routeros_crs317",
		"bond membership: ifStackTable (standard); MIKROTIK-MIB has no bonding table",
	},
}

func decode(w *vendors.Walk, s *topology.Switch, problems *[]topology.Problem) {
	for _, n := range s.Neighbours {
		if n.Protocol == topology.ProtoLLDP {
			placeLLDP(w, s, problems)
			return // LLDP-MIB named the neighbours: do not count them twice
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
	type row struct {
		cols map[int]vendors.Value
		line int
	}
	rows := map[int]*row{}
	for col := 2; col <= 8; col++ {
		for _, r := range w.Rows(neighborEntry + "." + strconv.Itoa(col)) {
			i, err := strconv.Atoi(r.Index)
			if err != nil || i < 0 {
				vendors.AddProblem(problems, r.Line, mib+"mtxrNeighborTable: index %q is not a row number", r.Index)
				continue
			}
			if !r.Value.Exists() {
				continue
			}
			x := rows[i]
			if x == nil {
				x = &row{cols: map[int]vendors.Value{}, line: r.Line}
				rows[i] = x
			}
			x.cols[col] = r.Value
		}
	}
	added := false
	for _, i := range sortedKeys(rows) {
		r := rows[i]
		var n topology.Neighbour
		n.Protocol = topology.ProtoLLDP
		if v, ok := r.cols[3]; ok {
			if len(v.Bytes) == 6 {
				n.PortIDSubtype, n.PortID = topology.IDMAC, vendors.HexString(v.Bytes)
			} else if m := topology.NormalizeMAC(v.Text()); m != "" {
				n.PortIDSubtype, n.PortID = topology.IDMAC, m
			}
			if n.PortID == topology.ZeroMAC {
				n.PortIDSubtype, n.PortID = "", ""
			}
		}
		if v, ok := r.cols[6]; ok {
			n.SystemName = strings.TrimSpace(v.Text())
		}
		var descr []string
		for _, c := range []int{5, 4} { // platform, version
			if v, ok := r.cols[c]; ok && strings.TrimSpace(v.Text()) != "" {
				descr = append(descr, strings.TrimSpace(v.Text()))
			}
		}
		n.SystemDescr = strings.Join(descr, " ")
		if v, ok := r.cols[2]; ok && len(v.Bytes) == 4 {
			if a := netip.AddrFrom4([4]byte(v.Bytes)); !a.IsUnspecified() {
				n.MgmtAddrs = []string{a.String()}
			}
		} else if ok {
			if a, err := netip.ParseAddr(strings.TrimSpace(v.Text())); err == nil && !a.IsUnspecified() {
				n.MgmtAddrs = []string{a.String()}
			}
		}
		if n.PortID == "" && n.SystemName == "" && len(n.MgmtAddrs) == 0 {
			continue // nothing identifies the neighbour (only the interface column, as in routeros_crs317)
		}
		if v, ok := r.cols[8]; ok {
			ifx, _ := v.Number()
			name, found := byIf[int(ifx)]
			if !found {
				vendors.AddProblem(problems, r.line, mib+"mtxrNeighborInterfaceID.%d = %d: not in ifTable: neighbour on no port", i, ifx)
			}
			n.LocalPort = name
		} else {
			vendors.AddProblem(problems, r.line, mib+"mtxrNeighborTable row %d has no mtxrNeighborInterfaceID: neighbour on no port", i)
		}
		n.Source = fmt.Sprintf(mib+"mtxrNeighborTable.%d (RouterOS neighbour list: MNDP, CDP or LLDP)", i)
		s.Neighbours = append(s.Neighbours, n)
		added = true
	}
	if added {
		// The standard decoder's order: local port, chassis ID, port ID.
		slices.SortStableFunc(s.Neighbours, func(a, b topology.Neighbour) int {
			return cmp.Or(cmp.Compare(a.LocalPort, b.LocalPort), cmp.Compare(a.ChassisID, b.ChassisID), cmp.Compare(a.PortID, b.PortID))
		})
	}
}

// lldpRem is the source the standard decoder gives an LLDP-MIB remote row.
const lldpRem = "LLDP-MIB lldpRemTable."

// placeLLDP places the LLDP-MIB neighbours RouterOS serves without a local
// port. RouterOS indexes lldpRemTable by its neighbour list's row number
// alone (one part, not timeMark.localPortNum.index), so the standard
// decoder cannot tell which port heard a row; MIKROTIK-MIB's
// mtxrNeighborTable is the same neighbour list under the same row numbers,
// and its mtxrNeighborInterfaceID (column 8) is the ifIndex of the port
// that heard it (routeros_crs317: both tables hold the same 18 numbers).
// A row is placed only when its number has an interface in both tables;
// the standard decoder's "local port unknown" problem for it is then
// withdrawn and the neighbour's source says how it was placed.
func placeLLDP(w *vendors.Walk, s *topology.Switch, problems *[]topology.Problem) {
	ifOf := map[string]int{}
	for _, r := range w.Rows(neighborEntry + ".8") {
		if v, ok := r.Value.Number(); ok && v > 0 && v < 1<<31 {
			ifOf[r.Index] = int(v)
		}
	}
	if len(ifOf) == 0 {
		return
	}
	byIf := map[int]string{}
	for _, p := range s.Ports {
		byIf[p.IfIndex] = p.Name
	}
	placed := map[string]bool{}
	for i := range s.Neighbours {
		n := &s.Neighbours[i]
		idx, ok := strings.CutPrefix(n.Source, lldpRem)
		if !ok || n.LocalPort != "" || n.Protocol != topology.ProtoLLDP || strings.Contains(idx, ".") {
			continue
		}
		name, ok := byIf[ifOf[idx]]
		if !ok {
			continue
		}
		n.LocalPort = name
		n.Source += fmt.Sprintf(" on %s by "+mib+"mtxrNeighborInterfaceID.%s = %d (RouterOS numbers both tables by its neighbour list)", name, idx, ifOf[idx])
		placed[idx] = true
	}
	if len(placed) == 0 {
		return
	}
	*problems = slices.DeleteFunc(*problems, func(p topology.Problem) bool {
		for idx := range placed {
			if strings.HasSuffix(p.What, ": index "+idx+" has 1 parts, want 3: local port unknown") {
				return true
			}
		}
		return false
	})
	slices.SortStableFunc(s.Neighbours, func(a, b topology.Neighbour) int {
		return cmp.Or(cmp.Compare(a.LocalPort, b.LocalPort), cmp.Compare(a.ChassisID, b.ChassisID), cmp.Compare(a.PortID, b.PortID))
	})
}

func sortedKeys[V any](m map[int]V) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
