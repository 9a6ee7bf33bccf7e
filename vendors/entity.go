package vendors

import (
	"slices"
	"strconv"
	"strings"
)

// OIDs of ENTITY-MIB (RFC 6933).
const (
	// entPhysicalEntry: 4 entPhysicalContainedIn, 5 entPhysicalClass,
	// 6 entPhysicalParentRelPos, 7 entPhysicalName.
	oidEntPhysicalEntry = "1.3.6.1.2.1.47.1.1.1.1"
	// entAliasMappingIdentifier, indexed by entPhysicalIndex and
	// entAliasLogicalIndexOrZero; an interface is named by its ifIndex
	// instance, ifIndex.<n>.
	oidEntAliasMappingIdentifier = "1.3.6.1.2.1.47.1.3.2.1.2"
	oidIfIndex                   = "1.3.6.1.2.1.2.2.1.1"
)

// PhysicalClass values used here.
const (
	entClassChassis   = 3
	entClassContainer = 5
	entClassModule    = 9
	entClassPort      = 10
	entClassStack     = 11
)

// maxEntityDepth bounds walks up entPhysicalContainedIn (agents have been
// seen with loops).
const maxEntityDepth = 32

type physEntity struct {
	index, class, parent, relPos int
}

// entityTree is entPhysicalTable by entPhysicalIndex.
type entityTree map[int]*physEntity

// ancestors returns what e is contained in, nearest first, stopping at the
// top, at an index the table lacks, at a loop or after maxEntityDepth.
func (t entityTree) ancestors(e *physEntity) []*physEntity {
	return t.appendAncestors(nil, e)
}

// appendAncestors is ancestors appended to dst (the entities already
// there are not looked at): the ports' ancestor lists share one array.
func (t entityTree) appendAncestors(dst []*physEntity, e *physEntity) []*physEntity {
	first, start := e, len(dst)
	// seen: e itself or one of the ancestors found (at most
	// maxEntityDepth: a scan costs less than a set)
	seen := func(p *physEntity) bool {
		return p == first || slices.Contains(dst[start:], p)
	}
	for len(dst)-start < maxEntityDepth {
		p := t[e.parent]
		if e.parent == 0 || p == nil || seen(p) {
			break
		}
		dst = append(dst, p)
		e = p
	}
	return dst
}

// memberNumber is a stack member's number: its entPhysicalParentRelPos, or
// when the agent leaves that unset, its place among the chassis in the same
// stack, by entPhysicalIndex.
func (t entityTree) memberNumber(c *physEntity) int {
	if c.relPos > 0 {
		return c.relPos
	}
	var sib []int
	for _, e := range t {
		if e.class == entClassChassis && e.parent == c.parent {
			sib = append(sib, e.index)
		}
	}
	slices.Sort(sib)
	return slices.Index(sib, c.index) + 1
}

// slot is a line card's slot number. A card plugged into a slot container
// has entPhysicalParentRelPos relative to that container (1, or 0, on every
// card), so the container's position in the chassis is the slot; a card
// sitting in the chassis itself has its own position. 0 when unset.
func (t entityTree) slot(m *physEntity) int {
	if p := t[m.parent]; p != nil && p.class == entClassContainer {
		return max(p.relPos, 0)
	}
	return max(m.relPos, 0)
}

// aliasIfIndex extracts n from an entAliasMappingIdentifier ifIndex.<n>.
func aliasIfIndex(v Value) (int, bool) {
	oid := v.OID
	if v.Kind != KindOID {
		oid = v.Text()
	}
	rest, ok := strings.CutPrefix(strings.TrimPrefix(oid, "."), oidIfIndex+".")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n > 0
}

// modules sets Port.Module from ENTITY-MIB: the stack member number of the
// chassis a port sits in when that chassis is in a stack, else the slot of
// its line card when the chassis holds ports on more than one module, else
// nothing (0, unknown).
func (d *decoder) modules() {
	t := entityTree{}
	ents := newSlab[physEntity](d.countRows(entPhysicalCols[5]))
	col := func(c int, name string, f func(e *physEntity, n int)) {
		prefix := entPhysicalCols[c]
		for _, r := range d.w.Rows(prefix) {
			i, ok := d.intIndex(prefix, r)
			if !ok || !r.Value.Exists() {
				continue
			}
			n, ok := num(r.Value)
			if !ok {
				d.problemf(r.Line, "%s.%d = %s: not an integer", name, i, r.Value)
				continue
			}
			e := t[i]
			if e == nil {
				e = ents.new()
				e.index = i
				t[i] = e
			}
			f(e, n)
		}
	}
	col(4, "entPhysicalContainedIn", func(e *physEntity, n int) { e.parent = n })
	col(5, "entPhysicalClass", func(e *physEntity, n int) { e.class = n })
	col(6, "entPhysicalParentRelPos", func(e *physEntity, n int) { e.relPos = n })
	if len(t) == 0 {
		return
	}

	// Port entities that are interfaces, in table order.
	type portEnt struct {
		e       *physEntity
		ifIndex int
		up      []*physEntity // ancestors
		chassis int           // position of the nearest chassis in up, -1 none
		card    *physEntity   // line card: a module sitting in the chassis (through slot containers only)
	}
	var ports []*portEnt
	var upBuf []*physEntity // the ports' ancestors, one after the other
	var ixBuf [4]int64
	for _, r := range d.w.Rows(oidEntAliasMappingIdentifier) {
		ix, ok := appendIndexInts(ixBuf[:0], r.Index)
		if !ok || len(ix) != 2 {
			d.problemf(r.Line, "entAliasMappingIdentifier.%s: index is not entPhysicalIndex.logicalIndex", r.Index)
			continue
		}
		e := t[int(ix[0])]
		ifx, ok := aliasIfIndex(r.Value)
		if e == nil || e.class != entClassPort || !ok || d.sc.ports[ifx] == nil {
			continue // an alias to something other than a known interface
		}
		from := len(upBuf)
		upBuf = t.appendAncestors(upBuf, e)
		p := &portEnt{e: e, ifIndex: ifx, up: upBuf[from:len(upBuf):len(upBuf)], chassis: -1}
		for i, a := range p.up {
			if a.class == entClassChassis {
				p.chassis = i
				break
			}
		}
		if p.chassis >= 0 {
			for j := p.chassis - 1; j >= 0; j-- {
				if p.up[j].class == entClassContainer {
					continue
				}
				if p.up[j].class == entClassModule {
					p.card = p.up[j]
				}
				break
			}
		}
		ports = append(ports, p)
	}

	// Line cards holding interfaces, per chassis.
	cards := map[int]map[int]bool{}
	for _, p := range ports {
		if p.card == nil {
			continue
		}
		c := p.up[p.chassis].index
		if cards[c] == nil {
			cards[c] = map[int]bool{}
		}
		cards[c][p.card.index] = true
	}

	done := map[int]bool{}
	member := map[int]int{} // stack member number by chassis index
	for _, p := range ports {
		if done[p.ifIndex] {
			continue // a second entity or logical index for the interface
		}
		done[p.ifIndex] = true
		if p.chassis < 0 {
			continue
		}
		c := p.up[p.chassis]
		module := 0
		if slices.ContainsFunc(p.up[p.chassis+1:], func(a *physEntity) bool { return a.class == entClassStack }) {
			n, ok := member[c.index]
			if !ok {
				n = t.memberNumber(c)
				member[c.index] = n
			}
			module = n
		} else if p.card != nil && len(cards[c.index]) > 1 {
			module = t.slot(p.card)
		}
		d.sc.ports[p.ifIndex].Module = module
	}
}
