// Package snmporacle is an independent reading of the standard MIBs in a
// recorded walk (snmprec), used only by tests to check what the product's
// decoder (vendors, collect/snmp) makes of the shared real-device
// recordings: which local port each LLDP and CDP neighbour is on, and which
// LAG has which members. It imports nothing from the module on purpose (a
// test keeps it so): its snmprec reader and its interpretation of IF-MIB,
// BRIDGE-MIB, LLDP-MIB, LLDP-V2-MIB, CISCO-CDP-MIB, IEEE8023-LAG-MIB and
// ifStackTable are written from the MIB texts, not from the product code.
package snmporacle

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Value is one recorded value: its snmprec type tag and raw bytes.
type Value struct {
	Tag string // "2" integer, "4" octet string, "64" IpAddress, ...
	Raw []byte
}

// Int is the value as an integer, false when it is not one.
func (v Value) Int() (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(string(v.Raw)))
	return n, err == nil
}

// Walk is a recording: OID (numeric, no leading dot) → value.
type Walk map[string]Value

// Read parses snmprec text: "OID|tag|value" per line, the tag ending in
// "x" when the value is hex-encoded.
func Read(r io.Reader) (Walk, error) {
	w := Walk{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		oid, rest, ok := strings.Cut(line, "|")
		if !ok {
			return nil, fmt.Errorf("line %d: no '|'", n)
		}
		tag, val, ok := strings.Cut(rest, "|")
		if !ok {
			return nil, fmt.Errorf("line %d: no value", n)
		}
		raw := []byte(val)
		if strings.HasSuffix(tag, "x") {
			b, err := hex.DecodeString(val)
			if err != nil {
				return nil, fmt.Errorf("line %d: bad hex: %v", n, err)
			}
			tag, raw = strings.TrimSuffix(tag, "x"), b
		}
		w[strings.TrimPrefix(oid, ".")] = Value{Tag: tag, Raw: raw}
	}
	return w, sc.Err()
}

// column returns index → value for every row of a table column (the OID
// prefix without its trailing dot).
func (w Walk) column(prefix string) map[string]Value {
	out := map[string]Value{}
	p := prefix + "."
	for oid, v := range w {
		if strings.HasPrefix(oid, p) {
			out[oid[len(p):]] = v
		}
	}
	return out
}

// intColumn is column with one-integer indexes.
func (w Walk) intColumn(prefix string) map[int]Value {
	out := map[int]Value{}
	for idx, v := range w.column(prefix) {
		if n, err := strconv.Atoi(idx); err == nil {
			out[n] = v
		}
	}
	return out
}

// Interface is one IF-MIB row.
type Interface struct {
	Index              int
	Name, Descr, Alias string
	Type               int
	Up                 bool // ifOperStatus up(1)
}

// Label is the name a port goes by: ifName, else ifDescr, else
// "ifIndex<n>".
func (i *Interface) Label() string {
	name, descr := strings.TrimSpace(i.Name), strings.TrimSpace(i.Descr)
	switch {
	case name != "":
		return name
	case descr != "":
		return descr
	}
	return "ifIndex" + strconv.Itoa(i.Index)
}

// ethernetLike: ethernetCsmacd(6), iso88023Csmacd(7), fastEther(62),
// fastEtherFX(69), gigabitEthernet(117).
func (i *Interface) ethernetLike() bool {
	switch i.Type {
	case 6, 7, 62, 69, 117:
		return true
	}
	return false
}

// Neighbour is one row of a neighbour table, placed.
type Neighbour struct {
	Protocol   string // lldp, lldp-v2, cdp
	Local      string // local port label, "" when unplaced
	Chassis    string
	SystemName string
	Port       string
}

// String is the neighbour on one line.
func (n Neighbour) String() string {
	l := n.Local
	if l == "" {
		l = "?"
	}
	return fmt.Sprintf("%s %s: chassis=%s sys=%s port=%s", n.Protocol, show(l), show(n.Chassis), show(n.SystemName), show(n.Port))
}

