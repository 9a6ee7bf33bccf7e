package cisco

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

// view is the switch the standard decoder produced, indexed for the vendor
// decoders: ports and LAGs by ifIndex, the LAG each member port is in.
// It points into s.Ports and s.LAGs, which the decoders never grow.
type view struct {
	w        *vendors.Walk
	s        *topology.Switch
	problems *[]topology.Problem
	port     map[int]*topology.Port // by ifIndex
	lag      map[int]*topology.LAG  // by aggregator ifIndex
	memberOf map[string]*topology.LAG
	ifIndex  map[string]int // port name -> ifIndex
}

func newView(w *vendors.Walk, s *topology.Switch, problems *[]topology.Problem) *view {
	v := &view{w: w, s: s, problems: problems, port: map[int]*topology.Port{}, lag: map[int]*topology.LAG{},
		memberOf: map[string]*topology.LAG{}, ifIndex: map[string]int{}}
	for i := range s.Ports {
		p := &s.Ports[i]
		if p.IfIndex > 0 {
			v.port[p.IfIndex] = p
			v.ifIndex[p.Name] = p.IfIndex
		}
	}
	for i := range s.LAGs {
		l := &s.LAGs[i]
		if l.IfIndex > 0 {
			v.lag[l.IfIndex] = l
		}
		for _, m := range l.Members {
			v.memberOf[m] = l
		}
	}
	return v
}

func (v *view) problemf(line int, format string, args ...any) {
	vendors.AddProblem(v.problems, line, format, args...)
}

// portName is the name of the port with this ifIndex, "ifIndex<n>" when the
// walk has no such interface.
func (v *view) portName(ifIndex int) string {
	if p := v.port[ifIndex]; p != nil {
		return p.Name
	}
	return "ifIndex" + strconv.Itoa(ifIndex)
}

// cell is one value of a table column, with the walk line it came from.
type cell struct {
	val  vendors.Value
	line int
}

// intColumn reads a column indexed by one integer (an ifIndex, a domain
// ID): rows with another index shape are problems.
func (v *view) intColumn(mib, name, oid string) map[int]cell {
	out := map[int]cell{}
	for _, r := range v.w.Rows(oid) {
		n, err := strconv.Atoi(r.Index)
		if err != nil || n < 0 {
			v.problemf(r.Line, "%s %s.%s: index is not an integer", mib, name, r.Index)
			continue
		}
		if r.Value.Exists() {
			out[n] = cell{r.Value, r.Line}
		}
	}
	return out
}

// pairColumn reads a column indexed by two integers.
func (v *view) pairColumn(mib, name, oid string) map[[2]int]cell {
	out := map[[2]int]cell{}
	for _, r := range v.w.Rows(oid) {
		ix, ok := vendors.IndexInts(r.Index)
		if !ok || len(ix) != 2 || ix[0] < 0 || ix[1] < 0 || ix[0] > 1<<31 || ix[1] > 1<<31 {
			v.problemf(r.Line, "%s %s.%s: index is not two integers", mib, name, r.Index)
			continue
		}
		if r.Value.Exists() {
			out[[2]int{int(ix[0]), int(ix[1])}] = cell{r.Value, r.Line}
		}
	}
	return out
}

// number returns an integer cell's value.
func (c cell) number() (int, bool) {
	n, ok := c.val.Number()
	if !ok || n < -1<<31 || n > 1<<32 {
		return 0, false
	}
	return int(n), true
}

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// sortedPairs returns the keys of a two-integer-indexed column in order.
func sortedPairs(m map[[2]int]cell) [][2]int {
	out := make([][2]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	return out
}

// sortNeighbours restores the order vendors.DecodeWith gives neighbours
// (local port, chassis ID, port ID) after CDP ones were appended.
func (v *view) sortNeighbours() {
	slices.SortStableFunc(v.s.Neighbours, func(a, b topology.Neighbour) int {
		return cmp.Or(cmp.Compare(a.LocalPort, b.LocalPort), cmp.Compare(a.ChassisID, b.ChassisID), cmp.Compare(a.PortID, b.PortID))
	})
}
