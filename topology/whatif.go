package topology

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Down is one element taken out of service for a what-if: a whole switch,
// some of its ports, or one module (stack member or line card).
type Down struct {
	Switch string
	Ports  []string // empty and Module 0: the whole switch
	Module int
}

func (d Down) String() string {
	switch {
	case len(d.Ports) > 0:
		return d.Switch + ":" + strings.Join(d.Ports, ",")
	case d.Module > 0:
		return fmt.Sprintf("%s module %d", d.Switch, d.Module)
	}
	return d.Switch
}

// Outcomes of a bond under a what-if, worst first.
const (
	OutcomeIsolated   Outcome = "loses-connectivity" // no link left
	OutcomeRedundancy Outcome = "loses-redundancy"   // one link left
	OutcomeFailover   Outcome = "fails-over"         // the active slave is lost, others take over
	OutcomeDegraded   Outcome = "degraded"           // fewer links, still redundant
	// OutcomeUnknown: no slave is known to be on the elements taken down,
	// but a slave's switch port is unknown, so it may be: whatif cannot
	// tell. Map the slave (LLDP on the host or the switch) to know.
	OutcomeUnknown Outcome = "unknown"
)

var outcomeRank = map[Outcome]int{OutcomeIsolated: 0, OutcomeRedundancy: 1, OutcomeFailover: 2, OutcomeDegraded: 3, OutcomeUnknown: 4}

// SlaveLink is one bond slave and where it lands.
type SlaveLink struct {
	NIC    string `json:"nic"`
	Switch string `json:"switch,omitempty"`
	Port   string `json:"port,omitempty"`
}

// BondImpact is what a what-if does to one bond it touches.
type BondImpact struct {
	Host      string      `json:"host"`
	Bond      string      `json:"bond"`
	Mode      BondMode    `json:"mode"`
	Outcome   Outcome     `json:"outcome"`
	Lost      []SlaveLink `json:"lost"`
	Remaining []SlaveLink `json:"remaining"`
	// TakesOver is the slave that becomes active (active-backup and alike).
	TakesOver string `json:"takes_over,omitempty"`
	// Unknown are the slaves (up, not already down) whose switch port no
	// evidence names: they may be on the elements taken down. A bond with
	// such a slave is always listed: with OutcomeUnknown when no other
	// slave is lost, else with the outcome of the slaves known to be lost,
	// counting the unknown ones as remaining (the best case; the notes say
	// so).
	Unknown []string `json:"unknown,omitempty"`
	// Notes: VLAN differences on the takeover port, slaves already down,
	// slaves whose switch port is unknown.
	Notes []string `json:"notes,omitempty"`
}

// Impact is the answer to "what breaks if these go down?".
type Impact struct {
	Down  []string     `json:"down"`
	Bonds []BondImpact `json:"bonds"`
	// Unreachable hosts have no surviving link into the fabric (the
	// largest group of switches still connected by switch-to-switch links).
	Unreachable []string `json:"unreachable_hosts,omitempty"`
}

// Uncertain counts the bonds listed with an unmapped slave (BondImpact.Unknown):
// those of OutcomeUnknown and those whose outcome is the best case.
func (im *Impact) Uncertain() int {
	if im == nil {
		return 0
	}
	n := 0
	for _, b := range im.Bonds {
		if len(b.Unknown) > 0 {
			n++
		}
	}
	return n
}

// Isolated reports whether any bond loses connectivity (for certain: a
// bond of OutcomeUnknown does not count).
func (im *Impact) Isolated() bool {
	for _, b := range im.Bonds {
		if b.Outcome == OutcomeIsolated {
			return true
		}
	}
	return false
}

