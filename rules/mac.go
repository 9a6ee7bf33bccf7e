package rules

import "github.com/bondaudit/bondaudit/topology"

// macKey is a MAC address as a map key: a MAC in canonical form
// (aa:bb:cc:dd:ee:ff, lower case, what the parsers write) as its 48 bits
// (topology.MACBits), kept in the map slot without a string to follow;
// any other string as itself. Two strings have one key exactly when they
// are equal.
type macKey struct {
	bits  uint64 // the MAC's bits | macBit; 0 for another string
	other string // the string when it is not in canonical form
}

// macBit marks a MAC's key, so that no string key equals one (the
// all-zero MAC has bits 0).
const macBit = 1 << 48

// keyOfMAC returns s's macKey.
func keyOfMAC(s string) macKey {
	if k, ok := topology.MACBits(s); ok {
		return macKey{bits: k | macBit}
	}
	return macKey{other: s}
}

// String returns the MAC the key was made of.
func (k macKey) String() string {
	if k.bits == 0 {
		return k.other
	}
	return string(topology.MACOfBits(k.bits &^ macBit))
}
