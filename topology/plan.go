package topology

import (
	"fmt"
	"slices"
	"strings"
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
}

// MoveCable recables a host NIC.
type MoveCable struct {
	Host, NIC, Switch, Port string
}

// BondModeChange sets a bond's mode.
type BondModeChange struct {
	Host, Bond, Mode string
}

// LAGChange adds ports to or removes ports from a LAG (created on add when
// missing, with Kind lacp or static).
type LAGChange struct {
	Switch, LAG, Kind string
	Ports             []string
}

// VLANChange sets a port's PVID and tagged VLANs.
type VLANChange struct {
	Switch, Port string
	PVID         int
	Tagged       []int
}

func findHost(hosts []*Host, name string) *Host {
	for _, h := range hosts {
		if h.Name == name {
			return h
		}
	}
	return nil
}

func findSwitch(sws []*Switch, name string) *Switch {
	for _, s := range sws {
		if s.Name == name {
			return s
		}
	}
	return nil
}

func planPort(s *Switch, name string) *Port {
	n := NormalizePortName(name)
	for i := range s.Ports {
		if NormalizePortName(s.Ports[i].Name) == n {
			return &s.Ports[i]
		}
	}
	return nil
}

// ApplyPlan applies changes, in order, to snapshots (which it modifies: load
// the site again for the "before"). An error names the change that cannot
// be applied.
func ApplyPlan(hosts []*Host, sws []*Switch, changes []Change) error {
	for i, c := range changes {
		if err := applyChange(hosts, sws, c); err != nil {
			return fmt.Errorf("change %d: %w", i+1, err)
		}
	}
	return nil
}

func applyChange(hosts []*Host, sws []*Switch, c Change) error {
	switch {
	case c.MoveCable != nil:
		return moveCable(hosts, sws, c.MoveCable)
	case c.BondMode != nil:
		h := findHost(hosts, c.BondMode.Host)
		if h == nil {
			return fmt.Errorf("bond_mode: no host %q", c.BondMode.Host)
		}
		for i := range h.Bonds {
			if h.Bonds[i].Name == c.BondMode.Bond {
				h.Bonds[i].Mode = c.BondMode.Mode
				return nil
			}
		}
		return fmt.Errorf("bond_mode: host %s has no bond %q", h.Name, c.BondMode.Bond)
	case c.LAGAdd != nil, c.LAGRemove != nil:
		return lagChange(sws, c.LAGAdd, c.LAGRemove)
	case c.VLANs != nil:
		s := findSwitch(sws, c.VLANs.Switch)
		if s == nil {
			return fmt.Errorf("vlans: no switch %q", c.VLANs.Switch)
		}
		p := planPort(s, c.VLANs.Port)
		if p == nil {
			return fmt.Errorf("vlans: switch %s has no port %q", s.Name, c.VLANs.Port)
		}
		p.PVID, p.Tagged, p.Untagged = c.VLANs.PVID, slices.Sorted(slices.Values(c.VLANs.Tagged)), nil
		if p.PVID > 0 {
			p.Untagged = []int{p.PVID}
		}
		s.VLANsKnown = true
		return nil
	}
	return fmt.Errorf("empty change")
}

// moveCable points the NIC's LLDP neighbour at the new port and drops
// what tied it to the old one (the switch's LLDP and FDB entries, the LACP
// partner, which renegotiates after a move).
func moveCable(hosts []*Host, sws []*Switch, mc *MoveCable) error {
	h := findHost(hosts, mc.Host)
	if h == nil {
		return fmt.Errorf("move_cable: no host %q", mc.Host)
	}
	var nic *NIC
	for i := range h.NICs {
		if h.NICs[i].Name == mc.NIC {
			nic = &h.NICs[i]
		}
	}
	if nic == nil {
		return fmt.Errorf("move_cable: host %s has no NIC %q", h.Name, mc.NIC)
	}
	s := findSwitch(sws, mc.Switch)
	if s == nil {
		return fmt.Errorf("move_cable: no switch %q", mc.Switch)
	}
	p := planPort(s, mc.Port)
	if p == nil {
		return fmt.Errorf("move_cable: switch %s has no port %q", s.Name, mc.Port)
	}
	// the permanent MAC only: a bond slave's current MAC is the bond's, shared by all slaves
	macs := []string{NormalizeMAC(nic.PermMAC)}
	// the old port: unplugged, its LACP partner gone
	oldPort := func(sw *Switch, port string) {
		if op := planPort(sw, port); op != nil && op != p {
			op.Oper = "down"
			if op.LACP != nil {
				op.LACP.Partner, op.LACP.Status = nil, "down"
			}
		}
	}
	for _, n := range h.Neighbours {
		if n.LocalPort == nic.Name {
			if sw := findSwitch(sws, n.SystemName); sw != nil {
				oldPort(sw, n.PortID)
			}
		}
	}
	for _, sw := range sws {
		for _, n := range sw.Neighbours {
			if strings.EqualFold(n.SystemName, h.Name) && (n.PortID == nic.Name || slices.Contains(macs, NormalizeMAC(n.PortID))) {
				oldPort(sw, n.LocalPort)
			}
		}
		sw.Neighbours = slices.DeleteFunc(sw.Neighbours, func(n Neighbour) bool {
			return strings.EqualFold(n.SystemName, h.Name) && (n.PortID == nic.Name || slices.Contains(macs, NormalizeMAC(n.PortID)))
		})
		sw.FDB = slices.DeleteFunc(sw.FDB, func(e FDBEntry) bool { return slices.Contains(macs, NormalizeMAC(e.MAC)) })
	}
	p.Oper = "up" // cabled now
	if p.LACP != nil {
		p.LACP.Partner, p.LACP.Status = nil, ""
	}
	h.Neighbours = slices.DeleteFunc(h.Neighbours, func(n Neighbour) bool { return n.LocalPort == nic.Name })
	h.Neighbours = append(h.Neighbours, Neighbour{LocalPort: nic.Name, Protocol: ProtoLLDP, ChassisIDSubtype: s.ChassisIDSubtype,
		ChassisID: s.ChassisID, PortIDSubtype: IDIfName, PortID: p.Name, SystemName: s.Name, Source: "plan: move_cable"})
	for bi := range h.Bonds {
		for si := range h.Bonds[bi].Slaves {
			if sl := &h.Bonds[bi].Slaves[si]; sl.Name == nic.Name {
				sl.Partner = nil
			}
		}
	}
	return nil
}

