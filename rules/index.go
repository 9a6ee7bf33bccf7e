package rules

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/bondaudit/bondaudit/internal/prefault"
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
	// Resolved once in buildIndex (see swView): lv is lag's view (nil
	// when lag is nil); usable and known are switchUsable's and
	// lagKnown's answers, so the rules read a field of the slave instead
	// of following its switch pointers.
	lv            *lagView
	usable, known bool
}

// up reports whether the slave's MII status is up (or not reported).
func (s *slaveView) up() bool { return s.f.Up }

// down reports whether the kernel says the slave's link is down.
func (s *slaveView) down() bool { return s.f.Down }

// switchUsable reports whether the slave's switch was read and lists its
// port (switchUsableOf, resolved in buildIndex).
func (s *slaveView) switchUsable() bool { return s.usable }

// switchUsableOf is switchUsable's answer from the slave's pointers.
func switchUsableOf(s *slaveView) bool {
	return s.sw != nil && !s.sw.Unreachable && s.port != nil
}

// lagKnown reports whether it is known if the slave's switch port is a LAG
// member: the switch was read and either lists the port in a LAG, or every
// LAG it has comes with its member list. Port-channel interfaces always
// appear in IF-MIB, so a switch without any has no LAG; but a LAG whose
// members the agent does not expose (Junos ae without ifStack rows) might
// hold this port, so "in no LAG" is not concluded then. Resolved in
// buildIndex from the slave and its switch's view.
func (s *slaveView) lagKnown() bool { return s.known }

// lagKnownOf is lagKnown's answer for a slave whose switch's view is sv
// (nil when the switch is not in the site).
func lagKnownOf(s *slaveView, sv *swView) bool {
	if !s.usable {
		return false
	}
	return s.lag != nil || sv.lagsListed
}

// speed is the slave's speed in Mb/s, 0 unknown.
func (s *slaveView) speed() int { return s.f.Speed }

// swView is one switch as the rules read it, resolved once in buildIndex
// by a pass over the switches in Model order, while each switch's own
// maps are warm: its LAGs with their port-channel interface and their
// members' ports, links and uplinks. The per-bond rules follow a slave's
// lv instead of looking each member up by name again (on a big site every
// such lookup is a cache miss).
type swView struct {
	sw *topology.SwitchNode
	// lagsListed: every LAG of the switch lists its members (lagKnown).
	lagsListed bool
	lags       []lagView // sw.LAGs' views, in that order
	// lagAt finds a LAG's view on a switch with many LAGs (nil below
	// lagMapMin: a scan of lags is cheaper).
	lagAt map[*topology.LAG]*lagView
}

// lagMapMin is the LAG count from which a switch's view gets a map.
const lagMapMin = 64

// lagView is one LAG with what the rules look up about it.
type lagView struct {
	lag *topology.LAG
	// port is the LAG's own interface entry (lagPort), nil when unknown.
	port    *topology.Port
	members []memberView // lag.Members' views, in that order
}

// memberView is one LAG member port.
type memberView struct {
	name   string
	port   *topology.Port   // sw.Port(name); nil when the switch lists none
	links  []*topology.Link // Model.LinksOnPort(sw, name)
	uplink *topology.Uplink // uplinkOn(sw, name); nil when none
	// From port (false and 0 without one): notUp and down are
	// !port.Oper.Up() and port.Oper.Down(); upSpeed is the port's speed
	// when it counts for switch.lag-speed-mismatch (known, and the port
	// up), else 0.
	notUp, down bool
	upSpeed     int
}

// lagView returns the view of l, a LAG of the switch (an element of
// sw.LAGs), nil for another. Only addresses are compared: the LAGs are
// not read.
func (sv *swView) lagView(l *topology.LAG) *lagView {
	if sv.lagAt != nil {
		return sv.lagAt[l]
	}
	lags := sv.sw.LAGs
	for i := range lags {
		if &lags[i] == l {
			return &sv.lags[i]
		}
	}
	return nil
}

type index struct {
	bonds []bondView
	// sws are the switches' views, in Model.Switches order.
	sws []swView
	// swAt finds a switch's view when its ID does not give its place in
	// Model.Switches (never for a Model from Build; see swOf).
	swAt    map[*topology.SwitchNode]*swView
	uplinks map[string]map[string]*topology.Uplink // switch -> normalised port
	// Built on first use by the rule that needs it (rules run
	// concurrently, hence the Once).
	fdbOnce sync.Once
	fdb     map[macKey][]fdbHit // by the entry's MAC
}

// swOf returns the view of a switch of the Model, nil for nil. Build
// numbers the switches after the hosts, in Model.Switches order, so the
// ID gives the place without a lookup; a Model numbered otherwise has the
// map swAt (made by indexSwitches).
func (ix *index) swOf(m *topology.Model, sw *topology.SwitchNode) *swView {
	if sw == nil {
		return nil
	}
	if ix.swAt != nil {
		return ix.swAt[sw]
	}
	if i := int(sw.ID) - len(m.Hosts); i >= 0 && i < len(ix.sws) && ix.sws[i].sw == sw {
		return &ix.sws[i]
	}
	return nil
}

