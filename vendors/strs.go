package vendors

import "unsafe"

// strs makes the many small strings a decode keeps (port descriptions,
// MACs, evidence lines) from a few chunks of bytes, one allocation each,
// instead of one allocation per string: a decoded switch is kept for the
// whole audit, and a string of its own costs a heap object (and the
// rounding up to a size class) per port and per column.
//
// A string is bytes appended to the current chunk and never written
// again: the chunks are only ever appended to (within their capacity), so
// the strings handed out stay valid and immutable, as a Go string must.
// A chunk lives as long as any of its strings; all of them belong to one
// switch. The zero value is ready to use; a decoder keeps one.
type strs struct {
	chunk []byte
}

// strsChunk is the size of a chunk: a switch's strings take a few of
// them, and the last one's unused tail is all that is lost (on the 400
// switches of the 10,000-host benchmark site, 2 KiB chunks held the
// strings in fewer bytes than 1 KiB, 4 KiB or chunks doubling up to
// 16 KiB).
const strsChunk = 2 << 10

// room returns a chunk with room for n more bytes.
func (a *strs) room(n int) []byte {
	if cap(a.chunk)-len(a.chunk) < n {
		if n > strsChunk/4 {
			// a long string gets its own allocation, not a chunk's tail
			return make([]byte, 0, n)
		}
		a.chunk = make([]byte, 0, strsChunk)
	}
	return a.chunk
}

// bytes returns a string of b's bytes.
func (a *strs) bytes(b []byte) string {
	return a.string(unsafe.String(unsafe.SliceData(b), len(b))) // (copied: b is not kept)
}

// string returns a copy of s in a chunk (s may be the walk's text).
func (a *strs) string(s string) string {
	if len(s) == 0 {
		return ""
	}
	c := a.room(len(s))
	off := len(c)
	c = append(c, s...)
	return a.done(c, off)
}

// done is the string c[off:], c being a chunk room returned and the
// caller appended to within its capacity.
func (a *strs) done(c []byte, off int) string {
	if len(c) == off {
		return ""
	}
	if cap(c) == cap(a.chunk) && unsafe.SliceData(c) == unsafe.SliceData(a.chunk) {
		a.chunk = c
	}
	return unsafe.String(&c[off], len(c)-off)
}

// hex is HexString(b) in a chunk (of its own when a is nil).
func (a *strs) hex(b []byte) string {
	if a == nil {
		return HexString(b)
	}
	if len(b) == 0 {
		return ""
	}
	c := a.room(len(b)*3 - 1)
	off := len(c)
	return a.done(appendHex(c, b), off)
}
