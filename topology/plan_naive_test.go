package topology

// The ApplyPlan of before the indexes (quadratic: every change scanned the
// hosts, switches, ports, neighbours and FDB), kept as the oracle that the
// indexed one must match change for change.

import (
	"fmt"
	"slices"
	"strings"
)

func naiveFindHost(hosts []*Host, name string) *Host {
	for _, h := range hosts {
		if h.Name == name {
			return h
		}
	}
	return nil
}

func naiveFindSwitch(sws []*Switch, name string) *Switch {
	for _, s := range sws {
		if s.Name == name {
			return s
		}
	}
	return nil
}

func naivePlanPort(s *Switch, name string) *Port {
	n := NormalizePortName(name)
	for i := range s.Ports {
		if NormalizePortName(s.Ports[i].Name) == n {
			return &s.Ports[i]
		}
	}
	return nil
}

// naiveApplyPlan applies changes, in order, to snapshots (which it modifies: load
// the site again for the "before"). An error names the change that cannot
// be applied.
func naiveApplyPlan(hosts []*Host, sws []*Switch, changes []Change) error {
	// had: the LAGs with members before the plan or given some by it; one
	// left empty at the end goes.
	had := map[*Switch]map[int]bool{}
	for _, s := range sws {
		had[s] = map[int]bool{}
		for i := range s.LAGs {
			had[s][i] = len(s.LAGs[i].Members) > 0
		}
	}
	defer func() {
		for _, s := range sws {
			var kept []LAG
			dropped := false
			for i := range s.LAGs {
				if had[s][i] && len(s.LAGs[i].Members) == 0 {
					dropped = true
					continue
				}
				kept = append(kept, s.LAGs[i])
			}
			if dropped {
				s.LAGs = kept
				if s.LAGs == nil {
					s.LAGs = []LAG{}
				}
			}
		}
	}()
	for i, c := range changes {
		if err := naiveApplyChange(hosts, sws, c, had); err != nil {
			return fmt.Errorf("change %d: %w", i+1, err)
		}
	}
	return nil
}

func naiveApplyChange(hosts []*Host, sws []*Switch, c Change, had map[*Switch]map[int]bool) error {
	switch {
	case c.MoveCable != nil:
		return naiveMoveCable(hosts, sws, c.MoveCable)
	case c.BondMode != nil:
		h := naiveFindHost(hosts, c.BondMode.Host)
		if h == nil {
			return fmt.Errorf("bond_mode: no host %q", c.BondMode.Host)
		}
		for i := range h.Bonds {
			if h.Bonds[i].Name == c.BondMode.Bond {
				h.Bonds[i].Mode = c.BondMode.Mode.Canon(h.Bonds[i].Kind)
				return nil
			}
		}
		return fmt.Errorf("bond_mode: host %s has no bond %q", h.Name, c.BondMode.Bond)
	case c.LAGAdd != nil, c.LAGRemove != nil:
		return naiveLagChange(sws, c.LAGAdd, c.LAGRemove, had)
	case c.VLANs != nil:
		s := naiveFindSwitch(sws, c.VLANs.Switch)
		if s == nil {
			return fmt.Errorf("vlans: no switch %q", c.VLANs.Switch)
		}
		p := naivePlanPort(s, c.VLANs.Port)
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
func naiveMoveCable(hosts []*Host, sws []*Switch, mc *MoveCable) error {
	h := naiveFindHost(hosts, mc.Host)
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
	s := naiveFindSwitch(sws, mc.Switch)
	if s == nil {
		return fmt.Errorf("move_cable: no switch %q", mc.Switch)
	}
	p := naivePlanPort(s, mc.Port)
	if p == nil {
		return fmt.Errorf("move_cable: switch %s has no port %q", s.Name, mc.Port)
	}
	// the permanent MAC only: a bond slave's current MAC is the bond's, shared by all slaves
	macs := []string{NormalizeMAC(nic.PermMAC)}
	// the old port: unplugged, its LACP partner gone
	oldPort := func(sw *Switch, port string) {
		if op := naivePlanPort(sw, port); op != nil && op != p {
			op.Oper = "down"
			if op.LACP != nil {
				op.LACP.Partner, op.LACP.Status = nil, "down"
			}
		}
	}
	for _, n := range h.Neighbours {
		if n.LocalPort == nic.Name {
			if sw := naiveFindSwitch(sws, n.SystemName); sw != nil {
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

func naiveLagChange(sws []*Switch, add, remove *LAGChange, had map[*Switch]map[int]bool) error {
	lc, verb := add, "lag_add"
	if lc == nil {
		lc, verb = remove, "lag_remove"
	}
	s := naiveFindSwitch(sws, lc.Switch)
	if s == nil {
		return fmt.Errorf("%s: no switch %q", verb, lc.Switch)
	}
	var lag *LAG
	li := -1
	for i := range s.LAGs {
		if NormalizePortName(s.LAGs[i].Name) == NormalizePortName(lc.LAG) {
			lag, li = &s.LAGs[i], i
		}
	}
	for _, port := range lc.Ports {
		if naivePlanPort(s, port) == nil {
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
		kind := lc.Kind.canon()
		if kind != LAGLACP && kind != LAGStatic {
			return fmt.Errorf("lag_add: new LAG %s needs kind lacp or static", lc.LAG)
		}
		s.LAGs = append(s.LAGs, LAG{Name: lc.LAG, Kind: kind, Members: []string{}, Evidence: []string{"plan: lag_add"}})
		lag, li = &s.LAGs[len(s.LAGs)-1], len(s.LAGs)-1
	}
	if len(lc.Ports) > 0 {
		had[s][li] = true
	}
	for _, port := range lc.Ports {
		n := NormalizePortName(port)
		for i := range s.LAGs { // a port is in one LAG
			s.LAGs[i].Members = slices.DeleteFunc(s.LAGs[i].Members, func(m string) bool { return NormalizePortName(m) == n })
		}
		lag.Members = append(lag.Members, naivePlanPort(s, port).Name)
		if p := naivePlanPort(s, port); p.LACP != nil {
			p.LACP.Status = "" // renegotiates
		}
	}
	return nil
}
