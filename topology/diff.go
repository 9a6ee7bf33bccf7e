package topology

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Drift is what changed between two Models of one site (DESIGN.md:
// "drift between two Models"): cabling, bonds, LAGs, the VLANs of the
// switch ports hosts are cabled to, and hosts and switches that came or
// went. Every list is sorted and never nil, so its JSON is stable.
//
// Bonds and LAGs are compared only on hosts and switches present in both
// Models (a host that came or went is listed once, not bond by bond);
// links are compared everywhere, since cabling is what drift is about.
type Drift struct {
	HostsAdded      []string        `json:"hosts_added"`
	HostsRemoved    []string        `json:"hosts_removed"`
	SwitchesAdded   []string        `json:"switches_added"`
	SwitchesRemoved []string        `json:"switches_removed"`
	LinksGained     []LinkEnd       `json:"links_gained"`
	LinksLost       []LinkEnd       `json:"links_lost"`
	LinksMoved      []LinkMove      `json:"links_moved"`
	BondsAdded      []BondRef       `json:"bonds_added"`
	BondsRemoved    []BondRef       `json:"bonds_removed"`
	BondsChanged    []BondDrift     `json:"bonds_changed"`
	LAGsAdded       []LAGRef        `json:"lags_added"`
	LAGsRemoved     []LAGRef        `json:"lags_removed"`
	LAGsChanged     []LAGDrift      `json:"lags_changed"`
	PortVLANs       []PortVLANDrift `json:"port_vlans_changed"`
}

// LinkEnd is a host NIC and the switch port it is cabled to.
type LinkEnd struct {
	Host   string `json:"host"`
	NIC    string `json:"nic"`
	Switch string `json:"switch"`
	Port   string `json:"port"`
}

// LinkMove is a host NIC recabled: same host and NIC, another switch port.
type LinkMove struct {
	Host string  `json:"host"`
	NIC  string  `json:"nic"`
	From PortRef `json:"from"`
	To   PortRef `json:"to"`
}

// PortRef names one switch port.
type PortRef struct {
	Switch string `json:"switch"`
	Port   string `json:"port"`
}

// BondRef is a bond that came or went, with its mode and slaves.
type BondRef struct {
	Host   string   `json:"host"`
	Bond   string   `json:"bond"`
	Mode   BondMode `json:"mode"`
	Slaves []string `json:"slaves"`
}

// FieldChange is one setting's old and new value ("" = not set).
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// BondDrift is a bond present in both Models whose mode, parameters or
// slave set changed.
type BondDrift struct {
	Host string `json:"host"`
	Bond string `json:"bond"`
	// Mode is the bond's mode now (for context; a change is in Changes).
	Mode          BondMode      `json:"mode"`
	Changes       []FieldChange `json:"changes"`
	SlavesAdded   []string      `json:"slaves_added"`
	SlavesRemoved []string      `json:"slaves_removed"`
}

// LAGRef is a LAG that came or went.
type LAGRef struct {
	Switch  string   `json:"switch"`
	LAG     string   `json:"lag"`
	Kind    LAGKind  `json:"kind"`
	Members []string `json:"members"`
}

// LAGDrift is a LAG present in both Models whose kind, MLAG membership or
// members changed.
type LAGDrift struct {
	Switch         string        `json:"switch"`
	LAG            string        `json:"lag"`
	Kind           LAGKind       `json:"kind"`
	Changes        []FieldChange `json:"changes"`
	MembersAdded   []string      `json:"members_added"`
	MembersRemoved []string      `json:"members_removed"`
}

// IntChange is a number's old and new value.
type IntChange struct {
	Old int `json:"old"`
	New int `json:"new"`
}

// PortVLANDrift is a VLAN change on a switch port that carries a host link
// (in either Model), or on the LAG such a port belongs to.
type PortVLANDrift struct {
	Switch string `json:"switch"`
	Port   string `json:"port"`
	// Hosts are the hosts cabled to the port (or the LAG's members), old and new.
	Hosts           []string   `json:"hosts"`
	PVID            *IntChange `json:"pvid,omitempty"`
	TaggedAdded     []int      `json:"tagged_added"`
	TaggedRemoved   []int      `json:"tagged_removed"`
	UntaggedAdded   []int      `json:"untagged_added"`
	UntaggedRemoved []int      `json:"untagged_removed"`
}

// Empty reports whether nothing changed.
func (d *Drift) Empty() bool { return d.Count() == 0 }

// Count is the number of changes listed.
func (d *Drift) Count() int {
	return len(d.HostsAdded) + len(d.HostsRemoved) + len(d.SwitchesAdded) + len(d.SwitchesRemoved) +
		len(d.LinksGained) + len(d.LinksLost) + len(d.LinksMoved) +
		len(d.BondsAdded) + len(d.BondsRemoved) + len(d.BondsChanged) +
		len(d.LAGsAdded) + len(d.LAGsRemoved) + len(d.LAGsChanged) + len(d.PortVLANs)
}

// Diff lists what changed from old to new. It only reads the Models and
// its result does not depend on map iteration order.
func Diff(old, new *Model) *Drift {
	d := &Drift{
		HostsAdded: []string{}, HostsRemoved: []string{}, SwitchesAdded: []string{}, SwitchesRemoved: []string{},
		LinksGained: []LinkEnd{}, LinksLost: []LinkEnd{}, LinksMoved: []LinkMove{},
		BondsAdded: []BondRef{}, BondsRemoved: []BondRef{}, BondsChanged: []BondDrift{},
		LAGsAdded: []LAGRef{}, LAGsRemoved: []LAGRef{}, LAGsChanged: []LAGDrift{},
		PortVLANs: []PortVLANDrift{},
	}
	if old == nil {
		old = &Model{}
	}
	if new == nil {
		new = &Model{}
	}
	d.diffNodes(old, new)
	d.diffLinks(old, new)
	d.diffBonds(old, new)
	d.diffLAGs(old, new)
	d.diffVLANs(old, new)
	return d
}

func (d *Drift) diffNodes(old, new *Model) {
	matchByKey(old.Hosts, new.Hosts, func(h **HostNode) string { return (*h).Name },
		func(h **HostNode) { d.HostsAdded = append(d.HostsAdded, (*h).Name) }, nil,
		func(h **HostNode) { d.HostsRemoved = append(d.HostsRemoved, (*h).Name) })
	matchByKey(old.Switches, new.Switches, func(s **SwitchNode) string { return (*s).Name },
		func(s **SwitchNode) { d.SwitchesAdded = append(d.SwitchesAdded, (*s).Name) }, nil,
		func(s **SwitchNode) { d.SwitchesRemoved = append(d.SwitchesRemoved, (*s).Name) })
	for _, l := range []*[]string{&d.HostsAdded, &d.HostsRemoved, &d.SwitchesAdded, &d.SwitchesRemoved} {
		slices.SortFunc(*l, CompareNames)
	}
}

// matchByKey pairs the items of old and new by key (the last old item of
// a key is its match): added is called for each item of new without a
// match, both (when not nil) for each item of new with its match, in new's
// order, and removed for each item of old whose key new lacks, in old's
// order.
func matchByKey[T any](old, new []T, key func(*T) string, added func(n *T), both func(o, n *T), removed func(o *T)) {
	if len(old) <= 8 && len(new) <= 8 {
		// a host's bonds, a switch's LAGs: scans, not two maps per call
		// (diffBonds calls this for each of 100,000 hosts)
		matchByScan(old, new, key, added, both, removed)
		return
	}
	matchByMaps(old, new, key, added, both, removed)
}

// matchByMaps is matchByKey with a map of old's keys and a set of new's.
func matchByMaps[T any](old, new []T, key func(*T) string, added func(n *T), both func(o, n *T), removed func(o *T)) {
	om := make(map[string]*T, len(old))
	for i := range old {
		om[key(&old[i])] = &old[i]
	}
	seen := make(map[string]bool, len(new))
	for i := range new {
		n := &new[i]
		k := key(n)
		seen[k] = true
		if o := om[k]; o == nil {
			added(n)
		} else if both != nil {
			both(o, n)
		}
	}
	for i := range old {
		if o := &old[i]; !seen[key(o)] {
			removed(o)
		}
	}
}

// matchByScan is matchByKey by scanning, for a few items.
func matchByScan[T any](old, new []T, key func(*T) string, added func(n *T), both func(o, n *T), removed func(o *T)) {
	for i := range new {
		n := &new[i]
		k := key(n)
		var o *T
		for j := len(old) - 1; j >= 0 && o == nil; j-- {
			if key(&old[j]) == k {
				o = &old[j]
			}
		}
		if o == nil {
			added(n)
		} else if both != nil {
			both(o, n)
		}
	}
	for i := range old {
		o := &old[i]
		k := key(o)
		inNew := false
		for j := range new {
			if key(&new[j]) == k {
				inNew = true
				break
			}
		}
		if !inNew {
			removed(o)
		}
	}
}

// linksByNIC indexes a Model's host links by host and NIC (the first link
// of a NIC wins; Build keeps one per NIC).
func linksByNIC(m *Model) map[nicKey]*Link {
	out := make(map[nicKey]*Link, len(m.Links))
	for _, l := range m.Links {
		k := nicKey{l.Host, l.NIC}
		if _, ok := out[k]; !ok {
			out[k] = l
		}
	}
	return out
}

func (d *Drift) diffLinks(old, new *Model) {
	ol, nl := linksByNIC(old), linksByNIC(new)
	for _, l := range new.Links {
		k := nicKey{l.Host, l.NIC}
		if nl[k] != l {
			continue
		}
		o := ol[k]
		switch {
		case o == nil:
			d.LinksGained = append(d.LinksGained, LinkEnd{l.Host, l.NIC, l.Switch, l.Port})
		case o.Switch != l.Switch || !SamePort(o.Port, l.Port):
			d.LinksMoved = append(d.LinksMoved, LinkMove{Host: l.Host, NIC: l.NIC,
				From: PortRef{o.Switch, o.Port}, To: PortRef{l.Switch, l.Port}})
		}
	}
	for _, l := range old.Links {
		k := nicKey{l.Host, l.NIC}
		if ol[k] == l && nl[k] == nil {
			d.LinksLost = append(d.LinksLost, LinkEnd{l.Host, l.NIC, l.Switch, l.Port})
		}
	}
	byNIC := func(a, b LinkEnd) int {
		return cmp.Or(CompareNames(a.Host, b.Host), CompareNames(a.NIC, b.NIC))
	}
	slices.SortFunc(d.LinksGained, byNIC)
	slices.SortFunc(d.LinksLost, byNIC)
	slices.SortFunc(d.LinksMoved, func(a, b LinkMove) int {
		return cmp.Or(CompareNames(a.Host, b.Host), CompareNames(a.NIC, b.NIC))
	})
}

func slaveNames(b *Bond) []string {
	out := []string{}
	for _, s := range b.Slaves {
		out = append(out, s.Name)
	}
	slices.SortFunc(out, CompareNames)
	return out
}

// bondFields are the settings Diff compares, in the order it lists them.
var bondFields = []struct {
	name string
	get  func(b *Bond) string
}{
	{"mode", func(b *Bond) string { return string(b.Mode) }},
	{"kind", func(b *Bond) string {
		if b.Kind == "" {
			return BondKindLinux
		}
		return b.Kind
	}},
	{"miimon", func(b *Bond) string { return strconv.Itoa(b.MIIMon) }},
	{"updelay", func(b *Bond) string { return strconv.Itoa(b.UpDelay) }},
	{"downdelay", func(b *Bond) string { return strconv.Itoa(b.DownDelay) }},
	{"arp_interval", func(b *Bond) string { return strconv.Itoa(b.ARPInterval) }},
	{"arp_ip_target", func(b *Bond) string { return strings.Join(slices.Sorted(slices.Values(b.ARPTargets)), ",") }},
	// Validation off is "" (what collect/host writes) or "none" (what a
	// snapshot from an older collector says): one value, never a change
	// from none to none.
	{"arp_validate", func(b *Bond) string {
		if strings.EqualFold(b.ARPValidate, "none") {
			return ""
		}
		return strings.ToLower(b.ARPValidate)
	}},
	{"lacp_rate", func(b *Bond) string { return b.LACPRate }},
	{"ad_select", func(b *Bond) string { return b.AdSelect }},
	{"xmit_hash_policy", func(b *Bond) string { return b.XmitHashPolicy }},
	{"min_links", func(b *Bond) string { return strconv.Itoa(b.MinLinks) }},
	{"primary", func(b *Bond) string { return b.Primary }},
	{"bridge", func(b *Bond) string { return b.Bridge }},
}

// sameBond reports whether two bonds have identical settings (every
// field bondFields reads, as stored) and slaves (names, in order): then
// diffBonds has nothing to say of them. Settings that differ as stored
// but not as bondFields compares them ("none" and "" validation, ARP
// targets in another order) are left to the field comparison.
func sameBond(a, b *Bond) bool {
	if a.Mode != b.Mode || a.Kind != b.Kind || a.MIIMon != b.MIIMon || a.UpDelay != b.UpDelay ||
		a.DownDelay != b.DownDelay || a.ARPInterval != b.ARPInterval || !slices.Equal(a.ARPTargets, b.ARPTargets) ||
		a.ARPValidate != b.ARPValidate || a.LACPRate != b.LACPRate || a.AdSelect != b.AdSelect ||
		a.XmitHashPolicy != b.XmitHashPolicy || a.MinLinks != b.MinLinks || a.Primary != b.Primary ||
		a.Bridge != b.Bridge || len(a.Slaves) != len(b.Slaves) {
		return false
	}
	for i := range a.Slaves {
		if a.Slaves[i].Name != b.Slaves[i].Name {
			return false
		}
	}
	return true
}

func (d *Drift) diffBonds(old, new *Model) {
	for _, nh := range new.Hosts {
		oh := old.Host(nh.Name)
		if oh == nil {
			continue
		}
		matchByKey(oh.Bonds, nh.Bonds, func(b *Bond) string { return b.Name },
			func(nb *Bond) {
				d.BondsAdded = append(d.BondsAdded, BondRef{nh.Name, nb.Name, nb.Mode, slaveNames(nb)})
			},
			func(o, nb *Bond) {
				if sameBond(o, nb) {
					return // (most bonds: nothing formatted, nothing allocated)
				}
				bd := BondDrift{Host: nh.Name, Bond: nb.Name, Mode: nb.Mode, Changes: []FieldChange{}}
				for _, f := range bondFields {
					if ov, nv := f.get(o), f.get(nb); ov != nv {
						bd.Changes = append(bd.Changes, FieldChange{f.name, ov, nv})
					}
				}
				bd.SlavesAdded, bd.SlavesRemoved = setDiff(slaveNames(o), slaveNames(nb), func(s string) string { return s })
				if len(bd.Changes)+len(bd.SlavesAdded)+len(bd.SlavesRemoved) > 0 {
					d.BondsChanged = append(d.BondsChanged, bd)
				}
			},
			func(b *Bond) {
				d.BondsRemoved = append(d.BondsRemoved, BondRef{oh.Name, b.Name, b.Mode, slaveNames(b)})
			})
	}
	byBond := func(a, b BondRef) int { return cmp.Or(CompareNames(a.Host, b.Host), CompareNames(a.Bond, b.Bond)) }
	slices.SortFunc(d.BondsAdded, byBond)
	slices.SortFunc(d.BondsRemoved, byBond)
	slices.SortFunc(d.BondsChanged, func(a, b BondDrift) int {
		return cmp.Or(CompareNames(a.Host, b.Host), CompareNames(a.Bond, b.Bond))
	})
}

// setDiff returns the elements of b not in a (added) and of a not in b
// (removed), compared by key, each sorted by name; never nil.
func setDiff(a, b []string, key func(string) string) (added, removed []string) {
	in := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[key(x)] = true
		}
		return m
	}
	ia, ib := in(a), in(b)
	added, removed = []string{}, []string{}
	for _, x := range b {
		if !ia[key(x)] {
			added = append(added, x)
		}
	}
	for _, x := range a {
		if !ib[key(x)] {
			removed = append(removed, x)
		}
	}
	slices.SortFunc(added, CompareNames)
	slices.SortFunc(removed, CompareNames)
	return slices.Compact(added), slices.Compact(removed)
}

