package vendors

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/bondaudit/bondaudit/topology"
)

// evLine is cachedEvLine's line for k: the reference the decoders'
// scratch lookups (decoder.evLine, decoder.lacpLine) are compared with.
func evLine(k evKey) string {
	s, _, _ := cachedEvLine(k)
	return s
}

// TestEvLineKeepsShortNamesOnly: a line is cached (one string for every
// caller) only when its names are short; a walk's long names are
// formatted each time, never kept by the process-wide cache. The text is
// the same either way.
func TestEvLineKeepsShortNamesOnly(t *testing.T) {
	for _, c := range []struct {
		lo     string
		shared bool
	}{
		{"Ethernet1", true},
		{strings.Repeat("x", evNamesMax), false},
	} {
		k := evKey{form: lineStack, i: 1000010, v: 1, lo: c.lo, hi: "Port-Channel10"}
		a, b := evLine(k), evLine(k)
		if want := "IF-MIB ifStackStatus.1000010.1 = active (" + c.lo + " under Port-Channel10)"; a != want || b != want {
			t.Fatalf("%q, %q: want %q", a, b, want)
		}
		if got := unsafe.StringData(a) == unsafe.StringData(b); got != c.shared {
			t.Errorf("names of %d bytes: shared %v, want %v", len(c.lo)+len(k.hi), got, c.shared)
		}
	}
}

// TestEvLineKeysAreCopies: the process-wide cache of evidence lines
// outlives the walk, whose OID text (a neighbour's table index is a
// piece of it) a reader may reuse: no key may point into the walk.
func TestEvLineKeysAreCopies(t *testing.T) {
	var arena []byte
	vb := func(oid string, v Value) VarBind {
		off := len(arena)
		arena = append(arena, oid...)
		return VarBind{OID: unsafe.String(&arena[off], len(oid)), Value: v}
	}
	arena = make([]byte, 0, 1<<10) // (never grows: the strings above stay in it)
	str := func(s string) Value { return Value{Kind: KindOctetString, Bytes: []byte(s)} }
	w := NewWalk([]VarBind{
		vb("1.0.8802.1.1.2.1.4.1.1.4.0.7.1", Value{Kind: KindInteger, Int: 4}),
		vb("1.0.8802.1.1.2.1.4.1.1.5.0.7.1", str("\x00\x1c\x73\xaa\xbb\xcc")),
		vb("1.0.8802.1.1.2.1.4.1.1.7.0.7.1", str("eth0")),
		vb("1.3.111.2.802.1.1.13.1.4.1.1.5.0.7.1.9", Value{Kind: KindInteger, Int: 4}),
		vb("1.3.111.2.802.1.1.13.1.4.1.1.6.0.7.1.9", str("\x00\x1c\x73\xaa\xbb\xcd")),
		vb("1.3.6.1.2.1.2.2.1.2.7", str("Ethernet7")),
	})
	s, _ := Decode(w, "x")
	// The same decode with its scratch held, to look at its share of
	// the cache too (the pool need not give back the one Decode used).
	d := newDecoder(w, &topology.Switch{})
	defer d.sc.release()
	d.interfaces()
	d.lldp()
	sc := d.sc
	if len(s.Neighbours) != 1 || s.Neighbours[0].Source != "LLDP-MIB lldpRemTable.0.7.1" {
		t.Fatalf("neighbours %+v: want one from lldpRemTable.0.7.1", s.Neighbours)
	}
	lo, hi := uintptr(unsafe.Pointer(unsafe.SliceData(arena))), uintptr(unsafe.Pointer(unsafe.SliceData(arena)))+uintptr(cap(arena))
	in := func(s string) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		return s != "" && p >= lo && p < hi
	}
	evLines.Range(func(k, v any) bool {
		e := v.(*evEntry)
		if key := k.(evKey); in(key.lo) || in(key.hi) || in(e.key.lo) || in(e.key.hi) || key != e.key {
			t.Errorf("cached line %q: its key %+v (entry's %+v) points into the walk", e.line, key, e.key)
		}
		return true
	})
	found := false
	for key, v := range sc.lines {
		found = found || v == "LLDP-MIB lldpRemTable.0.7.1"
		if in(key.lo) || in(key.hi) {
			t.Errorf("line %q in a scratch: its key %+v points into the walk", v, key)
		}
	}
	if !found {
		t.Errorf("the decode's scratch holds no line for its neighbour: %v", sc.lines)
	}
}

