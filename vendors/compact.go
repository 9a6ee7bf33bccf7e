package vendors

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bondaudit/bondaudit/topology"
)

// compact shrinks a decoded switch once its decoders are done: it is kept
// for the whole audit (400 of them at 10k hosts). Its ports, LAGs,
// neighbours and FDB entries were appended one by one, which leaves up to
// half of a slice unused; each is copied to its length. (The strings its
// rows repeat are held once already: see decoder.text and decoder.mac.)
func compact(s *topology.Switch) {
	s.Ports = fit(s.Ports)
	s.LAGs = fit(s.LAGs)
	s.Neighbours = fit(s.Neighbours)
	s.FDB = fit(s.FDB)
}

// fit returns s, or a copy of it exactly as long when more than an eighth
// of its capacity is unused.
func fit[T any](s []T) []T {
	if cap(s)-len(s) <= cap(s)/8 {
		return s
	}
	return append(make([]T, 0, len(s)), s...)
}

// sortBy sorts s as slices.SortFunc(s, cmp) does (stable:
// slices.SortStableFunc), each element moved once: the order is found
// among the elements' positions (perm, a scratch buffer), which go through
// the same comparisons a sort of s makes and so end in the same order, and
// the elements then follow it. A LAG or a neighbour is a few hundred
// bytes, which a sort of s would move many times.
func sortBy[T any](s []T, perm *[]int32, stable bool, cmp func(a, b *T) int) {
	if len(s) < 2 {
		return
	}
	p := (*perm)[:0]
	for i := range s {
		p = append(p, int32(i))
	}
	*perm = p
	by := func(a, b int32) int { return cmp(&s[a], &s[b]) }
	if stable {
		slices.SortStableFunc(p, by)
	} else {
		slices.SortFunc(p, by)
	}
	// p[j] is where the element that goes to j is: follow each cycle.
	for i := range s {
		if p[i] == int32(i) {
			continue
		}
		first, j := s[i], i
		for {
			k := int(p[j])
			p[j] = int32(j)
			if k == i {
				s[j] = first
				break
			}
			s[j] = s[k]
			j = k
		}
	}
}

// slab hands out zeroed values of T from chunks of several: one
// allocation for a table's rows instead of one per row. A chunk is never
// appended to beyond its capacity, so the pointers it gave stay valid.
type slab[T any] struct {
	buf []T
	n   int // the size of the next chunk (at least 8)
}

// newSlab returns a slab whose first chunk holds n values (a table's
// row count, when it is known).
func newSlab[T any](n int) slab[T] { return slab[T]{n: n} }

// pooledSlab is newSlab(n) whose first chunk is *buf, a scratch array
// (grown to n when it is shorter): the rows of a table a decode drops.
func pooledSlab[T any](buf *[]T, n int) slab[T] {
	if cap(*buf) < n {
		*buf = make([]T, 0, n)
	}
	return slab[T]{buf: (*buf)[:0], n: n}
}

// clearScratch zeroes a scratch array for the next decode (its rows hold
// values of the walk, which must not be kept alive or seen again).
func clearScratch[T any](buf []T) { clear(buf[:cap(buf)]) }

func (s *slab[T]) new() *T {
	if len(s.buf) == cap(s.buf) {
		s.buf = make([]T, 0, max(s.n, 8))
		s.n = max(s.n/2, 8) // rows the count missed come in fewer
	}
	var zero T
	s.buf = append(s.buf, zero)
	return &s.buf[len(s.buf)-1]
}

// Evidence lines made of integers and port names only (an ifIndex and
// the aggregator or LACP state it reports, a stack entry, an LLDP
// neighbour's table index) are the same on every switch of a model and on
// a port and its LAG: cachedEvLine formats each once per process and
// hands out that string (a decoder asks through decoder.evLine and
// decoder.lacpLine, which keep a copy of its answers in their scratch).
// The cache is bounded (evLinesMax lines, names of at most evNamesMax
// bytes; other lines are formatted each time), so a long-lived process
// polling a changing fleet does not grow without end.
const (
	lineAttached   = iota // dot3adAggPortAttachedAggID.<i> = <v>
	lineActorState        // dot3adAggPortActorOperState.<i> = <state v>
	lineStack             // ifStackStatus.<i>.<v> = active (<lo> under <hi>)
	lineRemV1             // a neighbour's source: LLDP-MIB lldpRemTable.<lo>
	lineRemV2             // LLDP-V2-MIB lldpV2RemTable.<lo>
)

const evLinesMax = 1 << 16

