package sitegen

import (
	"strconv"
)

// MAC is an Ethernet address.
type MAC [6]byte

// MACFromUint64 returns the MAC whose 48 bits are the low bits of v.
func MACFromUint64(v uint64) MAC {
	return MAC{byte(v >> 40), byte(v >> 32), byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
}

// IsZero reports whether m is 00:00:00:00:00:00.
func (m MAC) IsZero() bool { return m == MAC{} }

// String returns the lower-case colon form (aa:bb:cc:dd:ee:ff).
func (m MAC) String() string { return string(m.appendColon(nil)) }

const hexDigits = "0123456789abcdef"

func (m MAC) appendColon(b []byte) []byte {
	for i, c := range m {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, hexDigits[c>>4], hexDigits[c&15])
	}
	return b
}

// appendHex appends the 12 hex digits (snmprec 4x form).
func (m MAC) appendHex(b []byte) []byte {
	for _, c := range m {
		b = append(b, hexDigits[c>>4], hexDigits[c&15])
	}
	return b
}

// appendDotted appends the six octets as decimal OID sub-identifiers.
func (m MAC) appendDotted(b []byte) []byte {
	for i, c := range m {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, uint64(c), 10)
	}
	return b
}

// reverseBits turns an LACPDU state byte (bit 0 = activity = LSB) into the
// SNMP BITS octet of IEEE8023-LAG-MIB LacpState (bit 0 = activity = MSB).
func reverseBits(v uint8) uint8 {
	var r uint8
	for i := 0; i < 8; i++ {
		if v&(1<<i) != 0 {
			r |= 0x80 >> i
		}
	}
	return r
}

// jsonWriter appends JSON without reflection. With indent set it produces
// the layout of encoding/json.MarshalIndent(v, "", "  ") (what lldpcli's
// json0 writer prints); otherwise compact output as iproute2 prints it.
type jsonWriter struct {
	b      []byte
	indent bool
	depth  int
	// first[d] is true while the container at depth d has no element yet.
	first    []bool
	afterKey bool
}

func (w *jsonWriter) newline() {
	if !w.indent {
		return
	}
	w.b = append(w.b, '\n')
	for i := 0; i < w.depth; i++ {
		w.b = append(w.b, ' ', ' ')
	}
}

// elem writes the separator before a new element (a key in an object or a
// value in an array).
func (w *jsonWriter) elem() {
	if w.afterKey {
		w.afterKey = false
		return
	}
	if w.depth > 0 {
		if !w.first[w.depth-1] {
			w.b = append(w.b, ',')
		}
		w.first[w.depth-1] = false
		w.newline()
	}
}

func (w *jsonWriter) open(c byte) {
	w.elem()
	w.b = append(w.b, c)
	w.depth++
	if len(w.first) < w.depth {
		w.first = append(w.first, true)
	}
	w.first[w.depth-1] = true
}

func (w *jsonWriter) close(c byte) {
	empty := w.first[w.depth-1]
	w.depth--
	if !empty {
		w.newline()
	}
	w.b = append(w.b, c)
}

func (w *jsonWriter) key(k string) {
	w.elem()
	w.b = appendJSONString(w.b, k)
	w.b = append(w.b, ':')
	if w.indent {
		w.b = append(w.b, ' ')
	}
	w.afterKey = true
}

func (w *jsonWriter) str(v string) {
	w.elem()
	w.b = appendJSONString(w.b, v)
}

func (w *jsonWriter) mac(m MAC) {
	w.elem()
	w.b = append(w.b, '"')
	w.b = m.appendColon(w.b)
	w.b = append(w.b, '"')
}

func (w *jsonWriter) int(v int) {
	w.elem()
	w.b = strconv.AppendInt(w.b, int64(v), 10)
}

func (w *jsonWriter) bool(v bool) {
	w.elem()
	w.b = strconv.AppendBool(w.b, v)
}

func (w *jsonWriter) null() {
	w.elem()
	w.b = append(w.b, "null"...)
}

func (w *jsonWriter) kstr(k, v string)     { w.key(k); w.str(v) }
func (w *jsonWriter) kint(k string, v int) { w.key(k); w.int(v) }
func (w *jsonWriter) kmac(k string, m MAC) { w.key(k); w.mac(m) }
func (w *jsonWriter) kbool(k string, v bool) {
	w.key(k)
	w.bool(v)
}

// kstrs writes "k": ["a", "b"].
func (w *jsonWriter) kstrs(k string, vs ...string) {
	w.key(k)
	w.open('[')
	for _, v := range vs {
		w.str(v)
	}
	w.close(']')
}

func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
