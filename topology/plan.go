package topology

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Change is one planned change, applied to snapshots before the join so
// that the rules judge the site as it will be.
type Change struct {
	// MoveCable: host NIC recabled to Switch:Port.
	MoveCable *MoveCable `json:"move_cable,omitempty"`
	// BondMode: a bond's mode changed.
	BondMode *BondModeChange `json:"bond_mode,omitempty"`
	// LAGAdd / LAGRemove: ports added to / removed from a LAG.
	LAGAdd    *LAGChange `json:"lag_add,omitempty"`
	LAGRemove *LAGChange `json:"lag_remove,omitempty"`
	// VLANs: a port's (or port-channel's) VLANs set.
	VLANs *VLANChange `json:"vlans,omitempty"`
	// BondParams: a bond's parameters set (miimon, lacp_rate, …).
	BondParams *BondParamsChange `json:"bond_params,omitempty"`
	// LAGKind: a LAG turned static or LACP.
	LAGKind *LAGKindChange `json:"lag_kind,omitempty"`
	// MLAG: a LAG made (or unmade, MLAGID 0) an MLAG/vPC port-channel of
	// its switch's domain.
	MLAG *MLAGChange `json:"mlag,omitempty"`
	// MTU: a host NIC's or bond's, or a switch port's, MTU set.
	MTU *MTUChange `json:"mtu,omitempty"`
}

// BondParamsChange sets a bond's parameters; a nil or empty field stays as
// it is.
type BondParamsChange struct {
	Host, Bond string
	Miimon     *int // ms; 0 turns MII monitoring off
	// LACPRate is slow or fast (802.3ad only).
	LACPRate string
	// XmitHashPolicy is layer2, layer2+3, layer3+4, encap2+3 or encap3+4.
	XmitHashPolicy string
	ARPInterval    *int     // ms; 0 turns ARP monitoring off
	ARPIPTargets   []string // replaces the list when not nil
}

// LAGKindChange makes a LAG static ("mode on") or LACP.
type LAGKindChange struct {
	Switch, LAG string
	Kind        LAGKind
}

// MLAGChange sets a LAG's MLAG/vPC ID in its switch's MLAG domain (0: not
// multi-chassis).
type MLAGChange struct {
	Switch, LAG string
	MLAGID      int
}

// MTUChange sets an MTU: on a host's NIC or bond (Host, NIC) or on a
// switch port or port-channel (Switch, Port).
type MTUChange struct {
	Host, NIC, Switch, Port string
	MTU                     int
}

// MoveCable recables a host NIC.
type MoveCable struct {
	Host, NIC, Switch, Port string
}

// BondModeChange sets a bond's mode.
type BondModeChange struct {
	Host, Bond string
	Mode       BondMode
}

// LAGChange adds ports to or removes ports from a LAG (created on add when
// missing, with Kind lacp or static).
type LAGChange struct {
	Switch, LAG string
	Kind        LAGKind
	Ports       []string
}

// VLANChange sets a port's PVID and tagged VLANs.
type VLANChange struct {
	Switch, Port string
	PVID         int
	Tagged       []int
}

// Plan returns the Model of the site as it will be after the changes. The
// snapshots m was built from are copied (m and its snapshots stay as they
// are: a built Model is never changed), the changes applied to the copies
// in order (ApplyPlan), the copies joined by Build with m's options, and
// the LACP state the changes make stale forgotten (forgetStaleLACP). An
// error names the change that cannot be applied.
func (m *Model) Plan(changes []Change) (*Model, error) {
	return m.plan(changes, true)
}

// PlanInPlace is Plan without the copies, for a caller that is done with m
// (whatif --plan judges the site once before and once after): the changes
// are applied to the snapshots m was built from, so that the site is held
// once, and m can be collected while the changed site is joined. Neither m
// nor those snapshots may be used as they were afterwards, also after an
// error (the change that failed may be half applied).
func (m *Model) PlanInPlace(changes []Change) (*Model, error) {
	return m.plan(changes, false)
}

