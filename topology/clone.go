package topology

import "slices"

// Clone returns a deep copy of the host snapshot: nothing the copy holds
// (slices, pointers) is shared with h, so a plan can change the copy.
func (h *Host) Clone() *Host {
	c := *h
	c.NICs = slices.Clone(h.NICs)
	c.Bonds = slices.Clone(h.Bonds)
	for i := range c.Bonds {
		b := &c.Bonds[i]
		b.ARPTargets = slices.Clone(b.ARPTargets)
		b.LACPActive = clonePtr(b.LACPActive)
		b.ActiveAggregator = clonePtr(b.ActiveAggregator)
		b.Slaves = slices.Clone(b.Slaves)
		for j := range b.Slaves {
			s := &b.Slaves[j]
			s.Actor, s.Partner = clonePtr(s.Actor), clonePtr(s.Partner)
		}
	}
	c.Bridges = slices.Clone(h.Bridges)
	for i := range c.Bridges {
		c.Bridges[i].Ports = slices.Clone(c.Bridges[i].Ports)
	}
	c.VLANs = slices.Clone(h.VLANs)
	c.Neighbours = cloneNeighbours(h.Neighbours)
	c.Problems = slices.Clone(h.Problems)
	return &c
}

// Clone returns a deep copy of the switch snapshot; see Host.Clone.
func (s *Switch) Clone() *Switch {
	c := *s
	c.Ports = slices.Clone(s.Ports)
	for i := range c.Ports {
		p := &c.Ports[i]
		p.Untagged, p.Tagged = slices.Clone(p.Untagged), slices.Clone(p.Tagged)
		p.Edge = clonePtr(p.Edge)
		if p.LACP != nil {
			l := *p.LACP
			l.Actor, l.Partner = clonePtr(l.Actor), clonePtr(l.Partner)
			l.Evidence = slices.Clone(l.Evidence)
			p.LACP = &l
		}
	}
	c.LAGs = slices.Clone(s.LAGs)
	for i := range c.LAGs {
		c.LAGs[i].Members = slices.Clone(c.LAGs[i].Members)
		c.LAGs[i].Evidence = slices.Clone(c.LAGs[i].Evidence)
	}
	c.Neighbours = cloneNeighbours(s.Neighbours)
	c.FDB = slices.Clone(s.FDB)
	if s.MLAG != nil {
		ml := *s.MLAG
		ml.PeerLinkUp = clonePtr(ml.PeerLinkUp)
		ml.Evidence = slices.Clone(ml.Evidence)
		c.MLAG = &ml
	}
	c.Problems = slices.Clone(s.Problems)
	return &c
}

func cloneNeighbours(ns []Neighbour) []Neighbour {
	out := slices.Clone(ns)
	for i := range out {
		n := &out[i]
		n.MgmtAddrs, n.VLANs = slices.Clone(n.MgmtAddrs), slices.Clone(n.VLANs)
		n.LinkAgg, n.LACP = clonePtr(n.LinkAgg), clonePtr(n.LACP)
	}
	return out
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}
