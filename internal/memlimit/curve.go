package memlimit

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// Headroom bounds how much more heap the collector's curve (GCPercentFor)
// lets the process hold than GOGC=100 would: 128 MiB.
const Headroom = 128 << 20

// GCPercentFor is the GOGC the collector runs at after a collection that
// left live bytes in the heap: 200 while the live heap is at most Headroom,
// then falling toward 100 so that the heap's goal, live×(1+GOGC/100), is
// never more than Headroom above GOGC=100's (2×live + min(live, Headroom)).
//
// Why: a site's read and audit allocate as they go and the process exits
// when the report is written, so every collection is work done only to
// bound memory. A collection's cost grows with the live heap, and so does
// the memory GOGC=100 lets the heap grow by; doubling the growth allowed
// halves the collections. The 10,000-host audit ran 6 collections at
// GOGC=100, the last of them while its report was written; at 200 it ran
// 3, took 10 % less time and peaked 8 % higher (README, "Scale"). Past
// Headroom the extra memory stops growing with the site: the 100,000-host
// audit keeps close to the runtime's default.
func GCPercentFor(live uint64) int {
	if live <= Headroom {
		return 200
	}
	return 100 + int(100*Headroom/live)
}

// curve follows the live heap after every collection (GCPercentFor).
type curve struct {
	stopped atomic.Bool
	// set is debug.SetGCPercent, live the live heap after the last
	// collection; tests replace them.
	set  func(int) int
	live func() uint64
}

// tick is collected by every collection, which runs its finalizer: big
// enough to stay out of the tiny allocator, whose blocks are freed whole.
type tick struct{ _ [32]byte }

func (c *curve) adjust() { c.set(GCPercentFor(c.live())) }

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
var startCurve = func() {
	startCurveOnce.Do(func() {
		(&curve{set: debug.SetGCPercent, live: liveHeap}).start()
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