func (m *Model) plan(changes []Change, copies bool) (*Model, error) {
	hosts := make([]*Host, 0, len(m.inHosts))
	for _, h := range m.inHosts {
		if h != nil {
			if copies {
				h = h.Clone()
			}
			hosts = append(hosts, h)
		}
	}
	sws := make([]*Switch, 0, len(m.inSwitches))
	for _, s := range m.inSwitches {
		if s != nil {
			if copies {
				s = s.Clone()
			}
			sws = append(sws, s)
		}
	}
	opt := m.opt
	if err := ApplyPlan(hosts, sws, changes); err != nil {
		return nil, err
	}
	n, err := Build(hosts, sws, opt)
	if err != nil {
		return nil, err
	}
	n.forgetStaleLACP(changes)
	return n, nil
}

// ApplyPlan applies changes, in order, to snapshots, which it modifies
// (Model.Plan gives it copies). An error names the change that cannot be
// applied.
//
// Its cost is linear in the changes and the snapshots: hosts, switches,
// ports, LAGs, neighbours and FDB entries are indexed once (per switch on
// first use), and what a change deletes from a switch's neighbours, FDB or
// LAG members is marked there and compacted once at the end.
func ApplyPlan(hosts []*Host, sws []*Switch, changes []Change) error {
	p := newPlanner(hosts, sws)
	defer p.compact()
	for i, c := range changes {
		if err := p.apply(c); err != nil {
			return fmt.Errorf("change %d: %w", i+1, err)
		}
	}
	return nil
}

// planner holds the indexes ApplyPlan works through.
type planner struct {
	hosts    map[string]*Host
	switches map[string]*Switch
	sws      []*Switch
	nics     map[*Host]map[string]int // NIC name -> last index in h.NICs
	state    map[*Switch]*planSwitch
	// byHost: switch neighbours by the (case-folded) host name they name;
	// byMAC: FDB entries by normalised MAC. Built on the first move_cable.
	byHost map[string][]neighbourRef
	byMAC  map[string][]fdbRef
}

type neighbourRef struct {
	sw *planSwitch
	i  int
}

type fdbRef struct {
	sw *planSwitch
	i  int
}

// planSwitch is one switch's indexes and deletion marks.
type planSwitch struct {
	s     *Switch
	ports map[string]int // normalised port name -> first index in s.Ports
	// lags: normalised LAG name -> last index in s.LAGs (members built on
	// the first LAG change).
	lags map[string]int
	// members: (LAG, normalised member) -> live positions in Members;
	// inLAGs: normalised member -> LAGs that may hold it.
	members     map[memberKey][]int
	inLAGs      map[string][]int
	deadMember  [][]bool
	deadNeigh   []bool
	deadFDB     []bool
	anyDeadNb   bool
	anyDeadFDB  bool
	lagsTouched bool
}

type memberKey struct {
	lag  int
	name string
}

func newPlanner(hosts []*Host, sws []*Switch) *planner {
	p := &planner{hosts: make(map[string]*Host, len(hosts)), switches: make(map[string]*Switch, len(sws)), sws: sws,
		nics: map[*Host]map[string]int{}, state: map[*Switch]*planSwitch{}}
	for _, h := range hosts {
		if _, dup := p.hosts[h.Name]; !dup { // the first of a name, as before
			p.hosts[h.Name] = h
		}
	}
	for _, s := range sws {
		if _, dup := p.switches[s.Name]; !dup {
			p.switches[s.Name] = s
		}
	}
	return p
}

func (p *planner) sw(s *Switch) *planSwitch {
	ps := p.state[s]
	if ps == nil {
		ps = &planSwitch{s: s, ports: make(map[string]int, len(s.Ports))}
		for i := range s.Ports {
			n := NormalizePortName(s.Ports[i].Name)
			if _, dup := ps.ports[n]; !dup {
				ps.ports[n] = i
			}
		}
		p.state[s] = ps
	}
	return ps
}

func (p *planner) port(s *Switch, name string) *Port {
	if i, ok := p.sw(s).ports[NormalizePortName(name)]; ok {
		return &s.Ports[i]
	}
	return nil
}

func (p *planner) nic(h *Host, name string) *NIC {
	idx := p.nics[h]
	if idx == nil {
		idx = make(map[string]int, len(h.NICs))
		for i := range h.NICs {
			idx[h.NICs[i].Name] = i // the last of a name, as before
		}
		p.nics[h] = idx
	}
	if i, ok := idx[name]; ok {
		return &h.NICs[i]
	}
	return nil
}

