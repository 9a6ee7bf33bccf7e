package topology

import (
	"cmp"
	"slices"
	"sync/atomic"

	"github.com/bondaudit/bondaudit/internal/prefault"
)

// joinTable maps a non-zero key (a MAC by macKey) to the one value added
// under it, and tells keys added more than once (joinMany): the joins by
// MAC use a MAC exactly one host owns, and so on. It is an open-addressing
// table of 16-byte slots, the key in the slot beside its value: a probe is
// one cache line and no pointer, and a loop of lookups is short enough for
// the CPU to overlap their misses (on a 100k-host site the table does not
// fit in the cache).
type joinTable struct {
	slots []joinSlot // len a power of two; key 0: empty
	used  int
}

type joinSlot struct{ key, val uint64 }

// joinMany is the value of a key added more than once.
const joinMany = ^uint64(0)

// keyFilter is a one-hash Bloom filter of joinTable keys, 16 bits per
// key: a table of every switch port's MAC is probed with every host MAC a
// switch heard, nearly all absent. At 4,000 switches the table is tens of
// megabytes (a cache miss per probe); the filter is a sixteenth of it and
// answers most absent keys (about 6 % pass it falsely).
type keyFilter struct {
	bits  []uint64
	shift uint
}

func newKeyFilter(n int) keyFilter {
	size := 64
	for size < 16*n {
		size *= 2
	}
	shift := uint(64)
	for s := size; s > 1; s /= 2 {
		shift--
	}
	return keyFilter{bits: prefault.Touched(make([]uint64, size/64)), shift: shift}
}

func (f *keyFilter) bit(key uint64) (word int, mask uint64) {
	h := (key * 0xff51afd7ed558ccd) >> f.shift
	return int(h / 64), 1 << (h % 64)
}

func (f *keyFilter) add(key uint64) {
	w, m := f.bit(key)
	f.bits[w] |= m
}

// mayHave is false when key was never added.
func (f *keyFilter) mayHave(key uint64) bool {
	if len(f.bits) == 0 {
		return true
	}
	w, m := f.bit(key)
	return f.bits[w]&m != 0
}

// newJoinTable sizes the table for about n keys.
func newJoinTable(n int) joinTable {
	size := 16
	for size < 2*n {
		size *= 2
	}
	return joinTable{slots: prefault.Touched(make([]joinSlot, size))} // probed before written
}

// packSysPort packs a system (48 bits, not 0) and a port in 1..65535 into
// one non-zero key.
func packSysPort(k sysPort) (uint64, bool) {
	if k.port <= 0 || k.port > 0xffff || k.system == 0 || k.system>>48 != 0 {
		return 0, false
	}
	return k.system<<16 | uint64(k.port), true
}

// home is key's first probe: where slot starts looking.
func (t *joinTable) home(key uint64) int {
	return int((key*0x9e3779b97f4a7c15)>>32) & (len(t.slots) - 1)
}

// warm reads the first slot of each of keys, so that adds of the same
// keys that follow find them in the cache: the reads are independent and
// the CPU overlaps their misses, which adds made one by one between other
// work cannot (on a 100k-host site the tables do not fit in the cache).
// It changes nothing in the table.
func (t *joinTable) warm(keys []uint64) {
	if len(t.slots) == 0 {
		return
	}
	var sum uint64
	for _, k := range keys {
		sum += t.slots[t.home(k)].key
	}
	warmSink.Add(sum)
}

// warmSink keeps warm's reads from being optimised away.
var warmSink atomic.Uint64

func (t *joinTable) slot(key uint64) int {
	mask := len(t.slots) - 1
	i := t.home(key)
	for {
		if s := &t.slots[i]; s.key == key || s.key == 0 {
			return i
		}
		i = (i + 1) & mask
	}
}

// add records v under key (not 0); a key added again holds joinMany. v
// must not be joinMany.
func (t *joinTable) add(key, v uint64) {
	if s, fresh := t.upsert(key); fresh {
		s.val = v
	} else {
		s.val = joinMany
	}
}

// upsert returns the slot of key (not 0), taking a free one (fresh, its
// value to be set) when the key is not in the table.
func (t *joinTable) upsert(key uint64) (s *joinSlot, fresh bool) {
	if 2*(t.used+1) > len(t.slots) {
		t.grow()
	}
	s = &t.slots[t.slot(key)]
	if s.key == key {
		return s, false
	}
	s.key = key
	t.used++
	return s, true
}

func (t *joinTable) grow() {
	old := t.slots
	t.slots = prefault.Touched(make([]joinSlot, max(16, 2*len(old))))
	for _, s := range old {
		if s.key != 0 {
			t.slots[t.slot(s.key)] = s
		}
	}
}

// joinAbsent is lookupAll's value of a key not in the table.
const joinAbsent = joinMany - 1

// lookupAll returns each key's value (lookup), joinAbsent for a key not
// in the table, in vals' storage. The probes are independent and the loop
// short, so the CPU overlaps their cache misses, which a probe made in
// the middle of other work cannot.
func (t *joinTable) lookupAll(keys, vals []uint64) []uint64 {
	vals = vals[:0]
	for _, k := range keys {
		v, ok := t.lookup(k)
		if !ok {
			v = joinAbsent
		}
		vals = append(vals, v)
	}
	return vals
}

// get returns the value added under key when exactly one was.
func (t *joinTable) get(key uint64) (uint64, bool) {
	v, ok := t.lookup(key)
	return v, ok && v != joinMany
}

