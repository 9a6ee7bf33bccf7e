package topology

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// multiIndex (what Build used before joinTable and nicIndex) maps a key to the values added under it, in the order added,
// without a slice per key: most keys (a NIC's MAC, an LACP actor port)
// have one value.
type multiIndex[K comparable, V any] struct {
	one  map[K]V   // the key's value, when it has one
	more map[K][]V // every value of a key that has several
}

func newMultiIndex[K comparable, V any](n int) multiIndex[K, V] {
	return multiIndex[K, V]{one: make(map[K]V, n)}
}

func (m *multiIndex[K, V]) add(k K, v V) {
	if l, ok := m.more[k]; ok {
		m.more[k] = append(l, v)
		return
	}
	if f, ok := m.one[k]; ok {
		if m.more == nil {
			m.more = map[K][]V{}
		}
		m.more[k] = []V{f, v}
		delete(m.one, k)
		return
	}
	m.one[k] = v
}

// get returns k's values (nil: none); one backs the slice of a key with a
// single value.
func (m *multiIndex[K, V]) get(k K, one *[1]V) []V {
	if f, ok := m.one[k]; ok {
		one[0] = f
		return one[:]
	}
	return m.more[k]
}

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
		slices.SortStableFunc(hc[i:j], func(x, y claim) int { return evStrength(x.kind.Kind()) - evStrength(y.kind.Kind()) })
		groups++
		i = j
	}
	return groups
}

// claimSorter orders a host's claims exactly as the naive sort does, for
// hosts with few and many claims, names that sort naturally (eth2 <
// eth10), equal names in distinct strings, and every evidence kind (the
// naive sort ranks kinds by evRank, claimSorter by their codes).
func TestClaimSorterMatchesNaiveSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	nics := []string{"eth0", "eth1", "eth2", "eth10", "eth02", "ens1f0np0", "ens1f1np1", "ens2f0np0", "bond0", "Eth1", "", "a", "a0", "a00"}
	kinds := []evCode{evcFDB, evcLACP, evcCDP, evcLLDPSwitch, evcLLDPHost}
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
			// (port i: one per claim, tells equal claims apart)
			hc[i] = claim{nic: nic, port: int32(i), kind: kinds[r.IntN(len(kinds))]}
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

func show(c claim) string { return fmt.Sprintf("%s %s %d", c.nic, c.kind, c.port) }

// joinTable and sortJoin answer as a multiIndex does for the joins (the
// value of a key added exactly once), through growth, repeated keys, key 0
// of a port, ports that do not pack, keys that differ in one byte only
// (radix passes skipped) and in many.
func TestJoinTableMatchesMultiIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for round := range 20 {
		jt := newJoinTable(round) // small: grows
		sj := newSortJoin(0)
		spread := uint64(1)
		if round%2 == 1 {
			spread = 0x10101010101 // keys differ in every byte
		}
		mi := newMultiIndex[sysPort, uint64](0)
		jmi := newMultiIndex[uint64, uint64](0) // the packed keys
		var keys []sysPort
		for i := range 3000 {
			k := sysPort{(uint64(r.IntN(200)+1) * spread) & (1<<48 - 1), r.IntN(40)}
			switch r.IntN(20) {
			case 0:
				k.port = 1<<16 + r.IntN(3) // does not pack
			case 1:
				k.port = -r.IntN(2)
			case 2:
				k.system = 1<<48 - 1 - uint64(r.IntN(2))
			}
			keys = append(keys, k)
			if key, ok := packSysPort(k); ok {
				jt.add(key, uint64(i))
				jmi.add(key, uint64(i))
			}
			sj.add(k, uint64(i))
			mi.add(k, uint64(i))
		}
		keys = append(keys, sysPort{999, 1}, sysPort{0, 0})
		r.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		joined := sj.join(keys)
		for i, k := range keys {
			var one [1]uint64
			want := mi.get(k, &one)
			if key, ok := packSysPort(k); ok {
				want := jmi.get(key, &one)
				v, ok := jt.get(key)
				if ok != (len(want) == 1) || ok && v != want[0] {
					t.Fatalf("round %d: get(%v) = %d %v, want %v", round, k, v, ok, want)
				}
			}
			if v := joined[i]; (v != joinMany) != (len(want) == 1) || v != joinMany && v != want[0] {
				t.Fatalf("round %d: sortJoin of %v = %d, want %v", round, k, v, want)
			}
		}
	}
}

// nicIndex answers as a multiIndex does: every NIC added under a MAC, in
// the order added.
func TestNICIndexMatchesMultiIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	hosts := make([]HostNode, 50)
	for round := range 10 {
		x := newNICIndex(round)
		mi := newMultiIndex[uint64, hostNIC](0)
		for range 2000 {
			k := uint64(r.IntN(300) + 1)
			v := hostNIC{&hosts[r.IntN(len(hosts))], fmt.Sprint("eth", r.IntN(4))}
			x.add(k, v)
			mi.add(k, v)
		}
		for k := range uint64(310) {
			var o1, o2 [1]hostNIC
			if got, want := x.get(k, &o1), mi.get(k, &o2); !slices.Equal(got, want) {
				t.Fatalf("round %d: get(%d) = %v, want %v", round, k, got, want)
			}
		}
	}
}

// radixSort sorts as slices.SortFunc does, above and below its threshold.
func TestRadixSort(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{0, 1, 255, 256, 5000} {
		for _, mask := range []uint64{^uint64(0), 0xff00ff, 0x0f0000000000ff00, 0} {
			a := make([]joinSlot, n)
			for i := range a {
				a[i] = joinSlot{r.Uint64() & mask, uint64(i)}
			}
			got := radixSort(slices.Clone(a))
			slices.SortStableFunc(a, func(x, y joinSlot) int { return cmp.Compare(x.key, y.key) })
			if len(got) != len(a) {
				t.Fatalf("n=%d: %d out", n, len(got))
			}
			for i := range a {
				if got[i].key != a[i].key {
					t.Fatalf("n=%d mask=%x: key %d = %x, want %x", n, mask, i, got[i].key, a[i].key)
				}
			}
		}
	}
}

// keyFilter never loses a key it was given, and lets few others through
// (16 bits a key, one hash: about 6 %), for MAC-like keys in runs (one
// vendor's ports count up) and scattered ones.
func TestKeyFilter(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	for _, n := range []int{1, 100, 50000} {
		f := newKeyFilter(n)
		added := map[uint64]bool{}
		for i := range n {
			k := uint64(0x444ca8000000) + uint64(i) // a run of port MACs
			if i%2 == 1 {
				k = r.Uint64() >> 16
			}
			f.add(k)
			added[k] = true
		}
		for k := range added {
			if !f.mayHave(k) {
				t.Fatalf("n=%d: key %x added but not found", n, k)
			}
		}
		pass := 0
		const probes = 20000
		for range probes {
			k := r.Uint64() >> 16
			if !added[k] && f.mayHave(k) {
				pass++
			}
		}
		if rate := float64(pass) / probes; rate > 0.12 {
			t.Errorf("n=%d: %.1f%% of absent keys pass the filter, want about 6%%", n, 100*rate)
		}
	}
	var empty keyFilter
	if !empty.mayHave(42) {
		t.Error("the zero filter must let every key through (nothing was filtered)")
	}
}
