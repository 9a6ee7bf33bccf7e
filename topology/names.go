package topology

import (
	"strconv"
	"strings"
)

// NormalizeMAC returns a MAC address in lower-case colon form
// (00:1c:73:b3:af:bb). It accepts colon, dash, dot (Cisco 001c.73b3.afbb),
// space-separated and bare hex forms, and single-digit octets (0:1c:…).
// Anything that is not a 6-octet MAC is returned as "" .
func NormalizeMAC(s string) string {
	if canonicalMAC(s) {
		return s // the common case: parsers already wrote this form
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	var octets []string
	switch {
	case strings.ContainsAny(s, ":- ") && !strings.Contains(s, "."):
		octets = strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == '-' || r == ' ' })
	case strings.Count(s, ".") == 2:
		h := strings.ReplaceAll(s, ".", "")
		if len(h) != 12 {
			return ""
		}
		octets = splitPairs(h)
	case len(s) == 12:
		octets = splitPairs(s)
	case len(s) == 14 && (strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X")):
		octets = splitPairs(s[2:])
	default:
		return ""
	}
	if len(octets) != 6 {
		return ""
	}
	var b strings.Builder
	b.Grow(17)
	for i, o := range octets {
		if len(o) == 1 {
			o = "0" + o
		}
		if len(o) != 2 || !isHex(o[0]) || !isHex(o[1]) {
			return ""
		}
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(strings.ToLower(o))
	}
	return b.String()
}

func splitPairs(h string) []string {
	out := make([]string, 0, len(h)/2)
	for i := 0; i+1 < len(h); i += 2 {
		out = append(out, h[i:i+2])
	}
	if len(h)%2 != 0 {
		return nil
	}
	return out
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// ZeroMAC is the all-zero MAC that LACP uses for "no partner".
const ZeroMAC = "00:00:00:00:00:00"

// portPrefixes maps abbreviations of interface types, as vendors print them
// in CLI, LLDP and CDP, onto one canonical long form. Longest first matters
// only for readability: matching is on the whole alphabetic prefix.
var portPrefixes = map[string]string{
	"fa": "fastethernet", "fastethernet": "fastethernet",
	"gi": "gigabitethernet", "ge": "gigabitethernet", "gigabitethernet": "gigabitethernet", "gig": "gigabitethernet",
	"te": "tengigabitethernet", "ten": "tengigabitethernet", "tengigabitethernet": "tengigabitethernet", "tengige": "tengigabitethernet",
	"tw": "twentyfivegige", "twe": "twentyfivegige", "twentyfivegige": "twentyfivegige", "twentyfivegigabitethernet": "twentyfivegige",
	"fo": "fortygigabitethernet", "fortygige": "fortygigabitethernet", "fortygigabitethernet": "fortygigabitethernet",
	"hu": "hundredgigabitethernet", "hundredgige": "hundredgigabitethernet", "hundredgigabitethernet": "hundredgigabitethernet",
	"et": "ethernet", "eth": "ethernet", "ethernet": "ethernet",
	"po": "port-channel", "port-channel": "port-channel", "portchannel": "port-channel",
	"mgmt": "management", "ma": "management", "management": "management",
	"vl": "vlan", "vlan": "vlan",
}

// NormalizePortName returns a comparison key for an interface name, so that
// the forms different sources use for one port compare equal:
// Gi1/0/1 and GigabitEthernet1/0/1, Eth1/1 and Ethernet1/1, Po7 and
// Port-Channel7. Names with no known type prefix (xe-0/0/1, swp46, 1/1/55,
// ens3f0) are lower-cased and otherwise kept.
func NormalizePortName(name string) string {
	s := strings.ToLower(strings.TrimSpace(name))
	i := 0
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] == '-') {
		i++
	}
	if i == 0 || i == len(s) {
		return s
	}
	prefix, rest := s[:i], strings.TrimLeft(s[i:], " ")
	if rest == "" || rest[0] < '0' || rest[0] > '9' {
		return s
	}
	if long, ok := portPrefixes[prefix]; ok {
		return long + rest
	}
	return s
}

// portKeyMax is the longest name normPortKey normalises on the stack.
const portKeyMax = 64

// normPortKey writes NormalizePortName(name) into buf and returns it, without
// allocating for ASCII names of up to portKeyMax bytes (the lookups by
// port name: m[string(normPortKey(&buf, name))] does not allocate either);
// other names go through NormalizePortName.
func normPortKey(buf *[portKeyMax]byte, name string) []byte {
	// trim ASCII white space (what TrimSpace trims in an ASCII string)
	lo, hi := 0, len(name)
	for lo < hi && asciiSpace(name[lo]) {
		lo++
	}
	for hi > lo && asciiSpace(name[hi-1]) {
		hi--
	}
	if hi-lo > portKeyMax {
		return append(buf[:0], NormalizePortName(name)...)
	}
	s := buf[:hi-lo]
	for j := range s {
		c := name[lo+j]
		if c >= 0x80 {
			return append(buf[:0], NormalizePortName(name)...)
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		s[j] = c
	}
	i := 0
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] == '-') {
		i++
	}
	if i == 0 || i == len(s) {
		return s
	}
	r := i
	for r < len(s) && s[r] == ' ' {
		r++
	}
	if r == len(s) || s[r] < '0' || s[r] > '9' {
		return s
	}
	long, ok := portPrefixes[string(s[:i])]
	if !ok {
		return s
	}
	rest := len(s) - r
	if len(long)+rest > portKeyMax {
		return append(buf[:0], NormalizePortName(name)...)
	}
	// move the rest into place, then write the long prefix before it
	copy(buf[len(long):], s[r:])
	copy(buf[:], long)
	return buf[:len(long)+rest]
}

// PortKeyMax is the size of the buffer NormalizePortNameTo writes into.
const PortKeyMax = portKeyMax

// NormalizePortNameTo is NormalizePortName written into buf, for lookups
// in maps keyed by normalised names: m[string(NormalizePortNameTo(&buf,
// name))] allocates nothing for ASCII names of up to PortKeyMax bytes.
func NormalizePortNameTo(buf *[PortKeyMax]byte, name string) []byte { return normPortKey(buf, name) }

func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// canonicalMAC reports whether s is already aa:bb:cc:dd:ee:ff, lower case.
func canonicalMAC(s string) bool {
	if len(s) != 17 {
		return false
	}
	for i := 0; i < 17; i++ {
		c := s[i]
		if i%3 == 2 {
			if c != ':' {
				return false
			}
			continue
		}
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// SamePort reports whether two interface names denote the same port.
func SamePort(a, b string) bool {
	if a == b {
		return true
	}
	var ba, bb [portKeyMax]byte
	return string(normPortKey(&ba, a)) == string(normPortKey(&bb, b))
}

// NameModule returns the first number of a three-part port name — the
// stack member, FPC or slot: Gi2/0/1 → 2, xe-0/0/3 → 0, Ethernet3/1/1 → 3
// (a ":n" or ".n" suffix is ignored). ok is false for other forms: on
// fixed switches the first number of a two-part name (Ethernet1/49) is a
// breakout or a constant, not a module.
func NameModule(name string) (n int, ok bool) {
	i := strings.IndexAny(name, "0123456789")
	if i < 0 {
		return 0, false
	}
	rest := name[i:]
	if j := strings.IndexAny(rest, ":."); j >= 0 {
		rest = rest[:j]
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 {
		return 0, false
	}
	for k, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || strings.ContainsAny(p, "+-") {
			return 0, false
		}
		if k == 0 {
			n = v
		}
	}
	return n, true
}