// ParseDown parses SWITCH, SWITCH:PORT[,PORT…] (the --down flag).
func ParseDown(s string) (Down, error) {
	sw, ports, hasPorts := strings.Cut(s, ":")
	if sw == "" {
		return Down{}, fmt.Errorf("%q: want SWITCH or SWITCH:PORT[,PORT…]", s)
	}
	d := Down{Switch: sw}
	if hasPorts {
		for _, p := range strings.Split(ports, ",") {
			if p = strings.TrimSpace(p); p != "" {
				d.Ports = append(d.Ports, p)
			}
		}
		if len(d.Ports) == 0 {
			return Down{}, fmt.Errorf("%q: no port after the colon", s)
		}
	}
	return d, nil
}

// ParseDownModule parses SWITCH:N (the --down-module flag).
func ParseDownModule(s string) (Down, error) {
	sw, n, ok := strings.Cut(s, ":")
	m, err := strconv.Atoi(n)
	if !ok || sw == "" || err != nil || m < 1 {
		return Down{}, fmt.Errorf("%q: want SWITCH:N (stack member or slot number, from 1)", s)
	}
	return Down{Switch: sw, Module: m}, nil
}

// MLAGPeers returns the other switches of a switch's MLAG/stack domain.
func (m *Model) MLAGPeers(sw string) ([]string, error) {
	s := m.Switch(sw)
	if s == nil {
		return nil, m.unknownSwitch(sw)
	}
	if s.Domain == nil {
		return nil, fmt.Errorf("switch %s is in no MLAG/vPC/stack domain", sw)
	}
	var out []string
	for _, o := range s.Domain.Switches {
		if o != sw {
			out = append(out, o)
		}
	}
	return out, nil
}

func (m *Model) unknownSwitch(name string) error {
	var names []string
	for _, s := range m.Switches {
		names = append(names, s.Name)
	}
	return fmt.Errorf("no switch %q in the site (switches: %s)", name, strings.Join(names, ", "))
}

// portModule is a port's module: ENTITY-MIB's, else the first number of a
// three-part name (Gi2/0/1 → 2, xe-1/0/3 → 1), else 0.
func portModule(p *Port) int {
	if p.Module > 0 {
		return p.Module
	}
	n, _ := NameModule(p.Name)
	return n
}

// WhatIf computes, on the joined model, what taking the given elements
// down does to every bond with a slave on them, and which hosts lose the
// fabric. It never changes the model.
func (m *Model) WhatIf(downs []Down) (*Impact, error) {
	im := &Impact{Bonds: []BondImpact{}}
	downSw := map[string]bool{}
	downPort := map[portKey]bool{}
	downMod := map[string][]int{}
	for _, d := range downs {
		s := m.Switch(d.Switch)
		if s == nil {
			return nil, m.unknownSwitch(d.Switch)
		}
		im.Down = append(im.Down, d.String())
		switch {
		case len(d.Ports) > 0:
			for _, p := range d.Ports {
				sp := s.Port(p)
				if sp == nil {
					return nil, fmt.Errorf("switch %s has no port %q", s.Name, p)
				}
				downPort[portKey{s.Name, NormalizePortName(sp.Name)}] = true
				// a port-channel takes its members down with it
				if l := s.LAG(p); l != nil {
					for _, mem := range l.Members {
						downPort[portKey{s.Name, NormalizePortName(mem)}] = true
					}
				}
			}
		case d.Module > 0:
			downMod[s.Name] = append(downMod[s.Name], d.Module)
		default:
			downSw[s.Name] = true
		}
	}
	isDown := func(sw, port string) bool {
		if downSw[sw] || downPort[portKey{sw, NormalizePortName(port)}] {
			return true
		}
		if mods := downMod[sw]; len(mods) > 0 {
			if s := m.Switch(sw); s != nil {
				if p := s.Port(port); p != nil && slices.Contains(mods, portModule(p)) {
					return true
				}
			}
		}
		return false
	}
	where := strings.Join(im.Down, " or ")
	for _, h := range m.Hosts {
		if len(downs) == 0 {
			break // nothing down: no bond is touched, none may be
		}
		for bi := range h.facts {
			if bi := m.bondImpact(&h.facts[bi], isDown, where); bi != nil {
				im.Bonds = append(im.Bonds, *bi)
			}
		}
	}
	slices.SortFunc(im.Bonds, func(a, b BondImpact) int {
		return cmp.Or(cmp.Compare(a.Outcome.Rank(), b.Outcome.Rank()), cmp.Compare(a.Host, b.Host), cmp.Compare(a.Bond, b.Bond))
	})
	im.Unreachable = m.unreachable(isDown)
	return im, nil
}

