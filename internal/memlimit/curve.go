package memlimit

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// MinHeadroom is the least headroom the curve gets (GCPercentFor), whatever
// the memory found.
const MinHeadroom = 128 << 20

// MaxGCPercent is the curve's GOGC for a live heap small against its
// headroom.
const MaxGCPercent = 400

// HeadroomFor is the curve's headroom for a process that may use limit
// bytes (a cgroup's limit, else the machine's memory; 0 unknown): a
// quarter of it, at least MinHeadroom.
func HeadroomFor(limit int64) uint64 {
	return max(MinHeadroom, uint64(max(limit, 0))/4)
}

// GCPercentFor is the GOGC the collector runs at after a collection that
// left live bytes in the heap: MaxGCPercent (400) while the live heap is
// small against headroom, then falling toward 100, so that the heap's goal,
// live×(1+GOGC/100), is never more than headroom above GOGC=100's
// (2×live + min(3×live, headroom)).
//
// Why: a run reads a site, audits it, writes the report and exits, and
// almost everything it allocates stays live to the end (the snapshot, the
// model): its peak is about what it allocates, whatever GOGC says. Each
// collection is then work done only to bound memory that is mostly live,
// and the last ones, at the largest live heap, cost the most: at GOGC=100
// the 10,000-host audit ran six collections, the last one while its report
// was written, and the 100,000-host audit ten, the last over a 1.1 GB live
// heap during Build. At 400 they run three each, and the audit took 8-11 %
// less time at both sizes with the same peak RSS (README, "Scale"). The
// headroom keeps a site whose live heap nears the machine's memory close to
// the runtime's default.
func GCPercentFor(live, headroom uint64) int {
	if live*(MaxGCPercent-100)/100 <= headroom {
		return MaxGCPercent
	}
	return 100 + int(100*headroom/live)
}

// curve follows the live heap after every collection (GCPercentFor).
type curve struct {
	headroom uint64
	stopped  atomic.Bool
	// set is debug.SetGCPercent, live the live heap after the last
	// collection; tests replace them.
	set  func(int) int
	live func() uint64
}

// tick is collected by every collection, which runs its finalizer: big
// enough to stay out of the tiny allocator, whose blocks are freed whole.
type tick struct{ _ [32]byte }

func (c *curve) adjust() { c.set(GCPercentFor(c.live(), c.headroom)) }

// arm has the next collection call adjust, and arm again.
func (c *curve) arm() {
	runtime.SetFinalizer(&tick{}, func(*tick) {
		if c.stopped.Load() {
			return
		}
		c.adjust()
		c.arm()
	})
}

func (c *curve) start() {
	c.adjust()
	c.arm()
}

var startCurveOnce sync.Once

// startCurve starts the process's curve once; TuneGC calls it unless GOGC
// is set. A variable so that TuneGC's tests record it instead.
var startCurve = func(headroom uint64) {
	startCurveOnce.Do(func() {
		(&curve{headroom: headroom, set: debug.SetGCPercent, live: liveHeap}).start()
	})
}

// liveHeap is the heap's live bytes as of the last collection's mark.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
