package rules

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/bondaudit/bondaudit/topology"
)

// bondView is a bond with its class and each slave's place on the switch
// side, as topology.Build interpreted them (topology.BondFacts), with what
// the rules add: what the host heard on each slave.
type bondView struct {
	f      *topology.BondFacts
	host   *topology.HostNode
	bond   *topology.Bond
	class  Class
	slaves []slaveView
	// Derived once in buildIndex and shared by every rule (read-only, cap
	// = len so an append copies): the mapped slaves, the up slaves (and
	// those of them with a partner system), and the distinct switches the
	// mapped slaves land on, sorted.
	mappedS    []*slaveView
	upS        []*slaveView
	partneredS []*slaveView // up slaves with a partner system
	sws        []string
}

// slaveView is one bond slave and, when mapped, its switch port: the
// fields are topology.SlaveFacts', kept under short names for the rules.
type slaveView struct {
	f    *topology.SlaveFacts
	s    *topology.Slave
	nic  *topology.NIC         // nil when the host lists no such NIC
	link *topology.Link        // nil: unmapped
	sw   *topology.SwitchNode  // nil: unmapped, or switch not in the site
	port *topology.Port        // nil: port unknown on that switch
	lag  *topology.LAG         // nil: in no LAG (or unknown, see lagKnown)
	nb   []*topology.Neighbour // what the host heard on this NIC
}

// up reports whether the slave's MII status is up (or not reported).
func (s *slaveView) up() bool { return s.f.Up }

// down reports whether the kernel says the slave's link is down.
func (s *slaveView) down() bool { return s.f.Down }

// switchUsable reports whether the slave's switch was read.
func (s *slaveView) switchUsable() bool {
	return s.sw != nil && !s.sw.Unreachable && s.port != nil
}

// lagKnown reports whether it is known if the slave's switch port is a LAG
// member: the switch was read and either lists the port in a LAG, or every
// LAG it has comes with its member list. Port-channel interfaces always
// appear in IF-MIB, so a switch without any has no LAG; but a LAG whose
// members the agent does not expose (Junos ae without ifStack rows) might
// hold this port, so "in no LAG" is not concluded then.
func (s *slaveView) lagKnown() bool {
	if !s.switchUsable() {
		return false
	}
	if s.lag != nil {
		return true
	}
	for _, l := range s.sw.LAGs {
		if len(l.Members) == 0 {
			return false
		}
	}
	return true
}

// speed is the slave's speed in Mb/s, 0 unknown.
func (s *slaveView) speed() int { return s.f.Speed }

type index struct {
	bonds []bondView
	// Built on first use by the rules that need them (rules run
	// concurrently, hence the Once).
	upOnce  sync.Once
	uplinks map[string]map[string]*topology.Uplink // switch -> normalised port
	fdbOnce sync.Once
	fdb     map[string][]fdbHit // normalised MAC
}

func buildIndex(m *topology.Model) *index {
	ix := &index{}
	if m == nil {
		return ix
	}
	// one allocation for the bonds and one for their slaves
	nb, ns, nn := 0, 0, 0
	for _, h := range m.Hosts {
		nn += len(h.Neighbours)
		for _, bf := range h.BondFacts() {
			nb++
			ns += len(bf.Slaves)
		}
	}
	ix.bonds = make([]bondView, 0, nb)
	slab := make([]slaveView, ns)
	ptrs := make([]*slaveView, 0, 3*ns)
	var swNames []string
	// what each slave heard, in one slab (a host hears a few neighbours:
	// a scan per slave beats a map per host)
	nbSlab := make([]*topology.Neighbour, 0, nn)
	heard := func(h *topology.HostNode, nic string) []*topology.Neighbour {
		n := len(nbSlab)
		for i := range h.Neighbours {
			if h.Neighbours[i].LocalPort == nic {
				nbSlab = append(nbSlab, &h.Neighbours[i])
			}
		}
		if len(nbSlab) == n {
			return nil
		}
		return nbSlab[n:len(nbSlab):len(nbSlab)]
	}
	for _, h := range m.Hosts {
		facts := h.BondFacts()
		for bi := range facts {
			bf := &facts[bi]
			bv := bondView{f: bf, host: h, bond: bf.Bond, class: bf.Class, slaves: slab[:len(bf.Slaves):len(bf.Slaves)]}
			slab = slab[len(bf.Slaves):]
			for si := range bf.Slaves {
				sf := &bf.Slaves[si]
				bv.slaves[si] = slaveView{f: sf, s: sf.Slave, nic: sf.NIC, nb: heard(h, sf.Slave.Name),
					link: sf.Link, sw: sf.Switch, port: sf.Port, lag: sf.LAG}
			}
			n := len(ptrs)
			for i := range bv.slaves {
				if bv.slaves[i].link != nil {
					ptrs = append(ptrs, &bv.slaves[i])
				}
			}
			if len(ptrs) > n {
				bv.mappedS = ptrs[n:len(ptrs):len(ptrs)]
			}
			n = len(ptrs)
			for i := range bv.slaves {
				if bv.slaves[i].up() {
					ptrs = append(ptrs, &bv.slaves[i])
				}
			}
			if len(ptrs) > n {
				bv.upS = ptrs[n:len(ptrs):len(ptrs)]
			}
			n = len(ptrs)
			for _, s := range bv.upS {
				if s.f.PartnerSystem != "" {
					ptrs = append(ptrs, s)
				}
			}
			if len(ptrs) > n {
				bv.partneredS = ptrs[n:len(ptrs):len(ptrs)]
			}
			n = len(swNames)
			for _, s := range bv.mappedS {
				if !slices.Contains(swNames[n:], s.link.Switch) {
					swNames = append(swNames, s.link.Switch)
				}
			}
			if len(swNames) > n {
				slices.Sort(swNames[n:])
				bv.sws = swNames[n:len(swNames):len(swNames)]
			}
			ix.bonds = append(ix.bonds, bv)
		}
	}
	return ix
}

