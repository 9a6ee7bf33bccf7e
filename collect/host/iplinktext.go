package host

import (
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
)

// ParseIPLinkText parses the text of `ip -d link show` / `ip -d address` /
// `ip -s -d link` (what a sosreport keeps): per interface the master,
// state, MTU, addresses and the bond, bond_slave, bridge and vlan details.
func ParseIPLinkText(data []byte, file string) (*Links, error) {
	type rec struct {
		name, parent, master, mac, perm, kind, slaveKind string
		state                                            topology.LinkState
		mtu                                              int
		attrs, slaveAttrs                                map[string]string
		ether                                            bool
	}
	var recs []*rec
	var cur *rec
	sc := newLines(data)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			// "2: eno1: <FLAGS> mtu 1500 qdisc mq master bond0 state UP …"
			f := strings.Fields(line)
			if len(f) < 3 || !strings.HasSuffix(f[0], ":") {
				continue
			}
			name := strings.TrimSuffix(f[1], ":")
			cur = &rec{attrs: map[string]string{}, slaveAttrs: map[string]string{}}
			cur.name, cur.parent, _ = strings.Cut(name, "@")
			for i := 2; i+1 < len(f); i++ {
				switch f[i] {
				case "mtu":
					cur.mtu, _ = strconv.Atoi(f[i+1])
				case "master":
					cur.master = f[i+1]
				case "state":
					cur.state = topology.ParseLinkState(f[i+1])
				}
			}
			recs = append(recs, cur)
			continue
		}
		if cur == nil {
			continue
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		switch f[0] {
		case "link/ether":
			cur.ether = true
			if len(f) > 1 {
				cur.mac = f[1]
			}
			for i := 2; i+1 < len(f); i++ {
				if f[i] == "permaddr" {
					cur.perm = f[i+1]
				}
			}
		case "bond", "bridge", "vlan":
			cur.kind = f[0]
			pairs(f[1:], cur.attrs)
		case "bond_slave", "bridge_slave":
			cur.slaveKind = f[0]
			pairs(f[1:], cur.slaveAttrs)
		}
	}
	out := &Links{}
	bonds := map[string]*topology.Bond{}
	bridges := map[string]*topology.Bridge{}
	kinds := map[string]string{}
	for _, r := range recs {
		kinds[r.name] = r.kind
	}
	for _, r := range recs {
		if r.kind == "bond" {
			b := &topology.Bond{Name: r.name, Kind: topology.BondKindLinux, MTU: r.mtu, MAC: topology.NormalizeMAC(r.mac), State: r.state, Source: file}
			a := r.attrs
			b.Mode = topology.BondMode(a["mode"])
			if m, ok := linuxModes[a["mode"]]; ok {
				b.Mode = m
			}
			b.MIIMon, _ = strconv.Atoi(a["miimon"])
			b.UpDelay, _ = strconv.Atoi(a["updelay"])
			b.DownDelay, _ = strconv.Atoi(a["downdelay"])
			b.ARPInterval, _ = strconv.Atoi(a["arp_interval"])
			b.XmitHashPolicy = a["xmit_hash_policy"]
			if r, ok := lacpRates[a["lacp_rate"]]; ok {
				b.LACPRate = r
			}
			b.AdSelect = a["ad_select"]
			if kinds[r.master] == "bridge" {
				b.Bridge = r.master
			}
			bonds[r.name] = b
		}
		if r.kind == "bridge" {
			bridges[r.name] = &topology.Bridge{Name: r.name, Kind: "linux"}
		}
	}
	for _, r := range recs {
		if r.master != "" && kinds[r.master] == "bridge" {
			if br := bridges[r.master]; br != nil {
				br.Ports = append(br.Ports, r.name)
			}
		}
		switch {
		case r.kind == "vlan":
			id, _ := strconv.Atoi(r.attrs["id"])
			out.VLANs = append(out.VLANs, topology.VLANIf{Name: r.name, Parent: r.parent, ID: id, MTU: r.mtu})
			continue
		case r.kind != "" || !r.ether:
			continue
		}
		n := topology.NIC{Name: r.name, MAC: topology.NormalizeMAC(r.mac), PermMAC: topology.NormalizeMAC(r.perm), MTU: r.mtu, State: r.state, Master: r.master}
		if r.slaveKind == "bond_slave" {
			sa := r.slaveAttrs
			if n.PermMAC == "" {
				n.PermMAC = topology.NormalizeMAC(sa["perm_hwaddr"])
			}
			s := topology.Slave{Name: r.name, MIIStatus: topology.ParseLinkState(sa["mii_status"]), PermMAC: n.PermMAC, Source: file}
			s.LinkFailures, _ = strconv.Atoi(sa["link_failure_count"])
			s.AggregatorID, _ = strconv.Atoi(sa["ad_aggregator_id"])
			if b := bonds[r.master]; b != nil {
				b.Slaves = append(b.Slaves, s)
			}
		} else if n.PermMAC == "" && r.master == "" {
			n.PermMAC = n.MAC
		}
		out.NICs = append(out.NICs, n)
	}
	for _, b := range bonds {
		out.Bonds = append(out.Bonds, *b)
	}
	for _, br := range bridges {
		slices.Sort(br.Ports)
		out.Bridges = append(out.Bridges, *br)
	}
	slices.SortFunc(out.Bonds, func(a, b topology.Bond) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(out.Bridges, func(a, b topology.Bridge) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(out.NICs, func(a, b topology.NIC) int { return strings.Compare(a.Name, b.Name) })
	if len(recs) == 0 {
		return nil, &ParseError{File: file, Msg: "not `ip link` output: no interface lines"}
	}
	return out, nil
}

// pairs reads "key value key value …" into m (flags without values are
// skipped when the next token is also a known key; good enough for the
// fields read here).
func pairs(f []string, m map[string]string) {
	for i := 0; i+1 < len(f); i += 2 {
		m[f[i]] = f[i+1]
	}
}
