package diagram

import (
	"testing"

	"github.com/bondaudit/bondaudit/topology"
)

// TestSwitchDegreesMatchGraph: the degrees focusExamples counts from the
// links are the graph's (len(neighbours)) on every switch: hosts with two
// slaves on one switch, an MLAG pair's peer link heard from both ends,
// one uplink heard from both ends, a switch hearing itself (Build makes
// no uplink of that), a switch with nothing.
func TestSwitchDegreesMatchGraph(t *testing.T) {
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
	for name, m := range map[string]*topology.Model{"small": small, "pair": pair, "loop": loop} {
		got := switchDegrees(m)
		nonzero := 0
		for i, s := range m.Switches {
			if want := len(neighbours(m, s.ID)); got[i] != want {
				t.Errorf("%s: %s: degree %d, graph has %d neighbours", name, s.Name, got[i], want)
			}
			if got[i] > 0 {
				nonzero++
			}
		}
		if nonzero == 0 {
			t.Errorf("%s: every switch has degree 0: the test measures nothing", name)
		}
	}
	if len(loop.Uplinks) != 1 {
		t.Errorf("loop site has %d uplinks, want 1 (leafA-leafC)", len(loop.Uplinks))
	}
}
