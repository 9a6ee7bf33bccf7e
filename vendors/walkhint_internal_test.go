package vendors

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// TestLowerBoundAsBinarySearch: whatever column was looked up before
// (the hint), lowerBound finds what a binary search of the whole walk
// finds, for OIDs in, between, before and after the walk's, with arcs
// that compare equal as numbers but not as text (01 and 1).
func TestLowerBoundAsBinarySearch(t *testing.T) {
	var vbs []VarBind
	for _, c := range []string{"1.2.1", "1.2.01.5", "1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1.3", "1.3.6.1.2.1.2.2.1.8", "1.3.6.1.2.1.31.1.1.1.1", "2"} {
		for _, ix := range []string{"", ".1", ".2", ".02", ".10", ".1.5"} {
			vbs = append(vbs, VarBind{OID: c + ix})
		}
	}
	w := NewWalk(vbs)
	var probes []string
	for _, vb := range w.All() {
		probes = append(probes, vb.OID, vb.OID+".0", vb.OID+".1")
	}
	probes = append(probes, "0", "1", "1.2", "1.3.6.1.2.1.2.2.1.1", "1.3.6.1.2.1.2.2.1.4", "3", "1.2.1.01")
	ref := func(oid string) int {
		i, _ := slices.BinarySearchFunc(w.vbs, oid, func(vb VarBind, t string) int { return CompareOID(vb.OID, t) })
		return i
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		oid := probes[rng.IntN(len(probes))]
		if rng.IntN(4) == 0 {
			oid += "." + strconv.Itoa(rng.IntN(12))
		}
		if got, want := w.lowerBound(oid), ref(oid); got != want {
			t.Fatalf("lowerBound(%q) after hint %x: %d, want %d", oid, w.hint.Load(), got, want)
		}
		w.column(probes[rng.IntN(len(probes))]) // move the hint
	}
}

// TestGetAfterAsGet: getAfter over OIDs in non-decreasing order (with
// repeats, absent ones, and ones equal as numbers but not as text) gives
// what Get gives.
func TestGetAfterAsGet(t *testing.T) {
	var vbs []VarBind
	for i, c := range []string{"1.3.6.1.2.1.17.7.1.2.2.1.2", "1.3.6.1.2.1.17.7.1.2.2.1.3"} {
		for _, ix := range []string{"1.0.1.2.3.4.5", "1.0.1.2.3.4.6", "01.0.1.2.3.4.7", "2.0.0.0.0.0.1", "10.1.1.1.1.1.1"} {
			vbs = append(vbs, VarBind{OID: c + "." + ix, Value: Value{Kind: KindInteger, Int: int64(i*100 + len(vbs))}})
		}
	}
	w := NewWalk(vbs)
	var probes []string
	for _, vb := range w.All() {
		probes = append(probes, vb.OID, vb.OID+".1")
	}
	probes = append(probes, "1", "1.3.6.1.2.1.17.7.1.2.2.1.3.1.0.1.2.3.4.7", "1.3.6.1.2.1.17.7.1.2.2.1.3.5", "9")
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		seq := make([]string, 0, 12)
		for range 12 {
			seq = append(seq, probes[rng.IntN(len(probes))])
		}
		slices.SortStableFunc(seq, CompareOID)
		at := 0
		for _, oid := range seq {
			got, gotOK := w.getAfter(&at, oid)
			want, wantOK := w.Get(oid)
			if gotOK != wantOK || got.Int != want.Int {
				t.Fatalf("getAfter(%q) in %q: %v %v, want %v %v", oid, seq, got.Int, gotOK, want.Int, wantOK)
			}
		}
	}
}