// uplinkIndex maps each switch's normalised port names to the
// switch-to-switch link on them.
func uplinkIndex(m *topology.Model) map[string]map[string]*topology.Uplink {
	ups := map[string]map[string]*topology.Uplink{}
	add := func(sw, port string, u *topology.Uplink) {
		on := ups[sw]
		if on == nil {
			on = map[string]*topology.Uplink{}
			ups[sw] = on
		}
		on[topology.NormalizePortName(port)] = u
	}
	for _, u := range m.Uplinks {
		add(u.A, u.APort, u)
		add(u.B, u.BPort, u)
	}
	return ups
}

// indexSwitches lays out every switch's view (swView) with its LAGs;
// resolveSwitches fills in their ports and members.
func (ix *index) indexSwitches(m *topology.Model) {
	ix.sws = prefault.Touched(make([]swView, len(m.Switches)))
	nl, nm := 0, 0
	for _, sw := range m.Switches {
		nl += len(sw.LAGs)
		for li := range sw.LAGs {
			nm += len(sw.LAGs[li].Members)
		}
	}
	lags := prefault.Touched(make([]lagView, nl))
	mems := prefault.Touched(make([]memberView, nm))
	for i, sw := range m.Switches {
		sv := &ix.sws[i]
		sv.sw, sv.lagsListed = sw, true
		sv.lags, lags = lags[:len(sw.LAGs):len(sw.LAGs)], lags[len(sw.LAGs):]
		for li := range sw.LAGs {
			l := &sw.LAGs[li]
			if len(l.Members) == 0 {
				sv.lagsListed = false
			}
			lv := &sv.lags[li]
			lv.lag = l
			lv.members, mems = mems[:len(l.Members):len(l.Members)], mems[len(l.Members):]
		}
		if len(sv.lags) >= lagMapMin {
			sv.lagAt = make(map[*topology.LAG]*lagView, len(sv.lags))
			for li := range sv.lags {
				sv.lagAt[sv.lags[li].lag] = &sv.lags[li]
			}
		}
	}
	for i, sw := range m.Switches {
		if int(sw.ID)-len(m.Hosts) != i {
			ix.swAt = make(map[*topology.SwitchNode]*swView, len(ix.sws))
			for i := range ix.sws {
				ix.swAt[ix.sws[i].sw] = &ix.sws[i]
			}
			break
		}
	}
}

// resolveSwitches resolves the LAGs indexSwitches laid out, switch by
// switch (each switch's maps stay warm while it is done).
func (ix *index) resolveSwitches(m *topology.Model) {
	for i := range ix.sws {
		sv := &ix.sws[i]
		ups := ix.uplinks[sv.sw.Name]
		for li := range sv.lags {
			ix.resolveLAG(m, sv.sw, ups, &sv.lags[li])
		}
	}
}

// resolveLAG fills lv, whose lag is set and members slice has its
// length, for a LAG of sw; ups are the switch's uplinks (uplinkIndex).
func (ix *index) resolveLAG(m *topology.Model, sw *topology.SwitchNode, ups map[string]*topology.Uplink, lv *lagView) {
	l := lv.lag
	lv.port = lagPort(sw, l)
	var buf [topology.PortKeyMax]byte
	for mi, name := range l.Members {
		mv := &lv.members[mi]
		mv.name, mv.port = name, sw.Port(name)
		if p := mv.port; p != nil {
			mv.notUp, mv.down = !p.Oper.Up(), p.Oper.Down()
			if p.Speed > 0 && p.Oper.UpDown() == topology.LinkUp {
				mv.upSpeed = p.Speed
			}
		}
		mv.links = m.LinksOnPort(sw.Name, name)
		if ups != nil {
			mv.uplink = ups[string(topology.NormalizePortNameTo(&buf, name))]
		}
	}
}