// LAG is one aggregate with its member labels (sorted).
type LAG struct {
	Name    string
	Members []string
}

func (l LAG) String() string {
	m := strings.Join(l.Members, " ")
	if m == "" {
		m = "-"
	}
	return "lag " + show(l.Name) + ": " + show(m)
}

func show(s string) string {
	return strconv.Quote(s)
}

// Device is what the oracle reads from a walk.
type Device struct {
	Interfaces map[int]*Interface
	Neighbours []Neighbour
	LAGs       []LAG
}

// Lines are the device's LAGs and neighbours, one per line, sorted.
func (d *Device) Lines() []string {
	var out []string
	for _, l := range d.LAGs {
		out = append(out, l.String())
	}
	for _, n := range d.Neighbours {
		out = append(out, n.String())
	}
	sort.Strings(out)
	return out
}

const (
	ifDescr         = "1.3.6.1.2.1.2.2.1.2"
	ifType          = "1.3.6.1.2.1.2.2.1.3"
	ifOperStatus    = "1.3.6.1.2.1.2.2.1.8"
	ifName          = "1.3.6.1.2.1.31.1.1.1.1"
	ifAlias         = "1.3.6.1.2.1.31.1.1.1.18"
	ifStackStatus   = "1.3.6.1.2.1.31.1.2.1.3"
	basePortIfIndex = "1.3.6.1.2.1.17.1.4.1.2"

	lldpLocPortEntry = "1.0.8802.1.1.2.1.3.7.1"
	lldpRemEntry     = "1.0.8802.1.1.2.1.4.1.1"
	lldpV2LocPort    = "1.3.111.2.802.1.1.13.1.3.7.1"
	lldpV2RemEntry   = "1.3.111.2.802.1.1.13.1.4.1.1"
	cdpCacheEntry    = "1.3.6.1.4.1.9.9.23.1.2.1.1"

	mtxrNeighborInterfaceID = "1.3.6.1.4.1.14988.1.1.11.1.1.8"

	aggIndex        = "1.2.840.10006.300.43.1.1.1.1.1"
	aggPortSelected = "1.2.840.10006.300.43.1.2.1.1.12"
	aggPortAttached = "1.2.840.10006.300.43.1.2.1.1.13"
)

// Decode reads a walk.
func Decode(w Walk) *Device {
	d := &Device{Interfaces: map[int]*Interface{}}
	get := func(i int) *Interface {
		if d.Interfaces[i] == nil {
			d.Interfaces[i] = &Interface{Index: i}
		}
		return d.Interfaces[i]
	}
	for i, v := range w.intColumn(ifDescr) {
		get(i).Descr = string(v.Raw)
	}
	for i, v := range w.intColumn(ifType) {
		get(i).Type, _ = v.Int()
	}
	for i, v := range w.intColumn(ifOperStatus) {
		n, _ := v.Int()
		get(i).Up = n == 1
	}
	for i, v := range w.intColumn(ifName) {
		get(i).Name = string(v.Raw)
	}
	for i, v := range w.intColumn(ifAlias) {
		get(i).Alias = string(v.Raw)
	}
	d.lldp(w)
	d.lldpV2(w)
	d.cdp(w)
	d.lags(w)
	return d
}

// text renders an octet string: as text when it is printable UTF-8,
// otherwise as hex pairs joined by ':'.
func text(b []byte) string {
	if printable(b) {
		return string(b)
	}
	return hexColon(b)
}

func printable(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

func hexColon(b []byte) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = fmt.Sprintf("%02x", c)
	}
	return strings.Join(parts, ":")
}

// chassisID renders an LLDP chassis ID by its subtype (LldpChassisIdSubtype:
// 4 macAddress, 5 networkAddress with an IANA family octet).
func chassisID(subtype int, b []byte) string {
	switch {
	case subtype == 4 && len(b) == 6:
		return hexColon(b)
	case subtype == 4 && macText(b) != "":
		return macText(b)
	case subtype == 5 && len(b) == 5 && b[0] == 1:
		return netip.AddrFrom4([4]byte(b[1:])).String()
	case subtype == 5 && len(b) == 17 && b[0] == 2:
		return netip.AddrFrom16([16]byte(b[1:])).String()
	}
	return text(b)
}

