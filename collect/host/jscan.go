package host

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/valyala/fastjson/fastfloat"

	"github.com/bondaudit/bondaudit/internal/jsonpos"
)

// The ip-link and lldpcli JSON of a capture are read by a scanner of our
// own rather than through a parse tree: on a 10,000-host site they are
// over half the bytes, building fastjson's tree of them (a Value per
// value, a key/value pair per member, keys unescaped on every missed
// lookup) was most of their cost, and the snapshot needs a few fields of
// each. One pass over the bytes checks the syntax (the grammar fastjson
// accepted, so the same files are read and refused) and notes how to step
// from token to token (jdoc.link); the readers then walk the members of
// the few objects they need, jumping over every other value without
// looking at its bytes again. Values are read as fastjson gave them
// (strings unescaped best-effort, numbers as their text), so snapshots
// stay as they were. Memory: the link table, 4 bytes per byte of the
// file, pooled for files up to 1 MiB (fastjson's tree took more).

// maxJSONDepth is how deep values nest at most (fastjson's limit: the top
// value is at depth 1).
const maxJSONDepth = 300

// jdoc is a checked JSON document. A value is named by its offset (jnone:
// absent). The check notes, in link, what the readers need to step from
// token to token without looking at the bytes between them again:
//
//   - for a value in a list or object, link[v] is where the next element
//     or the next member's key starts, 0 after the last;
//   - for a key k, link[k] is where its value starts;
//   - for a string or key s, link[s+1] is the offset past its closing
//     quote (no token starts at s+1);
//   - for a list or object v with white space after its bracket, link[v+1]
//     is where its first value, key or closing bracket is.
type jdoc struct {
	data []byte
	link []int32
	esc  bool // data holds a backslash: keys and strings may need unescaping
	// scratch for unescaped keys
	kbuf []byte
	// the syntax error, when there is one
	errOff   int
	errMsg   string
	errDepth bool
}

const jnone = -1

var jdocs = sync.Pool{New: func() any { return new(jdoc) }}

// maxPooledLinks bounds the link table kept for the next document, and
// maxPooledKey the key scratch (a file's one huge escaped key is not kept).
const (
	maxPooledLinks = 1 << 20
	maxPooledKey   = 1 << 10
)

// scanJSON checks data and returns its document and top value; the error
// names the file, line and column as jsonError did for fastjson's. The
// caller gives d back (releaseJSON) when done with it.
func scanJSON(data []byte, file string) (*jdoc, int, error) {
	if len(data) > math.MaxInt32 {
		return nil, jnone, &ParseError{File: file, Msg: "too large to read as JSON (over 2 GiB)"}
	}
	d := jdocs.Get().(*jdoc)
	d.data, d.errMsg, d.errDepth = data, "", false
	if cap(d.link) < len(data) {
		d.link = make([]int32, len(data))
	}
	d.link = d.link[:len(data)]
	d.esc = bytes.IndexByte(data, '\\') >= 0
	top := d.ws(0)
	if top >= len(data) {
		d.fail(top, "cannot parse empty string")
	} else if end := d.check(top); end >= 0 {
		if t := d.ws(end); t < len(data) {
			d.fail(t, "unexpected tail")
		}
	}
	if d.errMsg != "" {
		err := d.syntaxError(file)
		releaseJSON(d)
		return nil, jnone, err
	}
	return d, top, nil
}

func releaseJSON(d *jdoc) {
	d.data = nil
	if cap(d.link) > maxPooledLinks {
		d.link = nil
	}
	if cap(d.kbuf) > maxPooledKey {
		d.kbuf = nil
	}
	jdocs.Put(d)
}

func (d *jdoc) fail(off int, msg string) int {
	if d.errMsg == "" {
		d.errOff, d.errMsg = off, msg
	}
	return -1
}

// syntaxError places the error as before: encoding/json checks the data
// again and says where it goes wrong; only when it accepts the data (too
// deep for fastjson and for this scanner) is the scanner's own place used.
func (d *jdoc) syntaxError(file string) error {
	e := jsonpos.Wrap(file, d.data, errors.New(d.errMsg))
	if e.Line == 0 && d.errDepth {
		e = jsonpos.At(file, d.data, int64(d.errOff), "invalid JSON: nested more than %d deep", maxJSONDepth)
	}
	return fromPos(e)
}