func lagMembers(l *LAG) []string {
	out := append([]string{}, l.Members...)
	slices.SortFunc(out, CompareNames)
	return out
}

func (d *Drift) diffLAGs(old, new *Model) {
	for _, ns := range new.Switches {
		osw := old.Switch(ns.Name)
		if osw == nil {
			continue
		}
		// The same LAGs in the same order, of names distinct once
		// normalised (Build's lags has one entry each), match one to one
		// with nothing changed: most switches, and they need no names
		// normalised.
		if lagFastPath && osw.lags != nil && len(osw.lags) == len(osw.LAGs) && sameLAGs(osw.LAGs, ns.LAGs) {
			continue
		}
		matchByKey(osw.LAGs, ns.LAGs, func(l *LAG) string { return NormalizePortName(l.Name) },
			func(nl *LAG) {
				d.LAGsAdded = append(d.LAGsAdded, LAGRef{ns.Name, nl.Name, nl.Kind, lagMembers(nl)})
			},
			func(o, nl *LAG) {
				ld := LAGDrift{Switch: ns.Name, LAG: nl.Name, Kind: nl.Kind, Changes: []FieldChange{}}
				if o.Kind != nl.Kind {
					ld.Changes = append(ld.Changes, FieldChange{"kind", string(o.Kind), string(nl.Kind)})
				}
				if o.MLAG != nl.MLAG {
					ld.Changes = append(ld.Changes, FieldChange{"mlag", o.MLAG, nl.MLAG})
				}
				ld.MembersAdded, ld.MembersRemoved = setDiff(o.Members, nl.Members, NormalizePortName)
				if len(ld.Changes)+len(ld.MembersAdded)+len(ld.MembersRemoved) > 0 {
					d.LAGsChanged = append(d.LAGsChanged, ld)
				}
			},
			func(l *LAG) {
				d.LAGsRemoved = append(d.LAGsRemoved, LAGRef{osw.Name, l.Name, l.Kind, lagMembers(l)})
			})
	}
	byLAG := func(a, b LAGRef) int { return cmp.Or(CompareNames(a.Switch, b.Switch), CompareNames(a.LAG, b.LAG)) }
	slices.SortFunc(d.LAGsAdded, byLAG)
	slices.SortFunc(d.LAGsRemoved, byLAG)
	slices.SortFunc(d.LAGsChanged, func(a, b LAGDrift) int {
		return cmp.Or(CompareNames(a.Switch, b.Switch), CompareNames(a.LAG, b.LAG))
	})
}

