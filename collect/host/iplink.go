package host

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/valyala/fastjson"

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
	return parseIPLinkJSON(data, file, new(macList))
}

// parseIPLinkJSON is ParseIPLinkJSON making MACs through macs (shared by
// the files of a capture).
func parseIPLinkJSON(data []byte, file string, macs *macList) (*Links, error) {
	root, parser, err := parseJSON(data, file)
	if err != nil {
		return nil, err
	}
	defer parsers.Put(parser)
	links, err := root.Array()
	if err != nil {
		return nil, jsonValueError(file, data, nil, "not `ip -json link` output: top level is not a list")
	}
	out := &Links{NICs: make([]topology.NIC, 0, len(links))}
	bonds := map[string]int{} // index in out.Bonds, made in the order first named
	bridges := map[string]*topology.Bridge{}
	var bridgeOrder []string
	// What the first pass learns of each link by name: its kind, and how
	// many links name it their master (a bond's slave list is made to fit).
	type ifInfo struct {
		kind   string
		mastOf int
	}
	info := make(map[string]ifInfo, len(links))
	ifNames := make(map[int]string, len(links))
	mastered := 0                     // links with a master
	nBonds := 0                       // links that are bonds
	var lacpPorts []topology.LACPPort // every slave's actor and partner, one allocation
	newPort := func(st int) *topology.LACPPort {
		if len(lacpPorts) == cap(lacpPorts) {
			lacpPorts = make([]topology.LACPPort, 0, 2*mastered)
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
	// Each link's name, kind and master, looked up once for both passes.
	type linkHead struct{ name, kind, master string }
	var headsBuf [32]linkHead
	heads := headsBuf[:0]
	if len(links) > len(headsBuf) {
		heads = make([]linkHead, 0, len(links))
	}
	for _, l := range links {
		name := jstr(l, "ifname")
		e := info[name]
		e.kind = jstr(l, "linkinfo", "info_kind")
		info[name] = e
		if e.kind == "bond" {
			nBonds++
		}
		if i := jint(l, "ifindex"); i > 0 {
			ifNames[i] = name
		}
		m := jstr(l, "master")
		heads = append(heads, linkHead{name, e.kind, m})
		if m != "" {
			e := info[m]
			e.mastOf++
			info[m] = e
			mastered++
		}
	}
	out.IfNames = ifNames
	if nBonds > 0 {
		out.Bonds = make([]topology.Bond, 0, nBonds)
	}
	for i, l := range links {
		if l.Type() != fastjson.TypeObject {
			return nil, jsonValueError(file, data, []any{i}, "link %d is not an object", i)
		}
		ifname, kind, master := heads[i].name, heads[i].kind, heads[i].master
		if ifname == "" {
			return nil, jsonValueError(file, data, []any{i}, "link %d has no ifname", i)
		}
		state := linkStateOf(jtext(l.Get("operstate")))
		mtu := jint(l, "mtu")
		switch kind {
		case "bond":
			b := getBond(ifname)
			b.MTU, b.MAC, b.State = mtu, macs.get(jtext(l.Get("address"))), state
			b.Source = file
			if master != "" {
				b.Bridge = master
			}
			d := l.Get("linkinfo", "info_data")
			if d == nil {
				d = &fastjson.Value{}
			}
			mode := jstr(d, "mode")
			b.Mode = topology.BondMode(mode)
			if m, ok := linuxModes[mode]; ok {
				b.Mode = m
			}
			b.MIIMon, b.UpDelay, b.DownDelay, b.ARPInterval = jint(d, "miimon"), jint(d, "updelay"), jint(d, "downdelay"), jint(d, "arp_interval")
			for _, t := range d.GetArray("arp_ip_target") {
				if s := scalar(t); s != "" {
					b.ARPTargets = append(b.ARPTargets, s)
				}
			}
			b.ARPValidate = canonARPValidate(jstr(d, "arp_validate"))
			b.Primary, b.ActiveSlave = jstr(d, "primary"), jstr(d, "active_slave")
			b.XmitHashPolicy = jstr(d, "xmit_hash_policy")
			b.MinLinks = jint(d, "min_links")
			if b.Mode == topology.Mode8023AD {
				if r, ok := lacpRates[jstr(d, "ad_lacp_rate")]; ok {
					b.LACPRate = r
				}
				if a := jstr(d, "ad_lacp_active"); a != "" {
					on := a == "on" || a == "1"
					b.LACPActive = &on
				}
				b.AdSelect = jstr(d, "ad_select")
			}
			if m := macs.get(jtext(d.Get("ad_actor_system"))); m != "" && m != topology.ZeroMAC {
				b.AdActorSystem = m
			}
			if a := d.Get("ad_info"); a != nil && a.Type() == fastjson.TypeObject {
				b.ActiveAggregator = &topology.Aggregator{ID: jint(a, "aggregator"), Ports: jint(a, "num_ports"),
					ActorKey: jint(a, "actor_key"), PartnerKey: jint(a, "partner_key"), PartnerMAC: macs.get(jtext(a.Get("partner_mac")))}
			}
			continue
		case "bridge":
			getBridge(ifname)
			continue
		case "vlan":
			parent := jstr(l, "link")
			if parent == "" {
				if base, _, ok := strings.Cut(ifname, "."); ok {
					parent = base
				}
			}
			out.VLANs = append(out.VLANs, topology.VLANIf{Name: ifname, Parent: parent, ID: jint(l, "linkinfo", "info_data", "id"), MTU: mtu})
			if master != "" && info[master].kind == "bridge" {
				br := getBridge(master)
				br.Ports = append(br.Ports, ifname)
			}
			continue
		}
		if jstr(l, "link_type") != "ether" || notNICKinds[kind] {
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
		nic := topology.NIC{Name: ifname, MAC: macs.get(jtext(l.Get("address"))), MTU: mtu, State: state, Master: master}
		nic.PermMAC = macs.get(jtext(l.Get("permaddr")))
		if jstr(l, "linkinfo", "info_slave_kind") == "bond" && master != "" {
			d := l.Get("linkinfo", "info_slave_data")
			if d == nil {
				d = &fastjson.Value{}
			}
			if nic.PermMAC == "" {
				nic.PermMAC = macs.get(jtext(d.Get("perm_hwaddr")))
			}
			s := topology.Slave{Name: ifname, MIIStatus: linkStateOf(jtext(d.Get("mii_status"))), LinkFailures: jint(d, "link_failure_count"),
				PermMAC: nic.PermMAC, QueueID: jint(d, "queue_id"), Source: file}
			if id, ok := out.ranged(data, file, d, i, "ad_aggregator_id", ifname, 0, 65535); ok {
				s.AggregatorID = id
			}
			// A state byte out of range is unknown, not cast: 319 would
			// read as 63 (in sync) and hide two errors.
			if st, ok := out.ranged(data, file, d, i, "ad_actor_oper_port_state", ifname, 0, 255); ok {
				s.Actor = newPort(st)
			}
			if st, ok := out.ranged(data, file, d, i, "ad_partner_oper_port_state", ifname, 0, 255); ok {
				s.Partner = newPort(st)
			}
			b := getBond(master)
			if b.Slaves == nil {
				b.Slaves = make([]topology.Slave, 0, info[master].mastOf)
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
	return out, nil
}

// maxValueProblems bounds the bad values of one file reported one by one.
const maxValueProblems = 20

// ranged reads the integer at key in d, the info_slave_data of link i of
// data: ok is false when it is absent or null, and also, with a problem
// naming the file, line and column, when it is not an integer in [lo, hi].
func (l *Links) ranged(data []byte, file string, d *fastjson.Value, i int, key, ifname string, lo, hi int) (int, bool) {
	x := d.Get(key)
	if x == nil || x.Type() == fastjson.TypeNull {
		return 0, false
	}
	var n int
	var err error
	switch x.Type() {
	case fastjson.TypeNumber:
		n, err = x.Int()
	case fastjson.TypeString:
		b, _ := x.StringBytes()
		n, err = strconv.Atoi(string(bytes.TrimSpace(b)))
	default:
		err = errors.ErrUnsupported // not a number: shown below
	}
	if err != nil || n < lo || n > hi {
		shown := x.String()
		if x.Type() == fastjson.TypeString {
			b, _ := x.StringBytes()
			shown = string(b)
		}
		if len(l.Problems) >= maxValueProblems {
			// Placing each costs a scan of the file: bounded work.
			l.more++
			return 0, false
		}
		l.Problems = append(l.Problems, jsonValueError(file, data, []any{i, "linkinfo", "info_slave_data", key},
			"%s %s: %s is not an integer %d-%d: unknown", ifname, key, quote.Q(shown), lo, hi))
		return 0, false
	}
	return n, true
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