// ws returns the offset of the first byte at or after i that is not JSON
// white space.
//
// Pretty-printed JSON (lldpcli's, `ip -json -p`) is mostly runs of spaces
// after a newline: a space is looked at with the seven bytes after it as
// one word, which skips eight spaces at a time and lands on the first
// byte of the word that is not one (a newline, tab or CR is still white
// space and taken on the next turn, byte by byte).
func (d *jdoc) ws(i int) int {
	if i < len(d.data) && d.data[i] > ' ' {
		return i // most tokens follow the last at once (inlined)
	}
	return d.wsRun(i)
}

// wsRun is ws past the first byte.
func (d *jdoc) wsRun(i int) int {
	data := d.data
	for i < len(data) {
		c := data[i]
		if c > ' ' {
			break
		}
		if c == ' ' {
			if i+8 <= len(data) {
				// bytes that are not a space have a bit set; the lowest
				// such bit is in the first of them (little-endian load)
				if v := binary.LittleEndian.Uint64(data[i:i+8]) ^ spaces8; v != 0 {
					i += bits.TrailingZeros64(v) >> 3
				} else {
					i += 8
				}
				continue
			}
		} else if c != '\n' && c != '\t' && c != '\r' {
			break
		}
		i++
	}
	return i
}

// spaces8 is eight spaces as a little-endian word.
const spaces8 = 0x2020202020202020

// check checks the value at top and returns the offset past it, or -1
// after recording the error. It keeps the open lists and objects on a
// stack of its own (fastjson's depth at most) rather than recursing.
func (d *jdoc) check(top int) int {
	data := d.data
	var (
		open [maxJSONDepth]byte  // '{' or '['
		cur  [maxJSONDepth]int32 // the value being read in each
	)
	n := 0 // open lists and objects
	i := top
	for {
		// a value at i, n+1 deep
		if i >= len(data) {
			return d.fail(i, "cannot parse empty string")
		}
		if n >= maxJSONDepth {
			d.errDepth = d.errMsg == ""
			return d.fail(i, "too deep")
		}
		var end int
		switch c := data[i]; c {
		case '{', '[':
			j := d.ws(i + 1)
			if j >= len(data) {
				return d.fail(j, "missing closing bracket")
			}
			if j > i+1 {
				d.link[i+1] = int32(j) // first skips the white space at once
			}
			if c == '{' && data[j] == '}' || c == '[' && data[j] == ']' {
				end = j + 1
				break
			}
			if c == '{' {
				if j = d.key(j); j < 0 {
					return -1
				}
			}
			open[n], cur[n] = c, int32(j)
			n++
			i = j
			continue
		default:
			if end = d.scalarEnd(i); end < 0 {
				return -1
			}
		}
		// The value ends at end: on to the next element or member, or out
		// of the lists and objects it closes.
		for {
			if n == 0 {
				return end
			}
			j := d.ws(end)
			if j >= len(data) {
				return d.fail(j, "unexpected end of list or object")
			}
			v := cur[n-1]
			if data[j] == ',' {
				k := d.ws(j + 1)
				d.link[v] = int32(k)
				if open[n-1] == '{' {
					if k = d.key(k); k < 0 {
						return -1
					}
				}
				cur[n-1] = int32(k)
				i = k
				break
			}
			if c := data[j]; !(c == '}' && open[n-1] == '{' || c == ']' && open[n-1] == '[') {
				return d.fail(j, "missing ',' after value")
			}
			d.link[v] = 0
			n--
			end = j + 1
		}
	}
}

// key checks the key at j, its colon and the white space after it, and
// returns where the member's value starts (-1 after recording the error).
func (d *jdoc) key(j int) int {
	data := d.data
	if j >= len(data) || data[j] != '"' {
		return d.fail(j, "cannot find opening '\"' for object key")
	}
	k := d.stringEnd(j)
	if k < 0 {
		return d.fail(j, "missing closing '\"'")
	}
	d.link[j+1] = int32(k)
	k = d.ws(k)
	if k >= len(data) || data[k] != ':' {
		return d.fail(k, "missing ':' after object key")
	}
	v := d.ws(k + 1)
	d.link[j] = int32(v)
	return v
}

