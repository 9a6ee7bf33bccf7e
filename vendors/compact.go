package vendors

import (
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

// Evidence lines made of integers and port names only (an ifIndex and
// the aggregator or LACP state it reports, a stack entry, an LLDP
// neighbour's table index) are the same on every switch of a model and on
// a port and its LAG: evLine formats each once per process and hands out
// that string. The cache is bounded (evLinesMax lines, names of at most
// evNamesMax bytes; other lines are formatted each time), so a long-lived
// process polling a changing fleet does not grow without end.
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
	evLines  sync.Map // evKey -> string
	evLinesN atomic.Int64
)

func lacpLine(form, i, v int) string { return evLine(evKey{form: form, i: i, v: v}) }

func evLine(k evKey) string {
	if s, ok := evLines.Load(k); ok {
		return s.(string)
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
		if prev, loaded := evLines.LoadOrStore(k, s); loaded {
			return prev.(string)
		}
		evLinesN.Add(1)
	}
	return s
}