// bonds returns every bond of the site with its slaves' mapping.
func (c *Context) bonds() []bondView { return c.ix.bonds }

// finding starts a finding about a bond (and a slave when s is set).
func (b *bondView) finding(s *slaveView) Finding {
	f := Finding{Host: b.host.Name, Bond: b.bond.Name}
	if s != nil {
		f.NIC = s.s.Name
		if s.link != nil {
			f.Switch, f.Port = s.link.Switch, s.link.Port
		}
	}
	return f
}

// lagFinding is a finding about the switch LAG slave s's port is in (no
// NIC; the LAG as port), with the link and the LAG's members as its first
// evidence, then more.
func (b *bondView) lagFinding(s *slaveView, more []string) Finding {
	f := b.finding(s)
	f.NIC = ""
	f.Port = s.lag.Name
	f.Evidence = append([]string{linkEv(s), fmt.Sprintf("switch %s: %s members %s", s.sw.Name, s.lag.Name, strings.Join(s.lag.Members, ", "))}, more...)
	return f
}

// src names where a bond's facts came from.
func (b *bondView) src() string {
	if b.bond.Source != "" {
		return b.bond.Source
	}
	if b.host.Source != "" {
		return b.host.Source
	}
	return "bond " + b.bond.Name
}

// hostEv is an evidence line about the bond, from the host.
func (b *bondView) hostEv(format string, args ...any) string {
	return "host " + b.host.Name + ": " + b.src() + ": " + fmt.Sprintf(format, args...)
}

// slaveSrc names where a slave's facts came from.
func (b *bondView) slaveSrc(s *slaveView) string {
	if s.s.Source != "" {
		return s.s.Source
	}
	return b.src()
}

// slaveEv is an evidence line about one slave, from the host.
func (b *bondView) slaveEv(s *slaveView, format string, args ...any) string {
	return "host " + b.host.Name + ": " + b.slaveSrc(s) + ": slave " + s.s.Name + " " + fmt.Sprintf(format, args...)
}

// linkEv explains how a slave was mapped to its switch port.
func linkEv(s *slaveView) string {
	if s.link == nil {
		return ""
	}
	return mapEv(s.link)
}

// mapEv is "map: host nic ↔ switch port (evidence, …)", built in one
// allocation (it is in most findings' evidence).
func mapEv(l *topology.Link) string {
	n := len("map:  ↔   ()") + len(l.Host) + len(l.NIC) + len(l.Switch) + len(l.Port)
	for _, e := range l.Evidence {
		n += len(e) + 2
	}
	var sb strings.Builder
	sb.Grow(n)
	sb.WriteString("map: ")
	sb.WriteString(l.Host)
	sb.WriteByte(' ')
	sb.WriteString(l.NIC)
	sb.WriteString(" ↔ ")
	sb.WriteString(l.Switch)
	sb.WriteByte(' ')
	sb.WriteString(l.Port)
	sb.WriteString(" (")
	for i, e := range l.Evidence {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(string(e))
	}
	sb.WriteByte(')')
	return sb.String()
}

// portEv describes the switch side of a slave: its LAG (or none) and the
// LAG's own evidence.
func portEv(s *slaveView) []string {
	if s.link == nil {
		return nil
	}
	var out []string
	sw := "switch " + s.link.Switch + ": "
	if s.lag == nil {
		out = append(out, sw+s.link.Port+" is in no LAG (ifStackTable, IEEE8023-LAG-MIB)")
	} else {
		out = append(out, sw+s.link.Port+" is a member of "+s.lag.Name+" (kind "+string(s.lag.Kind)+")")
	}
	if s.port != nil && s.port.LACP != nil {
		for _, e := range s.port.LACP.Evidence {
			out = append(out, sw+e)
		}
	}
	if s.lag != nil {
		// the LAG's evidence about this port, and about the LAG as a whole
		// (lines that name none of the other members)
		for _, e := range s.lag.Evidence {
			other := false
			for _, m := range s.lag.Members {
				if m != s.link.Port && strings.Contains(e, m) && !strings.Contains(e, s.link.Port) {
					other = true
				}
			}
			if !other {
				out = append(out, sw+e)
			}
		}
	}
	return out
}

// mapped returns the slaves with a known switch port.
// The slice is shared: read it, do not change it.
func (b *bondView) mapped() []*slaveView { return b.mappedS }

// switches returns the distinct switches a bond's mapped slaves land on.
// The slice is shared: read it, do not change it.
func (b *bondView) switches() []string { return b.sws }

// names joins slave names.
func names(ss []*slaveView) string {
	var n []string
	for _, s := range ss {
		n = append(n, s.s.Name)
	}
	return strings.Join(n, ", ")
}

// placement lists "nic → switch port" for mapped slaves.
func placement(ss []*slaveView) string {
	var n []string
	for _, s := range ss {
		n = append(n, fmt.Sprintf("%s → %s %s", s.s.Name, s.link.Switch, s.link.Port))
	}
	return strings.Join(n, ", ")
}