func (p *planner) apply(c Change) error {
	switch {
	case c.MoveCable != nil:
		return p.moveCable(c.MoveCable)
	case c.BondMode != nil:
		h := p.hosts[c.BondMode.Host]
		if h == nil {
			return fmt.Errorf("bond_mode: no host %q", c.BondMode.Host)
		}
		for i := range h.Bonds {
			if h.Bonds[i].Name == c.BondMode.Bond {
				h.Bonds[i].Mode = c.BondMode.Mode.Canon(h.Bonds[i].Kind) // as LoadHost would write it
				return nil
			}
		}
		return fmt.Errorf("bond_mode: host %s has no bond %q", h.Name, c.BondMode.Bond)
	case c.LAGAdd != nil, c.LAGRemove != nil:
		return p.lagChange(c.LAGAdd, c.LAGRemove)
	case c.VLANs != nil:
		s := p.switches[c.VLANs.Switch]
		if s == nil {
			return fmt.Errorf("vlans: no switch %q", c.VLANs.Switch)
		}
		pt := p.port(s, c.VLANs.Port)
		if pt == nil {
			return fmt.Errorf("vlans: switch %s has no port %q", s.Name, c.VLANs.Port)
		}
		pt.PVID, pt.Tagged, pt.Untagged = c.VLANs.PVID, slices.Sorted(slices.Values(c.VLANs.Tagged)), nil
		if pt.PVID > 0 {
			pt.Untagged = []int{pt.PVID}
		}
		s.VLANsKnown = true
		return nil
	case c.BondParams != nil:
		return p.bondParams(c.BondParams)
	case c.LAGKind != nil:
		return p.lagKind(c.LAGKind)
	case c.MLAG != nil:
		return p.mlag(c.MLAG)
	case c.MTU != nil:
		return p.mtu(c.MTU)
	}
	return fmt.Errorf("empty change")
}

// Values BondParamsChange takes.
var (
	lacpRates        = []string{"slow", "fast"}
	xmitHashPolicies = []string{"layer2", "layer2+3", "layer3+4", "encap2+3", "encap3+4"}
)

// bond returns a host's bond by name.
func (p *planner) bond(verb, host, bond string) (*Bond, error) {
	h := p.hosts[host]
	if h == nil {
		return nil, fmt.Errorf("%s: no host %q", verb, host)
	}
	for i := range h.Bonds {
		if h.Bonds[i].Name == bond {
			return &h.Bonds[i], nil
		}
	}
	return nil, fmt.Errorf("%s: host %s has no bond %q", verb, h.Name, bond)
}

// bondParams sets a bond's parameters as the kernel does: turning MII
// monitoring on turns ARP monitoring off and the reverse, and the LACP
// rate is what the actor's short-timeout bit says.
func (p *planner) bondParams(c *BondParamsChange) error {
	b, err := p.bond("bond_params", c.Host, c.Bond)
	if err != nil {
		return err
	}
	if c.LACPRate != "" && !slices.Contains(lacpRates, c.LACPRate) {
		return fmt.Errorf("bond_params: lacp_rate %q: want slow or fast", c.LACPRate)
	}
	if c.XmitHashPolicy != "" && !slices.Contains(xmitHashPolicies, c.XmitHashPolicy) {
		return fmt.Errorf("bond_params: xmit_hash_policy %q: want one of %s", c.XmitHashPolicy, strings.Join(xmitHashPolicies, ", "))
	}
	if (c.Miimon != nil && *c.Miimon < 0) || (c.ARPInterval != nil && *c.ARPInterval < 0) {
		return fmt.Errorf("bond_params: a negative interval")
	}
	if c.Miimon != nil {
		b.MIIMon = *c.Miimon
		if b.MIIMon > 0 && c.ARPInterval == nil {
			b.ARPInterval = 0
		}
	}
	if c.ARPInterval != nil {
		b.ARPInterval = *c.ARPInterval
		if b.ARPInterval > 0 && c.Miimon == nil {
			b.MIIMon = 0
		}
	}
	if c.ARPIPTargets != nil {
		b.ARPTargets = slices.Clone(c.ARPIPTargets)
	}
	if c.XmitHashPolicy != "" {
		b.XmitHashPolicy = c.XmitHashPolicy
	}
	if c.LACPRate != "" {
		b.LACPRate = c.LACPRate
		for i := range b.Slaves {
			if a := b.Slaves[i].Actor; a != nil && a.StateKnown {
				if c.LACPRate == "fast" {
					a.State |= LACPTimeout
				} else {
					a.State &^= LACPTimeout
				}
			}
		}
	}
	return nil
}

