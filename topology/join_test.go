package topology

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// naiveSortClaims is what resolve did before claimSorter: a stable sort
// by NIC (CompareNames), then each NIC's claims stable by strength.
func naiveSortClaims(hc []claim) int {
	slices.SortStableFunc(hc, func(x, y claim) int { return CompareNames(x.nic, y.nic) })
	groups := 0
	for i := 0; i < len(hc); {
		j := i + 1
		for j < len(hc) && hc[j].nic == hc[i].nic {
			j++
		}
		slices.SortStableFunc(hc[i:j], func(x, y claim) int { return evStrength(x.kind) - evStrength(y.kind) })
		groups++
		i = j
	}
	return groups
}

// claimSorter orders a host's claims exactly as the naive sort does, for
// hosts with few and many claims, names that sort naturally (eth2 <
// eth10), equal names in distinct strings, and unknown evidence kinds.
func TestClaimSorterMatchesNaiveSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	nics := []string{"eth0", "eth1", "eth2", "eth10", "eth02", "ens1f0np0", "ens1f1np1", "ens2f0np0", "bond0", "Eth1", "", "a", "a0", "a00"}
	kinds := []EvidenceKind{EvLLDPHost, EvLLDPSwitch, EvCDP, EvLACP, EvFDB, "other", ""}
	ports := make([]Port, 100) // one per claim: tells equal claims apart
	var cs claimSorter
	for round := range 3000 {
		n := r.IntN(12)
		if round%50 == 0 {
			n = sortMax - 2 + r.IntN(40) // both sides of the fallback
		}
		hc := make([]claim, n)
		for i := range hc {
			// a fresh copy of the name: equal names need not share memory
			nic := string([]byte(nics[r.IntN(len(nics))]))
			hc[i] = claim{nic: nic, port: &ports[i], kind: kinds[r.IntN(len(kinds))]}
		}
		want := slices.Clone(hc)
		wg := naiveSortClaims(want)
		gg := cs.sort(hc)
		if wg != gg {
			t.Fatalf("round %d: %d groups, want %d", round, gg, wg)
		}
		for i := range hc {
			if hc[i] != want[i] {
				t.Fatalf("round %d: claim %d = %s, want %s", round, i, show(hc[i]), show(want[i]))
			}
		}
	}
}

func show(c claim) string { return fmt.Sprintf("%s %s %p", c.nic, c.kind, c.port) }

// joinTable answers as a multiIndex does for the joins (the value of a key
// added exactly once), through growth, repeated keys, key 0 of a port
// and ports that do not pack.
func TestJoinTableMatchesMultiIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for round := range 20 {
		jt := newJoinTable(round) // small: grows
		mi := newMultiIndex[sysPort, uint64](0)
		var keys []sysPort
		for i := range 3000 {
			k := sysPort{uint64(r.IntN(200) + 1), r.IntN(40)}
			switch r.IntN(20) {
			case 0:
				k.port = 1<<16 + r.IntN(3) // does not pack
			case 1:
				k.port = -r.IntN(2)
			case 2:
				k.system = 1<<48 - 1 - uint64(r.IntN(2))
			}
			keys = append(keys, k)
			jt.add(k, uint64(i))
			mi.add(k, uint64(i))
		}
		keys = append(keys, sysPort{999, 1}, sysPort{0, 0})
		for _, k := range keys {
			var one [1]uint64
			want := mi.get(k, &one)
			v, ok := jt.get(k)
			if ok != (len(want) == 1) || ok && v != want[0] {
				t.Fatalf("round %d: get(%v) = %d %v, want %v", round, k, v, ok, want)
			}
		}
	}
}
