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

// SwitchDegrees is Degree of every switch, in m.Switches order. When the
// links come host by host in name order (as Build lays them out) it
// counts each switch's distinct hosts in one pass over them, without the
// sorted list of pairs Degree builds on its first call: an HTML report of
// a 100,000-host site asks for every switch's degree (to suggest a
// --focus) and nothing else, and sorting 600,000 pairs for it cost
// 130 ms. Links in any other order are counted through Degree.
// Links and uplinks naming a switch the Model does not hold count for no
// switch.
func (m *Model) SwitchDegrees() []int {
	deg := make([]int, len(m.Switches))
	at := make(map[string]int, len(m.Switches))
	for i, s := range m.Switches {
		at[s.Name] = i
	}
	last := make([]int, len(m.Switches)) // 1 + the ordinal of the last host counted
	host := 0
	for i, l := range m.Links {
		if i > 0 && l.Host != m.Links[i-1].Host {
			if l.Host < m.Links[i-1].Host {
				return m.degreesFromPairs()
			}
			host++
		}
		s, ok := at[l.Switch]
		if !ok {
			continue // not a switch of this Model (Build makes no such link)
		}
		if last[s] != host+1 {
			last[s] = host + 1
			deg[s]++
		}
	}
	seen := make(map[[2]int]bool, 2*len(m.Uplinks))
	for _, u := range m.Uplinks {
		a, okA := at[u.A]
		b, okB := at[u.B]
		if !okA || !okB {
			continue
		}
		for _, p := range [][2]int{{a, b}, {b, a}} {
			if !seen[p] {
				seen[p] = true
				deg[p[0]]++
			}
		}
	}
	return deg
}

func (m *Model) degreesFromPairs() []int {
	deg := make([]int, len(m.Switches))
	for i, s := range m.Switches {
		deg[i] = m.Degree(s.ID)
	}
	return deg
}