// diffVLANs compares the VLANs of every switch port that carries a host
// link in either Model, and of the LAG (in either Model) such a port is a
// member of, on switches present in both.
//
// The ports are found once each (a map from (switch, normalised port) to
// its place in targets) and compared; only the few that drifted have their
// hosts gathered, in a second pass over the links. (A set of hosts for
// every port, built before knowing which drifted, was a tenth of a
// 100k-host diff's CPU.)
func (d *Drift) diffVLANs(old, new *Model) {
	type target struct {
		sw, port string // port: as first seen (Port normalises it)
		norm     string
	}
	models := [2]*Model{old, new}
	// each link's ports: its own, and the LAG it is a member of in either
	// Model (f is called with the normalised name and the name)
	eachPort := func(l *Link, f func(norm, port string)) {
		norm := l.normPort
		if norm == "" { // a Link Build did not make
			norm = NormalizePortName(l.Port)
		}
		f(norm, l.Port)
		for _, mm := range models {
			if s := mm.Switch(l.Switch); s != nil {
				if lag := s.LAGOf(l.Port); lag != nil {
					f(NormalizePortName(lag.Name), lag.Name)
				}
			}
		}
	}
	// Only a switch whose ports' VLANs differ between the Models can have
	// a drifted port: a switch in both with the same ports (names in the
	// same order, the same PVIDs, tagged and untagged VLANs) finds every
	// port the same in both. Most switches of a site are unchanged.
	differs := make(map[string]bool)
	for _, os := range old.Switches {
		if ns := new.Switch(os.Name); ns != nil && !sameVLANPorts(os.Ports, ns.Ports) {
			differs[os.Name] = true
		}
	}
	if len(differs) == 0 {
		return
	}
	at := make(map[portKey]int, len(old.Links)+len(new.Links))
	var targets []target
	for _, m := range models {
		for _, l := range m.Links {
			if !differs[l.Switch] {
				continue
			}
			eachPort(l, func(norm, port string) {
				if _, ok := at[portKey{l.Switch, norm}]; !ok {
					at[portKey{l.Switch, norm}] = len(targets)
					targets = append(targets, target{l.Switch, port, norm})
				}
			})
		}
	}
	drifted := map[portKey]int{} // -> index in d.PortVLANs
	for _, t := range targets {
		osw, ns := old.Switch(t.sw), new.Switch(t.sw)
		if osw == nil || ns == nil {
			continue
		}
		op, np := osw.Port(t.port), ns.Port(t.port)
		if op == nil || np == nil {
			continue
		}
		v := PortVLANDrift{Switch: t.sw, Port: np.Name}
		if op.PVID != np.PVID {
			v.PVID = &IntChange{op.PVID, np.PVID}
		}
		v.TaggedAdded, v.TaggedRemoved = intSetDiff(op.Tagged, np.Tagged)
		v.UntaggedAdded, v.UntaggedRemoved = intSetDiff(op.Untagged, np.Untagged)
		if v.PVID == nil && len(v.TaggedAdded)+len(v.TaggedRemoved)+len(v.UntaggedAdded)+len(v.UntaggedRemoved) == 0 {
			continue
		}
		drifted[portKey{t.sw, t.norm}] = len(d.PortVLANs)
		d.PortVLANs = append(d.PortVLANs, v)
	}
	if len(drifted) > 0 {
		for _, m := range models {
			for _, l := range m.Links {
				eachPort(l, func(norm, _ string) {
					if i, ok := drifted[portKey{l.Switch, norm}]; ok && !slices.Contains(d.PortVLANs[i].Hosts, l.Host) {
						d.PortVLANs[i].Hosts = append(d.PortVLANs[i].Hosts, l.Host)
					}
				})
			}
		}
		for i := range d.PortVLANs {
			slices.SortFunc(d.PortVLANs[i].Hosts, CompareNames)
		}
	}
	slices.SortFunc(d.PortVLANs, func(a, b PortVLANDrift) int {
		return cmp.Or(CompareNames(a.Switch, b.Switch), CompareNames(a.Port, b.Port))
	})
}

