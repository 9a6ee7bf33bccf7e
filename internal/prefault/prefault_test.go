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

// TouchSpare writes only into the spare capacity: the elements before it
// keep their values (every byte of them, across page boundaries), and the
// spare part stays zero.
func TestTouchSpareKeepsElements(t *testing.T) {
	for _, n := range []int{0, 1, 7, 4095, 4096, 4097, 20000} {
		s := make([]byte, n, n+3*4096+5)
		for i := range s {
			s[i] = byte(i%251 + 1) // never 0
		}
		TouchSpare(s)
		for i, c := range s {
			if c != byte(i%251+1) {
				t.Fatalf("len %d: byte %d is %d after TouchSpare, want %d", n, i, c, i%251+1)
			}
		}
		for i, c := range s[n:cap(s)] {
			if c != 0 {
				t.Fatalf("len %d: spare byte %d is %d, want 0", n, i, c)
			}
		}
	}
	full := []rec{{name: "a"}}
	TouchSpare(full) // no spare capacity: nothing to touch
	if full[0].name != "a" {
		t.Fatal("TouchSpare changed a full slice")
	}
}
