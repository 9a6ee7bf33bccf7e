package vendors

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestCompareOIDSkipsSharedText: CompareOID, which skips the text two OIDs
// share, orders every pair as comparing arc by arc from the first does
// (compareArcs, the whole comparison), including leading zeros, empty
// arcs and prefixes.
func TestCompareOIDSkipsSharedText(t *testing.T) {
	arcs := []string{"0", "1", "2", "9", "10", "01", "001", "11", "100", "99", "4294967295", "", "3"}
	rng := rand.New(rand.NewPCG(1, 2))
	oid := func() string {
		n := 1 + rng.IntN(12)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = arcs[rng.IntN(len(arcs))]
		}
		return strings.Join(parts, ".")
	}
	for range 200000 {
		a := oid()
		b := a
		switch rng.IntN(3) {
		case 0:
			b = oid()
		case 1: // shared stem, different tail
			cut := rng.IntN(len(a) + 1)
			b = a[:cut] + oid()
		case 2: // prefix
			b = a[:rng.IntN(len(a)+1)]
		}
		if got, want := CompareOID(a, b), compareArcs(a, b); got != want {
			t.Fatalf("CompareOID(%q, %q) = %d, want %d", a, b, got, want)
		}
		if got, want := CompareOID(b, a), compareArcs(b, a); got != want {
			t.Fatalf("CompareOID(%q, %q) = %d, want %d", b, a, got, want)
		}
	}
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"1.3.6.1.2.1.2.2.1.2.9", "1.3.6.1.2.1.2.2.1.2.10", -1},
		{"1.3.6.1.2.1.2.2.1.2.10", "1.3.6.1.2.1.2.2.1.2.9", 1},
		{"1.3.6.1", "1.3.6.1.2", -1},
		{"1.3.6.01", "1.3.6.1", 0},
		{"1.3.6.1.2.1.31.1.1.1.1.100", "1.3.6.1.2.1.31.1.1.1.1.100", 0},
	} {
		if got := CompareOID(c.a, c.b); got != c.want {
			t.Errorf("CompareOID(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
