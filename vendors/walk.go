// Package vendors holds vendor knowledge as data: how a device is recognised,
// which OIDs to read, and decoders from OID tables to topology facts.
//
// It takes plain values (no gosnmp types, no I/O) so every decoder can be fed
// from a recorded walk, a live poll or a fuzzer alike. It imports only the
// standard library and topology.
package vendors

import (
	"bytes"
	"fmt"
	"iter"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
)

// Kind is the SNMP type of a value as it appears on the wire or in a walk file.
type Kind uint8

const (
	KindNull Kind = iota
	KindInteger
	KindOctetString
	KindOID
	KindIPAddress
	KindCounter32
	KindGauge32
	KindTimeTicks
	KindCounter64
	KindOpaque
	KindNoSuchObject
	KindNoSuchInstance
	KindEndOfMibView
)

var kindNames = [...]string{"Null", "INTEGER", "OCTET STRING", "OID", "IpAddress",
	"Counter32", "Gauge32", "Timeticks", "Counter64", "Opaque", "noSuchObject",
	"noSuchInstance", "endOfMibView"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one decoded SNMP value. Integers of every width live in Int (signed
// INTEGER) or Uint (Counter/Gauge/TimeTicks); octet strings and IP addresses in
// Bytes; object identifiers in OID, dotted and without a leading dot.
type Value struct {
	Kind  Kind
	Int   int64
	Uint  uint64
	Bytes []byte
	OID   string
}

// Exists reports whether the value carries data (not Null or an exception).
func (v Value) Exists() bool {
	switch v.Kind {
	case KindNull, KindNoSuchObject, KindNoSuchInstance, KindEndOfMibView:
		return false
	}
	return true
}

// Number returns the value as an integer when it is one of the numeric kinds.
func (v Value) Number() (int64, bool) {
	switch v.Kind {
	case KindInteger:
		return v.Int, true
	case KindCounter32, KindGauge32, KindTimeTicks, KindCounter64:
		return int64(v.Uint), true
	case KindOctetString:
		// Some agents (and some recordings) return numbers as strings.
		n, err := strconv.ParseInt(strings.TrimSpace(string(v.Bytes)), 10, 64)
		return n, err == nil
	}
	return 0, false
}

// String renders the value the way a network engineer would quote it in a
// ticket: printable strings as text, other octet strings as colon hex.
func (v Value) String() string {
	switch v.Kind {
	case KindInteger:
		return strconv.FormatInt(v.Int, 10)
	case KindCounter32, KindGauge32, KindTimeTicks, KindCounter64:
		return strconv.FormatUint(v.Uint, 10)
	case KindOID:
		return v.OID
	case KindIPAddress:
		if len(v.Bytes) == 4 {
			return fmt.Sprintf("%d.%d.%d.%d", v.Bytes[0], v.Bytes[1], v.Bytes[2], v.Bytes[3])
		}
		return HexString(v.Bytes)
	case KindOctetString, KindOpaque:
		if printable(v.Bytes) {
			return string(v.Bytes)
		}
		return HexString(v.Bytes)
	}
	return v.Kind.String()
}

// Text returns an octet string as text with trailing NULs and spaces removed.
func (v Value) Text() string { return string(trimText(v)) }

// trimText is Value.Text's bytes: v's octets without trailing NULs, spaces
// and line ends. It aliases the walk: only for comparing and looking up.
func trimText(v Value) []byte { return bytes.TrimRight(v.Bytes, "\x00 \r\n") }

func printable(b []byte) bool {
	if len(b) == 0 {
		return true
	}
	for i, c := range b {
		if c == 0 && i == len(b)-1 {
			continue
		}
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c >= 0x7f {
			return false
		}
	}
	return true
}

// HexString formats bytes as lower-case colon-separated hex (00:1c:73:aa:bb:cc).
func HexString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return string(appendHex(make([]byte, 0, len(b)*3-1), b))
}

// appendHex appends b as HexString formats it.
func appendHex(dst, b []byte) []byte {
	const hexd = "0123456789abcdef"
	for i, c := range b {
		if i > 0 {
			dst = append(dst, ':')
		}
		dst = append(dst, hexd[c>>4], hexd[c&0xf])
	}
	return dst
}

// VarBind is one OID with its value. OID is dotted decimal without a leading dot.
type VarBind struct {
	OID   string
	Value Value
	// Line is the 1-based line in the walk file it came from (0 when live).
	Line int
}

// Walk is an immutable, numerically sorted set of varbinds: a whole device
// recording or the union of the subtrees polled from it.
type Walk struct {
	vbs []VarBind
	// read, when set, is told every OID a decoder reads (Traced).
	read func(oid string, any bool)
	// hint is where the last column looked up starts (high 32 bits) and
	// ends: decoders read a table's columns one after the other (and
	// count a column's rows before reading them), so the next column
	// starts at or near there (see lowerBound). Atomic: a walk may be
	// decoded on several goroutines at once.
	hint atomic.Uint64
}

// Traced returns the same walk calling read with the OID or prefix of
// every Get, Column and Rows on it, and of every HasSubtree with any set (it
// asks whether anything lies below): how a test learns which columns the
// decoders read, to keep the profiles' Columns in step with them.
func (w *Walk) Traced(read func(oid string, any bool)) *Walk {
	return &Walk{vbs: w.vbs, read: read}
}

// NewWalk sorts vbs numerically by OID and keeps the last value of duplicates.
// Recordings are normally sorted already (snmpsim requires it; walks come
// out in order), so that case costs one pass.
func NewWalk(vbs []VarBind) *Walk {
	if StrictlySorted(vbs) {
		return &Walk{vbs: vbs}
	}
	s := slices.Clone(vbs)
	slices.SortStableFunc(s, func(a, b VarBind) int { return CompareOID(a.OID, b.OID) })
	// keep last of duplicates
	out := s[:0]
	for i := range s {
		if len(out) > 0 && out[len(out)-1].OID == s[i].OID {
			out[len(out)-1] = s[i]
			continue
		}
		out = append(out, s[i])
	}
	return &Walk{vbs: out}
}

// StrictlySorted reports whether vbs are in strictly increasing OID order
// (CompareOID), as a walk holds them.
func StrictlySorted(vbs []VarBind) bool {
	for i := 1; i < len(vbs); i++ {
		if CompareOID(vbs[i-1].OID, vbs[i].OID) >= 0 {
			return false
		}
	}
	return true
}

// NewSortedWalk is NewWalk of varbinds the caller has found StrictlySorted
// (a reader that checked its file's order once): they are not checked
// again, and a walk of unsorted varbinds finds wrong values.
func NewSortedWalk(vbs []VarBind) *Walk {
	return &Walk{vbs: vbs}
}

// Len is the number of varbinds.
func (w *Walk) Len() int { return len(w.vbs) }

// All returns every varbind in OID order. The slice must not be modified.
func (w *Walk) All() []VarBind { return w.vbs }

// Get returns the value at exactly oid.
func (w *Walk) Get(oid string) (Value, bool) {
	oid = strings.TrimPrefix(oid, ".")
	if w.read != nil {
		w.read(oid, false)
	}
	i, ok := slices.BinarySearchFunc(w.vbs, oid, func(vb VarBind, t string) int { return CompareOID(vb.OID, t) })
	if !ok {
		return Value{}, false
	}
	return w.vbs[i].Value, true
}

// getAfter is Get(oid) for OIDs asked in non-decreasing order
// (CompareOID): *from is where the previous one was looked for, and the
// search gallops on from there instead of searching the whole walk. oid
// may be transient text (a reused buffer): nothing keeps it (a tracer is
// given a copy).
func (w *Walk) getAfter(from *int, oid string) (Value, bool) {
	oid = strings.TrimPrefix(oid, ".")
	if w.read != nil {
		w.read(strings.Clone(oid), false)
	}
	n := len(w.vbs)
	i := gallop(min(max(*from, 0), n), n, func(i int) bool { return CompareOID(w.vbs[i].OID, oid) < 0 })
	*from = i
	if i == n || CompareOID(w.vbs[i].OID, oid) != 0 {
		return Value{}, false
	}
	return w.vbs[i].Value, true
}

// gallop is the first position in [lo, n) where before is false (n when
// there is none), before being true up to some position and false from
// it on: found by galloping from lo (1, 2, 4, … ahead), then halving the
// last stride, so a position near lo costs a few tests.
func gallop(lo, n int, before func(i int) bool) int {
	step := 1
	for lo+step-1 < n && before(lo+step-1) {
		lo += step
		step *= 2
	}
	hi := min(lo+step-1, n) // before(hi) is false, or hi is n
	return lo + sort.Search(hi-lo, func(i int) bool { return !before(lo + i) })
}

// Row is one varbind under a table column: Index is the OID suffix after the
// column (e.g. "7" or "0.7.1").
type Row struct {
	Index string
	Value Value
	Line  int
}

// Column returns all varbinds strictly below prefix, in OID order, with the
// suffix after prefix as Index.
func (w *Walk) Column(prefix string) []Row {
	start, end, p := w.column(prefix)
	if end == start {
		return nil
	}
	rows := make([]Row, 0, end-start)
	for _, vb := range w.vbs[start:end] {
		rows = append(rows, Row{Index: vb.OID[p:], Value: vb.Value, Line: vb.Line})
	}
	return rows
}

// Rows yields Column's rows (with their position in it) without building
// the slice: what a decoder that reads a column once ranges over.
func (w *Walk) Rows(prefix string) iter.Seq2[int, Row] {
	return func(yield func(int, Row) bool) {
		start, end, p := w.column(prefix)
		for i := start; i < end; i++ {
			vb := &w.vbs[i]
			if !yield(i-start, Row{Index: vb.OID[p:], Value: vb.Value, Line: vb.Line}) {
				return
			}
		}
	}
}

// column is where the rows under prefix lie in w.vbs, and the length of
// the prefix with its dot (where each row's index starts).
func (w *Walk) column(prefix string) (start, end, p int) {
	prefix = strings.TrimPrefix(prefix, ".")
	if w.read != nil {
		w.read(prefix, false)
	}
	lb := w.lowerBound(prefix)
	start = lb
	if start < len(w.vbs) && w.vbs[start].OID == prefix {
		start++ // a scalar instance equal to the prefix is not a row
	}
	// The rows under prefix are one run from start (the walk is sorted):
	// its end is found by galloping rather than by testing every row (a
	// tenth of the decode's time on the generated 400 switches went to
	// that scan).
	end = gallop(start, len(w.vbs), func(i int) bool {
		o := w.vbs[i].OID
		return len(o) > len(prefix) && o[len(prefix)] == '.' && o[:len(prefix)] == prefix
	})
	if lb <= math.MaxUint32 && end <= math.MaxUint32 {
		w.hint.Store(uint64(lb)<<32 | uint64(end))
	}
	return start, end, len(prefix) + 1
}

// lowerBound is the first position in w.vbs whose OID does not sort
// before oid (CompareOID), as a binary search of the whole walk finds it:
// first tried where the last column looked up ended (the next column)
// and where it began (the same column again), each proved by its
// neighbours; else searched for, after that end when oid sorts after it.
func (w *Walk) lowerBound(oid string) int {
	h := w.hint.Load()
	n := len(w.vbs)
	from := 0
	// before(i): the varbind before position i sorts before oid
	before := func(i int) bool { return i == 0 || CompareOID(w.vbs[i-1].OID, oid) < 0 }
	// notBefore(i): the varbind at i (if any) does not sort before oid
	notBefore := func(i int) bool { return i == n || CompareOID(w.vbs[i].OID, oid) >= 0 }
	if end := int(uint32(h)); end > 0 && end <= n && before(end) {
		if notBefore(end) {
			return end
		}
		from = end
	} else if start := int(h >> 32); start <= n && start <= end && before(start) && notBefore(start) {
		return start
	}
	i, _ := slices.BinarySearchFunc(w.vbs[from:], oid, func(vb VarBind, t string) int { return CompareOID(vb.OID, t) })
	return from + i
}

// HasSubtree reports whether any varbind lies below prefix.
func (w *Walk) HasSubtree(prefix string) bool {
	prefix = strings.TrimPrefix(prefix, ".")
	if w.read != nil {
		w.read(prefix, true)
	}
	i, _ := slices.BinarySearchFunc(w.vbs, prefix, func(vb VarBind, t string) int { return CompareOID(vb.OID, t) })
	if i < len(w.vbs) && w.vbs[i].OID == prefix {
		i++
	}
	return i < len(w.vbs) && strings.HasPrefix(w.vbs[i].OID, prefix+".")
}

// CompareOID orders dotted OIDs numerically, arc by arc; a prefix sorts first.
func CompareOID(a, b string) int {
	// The arcs both share as text compare equal: skip them, and compare
	// arc by arc from the start of the arc where the texts first differ
	// (sorted walks share all but their last arc or two).
	n := min(len(a), len(b))
	i := 0
	for i+8 <= n && a[i:i+8] == b[i:i+8] {
		i += 8
	}
	for i < n && a[i] == b[i] {
		i++
	}
	if i == len(a) && i == len(b) {
		return 0
	}
	for i > 0 && a[i-1] != '.' {
		i--
	}
	return compareArcs(a[i:], b[i:])
}

// compareArcs is CompareOID arc by arc from the first.
func compareArcs(a, b string) int {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if i >= len(a) {
			return -1
		}
		if j >= len(b) {
			return 1
		}
		// one arc of each, leading zeros skipped
		si := i
		for i < len(a) && a[i] != '.' {
			i++
		}
		sj := j
		for j < len(b) && b[j] != '.' {
			j++
		}
		x, y := a[si:i], b[sj:j]
		for len(x) > 1 && x[0] == '0' {
			x = x[1:]
		}
		for len(y) > 1 && y[0] == '0' {
			y = y[1:]
		}
		if len(x) != len(y) {
			if len(x) < len(y) {
				return -1
			}
			return 1
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
		i++ // skip the dot
		j++
	}
	return 0
}

// ActiveStack returns the (higher, lower) ifIndex pairs of w's
// ifStackStatus rows that are active(1), in walk order. Rows whose index is
// not two ifIndexes in 1..2^31 are left out: the standard decoder reports
// those.
func (w *Walk) ActiveStack() [][2]int {
	var out [][2]int
	var ixBuf [4]int64
	for _, r := range w.Rows(oidIfStack) {
		ix, ok := appendIndexInts(ixBuf[:0], r.Index)
		if !ok || len(ix) != 2 || ix[0] <= 0 || ix[1] <= 0 || ix[0] > 1<<31 || ix[1] > 1<<31 {
			continue
		}
		if n, ok := r.Value.Number(); !ok || n != 1 {
			continue
		}
		out = append(out, [2]int{int(ix[0]), int(ix[1])})
	}
	return out
}

// IndexInts splits a dotted index into integers; ok is false on any non-number.
func IndexInts(index string) ([]int64, bool) {
	if index == "" {
		return nil, false
	}
	out, ok := appendIndexInts(make([]int64, 0, strings.Count(index, ".")+1), index)
	if !ok {
		return nil, false
	}
	return out, true
}

// appendIndexInts is IndexInts appending to dst: with dst a small array
// on the caller's stack, splitting an index allocates nothing.
func appendIndexInts(dst []int64, index string) ([]int64, bool) {
	if index == "" {
		return dst, false
	}
	for {
		part, rest, more := strings.Cut(index, ".")
		n, err := strconv.ParseInt(part, 10, 64)
		if err != nil {
			return dst, false
		}
		dst = append(dst, n)
		if !more {
			return dst, true
		}
		index = rest
	}
}