// scalarEnd checks the string, number, boolean or null at i and returns
// the offset past it (-1 after recording the error).
func (d *jdoc) scalarEnd(i int) int {
	data := d.data
	switch data[i] {
	case '"':
		end := d.stringEnd(i)
		if end < 0 {
			return d.fail(i, "missing closing '\"'")
		}
		d.link[i+1] = int32(end)
		return end
	case 't':
		if !bytes.HasPrefix(data[i:], jsonTrue) {
			return d.fail(i, "unexpected value")
		}
		return i + 4
	case 'f':
		if !bytes.HasPrefix(data[i:], jsonFalse) {
			return d.fail(i, "unexpected value")
		}
		return i + 5
	case 'n':
		switch {
		case bytes.HasPrefix(data[i:], jsonNull):
			return i + 4
		case len(data)-i >= 3 && strings.EqualFold(string(data[i:i+3]), "nan"):
			return i + 3
		}
		return d.fail(i, "unexpected value")
	}
	return d.numberEnd(i)
}

var jsonTrue, jsonFalse, jsonNull = []byte("true"), []byte("false"), []byte("null")

func isNumberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '.' || c == '-' || c == 'e' || c == 'E' || c == '+'
}

// numberEnd is the end of the number at i as fastjson took it: a run of
// digits, signs, points and exponent letters, or inf or nan (any case,
// after at most one sign).
func (d *jdoc) numberEnd(i int) int {
	data := d.data
	j := i
	for j < len(data) && isNumberByte(data[j]) {
		j++
	}
	if j == len(data) || j > i+1 || j == i+1 && data[i] != '-' && data[i] != '+' {
		return j
	}
	if len(data)-j >= 3 {
		if w := string(data[j : j+3]); strings.EqualFold(w, "inf") || strings.EqualFold(w, "nan") {
			return j + 3
		}
	}
	return d.fail(j, "unexpected char")
}

// stringEnd is the offset past the closing quote of the string at i (-1
// when there is none): the first quote not escaped by a backslash. It
// looks at eight bytes at a time for a quote or a backslash.
func (d *jdoc) stringEnd(i int) int {
	data := d.data
	k := i + 1
	if !d.esc { // no backslash anywhere: the next quote
		for ; k+8 <= len(data); k += 8 {
			if m := hasByte(le64(data[k:]), '"'); m != 0 {
				return k + bits.TrailingZeros64(m)/8 + 1
			}
		}
		if q := bytes.IndexByte(data[k:], '"'); q >= 0 {
			return k + q + 1
		}
		return -1
	}
	for k+8 <= len(data) {
		m := hasByte(le64(data[k:]), '"') | hasByte(le64(data[k:]), '\\')
		if m == 0 {
			k += 8
			continue
		}
		k += bits.TrailingZeros64(m) / 8 // the first one (later bits may be false)
		if data[k] == '"' {
			return k + 1
		}
		k += 2 // a backslash and the byte it escapes
	}
	for ; k < len(data); k++ {
		switch data[k] {
		case '"':
			return k + 1
		case '\\':
			k++
		}
	}
	return -1
}

func le64(b []byte) uint64 { return binary.LittleEndian.Uint64(b) }

// hasByte has the high bit set in the first byte of x (in memory order)
// that is c, and maybe in later ones: none when no byte is c.
func hasByte(x uint64, c byte) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	y := x ^ (ones * uint64(c))
	return (y - ones) &^ y & highs
}

// JSON types of a checked value.
type jtype uint8

const (
	jNull jtype = iota
	jObject
	jArray
	jString
	jNumber
	jTrue
	jFalse
)

func (d *jdoc) typ(v int) jtype {
	if v < 0 {
		return jNull
	}
	switch d.data[v] {
	case '{':
		return jObject
	case '[':
		return jArray
	case '"':
		return jString
	case 't':
		return jTrue
	case 'f':
		return jFalse
	case 'n':
		if d.data[v+1] == 'u' { // not nan
			return jNull
		}
	}
	return jNumber
}