// macText is a MAC address recorded as text ("e4 f0 04 e1 89 18",
// "64:D1:54:F2:A4:16", "e4f0.04e1.8918") in lower-case colon form, "" when
// the text is not one.
func macText(b []byte) string {
	var digits []byte
	for _, c := range strings.ToLower(string(b)) {
		switch {
		case c >= '0' && c <= '9' || c >= 'a' && c <= 'f':
			digits = append(digits, byte(c))
		case c == ' ' || c == ':' || c == '-' || c == '.':
		default:
			return ""
		}
	}
	if len(digits) != 12 {
		return ""
	}
	raw, _ := hex.DecodeString(string(digits))
	return hexColon(raw)
}

// portID renders an LLDP port ID by its subtype (3 macAddress).
func portID(subtype int, b []byte) string {
	if subtype == 3 && len(b) == 6 {
		return hexColon(b)
	}
	return text(b)
}

// remRow is one remote-table row before placement.
type remRow struct {
	index                  string
	local                  int
	chassisSub, portSub    int
	chassis, port, sysName []byte
	haveChassis, havePort  bool
}

// local is 0 when the row's index names no local port.

// remRows groups a remote table's columns by row. idxLocal is the position
// of the local port in the index; firstCol the column number of the
// chassis ID subtype (the next ones: chassis ID, port ID subtype, port ID,
// port description, system name).
func remRows(w Walk, entry string, indexLen, idxLocal, firstCol int) []*remRow {
	rows := map[string]*remRow{}
	var order []string
	for oid, v := range w.column(entry) {
		parts := strings.Split(oid, ".")
		if len(parts) < 2 {
			continue
		}
		col, _ := strconv.Atoi(parts[0])
		idx := strings.Join(parts[1:], ".")
		r := rows[idx]
		if r == nil {
			r = &remRow{index: idx}
			if len(parts) == 1+indexLen {
				// Only a full index carries the local port; a shorter one
				// (RouterOS: one component) leaves the row unplaced.
				r.local, _ = strconv.Atoi(parts[1+idxLocal])
			}
			rows[idx] = r
			order = append(order, idx)
		}
		n, _ := v.Int()
		switch col - firstCol {
		case 0:
			r.chassisSub = n
		case 1:
			r.chassis, r.haveChassis = v.Raw, true
		case 2:
			r.portSub = n
		case 3:
			r.port, r.havePort = v.Raw, true
		case 5:
			r.sysName = v.Raw
		}
	}
	sort.Strings(order)
	out := make([]*remRow, len(order))
	for i, idx := range order {
		out[i] = rows[idx]
	}
	return out
}

func (d *Device) lldp(w Walk) {
	rows := remRows(w, lldpRemEntry, 3, 1, 4)
	if len(rows) == 0 {
		return
	}
	locSub := w.intColumn(lldpLocPortEntry + ".2")
	locID := w.intColumn(lldpLocPortEntry + ".3")
	locDesc := w.intColumn(lldpLocPortEntry + ".4")
	bridge := map[int]int{}
	for p, v := range w.intColumn(basePortIfIndex) {
		bridge[p], _ = v.Int()
	}
	mtxr := w.column(mtxrNeighborInterfaceID)
	for _, r := range rows {
		if v, ok := mtxr[r.index]; ok && !strings.Contains(r.index, ".") {
			// RouterOS: lldpRemTable indexed by its neighbour number
			// alone; MIKROTIK-MIB's mtxrNeighborInterfaceID (an ifIndex)
			// under the same number says which port heard it.
			n, _ := v.Int()
			d.add("lldp", d.Interfaces[n], r)
			continue
		}
		if i := d.placeLLDP(r.local, locSub, locID, locDesc, bridge); i != nil || mgmtName(r.local, locSub, locID, locDesc, d) == "" {
			d.add("lldp", i, r)
		} else {
			// The device names the port in its own table but IF-MIB does
			// not list it: an out-of-band management port (AOS-CX "mgmt",
			// where a VSX keepalive peer is heard). That is the port it
			// means.
			d.add("lldp", &Interface{Name: mgmtName(r.local, locSub, locID, locDesc, d)}, r)
		}
	}
}