// bondImpact is what the downs do to one bond: nil when no slave is on
// them and none may be (where names the downs for the notes).
func (m *Model) bondImpact(bf *BondFacts, isDown func(sw, port string) bool, where string) *BondImpact {
	h, b := bf.Host, bf.Bond
	bi := &BondImpact{Host: h.Name, Bond: b.Name, Mode: b.Mode, Lost: []SlaveLink{}, Remaining: []SlaveLink{}}
	touched := false
	activeLost := false
	lostPorts := map[string]*Link{}
	for i := range bf.Slaves {
		sf := &bf.Slaves[i]
		s, l := sf.Slave, sf.Link
		sl := SlaveLink{NIC: s.Name}
		if l != nil {
			sl.Switch, sl.Port = l.Switch, l.Port
		}
		switch {
		case l != nil && isDown(l.Switch, l.Port):
			touched = true
			bi.Lost = append(bi.Lost, sl)
			lostPorts[s.Name] = l
			if s.Name == b.ActiveSlave {
				activeLost = true
			}
		case sf.Down:
			bi.Notes = append(bi.Notes, fmt.Sprintf("%s is already down", s.Name))
		default:
			if l == nil {
				bi.Unknown = append(bi.Unknown, s.Name)
			}
			bi.Remaining = append(bi.Remaining, sl)
		}
	}
	if !touched {
		if len(bi.Unknown) == 0 {
			return nil
		}
		bi.Outcome = OutcomeUnknown
		for _, n := range bi.Unknown {
			bi.Notes = append(bi.Notes, fmt.Sprintf("%s's switch port is unknown: it may be on %s", n, where))
		}
		return bi
	}
	for _, n := range bi.Unknown {
		bi.Notes = append(bi.Notes, fmt.Sprintf("%s's switch port is unknown: it may be on %s too (counted as remaining)", n, where))
	}
	switch {
	case len(bi.Remaining) == 0:
		bi.Outcome = OutcomeIsolated
	case len(bi.Remaining) == 1:
		bi.Outcome = OutcomeRedundancy
	case activeLost:
		bi.Outcome = OutcomeFailover
	default:
		bi.Outcome = OutcomeDegraded
	}
	if activeLost && len(bi.Remaining) > 0 {
		bi.TakesOver = m.takeover(h, b, bi.Remaining)
		if l := lostPorts[b.ActiveSlave]; l != nil {
			if note := m.vlanDiff(l, h.Name, bi.TakesOver); note != "" {
				bi.Notes = append(bi.Notes, note)
			}
		}
	}
	return bi
}

// takeover names the slave that becomes active: the primary when it
// remains, else the first remaining slave (the kernel's choice on
// failover without a primary is the first usable slave in order).
func (m *Model) takeover(h *HostNode, b *Bond, remaining []SlaveLink) string {
	for _, r := range remaining {
		if r.NIC == b.Primary {
			return r.NIC
		}
	}
	return remaining[0].NIC
}

// vlanDiff compares the VLANs of the lost active port and the takeover's.
func (m *Model) vlanDiff(lost *Link, host, nic string) string {
	l2 := m.LinkOf(host, nic)
	if l2 == nil {
		return fmt.Sprintf("%s's switch port is unknown: cannot check it carries %s %s's VLANs", nic, lost.Switch, lost.Port)
	}
	a, b := m.portVLANs(lost), m.portVLANs(l2)
	if a == nil || b == nil {
		return ""
	}
	if a.String() == b.String() {
		return fmt.Sprintf("%s %s carries the same VLANs as %s %s (%s)", l2.Switch, l2.Port, lost.Switch, lost.Port, a)
	}
	return fmt.Sprintf("VLANS DIFFER: %s %s has %s, the lost %s %s had %s", l2.Switch, l2.Port, b, lost.Switch, lost.Port, a)
}

