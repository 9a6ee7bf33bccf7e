package rules

import (
	"math"
	"testing"

	"github.com/bondaudit/bondaudit/topology"
)

// TestBySwitchGroups: bySwitch is a permutation of the bonds that puts
// bonds on one switch next to each other (the generated sites stripe
// hosts over the switches, so host order does not), keeping host order
// within a switch.
func TestBySwitchGroups(t *testing.T) {
	for name, site := range testSites(t) {
		m := build(t, site)
		ix := buildIndex(m)
		got := bySwitch(ix.bonds)
		if len(got) != len(ix.bonds) {
			t.Fatalf("%s: %d bonds reordered into %d", name, len(ix.bonds), len(got))
		}
		first := func(b *bondView) int64 {
			k := int64(math.MaxInt64)
			for _, s := range b.mappedS {
				if s.sw != nil {
					k = min(k, s.sw.ID)
				}
			}
			return k
		}
		seen := map[*topology.Bond]bool{}
		changes, hostOrderChanges := 0, 0
		for i := range got {
			seen[got[i].bond] = true
			if i == 0 {
				continue
			}
			a, b := first(&got[i-1]), first(&got[i])
			switch {
			case a > b:
				t.Fatalf("%s: bond %d (%s %s) on switch %d after one on switch %d", name, i, got[i].host.Name, got[i].bond.Name, b, a)
			case a == b && got[i-1].host.ID > got[i].host.ID:
				t.Fatalf("%s: %s before %s on one switch: host order lost", name, got[i-1].host.Name, got[i].host.Name)
			case a != b:
				changes++
			}
			if first(&ix.bonds[i-1]) != first(&ix.bonds[i]) {
				hostOrderChanges++
			}
		}
		if len(seen) != len(ix.bonds) {
			t.Errorf("%s: %d distinct bonds after reordering, want %d", name, len(seen), len(ix.bonds))
		}
		if name != "demo" && changes*3 > hostOrderChanges {
			t.Errorf("%s: %d switch changes between neighbouring bonds, %d in host order: not grouped", name, changes, hostOrderChanges)
		}
	}
}
