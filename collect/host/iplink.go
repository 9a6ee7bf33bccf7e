package host

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/internal/jsonpos"
	"github.com/bondaudit/bondaudit/internal/quote"
	"github.com/bondaudit/bondaudit/topology"
)

// Links is what `ip -details -json link show` tells about a host.
type Links struct {
	NICs    []topology.NIC
	Bonds   []topology.Bond // parameters from linkinfo info_data; slaves from info_slave_data
	Bridges []topology.Bridge
	VLANs   []topology.VLANIf
	// IfNames maps ifindex to name (a cooked pcap names interfaces by index).
	IfNames map[int]string
	// Problems are values that could not be used (each a *ParseError at
	// the file's line and column, the first maxValueProblems of them);
	// what they would have said is unknown.
	Problems []error
	more     int      // bad values beyond maxValueProblems
	teams    []string // team devices (live only: teamdctl is asked about them)
}

// linuxModes maps iproute2's mode names and numbers to mode names.
var linuxModes = map[string]topology.BondMode{
	"balance-rr": topology.ModeBalanceRR, "0": topology.ModeBalanceRR,
	"active-backup": topology.ModeActiveBackup, "1": topology.ModeActiveBackup,
	"balance-xor": topology.ModeBalanceXOR, "2": topology.ModeBalanceXOR,
	"broadcast": topology.ModeBroadcast, "3": topology.ModeBroadcast,
	"802.3ad": topology.Mode8023AD, "4": topology.Mode8023AD,
	"balance-tlb": topology.ModeBalanceTLB, "5": topology.ModeBalanceTLB,
	"balance-alb": topology.ModeBalanceALB, "6": topology.ModeBalanceALB,
}

// notNICKinds are the Ethernet link kinds that are not NICs although they
// are not bonds, bridges or VLAN interfaces either: teams (teamdctl says
// what they are) and Open vSwitch's datapath and internal ports
// (ovs-appctl). The live collector and the capture reader skip the same.
var notNICKinds = map[string]bool{"team": true, "openvswitch": true}

// canonARPValidate is the one spelling of a bond's arp_validate: "" when
// validation is off (the kernel's 0, which netlink names "none" and
// iproute2's JSON prints as null, as the snapshot leaves every unset option
// empty), else the kernel's name in lower case. Without it a live snapshot
// ("none") and a capture ("") of the same bond differ, and diff shows
// "none → none".
func canonARPValidate(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "none" || s == "0" || s == "null" {
		return ""
	}
	return s
}

// lacpRates maps ad_lacp_rate forms.
var lacpRates = map[string]string{"slow": "slow", "0": "slow", "fast": "fast", "1": "fast"}

// ParseIPLinkJSON parses `ip -details -json link show` output.
func ParseIPLinkJSON(data []byte, file string) (*Links, error) {
	return parseIPLinkJSON(data, file, new(macList), nil)
}

// linkScratch is storage a capture reader lends parseIPLinkJSON from
// capture to capture: the Links, the bonds ip-link lists, their active
// aggregators, their slaves and the slaves' LACP ports. The Links parsed
// with it are only good until the next parse with it: its Bonds (their
// Slaves, LACP ports and aggregators) are read by mergeHost, which copies
// what it keeps, and IfNames is left out unless asked for (only a capture
// with a pcap needs it).
type linkScratch struct {
	out     Links
	bonds   []topology.Bond
	slaves  []topology.Slave
	ports   []topology.LACPPort
	aggs    []topology.Aggregator // bonds' active aggregators
	ifNames bool
}

// release lets go of what the last parse kept in sc (the storage stays,
// unless it grew for a huge host).
func (sc *linkScratch) release() {
	sc.out = Links{}
	clear(sc.bonds[:cap(sc.bonds)])
	clear(sc.slaves[:cap(sc.slaves)])
	clear(sc.ports[:cap(sc.ports)])
	clear(sc.aggs[:cap(sc.aggs)])
	sc.aggs = sc.aggs[:0]
	if cap(sc.bonds) > maxScratchBonds || cap(sc.aggs) > maxScratchBonds || cap(sc.slaves) > maxScratchSlaves || cap(sc.ports) > 2*maxScratchSlaves {
		*sc = linkScratch{} // a huge host's are not kept
	}
}

// maxScratchBonds and maxScratchSlaves bound what a linkScratch keeps.
const (
	maxScratchBonds  = 64
	maxScratchSlaves = 256
)