// evNamesMax bounds the names of a cached line (the walk is untrusted
// input: a line with longer names is formatted, not kept).
const evNamesMax = 128

type evKey struct {
	form, i, v int
	lo, hi     string
}

var (
	evLines  sync.Map // evKey -> *evEntry
	evLinesN atomic.Int64
)

// lacpLine is the evidence line of an integer-only form (see evLine),
// looked up in the scratch by the three integers packed in one word when
// they fit (an ifIndex and an aggregator or a state: they do), a cheaper
// key than an evKey's.
func (d *decoder) lacpLine(form, i, v int) string {
	const bits = 29
	if uint(i) >= 1<<bits || uint(v) >= 1<<bits {
		return d.evLine(evKey{form: form, i: i, v: v})
	}
	packed := uint64(form)<<(2*bits) | uint64(i)<<bits | uint64(v)
	if s, ok := d.sc.intLines[packed]; ok {
		return s
	}
	s, _, cached := cachedEvLine(evKey{form: form, i: i, v: v})
	if cached && len(d.sc.intLines) < evLinesMax {
		d.sc.intLines[packed] = s
	}
	return s
}

// evLine is the evidence line for k (cachedEvLine's) looked up first in
// the lines d's scratch holds: a copy of what the process-wide cache gave this scratch's decodes before,
// which answers most lookups at the cost of one map probe (the
// process-wide sync.Map costs several times that).
func (d *decoder) evLine(k evKey) string {
	if s, ok := d.sc.lines[k]; ok {
		return s
	}
	s, key, cached := cachedEvLine(k)
	if cached && len(d.sc.lines) < evLinesMax {
		d.sc.lines[key] = s
	}
	return s
}

// evEntry is a line of the process-wide cache, with the key it is
// stored under (its names copies of the walk's, never the walk's text),
// which a decoder's scratch is given for its own copy.
type evEntry struct {
	line string
	key  evKey
}

// cachedEvLine is the evidence line for k, and whether the process-wide cache holds
// it: then key is k with copies of its names (never the walk's text).
func cachedEvLine(k evKey) (_ string, key evKey, cached bool) {
	if e, ok := evLines.Load(k); ok {
		e := e.(*evEntry)
		return e.line, e.key, true
	}
	var s string
	switch k.form {
	case lineAttached:
		s = "IEEE8023-LAG-MIB dot3adAggPortAttachedAggID." + strconv.Itoa(k.i) + " = " + strconv.Itoa(k.v)
	case lineActorState:
		s = "IEEE8023-LAG-MIB dot3adAggPortActorOperState." + strconv.Itoa(k.i) + " = " + topology.LACPState(k.v).String()
	case lineRemV1:
		s = "LLDP-MIB lldpRemTable." + k.lo
	case lineRemV2:
		s = "LLDP-V2-MIB lldpV2RemTable." + k.lo
	case lineStack:
		s = "IF-MIB ifStackStatus." + strconv.Itoa(k.i) + "." + strconv.Itoa(k.v) + " = active (" + k.lo + " under " + k.hi + ")"
	}
	if evLinesN.Load() < evLinesMax && len(k.lo)+len(k.hi) <= evNamesMax {
		// The cache outlives the walk the names may come from (an LLDP
		// row's index is a piece of the walk's OID text, which a pooled
		// reader overwrites): its key holds copies.
		k.lo, k.hi = strings.Clone(k.lo), strings.Clone(k.hi)
		if prev, loaded := evLines.LoadOrStore(k, &evEntry{s, k}); loaded {
			e := prev.(*evEntry)
			return e.line, e.key, true
		}
		evLinesN.Add(1)
		return s, k, true
	}
	return s, evKey{}, false
}

// line formats an evidence line from its parts (strings and ints, nothing
// else) with one allocation, the line itself: what fmt.Sprintf made with
// several. The parts do not escape, so passing them costs nothing.
func (d *decoder) line(parts ...any) string {
	b := d.buf[:0]
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			b = append(b, p...)
		case int:
			b = strconv.AppendInt(b, int64(p), 10)
		default:
			panic("vendors: decoder.line takes strings and ints")
		}
	}
	d.buf = b
	return d.str.bytes(b)
}

// lacpStates is topology.LACPState.String of every state, made once.
var lacpStates = func() (t [256]string) {
	for i := range t {
		t[i] = topology.LACPState(i).String()
	}
	return t
}()

// lacpStateText is s.String() without allocating.
func lacpStateText(s topology.LACPState) string { return lacpStates[s] }

