package topology

import "github.com/bondaudit/bondaudit/internal/prefault"

// Build interprets the snapshots once: what a bond's mode means, where each
// slave lands on the switch side, whether its link is up and whether it has
// a real LACP partner. Rules, whatif, the diagram, the topology view and the
// reports read these facts instead of deciding again from the raw strings.

// Placement is where a host NIC lands: its link, the switch, the port, the
// LAG the port is a member of and the switch's MLAG/stack domain. The zero
// Placement is an unmapped NIC.
type Placement struct {
	Link   *Link       // nil: unmapped
	Switch *SwitchNode // nil: unmapped
	Port   *Port       // nil: the port is not found on the switch
	LAG    *LAG        // nil: the port is in no LAG (as far as the switch tells)
	Domain *Domain     // nil: the switch is in no MLAG/stack domain
}

// Mapped reports whether the NIC's switch port is known.
func (p *Placement) Mapped() bool { return p.Link != nil }

// BondFacts is one bond as Build interprets it.
type BondFacts struct {
	Host  *HostNode
	Bond  *Bond
	Mode  BondMode
	Class Class
	// RunsLACP: the mode negotiates with LACP (Class is ClassLACP).
	RunsLACP bool
	// MAC is the bond's MAC, "" when not reported, all-zero or unreadable.
	MAC MAC
	// AggregatorPartner is the active aggregator's partner MAC (older
	// kernels report only this), "" when not reported, all-zero or
	// unreadable.
	AggregatorPartner MAC
	Slaves            []SlaveFacts
}

// SlaveFacts is one bond slave as Build interprets it.
type SlaveFacts struct {
	Slave *Slave
	NIC   *NIC // nil when the host lists no such NIC
	Placement
	// MII is the bond driver's link state; Up (up or not reported) and Down
	// ("down" in any case) are read from it.
	MII      LinkState
	Up, Down bool
	// Speed in Mb/s: the driver's, else the NIC's; 0 unknown.
	Speed int
	// PermMAC is the slave's permanent MAC (the bond driver's, else the
	// NIC's), "" when neither reports one.
	PermMAC MAC
	// PartnerSystem is the LACP partner's system ID; "" when the driver
	// reports no partner, or an all-zero or unreadable one ("no partner").
	PartnerSystem MAC
	// PartnerDefaulted: the partner state is known and has the defaulted
	// bit (the driver is using its own defaults: it hears no LACPDUs).
	PartnerDefaulted bool
}

// PartnerReal reports whether the slave negotiated LACP with a real
// partner: a partner system that is not all-zero, not defaulted.
func (s *SlaveFacts) PartnerReal() bool { return s.PartnerSystem != "" && !s.PartnerDefaulted }

// BondFacts returns the host's bonds as Build interpreted them, in
// h.Bonds order.
func (h *HostNode) BondFacts() []BondFacts { return h.facts }

// Place returns where a link's switch port sits: switch, port, LAG and
// domain.
func (m *Model) Place(l *Link) Placement {
	if l == nil {
		return Placement{}
	}
	p := Placement{Link: l, Switch: m.switches[l.Switch]}
	if p.Switch != nil {
		norm := l.normPort
		if norm == "" {
			norm = NormalizePortName(l.Port)
		}
		p.Port, p.LAG = p.Switch.at(norm, nil)
		p.Domain = p.Switch.Domain
	}
	return p
}

// at is the port and the LAG of s under the normalised port name norm
// (the first port of a duplicated name): where Place and Build put a link.
// port, when not nil, is a port of s whose name normalises to norm, the
// answer when s has no duplicated name (no map read).
func (s *SwitchNode) at(norm string, port *Port) (*Port, *LAG) {
	if port == nil || s.dupPorts {
		port = s.ports[norm]
	}
	var lag *LAG
	if len(s.lagOf) > 0 {
		lag = s.lagOf[norm]
	}
	return port, lag
}