// mgmtName is the local port's name in lldpLocPortTable (port ID unless a
// MAC or network address, else the description) when it is a management
// port's (mgmt…, oobm…, management…) and no interface bears it; "" else.
func mgmtName(n int, locSub, locID, locDesc map[int]Value, d *Device) string {
	var names []string
	if v, ok := locID[n]; ok {
		if sub, _ := locSub[n].Int(); sub != 3 && sub != 4 && printable(v.Raw) {
			names = append(names, string(v.Raw))
		}
	}
	if v, ok := locDesc[n]; ok && printable(v.Raw) {
		names = append(names, string(v.Raw))
	}
	for _, name := range names {
		low := strings.ToLower(name)
		if !strings.HasPrefix(low, "mgmt") && !strings.HasPrefix(low, "oobm") && !strings.HasPrefix(low, "management") {
			continue
		}
		if d.unique(func(i *Interface) bool { return i.Name == name || i.Descr == name || i.Alias == name }) == nil {
			return name
		}
	}
	return ""
}

func (d *Device) add(proto string, local *Interface, r *remRow) {
	n := Neighbour{Protocol: proto, SystemName: text(r.sysName)}
	if local != nil {
		n.Local = local.Label()
	}
	if r.haveChassis {
		n.Chassis = chassisID(r.chassisSub, r.chassis)
	}
	if r.havePort {
		n.Port = portID(r.portSub, r.port)
	}
	d.Neighbours = append(d.Neighbours, n)
}

// placeLLDP finds the interface an LLDP-MIB local port number means.
//
// LLDP-MIB's LldpPortNumber: on an 802.1D/Q bridge it is the dot1dBasePort,
// otherwise the ifIndex; devices differ. The device's own word for the
// port is lldpLocPortTable's port ID and description: when one of them
// names exactly one interface (ifName, ifDescr or ifAlias, or an ifName
// ending in "-"+it, as in "PORT-1/3" for "1/3"), that is the port. Else the
// number is read as bridge port and as ifIndex; when both name different
// interfaces the Ethernet-like one wins; when still undecided the MIB's
// rule (bridge port on a bridge) decides. A number that names nothing
// leaves the neighbour unplaced.
func (d *Device) placeLLDP(n int, locSub, locID, locDesc map[int]Value, bridge map[int]int) *Interface {
	if i := d.byLocName(n, locSub, locID, locDesc); i != nil {
		return i
	}
	byIf := d.Interfaces[n]
	var byBridge *Interface
	if ifx, ok := bridge[n]; ok {
		byBridge = d.Interfaces[ifx]
	}
	switch {
	case byIf == nil:
		return byBridge
	case byBridge == nil || byBridge == byIf:
		return byIf
	case byBridge.ethernetLike() && !byIf.ethernetLike():
		return byBridge
	case byIf.ethernetLike() && !byBridge.ethernetLike():
		return byIf
	}
	return byBridge
}

// byLocName matches lldpLocPortId (unless its subtype says it is a MAC or
// a network address) and lldpLocPortDesc against the interface names.
func (d *Device) byLocName(n int, locSub, locID, locDesc map[int]Value) *Interface {
	var names []string
	if v, ok := locID[n]; ok {
		sub, _ := locSub[n].Int()
		if sub != 3 && sub != 4 && printable(v.Raw) {
			names = append(names, string(v.Raw))
		}
	}
	if v, ok := locDesc[n]; ok && printable(v.Raw) {
		names = append(names, string(v.Raw))
	}
	for _, name := range names {
		if name == "" {
			continue
		}
		if i := d.unique(func(i *Interface) bool { return i.Name == name || i.Descr == name || i.Alias == name }); i != nil {
			return i
		}
		if i := d.unique(func(i *Interface) bool { return strings.HasSuffix(i.Name, "-"+name) }); i != nil {
			return i
		}
	}
	return nil
}