type vlanSet struct {
	pvid   int
	tagged []int
}

func (v *vlanSet) String() string {
	var t []string
	for _, x := range v.tagged {
		t = append(t, strconv.Itoa(x))
	}
	if len(t) == 0 {
		t = []string{"none"}
	}
	return fmt.Sprintf("PVID %d, tagged %s", v.pvid, strings.Join(t, ","))
}

// portVLANs is the VLAN set of a link's port (its port-channel's when a
// member), nil when the switch reported no VLAN membership.
func (m *Model) portVLANs(l *Link) *vlanSet {
	s := m.Switch(l.Switch)
	if s == nil || !s.VLANsKnown {
		return nil
	}
	pl := m.Place(l)
	p := pl.Port
	if lag := pl.LAG; lag != nil {
		if lp := s.Port(lag.Name); lp != nil {
			p = lp
		}
	}
	if p == nil {
		return nil
	}
	t := slices.Clone(p.Tagged)
	slices.Sort(t)
	return &vlanSet{pvid: p.PVID, tagged: t}
}

// unreachable lists hosts that can no longer reach every surviving switch
// they reached before: switches are grouped by switch-to-switch links
// (before and after the change), and a host reaches the groups of the
// switches its surviving links end on. A site of several islands (no
// spine in the inputs) is judged island by island.
func (m *Model) unreachable(isDown func(sw, port string) bool) []string {
	never := func(string, string) bool { return false }
	before := m.switchGroups(never)
	after := m.switchGroups(isDown)
	alive := func(sw string) bool { return !isDown(sw, "\x00whole") }
	// the after-groups each before-group's surviving switches fall into
	cover := map[string]map[string]bool{}
	for root, members := range before.members {
		c := map[string]bool{}
		for _, sw := range members {
			if alive(sw) {
				c[after.find(sw)] = true
			}
		}
		cover[root] = c
	}
	need := map[string]map[string]bool{}  // host → before-groups it reached
	reach := map[string]map[string]bool{} // host → after-groups it reaches
	for _, l := range m.Links {
		if need[l.Host] == nil {
			need[l.Host], reach[l.Host] = map[string]bool{}, map[string]bool{}
		}
		need[l.Host][before.find(l.Switch)] = true
		if alive(l.Switch) && !isDown(l.Switch, l.Port) {
			reach[l.Host][after.find(l.Switch)] = true
		}
	}
	var out []string
	for _, h := range m.Hosts {
	host:
		for root := range need[h.Name] {
			for g := range cover[root] {
				if !reach[h.Name][g] {
					out = append(out, h.Name)
					break host
				}
			}
		}
	}
	return out
}

type groups struct {
	parent  map[string]string
	members map[string][]string
}

func (g *groups) find(x string) string {
	if p, ok := g.parent[x]; !ok || p == x {
		g.parent[x] = x
		return x
	}
	r := g.find(g.parent[x])
	g.parent[x] = r
	return r
}

// switchGroups joins the surviving switches by surviving uplinks.
func (m *Model) switchGroups(isDown func(sw, port string) bool) *groups {
	g := &groups{parent: map[string]string{}, members: map[string][]string{}}
	alive := func(sw string) bool { return !isDown(sw, "\x00whole") }
	for _, u := range m.Uplinks {
		if alive(u.A) && alive(u.B) && !isDown(u.A, u.APort) && !isDown(u.B, u.BPort) {
			g.parent[g.find(u.A)] = g.find(u.B)
		}
	}
	for _, s := range m.Switches {
		r := g.find(s.Name)
		g.members[r] = append(g.members[r], s.Name)
	}
	return g
}
