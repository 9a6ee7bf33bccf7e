package diagram

import (
	"slices"
	"testing"

	"gonum.org/v1/gonum/graph"

	"github.com/bondaudit/bondaudit/topology"
)

// graphNeighbours is what focus read before Model.Neighbours: the gonum
// graph's nodes one line away, sorted.
func graphNeighbours(m *topology.Model, id int64) []int64 {
	var out []int64
	for _, n := range graph.NodesOf(m.Graph().From(id)) {
		out = append(out, n.ID())
	}
	slices.Sort(out)
	return out
}

// TestNeighboursMatchGraph: Model.Neighbours and Model.Degree, which the
// focus and the "try --focus" example read, are the gonum graph's on every
// host and switch: hosts with two slaves on one switch, an MLAG pair's peer
// link, one uplink heard from both ends, a switch hearing itself (Build
// makes no uplink of that), a switch with nothing.
func TestNeighboursMatchGraph(t *testing.T) {
	small := smallSite(t)
	pair := pairSite(t, 30)
	a, c := sw("leafA", chassisA, 25000, 1, 2, 3, 48, 49), sw("leafC", chassisC, 25000, 3, 48)
	uplink(a, a, chassisA, 48, 49) // a loop: leafA hears itself
	uplink(a, c, chassisC, 3, 3)
	uplink(c, a, chassisC, 3, 3)
	d := sw("leafD", "00:1c:73:00:00:0d", 25000, 1)
	loop := build(t, []*topology.Host{
		bondHost("h1", topology.ModeActiveBackup, "", cable{"eth0", chassisA, 1}, cable{"eth1", chassisA, 2}),
	}, []*topology.Switch{a, c, d})
	if len(loop.Uplinks) != 1 {
		t.Errorf("loop site has %d uplinks, want 1 (leafA-leafC)", len(loop.Uplinks))
	}
	for name, m := range map[string]*topology.Model{"small": small, "pair": pair, "loop": loop} {
		var ids []int64
		for _, h := range m.Hosts {
			ids = append(ids, h.ID)
		}
		for _, s := range m.Switches {
			ids = append(ids, s.ID)
		}
		nonzero := 0
		for _, id := range append(ids, -1, 1<<40) { // and IDs of no node
			got, want := m.Neighbours(id), graphNeighbours(m, id)
			if !slices.Equal(got, want) {
				t.Errorf("%s: node %d: Neighbours %v, graph %v", name, id, got, want)
			}
			if n := m.Degree(id); n != len(want) {
				t.Errorf("%s: node %d: Degree %d, graph has %d neighbours", name, id, n, len(want))
			}
			if len(want) > 0 {
				nonzero++
			}
		}
		if nonzero < 2 {
			t.Errorf("%s: %d nodes with neighbours: the test measures nothing", name, nonzero)
		}
	}
}
