package topology

// MACBits packs s into its 48 bits (00:00:00:00:00:01 → 1) when s is a
// MAC in canonical form (aa:bb:cc:dd:ee:ff, lower case: what NormalizeMAC
// and the parsers write); ok is false for any other string, which it does
// not normalise. It is Build's macKey, for the rules' MAC-keyed indexes.
func MACBits(s string) (k uint64, ok bool) {
	if !canonicalMAC(s) {
		return 0, false
	}
	return macKey(s)
}

// MACOfBits is the MAC whose bits MACBits returned.
func MACOfBits(k uint64) MAC { return MAC(macString(k)) }