// lagOn returns a switch and the index of its LAG called name.
func (p *planner) lagOn(verb, sw, lag string) (*planSwitch, int, error) {
	s := p.switches[sw]
	if s == nil {
		return nil, 0, fmt.Errorf("%s: no switch %q", verb, sw)
	}
	ps := p.sw(s)
	ps.indexLAGs()
	li, ok := ps.lags[NormalizePortName(lag)]
	if !ok {
		return nil, 0, fmt.Errorf("%s: switch %s has no LAG %q", verb, s.Name, lag)
	}
	return ps, li, nil
}

// lagKind makes a LAG static or LACP: its members renegotiate, and their
// configured LACP mode becomes "on" or "active".
func (p *planner) lagKind(c *LAGKindChange) error {
	kind := c.Kind.canon()
	if kind != LAGLACP && kind != LAGStatic {
		return fmt.Errorf("lag_kind: kind %q: want lacp or static", c.Kind)
	}
	ps, li, err := p.lagOn("lag_kind", c.Switch, c.LAG)
	if err != nil {
		return err
	}
	l := &ps.s.LAGs[li]
	l.Kind = kind
	l.Evidence = append(l.Evidence, "plan: lag_kind "+string(kind))
	mode := "active"
	if kind == LAGStatic {
		mode = "on"
		l.ActorSystem, l.ActorKey = "", 0
	}
	for _, m := range l.Members {
		if pt := p.port(ps.s, m); pt != nil {
			if pt.LACP == nil {
				pt.LACP = &PortLACP{}
			}
			pt.LACP.Mode = mode
			forgetPortLACP(pt, lacpRenegotiates)
			if kind == LAGStatic {
				pt.LACP.Actor, pt.LACP.Partner = nil, nil
			}
		}
	}
	return nil
}

// mlag sets a LAG's MLAG ID (0: not multi-chassis) in its switch's domain;
// its members renegotiate (the partner sees the domain's system ID).
func (p *planner) mlag(c *MLAGChange) error {
	if c.MLAGID < 0 {
		return fmt.Errorf("mlag: a negative MLAG ID")
	}
	ps, li, err := p.lagOn("mlag", c.Switch, c.LAG)
	if err != nil {
		return err
	}
	l := &ps.s.LAGs[li]
	l.MLAGID = c.MLAGID
	switch {
	case c.MLAGID == 0:
		l.MLAG = ""
	case ps.s.MLAG != nil:
		l.MLAG = cmp.Or(ps.s.MLAG.Domain, ps.s.MLAG.SystemID, ps.s.MLAG.Peer)
		if ps.s.MLAG.SystemID != "" && l.Kind.canon() == LAGLACP {
			l.ActorSystem = ps.s.MLAG.SystemID
		}
	}
	l.Evidence = append(l.Evidence, fmt.Sprintf("plan: mlag %d", c.MLAGID))
	for _, m := range l.Members {
		forgetPortLACP(p.port(ps.s, m), lacpRenegotiates)
	}
	return nil
}

// mtu sets the MTU of a host NIC, of a bond (and its slaves, which the
// kernel keeps at the bond's), or of a switch port or port-channel.
func (p *planner) mtu(c *MTUChange) error {
	if c.MTU <= 0 {
		return fmt.Errorf("mtu: want an MTU above 0")
	}
	if c.Host != "" || c.NIC != "" {
		h := p.hosts[c.Host]
		if h == nil {
			return fmt.Errorf("mtu: no host %q", c.Host)
		}
		for i := range h.Bonds {
			if b := &h.Bonds[i]; b.Name == c.NIC {
				b.MTU = c.MTU
				for _, s := range b.Slaves {
					if n := p.nic(h, s.Name); n != nil {
						n.MTU = c.MTU
					}
				}
				return nil
			}
		}
		n := p.nic(h, c.NIC)
		if n == nil {
			return fmt.Errorf("mtu: host %s has no NIC or bond %q", h.Name, c.NIC)
		}
		n.MTU = c.MTU
		return nil
	}
	s := p.switches[c.Switch]
	if s == nil {
		return fmt.Errorf("mtu: no switch %q", c.Switch)
	}
	pt := p.port(s, c.Port)
	if pt == nil {
		return fmt.Errorf("mtu: switch %s has no port %q", s.Name, c.Port)
	}
	pt.MTU = c.MTU
	return nil
}