// builtPlace is Place for a link of the Model being built: the placement
// resolve recorded on it (the Domain is filled by placeDomains).
func builtPlace(l *Link) Placement {
	if l == nil {
		return Placement{}
	}
	return Placement{Link: l, Switch: l.sw, Port: l.port, LAG: l.lag}
}

// interpret computes every bond's facts. Build calls it after the links are
// resolved and again after the domains (domains read the partner facts;
// placements carry the domain): the second pass only fills Domain.
func (m *Model) interpret() {
	// one allocation for every bond's facts and one for every slave's; the
	// hosts in spans side by side, each span's facts where the hosts
	// before it end
	nb := make([]int, len(m.Hosts)+1) // bonds before host i
	ns := make([]int, len(m.Hosts)+1) // slaves before host i
	for i, h := range m.Hosts {
		nb[i+1] = nb[i] + len(h.Bonds)
		ns[i+1] = ns[i]
		for bi := range h.Bonds {
			ns[i+1] += len(h.Bonds[bi].Slaves)
		}
	}
	bAll := prefault.Touched(make([]BondFacts, nb[len(m.Hosts)]))
	sAll := prefault.Touched(make([]SlaveFacts, ns[len(m.Hosts)]))
	eachSpan(spans(ns), func(_, lo, hi int) {
		bslab, sslab := bAll[nb[lo]:], sAll[ns[lo]:]
		for _, h := range m.Hosts[lo:hi] {
			h.facts, bslab = bslab[:len(h.Bonds):len(h.Bonds)], bslab[len(h.Bonds):]
			for bi := range h.Bonds {
				b := &h.Bonds[bi]
				bf := &h.facts[bi]
				bf.Host, bf.Bond, bf.Mode = h, b, b.Mode
				bf.Class = b.Class()
				bf.RunsLACP = bf.Class == ClassLACP
				if mac := CanonMAC(b.MAC); mac.Usable() {
					bf.MAC = mac
				}
				if a := b.ActiveAggregator; a != nil {
					if mac := CanonMAC(a.PartnerMAC); mac.Usable() {
						bf.AggregatorPartner = mac
					}
				}
				n := len(b.Slaves)
				bf.Slaves, sslab = sslab[:n:n], sslab[n:]
				for si := range b.Slaves {
					sf := &bf.Slaves[si]
					interpretSlave(sf, h, &b.Slaves[si])
					sf.Placement = builtPlace(h.linkOf(sf.Slave.Name))
				}
			}
		}
	})
}

func interpretSlave(sf *SlaveFacts, h *HostNode, s *Slave) {
	sf.Slave, sf.NIC = s, h.NIC(s.Name)
	sf.MII = s.MIIStatus
	sf.Up, sf.Down = sf.MII.Up(), sf.MII.Down()
	sf.Speed = s.Speed
	sf.PermMAC = CanonMAC(s.PermMAC)
	if sf.NIC != nil {
		if sf.Speed <= 0 {
			sf.Speed = sf.NIC.Speed
		}
		if sf.PermMAC == "" {
			sf.PermMAC = CanonMAC(sf.NIC.PermMAC)
		}
	}
	if sf.Speed < 0 {
		sf.Speed = 0
	}
	if p := s.Partner; p != nil {
		if sys := CanonMAC(p.System); sys.Usable() {
			sf.PartnerSystem = sys
		}
		sf.PartnerDefaulted = p.StateKnown && p.State&LACPDefaulted != 0
	}
}

// placeDomains fills each placement's Domain once the domains are known.
func (m *Model) placeDomains() {
	hostBonds := make([]int, len(m.Hosts)+1)
	for i, h := range m.Hosts {
		hostBonds[i+1] = hostBonds[i] + len(h.facts)
	}
	eachSpan(spans(hostBonds), func(_, lo, hi int) {
		for _, h := range m.Hosts[lo:hi] {
			for bi := range h.facts {
				for si := range h.facts[bi].Slaves {
					sf := &h.facts[bi].Slaves[si]
					if sf.Switch != nil {
						sf.Domain = sf.Switch.Domain
					}
				}
			}
		}
	})
}