// scratch holds the maps a decode fills and drops. They are pooled: the
// decode of the next switch reuses them, cleared, instead of growing new
// ones (a site decodes hundreds of switches of one shape). Nothing in them
// outlives the decode: the switch keeps none of them.
type scratch struct {
	ports map[int]*topology.Port // by ifIndex
	// aggTyped holds the ifType of the interfaces whose type may make
	// them an aggregator (see lags): 161, 53, 1 and 54.
	aggTyped          map[int]int
	basePort          map[int]int // dot1dBasePort -> ifIndex
	memberOf, numToIf map[int]int
	aggs              map[int]*aggRow     // aggregator ifIndex -> dot3adAggTable row
	aggRows           map[int]*aggPortRow // port ifIndex -> dot3adAggPortTable row
	isAgg             map[int]bool
	lagMembers        map[int][]int // aggregator ifIndex -> member ifIndexes
	evidence          map[int][]string
	// texts and macs hold each text and MAC the switch repeats once: a
	// value many rows carry (its LACP system ID on every port, the
	// description each host's LLDP sends) is one string (see text).
	texts, macs map[string]string
	byName      map[string]int
	locs        [2]map[int]*locPort // LLDP-MIB's, LLDP-V2-MIB's
	// the rows of the tables read into slabs (pooledSlab)
	aggRowBuf   []aggRow
	aggPortRows []aggPortRow
	locPorts    [2][]locPort
	rems        [2][]remRow
	// lines is this scratch's share of the evidence lines cache (see
	// decoder.evLine): never cleared, as the process-wide cache is not;
	// its keys are copies, never the walk's text.
	lines map[evKey]string
	// intLines is lines for lacpLine's integer-only forms, by packed key
	intLines map[uint64]string
	// perm is sortBy's scratch
	perm []int32
	// portNameIndex's normalised names and where each ends
	nameText []byte
	nameKeys []nameKey
	ifxs     []int
	// locNums is the local port numbers of an LLDP local port table, sorted
	locNums []int
	// byBP is vlans' ports by bridge port number
	byBP []*topology.Port
}

type nameKey struct{ end, ifx int }

var scratchPool = sync.Pool{New: func() any {
	return &scratch{
		ports: map[int]*topology.Port{}, aggTyped: map[int]int{}, basePort: map[int]int{},
		memberOf: map[int]int{}, numToIf: map[int]int{}, aggs: map[int]*aggRow{},
		aggRows: map[int]*aggPortRow{}, isAgg: map[int]bool{}, texts: map[string]string{},
		lagMembers: map[int][]int{}, evidence: map[int][]string{},
		macs: map[string]string{}, byName: map[string]int{},
		locs: [2]map[int]*locPort{{}, {}}, lines: map[evKey]string{}, intLines: map[uint64]string{},
	}
}}

// scratchKeepMax is the most entries a pooled map may have had: one grown
// by an unusually large walk is dropped, not kept for every later decode.
const scratchKeepMax = 1 << 12

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// release clears sc and returns it to the pool.
func (sc *scratch) release() {
	if max(len(sc.ports), len(sc.basePort), len(sc.texts), len(sc.macs), len(sc.byName),
		len(sc.locs[0]), len(sc.locs[1]), len(sc.aggRows), len(sc.aggs),
		cap(sc.rems[0]), cap(sc.rems[1]), cap(sc.locPorts[0]), cap(sc.locPorts[1]), cap(sc.aggPortRows),
		cap(sc.nameKeys), cap(sc.nameText)/16, cap(sc.ifxs), cap(sc.locNums), cap(sc.byBP)/16) > scratchKeepMax {
		return
	}
	clear(sc.ports)
	clear(sc.aggTyped)
	clear(sc.basePort)
	clear(sc.memberOf)
	clear(sc.numToIf)
	clear(sc.aggs)
	clear(sc.aggRows)
	clear(sc.isAgg)
	clear(sc.lagMembers)
	clear(sc.evidence)
	clear(sc.texts)
	clear(sc.macs)
	clear(sc.byName)
	clear(sc.locs[0])
	clear(sc.locs[1])
	clearScratch(sc.aggRowBuf)
	clearScratch(sc.aggPortRows)
	clearScratch(sc.locPorts[0])
	clearScratch(sc.locPorts[1])
	clearScratch(sc.rems[0])
	clearScratch(sc.rems[1])
	clear(sc.byBP[:cap(sc.byBP)]) // (the ports are the switch's)
	scratchPool.Put(sc)
}
