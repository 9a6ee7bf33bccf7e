package vendors

import (
	"strings"
	"testing"
	"unsafe"
)

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
