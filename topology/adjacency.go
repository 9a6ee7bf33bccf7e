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
	m.adjOnce.Do(m.buildAdjacency)
	i, _ := slices.BinarySearchFunc(m.adj, id, func(p adjPair, id int64) int { return cmp.Compare(p.from, id) })
	var out []int64
	for ; i < len(m.adj) && m.adj[i].from == id; i++ {
		out = append(out, m.adj[i].to)
	}
	return out
}

// Degree is len(m.Neighbours(id)), without the slice.
func (m *Model) Degree(id int64) int {
	m.adjOnce.Do(m.buildAdjacency)
	lo, _ := slices.BinarySearchFunc(m.adj, id, func(p adjPair, id int64) int { return cmp.Compare(p.from, id) })
	hi, _ := slices.BinarySearchFunc(m.adj[lo:], id+1, func(p adjPair, id int64) int { return cmp.Compare(p.from, id) })
	return hi
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