// foldKey maps a string to one representative of its strings.EqualFold
// class (each rune to the smallest rune of its case-folding orbit).
func foldKey(s string) string {
	b := make([]rune, 0, len(s))
	for _, r := range s {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		b = append(b, m)
	}
	return string(b)
}

// indexWire indexes every switch's neighbours by the host they name and
// FDB entries by MAC, once.
func (p *planner) indexWire() {
	if p.byHost != nil {
		return
	}
	p.byHost, p.byMAC = map[string][]neighbourRef{}, map[string][]fdbRef{}
	for _, s := range p.sws {
		ps := p.sw(s)
		ps.deadNeigh, ps.deadFDB = make([]bool, len(s.Neighbours)), make([]bool, len(s.FDB))
		for i, n := range s.Neighbours {
			k := foldKey(n.SystemName)
			p.byHost[k] = append(p.byHost[k], neighbourRef{ps, i})
		}
		for i, e := range s.FDB {
			k := NormalizeMAC(e.MAC)
			p.byMAC[k] = append(p.byMAC[k], fdbRef{ps, i})
		}
	}
}

// moveCable points the NIC's LLDP neighbour at the new port and drops
// what tied it to the old one (the switch's LLDP and FDB entries, the LACP
// partner, which renegotiates after a move).
func (p *planner) moveCable(mc *MoveCable) error {
	h := p.hosts[mc.Host]
	if h == nil {
		return fmt.Errorf("move_cable: no host %q", mc.Host)
	}
	nic := p.nic(h, mc.NIC)
	if nic == nil {
		return fmt.Errorf("move_cable: host %s has no NIC %q", h.Name, mc.NIC)
	}
	s := p.switches[mc.Switch]
	if s == nil {
		return fmt.Errorf("move_cable: no switch %q", mc.Switch)
	}
	newPort := p.port(s, mc.Port)
	if newPort == nil {
		return fmt.Errorf("move_cable: switch %s has no port %q", s.Name, mc.Port)
	}
	p.indexWire()
	// the permanent MAC only: a bond slave's current MAC is the bond's, shared by all slaves
	mac := NormalizeMAC(nic.PermMAC)
	// the old port: unplugged, its LACP partner gone
	oldPort := func(sw *Switch, port string) {
		if op := p.port(sw, port); op != nil && op != newPort {
			op.Oper = LinkDown
			forgetPortLACP(op, lacpUnplugged)
		}
	}
	for _, n := range h.Neighbours {
		if n.LocalPort == nic.Name {
			if sw := p.switches[n.SystemName]; sw != nil {
				oldPort(sw, n.PortID)
			}
		}
	}
	for _, r := range p.byHost[foldKey(h.Name)] {
		n := &r.sw.s.Neighbours[r.i]
		if r.sw.deadNeigh[r.i] || !strings.EqualFold(n.SystemName, h.Name) || (n.PortID != nic.Name && NormalizeMAC(n.PortID) != mac) {
			continue
		}
		oldPort(r.sw.s, n.LocalPort)
		r.sw.deadNeigh[r.i], r.sw.anyDeadNb = true, true
	}
	for _, r := range p.byMAC[mac] {
		r.sw.deadFDB[r.i], r.sw.anyDeadFDB = true, true
	}
	newPort.Oper = LinkUp // cabled now
	forgetPortLACP(newPort, lacpRecabled)
	h.Neighbours = slices.DeleteFunc(h.Neighbours, func(n Neighbour) bool { return n.LocalPort == nic.Name })
	h.Neighbours = append(h.Neighbours, Neighbour{LocalPort: nic.Name, Protocol: ProtoLLDP, ChassisIDSubtype: s.ChassisIDSubtype,
		ChassisID: s.ChassisID, PortIDSubtype: IDIfName, PortID: newPort.Name, SystemName: s.Name, Source: "plan: move_cable"})
	for bi := range h.Bonds {
		for si := range h.Bonds[bi].Slaves {
			if sl := &h.Bonds[bi].Slaves[si]; sl.Name == nic.Name {
				forgetSlaveLACP(&h.Bonds[bi], sl, lacpRecabled)
			}
		}
	}
	return nil
}