// lagFastPath lets diffLAGs skip unchanged switches (off in a test, to
// compare).
var lagFastPath = true

// sameLAGs is true when a and b are the same LAGs in the same order: the
// names, kinds, MLAGs and members diffLAGs compares.
func sameLAGs(a, b []LAG) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		p, q := &a[i], &b[i]
		if p.Name != q.Name || p.Kind != q.Kind || p.MLAG != q.MLAG || !slices.Equal(p.Members, q.Members) {
			return false
		}
	}
	return true
}

// sameVLANPorts is true when a and b are the same ports in the same order
// with the same VLANs (diffVLANs' test of an unchanged switch).
func sameVLANPorts(a, b []Port) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		p, q := &a[i], &b[i]
		if p.Name != q.Name || p.PVID != q.PVID || !slices.Equal(p.Tagged, q.Tagged) || !slices.Equal(p.Untagged, q.Untagged) {
			return false
		}
	}
	return true
}

func intSetDiff(a, b []int) (added, removed []int) {
	added, removed = []int{}, []int{}
	for _, x := range b {
		if !slices.Contains(a, x) && !slices.Contains(added, x) {
			added = append(added, x)
		}
	}
	for _, x := range a {
		if !slices.Contains(b, x) && !slices.Contains(removed, x) {
			removed = append(removed, x)
		}
	}
	slices.Sort(added)
	slices.Sort(removed)
	return added, removed
}

// CompareNames orders names the way people number things: runs of digits
// compare as numbers, so Ethernet2 < Ethernet10 and Gi1/0/9 < Gi1/0/10;
// ties fall back to plain string order.
func CompareNames(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if isDigit(ca) && isDigit(cb) {
			si, sj := i, j
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			na := strings.TrimLeft(a[si:i], "0")
			nb := strings.TrimLeft(b[sj:j], "0")
			if c := cmp.Or(cmp.Compare(len(na), len(nb)), cmp.Compare(na, nb)); c != 0 {
				return c
			}
			continue
		}
		if ca != cb {
			return cmp.Compare(ca, cb)
		}
		i++
		j++
	}
	return cmp.Or(cmp.Compare(len(a)-i, len(b)-j), cmp.Compare(a, b))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
