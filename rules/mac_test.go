package rules

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"testing"
)

var canonMAC = regexp.MustCompile(`^[0-9a-f]{2}(:[0-9a-f]{2}){5}$`)

// TestKeyOfMAC: two strings get one key exactly when they are equal, and
// canonical MACs are keyed by their bits.
func TestKeyOfMAC(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	strs := []string{"", "00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff", "FF:ff:ff:ff:ff:ff", "00-1c-73-b3-af-bb",
		"001c.73b3.afbb", "00:1c:73:b3:af:bb", "00:1c:73:b3:af:bg", "00:1c:73:b3:af:b", "00:1c:73:b3:af:bb ", "0:1c:73:b3:af:bb:",
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"}
	for i := 0; i < 2000; i++ {
		b := []byte(fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", r.IntN(256), r.IntN(256), r.IntN(256), r.IntN(256), r.IntN(256), r.IntN(256)))
		if i%3 == 0 { // spoil a character
			b[r.IntN(len(b))] = "0aF:-.g x"[r.IntN(9)]
		}
		strs = append(strs, string(b))
	}
	for _, s := range strs {
		k := keyOfMAC(s)
		if k.String() != s {
			t.Errorf("%q: key says %q", s, k.String())
		}
		if canon := canonMAC.MatchString(s); canon != (k.other == "" && k.bits != 0) {
			t.Errorf("%q: key %+v, canonical %v", s, k, canon)
		} else if canon {
			var a [6]uint64
			fmt.Sscanf(s, "%x:%x:%x:%x:%x:%x", &a[0], &a[1], &a[2], &a[3], &a[4], &a[5])
			want := uint64(1)<<48 | a[0]<<40 | a[1]<<32 | a[2]<<24 | a[3]<<16 | a[4]<<8 | a[5]
			if k.bits != want {
				t.Errorf("%q: bits %x, want %x", s, k.bits, want)
			}
		}
	}
	for _, a := range strs {
		for _, b := range strs[:200] {
			if (keyOfMAC(a) == keyOfMAC(b)) != (a == b) {
				t.Errorf("%q and %q: keys equal %v", a, b, keyOfMAC(a) == keyOfMAC(b))
			}
		}
	}
}
