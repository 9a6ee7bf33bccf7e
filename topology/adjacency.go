package topology

import (
	"cmp"
	"slices"
)

// adjPair is one direction of a line of the graph: node from has
// neighbour to.
type adjPair struct{ from, to int64 }

// Neighbours returns the IDs of the nodes one line away from the node id
// in Graph(), sorted and each once (graph.NodesOf(m.Graph().From(id)),
// sorted): the switches a host is cabled to; the hosts cabled to a switch
// and the switches it has an uplink to.
//
// It answers from a sorted list of (node, neighbour) pairs built on the
// first call (16 bytes per direction of a line), not from the gonum graph:
// a diagram focused on one switch of a 100,000-host site needs a few
// nodes' neighbours, and the graph costs about 235 MB and 0.4 s to build
// there. The slice is fresh: the caller may keep or change it.
func (m *Model) Neighbours(id int64) []int64 {
	ps := m.pairsFrom(id)
	out := make([]int64, len(ps))
	for i, p := range ps {
		out[i] = p.to
	}
	return out
}

// Degree is len(m.Neighbours(id)), without the slice.
func (m *Model) Degree(id int64) int { return len(m.pairsFrom(id)) }

// pairsFrom is the run of id's pairs in the sorted list, built on the
// first call.
func (m *Model) pairsFrom(id int64) []adjPair {
	m.adjOnce.Do(m.buildAdjacency)
	byFrom := func(p adjPair, id int64) int { return cmp.Compare(p.from, id) }
	lo, _ := slices.BinarySearchFunc(m.adj, id, byFrom)
	hi, _ := slices.BinarySearchFunc(m.adj[lo:], id+1, byFrom)
	return m.adj[lo : lo+hi]
}

func (m *Model) buildAdjacency() {
	pairs := make([]adjPair, 0, 2*(len(m.Links)+len(m.Uplinks)))
	for _, l := range m.Links {
		h, s := m.hosts[l.Host], m.switches[l.Switch]
		pairs = append(pairs, adjPair{h.ID, s.ID}, adjPair{s.ID, h.ID})
	}
	for _, u := range m.Uplinks {
		a, b := m.switches[u.A], m.switches[u.B]
		pairs = append(pairs, adjPair{a.ID, b.ID}, adjPair{b.ID, a.ID})
	}
	slices.SortFunc(pairs, func(x, y adjPair) int {
		return cmp.Or(cmp.Compare(x.from, y.from), cmp.Compare(x.to, y.to))
	})
	m.adj = slices.Clip(slices.Compact(pairs))
}