// indexLAGs indexes a switch's LAGs and their members, once.
func (ps *planSwitch) indexLAGs() {
	if ps.lags != nil {
		return
	}
	ps.lags, ps.members, ps.inLAGs = map[string]int{}, map[memberKey][]int{}, map[string][]int{}
	ps.deadMember = make([][]bool, len(ps.s.LAGs))
	for li := range ps.s.LAGs {
		ps.lags[NormalizePortName(ps.s.LAGs[li].Name)] = li // the last of a name, as before
		ps.deadMember[li] = make([]bool, len(ps.s.LAGs[li].Members))
		for mi, m := range ps.s.LAGs[li].Members {
			ps.addMember(li, mi, NormalizePortName(m))
		}
	}
}

func (ps *planSwitch) addMember(lag, pos int, name string) {
	k := memberKey{lag, name}
	if len(ps.members[k]) == 0 {
		ps.inLAGs[name] = append(ps.inLAGs[name], lag)
	}
	ps.members[k] = append(ps.members[k], pos)
}

// removeMember marks every member of the LAG whose name normalises to name.
func (ps *planSwitch) removeMember(lag int, name string) {
	k := memberKey{lag, name}
	for _, pos := range ps.members[k] {
		ps.deadMember[lag][pos] = true
		ps.lagsTouched = true
	}
	delete(ps.members, k)
}

func (p *planner) lagChange(add, remove *LAGChange) error {
	lc, verb := add, "lag_add"
	if lc == nil {
		lc, verb = remove, "lag_remove"
	}
	s := p.switches[lc.Switch]
	if s == nil {
		return fmt.Errorf("%s: no switch %q", verb, lc.Switch)
	}
	ps := p.sw(s)
	ps.indexLAGs()
	lag, found := ps.lags[NormalizePortName(lc.LAG)]
	for _, port := range lc.Ports {
		if p.port(s, port) == nil {
			return fmt.Errorf("%s: switch %s has no port %q", verb, s.Name, port)
		}
	}
	if remove != nil {
		if !found {
			return fmt.Errorf("lag_remove: switch %s has no LAG %q", s.Name, lc.LAG)
		}
		for _, port := range lc.Ports {
			ps.removeMember(lag, NormalizePortName(port))
		}
		return nil
	}
	if !found {
		kind := lc.Kind.canon()
		if kind != LAGLACP && kind != LAGStatic {
			return fmt.Errorf("lag_add: new LAG %s needs kind lacp or static", lc.LAG)
		}
		s.LAGs = append(s.LAGs, LAG{Name: lc.LAG, Kind: kind, Members: []string{}, Evidence: []string{"plan: lag_add"}})
		lag = len(s.LAGs) - 1
		ps.lags[NormalizePortName(lc.LAG)] = lag
		ps.deadMember = append(ps.deadMember, nil)
	}
	for _, port := range lc.Ports {
		n := NormalizePortName(port)
		for _, li := range ps.inLAGs[n] { // a port is in one LAG
			ps.removeMember(li, n)
		}
		delete(ps.inLAGs, n)
		pt := p.port(s, port)
		ps.addMember(lag, len(s.LAGs[lag].Members), n)
		s.LAGs[lag].Members = append(s.LAGs[lag].Members, pt.Name)
		ps.deadMember[lag] = append(ps.deadMember[lag], false)
		forgetPortLACP(pt, lacpRenegotiates)
	}
	return nil
}

// compact removes what the changes marked deleted.
func (p *planner) compact() {
	for _, ps := range p.state {
		s := ps.s
		if ps.anyDeadNb {
			s.Neighbours = sweep(s.Neighbours, ps.deadNeigh)
		}
		if ps.anyDeadFDB {
			s.FDB = sweep(s.FDB, ps.deadFDB)
		}
		if ps.lagsTouched {
			emptied := make([]bool, len(s.LAGs))
			for li := range s.LAGs {
				had := len(s.LAGs[li].Members) > 0
				s.LAGs[li].Members = sweep(s.LAGs[li].Members, ps.deadMember[li])
				emptied[li] = had && len(s.LAGs[li].Members) == 0
			}
			// A LAG the plan empties goes with its last member: left
			// empty it would read as a LAG whose members the switch does
			// not expose, and blind the rules to the whole switch.
			s.LAGs = sweep(s.LAGs, emptied)
		}
	}
}