// parseIPLinkJSON is ParseIPLinkJSON making MACs through macs (shared by
// the files of a capture), with storage lent by sc when it is not nil.
func parseIPLinkJSON(data []byte, file string, macs *macList, sc *linkScratch) (*Links, error) {
	d, root, err := scanJSON(data, file)
	if err != nil {
		return nil, err
	}
	defer releaseJSON(d)
	if d.typ(root) != jArray {
		return nil, d.valueError(file, root, "not `ip -json link` output: top level is not a list")
	}
	nLinks := 0
	for l := d.first(root); l >= 0; l = d.next(l) {
		nLinks++
	}
	var out *Links
	if sc != nil {
		out = &sc.out // (what a capture keeps of it it moves to the host)
	} else {
		out = new(Links)
	}
	*out = Links{}
	bonds := map[string]int{} // index in out.Bonds, made in the order first named
	bridges := map[string]*topology.Bridge{}
	var bridgeOrder []string
	// What the first pass learns of each link by name: its kind, and how
	// many links name it their master (a bond's slave list is made to fit).
	type ifInfo struct {
		kind   string
		mastOf int
	}
	info := make(map[string]ifInfo, nLinks)
	var ifNames map[int]string
	if sc == nil || sc.ifNames {
		ifNames = make(map[int]string, nLinks)
	}
	mastered := 0                     // links with a master
	nNICs := 0                        // links that are NICs
	nBonds := 0                       // links that are bonds
	var lacpPorts []topology.LACPPort // every slave's actor and partner, one allocation
	if sc != nil {
		lacpPorts = sc.ports[:0]
	}
	newPort := func(st int) *topology.LACPPort {
		if len(lacpPorts) == cap(lacpPorts) {
			lacpPorts = make([]topology.LACPPort, 0, 2*mastered)
			if sc != nil {
				sc.ports = lacpPorts
			}
		}
		lacpPorts = append(lacpPorts, topology.LACPPort{State: topology.LACPState(st), StateKnown: true})
		return &lacpPorts[len(lacpPorts)-1]
	}
	// getBond's bond is valid until the next call (out.Bonds may move).
	getBond := func(name string) *topology.Bond {
		i, ok := bonds[name]
		if !ok {
			i = len(out.Bonds)
			bonds[name] = i
			out.Bonds = append(out.Bonds, topology.Bond{Name: name, Kind: topology.BondKindLinux})
		}
		return &out.Bonds[i]
	}
	getBridge := func(name string) *topology.Bridge {
		if b, ok := bridges[name]; ok {
			return b
		}
		b := &topology.Bridge{Name: name, Kind: "linux"}
		bridges[name] = b
		bridgeOrder = append(bridgeOrder, name)
		return b
	}
	// Each link's fields (one walk through its members and its linkinfo's)
	// and its name, kind and master, for both passes.
	type linkHead struct {
		v                            int // the link
		name, kind, master, linkType string
		f                            [nLinkKeys]int
		info                         [nLinkInfoKeys]int
	}
	var headsBuf [16]linkHead
	heads := headsBuf[:0]
	if nLinks > len(headsBuf) {
		heads = make([]linkHead, 0, nLinks)
	}
	for l := d.first(root); l >= 0; l = d.next(l) {
		heads = append(heads, linkHead{v: l})
		h := &heads[len(heads)-1]
		d.fields(l, linkKeys, h.f[:])
		d.fields(h.f[lkLinkInfo], linkInfoKeys, h.info[:])
		name := d.str(h.f[lkIfname])
		e := info[name]
		e.kind = d.str(h.info[liKind])
		info[name] = e
		switch e.kind {
		case "bond":
			nBonds++
		case "bridge", "vlan":
		default:
			// the second pass's test of a NIC, so that the snapshot's list
			// of them is made to fit (it keeps it)
			h.linkType = d.str(h.f[lkLinkType])
			if h.linkType == "ether" && !notNICKinds[e.kind] {
				nNICs++
			}
		}
		if i := d.int(h.f[lkIfindex]); i > 0 && ifNames != nil {
			ifNames[i] = name
		}
		m := d.str(h.f[lkMaster])
		h.name, h.kind, h.master = name, e.kind, m
		if m != "" {
			e := info[m]
			e.mastOf++
			info[m] = e
			mastered++
		}
	}
	out.IfNames = ifNames
	out.NICs = make([]topology.NIC, 0, nNICs)
	if nBonds > 0 {
		if sc != nil && cap(sc.bonds) >= nBonds {
			out.Bonds = sc.bonds[:0]
		} else {
			out.Bonds = make([]topology.Bond, 0, nBonds)
		}
	}
	// Every bond's slaves in one slab, each bond's list a piece of it
	// made to fit (info's count of the links naming it master).
	var slaveSlab []topology.Slave
	if sc != nil {
		slaveSlab = sc.slaves[:0]
		if cap(sc.aggs) < nBonds {
			sc.aggs = make([]topology.Aggregator, 0, nBonds)
		}
		sc.aggs = sc.aggs[:0] // (never grown by append: pointers are taken into it)
	}
	for i := range heads {
		h := &heads[i]
		if d.typ(h.v) != jObject {
			return nil, d.valueError(file, h.v, "link %d is not an object", i)
		}
		ifname, kind, master := h.name, h.kind, h.master
		if ifname == "" {
			return nil, d.valueError(file, h.v, "link %d has no ifname", i)
		}
		state := linkStateOf(d.text(h.f[lkOperstate]))
		mtu := d.int(h.f[lkMTU])
		switch kind {
		case "bond":
			b := getBond(ifname)
			b.MTU, b.MAC, b.State = mtu, macs.get(d.text(h.f[lkAddress])), state
			b.Source = file
			if master != "" {
				b.Bridge = master
			}
			var f [nBondKeys]int
			d.fields(h.info[liData], bondKeys, f[:])
			mode := d.str(f[bkMode])
			b.Mode = topology.BondMode(mode)
			if m, ok := linuxModes[mode]; ok {
				b.Mode = m
			}
			b.MIIMon, b.UpDelay, b.DownDelay, b.ARPInterval = d.int(f[bkMIIMon]), d.int(f[bkUpDelay]), d.int(f[bkDownDelay]), d.int(f[bkARPInterval])
			if t := f[bkARPTargets]; d.typ(t) == jArray {
				for e := d.first(t); e >= 0; e = d.next(e) {
					if s := d.scalar(e, 24); s != "" {
						b.ARPTargets = append(b.ARPTargets, s)
					}
				}
			}
			b.ARPValidate = canonARPValidate(d.str(f[bkARPValidate]))
			b.Primary, b.ActiveSlave = d.str(f[bkPrimary]), d.str(f[bkActiveSlave])
			b.XmitHashPolicy = d.str(f[bkXmitHashPolicy])
			b.MinLinks = d.int(f[bkMinLinks])
			if b.Mode == topology.Mode8023AD {
				if r, ok := lacpRates[d.str(f[bkLACPRate])]; ok {
					b.LACPRate = r
				}
				if a := d.str(f[bkLACPActive]); a != "" {
					on := a == "on" || a == "1"
					b.LACPActive = &on
				}
				b.AdSelect = d.str(f[bkAdSelect])
			}
			if m := macs.get(d.text(f[bkAdActorSystem])); m != "" && m != topology.ZeroMAC {
				b.AdActorSystem = m
			}
			if a := f[bkAdInfo]; d.typ(a) == jObject {
				var g [nAdInfoKeys]int
				d.fields(a, adInfoKeys, g[:])
				agg := topology.Aggregator{ID: d.int(g[aiAggregator]), Ports: d.int(g[aiNumPorts]),
					ActorKey: d.int(g[aiActorKey]), PartnerKey: d.int(g[aiPartnerKey]), PartnerMAC: macs.get(d.text(g[aiPartnerMAC]))}
				if sc != nil && len(sc.aggs) < cap(sc.aggs) {
					sc.aggs = append(sc.aggs, agg)
					b.ActiveAggregator = &sc.aggs[len(sc.aggs)-1]
				} else {
					b.ActiveAggregator = new(topology.Aggregator) // (agg stays on the stack)
					*b.ActiveAggregator = agg
				}
			}
			continue
		case "bridge":
			getBridge(ifname)
			continue
		case "vlan":
			parent := d.str(h.f[lkLink])
			if parent == "" {
				if base, _, ok := strings.Cut(ifname, "."); ok {
					parent = base
				}
			}
			out.VLANs = append(out.VLANs, topology.VLANIf{Name: ifname, Parent: parent, ID: d.int(d.get(h.info[liData], "id")), MTU: mtu})
			if master != "" && info[master].kind == "bridge" {
				br := getBridge(master)
				br.Ports = append(br.Ports, ifname)
			}
			continue
		}
		if h.linkType != "ether" || notNICKinds[kind] {
			// lo and tunnels have no Ethernet link; a team device and Open
			// vSwitch's ports are read from their own tools. Other
			// Ethernet links (veth, dummy, macvlan, tap, …) are NICs with
			// their MAC, MTU and state, as the live collector lists them.
			if master != "" && info[master].kind == "bridge" {
				br := getBridge(master)
				br.Ports = append(br.Ports, ifname)
			}
			continue
		}
		nic := topology.NIC{Name: ifname, MAC: macs.get(d.text(h.f[lkAddress])), MTU: mtu, State: state, Master: master}
		nic.PermMAC = macs.get(d.text(h.f[lkPermAddr]))
		if d.str(h.info[liSlaveKind]) == "bond" && master != "" {
			var f [nSlaveKeys]int
			d.fields(h.info[liSlaveData], slaveKeys, f[:])
			if nic.PermMAC == "" {
				nic.PermMAC = macs.get(d.text(f[skPermHWAddr]))
			}
			s := topology.Slave{Name: ifname, MIIStatus: linkStateOf(d.text(f[skMIIStatus])), LinkFailures: d.int(f[skLinkFailures]),
				PermMAC: nic.PermMAC, QueueID: d.int(f[skQueueID]), Source: file}
			if id, ok := out.ranged(d, file, f[skAggregatorID], "ad_aggregator_id", ifname, 0, 65535); ok {
				s.AggregatorID = id
			}
			// A state byte out of range is unknown, not cast: 319 would
			// read as 63 (in sync) and hide two errors.
			if st, ok := out.ranged(d, file, f[skActorState], "ad_actor_oper_port_state", ifname, 0, 255); ok {
				s.Actor = newPort(st)
			}
			if st, ok := out.ranged(d, file, f[skPartnerState], "ad_partner_oper_port_state", ifname, 0, 255); ok {
				s.Partner = newPort(st)
			}
			b := getBond(master)
			if b.Slaves == nil {
				n := info[master].mastOf
				if cap(slaveSlab)-len(slaveSlab) < n {
					slaveSlab = make([]topology.Slave, 0, max(mastered, n))
					if sc != nil {
						sc.slaves = slaveSlab
					}
				}
				b.Slaves = slaveSlab[len(slaveSlab) : len(slaveSlab) : len(slaveSlab)+n]
				slaveSlab = slaveSlab[:len(slaveSlab)+n]
			}
			b.Slaves = append(b.Slaves, s)
		} else if nic.PermMAC == "" && info[master].kind != "bond" {
			// Only a bond changes its slaves' MACs: an unenslaved NIC or a
			// bridge port still has its own (as the live collector says).
			nic.PermMAC = nic.MAC
		}
		if master != "" && info[master].kind == "bridge" {
			br := getBridge(master)
			br.Ports = append(br.Ports, ifname)
		}
		out.NICs = append(out.NICs, nic)
	}
	if len(out.NICs) == 0 {
		out.NICs = nil // as when appended to: no NICs is none, not an empty list
	}
	for i := range out.Bonds {
		b := &out.Bonds[i]
		if b.Mode == "" && b.Source == "" {
			b.Source = file // slaves of a master that is not listed as a bond
		}
		if b.Bridge != "" {
			br := getBridge(b.Bridge)
			if !slices.Contains(br.Ports, b.Name) {
				br.Ports = append(br.Ports, b.Name)
			}
		}
	}
	for _, name := range bridgeOrder {
		br := bridges[name]
		slices.Sort(br.Ports)
		out.Bridges = append(out.Bridges, *br)
	}
	if out.more > 0 {
		out.Problems = append(out.Problems, &ParseError{File: file, Msg: fmt.Sprintf("… and %d more values not used", out.more)})
	}
	slices.SortFunc(out.NICs, func(a, b topology.NIC) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(out.Bonds, func(a, b topology.Bond) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(out.VLANs, func(a, b topology.VLANIf) int { return strings.Compare(a.Name, b.Name) })
	if sc != nil && cap(out.Bonds) > cap(sc.bonds) {
		sc.bonds = out.Bonds[:0] // grown past the scratch: the next host lends it
	}
	return out, nil
}

// The members of `ip -json link` the snapshot reads, by object: a link,
// its linkinfo, a bond's info_data and its ad_info, a slave's
// info_slave_data.
var (
	linkKeys     = newJKeys("ifname", "ifindex", "master", "operstate", "mtu", "address", "permaddr", "link_type", "link", "linkinfo")
	linkInfoKeys = newJKeys("info_kind", "info_slave_kind", "info_data", "info_slave_data")
	bondKeys     = newJKeys("mode", "miimon", "updelay", "downdelay", "arp_interval", "arp_ip_target", "arp_validate", "primary", "active_slave",
		"xmit_hash_policy", "min_links", "ad_lacp_rate", "ad_lacp_active", "ad_select", "ad_actor_system", "ad_info")
	adInfoKeys = newJKeys("aggregator", "num_ports", "actor_key", "partner_key", "partner_mac")
	slaveKeys  = newJKeys("perm_hwaddr", "mii_status", "link_failure_count", "queue_id", "ad_aggregator_id", "ad_actor_oper_port_state", "ad_partner_oper_port_state")
)

const (
	lkIfname = iota
	lkIfindex
	lkMaster
	lkOperstate
	lkMTU
	lkAddress
	lkPermAddr
	lkLinkType
	lkLink
	lkLinkInfo
	nLinkKeys
)

const (
	liKind = iota
	liSlaveKind
	liData
	liSlaveData
	nLinkInfoKeys
)

const (
	bkMode = iota
	bkMIIMon
	bkUpDelay
	bkDownDelay
	bkARPInterval
	bkARPTargets
	bkARPValidate
	bkPrimary
	bkActiveSlave
	bkXmitHashPolicy
	bkMinLinks
	bkLACPRate
	bkLACPActive
	bkAdSelect
	bkAdActorSystem
	bkAdInfo
	nBondKeys
)

const (
	aiAggregator = iota
	aiNumPorts
	aiActorKey
	aiPartnerKey
	aiPartnerMAC
	nAdInfoKeys
)

const (
	skPermHWAddr = iota
	skMIIStatus
	skLinkFailures
	skQueueID
	skAggregatorID
	skActorState
	skPartnerState
	nSlaveKeys
)

// maxValueProblems bounds the bad values of one file reported one by one.
const maxValueProblems = 20

// ranged reads the integer x (the value of key in a slave's
// info_slave_data): ok is false when it is absent or null, and also, with
// a problem naming the file, line and column, when it is not an integer
// in [lo, hi].
func (l *Links) ranged(d *jdoc, file string, x int, key, ifname string, lo, hi int) (int, bool) {
	t := d.typ(x)
	if t == jNull {
		return 0, false
	}
	var n int
	var err error
	switch t {
	case jNumber:
		var n64 int64
		n64, err = parseInt64(d.text(x))
		n = int(n64)
	case jString:
		n, err = strconv.Atoi(string(bytes.TrimSpace(d.text(x))))
	default:
		err = errors.ErrUnsupported // not a number: shown below
	}
	if err != nil || n < lo || n > hi {
		if len(l.Problems) >= maxValueProblems {
			l.more++
			return 0, false
		}
		var shown string
		if t == jString || t == jNumber {
			shown = string(d.text(x))
		} else {
			shown = d.compact(x)
		}
		l.Problems = append(l.Problems, d.valueError(file, x,
			"%s %s: %s is not an integer %d-%d: unknown", ifname, key, quote.Q(shown), lo, hi))
		return 0, false
	}
	return n, true
}

// valueError is a ParseError at the value v.
func (d *jdoc) valueError(file string, v int, format string, args ...any) *ParseError {
	e := &ParseError{File: file, Msg: fmt.Sprintf(format, args...)}
	e.Line, e.Col = jsonpos.LineCol(d.data, int64(v))
	return e
}

// scalar is v's text (a string, number or bool), or the text of the
// first element of a list or of the "value" of an object, as string: an
// interned one when it is at most n bytes.
func (d *jdoc) scalar(v, n int) string {
	for {
		switch d.typ(v) {
		case jArray:
			v = d.first(v)
			if v < 0 {
				return ""
			}
			continue
		case jObject:
			v = d.get(v, "value")
			continue
		}
		return internShort(d.text(v), n)
	}
}

// jsonError turns a JSON decoding error (encoding/json's or fastjson's)
// for data into a ParseError at the line and column.
func jsonError(file string, data []byte, err error) error {
	return fromPos(jsonpos.Wrap(file, data, err))
}

// jsonValueError is a ParseError at the value at path in data (as
// jsonpos.Find walks it: object keys and array indexes).
func jsonValueError(file string, data []byte, path []any, format string, args ...any) *ParseError {
	e := &ParseError{File: file, Msg: fmt.Sprintf(format, args...)}
	if off, ok := jsonpos.Find(data, path...); ok {
		e.Line, e.Col = jsonpos.LineCol(data, off)
	}
	return e
}

func fromPos(e *jsonpos.Error) *ParseError {
	return &ParseError{File: e.File, Line: e.Line, Col: e.Col, Msg: e.Msg}
}