// Members and elements are walked with a cursor: the offset of the next
// key (an object's) or value (an array's), jnone at the end.

// first is the cursor at the first member or element of the object or
// array v.
func (d *jdoc) first(v int) int {
	j := v + 1
	if d.data[j] <= ' ' {
		j = int(d.link[j])
	}
	if c := d.data[j]; c == '}' || c == ']' {
		return jnone
	}
	return j
}

// next is the cursor after the value at v.
func (d *jdoc) next(v int) int {
	if n := d.link[v]; n > 0 {
		return int(n)
	}
	return jnone
}

// member is the raw key (escapes as written) and the value of the member
// at cursor k.
func (d *jdoc) member(k int) (key []byte, v int) {
	return d.data[k+1 : d.link[k+1]-1], int(d.link[k])
}

// end is the offset just past value v.
func (d *jdoc) end(v int) int {
	switch d.typ(v) {
	case jString:
		return int(d.link[v+1])
	case jNumber:
		if c := d.data[v]; c == 'n' || c == 'N' {
			return v + 3
		}
		return d.numberEnd(v)
	case jTrue, jNull:
		return v + 4
	case jFalse:
		return v + 5
	}
	// a list or an object: past the bracket after its last value
	last := jnone
	for e := d.first(v); e >= 0; e = d.next(e) {
		last = e
		if d.data[v] == '{' {
			_, last = d.member(e)
			e = last
		}
	}
	j := v + 1
	if last >= 0 {
		j = d.end(last)
	}
	return d.ws(j) + 1
}

// keyIs says whether raw key (as written) is name once unescaped.
func (d *jdoc) keyIs(key []byte, name string) bool { return string(d.keyText(key)) == name }

// keyText is raw key unescaped (valid until the next key is read).
func (d *jdoc) keyText(key []byte) []byte {
	if !d.esc || bytes.IndexByte(key, '\\') < 0 {
		return key
	}
	d.kbuf = unescapeJSON(d.kbuf[:0], key)
	return d.kbuf
}

// get is the value at key in object v (the first member so named), jnone
// when v is not an object or has no such member.
func (d *jdoc) get(v int, key string) int {
	if d.typ(v) != jObject {
		return jnone
	}
	for k := d.first(v); k >= 0; {
		name, x := d.member(k)
		if d.keyIs(name, key) {
			return x
		}
		k = d.next(x)
	}
	return jnone
}

// jkeys are the names of the members an object is read for, indexed by
// length: a member's name is compared with the few of its length.
type jkeys struct {
	names []string
	byLen [48]uint64 // bit i set: names[i] has this length
}

func newJKeys(names ...string) *jkeys {
	ks := &jkeys{names: names}
	if len(names) > 64 {
		panic("jkeys: more than 64 names")
	}
	for i, n := range names {
		if len(n) >= len(ks.byLen) {
			panic("jkeys: name too long: " + n)
		}
		ks.byLen[len(n)] |= 1 << i
	}
	return ks
}

// fields sets out[i] to the value of ks.names[i] in object v (the first
// member so named; jnone when there is none): one walk through v's members.
func (d *jdoc) fields(v int, ks *jkeys, out []int) {
	if len(out) != len(ks.names) {
		// every caller sizes out by hand to its key list: a mismatch would
		// otherwise panic only on a file that has the missing member
		panic("jdoc.fields: out does not match the key list")
	}
	for i := range out {
		out[i] = jnone
	}
	if d.typ(v) != jObject {
		return
	}
	for k := d.first(v); k >= 0; {
		name, x := d.member(k)
		// keyText's test, here too: it is not inlined, and this is every member
		if d.esc && bytes.IndexByte(name, '\\') >= 0 {
			name = d.keyText(name)
		}
		if len(name) < len(ks.byLen) {
			for m := ks.byLen[len(name)]; m != 0; m &= m - 1 {
				i := bits.TrailingZeros64(m)
				if out[i] == jnone && string(name) == ks.names[i] {
					out[i] = x
					break
				}
			}
		}
		k = d.next(x)
	}
}