func buildIndex(m *topology.Model) *index {
	ix := &index{}
	if m == nil {
		return ix
	}
	ix.uplinks = uplinkIndex(m)
	ix.indexSwitches(m)
	// the LAGs' ports and members are resolved while the bonds are
	// indexed (which needs only the views' places)
	resolved := make(chan struct{})
	go func() {
		defer close(resolved)
		ix.resolveSwitches(m)
	}()
	defer func() { <-resolved }()
	// one allocation for the bonds and one for their slaves, indexed in
	// parallel by runs of hosts with about as many slaves each
	type run struct{ h0, b0, s0, nn int } // first host, bond, slave; neighbours
	runs := []run{{}}
	ns := 0
	for _, h := range m.Hosts {
		for _, bf := range h.BondFacts() {
			ns += len(bf.Slaves)
		}
	}
	workers := 1
	if ns >= minParallelSlaves {
		workers = cmp.Or(indexWorkers, runtime.GOMAXPROCS(0))
	}
	nb, seen := 0, 0
	for hi, h := range m.Hosts {
		if seen >= (len(runs))*ns/workers && len(runs) < workers && seen > 0 {
			runs = append(runs, run{h0: hi, b0: nb, s0: seen})
		}
		runs[len(runs)-1].nn += len(h.Neighbours)
		facts := h.BondFacts()
		nb += len(facts)
		for _, bf := range facts {
			seen += len(bf.Slaves)
		}
	}
	ix.bonds = prefault.Touched(make([]bondView, nb))
	slab := prefault.Touched(make([]slaveView, ns))
	var wg sync.WaitGroup
	for i, r := range runs {
		h1, b1, s1 := len(m.Hosts), nb, ns
		if i+1 < len(runs) {
			h1, b1, s1 = runs[i+1].h0, runs[i+1].b0, runs[i+1].s0
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ix.indexBonds(m, m.Hosts[r.h0:h1], ix.bonds[r.b0:b1], slab[r.s0:s1], r.nn)
		}()
	}
	wg.Wait()
	return ix
}

// minParallelSlaves is the slave count from which buildIndex indexes
// bonds on indexWorkers goroutines (0: GOMAXPROCS); tests change both.
var minParallelSlaves, indexWorkers = 4096, 0

// indexBonds fills bonds, the views of the bonds of hosts, whose slaves
// are slab's; the hosts hear nn neighbours in all.
func (ix *index) indexBonds(m *topology.Model, hosts []*topology.HostNode, bonds []bondView, slab []slaveView, nn int) {
	ptrs := prefault.Touched(make([]*slaveView, 0, 3*len(slab)))
	swNames := prefault.Touched(make([]string, 0, len(slab)))
	// what each slave heard, in one slab (a host hears a few neighbours:
	// a scan per slave beats a map per host)
	nbSlab := prefault.Touched(make([]*topology.Neighbour, 0, nn))
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
	next := 0
	for _, h := range hosts {
		facts := h.BondFacts()
		for bi := range facts {
			bf := &facts[bi]
			bv := bondView{f: bf, host: h, bond: bf.Bond, class: bf.Class, slaves: slab[:len(bf.Slaves):len(bf.Slaves)]}
			slab = slab[len(bf.Slaves):]
			for si := range bf.Slaves {
				sf := &bf.Slaves[si]
				s := &bv.slaves[si]
				*s = slaveView{f: sf, s: sf.Slave, nic: sf.NIC, nb: heard(h, sf.Slave.Name),
					link: sf.Link, sw: sf.Switch, port: sf.Port, lag: sf.LAG}
				ix.place(m, s)
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
			for i, s := range bv.mappedS {
				if !slices.ContainsFunc(bv.mappedS[:i], func(o *slaveView) bool { return sameSwitch(o, s) }) {
					swNames = append(swNames, s.link.Switch)
				}
			}
			if len(swNames) > n {
				slices.Sort(swNames[n:])
				bv.sws = swNames[n:len(swNames):len(swNames)]
			}
			bonds[next] = bv
			next++
		}
	}
}

// sameSwitch reports whether two mapped slaves' links end on one switch:
// one SwitchNode (a switch of the site is the node of its name), else the
// same name.
func sameSwitch(a, b *slaveView) bool {
	if a.sw != nil || b.sw != nil {
		return a.sw == b.sw
	}
	return a.link.Switch == b.link.Switch
}

// place resolves what the rules ask of a slave's switch side: whether
// its switch is usable, whether its LAG membership is known, and its
// LAG's view.
func (ix *index) place(m *topology.Model, s *slaveView) {
	sv := ix.swOf(m, s.sw)
	if sv == nil {
		return
	}
	s.usable = switchUsableOf(s)
	s.known = lagKnownOf(s, sv)
	if s.lag != nil {
		s.lv = sv.lagView(s.lag)
		if s.lv == nil {
			// a LAG that is not one of the switch's own (not from Build):
			// resolved alone
			lv := &lagView{lag: s.lag, members: make([]memberView, len(s.lag.Members))}
			ix.resolveLAG(m, s.sw, ix.uplinks[s.sw.Name], lv)
			s.lv = lv
		}
	}
}

// sameDomain is Model.SameDomain for two switches of the site, by node
// instead of by name: the same switch, or members of one domain.
func sameDomain(a, b *topology.SwitchNode) bool {
	return a == b || a != nil && b != nil && a.Domain != nil && a.Domain == b.Domain
}

// bonds returns every bond of the site with its slaves' mapping; in a
// bond-wise rule run on a chunk of them (Run), the chunk's.
func (c *Context) bonds() []bondView {
	if c.hasPart {
		return c.part
	}
	return c.ix.bonds
}

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