// lookup returns key's value, joinMany included; ok is false when the key
// is not in the table.
func (t *joinTable) lookup(key uint64) (uint64, bool) {
	if len(t.slots) == 0 || key == 0 {
		return 0, false
	}
	s := &t.slots[t.slot(key)]
	return s.val, s.key == key
}

// nicIndex maps a MAC (by macKey, not 0) to the host NICs added under it,
// in the order added: a joinTable to the one NIC of most MACs (an index
// in one), and a map for the MACs several NICs have.
type nicIndex struct {
	t    joinTable
	one  []hostNIC
	more map[uint64][]hostNIC
}

func newNICIndex(n int) nicIndex {
	return nicIndex{t: newJoinTable(n), one: prefault.Touched(make([]hostNIC, 0, n))}
}

func (x *nicIndex) add(k uint64, v hostNIC) {
	s, fresh := x.t.upsert(k)
	switch {
	case fresh:
		s.val = uint64(len(x.one))
		x.one = append(x.one, v)
	case s.val != joinMany:
		if x.more == nil {
			x.more = map[uint64][]hostNIC{}
		}
		x.more[k] = []hostNIC{x.one[s.val], v}
		s.val = joinMany
	default:
		x.more[k] = append(x.more[k], v)
	}
}

// get returns k's NICs (nil: none); one backs the slice of a MAC with a
// single NIC.
func (x *nicIndex) get(k uint64, one *[1]hostNIC) []hostNIC {
	v, ok := x.t.lookup(k)
	if !ok {
		v = joinAbsent
	}
	return x.probed(k, v, one)
}

// probed is get for k when v is k's probe of x.t (lookupAll).
func (x *nicIndex) probed(k, v uint64, one *[1]hostNIC) []hostNIC {
	switch v {
	case joinAbsent:
		return nil
	case joinMany:
		return x.more[k]
	}
	one[0] = x.one[v]
	return one[:]
}

// sortJoin is the LACP joins' table when all its lookups come at once
// (lacpClaims): the entries and the lookups are sorted by key (a radix
// sort: sequential passes) and merged, instead of one random probe per
// entry and per lookup, which on a 100k-host site are cache misses each.
// Its answers are joinTable's: the value of a key added exactly once.
type sortJoin struct {
	entries []joinSlot         // packed key and value, sorted once joined
	sorted  bool               // entries are sorted
	over    map[sysPort]uint64 // keys that do not pack (joinMany: added again)
}

func newSortJoin(n int) sortJoin { return sortJoin{entries: make([]joinSlot, 0, n)} }

// add records v under k. v must not be joinMany.
func (j *sortJoin) add(k sysPort, v uint64) {
	key, ok := packSysPort(k)
	if !ok {
		if j.over == nil {
			j.over = map[sysPort]uint64{}
		}
		if _, dup := j.over[k]; dup {
			v = joinMany
		}
		j.over[k] = v
		return
	}
	j.entries = append(j.entries, joinSlot{key, v})
	j.sorted = false
}

// join answers every lookup: res[i] is the value added under keys[i] when
// exactly one was, else joinMany. It sorts the entries in place (a copy
// of the sortJoin shares them): one goroutine at a time, and in Build
// only lacpClaims reads the LACP tables.
func (j *sortJoin) join(keys []sysPort) []uint64 {
	res := make([]uint64, len(keys))
	q := make([]joinSlot, 0, len(keys))
	for i, k := range keys {
		res[i] = joinMany
		if key, ok := packSysPort(k); ok {
			q = append(q, joinSlot{key, uint64(i)})
		} else if v, ok := j.over[k]; ok {
			res[i] = v
		}
	}
	if len(q) == 0 || len(j.entries) == 0 {
		return res
	}
	if !j.sorted {
		j.entries = radixSort(j.entries)
		j.sorted = true
	}
	q = radixSort(q)
	e := j.entries
	for len(q) > 0 {
		key := q[0].key
		for len(e) > 0 && e[0].key < key {
			e = e[1:]
		}
		n := 0
		for n < len(e) && e[n].key == key {
			n++
		}
		for len(q) > 0 && q[0].key == key {
			if n == 1 {
				res[q[0].val] = e[0].val
			}
			q = q[1:]
		}
	}
	return res
}

// radixSort sorts a by key: a least-significant-digit radix sort on bytes,
// skipping the bytes all keys share (most of a site's MAC prefix). It
// returns the sorted slice: a or a buffer of its length.
func radixSort(a []joinSlot) []joinSlot {
	if len(a) < 256 {
		slices.SortFunc(a, func(x, y joinSlot) int { return cmp.Compare(x.key, y.key) })
		return a
	}
	var count [8][256]int
	for i := range a {
		k := a[i].key
		for d := range 8 {
			count[d][byte(k>>(8*d))]++
		}
	}
	var tmp []joinSlot
	for d := range 8 {
		c := &count[d]
		shift := 8 * d
		if c[byte(a[0].key>>shift)] == len(a) {
			continue // every key has this byte
		}
		if tmp == nil {
			tmp = make([]joinSlot, len(a))
		}
		sum := 0
		for i := range c {
			c[i], sum = sum, sum+c[i]
		}
		for _, s := range a {
			b := byte(s.key >> shift)
			tmp[c[b]] = s
			c[b]++
		}
		a, tmp = tmp, a
	}
	return a
}