// sweep keeps the elements not marked dead, in order (in place).
func sweep[T any](xs []T, dead []bool) []T {
	out := xs[:0]
	for i, x := range xs {
		if !dead[i] {
			out = append(out, x)
		}
	}
	clear(xs[len(out):])
	return out
}

// Stale LACP state is forgotten here and nowhere else. What a change makes
// stale depends on when it is known:
//   - lacpUnplugged, before the join: the port a NIC was cabled to has no
//     partner and is down;
//   - lacpRecabled, before the join: the NIC's new port and the slave
//     itself have no partner yet (a stale partner would map the NIC back to
//     its old port);
//   - lacpRenegotiates: a port that joins a LAG, and after the join both
//     ends of every link whose bond changes mode or whose port joins or
//     leaves a LAG, or whose LAG changes kind (lag_kind) or MLAG ID (mlag):
//     LACP negotiates afresh, so the state last read
//     (partner, aggregator, "individual") says nothing about the result.
type lacpForget int

const (
	lacpUnplugged lacpForget = iota
	lacpRecabled
	lacpRenegotiates
)

// forgetPortLACP forgets a switch port's LACP state.
func forgetPortLACP(p *Port, why lacpForget) {
	if p == nil || p.LACP == nil {
		return
	}
	switch why {
	case lacpUnplugged:
		p.LACP.Partner, p.LACP.Status = nil, "down"
	case lacpRecabled:
		p.LACP.Partner, p.LACP.Status = nil, ""
	case lacpRenegotiates:
		p.LACP.Status = ""
	}
}

// forgetSlaveLACP forgets a bond slave's LACP state (and the bond's active
// aggregator when the slave renegotiates).
func forgetSlaveLACP(b *Bond, s *Slave, why lacpForget) {
	switch why {
	case lacpUnplugged, lacpRecabled:
		s.Partner = nil
	case lacpRenegotiates:
		s.Actor, s.Partner, s.AggregatorID, s.ActorChurn, s.PartnerChurn = nil, nil, 0, "", ""
		b.ActiveAggregator = nil
	}
}

// forgetStaleLACP, called by Plan on the model it has just built from its
// own copies (nobody else holds it yet), forgets the renegotiated state
// and interprets the changed slaves again.
func (m *Model) forgetStaleLACP(changes []Change) {
	stale := map[[2]string]bool{} // host, NIC
	for _, c := range changes {
		switch {
		case c.BondMode != nil:
			if h := m.Host(c.BondMode.Host); h != nil {
				for _, b := range h.Bonds {
					if b.Name == c.BondMode.Bond {
						for _, s := range b.Slaves {
							stale[[2]string{h.Name, s.Name}] = true
						}
					}
				}
			}
		case c.LAGAdd != nil || c.LAGRemove != nil:
			lc := c.LAGAdd
			if lc == nil {
				lc = c.LAGRemove
			}
			for _, p := range lc.Ports {
				for _, l := range m.LinksOnPort(lc.Switch, p) {
					stale[[2]string{l.Host, l.NIC}] = true
				}
			}
		case c.LAGKind != nil || c.MLAG != nil:
			sw, lag := "", ""
			if c.LAGKind != nil {
				sw, lag = c.LAGKind.Switch, c.LAGKind.LAG
			} else {
				sw, lag = c.MLAG.Switch, c.MLAG.LAG
			}
			if s := m.Switch(sw); s != nil {
				if l := s.LAG(lag); l != nil {
					for _, p := range l.Members {
						for _, lk := range m.LinksOnPort(sw, p) {
							stale[[2]string{lk.Host, lk.NIC}] = true
						}
					}
				}
			}
		}
	}
	if len(stale) == 0 {
		return
	}
	for _, h := range m.Hosts {
		for _, bf := range h.facts {
			for _, sf := range bf.Slaves {
				if stale[[2]string{h.Name, sf.Slave.Name}] {
					forgetSlaveLACP(bf.Bond, sf.Slave, lacpRenegotiates)
					forgetPortLACP(sf.Port, lacpRenegotiates)
				}
			}
		}
	}
	m.interpret()
	m.placeDomains()
}
