package host

// ParseIPLinkJSON and its value helpers as they were before the scratch
// buffers and the per-file MAC list: the reference TestIPLinkJSONAgrees-
// WithReference and FuzzIPLinkJSON compare the parser with.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/valyala/fastjson"

	"github.com/bondaudit/bondaudit/internal/quote"
	"github.com/bondaudit/bondaudit/topology"
)

// ParseIPLinkJSON parses `ip -details -json link show` output.
func refParseIPLinkJSON(data []byte, file string) (*Links, error) {
	parser := parsers.Get()
	defer parsers.Put(parser)
	root, err := parser.ParseBytes(data)
	if err != nil {
		return nil, jsonError(file, data, err)
	}
	links, err := root.Array()
	if err != nil {
		return nil, jsonValueError(file, data, nil, "not `ip -json link` output: top level is not a list")
	}
	out := &Links{}
	bonds := map[string]*topology.Bond{}
	var bondOrder []string
	bridges := map[string]*topology.Bridge{}
	var bridgeOrder []string
	getBond := func(name string) *topology.Bond {
		if b, ok := bonds[name]; ok {
			return b
		}
		b := &topology.Bond{Name: name, Kind: topology.BondKindLinux}
		bonds[name] = b
		bondOrder = append(bondOrder, name)
		return b
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
	kinds := map[string]string{}
	ifNames := map[int]string{}
	for _, l := range links {
		kinds[refJstr(l, "ifname")] = refJstr(l, "linkinfo", "info_kind")
		if i := refJint(l, "ifindex"); i > 0 {
			ifNames[i] = refJstr(l, "ifname")
		}
	}
	out.IfNames = ifNames
	for i, l := range links {
		if l.Type() != fastjson.TypeObject {
			return nil, jsonValueError(file, data, []any{i}, "link %d is not an object", i)
		}
		ifname := refJstr(l, "ifname")
		if ifname == "" {
			return nil, jsonValueError(file, data, []any{i}, "link %d has no ifname", i)
		}
		state := topology.ParseLinkState(refJstr(l, "operstate"))
		master := refJstr(l, "master")
		mtu := refJint(l, "mtu")
		kind := refJstr(l, "linkinfo", "info_kind")
		switch kind {
		case "bond":
			b := getBond(ifname)
			b.MTU, b.MAC, b.State = mtu, topology.NormalizeMAC(refJstr(l, "address")), state
			b.Source = file
			if master != "" {
				b.Bridge = master
			}
			d := l.Get("linkinfo", "info_data")
			if d == nil {
				d = &fastjson.Value{}
			}
			b.Mode = topology.BondMode(refJstr(d, "mode"))
			if m, ok := linuxModes[refJstr(d, "mode")]; ok {
				b.Mode = m
			}
			b.MIIMon, b.UpDelay, b.DownDelay, b.ARPInterval = refJint(d, "miimon"), refJint(d, "updelay"), refJint(d, "downdelay"), refJint(d, "arp_interval")
			for _, t := range d.GetArray("arp_ip_target") {
				if s := refScalar(t); s != "" {
					b.ARPTargets = append(b.ARPTargets, s)
				}
			}
			b.ARPValidate = canonARPValidate(refJstr(d, "arp_validate"))
			b.Primary, b.ActiveSlave = refJstr(d, "primary"), refJstr(d, "active_slave")
			b.XmitHashPolicy = refJstr(d, "xmit_hash_policy")
			b.MinLinks = refJint(d, "min_links")
			if b.Mode == topology.Mode8023AD {
				if r, ok := lacpRates[refJstr(d, "ad_lacp_rate")]; ok {
					b.LACPRate = r
				}
				if a := refJstr(d, "ad_lacp_active"); a != "" {
					on := a == "on" || a == "1"
					b.LACPActive = &on
				}
				b.AdSelect = refJstr(d, "ad_select")
			}
			if m := topology.NormalizeMAC(refJstr(d, "ad_actor_system")); m != "" && m != topology.ZeroMAC {
				b.AdActorSystem = m
			}
			if a := d.Get("ad_info"); a != nil && a.Type() == fastjson.TypeObject {
				b.ActiveAggregator = &topology.Aggregator{ID: refJint(a, "aggregator"), Ports: refJint(a, "num_ports"),
					ActorKey: refJint(a, "actor_key"), PartnerKey: refJint(a, "partner_key"), PartnerMAC: topology.NormalizeMAC(refJstr(a, "partner_mac"))}
			}
			continue
		case "bridge":
			getBridge(ifname)
			continue
		case "vlan":
			parent := refJstr(l, "link")
			if parent == "" {
				if base, _, ok := strings.Cut(ifname, "."); ok {
					parent = base
				}
			}
			out.VLANs = append(out.VLANs, topology.VLANIf{Name: ifname, Parent: parent, ID: refJint(l, "linkinfo", "info_data", "id"), MTU: mtu})
			if master != "" && kinds[master] == "bridge" {
				br := getBridge(master)
				br.Ports = append(br.Ports, ifname)
			}
			continue
		}
		if refJstr(l, "link_type") != "ether" || notNICKinds[kind] {
			// lo and tunnels have no Ethernet link; a team device and Open
			// vSwitch's ports are read from their own tools. Other
			// Ethernet links (veth, dummy, macvlan, tap, …) are NICs with
			// their MAC, MTU and state, as the live collector lists them.
			if master != "" && kinds[master] == "bridge" {
				br := getBridge(master)
				br.Ports = append(br.Ports, ifname)
			}
			continue
		}
		nic := topology.NIC{Name: ifname, MAC: topology.NormalizeMAC(refJstr(l, "address")), MTU: mtu, State: state, Master: master}
		nic.PermMAC = topology.NormalizeMAC(refJstr(l, "permaddr"))
		if refJstr(l, "linkinfo", "info_slave_kind") == "bond" && master != "" {
			d := l.Get("linkinfo", "info_slave_data")
			if d == nil {
				d = &fastjson.Value{}
			}
			if nic.PermMAC == "" {
				nic.PermMAC = topology.NormalizeMAC(refJstr(d, "perm_hwaddr"))
			}
			s := topology.Slave{Name: ifname, MIIStatus: topology.ParseLinkState(refJstr(d, "mii_status")), LinkFailures: refJint(d, "link_failure_count"),
				PermMAC: nic.PermMAC, QueueID: refJint(d, "queue_id"), Source: file}
			if id, ok := out.refRanged(data, file, d, i, "ad_aggregator_id", ifname, 0, 65535); ok {
				s.AggregatorID = id
			}
			// A state byte out of range is unknown, not cast: 319 would
			// read as 63 (in sync) and hide two errors.
			if st, ok := out.refRanged(data, file, d, i, "ad_actor_oper_port_state", ifname, 0, 255); ok {
				s.Actor = &topology.LACPPort{State: topology.LACPState(st), StateKnown: true}
			}
			if st, ok := out.refRanged(data, file, d, i, "ad_partner_oper_port_state", ifname, 0, 255); ok {
				s.Partner = &topology.LACPPort{State: topology.LACPState(st), StateKnown: true}
			}
			b := getBond(master)
			b.Slaves = append(b.Slaves, s)
		} else if nic.PermMAC == "" && kinds[master] != "bond" {
			// Only a bond changes its slaves' MACs: an unenslaved NIC or a
			// bridge port still has its own (as the live collector says).
			nic.PermMAC = nic.MAC
		}
		if master != "" && kinds[master] == "bridge" {
			br := getBridge(master)
			br.Ports = append(br.Ports, ifname)
		}
		out.NICs = append(out.NICs, nic)
	}
	for _, name := range bondOrder {
		b := bonds[name]
		if b.Mode == "" && b.Source == "" {
			b.Source = file // slaves of a master that is not listed as a bond
		}
		if b.Bridge != "" {
			br := getBridge(b.Bridge)
			if !slices.Contains(br.Ports, name) {
				br.Ports = append(br.Ports, name)
			}
		}
		out.Bonds = append(out.Bonds, *b)
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

// ranged reads the integer at key in d, the info_slave_data of link i of
// data: ok is false when it is absent or null, and also, with a problem
// naming the file, line and column, when it is not an integer in [lo, hi].
func (l *Links) refRanged(data []byte, file string, d *fastjson.Value, i int, key, ifname string, lo, hi int) (int, bool) {
	x := d.Get(key)
	if x == nil || x.Type() == fastjson.TypeNull {
		return 0, false
	}
	var n int
	var err error
	shown := x.String()
	switch x.Type() {
	case fastjson.TypeNumber:
		n, err = x.Int()
	case fastjson.TypeString:
		b, _ := x.StringBytes()
		shown = string(b)
		n, err = strconv.Atoi(strings.TrimSpace(shown))
	default:
		err = fmt.Errorf("%s", x.Type())
	}
	if err != nil || n < lo || n > hi {
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

// jstr returns the string at keys ("" when absent or null; numbers as text).
func refJstr(v *fastjson.Value, keys ...string) string {
	x := v.Get(keys...)
	if x == nil {
		return ""
	}
	switch x.Type() {
	case fastjson.TypeString:
		b, _ := x.StringBytes()
		return internShort(b, 16)
	case fastjson.TypeNumber, fastjson.TypeTrue, fastjson.TypeFalse:
		return x.String()
	}
	return ""
}

// jint returns the integer at keys: a number or a numeric string (iproute2
// prints some options either way), 0 otherwise.
func refJint(v *fastjson.Value, keys ...string) int {
	x := v.Get(keys...)
	if x == nil {
		return 0
	}
	switch x.Type() {
	case fastjson.TypeNumber:
		n, err := x.Int()
		if err != nil {
			f, _ := x.Float64()
			return int(f)
		}
		return n
	case fastjson.TypeString:
		b, _ := x.StringBytes()
		n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		return n
	}
	return 0
}

// scalar returns a value's text: a string, number or bool, or the "value"
// of {"value": x} / [{"value": x}].
func refScalar(v *fastjson.Value) string { return refScalarN(v, 24) }

// scalarN is scalar interning strings of at most n bytes: 0 for a text
// that names one host's port (a switch port's description, "srv0042
// ens1f0"), which no other host repeats.
func refScalarN(v *fastjson.Value, n int) string {
	if v == nil {
		return ""
	}
	switch v.Type() {
	case fastjson.TypeString:
		b, _ := v.StringBytes()
		return internShort(b, n)
	case fastjson.TypeNumber, fastjson.TypeTrue, fastjson.TypeFalse:
		return v.String()
	case fastjson.TypeArray:
		a, _ := v.Array()
		if len(a) > 0 {
			return refScalarN(a[0], n)
		}
	case fastjson.TypeObject:
		return refScalarN(v.Get("value"), n)
	}
	return ""
}