// text is v's text as fastjson gave it: a string's bytes unescaped, a
// number's or boolean's JSON text; nil for null, an object or a list, and
// when v is absent. It may be a piece of the data, not to be changed or
// kept.
func (d *jdoc) text(v int) []byte {
	switch d.typ(v) {
	case jString:
		s := d.data[v+1 : d.link[v+1]-1]
		if d.esc && bytes.IndexByte(s, '\\') >= 0 {
			return unescapeJSON(nil, s)
		}
		return s
	case jNumber, jTrue, jFalse:
		return d.data[v:d.end(v)]
	}
	return nil
}

// str is text as a string, interned when at most 16 bytes.
func (d *jdoc) str(v int) string { return internShort(d.text(v), 16) }

// internShort is b as a string, interned when it is at most n bytes: the
// words of ip-link (interface names, kinds, states, modes) and lldpcli
// (switch names, port names, the switch's chassis MAC) recur from host to
// host; a NIC's own MAC (17 bytes) is unique to its host and is not put
// in the interning table.
func internShort(b []byte, n int) string {
	if len(b) <= n {
		return internBytes(b)
	}
	return string(b)
}

// int is v as an int, as fastjson's Value.Int and then Float64 read it: a
// number (its integer part when it is not an integer) or a numeric string
// (iproute2 prints some options either way), 0 otherwise.
func (d *jdoc) int(v int) int {
	switch d.typ(v) {
	case jNumber:
		n, err := parseInt64(d.text(v))
		if err != nil {
			f, _ := fastfloat.Parse(string(d.text(v)))
			return int(f)
		}
		return int(n)
	case jString:
		n, _ := strconv.Atoi(string(bytes.TrimSpace(d.text(v))))
		return n
	}
	return 0
}

var errNotInt = errors.New("not an integer")

// parseInt64 reads a JSON number's text as fastjson's Value.Int did: an
// optional minus and digits only, in range.
func parseInt64(b []byte) (int64, error) {
	digits := b
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 {
		return 0, errNotInt
	}
	n := int64(0)
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, errNotInt
		}
		n = n*10 + int64(c-'0')
	}
	if len(digits) > 18 { // may be out of range
		return strconv.ParseInt(string(b), 10, 64)
	}
	if len(digits) < len(b) {
		n = -n
	}
	return n, nil
}

// compact is v's JSON text without the white space between tokens (as
// fastjson wrote a value it had parsed and not looked into).
func (d *jdoc) compact(v int) string {
	raw := d.data[v:d.end(v)]
	var b []byte
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; c {
		case ' ', '\n', '\t', '\r':
		case '"':
			e := int(d.link[v+i+1]) - v
			b = append(b, raw[i:e]...)
			i = e - 1
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// unescapeJSON appends s (a JSON string's bytes between the quotes) to
// dst with its escapes undone as fastjson did, best effort: an escape it
// cannot read (\q, \u12, \uZZZZ, half a surrogate pair) is kept as written.
func unescapeJSON(dst, s []byte) []byte {
	for len(s) > 0 {
		i := bytes.IndexByte(s, '\\')
		if i < 0 {
			return append(dst, s...)
		}
		dst = append(dst, s[:i]...)
		s = s[i+1:]
		if len(s) == 0 {
			break
		}
		c := s[0]
		s = s[1:]
		switch c {
		case '"', '\\', '/':
			dst = append(dst, c)
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, ok := hex4(s)
			if !ok {
				dst = append(dst, '\\', 'u')
				break
			}
			hex := s[:4]
			s = s[4:]
			if !utf16.IsSurrogate(r) {
				dst = utf8.AppendRune(dst, r)
				break
			}
			r2, ok := rune(0), false
			if len(s) >= 6 && s[0] == '\\' && s[1] == 'u' {
				r2, ok = hex4(s[2:])
			}
			if !ok {
				dst = append(dst, '\\', 'u')
				dst = append(dst, hex...)
				break
			}
			dst = utf8.AppendRune(dst, utf16.DecodeRune(r, r2))
			s = s[6:]
		default:
			dst = append(dst, '\\', c)
		}
	}
	return dst
}

// hex4 reads four hex digits at the start of s.
func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