// unique returns the one interface matching, nil when none or several.
// Several interfaces of the same name (SLX 9150: two "Ethernet 0/48",
// one down, one up and hearing the neighbour) are one when exactly one of
// them is up.
func (d *Device) unique(match func(*Interface) bool) *Interface {
	var found, up []*Interface
	for _, i := range d.Interfaces {
		if match(i) {
			found = append(found, i)
			if i.Up {
				up = append(up, i)
			}
		}
	}
	switch {
	case len(found) == 1:
		return found[0]
	case len(up) == 1:
		return up[0]
	}
	return nil
}

// lldpV2 reads LLDP-V2-MIB, whose remote table is indexed by the local
// ifIndex itself (lldpV2RemLocalIfIndex), only when LLDP-MIB has no rows.
func (d *Device) lldpV2(w Walk) {
	for _, n := range d.Neighbours {
		if n.Protocol == "lldp" {
			return
		}
	}
	for _, r := range remRows(w, lldpV2RemEntry, 4, 1, 5) {
		d.add("lldp", d.Interfaces[r.local], r)
	}
}

// cdp reads cdpCacheTable, indexed by cdpCacheIfIndex.cdpCacheDeviceIndex;
// columns 6 cdpCacheDeviceId, 7 cdpCacheDevicePort.
func (d *Device) cdp(w Walk) {
	type row struct {
		local    int
		id, port []byte
	}
	rows := map[string]*row{}
	for oid, v := range w.column(cdpCacheEntry) {
		parts := strings.Split(oid, ".")
		if len(parts) != 3 {
			continue
		}
		idx := parts[1] + "." + parts[2]
		r := rows[idx]
		if r == nil {
			r = &row{}
			r.local, _ = strconv.Atoi(parts[1])
			rows[idx] = r
		}
		switch parts[0] {
		case "6":
			r.id = v.Raw
		case "7":
			r.port = v.Raw
		}
	}
	for _, r := range rows {
		n := Neighbour{Protocol: "cdp", Chassis: text(r.id), SystemName: text(r.id), Port: text(r.port)}
		if i := d.Interfaces[r.local]; i != nil {
			n.Local = i.Label()
		}
		d.Neighbours = append(d.Neighbours, n)
	}
}

