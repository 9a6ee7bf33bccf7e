package rules

// macKey is a MAC address as a map key: a MAC in canonical form
// (aa:bb:cc:dd:ee:ff, lower case, what the parsers write) as its 48 bits,
// kept in the map slot without a string to follow; any other string as
// itself. Two strings have one key exactly when they are equal.
type macKey struct {
	bits  uint64
	other string // the string when it is not in canonical form
}

// keyOfMAC returns s's macKey.
func keyOfMAC(s string) macKey {
	if len(s) != 17 {
		return macKey{other: s}
	}
	var v uint64
	for i := 0; i < 17; i++ {
		c := s[i]
		if i%3 == 2 {
			if c != ':' {
				return macKey{other: s}
			}
			continue
		}
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | uint64(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | uint64(c-'a'+10)
		default:
			return macKey{other: s}
		}
	}
	// bit 48 marks a MAC, so that no string key equals one
	return macKey{bits: v | 1<<48}
}

// String returns the MAC the key was made of.
func (k macKey) String() string {
	if k.bits == 0 {
		return k.other
	}
	const hex = "0123456789abcdef"
	var b [17]byte
	for i := 0; i < 6; i++ {
		o := byte(k.bits >> (40 - 8*i))
		if i > 0 {
			b[3*i-1] = ':'
		}
		b[3*i], b[3*i+1] = hex[o>>4], hex[o&15]
	}
	return string(b[:])
}
