// Package huawei is bondaudit's knowledge of Huawei VRP switches: what the standard
// MIBs miss or get wrong on them, decoded from their vendor MIBs.
//
// Eth-Trunk interfaces are Huawei's LAGs. Where the agent stacks members
// under them in ifStackTable (librenms yunshan) the standard decoder reads
// them; HUAWEI-IF-EXT-MIB adds what ifStackTable cannot say:
//
//   - hwTrunkIfTable: which ifIndex is Eth-Trunk N and its working mode:
//     normalMode ("mode manual load-balance") and masterBackup are static,
//     lacpMode ("mode lacp" / lacp-static) and lacpCompatibleMode run LACP;
//   - hwTrunkMemTable: the members, whether each is selected (bundled),
//     deselected or independent, up or down, and its LACP mode.
//
// Some VRP agents report Eth-Trunk as ifType ethernetCsmacd; an interface
// that hwTrunkIfTable names as a trunk, or that is named Eth-TrunkN and has
// ports stacked under it in ifStackTable, is taken as a LAG all the same.
//
// HUAWEI-M-LAG-MIB defines only accessible-for-notify objects (hwdfsGroupId,
// hwsysMac, hwdfsType, hwdfsPeerAddress, OIDS.md): they travel in traps and
// a conforming agent returns none of them on a walk. They are decoded when a
// walk has them all the same (Switch.MLAG kind "mlag", domain "dfs-group-N",
// the M-LAG system MAC and peer address); which Eth-Trunks are M-LAG member
// interfaces is in no MIB, so LAG.MLAG is never set.
//
// No recording has HUAWEI-IF-EXT-MIB trunk rows or M-LAG rows (INDEX.md:
// "HUAWEI hwTrunk" not found in any LibreNMS recording); both are tested on
// hand-written walks.
//
// Like vendors, it does no I/O and imports only vendors and topology.
package huawei

