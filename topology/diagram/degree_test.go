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

// TestSwitchDegreesMatchDegree: Model.SwitchDegrees, which the "try
// --focus" example reads, is Degree of every switch: in Build's link order
// (counted in one pass), with the links reversed (counted through Degree)
// and with every uplink listed twice, on sites with two slaves of a
// host on one switch, a peer link, an uplink heard from both ends and a
// switch hearing itself.
func TestSwitchDegreesMatchDegree(t *testing.T) {
	a, c := sw("leafA", chassisA, 25000, 1, 2, 3, 48, 49), sw("leafC", chassisC, 25000, 3, 48)
	uplink(a, a, chassisA, 48, 49)
	uplink(a, c, chassisC, 3, 3)
	uplink(c, a, chassisC, 3, 3)
	loop := func() *topology.Model {
		return build(t, []*topology.Host{
			bondHost("h1", topology.ModeActiveBackup, "", cable{"eth0", chassisA, 1}, cable{"eth1", chassisA, 2}),
			bondHost("h2", topology.ModeActiveBackup, "", cable{"eth0", chassisA, 3}, cable{"eth1", chassisC, 48}),
		}, []*topology.Switch{a, c, sw("leafD", "00:1c:73:00:00:0d", 25000, 1)})
	}
	sites := map[string]func() *topology.Model{
		"small": func() *topology.Model { return smallSite(t) },
		"pair":  func() *topology.Model { return pairSite(t, 30) },
		"loop":  loop,
	}
	for name, site := range sites {
		for _, shape := range []string{"as built", "links reversed", "uplinks twice"} {
			m := site()
			switch shape {
			case "links reversed":
				slices.Reverse(m.Links)
			case "uplinks twice":
				m.Uplinks = append(m.Uplinks, m.Uplinks...)
			}
			got := m.SwitchDegrees()
			nonzero := 0
			for i, s := range m.Switches {
				if want := m.Degree(s.ID); got[i] != want {
					t.Errorf("%s, %s: switch %s: SwitchDegrees %d, Degree %d", name, shape, s.Name, got[i], want)
				}
				if got[i] > 0 {
					nonzero++
				}
			}
			if nonzero < 2 {
				t.Errorf("%s, %s: %d switches with neighbours: the test measures nothing", name, shape, nonzero)
			}
		}
	}
}
