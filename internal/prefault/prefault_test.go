package prefault

import (
	"testing"
	"unsafe"
)

type rec struct {
	name string
	p    *int
	n    [5]int64
}

// Touch leaves a fresh slice as make made it (length, capacity, every
// element zero, to its capacity) for elements smaller and larger than a
// page and for empty and zero-size ones.
func TestTouchKeepsZero(t *testing.T) {
	check := func(name string, got, want int, zero bool) {
		t.Helper()
		if got != want || !zero {
			t.Errorf("%s: len/cap %d, want %d (all zero: %v)", name, got, want, zero)
		}
	}
	r := Touched(make([]rec, 3, 100000))
	zero := true
	for _, e := range r[:cap(r)] {
		zero = zero && e == rec{}
	}
	check("rec", len(r)+cap(r), 3+100000, zero)

	type big struct{ b [10000]byte }
	g := Touched(make([]big, 7))
	zero = true
	for i := range g {
		for _, c := range g[i].b {
			zero = zero && c == 0
		}
	}
	check("big", len(g), 7, zero)

	e := Touched(make([]struct{}, 5))
	check("empty struct", len(e), 5, unsafe.Sizeof(e[0]) == 0)
	n := Touched([]int(nil))
	check("nil", len(n)+cap(n), 0, n == nil)
}