import (
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

const (
	oidTrunkIf  = "1.3.6.1.4.1.2011.5.25.41.1.3.3"    // hwTrunkIfTable
	oidTrunkMem = "1.3.6.1.4.1.2011.5.25.41.1.4.1"    // hwTrunkMemTable
	oidMLAG     = "1.3.6.1.4.1.2011.5.25.178.8"       // HUAWEI-M-LAG-MIB
	trunkIfEnt  = oidTrunkIf + ".1"                   // hwTrunkIfEntry, index hwTrunkIndex
	trunkMemEnt = oidTrunkMem + ".1"                  // hwTrunkMemEntry, index hwTrunkIndex.hwTrunkMemifIndex
	dfsEntry    = "1.3.6.1.4.1.2011.5.25.178.8.1.3.1" // hwdfsGroupId(1), hwsysMac(2), hwdfsType(3), hwdfsPeerAddress(4)
	mibIfExt    = "HUAWEI-IF-EXT-MIB "
	mibMLAG     = "HUAWEI-M-LAG-MIB "
)

// VRP is Huawei VRP (CloudEngine, S series), with M-LAG.
var VRP = vendors.Profile{
	Name:        "huawei",
	Enterprises: []int{2011},
	OIDs:        []string{oidTrunkIf, oidTrunkMem, oidMLAG},
	Columns: slices.Concat(vendors.EntryColumns(trunkIfEnt, 2, 3, 4, 9),
		vendors.EntryColumns(trunkMemEnt, 2, 3, 6, 14),
		vendors.EntryColumns(dfsEntry, 1, 2, 3, 4)),
	Decode: decode,
	Tested: []string{
		"librenms yunshan (S6750-H YunShan OS 1.24: Eth-Trunk1/2/53 via ifStackTable, no HUAWEI-IF-EXT-MIB trunk rows: nothing added)",
		"librenms vrp_5720 (S5720 V200R010: no Eth-Trunk, no trunk or M-LAG rows: nothing added)",
		"hwTrunkIfTable/hwTrunkMemTable (manual vs LACP, member states), Eth-Trunk as ifType 6, M-LAG rows: hand-written walks only",
	},
}

var ethTrunk = regexp.MustCompile(`(?i)^eth-trunk\s*(\d{1,6})$`)

type view struct {
	s     *topology.Switch
	byIf  map[int]*topology.Port
	lag   map[int]int // LAG ifIndex -> index into s.LAGs
	probs *[]topology.Problem
}

func (v *view) problemf(line int, format string, args ...any) {
	vendors.AddProblem(v.probs, line, format, args...)
}

func (v *view) index() {
	v.byIf = map[int]*topology.Port{}
	v.lag = map[int]int{}
	for i := range v.s.Ports {
		v.byIf[v.s.Ports[i].IfIndex] = &v.s.Ports[i]
	}
	for i := range v.s.LAGs {
		if v.s.LAGs[i].IfIndex != 0 {
			v.lag[v.s.LAGs[i].IfIndex] = i
		}
	}
}

func (v *view) name(ifx int) string {
	if p := v.byIf[ifx]; p != nil {
		return p.Name
	}
	return "ifIndex" + strconv.Itoa(ifx)
}

// makeLAG turns an interface the data proves to be an Eth-Trunk into a LAG.
func (v *view) makeLAG(ifx int, ev string) int {
	li, _ := vendors.MakeLAG(v.s, v.lag, v.byIf[ifx], ifx, ev)
	return li
}

func (v *view) addMember(li, ifx int, ev string) {
	l := &v.s.LAGs[li]
	n := v.name(ifx)
	if slices.Contains(l.Members, n) || ifx == l.IfIndex {
		return
	}
	l.Members = append(l.Members, n)
	l.Evidence = append(l.Evidence, ev)
}

type cell struct {
	val  vendors.Value
	line int
}

func (c cell) number() int {
	n, ok := c.val.Number()
	if !ok || n < -1<<31 || n > 1<<32 {
		return 0
	}
	return int(n)
}

var (
	workingMode  = map[int]string{1: "masterBackup", 2: "normalMode", 3: "lacpMode", 4: "lacpCompatibleMode", 5: "portStandbyMode", -1: "invalid"}
	selectStatus = map[int]string{1: "trunkSelected", 2: "trunkDeselected", 3: "trunkIndep", -1: "invalid"}
	upDown       = map[int]string{1: "up", 2: "down"}
	portLacpMode = map[int]string{1: "invalid", 2: "active", 3: "passive"}
)

func enumText(m map[int]string, n int) string {
	if t, ok := m[n]; ok {
		return t
	}
	return strconv.Itoa(n)
}

func decode(w *vendors.Walk, s *topology.Switch, problems *[]topology.Problem) {
	v := &view{s: s, probs: problems}
	v.index()
	v.namedTrunks(w)
	trunkLAG := v.trunks(w)
	v.members(w, trunkLAG)
	for i := range s.LAGs {
		slices.Sort(s.LAGs[i].Members)
	}
	slices.SortFunc(s.LAGs, func(a, b topology.LAG) int { return strings.Compare(a.Name, b.Name) })
	v.mlag(w)
}

// namedTrunks makes LAGs of Eth-TrunkN interfaces the standard decoder did
// not take for aggregates (ifType ethernetCsmacd) but that have ports
// stacked under them.
func (v *view) namedTrunks(w *vendors.Walk) {
	for _, hl := range w.ActiveStack() {
		hi, lo := hl[0], hl[1]
		ph, pl := v.byIf[hi], v.byIf[lo]
		if ph == nil || pl == nil || pl.Type != "ethernet" || !ethTrunk.MatchString(ph.Name) {
			continue
		}
		li := v.makeLAG(hi, fmt.Sprintf("IF-MIB ifName.%d = %s (type %s): a VRP Eth-Trunk by name", hi, ph.Name, ph.Type))
		if li >= 0 {
			v.addMember(li, lo, fmt.Sprintf("IF-MIB ifStackStatus.%d.%d = active (%s under %s)", hi, lo, pl.Name, ph.Name))
		}
	}
}

// trunks reads hwTrunkIfTable: returns hwTrunkIndex -> LAG index.
func (v *view) trunks(w *vendors.Walk) map[int]int {
	rows := map[int]map[int]cell{}
	for _, c := range []int{2, 3, 4, 9} {
		for _, r := range w.Rows(trunkIfEnt + "." + strconv.Itoa(c)) {
			i, err := strconv.Atoi(r.Index)
			if err != nil || !r.Value.Exists() {
				continue
			}
			if rows[i] == nil {
				rows[i] = map[int]cell{}
			}
			rows[i][c] = cell{r.Value, r.Line}
		}
	}
	out := map[int]int{}
	for _, t := range slices.Sorted(maps.Keys(rows)) {
		r := rows[t]
		c, ok := r[4]
		if !ok {
			continue
		}
		if tc, ok := r[3]; ok && tc.number() == 2 {
			continue // ipTrunk: not Ethernet
		}
		ifx := c.number()
		ev := fmt.Sprintf(mibIfExt+"hwTrunkIfIndex.%d = %d (%s)", t, ifx, v.name(ifx))
		if tc, ok := r[2]; ok {
			ev += fmt.Sprintf(", hwTrunkIfID.%d = %d", t, tc.number())
		}
		li, existed := v.lag[ifx]
		if !existed {
			li = v.makeLAG(ifx, ev)
		}
		if li < 0 {
			v.problemf(c.line, mibIfExt+"hwTrunkIfIndex.%d = %d: no such interface in ifTable", t, ifx)
			continue
		}
		out[t] = li
		l := &v.s.LAGs[li]
		if existed {
			l.Evidence = append(l.Evidence, ev)
		}
		mc, ok := r[9]
		if !ok {
			continue
		}
		mode := mc.number()
		var kind topology.LAGKind
		switch mode {
		case 2, 1:
			kind = topology.LAGStatic
		case 3, 4:
			kind = topology.LAGLACP
		}
		ev = fmt.Sprintf(mibIfExt+"hwTrunkIfWorkingMode.%d = %s", t, enumText(workingMode, mode))
		switch {
		case kind == "":
			l.Evidence = append(l.Evidence, ev)
		case l.Kind == topology.LAGUnknown || l.Kind == kind:
			l.Kind = kind
			l.Evidence = append(l.Evidence, ev)
		default:
			v.problemf(mc.line, "%s: %s, but IEEE8023-LAG-MIB made it %s: kind left %s", l.Name, ev, l.Kind, l.Kind)
		}
	}
	return out
}

// members reads hwTrunkMemTable.
func (v *view) members(w *vendors.Walk, trunkLAG map[int]int) {
	type key struct{ t, m int }
	rows := map[key]map[int]cell{}
	var keys []key
	for _, c := range []int{2, 3, 6, 14} {
		for _, r := range w.Rows(trunkMemEnt + "." + strconv.Itoa(c)) {
			ix, ok := vendors.IndexInts(r.Index)
			if !ok || len(ix) != 2 || ix[0] < 0 || ix[1] <= 0 || ix[0] > 1<<31 || ix[1] > 1<<31 || !r.Value.Exists() {
				continue
			}
			k := key{int(ix[0]), int(ix[1])}
			if rows[k] == nil {
				rows[k] = map[int]cell{}
				keys = append(keys, k)
			}
			rows[k][c] = cell{r.Value, r.Line}
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.t != b.t {
			return a.t - b.t
		}
		return a.m - b.m
	})
	for _, k := range keys {
		r := rows[k]
		li, ok := trunkLAG[k.t]
		if !ok {
			continue
		}
		if c, ok := r[2]; ok && c.number() == 2 {
			continue // hwTrunkValidEntry invalid
		}
		p := v.byIf[k.m]
		if p == nil {
			line := 0
			for _, c := range []int{2, 3, 6, 14} {
				if x, ok := r[c]; ok {
					line = x.line
					break
				}
			}
			v.problemf(line, mibIfExt+"hwTrunkMemTable row %d.%d: member ifIndex %d is not in ifTable", k.t, k.m, k.m)
			continue
		}
		l := &v.s.LAGs[li]
		mev := fmt.Sprintf(mibIfExt+"hwTrunkMemTable row %d.%d: %s is a member of %s", k.t, k.m, p.Name, l.Name)
		if _, ok := r[2]; ok {
			mev = fmt.Sprintf(mibIfExt+"hwTrunkValidEntry.%d.%d = valid: %s is a member of %s", k.t, k.m, p.Name, l.Name)
		}
		v.addMember(li, k.m, mev)
		var ev []string
		status := ""
		if c, ok := r[3]; ok {
			n := c.number()
			ev = append(ev, fmt.Sprintf(mibIfExt+"hwTrunkSelectStatus.%d.%d = %s", k.t, k.m, enumText(selectStatus, n)))
			switch n {
			case 1:
				status = "bundled"
			case 2:
				status = "suspended"
			case 3:
				status = "individual"
			}
		}
		if c, ok := r[6]; ok {
			n := c.number()
			ev = append(ev, fmt.Sprintf(mibIfExt+"hwTrunkOperstatus.%d.%d = %s", k.t, k.m, enumText(upDown, n)))
			if n == 2 {
				status = "down"
			}
		}
		if !p.Oper.Up() {
			status = "down"
		}
		mode := ""
		switch l.Kind {
		case topology.LAGStatic:
			mode = "on"
		case topology.LAGLACP:
			if c, ok := r[14]; ok {
				n := c.number()
				ev = append(ev, fmt.Sprintf(mibIfExt+"hwTrunkPortLacpMode.%d.%d = %s", k.t, k.m, enumText(portLacpMode, n)))
				if n == 2 || n == 3 {
					mode = portLacpMode[n]
				}
			}
		}
		if len(ev) == 0 && mode == "" {
			continue
		}
		if p.LACP == nil {
			p.LACP = &topology.PortLACP{}
		}
		if p.LACP.Status == "" {
			p.LACP.Status = status
		}
		if p.LACP.Mode == "" {
			p.LACP.Mode = mode
		}
		if p.LACP.AttachedAgg == 0 && status == "bundled" {
			p.LACP.AttachedAgg = l.IfIndex
		}
		p.LACP.Evidence = append(p.LACP.Evidence, ev...)
	}
}

// mlag decodes HUAWEI-M-LAG-MIB objects, when an agent returns them.
func (v *view) mlag(w *vendors.Walk) {
	cols := map[int][]vendors.Row{}
	for c := 1; c <= 4; c++ {
		cols[c] = w.Column(dfsEntry + "." + strconv.Itoa(c))
	}
	if len(cols[1]) == 0 {
		return
	}
	first := cols[1][0]
	idx := first.Index
	n, ok := first.Value.Number()
	if !ok || n < 0 || n > 1<<32 {
		v.problemf(first.Line, mibMLAG+"hwdfsGroupId.%s: not a number", idx)
		return
	}
	m := &topology.MLAG{Kind: "mlag", Domain: "dfs-group-" + strconv.FormatInt(n, 10)}
	m.Evidence = append(m.Evidence, fmt.Sprintf(mibMLAG+"hwdfsGroupId.%s = %d", idx, n))
	get := func(c int) (vendors.Value, bool) {
		for _, r := range cols[c] {
			if r.Index == idx && r.Value.Exists() {
				return r.Value, true
			}
		}
		return vendors.Value{}, false
	}
	if val, ok := get(2); ok && len(val.Bytes) == 6 {
		if mac := vendors.HexString(val.Bytes); mac != topology.ZeroMAC {
			m.SystemID = mac
			m.Evidence = append(m.Evidence, fmt.Sprintf(mibMLAG+"hwsysMac.%s = %s (the M-LAG system MAC)", idx, mac))
		}
	}
	if val, ok := get(3); ok && val.Text() != "" {
		m.Evidence = append(m.Evidence, fmt.Sprintf(mibMLAG+"hwdfsType.%s = %s", idx, val.Text()))
	}
	if val, ok := get(4); ok {
		if a := address(val); a != "" {
			m.Peer = a
			m.Evidence = append(m.Evidence, fmt.Sprintf(mibMLAG+"hwdfsPeerAddress.%s = %s", idx, a))
		}
	}
	if len(cols[1]) > 1 {
		v.problemf(cols[1][1].Line, mibMLAG+"several hwdfsGroupId rows; the first (%s) decoded", idx)
	}
	v.s.MLAG = m
}

// address renders a peer address given as text or as 4/16 octets.
func address(val vendors.Value) string {
	t := val.Text()
	if a, err := netip.ParseAddr(t); err == nil {
		return a.String()
	}
	switch len(val.Bytes) {
	case 4:
		return netip.AddrFrom4([4]byte(val.Bytes)).String()
	case 16:
		return netip.AddrFrom16([16]byte(val.Bytes)).String()
	}
	return ""
}