func lagChange(sws []*Switch, add, remove *LAGChange) error {
	lc, verb := add, "lag_add"
	if lc == nil {
		lc, verb = remove, "lag_remove"
	}
	s := findSwitch(sws, lc.Switch)
	if s == nil {
		return fmt.Errorf("%s: no switch %q", verb, lc.Switch)
	}
	var lag *LAG
	for i := range s.LAGs {
		if NormalizePortName(s.LAGs[i].Name) == NormalizePortName(lc.LAG) {
			lag = &s.LAGs[i]
		}
	}
	for _, port := range lc.Ports {
		if planPort(s, port) == nil {
			return fmt.Errorf("%s: switch %s has no port %q", verb, s.Name, port)
		}
	}
	if remove != nil {
		if lag == nil {
			return fmt.Errorf("lag_remove: switch %s has no LAG %q", s.Name, lc.LAG)
		}
		for _, port := range lc.Ports {
			n := NormalizePortName(port)
			lag.Members = slices.DeleteFunc(lag.Members, func(m string) bool { return NormalizePortName(m) == n })
		}
		return nil
	}
	if lag == nil {
		kind := lc.Kind
		if kind != LAGLACP && kind != LAGStatic {
			return fmt.Errorf("lag_add: new LAG %s needs kind lacp or static", lc.LAG)
		}
		s.LAGs = append(s.LAGs, LAG{Name: lc.LAG, Kind: kind, Members: []string{}, Evidence: []string{"plan: lag_add"}})
		lag = &s.LAGs[len(s.LAGs)-1]
	}
	for _, port := range lc.Ports {
		n := NormalizePortName(port)
		for i := range s.LAGs { // a port is in one LAG
			s.LAGs[i].Members = slices.DeleteFunc(s.LAGs[i].Members, func(m string) bool { return NormalizePortName(m) == n })
		}
		lag.Members = append(lag.Members, planPort(s, port).Name)
		if p := planPort(s, port); p.LACP != nil {
			p.LACP.Status = "" // renegotiates
		}
	}
	return nil
}

// ForgetStaleLACP, called on the model built from a plan's changed
// snapshots, forgets the LACP state the plan makes stale: on both ends of
// every link whose bond changes mode or whose switch port joins or leaves
// a LAG, LACP negotiates afresh after the change, so the state last read
// (partner, aggregator, "individual") says nothing about the result.
func (m *Model) ForgetStaleLACP(changes []Change) {
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
		}
	}
	for _, h := range m.Hosts {
		for bi := range h.Bonds {
			for si := range h.Bonds[bi].Slaves {
				s := &h.Bonds[bi].Slaves[si]
				if !stale[[2]string{h.Name, s.Name}] {
					continue
				}
				s.Actor, s.Partner, s.AggregatorID, s.ActorChurn, s.PartnerChurn = nil, nil, 0, "", ""
				if l := m.LinkOf(h.Name, s.Name); l != nil {
					if sw := m.Switch(l.Switch); sw != nil {
						if p := sw.Port(l.Port); p != nil && p.LACP != nil {
							p.LACP.Status = ""
						}
					}
				}
			}
			if h.Bonds[bi].ActiveAggregator != nil {
				for _, s := range h.Bonds[bi].Slaves {
					if stale[[2]string{h.Name, s.Name}] {
						h.Bonds[bi].ActiveAggregator = nil
						break
					}
				}
			}
		}
	}
}