// TestEvLineScratchSameAsShared: a decoder's evidence lines are the
// process-wide cache's strings, looked up in its scratch or not, and a
// line whose names are too long to cache is formatted and not kept.
func TestEvLineScratchSameAsShared(t *testing.T) {
	d := newDecoder(NewWalk(nil), nil)
	defer d.sc.release()
	for _, k := range []evKey{
		{form: lineStack, i: 1000011, v: 2, lo: "Ethernet2", hi: "Port-Channel11"},
		{form: lineAttached, i: 3, v: 1000011},
		{form: lineActorState, i: 3, v: 0x3d},
		{form: lineRemV1, lo: "0.9.1"},
		{form: lineRemV2, lo: "0.9.1.2"},
		{form: lineRemV1, lo: strings.Repeat("1.", evNamesMax)},
	} {
		for range 2 {
			got, want := d.evLine(k), evLine(k)
			if got != want {
				t.Fatalf("%+v: %q, want %q", k, got, want)
			}
			_, inScratch := d.sc.lines[k]
			if long := len(k.lo)+len(k.hi) > evNamesMax; inScratch == long || long == (unsafe.StringData(got) == unsafe.StringData(want)) {
				t.Errorf("%+v: in the scratch %v, shared %v", k, inScratch, unsafe.StringData(got) == unsafe.StringData(want))
			}
		}
	}
}

// TestSortBySameAsSort: sortBy leaves a slice as slices.SortFunc and
// slices.SortStableFunc do, with keys that repeat (where an unstable sort
// is free to order equals as it likes: sortBy must make the same choice),
// for lengths 0 to 150.
func TestSortBySameAsSort(t *testing.T) {
	type elem struct {
		key  int
		name string
		pad  [8]int
	}
	rng := rand.New(rand.NewPCG(5, 6))
	var perm []int32
	for n := range 151 {
		for _, keys := range []int{1, 3, n/2 + 1, 4 * n} {
			s := make([]elem, n)
			for i := range s {
				s[i] = elem{key: rng.IntN(keys + 1), name: strconv.Itoa(i)}
			}
			by := func(a, b *elem) int { return a.key - b.key }
			for _, stable := range []bool{false, true} {
				got, want := slices.Clone(s), slices.Clone(s)
				sortBy(got, &perm, stable, by)
				if stable {
					slices.SortStableFunc(want, func(a, b elem) int { return by(&a, &b) })
				} else {
					slices.SortFunc(want, func(a, b elem) int { return by(&a, &b) })
				}
				if !slices.Equal(got, want) {
					t.Fatalf("n %d, %d keys, stable %v:\n got %v\nwant %v", n, keys, stable, got, want)
				}
			}
		}
	}
}

// TestLacpLineSameAsEvLine: the integer-only lines looked up by packed
// key are the process-wide cache's strings for the same integers, also
// at the edges of what packs (and past them, where the evKey is used).
func TestLacpLineSameAsEvLine(t *testing.T) {
	d := newDecoder(NewWalk(nil), nil)
	defer d.sc.release()
	for _, form := range []int{lineAttached, lineActorState} {
		for _, i := range []int{0, 1, 7, 1000007, 1<<29 - 1, 1 << 29, 1 << 31} {
			for _, v := range []int{0, 1, 0x3d, 255, 1000011, 1<<29 - 1, 1 << 29} {
				for range 2 {
					got, want := d.lacpLine(form, i, v), evLine(evKey{form: form, i: i, v: v})
					if got != want || unsafe.StringData(got) != unsafe.StringData(want) {
						t.Fatalf("form %d, %d, %d: %q, want %q (the cache's string)", form, i, v, got, want)
					}
				}
			}
		}
	}
	if len(d.sc.intLines) != 2*5*6 { // (the integers that pack)
		t.Errorf("%d lines by packed key, want %d", len(d.sc.intLines), 2*5*6)
	}
}