// lags: an aggregate is an ieee8023adLag(161) interface, an aggregator of
// IEEE8023-LAG-MIB, or an HP trunk (propMultiplexor(54) named Trk<n>).
// Its members are the ports whose dot3adAggPortAttachedAggID names it
// (dot3adAggPortSelectedAggID when the attached column is missing) and its
// Ethernet-like lower layers in ifStackTable.
func (d *Device) lags(w Walk) {
	members := map[int]map[int]bool{}
	isLAG := func(i int) {
		if members[i] == nil {
			members[i] = map[int]bool{}
		}
	}
	for i, f := range d.Interfaces {
		if f.Type == 161 || f.Type == 54 && isTrunkName(f.Label()) || (f.Type == 1 || f.Type == 53) && portChannelName(f.Label()) {
			isLAG(i)
		}
	}
	for i := range w.intColumn(aggIndex) {
		isLAG(i)
	}
	attached := w.intColumn(aggPortAttached)
	selected := w.intColumn(aggPortSelected)
	for p, v := range selected {
		if _, ok := attached[p]; !ok {
			attached[p] = v
		}
	}
	for p, v := range attached {
		agg, ok := v.Int()
		if !ok || agg == 0 || agg == p {
			continue
		}
		isLAG(agg)
		members[agg][p] = true
	}
	lower := map[int][]int{}
	for idx, v := range w.column(ifStackStatus) {
		hi, lo, ok := strings.Cut(idx, ".")
		if !ok {
			continue
		}
		h, _ := strconv.Atoi(hi)
		l, _ := strconv.Atoi(lo)
		if st, _ := v.Int(); st == 1 && h != 0 && l != 0 {
			lower[h] = append(lower[h], l)
		}
	}
	for agg := range members {
		// Down the stack from the aggregate and from its units
		// (Junos: ae0.0 over et-0/2/0.0 over et-0/2/0) to the first
		// Ethernet-like interfaces, passing only through units of
		// Ethernet-like ones (not through other layers: Huawei's
		// Eth-Trunk2 is also over Eth-Trunk1-mpls, an mpls(166) layer
		// over other ports).
		start := []int{agg}
		unit := d.label(agg) + "."
		for i, f := range d.Interfaces {
			if rest, ok := strings.CutPrefix(f.Label(), unit); ok && digits(rest) {
				start = append(start, i)
			}
		}
		seen := map[int]bool{}
		var walk func(i, depth int)
		walk = func(i, depth int) {
			if seen[i] || depth > 4 {
				return
			}
			seen[i] = true
			for _, l := range lower[i] {
				if f := d.Interfaces[l]; f != nil && f.ethernetLike() {
					members[agg][l] = true
				} else if f != nil && d.ethernetUnit(f) {
					walk(l, depth+1)
				}
			}
		}
		for _, i := range start {
			walk(i, 0)
		}
	}
	// ALCATEL-IND1-LAG-MIB (OmniSwitch AOS 6 and AOS 7/8):
	// alclnkaggAggTable, indexed by the aggregate's ifIndex, names its
	// primary port (alclnkaggAggPrimaryPortIndex, column 20, an ifIndex)
	// and how many ports are attached (alclnkaggAggNbrAttachedPorts,
	// column 19). With exactly one attached, the primary port is the
	// member; with more, the others are not named anywhere. Only for
	// aggregates the standard tables leave without members.
	for _, entry := range []string{"1.3.6.1.4.1.6486.800.1.2.1.13.1.1.1.1.1", "1.3.6.1.4.1.6486.801.1.2.1.13.1.1.1.1.1"} {
		primary := w.intColumn(entry + ".20")
		for agg, v := range w.intColumn(entry + ".19") {
			n, _ := v.Int()
			pv, ok := primary[agg]
			if !ok || n != 1 || members[agg] == nil || len(members[agg]) != 0 {
				continue
			}
			if p, ok := pv.Int(); ok && p != 0 && d.Interfaces[p] != nil {
				members[agg][p] = true
			}
		}
	}
	for agg, ms := range members {
		l := LAG{Name: d.label(agg)}
		for m := range ms {
			l.Members = append(l.Members, d.label(m))
		}
		sort.Strings(l.Members)
		d.LAGs = append(d.LAGs, l)
	}
}

func (d *Device) label(i int) string {
	if f := d.Interfaces[i]; f != nil {
		return f.Label()
	}
	return "ifIndex" + strconv.Itoa(i)
}

func isTrunkName(s string) bool {
	rest, ok := strings.CutPrefix(s, "Trk")
	if !ok || rest == "" {
		return false
	}
	_, err := strconv.Atoi(rest)
	return err == nil
}

// ethernetUnit: f is a unit "<port>.<n>" of an Ethernet-like port.
func (d *Device) ethernetUnit(f *Interface) bool {
	base, n, ok := cutLast(f.Label(), ".")
	if !ok || !digits(n) {
		return false
	}
	return d.unique(func(i *Interface) bool { return i.ethernetLike() && i.Label() == base }) != nil
}

func cutLast(s, sep string) (string, string, bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	_, err := strconv.Atoi(s)
	return err == nil
}

// portChannelName: names vendors give aggregates that they type other(1)
// or propVirtual(53): "port-channel10" (NX-OS), "Port-channel 1" (SLX),
// "Po1" (IOS ifName).
func portChannelName(s string) bool {
	for _, p := range []string{"port-channel", "po"} {
		if rest, ok := strings.CutPrefix(strings.ToLower(s), p); ok && digits(strings.TrimSpace(rest)) {
			return true
		}
	}
	return false
}
